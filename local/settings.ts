/** The local runtime's settings, from environment variables and flags, with their documented defaults. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseStrictCredentials, type StrictCredentials } from './sigv4.ts';

export const LOCAL_DEFAULTS = {
  port: 4750,
  host: '127.0.0.1',
  dataDir: '.incident-manager-data',
  accountId: '123456789012',
  region: 'us-east-1',
  tableName: 'incident-manager',
} as const;

/**
 * Names of the functions the local runtime serves on the Lambda Invoke API path (and reads the stream for). Here
 * rather than in runtime.ts so the small CLIs that invoke them do not load the whole runtime.
 */
export const LOCAL_FUNCTIONS = {
  triggerIntake: 'trigger-intake',
  engagementWorker: 'engagement-worker',
  incidentReactor: 'incident-reactor',
  /** Two-way SMS: `npm run reply` invokes it with an SNS event, as the SNS topic does in AWS. */
  smsReplies: 'sms-replies',
  runbookWorker: 'runbook-worker',
  runbookEvents: 'runbook-events',
  notifier: 'notifier',
  slackCommands: 'slack-commands',
} as const;

/** Where the Slack slash command is served locally (a function URL in AWS). */
export const LOCAL_CHAT_PATH = '/chat/slack';

export interface LocalSettings {
  port: number;
  dataDir?: string;
  accountId: string;
  region: string;
  tableName: string;
  /** LOCAL_TIME_SCALE: paging and runbooks run this many times faster than real time (60 = a minute takes a second). */
  timeScale: number;
  /** LOCAL_AWS_ENDPOINT_URL: where runbooks' aws:executeAwsApi calls to other AWS services go (e.g. a LocalStack). */
  otherServicesEndpoint?: string;
  /** The Slack slash command (docs/chat.md): its signing secret and who may run what. */
  slack: { signingSecret?: string; commandsConfig?: string } | undefined;
  /** LOCAL_SIGV4_CREDENTIALS=AKID:SECRET[:role],...: verify SigV4 as API Gateway does (strict mode). */
  strictSigV4?: StrictCredentials;
}

/**
 * Locally the Slack signing secret may come from a variable or a file (in AWS only from Secrets Manager):
 * SLACK_SIGNING_SECRET or SLACK_SIGNING_SECRET_FILE, and the command configuration from SLACK_COMMANDS_CONFIG (JSON)
 * or SLACK_COMMANDS_CONFIG_FILE.
 */
export function localSlackSettings(env: NodeJS.ProcessEnv): LocalSettings['slack'] {
  const fromFile = (name: string) => (env[name] ? readFileSync(env[name] as string, 'utf8').trim() : undefined);
  const signingSecret = env.SLACK_SIGNING_SECRET?.trim() || fromFile('SLACK_SIGNING_SECRET_FILE');
  const commandsConfig = env.SLACK_COMMANDS_CONFIG?.trim() || fromFile('SLACK_COMMANDS_CONFIG_FILE');
  if (!signingSecret && !commandsConfig) return undefined;
  return { ...(signingSecret ? { signingSecret } : {}), ...(commandsConfig ? { commandsConfig } : {}) };
}

export function readLocalSettings(env: NodeJS.ProcessEnv, argv: string[]): LocalSettings {
  const port = Number(env.PORT ?? LOCAL_DEFAULTS.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const inMemory = argv.includes('--in-memory') || env.IN_MEMORY === '1' || env.IN_MEMORY === 'true';
  const accountId = env.ACCOUNT_ID ?? LOCAL_DEFAULTS.accountId;
  if (!/^\d{12}$/.test(accountId)) throw new Error(`ACCOUNT_ID must be 12 digits, got ${accountId}`);
  return {
    port,
    dataDir: inMemory ? undefined : resolve(env.DATA_DIR ?? LOCAL_DEFAULTS.dataDir),
    accountId,
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? LOCAL_DEFAULTS.region,
    tableName: LOCAL_DEFAULTS.tableName,
    timeScale: timeScaleFrom(env),
    ...(env.LOCAL_AWS_ENDPOINT_URL ? { otherServicesEndpoint: env.LOCAL_AWS_ENDPOINT_URL } : {}),
    slack: localSlackSettings(env),
    ...(env.LOCAL_SIGV4_CREDENTIALS ? { strictSigV4: parseStrictCredentials(env.LOCAL_SIGV4_CREDENTIALS) } : {}),
  };
}

/** The variable that speeds the local clock up (paging stages, runbook sleeps). */
export const TIME_SCALE_VARIABLE = 'LOCAL_TIME_SCALE';

/** LOCAL_TIME_SCALE as a number >= 1 (1 when unset). */
export function timeScaleFrom(env: NodeJS.ProcessEnv): number {
  const raw = env[TIME_SCALE_VARIABLE];
  if (raw === undefined || raw === '') return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale < 1) throw new Error(`${TIME_SCALE_VARIABLE} must be a number >= 1, got ${raw}`);
  return scale;
}
