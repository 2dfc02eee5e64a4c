/** Timestamps are epoch milliseconds inside the system and epoch seconds (fractions allowed) on the wire. */
export const toEpochSeconds = (millis: number): number => millis / 1000;

/**
 * The instant a change to a stored record takes effect: the clock read when the change is applied (in each attempt
 * of an optimistic update), not when the request arrived, and at least 1 ms after the record's previous change. Two
 * concurrent updates of one incident therefore stamp lastModifiedTime, and their timeline events, in the order they
 * were committed: the record's lastModifiedTime is its newest update event's time, whatever the order the requests
 * arrived in and whatever the clocks of the functions that served them say.
 */
export const changeTime = (ctx: { now: number; clock?: () => number }, previousChange: number | undefined): number =>
  Math.max((ctx.clock ?? Date.now)(), ctx.now, (previousChange ?? 0) + 1);

/** Fixed-width, sortable text form of a millisecond timestamp, for DynamoDB sort keys. */
export const sortableMillis = (millis: number): string => String(Math.max(0, Math.trunc(millis))).padStart(15, '0');
