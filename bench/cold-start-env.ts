/**
 * The environment the bundle benchmarks give a function imported in a fresh Node process: what the CDK stack sets,
 * stand-in credentials, and no log output below errors. bench:bundles and bench:first-request time the same starts.
 */
import { NODE_VERSION_WARNING_VARIABLE } from '../local/node-support.ts';

export const coldStartEnv = (tableName: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  TABLE_NAME: tableName,
  ACCOUNT_ID: '123456789012',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  [NODE_VERSION_WARNING_VARIABLE]: 'true',
  LOG_LEVEL: 'ERROR',
  ...extra,
});
