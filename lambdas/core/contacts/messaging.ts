/**
 * The MessageSender port: how the contacts core hands a message (today: an activation code; later: engagement pages)
 * to whatever delivers it. The core builds the complete message, including the text a person receives, so a provider
 * only has to deliver it:
 *
 * - locally, local/outbox.ts keeps every message in memory, appends it to `<data dir>/outbox.jsonl` and prints it,
 *   so `npm start` shows the code and tests read it back;
 * - deployed, lambdas/adapters/messaging/create-sender.ts combines, with `byChannelType`, the SES sender (EMAIL) and
 *   the AWS End User Messaging sender (SMS, VOICE) where they are configured, and for any other channel type
 *   log-sender.ts, which writes the message to the function's log.
 *
 * Sending happens after the write that makes the message valid (the channel with the code's hash), so a failed send
 * leaves a channel that SendActivationCode can retry, never a delivered code the store does not know.
 *
 * The send contract, for providers (pages depend on it; activation codes only need "resolves or throws"):
 * - resolve with a SendResult (the provider's message id) = the provider accepted the message: the page gets a SENT
 *   receipt;
 * - throw MessageDeliveryError with `retryable: false` = this address cannot be reached this way (invalid number,
 *   opted out, suppressed address): an ERROR receipt and no retry;
 * - throw anything else (throttling, a timeout, a 5xx, MessageDeliveryError with `retryable: true`) = a transient
 *   failure: an ERROR receipt, and the engagement engine re-sends after the channel target's RetryIntervalInMinutes.
 * Providers never retry by themselves over minutes: the engine owns the retry schedule, so a retried send is a new,
 * recorded delivery attempt and never a duplicate page (lambdas/core/contacts/engagements/worker.ts).
 */
import { randomInt } from 'node:crypto';
import type { ChannelType } from './ports.ts';

/**
 * ACTIVATION_CODE: a channel's activation code. PAGE: a page of an engagement (with its acknowledgement code). REPLY:
 * the answer to an SMS a responder sent (their acknowledgement, or why it matched nothing).
 */
export type MessagePurpose = 'ACTIVATION_CODE' | 'PAGE' | 'REPLY';

export interface OutboundMessage {
  purpose: MessagePurpose;
  channelType: ChannelType;
  /** Where to deliver: an E.164 number for SMS and VOICE, an email address for EMAIL. */
  address: string;
  /** The contact and channel the message goes to (a REPLY to a number no page went to has neither). */
  contactArn?: string;
  contactChannelArn?: string;
  /** EMAIL subject line (SMS and VOICE providers ignore it). */
  subject: string;
  /** The text as the recipient gets it (spoken by VOICE providers). */
  text: string;
  /** The activation code, as structured data (the text carries it too). */
  activationCode?: string;
  /** PAGE: the code that acknowledges the page (AcceptPage's AcceptCode); the text carries it too. */
  acceptCode?: string;
  /** PAGE: the page's ARN (a provider may tag the message with it, so delivery events can name the page). */
  pageArn?: string;
  /** PAGE: the engagement the page belongs to. */
  engagementArn?: string;
  /** PAGE: the engagement's IncidentId, when it has one. */
  incidentId?: string;
  /** PAGE: the delivery attempt (1 for the first send, 2+ for re-sends after RetryIntervalInMinutes). */
  attempt?: number;
  /** PAGE (EMAIL): the signed acknowledge link the text carries. */
  acknowledgeLink?: string;
  /** Epoch ms. */
  createdTime: number;
}

export interface MessageSender {
  /**
   * Hands one message to the provider: resolves with the provider's receipt once the provider accepted it (a SENT
   * receipt, not proof of delivery), or throws, preferably a MessageDeliveryError saying whether a retry may help.
   * The caller's write has already happened.
   */
  send(message: OutboundMessage): Promise<SendResult>;
}

/** Routes each message to the sender for its channel type (e.g. SES for EMAIL, End User Messaging for SMS/VOICE). */
export const byChannelType = (senders: Record<ChannelType, MessageSender>): MessageSender => ({
  send: (message) => senders[message.channelType].send(message),
});

/** A fresh 6-digit activation code (uniformly random, leading zeros kept). */
export const newActivationCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

export const activationMessage = (
  channel: { type: ChannelType; address: string; contactArn: string; arn: string; name: string },
  code: string,
  now: number,
): OutboundMessage => ({
  purpose: 'ACTIVATION_CODE',
  channelType: channel.type,
  address: channel.address,
  contactArn: channel.contactArn,
  contactChannelArn: channel.arn,
  subject: 'Incident Manager contact channel activation code',
  text:
    channel.type === 'VOICE'
      ? `Your Incident Manager activation code is ${code.split('').join(' ')}. Again: ${code.split('').join(' ')}.`
      : `Your Incident Manager activation code for contact channel "${channel.name}" is ${code}.`,
  activationCode: code,
  createdTime: now,
});

/** What a provider returns when it accepted a message: the engine records it as a SENT receipt. */
export interface SendResult {
  /** Which sender accepted it: `ses`, `sms-voice` (AWS End User Messaging), `log` or `local-outbox`. */
  provider: string;
  /** The provider's id for the message (SES / End User Messaging MessageId; a generated id for log and outbox). */
  providerMessageId: string;
}

/**
 * Why a send failed. THROTTLED, PROVIDER_UNAVAILABLE (5xx), NETWORK and UNKNOWN are worth retrying (the paging engine
 * waits RetryIntervalInMinutes); the others fail the same way on every attempt until a person changes something.
 */
export type DeliveryFailureReason =
  | 'THROTTLED'
  | 'PROVIDER_UNAVAILABLE'
  | 'NETWORK'
  | 'UNKNOWN'
  | 'INVALID_ADDRESS'
  | 'OPTED_OUT'
  | 'REJECTED'
  | 'QUOTA_EXCEEDED'
  | 'NOT_AUTHORIZED'
  | 'CONFIGURATION';

export const RETRYABLE_DELIVERY_FAILURES: ReadonlySet<DeliveryFailureReason> = new Set([
  'THROTTLED',
  'PROVIDER_UNAVAILABLE',
  'NETWORK',
  'UNKNOWN',
]);

/** A send the provider did not accept, with whether trying again later may succeed. */
export class MessageDeliveryError extends Error {
  override readonly name = 'MessageDeliveryError';
  readonly provider: string;
  readonly reason: DeliveryFailureReason;
  readonly retryable: boolean;
  /** The provider's error name (e.g. `ThrottlingException`), when there was one. */
  readonly providerError?: string;

  constructor(options: {
    provider: string;
    reason: DeliveryFailureReason;
    message: string;
    /** @default whether `reason` is one of RETRYABLE_DELIVERY_FAILURES */
    retryable?: boolean;
    providerError?: string;
    cause?: unknown;
  }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.provider = options.provider;
    this.reason = options.reason;
    this.retryable = options.retryable ?? RETRYABLE_DELIVERY_FAILURES.has(options.reason);
    if (options.providerError !== undefined) this.providerError = options.providerError;
  }
}

/** Whether a failed send may succeed later: a MessageDeliveryError says so; anything else is assumed transient. */
export const isRetryableDeliveryFailure = (error: unknown): boolean =>
  error instanceof MessageDeliveryError ? error.retryable : true;
