/**
 * The deployed MessageSender, built from configuration: per channel type, the real provider when its settings are
 * present (EMAIL: Amazon SES v2; SMS and VOICE: AWS End User Messaging SMS and voice v2), otherwise the log sender,
 * with one warning when the sender is built saying which channel type has no provider. The contacts function uses it
 * for activation codes; the engagement worker uses it for pages.
 *
 * The settings come from environment variables that lib/constructs/message-delivery.ts sets together with the IAM
 * permissions to use exactly those identities (lambdas/runtime/environment.ts names them).
 *
 * The provider modules (and their SDK clients) are loaded on the first message of their type, not at cold start:
 * most contacts API calls send nothing, and the two clients are about a third of the function's bundle.
 */
import type { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { byChannelType, type MessageSender } from '#core/contacts/messaging.ts';
import type { ChannelType } from '#core/contacts/ports.ts';
import type { MessagingConfig } from '#runtime/config.ts';
import { ENV } from '#runtime/environment.ts';
import { logger } from '#runtime/logger.ts';
import { LogMessageSender } from './log-sender.ts';

export interface CreateSenderOptions {
  /** Region of the SDK clients (the function's own by default). */
  region?: string;
  /** Injected clients (tests). */
  clients?: { ses?: SESv2Client; smsVoice?: PinpointSMSVoiceV2Client };
  /** Receives the warning about each channel type without a provider. @default logger.warn */
  warn?: (message: string, fields: Record<string, unknown>) => void;
}

/** What to set, per channel type, to give it a provider (named in the warning). */
const SETTINGS_FOR: Record<ChannelType, string> = {
  EMAIL: ENV.emailFromAddress,
  SMS: ENV.smsOriginationIdentity,
  VOICE: ENV.voiceOriginationNumber,
};

/** Which provider each channel type got: `ses`, `sms-voice` or `log`. */
export type SenderPlan = Record<ChannelType, 'ses' | 'sms-voice' | 'log'>;

export const senderPlan = (config: MessagingConfig): SenderPlan => ({
  EMAIL: config.email ? 'ses' : 'log',
  SMS: config.sms ? 'sms-voice' : 'log',
  VOICE: config.voice ? 'sms-voice' : 'log',
});

/** A sender built on its first message (a failed build is retried on the next one). */
const loadedOnFirstUse = (load: () => Promise<MessageSender>): MessageSender => {
  let loading: Promise<MessageSender> | undefined;
  return {
    send: async (message) => {
      loading ??= load().catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
      return (await loading).send(message);
    },
  };
};

export function createMessageSender(config: MessagingConfig, options: CreateSenderOptions = {}): MessageSender {
  const {
    region,
    clients = {},
    warn = (message: string, fields: Record<string, unknown>) => logger.warn(message, fields),
  } = options;
  const log = new LogMessageSender();
  const { email: emailConfig } = config;
  const email = emailConfig
    ? loadedOnFirstUse(async () => {
        const { SesEmailSender } = await import('./ses-email-sender.ts');
        return new SesEmailSender({
          ...emailConfig,
          ...(clients.ses ? { client: clients.ses } : {}),
          ...(region ? { region } : {}),
        });
      })
    : undefined;
  // One End User Messaging sender (and client) serves SMS and VOICE; they share the configuration set.
  const configurationSet = config.sms?.configurationSet ?? config.voice?.configurationSet;
  const { sms, voice } = config;
  const smsVoice =
    sms || voice
      ? loadedOnFirstUse(async () => {
          const { SmsVoiceSender } = await import('./sms-voice-sender.ts');
          return new SmsVoiceSender({
            ...(sms ? { smsOriginationIdentity: sms.originationIdentity } : {}),
            ...(voice ? { voiceOriginationIdentity: voice.originationIdentity } : {}),
            ...(configurationSet ? { configurationSet } : {}),
            ...(clients.smsVoice ? { client: clients.smsVoice } : {}),
            ...(region ? { region } : {}),
          });
        })
      : undefined;

  const senders: Record<ChannelType, MessageSender> = {
    EMAIL: email ?? log,
    SMS: config.sms ? smsVoice! : log,
    VOICE: config.voice ? smsVoice! : log,
  };
  for (const [channelType, provider] of Object.entries(senderPlan(config)) as [ChannelType, string][]) {
    if (provider !== 'log') continue;
    warn(
      `no delivery provider is configured for ${channelType} contact channels: their messages (activation codes, pages) ` +
        'are written to this log instead, which is meant for first trials only',
      { channelType, configureWith: SETTINGS_FOR[channelType] },
    );
  }
  return byChannelType(senders);
}
