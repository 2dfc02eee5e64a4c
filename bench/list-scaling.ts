/**
 * Phase 2: does ListIncidentRecords' first page stay flat as the table grows? The same queries run against a
 * table of 1,000 and one of 20,000 seeded incidents (the first 1,000 identical in both); a first page that costs
 * the same at both sizes proves the listing queries an index instead of scanning.
 */
import { type Filter, ListIncidentRecordsCommand } from '@aws-sdk/client-ssm-incidents';
import { BENCH_SERVICE, type BenchRuntime, startBenchRuntime } from './bench-runtime.ts';
import { type Measurement, type MeasureOptions, measureInterleaved } from './measure.ts';
import { DEFAULT_SEED_PROFILE, seedIncidents } from './seed.ts';
import { round } from './stats.ts';

/** Largest allowed growth (large / small) of p50 latency and of DynamoDB requests per first page. */
export const FLATNESS_TARGET = 1.5;
/** Most DynamoDB requests a first page may make, whatever the filter. */
export const MAX_REQUESTS_PER_PAGE = 2;

export interface ListCase {
  name: string;
  filters?: Filter[];
  maxResults?: number;
  /**
   * How the filters are read: `key` = from an index whose keys select them; `bounded` = a filter no key selects
   * (alongside one that does) is checked on one bounded read per range, so the first page may be short.
   */
  reading: 'key' | 'bounded';
}

const equalsText = (key: string, values: string[]): Filter => ({
  key,
  condition: { equals: { stringValues: values } },
});
const equalsInt = (key: string, values: number[]): Filter => ({
  key,
  condition: { equals: { integerValues: values } },
});
const [intake, alice] = DEFAULT_SEED_PROFILE.creators.map((c) => c.arn) as [string, string];
const statusOpen = equalsText('status', ['OPEN']);
const impactOne = equalsInt('impact', [1]);
/** The last 30 days of the seeded year (creationTime is exclusive on both ends). */
const lastMonth: Filter = { key: 'creationTime', condition: { after: new Date(Date.now() - 30 * 24 * 3600 * 1000) } };

/**
 * Filtered cases use pages of 10, which every filter fills at both sizes (the same number of items on both first
 * pages); 100-item pages are measured unfiltered and for status OPEN, which fill them too.
 */
export const LIST_CASES: ListCase[] = [
  { name: 'all incidents, maxResults 100 (default)', reading: 'key' },
  { name: 'all incidents, maxResults 10', maxResults: 10, reading: 'key' },
  { name: 'status OPEN', filters: [statusOpen], reading: 'key' },
  { name: 'impact 1', filters: [impactOne], maxResults: 10, reading: 'key' },
  { name: 'status OPEN + impact 1', filters: [statusOpen, impactOne], maxResults: 10, reading: 'key' },
  {
    name: 'status OPEN + impact 1 or 2',
    filters: [statusOpen, equalsInt('impact', [1, 2])],
    maxResults: 10,
    reading: 'key',
  },
  { name: 'createdBy (8 % of incidents)', filters: [equalsText('createdBy', [alice])], maxResults: 10, reading: 'key' },
  {
    name: 'createdBy matching nothing',
    filters: [equalsText('createdBy', ['arn:aws:iam::111122223333:user/nobody'])],
    maxResults: 10,
    reading: 'key',
  },
  {
    name: 'createdBy + status OPEN',
    filters: [equalsText('createdBy', [alice]), statusOpen],
    maxResults: 10,
    reading: 'key',
  },
  { name: 'creationTime last 30 days + impact 1', filters: [lastMonth, impactOne], maxResults: 10, reading: 'key' },
  {
    name: 'createdBy + impact 1',
    filters: [equalsText('createdBy', [intake]), impactOne],
    maxResults: 10,
    reading: 'bounded',
  },
  { name: 'impact 1 or 2 (any status)', filters: [equalsInt('impact', [1, 2])], maxResults: 10, reading: 'bounded' },
];

export interface SizedMeasurement extends Measurement {
  /** Incident summaries on the first page (a filtered page can be short when few incidents match). */
  itemsReturned: number;
  /** Whether the first page came with a nextToken (an empty page with a token is valid paging). */
  hasNextToken: boolean;
}

export interface ScaledCaseResult {
  name: string;
  reading: 'key' | 'bounded';
  bySize: Record<number, SizedMeasurement>;
  ratio: { p50: number; p99: number; dynamodbRequests: number };
  /** Any Scan request at either size fails the case whatever the ratios say. */
  scanRequests: number;
  /** The most requests a first page made, at either size (averaged over the calls). */
  requestsPerPage: number;
  verdict: 'PASS' | 'FAIL';
}

export interface ListCaseResult extends ScaledCaseResult {
  filters?: Filter[];
  maxResults: number;
}

export interface ListScalingResults {
  sizes: [number, number];
  seedProfile: typeof DEFAULT_SEED_PROFILE;
  seedSeconds: Record<number, number>;
  target: number;
  cases: ListCaseResult[];
}

export async function benchmarkListScaling(
  dynamodbEndpoint: string,
  sizes: [number, number],
  options: MeasureOptions,
  log: (line: string) => void,
): Promise<ListScalingResults> {
  const runtimes: BenchRuntime[] = [];
  try {
    const seedSeconds: Record<number, number> = {};
    for (const size of sizes) {
      const bench = await startBenchRuntime(dynamodbEndpoint, `bench-list-${size}`);
      runtimes.push(bench);
      const started = Date.now();
      await seedIncidents(bench.seeder, bench.tableName, BENCH_SERVICE, { from: 0, to: size });
      seedSeconds[size] = round((Date.now() - started) / 1000, 1);
      log(`seeded ${size} incidents in ${seedSeconds[size]} s`);
    }
    const cases: ListCaseResult[] = [];
    for (const listCase of LIST_CASES) {
      const measured = await measureFirstPages(runtimes, listCase, options);
      const bySize = Object.fromEntries(sizes.map((size, i) => [size, measured[i] as SizedMeasurement]));
      cases.push({
        ...judge(listCase.name, listCase.reading, bySize, sizes),
        ...(listCase.filters ? { filters: listCase.filters } : {}),
        maxResults: listCase.maxResults ?? 100,
      });
      log(`measured "${listCase.name}"`);
    }
    return { sizes, seedProfile: DEFAULT_SEED_PROFILE, seedSeconds, target: FLATNESS_TARGET, cases };
  } finally {
    for (const bench of runtimes) await bench.stop();
  }
}

/** The same first-page request against every runtime, alternating between them call by call. */
async function measureFirstPages(
  runtimes: BenchRuntime[],
  listCase: ListCase,
  options: MeasureOptions,
): Promise<SizedMeasurement[]> {
  const pages = runtimes.map(() => ({ itemsReturned: 0, hasNextToken: false }));
  const targets = runtimes.map((bench, r) => ({
    counter: bench.counter,
    call: async () => {
      const page = await bench.incidents.send(
        new ListIncidentRecordsCommand({ filters: listCase.filters, maxResults: listCase.maxResults }),
      );
      const itemsReturned = page.incidentRecordSummaries?.length ?? 0;
      pages[r] = { itemsReturned, hasNextToken: page.nextToken !== undefined };
    },
  }));
  const measured = await measureInterleaved(targets, { ...options, label: `list "${listCase.name}"` });
  return measured.map((measurement, r) => ({ ...measurement, ...(pages[r] as (typeof pages)[number]) }));
}

/**
 * PASS when the first page costs the same at both sizes (p50 latency and requests within FLATNESS_TARGET), makes
 * no Scan and at most MAX_REQUESTS_PER_PAGE requests.
 */
export function judge(
  name: string,
  reading: 'key' | 'bounded',
  bySize: Record<number, SizedMeasurement>,
  [small, large]: [number, number],
): ScaledCaseResult {
  const a = bySize[small] as SizedMeasurement;
  const b = bySize[large] as SizedMeasurement;
  const ratio = {
    p50: round(b.latencyMs.p50 / a.latencyMs.p50),
    p99: round(b.latencyMs.p99 / a.latencyMs.p99),
    dynamodbRequests: round(b.dynamodbPerCall.total / a.dynamodbPerCall.total),
  };
  const scanRequests = (a.dynamodbPerCall.byCommand.Scan ?? 0) + (b.dynamodbPerCall.byCommand.Scan ?? 0);
  const requestsPerPage = Math.max(a.dynamodbPerCall.total, b.dynamodbPerCall.total);
  const flat = ratio.p50 <= FLATNESS_TARGET && ratio.dynamodbRequests <= FLATNESS_TARGET && scanRequests === 0;
  const verdict = flat && requestsPerPage <= MAX_REQUESTS_PER_PAGE ? 'PASS' : 'FAIL';
  return { name, reading, bySize, ratio, scanRequests, requestsPerPage, verdict };
}
