/**
 * Progress of a long phase of a command-line script (`npm run bench*`, `npm run migrate:table`), on stderr only:
 * stdout is the script's data. With a known total it reads `seeding 20000 incidents: 8000/20000 (40%), about 35 s
 * left`, the estimate from the rate observed so far; without one, `scanning: 8000 items, 400/s`. It prints at most
 * every two seconds and once at the end with the elapsed time. On a terminal it rewrites one line; elsewhere (CI
 * logs, a file) it prints plain lines.
 *
 * `tick()` only counts unless a line is due, and writing a line is one synchronous write to stderr: call it after a
 * timed call, never between a timer's start and stop, so the progress does not show in what a benchmark measures.
 */

/** Where lines go: process.stderr, or a test's collector. */
export interface ProgressWriter {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  /** How many units the phase has; absent when unknown (a count and a rate are shown instead of an estimate). */
  total?: number;
  /** What is counted, for an unknown total (`items`); default `done`. */
  unit?: string;
  /** Default process.stderr. */
  writer?: ProgressWriter;
  /** Milliseconds; default Date.now. */
  now?: () => number;
  /** Least time between two lines, default 2 s. */
  intervalMs?: number;
}

export interface Progress {
  /** Counts `count` more units done (default 1) and prints a line if one is due. */
  tick(count?: number): void;
  /** Sets the units done (for callbacks that report a running count) and prints a line if one is due. */
  update(done: number): void;
  /** Prints the final line with the elapsed time (`stopped` when the work failed); later calls do nothing. */
  finish(outcome?: 'done' | 'stopped'): void;
}

const DEFAULT_INTERVAL_MS = 2000;

/** `35 s`, `4 min 10 s`, `1 h 5 min`: whole seconds are precise enough for a human waiting. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Elapsed time of a finished phase: tenths below a minute, since short phases are the common case. */
const formatElapsed = (ms: number) => (ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : formatDuration(ms));

const formatRate = (perSecond: number) =>
  perSecond >= 10 ? String(Math.round(perSecond)) : perSecond.toFixed(1).replace(/\.0$/, '');

export function startProgress(phase: string, options: ProgressOptions = {}): Progress {
  const writer = options.writer ?? process.stderr;
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const { total, unit = 'done' } = options;
  const tty = writer.isTTY === true;
  const started = now();
  let lastLineAt = started;
  let done = 0;
  let finished = false;

  const describe = (elapsed: number, outcome?: 'done' | 'stopped') => {
    const rate = elapsed > 0 ? (done * 1000) / elapsed : 0;
    const ending =
      outcome === 'stopped' ? `, stopped after ${formatElapsed(elapsed)}` : ` in ${formatElapsed(elapsed)}`;
    if (total === undefined) {
      const counted = `${phase}: ${done} ${unit}`;
      return outcome ? `${counted}${ending}` : `${counted}, ${formatRate(rate)}/s`;
    }
    const percent = total > 0 ? Math.floor((Math.min(done, total) * 100) / total) : 100;
    const counted = `${phase}: ${done}/${total} (${percent}%)`;
    if (outcome) return `${counted}${ending}`;
    // Nothing done yet: no rate to estimate from; all done (the end not yet reported): nothing left to estimate.
    if (rate === 0 || done >= total) return counted;
    return `${counted}, about ${formatDuration(((total - done) / rate) * 1000)} left`;
  };

  // On a terminal one line is rewritten (\r, then erase to the end of the line); the last one ends it.
  const print = (line: string, final: boolean) => {
    if (tty) writer.write(`\r${line}\x1b[K${final ? '\n' : ''}`);
    else writer.write(`${line}\n`);
  };

  const maybePrint = () => {
    if (finished) return;
    const at = now();
    if (at - lastLineAt < intervalMs) return;
    lastLineAt = at;
    print(describe(at - started), false);
  };

  return {
    tick(count = 1) {
      done += count;
      maybePrint();
    },
    update(value) {
      done = value;
      maybePrint();
    },
    finish(outcome = 'done') {
      if (finished) return;
      finished = true;
      print(describe(now() - started, outcome), true);
    },
  };
}

/** Runs `work` with a progress line for it, finished whether the work succeeds or fails. */
export async function withProgress<T>(
  phase: string,
  options: ProgressOptions,
  work: (progress: Progress) => Promise<T>,
): Promise<T> {
  const progress = startProgress(phase, options);
  try {
    const result = await work(progress);
    progress.finish();
    return result;
  } catch (error) {
    progress.finish('stopped');
    throw error;
  }
}
