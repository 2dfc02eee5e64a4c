/**
 * `npm run bench:start`: how long `npm start` takes to answer its first API request and how much memory it holds at
 * idle, side by side with a bare DynamoDB Local start (the floor: the JVM and DynamoDB Local alone).
 *
 * Each round, one after the other so they share the machine's load:
 * - bare DynamoDB Local: `java -jar DynamoDBLocal.jar -inMemory -disableTelemetry` on a free port, timed from the
 *   spawn to the first successful ListTables;
 * - DynamoDB Local as `npm start` launches it (local/java-launcher.ts: the loopback launcher,
 *   the quick-start JVM options), in memory, timed the same way: what the JVM part of a start costs now;
 * - `npm start` on a new data folder (the first start: the table and its indexes are created), timed from the spawn
 *   of `npm start` to the first successful ListResponsePlans through the official SDK client;
 * - `npm start` again on that folder (a restart: the table exists), timed the same way.
 * Then, after the process has been idle for a few seconds, the resident memory (RSS) of its whole process tree from
 * /proc, split into the JVM, the Node process running the runtime, its helper (tsx's esbuild service) and the
 * wrappers (npm, sh); then SIGTERM to the tree, waiting for it to exit. RSS counts memory shared between processes
 * (the node binary, libraries) once per process, as `ps` and `top` do.
 * The first start of a new Java/DynamoDB Local pair records the class-data archive as it stops; a warm-up start that
 * is not counted makes sure the archive exists, so the figures are those of every start but the very first.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListResponsePlansCommand, SSMIncidentsClient } from '@aws-sdk/client-ssm-incidents';
import { parseCli } from '../local/cli.ts';
import { freePort } from '../local/dynamodb-local.ts';
import { dynamoDbLocalCommand, dynamoDbLocalHome } from '../local/java-launcher.ts';
import { quietNodeVersionWarning } from '../local/node-support.ts';
import { treeMemory } from './process-tree.ts';

quietNodeVersionWarning();
const cli = parseCli(process.argv.slice(2), {
  usage: 'npm run bench:start -- [--runs N] [--idle-seconds S] [--compare DIR] [--json]',
  description:
    'Starts a bare DynamoDB Local and `npm start` (new data folder, then a restart on it) N times each and reports the\n' +
    'time to the first answer and the idle memory of the whole process tree (median, min, max). Linux only (/proc).',
  options: {
    runs: { value: 'N', help: 'rounds (default 5)' },
    compare: {
      value: 'DIR',
      help: 'also start `npm start` in this other checkout each round (a version to compare with, same load)',
    },
    'idle-seconds': { value: 'S', help: 'idle time before the memory is read (default 5)' },
    json: { help: 'print the results as JSON on stdout instead of a table' },
  },
});
const runs = Number(cli.values.runs ?? 5);
const idleMs = Number(cli.values['idle-seconds'] ?? 5) * 1000;
const compareWith = typeof cli.values.compare === 'string' ? resolve(cli.values.compare) : undefined;
if (!Number.isInteger(runs) || runs < 1 || !(idleMs >= 0)) {
  process.stderr.write('--runs must be a whole number >= 1 and --idle-seconds a number >= 0\n');
  process.exit(2);
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_FILE = join(ROOT, 'bench', 'results', 'start-latest.json');
const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sample {
  firstAnswerMs: number;
  jvmMiB: number;
  runtimeMiB: number;
  helpersMiB: number;
  wrappersMiB: number;
  totalMiB: number;
  /** npm start found a DynamoDB Local left running on its folder and stopped it first (npm start only). */
  strayStopped?: boolean;
  /** Its stop was taken for a crash of DynamoDB Local, which was restarted (npm start only). */
  restartedWhileStopping?: boolean;
}

interface Started {
  child: ChildProcess;
  output: () => string;
}

/** Spawns in a process group of its own, so the whole tree can be stopped at once. */
function startTree(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Started {
  // A standard input kept open: the launcher's JVM exits when it ends (its parent gone).
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: unknown) => {
    output = (output + String(chunk)).slice(-40_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => output };
}

/** Whether any process of the group is still alive. */
const groupAlive = (pgid: number) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * SIGTERM to the whole group, as Ctrl-C signals a terminal's; then waits until every process of it is gone, not just
 * the first: npm exits at once on a signal while the runtime still stops DynamoDB Local, and a restart measured while
 * they still run would be measured against them (and, on the same folder, against their lock).
 */
async function stopTree({ child }: Started): Promise<void> {
  const pgid = child.pid as number;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    process.kill(-pgid, 'SIGTERM');
    await exited;
  }
  const deadline = performance.now() + 15_000;
  while (groupAlive(pgid)) {
    if (performance.now() > deadline) process.kill(-pgid, 'SIGKILL');
    await sleep(25);
  }
}

/** Polls `request` until it succeeds; milliseconds since `since`. */
async function firstAnswer(started: Started, since: number, request: () => Promise<unknown>): Promise<number> {
  const deadline = since + 180_000;
  for (;;) {
    try {
      await request();
      return performance.now() - since;
    } catch {
      if (started.child.exitCode !== null) throw new Error(`it exited before answering:\n${started.output()}`);
      if (performance.now() > deadline) throw new Error(`no answer within 180 s:\n${started.output()}`);
      await sleep(25);
    }
  }
}

const quickClient = { maxAttempts: 1, requestHandler: { requestTimeout: 2000, connectionTimeout: 1000 } } as const;
const credentials = { accessKeyId: 'bench', secretAccessKey: 'local' };

async function measure(started: Started, since: number, request: () => Promise<unknown>): Promise<Sample> {
  try {
    const firstAnswerMs = await firstAnswer(started, since, request);
    await sleep(idleMs);
    const { jvmMiB, runtimeMiB, helpersMiB, wrappersMiB, totalMiB } = treeMemory(started.child.pid as number);
    return { firstAnswerMs, jvmMiB, runtimeMiB, helpersMiB, wrappersMiB, totalMiB };
  } finally {
    await stopTree(started);
  }
}

async function dynamoDbLocalAlone(how: 'bare' | 'launcher', work: string): Promise<Sample> {
  const port = await freePort();
  const home = dynamoDbLocalHome();
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials,
    ...quickClient,
  });
  const launcher = how === 'launcher' ? await dynamoDbLocalCommand(port, undefined, { quickStart: true }) : undefined;
  const args = launcher?.args ?? [
    `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(home, 'DynamoDBLocal.jar'),
    '-inMemory',
    '-port',
    String(port),
    '-disableTelemetry',
  ];
  const since = performance.now();
  // In the work folder: DynamoDB Local writes a metadata file where it runs.
  const started = startTree('java', args, process.env, work);
  try {
    return await measure(started, since, () => client.send(new ListTablesCommand({ Limit: 1 })));
  } finally {
    client.destroy();
  }
}

async function npmStart(dataDir: string, checkout = ROOT): Promise<Sample> {
  // On a shared machine another process may take the free port first: try again on another one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await npmStartOnce(dataDir, checkout);
    } catch (error) {
      if (attempt === 3 || !String(error).includes('is already in use')) throw error;
    }
  }
}

async function npmStartOnce(dataDir: string, checkout: string): Promise<Sample> {
  const port = await freePort();
  const client = new SSMIncidentsClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials,
    ...quickClient,
  });
  const since = performance.now();
  const started = startTree('npm', ['start'], { ...process.env, PORT: String(port), DATA_DIR: dataDir }, checkout);
  try {
    const sample = await measure(started, since, () => client.send(new ListResponsePlansCommand({})));
    // The lines npm start prints when it has to stop a JVM an earlier run left behind, and when a stop went wrong.
    return {
      ...sample,
      strayStopped: started.output().includes('left running'),
      restartedWhileStopping: started.output().includes('stopped unexpectedly'),
    };
  } finally {
    client.destroy();
  }
}

const SCENARIOS = {
  bare: 'bare DynamoDB Local (java -jar, in memory)',
  launcher: 'DynamoDB Local as npm start launches it (in memory)',
  firstStart: 'npm start, new data folder',
  restart: 'npm start, restart on that folder',
  compareFirstStart: `npm start in ${compareWith}, new data folder`,
  compareRestart: `npm start in ${compareWith}, restart`,
} as const;
type Scenario = keyof typeof SCENARIOS;

const samples: Record<Scenario, Sample[]> = {
  bare: [],
  launcher: [],
  firstStart: [],
  restart: [],
  compareFirstStart: [],
  compareRestart: [],
};
const work = mkdtempSync(join(tmpdir(), 'bench-start-'));
const startedAt = new Date();
try {
  log('warm-up start (not counted; records the class-data archive if there is none yet)...');
  await dynamoDbLocalAlone('launcher', work);
  for (let round = 1; round <= runs; round++) {
    const dataDir = join(work, `data-${round}`);
    mkdirSync(dataDir);
    samples.bare.push(await dynamoDbLocalAlone('bare', work));
    samples.launcher.push(await dynamoDbLocalAlone('launcher', work));
    samples.firstStart.push(await npmStart(dataDir));
    samples.restart.push(await npmStart(dataDir));
    if (compareWith) {
      const otherDataDir = join(work, `compared-${round}`);
      mkdirSync(otherDataDir);
      samples.compareFirstStart.push(await npmStart(otherDataDir, compareWith));
      samples.compareRestart.push(await npmStart(otherDataDir, compareWith));
    }
    const last = (name: Scenario) => samples[name].at(-1)?.firstAnswerMs.toFixed(0);
    log(
      `round ${round}/${runs}: bare ${last('bare')} ms, launcher ${last('launcher')} ms, ` +
        `npm start ${last('firstStart')} ms, restart ${last('restart')} ms` +
        (compareWith ? `, compared: ${last('compareFirstStart')} ms, restart ${last('compareRestart')} ms` : ''),
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const spread = (values: number[], unit: (v: number) => string) =>
  `${unit(median(values))} (${unit(Math.min(...values))}–${unit(Math.max(...values))})`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const megabytes = (value: number) => `${Math.round(value)}`;

const rows = (Object.keys(SCENARIOS) as Scenario[])
  .filter((name) => samples[name].length > 0)
  .map((name) => {
    const column = (pick: (s: Sample) => number, unit: (v: number) => string) => spread(samples[name].map(pick), unit);
    return [
      SCENARIOS[name],
      column((s) => s.firstAnswerMs, seconds),
      column((s) => s.totalMiB, megabytes),
      column((s) => s.jvmMiB, megabytes),
      column((s) => s.runtimeMiB, megabytes),
      column((s) => s.helpersMiB, megabytes),
      column((s) => s.wrappersMiB, megabytes),
    ];
  });

const results = {
  date: startedAt.toISOString(),
  runs,
  ...(compareWith ? { comparedWith: compareWith } : {}),
  idleSeconds: idleMs / 1000,
  node: process.version,
  scenarios: Object.fromEntries(Object.entries(SCENARIOS).filter(([name]) => samples[name as Scenario].length)),
  samples: Object.fromEntries(Object.entries(samples).filter(([, list]) => list.length)),
};
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);

if (cli.values.json) {
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
} else {
  const header = ['', 'first answer', 'idle RSS total (MiB)', 'JVM', 'node (runtime)', 'esbuild (tsx)', 'wrappers'];
  const table = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...table.map((row) => (row[i] as string).length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i] as number)).join(' | ')} |`;
  process.stdout.write(
    [
      `npm start vs bare DynamoDB Local, ${runs} runs each: median (min–max); memory after ${idleMs / 1000} s idle`,
      '',
      line(table[0] as string[]),
      `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
      ...table.slice(1).map(line),
      '',
      ...(Object.keys(SCENARIOS) as Scenario[])
        .filter((name) => samples[name].some((sample) => sample.strayStopped !== undefined))
        .map(
          (name) =>
            `${SCENARIOS[name]}: stopped a DynamoDB Local left running first in ${samples[name].filter((x) => x.strayStopped).length} of ${samples[name].length}; ` +
            `restarted DynamoDB Local while stopping in ${samples[name].filter((x) => x.restartedWhileStopping).length}`,
        ),
      '',
      `Written to ${RESULTS_FILE}`,
      '',
    ].join('\n'),
  );
}
