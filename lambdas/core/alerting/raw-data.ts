/**
 * triggerDetails.rawData holds the event as JSON, at most 10,000 characters. Runbooks parse it (the AWS runbook
 * tutorial reads the alarm's dimensions from it), so an oversized event is trimmed by dropping its bulkiest
 * optional parts while it stays valid JSON; only as a last resort is it cut, and then it says so.
 */
export const MAX_RAW_DATA = 10_000;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Paths removed in order, least useful first. */
const DROPPABLE: readonly (readonly string[])[] = [
  ['detail', 'previousState', 'reasonData'],
  ['detail', 'state', 'reasonData'],
  ['alarmData', 'previousState', 'reasonData'],
  ['alarmData', 'state', 'reasonData'],
  ['detail', 'previousState'],
  ['alarmData', 'previousState'],
  ['detail', 'alarmTags'],
  ['alarmData', 'alarmTags'],
  ['detail', 'configuration', 'description'],
  ['alarmData', 'configuration', 'description'],
];

const without = (value: Json, path: readonly string[]): Json => {
  const [head, ...rest] = path;
  if (head === undefined || !(head in value)) return value;
  if (rest.length === 0) {
    const { [head]: _removed, ...kept } = value;
    return kept;
  }
  const child = value[head];
  return isObject(child) ? { ...value, [head]: without(child, rest) } : value;
};

export function rawDataOf(event: unknown): string {
  const original = JSON.stringify(event) ?? 'null';
  let text = original;
  if (text.length <= MAX_RAW_DATA) return text;
  if (isObject(event)) {
    let trimmed: Json = event;
    for (const path of DROPPABLE) {
      trimmed = without(trimmed, path);
      text = JSON.stringify(trimmed);
      if (text.length <= MAX_RAW_DATA) return text;
    }
  }
  // Still too large (a huge `detail`): keep valid JSON that says it was cut, with as much of the event as fits.
  const envelope = (prefix: string) => JSON.stringify({ truncated: true, originalLength: original.length, prefix });
  let size = MAX_RAW_DATA - 200;
  let cut = envelope(text.slice(0, size));
  // Escaping can grow the prefix; shrink until it fits.
  while (cut.length > MAX_RAW_DATA && size > 0) {
    size -= cut.length - MAX_RAW_DATA + 50;
    cut = envelope(text.slice(0, Math.max(0, size)));
  }
  return cut;
}
