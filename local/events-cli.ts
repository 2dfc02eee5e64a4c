/**
 * `npm run events`: the integration events the local runtime put on its stand-in for the EventBridge bus
 * (`<data dir>/events.jsonl`), as EventBridge delivers them to rule targets. Prints the last ones (time, detail-type,
 * incident, resources); `--json` prints them whole, one JSON object per line; `--follow` keeps printing new ones as
 * they arrive. Read from the running runtime's data folder (or DATA_DIR's when set; then the runtime need not run),
 * or asked from a runtime started with --in-memory.
 */
import { existsSync, readFileSync, statSync, watchFile } from 'node:fs';
import { join } from 'node:path';
import type { DeliveredEvent } from './event-log.ts';
import { askRunningRuntime } from './outbox-route.ts';
import { LOCAL_DEFAULTS, readLocalSettings } from './settings.ts';

const USAGE = `Usage: npm run events [-- options]
  Prints the integration events put on the local bus (as EventBridge delivers them to targets), oldest first.
  --limit N       the last N events (default 20; 0 = all)
  --follow, -f    keep printing events as they arrive (Ctrl-C to stop)
  --json          one JSON event per line, whole
  --help          this text`;

export function parseEventsArgs(args: string[]): { limit: number; follow: boolean; json: boolean } | 'help' | string {
  const options = { limit: 20, follow: false, json: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--follow' || arg === '-f') options.follow = true;
    else if (arg === '--json') options.json = true;
    else if (arg === '--limit') {
      const value = Number(args[++i]);
      if (!Number.isInteger(value) || value < 0) return `--limit takes a whole number, got ${args[i]}`;
      options.limit = value;
    } else return `Unknown option: ${arg}`;
  }
  return options;
}

const eventsIn = (text: string): DeliveredEvent[] =>
  text
    .split('\n')
    .filter((line) => line.trim())
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as DeliveredEvent];
      } catch {
        return [];
      }
    });

export const describeEvent = (e: DeliveredEvent): string => {
  const incident = (e.detail.incident as { id?: string; title?: string } | undefined) ?? {};
  const what = incident.title ? `${incident.id} ${JSON.stringify(incident.title)}` : (incident.id ?? '');
  return `${e.time}  ${e['detail-type'].padEnd(22)}  ${what}`.trimEnd();
};

type Options = Exclude<ReturnType<typeof parseEventsArgs>, string>;

/** Where the events are read from: a file in a data folder, or an in-memory runtime asked over HTTP. */
type EventsSource = { kind: 'file'; file: string } | { kind: 'memory'; url: string; events: DeliveredEvent[] };

async function eventsSource(env: NodeJS.ProcessEnv): Promise<EventsSource> {
  const settings = readLocalSettings(env, []);
  // An explicit folder is the user's choice; otherwise the runtime running at PORT says where its events are.
  if (env.DATA_DIR && settings.dataDir) return { kind: 'file', file: join(settings.dataDir, 'events.jsonl') };
  const url = `http://${LOCAL_DEFAULTS.host}:${settings.port}`;
  const running = await askRunningRuntime(url);
  if (running?.eventsFile) return { kind: 'file', file: running.eventsFile };
  if (running) return { kind: 'memory', url, events: running.events ?? [] };
  if (!settings.dataDir)
    throw new Error(
      `Events are off: IN_MEMORY is set and no local runtime answers at ${url}. A runtime started with --in-memory ` +
        'keeps its events in memory only: run npm run events while it runs (same PORT), or start it without ' +
        'IN_MEMORY to keep them in events.jsonl.',
    );
  return { kind: 'file', file: join(settings.dataDir, 'events.jsonl') };
}

/** An in-memory runtime's events; --follow asks it again every second for the ones not printed yet. */
async function showFromMemory(source: Extract<EventsSource, { kind: 'memory' }>, options: Options) {
  const print = (e: DeliveredEvent) => console.log(options.json ? JSON.stringify(e) : describeEvent(e));
  console.error(`(from the in-memory runtime at ${source.url}: its newest events, kept in memory only)`);
  const shown = options.limit === 0 ? source.events : source.events.slice(-options.limit);
  if (shown.length === 0 && !options.follow) console.error('No event yet.');
  shown.forEach(print);
  if (!options.follow) return;
  const seen = new Set(source.events.map((e) => e.id));
  console.error('Following (Ctrl-C to stop)...');
  setInterval(async () => {
    const answer = await askRunningRuntime(source.url);
    for (const event of answer?.events ?? [])
      if (!seen.has(event.id)) {
        seen.add(event.id);
        print(event);
      }
  }, 1000);
}

async function main() {
  const parsed = parseEventsArgs(process.argv.slice(2));
  if (parsed === 'help') {
    console.log(USAGE);
    return;
  }
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n${USAGE}`);
    process.exit(2);
  }
  let source: EventsSource;
  try {
    source = await eventsSource(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  if (source.kind === 'memory') return showFromMemory(source, parsed);
  const file = source.file;
  const print = (e: DeliveredEvent) => console.log(parsed.json ? JSON.stringify(e) : describeEvent(e));
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const all = eventsIn(text);
  const shown = parsed.limit === 0 ? all : all.slice(-parsed.limit);
  if (shown.length === 0 && !parsed.follow) console.error(`No event yet (${file}).`);
  shown.forEach(print);
  if (!parsed.follow) return;
  let offset = Buffer.byteLength(text);
  console.error(`Following ${file} (Ctrl-C to stop)...`);
  watchFile(file, { interval: 250 }, () => {
    if (!existsSync(file)) return;
    const size = statSync(file).size;
    if (size < offset) offset = 0; // the data folder was reset
    if (size === offset) return;
    const chunk = readFileSync(file).subarray(offset, size).toString('utf8');
    // Only whole lines; a line still being written is read on the next change.
    const complete = chunk.slice(0, chunk.lastIndexOf('\n') + 1);
    offset += Buffer.byteLength(complete);
    eventsIn(complete).forEach(print);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) void main();
