/**
 * `npm run bench:console`: the web console's first render of the incident list with 1,000 incidents, on the local
 * runtime (DynamoDB Local, in memory), in headless Chromium. Method and reading: docs/benchmarks.md ("Web console").
 *
 * A page load is timed from navigation start to the moment the first incident row is in the DOM (a
 * MutationObserver installed before any page script records performance.now()), and to the moment the list
 * is complete on screen (its count line says "… loaded (more available)": the first page of 100 rows). The first
 * load is cold (empty HTTP cache); the others reuse the cache as a responder's browser would. The built JavaScript
 * size comes from console/dist/build-info.json.
 *
 * Overrides for quick trial runs (published figures use the defaults): BENCH_CONSOLE_INCIDENTS, BENCH_CONSOLE_RUNS.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSOLE_DIST } from '../console/paths.ts';
import { parseBenchCli } from './cli.ts';
import { round, summarize } from './stats.ts';

parseBenchCli(
  'bench:console',
  "The web console's first render of 1,000 incidents in headless Chromium (needs chromium).",
  ['BENCH_CONSOLE_INCIDENTS', 'BENCH_CONSOLE_RUNS'],
);

// Loaded once the command line is known to be good: `--help` and a mistyped flag answer at once, without loading
// the SDK clients and the local runtime first.
const { CreateResponsePlanCommand, SSMIncidentsClient, StartIncidentCommand } = await import(
  '@aws-sdk/client-ssm-incidents'
);
const { describeBuild, ensureConsoleBuilt } = await import('../console/build.ts');
const { freePort } = await import('../local/dynamodb-local.ts');
const { startProgress } = await import('../local/progress.ts');
const { startLocalRuntime } = await import('../local/runtime.ts');
const { launchChromium } = await import('../test/support/browser.ts');
const { describeMachine, loadAverageNow } = await import('./report.ts');

const intFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
const INCIDENTS = intFromEnv('BENCH_CONSOLE_INCIDENTS', 1000);
const RUNS = intFromEnv('BENCH_CONSOLE_RUNS', 20);
const RESULTS = join(fileURLToPath(new URL('.', import.meta.url)), 'results', 'console-latest.json');

const started = Date.now();
const loadAtStart = loadAverageNow();
const built = await ensureConsoleBuilt();
if (built) console.log(describeBuild(built));
const build = JSON.parse(readFileSync(join(CONSOLE_DIST, 'build-info.json'), 'utf8')) as {
  javascriptGzipBytes: number;
  initialJavascriptGzipBytes: number;
  files: { file: string; gzipBytes: number }[];
};

const runtime = await startLocalRuntime({
  port: await freePort(),
  accountId: '123456789012',
  region: 'us-east-1',
  tableName: 'bench-console',
});
const client = new SSMIncidentsClient({
  endpoint: runtime.url,
  region: 'us-east-1',
  credentials: { accessKeyId: 'bench', secretAccessKey: 'local' },
});
try {
  const plan = await client.send(
    new CreateResponsePlanCommand({ name: 'bench', incidentTemplate: { title: 'Bench incident', impact: 3 } }),
  );
  const seeding = startProgress(`starting ${INCIDENTS} open incidents`, { total: INCIDENTS });
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < INCIDENTS) {
        const n = next++;
        await client.send(
          new StartIncidentCommand({ responsePlanArn: plan.arn, title: `Incident ${n}`, impact: (n % 5) + 1 }),
        );
        seeding.tick();
      }
    }),
  );
  seeding.finish();

  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Runs before the console's own script (init scripts are not subject to the page's CSP).
  await context.addInitScript(() => {
    const page = globalThis as any;
    const marks: Record<string, number> = {};
    page.__consoleBench = marks;
    new page.MutationObserver(() => {
      if (marks.firstRow === undefined && page.document.querySelector('table.incidents tbody tr'))
        marks.firstRow = page.performance.now();
      if (
        marks.listed === undefined &&
        /loaded \(more available\)|open incidents? ·/.test(page.document.body?.textContent ?? '')
      )
        marks.listed = page.performance.now();
    }).observe(page.document, { childList: true, subtree: true, characterData: true });
  });
  const firstRow: number[] = [];
  const listed: number[] = [];
  /** The ListIncidentRecords request's own duration (Resource Timing): the server's share of the first row. */
  const apiRequest: number[] = [];
  let cold: { firstRow: number; listed: number } | undefined;
  let rows = 0;
  // The cold load and the warm runs; progress ticks after a page is closed, outside what the page measures.
  const loads = startProgress('page loads', { total: RUNS + 1 });
  for (let run = 0; run <= RUNS; run++) {
    const page = await context.newPage();
    await page.goto(`${runtime.url}/incidents`);
    await page.waitForFunction(() => (globalThis as any).__consoleBench.listed !== undefined, undefined, {
      timeout: 30_000,
    });
    const marks = (await page.evaluate(() => (globalThis as any).__consoleBench)) as {
      firstRow: number;
      listed: number;
    };
    const api = (await page.evaluate(() => {
      const entry = (globalThis as any).performance
        .getEntriesByType('resource')
        .find((e: any) => e.name.endsWith('/listIncidentRecords'));
      return entry ? entry.responseEnd - entry.startTime : Number.NaN;
    })) as number;
    rows = await page.locator('table.incidents tbody tr').count();
    if (run === 0) cold = { firstRow: round(marks.firstRow), listed: round(marks.listed) };
    else {
      firstRow.push(marks.firstRow);
      listed.push(marks.listed);
      apiRequest.push(api);
    }
    await page.close();
    loads.tick();
  }
  loads.finish();
  await browser.close();

  const results = {
    date: new Date().toISOString(),
    machine: describeMachine(),
    chromium: browser.version(),
    loadAverage: { atStart: loadAtStart, atEnd: loadAverageNow() },
    settings: { incidents: INCIDENTS, warmRuns: RUNS, rowsRendered: rows },
    javascriptGzipBytes: build.javascriptGzipBytes,
    initialJavascriptGzipBytes: build.initialJavascriptGzipBytes,
    files: build.files,
    coldLoadMs: cold,
    warmLoadMs: {
      firstRow: summarize(firstRow),
      listed: summarize(listed),
      listIncidentRecordsRequest: summarize(apiRequest),
      firstRowWithoutTheRequest: summarize(firstRow.map((value, i) => value - (apiRequest[i] ?? 0))),
    },
    totalSeconds: round((Date.now() - started) / 1000, 1),
  };
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nWeb console, incident list with ${INCIDENTS} open incidents (${rows} rows rendered: the first page)`);
  console.log(
    `  JavaScript: ${(build.javascriptGzipBytes / 1024).toFixed(1)} KB gzipped in total, ` +
      `${(build.initialJavascriptGzipBytes / 1024).toFixed(1)} KB loaded by the incident list`,
  );
  console.log(`  cold load (empty cache): first row ${cold?.firstRow} ms, list complete ${cold?.listed} ms`);
  console.log(
    `  warm loads (${RUNS}): first row p50 ${results.warmLoadMs.firstRow.p50} ms, p99 ${results.warmLoadMs.firstRow.p99} ms; ` +
      `list complete p50 ${results.warmLoadMs.listed.p50} ms, p99 ${results.warmLoadMs.listed.p99} ms`,
  );
  console.log(
    `  of which the ListIncidentRecords request (server time, the local runtime on this machine): p50 ` +
      `${results.warmLoadMs.listIncidentRecordsRequest.p50} ms; the rest (load, script, render): p50 ` +
      `${results.warmLoadMs.firstRowWithoutTheRequest.p50} ms`,
  );
  console.log(
    `  load average ${results.loadAverage.atStart} → ${results.loadAverage.atEnd} on ${results.machine.cores} cores`,
  );
  console.log(`  written to ${RESULTS}`);
} finally {
  client.destroy();
  await runtime.stop();
}
