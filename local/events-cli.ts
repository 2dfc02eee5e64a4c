/**
 * `npm run events`: the integration events the local runtime put on its stand-in for the EventBridge bus
 * (`<data dir>/events.jsonl`), as EventBridge delivers them to rule targets. Prints the last ones (time, detail-type,
 * incident, resources); `--json` prints them whole, one JSON object per line; `--follow` keeps printing new ones as
 * they arrive. The runtime does not need to be running (except for --follow to show anything new).
 */
import { existsSync, readFileSync, statSync, watchFile } from 'node:fs';
import { join } from 'node:path';
import type { DeliveredEvent } from './event-log.ts';
import { readLocalSettings } from './settings.ts';

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

function main() {
  const parsed = parseEventsArgs(process.argv.slice(2));
  if (parsed === 'help') {
    console.log(USAGE);
    return;
  }
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n${USAGE}`);
    process.exit(2);
  }
  const settings = readLocalSettings(process.env, []);
  if (!settings.dataDir) {
    console.error('IN_MEMORY is set: events are kept in memory only. Unset IN_MEMORY to keep them in events.jsonl.');
    process.exit(1);
  }
  const file = join(settings.dataDir, 'events.jsonl');
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

if (import.meta.url === `file://${process.argv[1]}`) main();
