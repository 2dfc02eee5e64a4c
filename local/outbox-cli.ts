/**
 * `npm run outbox`: what the local runtime "sent" (pages and activation codes), read from `<data dir>/outbox.jsonl`
 * (the running runtime's, else DATA_DIR's) or, for a runtime started with --in-memory, from the runtime itself; oldest
 * first: time, contact, channel, type, subject, code and page ARN. `npm run outbox -- --json` prints the same
 * as a JSON array (for scripts); `-- --pages` keeps pages only; `-- --notifications` lists the SNS notifications
 * instead (`<data dir>/notifications.jsonl`, each exactly as it would be published). With a data folder the runtime
 * does not need to be running.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { OutboundMessage } from '#core/contacts/messaging.ts';
import { type CliSpec, parseCli } from './cli.ts';
import { askRunningRuntime } from './outbox-route.ts';
import { LOCAL_DEFAULTS, readLocalSettings } from './settings.ts';

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

const CLI_SPEC: CliSpec = {
  usage: 'npm run outbox [-- options]',
  description: [
    'Lists what the local runtime sent instead of SMS, voice calls, email and SNS (oldest first): the running',
    `runtime's (at PORT, default ${LOCAL_DEFAULTS.port}; also one started with --in-memory), else the files in DATA_DIR`,
    `(default ${LOCAL_DEFAULTS.dataDir}). An explicit DATA_DIR is always read as it is.`,
  ].join('\n'),
  options: {
    pages: { help: 'pages only (no activation codes)' },
    notifications: { help: 'SNS notifications (topic, subject, event type, incident) instead of messages' },
    json: { help: 'print JSON (messages as rows; notifications exactly as published)' },
  },
};

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

/** Where the outbox is read from: files in a data folder, or what an in-memory runtime answered. */
type OutboxSource =
  | { kind: 'files'; outboxFile: string; notificationsFile: string }
  | { kind: 'memory'; url: string; messages: string; notifications: string };

const filesIn = (dataDir: string): OutboxSource => ({
  kind: 'files',
  outboxFile: join(dataDir, 'outbox.jsonl'),
  notificationsFile: join(dataDir, 'notifications.jsonl'),
});

async function outboxSource(env: NodeJS.ProcessEnv): Promise<OutboxSource> {
  const settings = readLocalSettings(env, []);
  // An explicit folder is the user's choice (and keeps scripts and tests independent of whatever runs at PORT).
  if (env.DATA_DIR && settings.dataDir) return filesIn(settings.dataDir);
  const url = `http://${LOCAL_DEFAULTS.host}:${settings.port}`;
  const running = await askRunningRuntime(url);
  if (running?.outboxFile)
    return {
      kind: 'files',
      outboxFile: running.outboxFile,
      notificationsFile: running.notificationsFile ?? join(dirname(running.outboxFile), 'notifications.jsonl'),
    };
  if (running)
    return {
      kind: 'memory',
      url,
      messages: (running.messages ?? []).map((m) => JSON.stringify(m)).join('\n'),
      notifications: (running.notifications ?? []).map((n) => JSON.stringify(n)).join('\n'),
    };
  if (!settings.dataDir)
    throw new Error(
      `The outbox is off: IN_MEMORY is set and no local runtime answers at ${url}. A runtime started with --in-memory ` +
        'keeps its outbox in memory only: run npm run outbox while it runs (same PORT), or start it without IN_MEMORY ' +
        'to keep the outbox in DATA_DIR.',
    );
  return filesIn(settings.dataDir);
}

const readIfThere = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');

async function main() {
  const { values } = parseCli(process.argv.slice(2), CLI_SPEC);
  let source: OutboxSource;
  try {
    source = await outboxSource(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  const where = source.kind === 'files' ? undefined : `the in-memory runtime at ${source.url}`;
  if (where) console.error(`(from ${where}: its newest messages, kept in memory only)`);
  if (values.notifications) {
    const text = source.kind === 'files' ? readIfThere(source.notificationsFile) : source.notifications;
    const { rows, published } = notificationRows(text);
    if (values.json) console.log(JSON.stringify(published, null, 2));
    else if (rows.length === 0)
      console.error(`No notification yet (${source.kind === 'files' ? source.notificationsFile : where}).`);
    else
      console.log(
        table(
          ['TIME', 'TOPIC', 'EVENT', 'SUBJECT'],
          rows.map((r) => [r.time, r.topic, r.eventType, r.subject]),
        ),
      );
    return;
  }
  let rows = outboxRows(source.kind === 'files' ? readIfThere(source.outboxFile) : source.messages);
  if (values.pages) rows = rows.filter((r) => r.type === 'PAGE');
  if (values.json) {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  if (rows.length === 0) {
    console.error(`Nothing in the outbox yet (${source.kind === 'files' ? source.outboxFile : where}).`);
    return;
  }
  console.log(formatOutboxTable(rows));
}

if (import.meta.url === `file://${process.argv[1]}`) void main();
