/**
 * The deployed MessageSender for a channel type without a delivery provider: each message becomes one warning line in
 * the function's CloudWatch log (the account's own log group), so an operator can read an activation code from there.
 * That puts codes (and later page texts) into CloudWatch Logs: it is meant for first trials only. create-sender.ts
 * uses it per channel type until SES (EMAIL) or AWS End User Messaging (SMS, VOICE) is configured.
 */
import { randomUUID } from 'node:crypto';
import type { MessageSender, OutboundMessage, SendResult } from '#core/contacts/messaging.ts';
import { logger } from '#runtime/logger.ts';

export class LogMessageSender implements MessageSender {
  async send(message: OutboundMessage): Promise<SendResult> {
    const providerMessageId = `log-${randomUUID()}`;
    logger.warn('message not delivered: no delivery provider is configured, so it is written to this log instead', {
      purpose: message.purpose,
      channelType: message.channelType,
      address: message.address,
      contactChannelArn: message.contactChannelArn,
      text: message.text,
      providerMessageId,
    });
    return { provider: 'log', providerMessageId };
  }
}
