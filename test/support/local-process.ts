/**
 * `npm start` as a user runs it, for tests of the local runtime as a whole: a separate process (tsx local/start.ts)
 * with its output captured, its process tree, the DynamoDB Local JVM it started (from the data folder's lock file),
 * and the TCP sockets they listen on (Linux /proc).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE } from '../../local/data-folder-lock.ts';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');

export interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** Resolves when the output contains `text` (fails on timeout or early exit). */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
}

export function startLocalProcess(
  env: Record<string, string>,
  script = 'local/start.ts',
  args: string[] = [],
): Started {
  const child = spawn(TSX, [script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const matches = (text: string | RegExp) => (typeof text === 'string' ? output.includes(text) : text.test(output));
  return {
    child,
    output: () => output,
    exited,
    async waitFor(text, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (!matches(text)) {
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`process exited before "${text}":\n${output}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}":\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** The DynamoDB Local JVM recorded in a data folder's lock file (undefined when there is none). */
export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command-line script (`tsx <script>`) to its end with exactly `env`, its stdout and stderr kept apart. */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<ScriptResult> {
  return new Promise((resolve) => {
    const child = spawn(TSX, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

export const jvmOf = (dataDir: string): { pid: number; port: number } | undefined => {
  const path = join(dataDir, LOCK_FILE);
  if (!existsSync(path)) return undefined;
  const lock = JSON.parse(readFileSync(path, 'utf8')) as { jvmPid: number; port: number };
  return lock.jvmPid ? { pid: lock.jvmPid, port: lock.port } : undefined;
};

export const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Polls until `probe` is true, or fails after `timeoutMs`. */
export async function until(probe: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const hasProcFs = () => existsSync('/proc/net/tcp');

/** A process and all its descendants (Linux /proc). */
export function processTree(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name may hold spaces and parentheses: the fields after the last ')' are fixed.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(entry), Number(fields[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++)
    for (const [pid, parent] of parentOf) if (parent === tree[i] && !tree.includes(pid)) tree.push(pid);
  return tree;
}

export interface ListeningSocket {
  pid: number;
  /** As the kernel shows it: `127.0.0.1`, `0.0.0.0`, `::`, `::ffff:127.0.0.1`, ... */
  address: string;
  port: number;
}

const ipv4 = (hex: string) => [6, 4, 2, 0].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join('.');

/** /proc/net/tcp6 stores each 32-bit word in host (little-endian) order. */
const ipv6 = (hex: string) => {
  const bytes: number[] = [];
  for (let word = 0; word < 4; word++)
    for (let i = 3; i >= 0; i--) bytes.push(Number.parseInt(hex.slice(word * 8 + i * 2, word * 8 + i * 2 + 2), 16));
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff)
    return `::ffff:${bytes.slice(12).join('.')}`;
  if (bytes.every((b) => b === 0)) return '::';
  if (bytes.slice(0, 15).every((b) => b === 0) && bytes[15] === 1) return '::1';
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return groups.join(':');
};

/** The TCP sockets in LISTEN state that the given processes hold. */
export function listeningSockets(pids: readonly number[]): ListeningSocket[] {
  const owner = new Map<string, number>();
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        if (inode) owner.set(inode, pid);
      } catch {
        // Closed meanwhile.
      }
    }
  }
  const sockets: ListeningSocket[] = [];
  for (const [file, decode] of [
    ['/proc/net/tcp', ipv4],
    ['/proc/net/tcp6', ipv6],
  ] as const) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || fields[3] !== '0A') continue; // 0A = LISTEN
      const pid = owner.get(fields[9]!);
      if (pid === undefined) continue;
      const [address, port] = fields[1]!.split(':');
      sockets.push({ pid, address: decode(address!), port: Number.parseInt(port!, 16) });
    }
  }
  return sockets;
}

export const isLoopback = (address: string) =>
  address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
