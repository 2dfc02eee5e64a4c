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

export interface ListCase {
  name: string;
  filters?: Filter[];
  maxResults?: number;
  /**
   * Whether the case must stay flat. A FilterExpression is applied after DynamoDB reads the items, so a filter
   * the index cannot key on (impact) reads more of the index the rarer its matches are among more incidents.
   */
  mustStayFlat: boolean;
}

const statusOpen: Filter = { key: 'status', condition: { equals: { stringValues: ['OPEN'] } } };
const impactOne: Filter = { key: 'impact', condition: { equals: { integerValues: [1] } } };
const createdByNobody: Filter = {
  key: 'createdBy',
  condition: { equals: { stringValues: ['arn:aws:iam::111122223333:user/nobody'] } },
};

export const LIST_CASES: ListCase[] = [
  { name: 'all incidents, maxResults 100 (default)', mustStayFlat: true },
  { name: 'all incidents, maxResults 10', maxResults: 10, mustStayFlat: true },
  { name: 'status OPEN', filters: [statusOpen], mustStayFlat: true },
  { name: 'status OPEN + impact 1', filters: [statusOpen, impactOne], mustStayFlat: false },
  // The worst case of a filter: nothing matches, so a page costs the adapter's whole read budget per call.
  { name: 'createdBy matching nothing', filters: [createdByNobody], mustStayFlat: false },
];

export interface SizedMeasurement extends Measurement {
  /** Incident summaries on the first page (a filtered page can be short when few incidents match). */
  itemsReturned: number;
  /** Whether the first page came with a nextToken (an empty page with a token is valid paging). */
  hasNextToken: boolean;
}

export interface ListCaseResult {
  name: string;
  filters?: Filter[];
  maxResults: number;
  bySize: Record<number, SizedMeasurement>;
  ratio: { p50: number; p99: number; dynamodbRequests: number };
  /** Any Scan request at either size fails the case whatever the ratios say. */
  scanRequests: number;
  mustStayFlat: boolean;
  verdict: 'PASS' | 'FAIL' | 'flat' | 'not flat';
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
      cases.push(judge(listCase, bySize, sizes));
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
  const measured = await measureInterleaved(targets, options);
  return measured.map((measurement, r) => ({ ...measurement, ...(pages[r] as (typeof pages)[number]) }));
}

function judge(
  listCase: ListCase,
  bySize: Record<number, SizedMeasurement>,
  [small, large]: [number, number],
): ListCaseResult {
  const a = bySize[small] as SizedMeasurement;
  const b = bySize[large] as SizedMeasurement;
  const ratio = {
    p50: round(b.latencyMs.p50 / a.latencyMs.p50),
    p99: round(b.latencyMs.p99 / a.latencyMs.p99),
    dynamodbRequests: round(b.dynamodbPerCall.total / a.dynamodbPerCall.total),
  };
  const scanRequests = (a.dynamodbPerCall.byCommand.Scan ?? 0) + (b.dynamodbPerCall.byCommand.Scan ?? 0);
  const flat = ratio.p50 <= FLATNESS_TARGET && ratio.dynamodbRequests <= FLATNESS_TARGET && scanRequests === 0;
  const verdict = listCase.mustStayFlat ? (flat ? 'PASS' : 'FAIL') : flat ? 'flat' : 'not flat';
  return {
    name: listCase.name,
    ...(listCase.filters ? { filters: listCase.filters } : {}),
    maxResults: listCase.maxResults ?? 100,
    bySize,
    ratio,
    scanRequests,
    mustStayFlat: listCase.mustStayFlat,
    verdict,
  };
}
