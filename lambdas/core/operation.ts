/** What every ssm-incidents operation receives, and helpers they share. */
import { StaleVersionError } from './errors.ts';
import { canonicalJson, sha256Hex } from './ids.ts';
import type { IdempotencyKey, IncidentsStore } from './ports.ts';
import type { RequestContext } from './service-context.ts';
import { toEpochSeconds } from './time.ts';

export interface Dependencies {
  store: IncidentsStore;
}

/**
 * An operation takes the request's members (body, query and path label merged, as the model binds them) and
 * returns the output members, or undefined for operations whose success response has no body.
 */
export type Operation = (deps: Dependencies, ctx: RequestContext, input: unknown) => Promise<object | undefined>;

/** The idempotency key of a request carrying a clientToken; the hash covers every other member. */
export const idempotencyKeyOf = (
  operation: string,
  input: { clientToken?: string } & Record<string, unknown>,
): IdempotencyKey | undefined => {
  if (!input.clientToken) return undefined;
  const { clientToken, ...rest } = input;
  return { operation, token: clientToken, inputHash: sha256Hex(canonicalJson(rest)) };
};

/**
 * Runs a read-modify-write again when the store reports that the record changed since it was read, so concurrent
 * partial updates of one record (a responder's status change, a runbook's summary, a tag) all apply instead of all
 * but one failing with ConflictException. Each attempt re-reads; after the last one the conflict reaches the caller.
 */
export const retryOnStaleVersion = async <T>(attempt: () => Promise<T>, attempts = 8): Promise<T> => {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof StaleVersionError) || i >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 10 * 2 ** i)));
    }
  }
};

/** Drops undefined members so responses carry only what is set. */
export const compact = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

export const seconds = (millis: number | undefined) => (millis === undefined ? undefined : toEpochSeconds(millis));
