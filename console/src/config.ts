/**
 * What the console needs to know about where it runs, read from /config.json at start: the local server writes it
 * for `npm start`; in AWS the stack deploys it beside the static files (lib/constructs/console.ts).
 */
export interface LocalConfig {
  mode: 'local';
  region: string;
  accountId: string;
}

export interface AwsConfig {
  mode: 'aws';
  region: string;
  /** The HTTP API's endpoint (https://<id>.execute-api.<region>.amazonaws.com/). */
  apiUrl: string;
  userPoolId: string;
  userPoolClientId: string;
  identityPoolId: string;
  /** The user pool's sign-in domain (https://<prefix>.auth.<region>.amazoncognito.com). */
  signInDomain: string;
  /** Cognito group whose members get the read-only viewer role. */
  viewerGroup: string;
}

export type ConsoleConfig = LocalConfig | AwsConfig;

export async function loadConfig(): Promise<ConsoleConfig> {
  // index.html preloads it; the server marks it no-store, so a reload always reads the current one.
  const response = await fetch('/config.json');
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  const config = (await response.json()) as ConsoleConfig;
  if (config.mode !== 'local' && config.mode !== 'aws') throw new Error('/config.json has no valid mode');
  return config;
}
