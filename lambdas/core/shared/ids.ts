import { createHash, randomUUID } from 'node:crypto';

/** Identifiers for incidents, timeline events, replication sets and policies (UUID-shaped, like the service's). */
export const newId = (): string => randomUUID();

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Canonical JSON (object keys sorted) so that two requests with the same members in a different order hash alike.
 */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
