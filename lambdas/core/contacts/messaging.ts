/**
 * The MessageSender port: how the contacts core hands a message (today: an activation code; later: engagement pages)
 * to whatever delivers it. The core builds the complete message, including the text a person receives, so a provider
 * only has to deliver it:
 *
 * - locally, local/outbox.ts keeps every message in memory, appends it to `<data dir>/outbox.jsonl` and prints it,
 *   so `npm start` shows the code and tests read it back;
 * - deployed, lambdas/adapters/messaging/log-sender.ts writes it to the function's log until a real provider is
 *   configured; an SES sender (EMAIL) and an AWS End User Messaging sender (SMS, VOICE) implement the same interface
 *   and are combined with `byChannelType`.
 *
 * Sending happens after the write that makes the message valid (the channel with the code's hash), so a failed send
 * leaves a channel that SendActivationCode can retry, never a delivered code the store does not know.
 */
import { randomInt } from 'node:crypto';
import type { ChannelType } from './ports.ts';

export type MessagePurpose = 'ACTIVATION_CODE';

export interface OutboundMessage {
  purpose: MessagePurpose;
  channelType: ChannelType;
  /** Where to deliver: an E.164 number for SMS and VOICE, an email address for EMAIL. */
  address: string;
  contactArn: string;
  contactChannelArn: string;
  /** EMAIL subject line (SMS and VOICE providers ignore it). */
  subject: string;
  /** The text as the recipient gets it (spoken by VOICE providers). */
  text: string;
  /** The activation code, as structured data (the text carries it too). */
  activationCode?: string;
  /** Epoch ms. */
  createdTime: number;
}

export interface MessageSender {
  /** Delivers one message or throws; the caller's write has already happened. */
  send(message: OutboundMessage): Promise<void>;
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
