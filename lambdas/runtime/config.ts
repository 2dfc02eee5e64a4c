/**
 * Configuration, read once per process from the environment and validated, with the reason when it is wrong. This is
 * the only module of the functions that reads `process.env` (the local runtime feeds it the values the CDK stack would
 * set); everything else receives its settings from the composition root (root.ts).
 */
import { DEFAULT_METRICS_NAMESPACE } from '#core/analysis/metrics.ts';
import { type ChatAuthorization, parseChatAuthorization } from '#core/chat/authorization.ts';
import { DEFAULT_CHAT_COMMAND } from '#core/notifications/links.ts';
import { ENV } from './environment.ts';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];

export interface RuntimeConfig {
  tableName: string;
  accountId: string;
  region: string;
  partition: string;
  dynamodbEndpoint?: string;
  idempotencyWindowSeconds: number;
  logLevel: LogLevel;
  /** Where contact-channel messages go (per channel type; absent types are written to the log). */
  messaging: MessagingConfig;
  /** The paging workflow that StartEngagement, StopEngagement and incident changes drive (absent: no paging here). */
  engagementStateMachineArn?: string;
  /** Where Incident Manager's response metrics are published (lambdas/core/analysis/metrics.ts). */
  responseMetricsNamespace: string;
  /** X-Ray subsegments for the handler and every AWS SDK call (Powertools Tracer); off: the function segment only. */
  detailedTracing: boolean;
  /** The runbook workflow the incident reactor starts when an incident opens (absent: no runbooks start here). */
  runbookStateMachineArn?: string;
  /** Where notifications link to and integration events go. */
  notifications: NotificationsConfig;
  /** The Slack slash command: its signing secret's location and who may run what. */
  chat: ChatConfig;
  /** How pages tell people to acknowledge (console link, acknowledge links, SMS replies). */
  paging: PagingConfig;
}

export interface NotificationsConfig {
  /** The web console's URL (its root). */
  consoleUrl?: string;
  /** The EventBridge bus for integration events (absent: none are put). */
  eventBusName?: string;
  /** The slash command responders type (`/incident`). */
  chatCommand: string;
}

export interface ChatConfig {
  /** The Secrets Manager secret with the Slack signing secret (in AWS; the local runtime passes the secret itself). */
  signingSecretArn?: string;
  authorization: ChatAuthorization;
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
  const logLevel = (env[ENV.logLevel] || 'INFO').toUpperCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel))
    throw new Error(`${ENV.logLevel} must be one of ${LOG_LEVELS.join(', ')}, got ${env[ENV.logLevel]}`);
  return {
    tableName: need(ENV.tableName),
    accountId,
    region: need(ENV.region),
    partition: env[ENV.partition] || 'aws',
    dynamodbEndpoint: env[ENV.dynamodbEndpoint] || undefined,
    idempotencyWindowSeconds: Math.round(hours * 3600),
    logLevel,
    messaging: loadMessagingConfig(env),
    engagementStateMachineArn: env[ENV.engagementStateMachineArn] || undefined,
    responseMetricsNamespace: env[ENV.responseMetricsNamespace] || DEFAULT_METRICS_NAMESPACE,
    detailedTracing: env[ENV.detailedTracing] === 'true',
    paging: loadPagingConfig(env),
    runbookStateMachineArn: env[ENV.runbookStateMachineArn] || undefined,
    notifications: loadNotificationsConfig(env),
    chat: loadChatConfig(env),
  };
}

export function loadNotificationsConfig(env: NodeJS.ProcessEnv = process.env): NotificationsConfig {
  const consoleUrl = env[ENV.consoleUrl]?.trim() || undefined;
  if (consoleUrl && !/^https?:\/\/[^\s]+$/.test(consoleUrl))
    throw new Error(`${ENV.consoleUrl} must be an http(s) URL, got ${consoleUrl}`);
  const chatCommand = env[ENV.chatCommand]?.trim() || DEFAULT_CHAT_COMMAND;
  if (!/^\/[\w-]{1,31}$/.test(chatCommand))
    throw new Error(`${ENV.chatCommand} must be a slash command like /incident, got ${chatCommand}`);
  return {
    ...(consoleUrl ? { consoleUrl } : {}),
    ...(env[ENV.eventBusName]?.trim() ? { eventBusName: env[ENV.eventBusName]!.trim() } : {}),
    chatCommand,
  };
}

export function loadChatConfig(env: NodeJS.ProcessEnv = process.env): ChatConfig {
  let authorization: ChatAuthorization;
  try {
    authorization = parseChatAuthorization(env[ENV.slackCommandsConfig]);
  } catch (error) {
    throw new Error(`${ENV.slackCommandsConfig}: ${(error as Error).message}`);
  }
  const signingSecretArn = env[ENV.slackSigningSecretArn]?.trim() || undefined;
  return { ...(signingSecretArn ? { signingSecretArn } : {}), authorization };
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

export interface PagingConfig {
  /** The web console's base URL (email pages link the incident there). */
  consoleUrl?: string;
  /** Acknowledge links: where they point and the KMS HMAC key that signs them (both, or neither). */
  acknowledgeLinks?: { baseUrl: string; keyArn?: string };
  /** Two-way SMS delivers replies here. */
  smsReplies: boolean;
}

const httpUrl = (name: string, value: string | undefined) => {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} must be an http(s) URL, got ${value}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`${name} must be an http(s) URL, got ${value}`);
  return value.replace(/\/+$/, '');
};

/** Reads the paging settings; a link URL without its key (or the reverse) is an error, not silently no links. */
export function loadPagingConfig(env: NodeJS.ProcessEnv = process.env): PagingConfig {
  const value = (name: string) => env[name]?.trim() || undefined;
  const consoleUrl = httpUrl(ENV.consoleUrl, value(ENV.consoleUrl));
  const linkUrl = httpUrl(ENV.acknowledgeLinkUrl, value(ENV.acknowledgeLinkUrl));
  const keyArn = value(ENV.acknowledgeLinkKeyArn);
  if (keyArn && !linkUrl) throw new Error(`${ENV.acknowledgeLinkUrl} must be set when ${ENV.acknowledgeLinkKeyArn} is`);
  const replies = value(ENV.smsReplies);
  if (replies && replies !== 'true' && replies !== 'false')
    throw new Error(`${ENV.smsReplies} must be true or false, got ${replies}`);
  return {
    ...(consoleUrl ? { consoleUrl } : {}),
    ...(linkUrl ? { acknowledgeLinks: { baseUrl: linkUrl, ...(keyArn ? { keyArn } : {}) } } : {}),
    smsReplies: replies === 'true',
  };
}
