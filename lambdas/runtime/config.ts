/** Configuration read once per process from the environment, validated, with the reason when it is wrong. */
import { ENV } from './environment.ts';

export interface RuntimeConfig {
  tableName: string;
  accountId: string;
  region: string;
  partition: string;
  dynamodbEndpoint?: string;
  idempotencyWindowSeconds: number;
  /** Roles limited to read operations of ssm-contacts (READ_ONLY_ROLE_NAMES). */
  readOnlyRoleNames?: string[];
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
    readOnlyRoleNames: (env[ENV.readOnlyRoleNames] ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  };
}

/** Where messages to contact channels go; a channel type left out has no provider (see create-sender.ts). */
export interface MessagingConfig {
  email?: { fromAddress: string; identityArn?: string; configurationSet?: string };
  sms?: { originationIdentity: string; configurationSet?: string };
  voice?: { originationIdentity: string; configurationSet?: string };
}

/** Reads the message delivery settings; a half-configured channel type is an error, not a silent fallback to logs. */
export function loadMessagingConfig(env: NodeJS.ProcessEnv = process.env): MessagingConfig {
  const value = (name: string) => env[name]?.trim() || undefined;
  const fromAddress = value(ENV.emailFromAddress);
  const identityArn = value(ENV.emailIdentityArn);
  const emailConfigurationSet = value(ENV.emailConfigurationSet);
  if (!fromAddress && (identityArn || emailConfigurationSet)) {
    throw new Error(
      `${ENV.emailFromAddress} must be set when ${ENV.emailIdentityArn} or ${ENV.emailConfigurationSet} is`,
    );
  }
  if (fromAddress && !fromAddress.includes('@')) {
    throw new Error(
      `${ENV.emailFromAddress} must be an email address (optionally "Name <address>"), got ${fromAddress}`,
    );
  }
  const smsIdentity = value(ENV.smsOriginationIdentity);
  const voiceNumber = value(ENV.voiceOriginationNumber);
  const configurationSet = value(ENV.messagingConfigurationSet);
  return {
    ...(fromAddress
      ? {
          email: {
            fromAddress,
            ...(identityArn ? { identityArn } : {}),
            ...(emailConfigurationSet ? { configurationSet: emailConfigurationSet } : {}),
          },
        }
      : {}),
    ...(smsIdentity
      ? { sms: { originationIdentity: smsIdentity, ...(configurationSet ? { configurationSet } : {}) } }
      : {}),
    ...(voiceNumber
      ? { voice: { originationIdentity: voiceNumber, ...(configurationSet ? { configurationSet } : {}) } }
      : {}),
  };
}
