/** Storage vocabulary every capability's ports share: clientToken keys, pages, versions, tags. */

/** A clientToken, scoped to one operation, with a hash of the request it came with. */
export interface IdempotencyKey {
  operation: string;
  token: string;
  inputHash: string;
}

export type Tags = Record<string, string>;

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** A stored record together with the version an optimistic update must match. */
export interface Versioned<T> {
  record: T;
  version: number;
}

/** The clientToken records every store keeps (written inside the transactions they guard). */
export interface IdempotencyRecords {
  /**
   * The result the first request with this key stored, or undefined when there is none (or it expired). A key whose
   * token was used with other input is a ConflictError.
   */
  recordedResult(key: IdempotencyKey, now: number): Promise<{ result: unknown } | undefined>;
}
