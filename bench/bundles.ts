/**
 * `npm run bench:bundles`: what each deployed function costs at cold start. Every function is built exactly as the
 * CDK asset is (lib/constructs/lambda-bundle.ts), next to a baseline function that holds only the DynamoDB clients,
 * and for each the benchmark reports:
 * - the code read at cold start: the entry file and the chunks it imports statically (chunks loaded on first use,
 *   such as the SES client or the SDK's unused credential providers, are not read at init);
 * - everything shipped (all chunks);
 * - module init: the median time Node takes to import the entry file in a fresh process (the handler module's
 *   top-level code included: configuration, composition root, clients), over `--runs` processes; and the CPU time
 *   that import took (user + system, all threads), which other work on a shared machine moves much less.
 * Targets (issue 10): init code <= 400 KB, and init time <= 1.2 x the DynamoDB-only baseline.
 * A second reference, the baseline plus the Powertools Logger and Metrics middlewares every function wears (issue 7),
 * shows how much of that 1.2 x the required observability takes before any function's own code.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildLambdaBundle } from '../lib/constructs/lambda-bundle.ts';
import { parseCli } from '../local/cli.ts';
import { startProgress } from '../local/progress.ts';
import { coldStartEnv } from './cold-start-env.ts';

const cli = parseCli(process.argv.slice(2), {
  usage: 'npm run bench:bundles -- [--runs N] [--compare DIR] [--node PATH] [--json]',
  description:
    'Builds every Lambda bundle as cdk synth does and measures its cold-start code size and module init time.',
  options: {
    runs: { value: 'N', help: 'fresh Node processes per function for the init time (default 15)' },
    compare: {
      value: 'DIR',
      help: "also build another checkout's functions with its own build code and time them in the same rounds",
    },
    node: {
      value: 'PATH',
      help: "time the imports with this Node binary (e.g. Lambda's major version; default: the one running this)",
    },
    json: { help: 'print the results as JSON on stdout instead of a table' },
  },
});
const runs = Number(cli.values.runs ?? 15);
const compareWith = typeof cli.values.compare === 'string' ? resolve(cli.values.compare) : undefined;
const importingNode = typeof cli.values.node === 'string' ? resolve(cli.values.node) : process.execPath;
const importingNodeVersion = spawnSync(importingNode, ['--version'], { encoding: 'utf8' }).stdout?.trim();
if (!importingNodeVersion) {
  console.error(`bench:bundles: ${importingNode} does not run as Node (--node)`);
  process.exit(2);
}

const ROOT = resolve(import.meta.dirname, '..');
const FUNCTIONS = readdirSync(join(ROOT, 'lambdas/functions'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''));
const KB = 1024;
const work = mkdtempSync(join(tmpdir(), 'bundles-'));

/** The code a cold start reads: the entry and the chunks reachable through static imports. */
function initClosure(dir: string): { files: number; bytes: number } {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(dir, file), 'utf8');
    // Static imports of sibling files; `import("./chunks/...")` (dynamic) is not followed.
    for (const match of text.matchAll(/(?:^|[;}\s])import\s*(?:[\w*{}\s,$]+from\s*)?"\.\/([^"]+)"/g)) {
      const target = match[1] as string;
      visit(join(file, '..', target).replace(/^\.\//, ''));
    }
  };
  visit('index.mjs');
  let bytes = 0;
  for (const file of seen) bytes += statSync(join(dir, file)).size;
  return { files: seen.size, bytes };
}

function totalBytes(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) bytes += statSync(join(entry.parentPath, entry.name)).size;
  return bytes;
}

/** Milliseconds (elapsed, CPU) to import the bundle's entry in a fresh Node process (one sample). */
function initSample(dir: string): { ms: number; cpuMs: number } {
  const env = coldStartEnv('bench');
  const script = `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(join(dir, 'index.mjs'))}); const ms = performance.now() - t; const u = process.cpuUsage(c); console.log(JSON.stringify({ ms, cpuMs: (u.user + u.system) / 1000 }));`;
  const run = spawnSync(importingNode, ['--input-type=module', '-e', script], { env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`importing ${dir} failed:\n${run.stderr.slice(-3000)}`);
  return JSON.parse(run.stdout.trim()) as { ms: number; cpuMs: number };
}

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] as number;

/** Builds with this checkout's lambda-bundle.ts, or with the compared checkout's own (what that version ships). */
function build(name: string, entry: string, checkout?: string) {
  const outdir = join(work, checkout ? `compared-${name}` : name);
  if (checkout) {
    const cli = join(checkout, 'lib/constructs/lambda-bundle-cli.ts');
    const child = spawnSync(process.execPath, ['--import', 'tsx', cli, JSON.stringify({ entry, outdir })], {
      cwd: checkout,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (child.status !== 0) throw new Error(`bundling ${entry} in ${checkout} failed (exit ${child.status})`);
  } else buildLambdaBundle({ entry, outdir });
  const init = initClosure(outdir);
  return {
    name,
    outdir,
    initFiles: init.files,
    initBytes: init.bytes,
    totalBytes: totalBytes(outdir),
    initMs: 0,
    initCpuMs: 0,
  };
}

/**
 * Median import time of each bundle. Rounds visit every bundle once, in turn, so load on the machine (which moves
 * absolute times a lot) falls on all of them alike and the ratios to the baseline stay fair.
 */
function timeImports(bundles: ReturnType<typeof build>[]) {
  const samples = bundles.map(() => [] as { ms: number; cpuMs: number }[]);
  // Each import is timed inside its own child process: a progress line between two of them is not measured.
  const progress = startProgress(`cold imports (${runs} rounds)`, { total: runs * bundles.length });
  for (let round = 1; round <= runs; round++) {
    for (const [i, bundle] of bundles.entries()) {
      samples[i]?.push(initSample(bundle.outdir));
      progress.tick();
    }
  }
  progress.finish();
  bundles.forEach((bundle, i) => {
    bundle.initMs = median((samples[i] ?? []).map((s) => s.ms));
    bundle.initCpuMs = median((samples[i] ?? []).map((s) => s.cpuMs));
  });
}

try {
  const building = startProgress(`building ${FUNCTIONS.length} functions and the baseline`, {
    total: FUNCTIONS.length + 2 + (compareWith ? FUNCTIONS.length : 0),
  });
  const baseline = build('dynamodb-only (baseline)', join(ROOT, 'bench/baseline/dynamodb-only.ts'));
  building.tick();
  const floor = build('dynamodb + observability (floor)', join(ROOT, 'bench/baseline/dynamodb-observability.ts'));
  building.tick();
  const results = FUNCTIONS.map((name) => {
    const bundle = build(name, join(ROOT, 'lambdas/functions', `${name}.ts`));
    building.tick();
    return bundle;
  });
  const compared = compareWith
    ? {
        baseline: build('dynamodb-only (baseline)', join(ROOT, 'bench/baseline/dynamodb-only.ts'), compareWith),
        functions: FUNCTIONS.filter((name) => existsSync(join(compareWith, 'lambdas/functions', `${name}.ts`))).map(
          (name) => {
            const bundle = build(name, join(compareWith, 'lambdas/functions', `${name}.ts`), compareWith);
            building.tick();
            return bundle;
          },
        ),
      }
    : undefined;
  building.finish();
  timeImports([baseline, floor, ...results, ...(compared ? [compared.baseline, ...compared.functions] : [])]);
  const rows = results.map(({ outdir: _outdir, ...r }) => ({
    ...r,
    initRatio: r.initMs / baseline.initMs,
    cpuRatio: r.initCpuMs / baseline.initCpuMs,
    verdict: r.initBytes <= 400 * KB && r.initMs <= 1.2 * baseline.initMs ? 'PASS' : 'FAIL',
  }));
  const report = {
    date: new Date().toISOString(),
    machine: `${process.platform} ${process.arch}, Node ${importingNodeVersion} (imports)`,
    runs,
    baseline,
    floor: { ...floor, initRatio: floor.initMs / baseline.initMs, cpuRatio: floor.initCpuMs / baseline.initCpuMs },
    functions: rows,
    ...(compared
      ? {
          compared: {
            checkout: compareWith,
            baseline: compared.baseline,
            functions: compared.functions.map(({ outdir: _outdir, ...r }) => ({
              ...r,
              cpuRatio: r.initCpuMs / compared.baseline.initCpuMs,
            })),
          },
        }
      : {}),
  };
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/bundles-latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  if (cli.values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
    console.log(`Imports timed with Node ${importingNodeVersion}, ${runs} fresh processes per bundle:\n`);
    console.log(
      line([
        'function',
        'init code (KB)',
        'init files',
        'shipped (KB)',
        'module init (ms, median)',
        'x baseline',
        'init CPU (ms, median)',
        'CPU x baseline',
        'verdict',
      ]),
    );
    console.log(line(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---']));
    /** A bundle's row; its ratios are to the baseline timed in the same rounds (1.00 for the baseline itself). */
    const sizeRow = (
      b: Pick<typeof baseline, 'name' | 'initBytes' | 'initFiles' | 'totalBytes' | 'initMs' | 'initCpuMs'>,
      verdict = '',
    ) =>
      line([
        b.name,
        (b.initBytes / KB).toFixed(0),
        b.initFiles,
        (b.totalBytes / KB).toFixed(0),
        b.initMs.toFixed(1),
        (b.initMs / baseline.initMs).toFixed(2),
        b.initCpuMs.toFixed(1),
        (b.initCpuMs / baseline.initCpuMs).toFixed(2),
        verdict,
      ]);
    console.log(sizeRow(baseline));
    console.log(sizeRow(floor));
    for (const r of rows) console.log(sizeRow(r, r.verdict));
    if (compared) {
      // The same functions as built by the other checkout, timed in the same rounds: before -> after.
      console.log(`\nCompared with ${compareWith} (timed in the same rounds):\n`);
      console.log(
        line([
          'function',
          'init code (KB)',
          'init CPU (ms)',
          'CPU x its baseline',
          '-> init code (KB)',
          'init CPU (ms)',
          'CPU x baseline',
        ]),
      );
      console.log(line(['---', '---:', '---:', '---:', '---:', '---:', '---:']));
      for (const before of [compared.baseline, ...compared.functions]) {
        const after = [baseline, ...results].find((r) => r.name === before.name);
        if (!after) continue;
        console.log(
          line([
            before.name,
            (before.initBytes / KB).toFixed(0),
            before.initCpuMs.toFixed(1),
            (before.initCpuMs / compared.baseline.initCpuMs).toFixed(2),
            (after.initBytes / KB).toFixed(0),
            after.initCpuMs.toFixed(1),
            (after.initCpuMs / baseline.initCpuMs).toFixed(2),
          ]),
        );
      }
    }
  }
  if (rows.some((r) => r.verdict === 'FAIL')) process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
