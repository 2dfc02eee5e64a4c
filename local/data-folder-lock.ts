/**
 * One DynamoDB Local per data folder. Two JVMs on the same database files corrupt them, and a JVM left running by a
 * process that was killed keeps the folder busy. A lock file in the folder names the process that owns it (the
 * local runtime) and the JVM it started:
 *
 * - the owner is still running: the folder is in use, and starting is refused with a clear message;
 * - the owner is gone: any DynamoDB Local still running on this folder (named in the lock, or found among the
 *   machine's processes by its `-dbPath`, also when no lock was written) is an orphan: it is stopped, with a log line.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'dynamodb-local.lock';

interface LockContent {
  /** The local runtime that owns the folder. */
  ownerPid: number;
  /** The DynamoDB Local JVM it started (0 until it is spawned), and its loopback port. */
  jvmPid: number;
  port?: number;
  startedAt: string;
}

export class DataFolderInUse extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(
      `The data folder ${dataDir} is in use by another local Incident Manager (process ${ownerPid}).\n` +
        `Stop that one first, or use another folder: DATA_DIR=<folder> npm start`,
    );
  }
}

export const isRunning = (pid: number): boolean => {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The processes running DynamoDB Local on `dataDir` (by their command line), where `ps` exists. */
export function dynamoDbLocalsOn(dataDir: string): number[] {
  let listing: string;
  try {
    listing = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return []; // No `ps` (Windows): the lock file alone guards the folder.
  }
  return listing
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .filter(([, , args]) => /DynamoDBLocal/.test(args!) && ` ${args} `.includes(` -dbPath ${dataDir} `))
    .map(([, pid]) => Number(pid))
    .filter((pid) => pid !== process.pid);
}

async function stopProcess(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 10_000;
  while (isRunning(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  while (isRunning(pid)) await new Promise((r) => setTimeout(r, 50));
}

const readLock = (path: string): LockContent | undefined => {
  try {
    const content = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockContent>;
    return typeof content.ownerPid === 'number'
      ? {
          ownerPid: content.ownerPid,
          jvmPid: Number(content.jvmPid) || 0,
          ...(typeof content.port === 'number' ? { port: content.port } : {}),
          startedAt: String(content.startedAt),
        }
      : undefined;
  } catch {
    return undefined;
  }
};

export interface DataFolderLock {
  /** Records the JVM, so a later start can stop it if this process dies without stopping it. */
  setJvm(pid: number, port: number): void;
  release(): void;
}

/** Takes the folder for this process, stopping orphans of earlier runs; throws DataFolderInUse when it is taken. */
export async function lockDataFolder(dataDir: string, log: (line: string) => void): Promise<DataFolderLock> {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 5; attempt++) {
    const held = readLock(path);
    if (held && held.ownerPid !== process.pid && isRunning(held.ownerPid))
      throw new DataFolderInUse(dataDir, held.ownerPid);
    const orphans = new Set(dynamoDbLocalsOn(dataDir));
    if (held?.jvmPid && isRunning(held.jvmPid)) orphans.add(held.jvmPid);
    for (const pid of orphans) {
      log(
        `Stopping DynamoDB Local (process ${pid}) left running on ${dataDir} by a run that did not stop cleanly, ` +
          'so that only one uses the folder.',
      );
      await stopProcess(pid);
    }
    // Only a stale lock is removed (its owner is gone); a missing one is simply created.
    if (held) rmSync(path, { force: true });
    let fd: number;
    try {
      fd = openSync(path, 'wx'); // Exclusive: of two starts racing here, one wins and the other sees its lock.
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    const content: LockContent = { ownerPid: process.pid, jvmPid: 0, startedAt: new Date().toISOString() };
    writeSync(fd, JSON.stringify(content));
    closeSync(fd);
    if (readLock(path)?.ownerPid !== process.pid) continue; // Lost a race for a stale lock: look again.
    return {
      setJvm(pid, port) {
        content.jvmPid = pid;
        content.port = port;
        writeFileSync(path, JSON.stringify(content));
      },
      release() {
        if (readLock(path)?.ownerPid === process.pid) rmSync(path, { force: true });
      },
    };
  }
  throw new Error(`Could not lock ${path}: another process keeps taking it.`);
}
