/**
 * `npm run bench:storm`: an alarm storm through the trigger intake (bench/storm-run.ts does the work). This entry
 * only quiets the logs first: the intake logs one info line per accepted trigger, and the logger reads LOG_LEVEL
 * when it is first imported. Warnings and errors (a rejected or failed trigger) still print.
 */
import { parseBenchCli } from './cli.ts';

parseBenchCli(
  'bench:storm',
  'An alarm storm through the trigger intake: 10,000 deliveries of 100 alarms, then 1,000 replays; checks none is lost or counted twice and measures throughput.',
  ['STORM_ALARMS', 'STORM_CHANGES', 'STORM_CONCURRENCY', 'STORM_OPENING_ROUNDS', 'STORM_REPLAY'],
);
process.env.LOG_LEVEL ??= 'warn';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

await import('./storm-run.ts');
