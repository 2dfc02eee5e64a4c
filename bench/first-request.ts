/**
 * `npm run bench:first-request`: the CPU a cold start costs up to the end of its first request, not only up to the end
 * of module init. A change that moves work out of init into the first request lowers the `bench:bundles` figure
 * without making a cold start any shorter; this benchmark shows that. Each sample is a fresh Node process that imports
 * a bundle (built as the CDK asset is, lib/constructs/lambda-bundle.ts) and calls its handler once against DynamoDB
 * Local (an empty table), timing the CPU (user + system) of the import and of import plus the call. The scenarios
 * (function and first request) are taken in turn each round; with `--compare DIR`, the same scenarios built by another
 * checkout's own build code run in the same rounds (a before/after under the same load).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { buildLambdaBundle } from '../lib/constructs/lambda-bundle.ts';
import { parseCli } from '../local/cli.ts';
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';
import { quietNodeVersionWarning } from '../local/node-support.ts';
import { startProgress } from '../local/progress.ts';
import { ensureTable } from '../local/tables.ts';
import { coldStartEnv } from './cold-start-env.ts';

const cli = parseCli(process.argv.slice(2), {
  usage: 'npm run bench:first-request -- [--runs N] [--compare DIR]',
  description: 'CPU of a cold start up to the end of its first request (import + one handler call), per function.',
  options: {
    runs: { value: 'N', help: 'fresh Node processes per scenario (default 15)' },
    compare: { value: 'DIR', help: "also time another checkout's bundles (its own build code) in the same rounds" },
  },
});
quietNodeVersionWarning();
const runs = Number(cli.values.runs ?? 15);
const compareWith = typeof cli.values.compare === 'string' ? resolve(cli.values.compare) : undefined;
const ROOT = resolve(import.meta.dirname, '..');
const TABLE = 'bench';

/** An HTTP API (payload v2) request as API Gateway hands it to the function, signed by an IAM user. */
const apiRequest = (method: string, path: string, body?: string, query = '') => ({
  version: '2.0',
  rawPath: path,
  rawQueryString: query,
  headers: { 'content-type': 'application/json' },
  ...(body === undefined ? {} : { body }),
  isBase64Encoded: false,
  requestContext: {
    requestId: 'bench-request',
    http: { method, path },
    authorizer: { iam: { userArn: 'arn:aws:iam::123456789012:user/bench' } },
  },
});

/** Each scenario: a function (entry under lambdas/functions, or the baseline) and the first request it gets. */
const SCENARIOS = [
  { name: 'dynamodb-only (baseline): GetItem', entry: 'bench/baseline/dynamodb-only.ts', event: {} },
  {
    name: 'incidents-api: ListIncidentRecords',
    entry: 'lambdas/functions/incidents-api.ts',
    event: apiRequest('POST', '/listIncidentRecords', '{}'),
  },
  {
    name: 'analysis-api: ListAnalyses',
    entry: 'lambdas/functions/analysis-api.ts',
    event: apiRequest('POST', '/listAnalyses', '{}'),
  },
  {
    name: 'analysis-api: GetAnalysisTemplate (built-in)',
    entry: 'lambdas/functions/analysis-api.ts',
    event: apiRequest('GET', '/getAnalysisTemplate', undefined, 'name=AWSIncidents-PostIncidentAnalysisTemplate'),
  },
];

const work = mkdtempSync(join(tmpdir(), 'first-request-'));

/** Builds each distinct entry once, with this checkout's build code or the compared checkout's. */
function buildAll(checkout: string | undefined): Map<string, string> {
  const built = new Map<string, string>();
  for (const { entry } of SCENARIOS) {
    if (built.has(entry)) continue;
    const outdir = join(work, `${checkout ? 'compared' : 'current'}-${built.size}`);
    const options = { entry: join(checkout ?? ROOT, entry), outdir };
    if (checkout) {
      const child = spawnSync(
        process.execPath,
        ['--import', 'tsx', join(checkout, 'lib/constructs/lambda-bundle-cli.ts'), JSON.stringify(options)],
        { cwd: checkout, stdio: ['ignore', 'inherit', 'inherit'] },
      );
      if (child.status !== 0) throw new Error(`bundling ${entry} in ${checkout} failed`);
    } else buildLambdaBundle(options);
    built.set(entry, outdir);
  }
  return built;
}

/** One cold start: import, then one call; the CPU of each, in ms. */
function sample(dir: string, event: unknown, endpoint: string): { initCpuMs: number; firstRequestCpuMs: number } {
  // The functions read DYNAMODB_ENDPOINT (runtime/config.ts); the baseline's bare client reads the SDK's own.
  const env = coldStartEnv(TABLE, { DYNAMODB_ENDPOINT: endpoint, AWS_ENDPOINT_URL_DYNAMODB: endpoint });
  const script = `const start = process.cpuUsage();
const { handler } = await import(${JSON.stringify(join(dir, 'index.mjs'))});
const init = process.cpuUsage(start);
const context = { functionName: 'bench', awsRequestId: 'bench-invocation', getRemainingTimeInMillis: () => 30000 };
const response = await handler(${JSON.stringify(event)}, context);
const total = process.cpuUsage(start);
if (response?.statusCode !== undefined && response.statusCode >= 300) throw new Error('status ' + response.statusCode + ': ' + response.body);
console.log(JSON.stringify({ initCpuMs: (init.user + init.system) / 1000, firstRequestCpuMs: (total.user + total.system) / 1000 }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`cold start of ${dir} failed:\n${run.stderr.slice(-3000)}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) as string);
}

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] as number;

const dynamodb = await startDynamoDbLocal({ log: () => {} });
try {
  const client = new DynamoDBClient({
    endpoint: dynamodb.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  await ensureTable(client, TABLE);
  client.destroy();
  const versions = [{ label: 'current', dirs: buildAll(undefined) }];
  if (compareWith) versions.push({ label: `compared (${compareWith})`, dirs: buildAll(compareWith) });
  const cases = versions.flatMap((version) =>
    SCENARIOS.map((scenario) => ({
      version: version.label,
      scenario: scenario.name,
      dir: version.dirs.get(scenario.entry) as string,
      event: scenario.event,
      init: [] as number[],
      total: [] as number[],
    })),
  );
  const progress = startProgress(`cold starts with a first request (${runs} rounds)`, { total: runs * cases.length });
  for (let round = 0; round < runs; round++)
    for (const c of cases) {
      const { initCpuMs, firstRequestCpuMs } = sample(c.dir, c.event, dynamodb.endpoint);
      c.init.push(initCpuMs);
      c.total.push(firstRequestCpuMs);
      progress.tick();
    }
  progress.finish();
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  console.log(line(['version', 'function: first request', 'init CPU (ms)', 'init + first request CPU (ms)']));
  console.log(line(['---', '---', '---:', '---:']));
  for (const c of cases)
    console.log(line([c.version, c.scenario, median(c.init).toFixed(1), median(c.total).toFixed(1)]));
} finally {
  await dynamodb.stop();
  rmSync(work, { recursive: true, force: true });
}
