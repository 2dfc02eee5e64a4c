/**
 * `GET /_local/outbox` on the local endpoint (no counterpart in AWS): where this runtime's outboxes are (messages,
 * SNS notifications, integration events), and, when it runs in memory (`npm start -- --in-memory`), what it kept.
 * `npm run outbox` and `npm run events` ask it so that they read what the runtime actually running sent (its
 * DATA_DIR, or its memory) rather than a file from another run that says nothing new.
 */

import type { OutboundMessage } from '#core/contacts/messaging.ts';
import type { ApiHandler } from '#handlers/incidents-api.ts';
import type { DeliveredEvent } from './event-log.ts';
import type { PublishedNotification } from './notification-outbox.ts';

export const LOCAL_OUTBOX_PATH = '/_local/outbox';

export interface LocalOutboxAnswer {
  /** `<data dir>/outbox.jsonl` and `notifications.jsonl`; absent in memory. */
  outboxFile?: string;
  notificationsFile?: string;
  eventsFile?: string;
  /** In memory only: the newest messages, notifications and events the runtime kept (1,000, 5,000, 10,000). */
  messages?: OutboundMessage[];
  notifications?: PublishedNotification[];
  events?: DeliveredEvent[];
}

/** What the runtime at `url` says about its outboxes; undefined when none answers. */
export async function askRunningRuntime(url: string): Promise<LocalOutboxAnswer | undefined> {
  try {
    const response = await fetch(`${url}${LOCAL_OUTBOX_PATH}`, { signal: AbortSignal.timeout(3000) });
    return response.ok ? ((await response.json()) as LocalOutboxAnswer) : undefined;
  } catch {
    return undefined;
  }
}

export const outboxRoute =
  (answer: () => LocalOutboxAnswer): ApiHandler =>
  async () => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify(answer()),
  });
