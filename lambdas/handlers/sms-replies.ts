/**
 * SMS replies: AWS End User Messaging publishes each inbound SMS to the stack's two-way SNS topic, which invokes this
 * function (lib/constructs/sms-replies.ts); locally `npm run reply` invokes the same handler through the local
 * Lambda Invoke path. Each message is acknowledged through AcceptPage's core and answered in one SMS segment.
 *
 * A message that is not a two-way SMS payload is logged and skipped (retrying cannot fix it); a storage error is
 * thrown, so Lambda's asynchronous retries (and then the function's dead-letter queue) take the message again, where
 * the acknowledgement, written once, is found done.
 */
import middy from '@middy/core';
import type { Context, SNSEvent } from 'aws-lambda';
import { withEngagements } from '#core/contacts/engagements/engine.ts';
import {
  acknowledgeBySmsReply,
  type InboundSms,
  type ReplyResult,
} from '#core/contacts/engagements/responder-acknowledgements.ts';
import { logger } from '#runtime/logger.ts';
import { contactsOf } from '#runtime/paging.ts';
import type { CompositionRoot } from '#runtime/root.ts';

export type SmsRepliesHandler = (event: SNSEvent, context: Context) => Promise<{ replies: ReplyResult[] }>;

/** The two-way SMS payload (End User Messaging's documented JSON), or undefined when it is not one. */
export function inboundSmsOf(message: string): InboundSms | undefined {
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(message) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const { originationNumber, destinationNumber, messageBody, inboundMessageId } = payload ?? {};
  if (typeof originationNumber !== 'string' || !/^\+\d{6,15}$/.test(originationNumber)) return undefined;
  if (typeof messageBody !== 'string') return undefined;
  return {
    from: originationNumber,
    body: messageBody.slice(0, 1600),
    ...(typeof destinationNumber === 'string' ? { to: destinationNumber } : {}),
    ...(typeof inboundMessageId === 'string' ? { messageId: inboundMessageId } : {}),
  };
}

export function createSmsRepliesHandler(root: CompositionRoot): SmsRepliesHandler {
  const handle = async (event: SNSEvent): Promise<{ replies: ReplyResult[] }> => {
    const deps = withEngagements(contactsOf(root));
    const replies: ReplyResult[] = [];
    for (const record of event.Records ?? []) {
      const sms = inboundSmsOf(record.Sns?.Message ?? '');
      if (!sms) {
        logger.warn('an SNS message that is not a two-way SMS was skipped', { messageId: record.Sns?.MessageId });
        continue;
      }
      const ctx = { ...root.service, caller: { principalArn: 'sms-reply' }, now: Date.now() };
      const result = await acknowledgeBySmsReply(deps, ctx, sms);
      // The sender's number is personal data: the log keeps the outcome and the pages, not the number or the text.
      logger.info('SMS reply handled', {
        outcome: result.outcome,
        pageArns: result.pageArns,
        inboundMessageId: sms.messageId,
      });
      replies.push(result);
    }
    return { replies };
  };
  return middy<SNSEvent, { replies: ReplyResult[] }>().use(root.observability.middlewares()).handler(handle);
}
