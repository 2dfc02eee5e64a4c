/** Configuration read once per process from the environment, validated, with the reason when it is wrong. */
import { ENV } from './environment.ts';

export interface RuntimeConfig {
  tableName: string;
  accountId: string;
  region: string;
  partition: string;
  dynamodbEndpoint?: string;
  idempotencyWindowSeconds: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const need = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`Missing environment variable ${name}`);
    return value;
  };
  const accountId = need(ENV.accountId);
  if (!/^\d{12}$/.test(accountId)) throw new Error(`${ENV.accountId} must be a 12-digit account id, got ${accountId}`);
  const hours = Number(env[ENV.idempotencyWindowHours] ?? 24);
  if (!Number.isFinite(hours) || hours <= 0) throw new Error(`${ENV.idempotencyWindowHours} must be a positive number`);
  return {
    tableName: need(ENV.tableName),
    accountId,
    region: need(ENV.region),
    partition: env[ENV.partition] || 'aws',
    dynamodbEndpoint: env[ENV.dynamodbEndpoint] || undefined,
    idempotencyWindowSeconds: Math.round(hours * 3600),
  };
}
