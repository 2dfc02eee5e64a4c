/** The local runtime's settings, from environment variables and flags, with their documented defaults. */
import { resolve } from 'node:path';
import { timeScaleFrom } from '#runtime/engagements.ts';
import { parseStrictCredentials, type StrictCredentials } from './sigv4.ts';

export const LOCAL_DEFAULTS = {
  port: 4750,
  host: '127.0.0.1',
  dataDir: '.incident-manager-data',
  accountId: '123456789012',
  region: 'us-east-1',
  tableName: 'incident-manager',
} as const;

export interface LocalSettings {
  port: number;
  dataDir?: string;
  accountId: string;
  region: string;
  tableName: string;
  /** LOCAL_TIME_SCALE: paging runs this many times faster than real time (60 = a plan minute takes a second). */
  timeScale: number;
  /** LOCAL_SIGV4_CREDENTIALS=AKID:SECRET[:role],...: verify SigV4 as API Gateway does (strict mode). */
  strictSigV4?: StrictCredentials;
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
    ...(env.LOCAL_SIGV4_CREDENTIALS ? { strictSigV4: parseStrictCredentials(env.LOCAL_SIGV4_CREDENTIALS) } : {}),
  };
}
