/**
 * Error-level log lines a test causes on purpose. The handlers log JSON lines (Powertools Logger) straight to the
 * process's stdout/stderr, so in the integration tests, where the local runtime runs inside the test process, an
 * error logged by a handler lands in the run's output. A green run must print none that is not the point of a test:
 * a test that makes a handler log an error captures that line and asserts it, and it is not printed.
 *
 *   const errors = captureErrorLogs();
 *   ... act, wait until the handler has run ...
 *   expect(errors).toEqual([expect.objectContaining({ message: 'trigger rejected' })]);
 *
 * Capture ends when the test finishes. Lines of other levels, and error lines while no test captures, pass through.
 */
import { onTestFinished } from 'vitest';

export interface LogLine {
  level: string;
  message: string;
  [key: string]: unknown;
}

const capturing = new Set<LogLine[]>();
let installed = false;

/** An error-level JSON log line (one line of a Powertools write), or undefined for anything else. */
const errorLineOf = (text: string): LogLine | undefined => {
  if (!text.startsWith('{"level":"ERROR"')) return undefined;
  try {
    return JSON.parse(text) as LogLine;
  } catch {
    return undefined;
  }
};

function install() {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (capturing.size > 0) {
        const line = errorLineOf(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
        if (line) {
          for (const lines of capturing) lines.push(line);
          const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
          done?.();
          return true;
        }
      }
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
  installed = true;
}

/** Collects the error-level log lines written from now until the current test finishes (instead of printing them). */
export function captureErrorLogs(): LogLine[] {
  if (!installed) install();
  const lines: LogLine[] = [];
  capturing.add(lines);
  onTestFinished(() => {
    capturing.delete(lines);
  });
  return lines;
}
