/**
 * Resident memory of a process and everything it started, read from /proc (Linux only), split into what each part
 * is for: the JVM (DynamoDB Local), the Node process that runs the local runtime, that process's other children
 * (tsx's esbuild service, which compiles the TypeScript as it is loaded), and the wrappers that only start others and
 * wait (npm, sh, tsx's command-line process).
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface TreeProcess {
  pid: number;
  parent: number;
  /** The executable's name as the kernel knows it (`java`, `node`, `npm`, `sh`). */
  name: string;
  commandLine: string;
  rssKiB: number;
}

export interface TreeMemory {
  jvmMiB: number;
  runtimeMiB: number;
  /** The runtime's children other than the JVM (tsx's esbuild service). */
  helpersMiB: number;
  wrappersMiB: number;
  totalMiB: number;
  /** Each process of the tree, for the reader who wants to see what the wrappers are. */
  processes: TreeProcess[];
}

function readProcess(pid: number): TreeProcess | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(status)?.[1] ?? '';
    return {
      pid,
      parent: Number(field('PPid')),
      name: field('Name'),
      commandLine: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim(),
      // A zombie or a kernel thread has no VmRSS line: it holds no memory.
      rssKiB: Number.parseInt(field('VmRSS'), 10) || 0,
    };
  } catch {
    return undefined; // It exited while the table was read.
  }
}

/** `root` and its descendants, as they are now. */
export function processTree(root: number): TreeProcess[] {
  const all = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => readProcess(Number(entry)))
    .filter((p): p is TreeProcess => p !== undefined);
  const tree: TreeProcess[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift() as number;
    const found = all.find((p) => p.pid === pid);
    if (found) tree.push(found);
    for (const child of all) if (child.parent === pid) queue.push(child.pid);
  }
  return tree;
}

const mib = (kib: number) => Math.round(kib / 1024);

/**
 * The JVM is the `java` process; the runtime is the Node process that started it (whatever chain of wrappers came
 * before); its other children are helpers; every other process of the tree is a wrapper.
 */
export function treeMemory(root: number): TreeMemory {
  const processes = processTree(root);
  const jvm = processes.filter((p) => p.name === 'java');
  const runtimePids = new Set(jvm.map((p) => p.parent));
  const runtime = processes.filter((p) => runtimePids.has(p.pid));
  const helpers = processes.filter((p) => runtimePids.has(p.parent) && p.name !== 'java');
  const sum = (list: TreeProcess[]) => list.reduce((total, p) => total + p.rssKiB, 0);
  const all = sum(processes);
  return {
    jvmMiB: mib(sum(jvm)),
    runtimeMiB: mib(sum(runtime)),
    helpersMiB: mib(sum(helpers)),
    wrappersMiB: mib(all - sum(jvm) - sum(runtime) - sum(helpers)),
    totalMiB: mib(all),
    processes,
  };
}
