/**
 * `npm run bench`: latency and DynamoDB cost of the ssm-incidents API as the official SDK client sees it, against
 * the real handler on the local runtime (loopback HTTP, DynamoDB Local). Method and reading: docs/benchmarks.md.
 *
 * Environment overrides for quick trial runs (the published figures use the defaults):
 * BENCH_SAMPLES, BENCH_WARMUP, BENCH_LIST_SAMPLES, BENCH_LIST_WARMUP, BENCH_SMALL, BENCH_LARGE, BENCH_ANALYSIS_SAMPLES,
 * BENCH_ANALYSIS_WARMUP, BENCH_ANALYSIS_LIST_SAMPLES. BENCH_ONLY=analysis runs the post-incident analysis phase alone.
 */
import type { AnalysisBenchSettings } from './analysis.ts';
import { parseBenchCli } from './cli.ts';
import type { MeasureOptions } from './measure.ts';
import type { BenchResults } from './report.ts';

parseBenchCli(
  process.env.BENCH_ONLY === 'analysis' ? 'bench:analysis' : 'bench',
  'Latency and DynamoDB cost of the ssm-incidents and ssm-contacts APIs through the official SDK clients, on the local runtime.',
  [
    'BENCH_SAMPLES',
    'BENCH_WARMUP',
    'BENCH_LIST_SAMPLES',
    'BENCH_LIST_WARMUP',
    'BENCH_SMALL',
    'BENCH_LARGE',
    'BENCH_TIMELINE_SMALL',
    'BENCH_TIMELINE_LARGE',
    'BENCH_CONTACTS_SAMPLES',
    'BENCH_CONTACTS_WARMUP',
    'BENCH_ANALYSIS_SAMPLES',
    'BENCH_ANALYSIS_WARMUP',
    'BENCH_ANALYSIS_LIST_SAMPLES',
    'BENCH_PHASES',
    'BENCH_ONLY=analysis (= npm run bench:analysis)',
  ],
);

// Loaded once the command line is known to be good: `--help` and a mistyped flag answer at once, without loading
// the SDK clients and the local runtime first.
const { benchmarkAnalysis } = await import('./analysis.ts');
const { onOwnDynamoDbLocal, startBenchRuntime } = await import('./bench-runtime.ts');
const { benchmarkContactsOperations } = await import('./contacts-operations.ts');
const { benchmarkListScaling } = await import('./list-scaling.ts');
const { benchmarkOperations } = await import('./operations.ts');
const { benchmarkTimelineScaling } = await import('./timeline-scaling.ts');
const { analysisSection, describeMachine, formatResults, loadAverageNow, writeAnalysisResults, writeResults } =
  await import('./report.ts');

const intFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

const settings = {
  operations: {
    warmup: intFromEnv('BENCH_WARMUP', 30),
    samples: intFromEnv('BENCH_SAMPLES', 300),
  } satisfies MeasureOptions,
  listScaling: {
    warmup: intFromEnv('BENCH_LIST_WARMUP', 20),
    samples: intFromEnv('BENCH_LIST_SAMPLES', 200),
  } satisfies MeasureOptions,
  sizes: [intFromEnv('BENCH_SMALL', 1_000), intFromEnv('BENCH_LARGE', 20_000)] as [number, number],
  analysis: {
    create: { warmup: intFromEnv('BENCH_ANALYSIS_WARMUP', 3), samples: intFromEnv('BENCH_ANALYSIS_SAMPLES', 20) },
    list: { warmup: 20, samples: intFromEnv('BENCH_ANALYSIS_LIST_SAMPLES', 200) },
    timelineEvents: 1_000,
    pages: 50,
    analysisCounts: [50, 1_000],
  } satisfies AnalysisBenchSettings,
  timelineSizes: [intFromEnv('BENCH_TIMELINE_SMALL', 20), intFromEnv('BENCH_TIMELINE_LARGE', 2_000)] as [
    number,
    number,
  ],
  contacts: {
    warmup: intFromEnv('BENCH_CONTACTS_WARMUP', 5),
    samples: intFromEnv('BENCH_CONTACTS_SAMPLES', 30),
  } satisfies MeasureOptions,
  /** Comma-separated phases to run (operations, lists, timeline, contacts, analysis); all by default. */
  phases: new Set((process.env.BENCH_PHASES ?? 'operations,lists,timeline,contacts,analysis').split(',')),
};
const analysisOnly = process.env.BENCH_ONLY === 'analysis';

const log = (line: string) => console.error(`[bench] ${line}`);

async function main() {
  const started = Date.now();
  const loadAtStart = loadAverageNow();
  // Each phase gets an in-memory DynamoDB Local of its own (onOwnDynamoDbLocal says why); within a phase, every data
  // set gets a table (and a runtime) of its own.
  if (analysisOnly) {
    const analysis = await benchmarkAnalysis(settings.analysis, log);
    console.log(
      [
        `Post-incident analysis benchmark ${new Date().toISOString()} on ${describeMachine().cpu}; load average ${loadAtStart} at start, ${loadAverageNow()} at end`,
        '',
        ...analysisSection({ settings: settings.analysis, results: analysis }),
      ].join('\n'),
    );
    writeAnalysisResults({ settings: settings.analysis, results: analysis });
    if (analysis.listOpenActionItems.verdict === 'FAIL') process.exitCode = 1;
    return;
  }
  const { phases } = settings;
  let operations: BenchResults['operations'];
  if (phases.has('operations')) {
    operations = await onOwnDynamoDbLocal('operations', log, async (endpoint) => {
      const operationsRuntime = await startBenchRuntime(endpoint, 'bench-operations');
      return benchmarkOperations(operationsRuntime, settings.operations).finally(() => operationsRuntime.stop());
    });
    log('measured single operations');
  }
  const listScaling = phases.has('lists')
    ? await onOwnDynamoDbLocal('lists', log, (endpoint) =>
        benchmarkListScaling(endpoint, settings.sizes, settings.listScaling, log),
      )
    : undefined;
  const timelineScaling = phases.has('timeline')
    ? await onOwnDynamoDbLocal('timeline', log, (endpoint) =>
        benchmarkTimelineScaling(endpoint, settings.timelineSizes, settings.listScaling, log),
      )
    : undefined;
  const analysis = phases.has('analysis')
    ? {
        settings: settings.analysis,
        results: await benchmarkAnalysis(settings.analysis, log),
      }
    : undefined;
  let contacts: BenchResults['contacts'];
  if (phases.has('contacts')) {
    contacts = await onOwnDynamoDbLocal('contacts', log, async (endpoint) => {
      const contactsRuntime = await startBenchRuntime(endpoint, 'bench-contacts');
      return benchmarkContactsOperations(contactsRuntime, settings.contacts, log).finally(() => contactsRuntime.stop());
    });
  }
  const results: BenchResults = {
    date: new Date().toISOString(),
    machine: describeMachine(),
    loadAverage: { atStart: loadAtStart, atEnd: loadAverageNow() },
    settings: {
      operations: settings.operations,
      listScaling: settings.listScaling,
      contacts: settings.contacts,
      phases: [...phases],
    },
    ...(operations ? { operations } : {}),
    ...(listScaling ? { listScaling } : {}),
    ...(timelineScaling ? { timelineScaling } : {}),
    ...(contacts ? { contacts } : {}),
    ...(analysis ? { analysis } : {}),
    totalSeconds: Math.round((Date.now() - started) / 1000),
  };
  writeResults(results);
  console.log(formatResults(results));
  if (analysis) writeAnalysisResults(analysis);
  const gated = [...(listScaling?.cases ?? []), ...(timelineScaling?.cases ?? [])];
  if (gated.some((c) => c.verdict === 'FAIL') || analysis?.results.listOpenActionItems.verdict === 'FAIL')
    process.exitCode = 1;
}

await main();
