/** Helpers every operation of every API shares: idempotency keys, optimistic-update retries, output shaping. */
import { isDomainError, StaleVersionError } from './errors.ts';
import { canonicalJson, sha256Hex } from './ids.ts';
import type { IdempotencyKey, IdempotencyRecords } from './storage.ts';
import { toEpochSeconds } from './time.ts';

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
 * Runs an operation that carries a clientToken / IdempotencyToken so that a retry always gets the first call's
 * answer, also when the state that call changed would now make the request fail: the Region it added is in the
 * replication set, the override's start has passed, the resource was deleted since. On success the token is checked
 * by the write itself (the record is written in the same transaction, and a replay writes nothing); when the
 * operation fails with a domain error (validation against the current state, not found, conflict), the token is
 * looked up before the error is returned, and a recorded result wins. A request that was never carried out gets its
 * error. `replay` turns the stored result into the operation's output (and may redo a side effect that is safe to
 * repeat, such as starting an execution by name).
 */
export const idempotent = async <T>(
  records: IdempotencyRecords,
  key: IdempotencyKey | undefined,
  now: number,
  run: () => Promise<T>,
  replay: (stored: unknown) => T | Promise<T>,
): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    if (!key || !isDomainError(error)) throw error;
    const recorded = await records.recordedResult(key, now);
    if (!recorded) throw error;
    return replay(recorded.result);
  }
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
