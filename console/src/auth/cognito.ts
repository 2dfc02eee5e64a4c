/**
 * Sign-in in AWS: the Cognito user pool's hosted sign-in page (authorization code + PKCE, so no password passes
 * through this code and MFA, password reset and first sign-in are Cognito's), then the identity pool exchanges the
 * ID token for short-lived IAM credentials of the responder role, or of the read-only viewer role for members of
 * the viewer group. Tokens are kept in memory only; a reload goes back through the hosted page, whose own session
 * makes that a redirect without a prompt.
 */
import {
  CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
} from '@aws-sdk/client-cognito-identity';
import type { AwsConfig } from '../config.ts';

const VERIFIER_KEY = 'incident-console.pkce';
const RETURN_KEY = 'incident-console.return-to';

export interface SignedIn {
  /** The user's name (email or username) from the ID token. */
  name: string;
  groups: string[];
  credentials: () => Promise<{
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
    expiration?: Date;
  }>;
  signOut(): void;
}

const base64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const randomText = () => base64Url(crypto.getRandomValues(new Uint8Array(32)));

const redirectUri = () => `${location.origin}/`;

async function redirectToSignIn(config: AwsConfig): Promise<never> {
  const verifier = randomText();
  const state = randomText();
  sessionStorage.setItem(VERIFIER_KEY, JSON.stringify({ verifier, state }));
  sessionStorage.setItem(RETURN_KEY, location.pathname + location.search);
  const challenge = base64Url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.userPoolClientId,
    redirect_uri: redirectUri(),
    scope: 'openid email profile',
    code_challenge_method: 'S256',
    code_challenge: challenge,
    state,
  });
  location.assign(`${config.signInDomain}/oauth2/authorize?${query}`);
  // The page is being replaced.
  return new Promise<never>(() => undefined);
}

interface Tokens {
  idToken: string;
  refreshToken?: string;
  expiresAt: number;
}

async function tokenRequest(config: AwsConfig, body: Record<string, string>): Promise<Tokens> {
  const response = await fetch(`${config.signInDomain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: config.userPoolClientId, ...body }),
  });
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok || typeof json.id_token !== 'string')
    throw new Error(`Sign-in failed: ${String(json.error_description ?? json.error ?? response.status)}`);
  return {
    idToken: json.id_token,
    ...(typeof json.refresh_token === 'string' ? { refreshToken: json.refresh_token } : {}),
    expiresAt: Date.now() + Number(json.expires_in ?? 3600) * 1000,
  };
}

function claimsOf(idToken: string): Record<string, unknown> {
  const payload = idToken.split('.')[1] ?? '';
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
}

/** Completes a sign-in redirect, or starts one. Resolves when the user is signed in. */
export async function signIn(config: AwsConfig): Promise<SignedIn> {
  const query = new URLSearchParams(location.search);
  const pending = sessionStorage.getItem(VERIFIER_KEY);
  if (query.has('error')) throw new Error(`Sign-in failed: ${query.get('error_description') ?? query.get('error')}`);
  if (!query.has('code') || !pending) return redirectToSignIn(config);
  sessionStorage.removeItem(VERIFIER_KEY);
  const { verifier, state } = JSON.parse(pending) as { verifier: string; state: string };
  if (query.get('state') !== state) return redirectToSignIn(config);
  let tokens = await tokenRequest(config, {
    grant_type: 'authorization_code',
    code: query.get('code') ?? '',
    redirect_uri: redirectUri(),
    code_verifier: verifier,
  });
  history.replaceState(null, '', sessionStorage.getItem(RETURN_KEY) ?? '/');
  sessionStorage.removeItem(RETURN_KEY);

  const identity = new CognitoIdentityClient({ region: config.region });
  const provider = `cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}`;
  let cached: Awaited<ReturnType<SignedIn['credentials']>> | undefined;
  const credentials = async () => {
    // Refresh a minute early so a request never leaves with credentials about to expire.
    if (cached?.expiration && cached.expiration.getTime() - Date.now() > 60_000) return cached;
    if (tokens.expiresAt - Date.now() < 60_000) {
      if (!tokens.refreshToken) return redirectToSignIn(config);
      tokens = {
        ...(await tokenRequest(config, { grant_type: 'refresh_token', refresh_token: tokens.refreshToken })),
        refreshToken: tokens.refreshToken,
      };
    }
    const logins = { [provider]: tokens.idToken };
    const { IdentityId } = await identity.send(
      new GetIdCommand({ IdentityPoolId: config.identityPoolId, Logins: logins }),
    );
    const { Credentials } = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }));
    if (!Credentials?.AccessKeyId || !Credentials.SecretKey)
      throw new Error('The identity pool returned no credentials');
    cached = {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretKey,
      ...(Credentials.SessionToken ? { sessionToken: Credentials.SessionToken } : {}),
      ...(Credentials.Expiration ? { expiration: Credentials.Expiration } : {}),
    };
    return cached;
  };
  const claims = claimsOf(tokens.idToken);
  const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as string[]) : [];
  return {
    name: String(claims.email ?? claims['cognito:username'] ?? 'signed in'),
    groups,
    credentials,
    signOut() {
      const query = new URLSearchParams({ client_id: config.userPoolClientId, logout_uri: redirectUri() });
      location.assign(`${config.signInDomain}/logout?${query}`);
    },
  };
}
