/** What every ssm-incidents operation receives, and helpers they share. */
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

/** Drops undefined members so responses carry only what is set. */
export const compact = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

export const seconds = (millis: number | undefined) => (millis === undefined ? undefined : toEpochSeconds(millis));
