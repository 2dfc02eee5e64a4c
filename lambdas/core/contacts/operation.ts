/** What every ssm-contacts operation receives, and helpers they share. */
import { canonicalJson, sha256Hex } from '#core/shared/ids.ts';
import type { RequestContext } from '#core/shared/service-context.ts';
import type { IdempotencyKey } from '#core/shared/storage.ts';
import type { EngagementServices } from './engagements/model.ts';
import type { MessageSender } from './messaging.ts';
import type { ContactsStore } from './ports.ts';

export interface ContactsDependencies {
  store: ContactsStore;
  messages: MessageSender;
  /** Engagements and pages (StartEngagement, AcceptPage, ..., and the workflow's worker). */
  engagements?: EngagementServices;
}

/** An operation takes the request body (the whole input, awsJson1_1) and returns the output members. */
export type ContactsOperation = (deps: ContactsDependencies, ctx: RequestContext, input: unknown) => Promise<object>;

/**
 * The idempotency key of a request carrying an IdempotencyToken; the hash covers every other member. Keys are
 * scoped by service and operation, so they never meet ssm-incidents clientTokens in the shared table.
 */
export const contactsIdempotencyKey = (
  operation: string,
  input: { IdempotencyToken?: string } & Record<string, unknown>,
): IdempotencyKey | undefined => {
  if (!input.IdempotencyToken) return undefined;
  const { IdempotencyToken, ...rest } = input;
  return { operation: `ssm-contacts:${operation}`, token: IdempotencyToken, inputHash: sha256Hex(canonicalJson(rest)) };
};
