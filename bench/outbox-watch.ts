/** Waits for pages in the local runtime's outbox (the benchmarks' way to know that paging happened, and when). */
import { performance } from 'node:perf_hooks';
import type { OutboundMessage } from '#core/contacts/messaging.ts';
import type { LocalRuntime } from '#local/runtime.ts';

export type PageWaiter = (
  match: (message: OutboundMessage) => boolean,
  timeoutMs?: number,
) => Promise<{ at: number; message: OutboundMessage }>;

/**
 * Wraps the outbox's `send` once and returns a function that resolves when a page matching the filter arrives, with
 * the instant it arrived (`performance.now()`). Each page satisfies at most one waiter.
 */
export function watchPages(runtime: LocalRuntime): PageWaiter {
  const waiters: {
    match: (m: OutboundMessage) => boolean;
    resolve: (value: { at: number; message: OutboundMessage }) => void;
  }[] = [];
  const original = runtime.outbox.send.bind(runtime.outbox);
  runtime.outbox.send = async (message) => {
    const at = performance.now();
    const index = waiters.findIndex((w) => message.purpose === 'PAGE' && w.match(message));
    if (index >= 0) waiters.splice(index, 1)[0]?.resolve({ at, message });
    return original(message);
  };
  return (match, timeoutMs = 30_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no page within the timeout')), timeoutMs);
      waiters.push({
        match,
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
      });
    });
}
