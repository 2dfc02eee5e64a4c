/** Timestamps are epoch milliseconds inside the system and epoch seconds (fractions allowed) on the wire. */
export const toEpochSeconds = (millis: number): number => millis / 1000;

/** Fixed-width, sortable text form of a millisecond timestamp, for DynamoDB sort keys. */
export const sortableMillis = (millis: number): string => String(Math.max(0, Math.trunc(millis))).padStart(15, '0');
