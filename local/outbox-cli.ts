/**
 * `npm run outbox`: what the local runtime "sent" (pages and activation codes), read from `<data dir>/outbox.jsonl`,
 * oldest first: time, contact, channel, type, subject, code and page ARN. `npm run outbox -- --json` prints the same
 * as a JSON array (for scripts); `-- --pages` keeps pages only; `-- --notifications` lists the SNS notifications
 * instead (`<data dir>/notifications.jsonl`, each exactly as it would be published). The runtime does not need to be
 * running.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OutboundMessage } from '#core/contacts/messaging.ts';
import { readLocalSettings } from './settings.ts';

export interface OutboxRow {
  time: string;
  contact: string;
  contactArn: string;
  channel: string;
  channelType: string;
  address: string;
  type: 'PAGE' | 'ACTIVATION_CODE' | 'REPLY';
  subject: string;
  code?: string;
  attempt?: number;
  pageArn?: string;
  engagementArn?: string;
  incidentId?: string;
  /** EMAIL pages: the acknowledge link (open it to acknowledge). */
  acknowledgeLink?: string;
}

/** Rows of an outbox file (JSON lines); unreadable lines are skipped. */
export function outboxRows(text: string): OutboxRow[] {
  const rows: OutboxRow[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let m: OutboundMessage;
    try {
      m = JSON.parse(line) as OutboundMessage;
    } catch {
      continue;
    }
    const code = m.acceptCode ?? m.activationCode;
    rows.push({
      time: new Date(m.createdTime).toISOString(),
      contact: (m.contactArn ?? '').slice((m.contactArn ?? '').lastIndexOf('/') + 1),
      contactArn: m.contactArn ?? '',
      channel: `${m.channelType} ${m.address}`,
      channelType: m.channelType,
      address: m.address,
      type: m.purpose,
      subject: m.subject,
      ...(code ? { code } : {}),
      ...(m.attempt ? { attempt: m.attempt } : {}),
      ...(m.pageArn ? { pageArn: m.pageArn } : {}),
      ...(m.engagementArn ? { engagementArn: m.engagementArn } : {}),
      ...(m.incidentId ? { incidentId: m.incidentId } : {}),
      ...(m.acknowledgeLink ? { acknowledgeLink: m.acknowledgeLink } : {}),
    });
  }
  return rows;
}

const COLUMNS: [string, (r: OutboxRow) => string][] = [
  ['TIME', (r) => r.time],
  ['CONTACT', (r) => r.contact],
  ['CHANNEL', (r) => r.channel],
  [
    'TYPE',
    (r) =>
      r.type === 'ACTIVATION_CODE'
        ? 'ACTIVATION'
        : r.type === 'REPLY'
          ? 'REPLY'
          : r.attempt && r.attempt > 1
            ? `PAGE#${r.attempt}`
            : 'PAGE',
  ],
  ['SUBJECT', (r) => (r.subject.length > 40 ? `${r.subject.slice(0, 39)}…` : r.subject)],
  ['CODE', (r) => r.code ?? ''],
  ['PAGE ARN', (r) => r.pageArn ?? ''],
];

export function formatOutboxTable(rows: OutboxRow[]): string {
  const cells = [COLUMNS.map(([title]) => title), ...rows.map((r) => COLUMNS.map(([, value]) => value(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '))
    .join('\n');
}

const USAGE = `Usage: npm run outbox [-- options]
  Lists what the local runtime sent instead of SMS, voice calls, email and SNS (oldest first).
  --pages          pages only (no activation codes)
  --notifications  SNS notifications (topic, subject, event type, incident) instead of messages
  --json           print JSON (messages as rows; notifications exactly as published)
  --help           this text`;

const FLAGS = new Set(['--pages', '--notifications', '--json', '--help', '-h']);

interface NotificationRow {
  time: string;
  topic: string;
  eventType: string;
  subject: string;
  thread: string;
}

/** Rows of a notifications file (JSON lines of PublishCommand inputs); unreadable lines are skipped. */
export function notificationRows(text: string): { rows: NotificationRow[]; published: Record<string, unknown>[] } {
  const rows: NotificationRow[] = [];
  const published: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const n = JSON.parse(line) as {
        time: string;
        TopicArn: string;
        Subject: string;
        Message: string;
        MessageAttributes: Record<string, { StringValue?: string }>;
      };
      published.push(n);
      rows.push({
        time: n.time,
        topic: n.TopicArn,
        eventType: n.MessageAttributes.eventType?.StringValue ?? '',
        subject: n.Subject,
        thread: (JSON.parse(n.Message) as { metadata?: { threadId?: string } }).metadata?.threadId ?? '',
      });
    } catch {}
  }
  return { rows, published };
}

function table(header: string[], rows: string[][]): string {
  const cells = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '))
    .join('\n');
}

function main() {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const unknown = args.filter((a) => !FLAGS.has(a));
  if (unknown.length) {
    console.error(`Unknown option(s): ${unknown.join(' ')}\n${USAGE}`);
    process.exit(2);
  }
  const settings = readLocalSettings(process.env, []);
  if (!settings.dataDir) {
    console.error(
      'IN_MEMORY is set: the outbox is kept in memory only. Unset IN_MEMORY, or read the [outbox] lines npm start prints.',
    );
    process.exit(1);
  }
  if (args.includes('--notifications')) {
    const file = join(settings.dataDir, 'notifications.jsonl');
    const { rows, published } = notificationRows(existsSync(file) ? readFileSync(file, 'utf8') : '');
    if (args.includes('--json')) console.log(JSON.stringify(published, null, 2));
    else if (rows.length === 0) console.error(`No notification yet (${file}).`);
    else
      console.log(
        table(
          ['TIME', 'TOPIC', 'EVENT', 'SUBJECT'],
          rows.map((r) => [r.time, r.topic, r.eventType, r.subject]),
        ),
      );
    return;
  }
  const file = join(settings.dataDir, 'outbox.jsonl');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  let rows = outboxRows(text);
  if (args.includes('--pages')) rows = rows.filter((r) => r.type === 'PAGE');
  if (args.includes('--json')) {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  if (rows.length === 0) {
    console.log(`Nothing in the outbox yet (${file}).`);
    return;
  }
  console.log(formatOutboxTable(rows));
}

if (import.meta.url === `file://${process.argv[1]}`) main();
