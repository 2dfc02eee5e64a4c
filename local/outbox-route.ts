/**
 * `GET /_local/outbox` on the local endpoint (no counterpart in AWS): where this runtime's outbox is, and, when it
 * runs in memory (`npm start -- --in-memory`), the messages and notifications it kept. `npm run outbox` asks it so
 * that it reads the outbox of the runtime actually running (its DATA_DIR, or its memory) rather than a file from
 * another run that says nothing new.
 */

import type { OutboundMessage } from '#core/contacts/messaging.ts';
import type { ApiHandler } from '#handlers/incidents-api.ts';
import type { PublishedNotification } from './notification-outbox.ts';

export const LOCAL_OUTBOX_PATH = '/_local/outbox';

export interface LocalOutboxAnswer {
  /** `<data dir>/outbox.jsonl` and `notifications.jsonl`; absent in memory. */
  outboxFile?: string;
  notificationsFile?: string;
  /** In memory only: the newest messages and notifications the runtime kept (1,000 and 5,000). */
  messages?: OutboundMessage[];
  notifications?: PublishedNotification[];
}

export const outboxRoute =
  (answer: () => LocalOutboxAnswer): ApiHandler =>
  async () => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify(answer()),
  });
