/**
 * SMS and VOICE through AWS End User Messaging SMS and voice v2 (the `pinpoint-sms-voice-v2` API):
 *
 * - SMS: `SendTextMessage` from the configured origination identity (phone number, pool or sender ID), message type
 *   TRANSACTIONAL (time-critical traffic, which carriers route with priority), the core's text as the body;
 * - VOICE: `SendVoiceMessage` from the configured voice-capable origination number, spoken by Amazon Polly from SSML:
 *   a second of silence first (the first words after someone picks up are often lost), then the core's text, which
 *   already spells codes digit by digit ("1 2 3 4 5 6") and repeats them, at a slightly slower rate.
 *
 * Both may name a configuration set, whose event destinations report delivery (and can feed page receipts). The
 * message's purpose, contact channel and page (if any) travel in `Context`, which End User Messaging copies into those
 * events; the codes do not.
 */
import {
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  type SendTextMessageCommandInput,
  SendVoiceMessageCommand,
  type SendVoiceMessageCommandInput,
  type VoiceId,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { MessageSender, OutboundMessage, SendResult } from '#core/contacts/messaging.ts';
import { classifyProviderError, type ProviderMapping } from './delivery-errors.ts';

export const SMS_VOICE_PROVIDER = 'sms-voice';

/** Amazon Polly's US English "Joanna": clear at telephone bandwidth and available to End User Messaging voice. */
export const DEFAULT_VOICE_ID: VoiceId = 'JOANNA';

export interface SmsVoiceSenderOptions {
  /** SendTextMessage's OriginationIdentity (phone number, pool or sender ID: ID or ARN). Required for SMS. */
  smsOriginationIdentity?: string;
  /** SendVoiceMessage's OriginationIdentity (voice-capable phone number or pool: ID or ARN). Required for VOICE. */
  voiceOriginationIdentity?: string;
  /** Configuration set name or ARN, for both. */
  configurationSet?: string;
  /** @default DEFAULT_VOICE_ID */
  voiceId?: VoiceId;
  client?: PinpointSMSVoiceV2Client;
  region?: string;
}

/** End User Messaging refusals, by exception name and its `Reason`. */
export const smsVoiceErrorMapping: ProviderMapping = ({ name, Reason, Fields }) => {
  switch (name) {
    case 'ConflictException':
      if (Reason === 'DESTINATION_PHONE_NUMBER_OPTED_OUT') return { reason: 'OPTED_OUT' };
      // In the SMS sandbox only verified destination numbers receive messages.
      if (Reason === 'DESTINATION_PHONE_NUMBER_NOT_VERIFIED' || Reason === 'RESOURCE_NOT_ACTIVE')
        return { reason: 'CONFIGURATION' };
      return { reason: 'REJECTED' };
    case 'ValidationException':
      if (Reason === 'DESTINATION_COUNTRY_BLOCKED' || Fields?.some((f) => f.Name === 'DestinationPhoneNumber')) {
        return { reason: 'INVALID_ADDRESS' };
      }
      switch (Reason) {
        case 'COUNTRY_NOT_ENABLED':
        case 'CHANNEL_NOT_ENABLED':
        case 'INVALID_IDENTITY_FOR_DESTINATION_COUNTRY':
        case 'INVALID_ARN':
        case 'SENDER_ID_NOT_REGISTERED':
        case 'SENDER_ID_NOT_SUPPORTED':
        case 'SENDER_ID_REQUIRES_REGISTRATION':
        case 'VOICE_CAPABILITY_NOT_AVAILABLE':
        case 'RESOURCE_NOT_ACCESSIBLE':
        case 'PRICE_OVER_THRESHOLD':
          return { reason: 'CONFIGURATION' };
        default:
          return { reason: 'REJECTED' };
      }
    case 'ServiceQuotaExceededException':
      // Monthly spend limits and the daily calls-per-destination limit do not lift within a page's retry interval.
      return { reason: 'QUOTA_EXCEEDED' };
    case 'ResourceNotFoundException':
      return { reason: 'CONFIGURATION' };
    default:
      return undefined;
  }
};

const escapeXml = (text: string) =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

/** The SSML a VOICE message is spoken from: a pause for the pick-up, then the text, a little slower than normal. */
export const voiceSsml = (text: string): string =>
  `<speak><break time="1s"/><prosody rate="90%">${escapeXml(text)}</prosody></speak>`;

export class SmsVoiceSender implements MessageSender {
  private readonly client: PinpointSMSVoiceV2Client;

  constructor(private readonly options: SmsVoiceSenderOptions) {
    this.client = options.client ?? new PinpointSMSVoiceV2Client(options.region ? { region: options.region } : {});
  }

  /** Copied by End User Messaging into delivery events (at most 5 entries); never the code. */
  private context(message: OutboundMessage): Record<string, string> {
    return {
      purpose: message.purpose,
      ...(message.contactChannelArn ? { contactChannelArn: message.contactChannelArn } : {}),
      ...(message.pageArn ? { pageArn: message.pageArn } : {}),
    };
  }

  textRequest(message: OutboundMessage): SendTextMessageCommandInput {
    const { smsOriginationIdentity, configurationSet } = this.options;
    if (!smsOriginationIdentity) throw new Error('SmsVoiceSender has no SMS origination identity');
    return {
      DestinationPhoneNumber: message.address,
      OriginationIdentity: smsOriginationIdentity,
      MessageBody: message.text,
      MessageType: 'TRANSACTIONAL',
      ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
      Context: this.context(message),
    };
  }

  voiceRequest(message: OutboundMessage): SendVoiceMessageCommandInput {
    const { voiceOriginationIdentity, configurationSet, voiceId } = this.options;
    if (!voiceOriginationIdentity) throw new Error('SmsVoiceSender has no voice origination number');
    return {
      DestinationPhoneNumber: message.address,
      OriginationIdentity: voiceOriginationIdentity,
      MessageBody: voiceSsml(message.text),
      MessageBodyTextType: 'SSML',
      VoiceId: voiceId ?? DEFAULT_VOICE_ID,
      ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
      Context: this.context(message),
    };
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    if (message.channelType === 'EMAIL') {
      throw new Error('SmsVoiceSender delivers SMS and VOICE messages only (route EMAIL with byChannelType)');
    }
    // Built before the try: a sender without the identity for this type is a wiring bug, not a provider error.
    const text = message.channelType === 'SMS' ? new SendTextMessageCommand(this.textRequest(message)) : undefined;
    const voice = text ? undefined : new SendVoiceMessageCommand(this.voiceRequest(message));
    try {
      const output = text ? await this.client.send(text) : await this.client.send(voice!);
      return { provider: SMS_VOICE_PROVIDER, providerMessageId: output.MessageId ?? 'unknown' };
    } catch (error) {
      throw classifyProviderError(SMS_VOICE_PROVIDER, error, smsVoiceErrorMapping);
    }
  }
}
