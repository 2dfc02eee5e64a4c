/**
 * The deployed MessageSender until a delivery provider is configured: each message becomes one warning line in the
 * function's CloudWatch log (the account's own log group), so an operator can read an activation code from there.
 * SES (EMAIL) and AWS End User Messaging (SMS, VOICE) senders implement the same port and replace this one through
 * `byChannelType` (lambdas/core/contacts/messaging.ts).
 */
import type { MessageSender, OutboundMessage } from '#core/contacts/messaging.ts';
import { logger } from '#runtime/logger.ts';

export class LogMessageSender implements MessageSender {
  async send(message: OutboundMessage): Promise<void> {
    logger.warn('message not delivered: no delivery provider is configured, so it is written to this log instead', {
      purpose: message.purpose,
      channelType: message.channelType,
      address: message.address,
      contactChannelArn: message.contactChannelArn,
      text: message.text,
    });
  }
}
