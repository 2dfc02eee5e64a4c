/**
 * Time in runbooks: `aws:sleep` durations and timestamps, and the waits of manual steps. Everything an execution waits
 * for is stored as an absolute deadline, so a restart of the local runtime waits only for what is left.
 * LOCAL_TIME_SCALE divides runbook time (sleeps, pause and approval timeouts); scripts and API calls run in real time.
 */

/** The longest aws:sleep AWS allows (just under 7 days). */
export const MAX_SLEEP_SECONDS = 604_799;
/** aws:pause and aws:approve wait 7 days by default, at most 30. */
export const DEFAULT_WAIT_SECONDS = 604_800;
export const MAX_WAIT_SECONDS = 2_592_000;
/** aws:executeScript runs at most 600 s; an aws:executeAwsApi call at most 25 s. */
export const MAX_SCRIPT_SECONDS = 600;
export const API_CALL_SECONDS = 25;

const DURATION = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** `PnDTnHnMnS` in seconds; years, months, weeks and negative durations are refused. */
export function durationSeconds(text: string): number {
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T'))
    throw new Error(`Duration '${text}' is not an ISO 8601 duration such as PT10M or P1DT2H.`);
  const [, d, h, m, s] = match.map((part) => Number(part ?? 0));
  const seconds = (d ?? 0) * 86_400 + (h ?? 0) * 3_600 + (m ?? 0) * 60 + (s ?? 0);
  if (seconds > MAX_SLEEP_SECONDS)
    throw new Error(`Duration '${text}' is longer than the ${MAX_SLEEP_SECONDS} seconds aws:sleep allows.`);
  return seconds;
}

/** An ISO 8601 instant with a zone (`Z` or an offset), in epoch milliseconds. */
export function timestampMillis(text: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text))
    throw new Error(`Timestamp '${text}' is not an ISO 8601 instant with a zone, such as 2030-01-01T01:00:00Z.`);
  const millis = Date.parse(text);
  if (Number.isNaN(millis)) throw new Error(`Timestamp '${text}' is not a valid instant.`);
  return millis;
}

/** The clock an engine runs on; tests and LOCAL_TIME_SCALE change how fast runbook time passes. */
export interface RunbookClock {
  now(): number;
  /** Real milliseconds for this many runbook seconds. */
  realMillis(runbookSeconds: number): number;
}

export const scaledClock = (timeScale: number): RunbookClock => ({
  now: () => Date.now(),
  realMillis: (seconds) => (seconds * 1000) / timeScale,
});
