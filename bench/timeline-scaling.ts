/**
 * Phase 3: does a ListTimelineEvents first page cost the same on an incident with 20 events as on one with 2,000,
 * for every filter? Two shapes of timeline, each at both sizes:
 *
 * - `storm`: an alarm incident whose timeline is repeated triggers of one alarm, plus the same few events at both
 *   sizes: one Note (referencing the incident), one custom event (referencing a runbook), two triggers of a second
 *   alarm;
 * - `notes`: a war-room incident whose timeline is custom events, plus the same single Note.
 *
 * A selective filter matches the same events at both sizes, so its first page is the same page over 100 times as
 * many other events; a filter matching most events is read with a page size both sizes fill (10). Either way the
 * two first pages hold the same number of items, and any difference in their cost comes from the data around them.
 * Every event is written through the store's own write paths (StartIncident for triggers, so repeats take the
 * deduplicated path; CreateTimelineEvent; UpdateIncidentRecord), with a separate, uncounted DynamoDB client.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type Filter, ListTimelineEventsCommand } from '@aws-sdk/client-ssm-incidents';
import { createDynamoDbIncidentsStore } from '#adapters/dynamodb/store.ts';
import { incidentRecordArn } from '#core/incidents/arns.ts';
import { EVENT_TYPES, triggerEvent } from '#core/incidents/automatic-events.ts';
import type { IncidentRecord, IncidentsStore } from '#core/incidents/ports.ts';
import { startProgress } from '#local/progress.ts';
import { BENCH_REGION, BENCH_SERVICE, type BenchRuntime, startBenchRuntime } from './bench-runtime.ts';
import { judge, type ScaledCaseResult, type SizedMeasurement } from './list-scaling.ts';
import { type MeasureOptions, measureInterleaved } from './measure.ts';
import { DEFAULT_SEED_PROFILE, seededIncident, seededRandom } from './seed.ts';
import { round } from './stats.ts';

export type TimelineShape = 'storm' | 'notes';

export interface TimelineCase {
  name: string;
  shape: TimelineShape;
  filters?: (incident: SeededTimeline) => Filter[];
  maxResults: number;
  reading: 'key' | 'bounded';
}

export interface TimelineCaseResult extends ScaledCaseResult {
  shape: TimelineShape;
}

export interface TimelineScalingResults {
  sizes: [number, number];
  seedSeconds: Record<string, number>;
  cases: TimelineCaseResult[];
}

interface SeededTimeline {
  arn: string;
  id: string;
  runbook: string;
  rareAlarm: string;
  /** The instant of event 6: the events before it are the same at both sizes. */
  early: Date;
}

const ALARM = (name: string) => `arn:aws:cloudwatch:${BENCH_REGION}:111122223333:alarm:${name}`;
const COMMON_ALARM = ALARM('checkout-cpu-high');
const RARE_ALARM = ALARM('checkout-disk-full');
const T = EVENT_TYPES;
const type = (...values: string[]): Filter => ({ key: 'eventType', condition: { equals: { stringValues: values } } });
const reference = (...values: string[]): Filter => ({
  key: 'eventReference',
  condition: { equals: { stringValues: values } },
});

/** Before this instant: the first 6 minutes of every seeded timeline (events 0 to 5, the same at both sizes). */
const EARLY = (t: SeededTimeline) => ({ key: 'eventTime', condition: { before: t.early } }) satisfies Filter;

export const TIMELINE_CASES: TimelineCase[] = [
  { name: 'no filter', shape: 'storm', maxResults: 10, reading: 'key' },
  {
    name: 'eventType SSM Incident Trigger',
    shape: 'storm',
    filters: () => [type(T.trigger)],
    maxResults: 10,
    reading: 'key',
  },
  { name: 'eventType Note (1 match)', shape: 'storm', filters: () => [type(T.note)], maxResults: 100, reading: 'key' },
  {
    name: 'eventType Note or Custom Event (2 matches)',
    shape: 'storm',
    filters: () => [type(T.note, T.custom)],
    maxResults: 100,
    reading: 'key',
  },
  {
    name: 'eventReference the incident (1 match)',
    shape: 'storm',
    filters: (t) => [reference(t.arn)],
    maxResults: 100,
    reading: 'key',
  },
  {
    name: 'eventReference the second alarm (2 matches)',
    shape: 'storm',
    filters: (t) => [reference(t.rareAlarm)],
    maxResults: 100,
    reading: 'key',
  },
  {
    name: 'eventTime first 6 minutes + eventType trigger (4 matches)',
    shape: 'storm',
    filters: (t) => [EARLY(t), type(T.trigger)],
    maxResults: 100,
    reading: 'key',
  },
  {
    name: 'eventType trigger + eventReference the second alarm (2 matches)',
    shape: 'storm',
    filters: (t) => [type(T.trigger), reference(t.rareAlarm)],
    maxResults: 100,
    reading: 'bounded',
  },
  { name: 'no filter', shape: 'notes', maxResults: 10, reading: 'key' },
  { name: 'eventType Note (1 match)', shape: 'notes', filters: () => [type(T.note)], maxResults: 100, reading: 'key' },
];

/** Writes one timeline of `size` events of the given shape through the store, `concurrency` writes at a time. */
async function seedTimeline(
  store: IncidentsStore,
  shape: TimelineShape,
  size: number,
  index: number,
): Promise<SeededTimeline> {
  const random = seededRandom(index + 1);
  const { record } = seededIncident(
    BENCH_SERVICE,
    { ...DEFAULT_SEED_PROFILE, openShare: 1 },
    random,
    Date.now(),
    index,
  );
  const incident: IncidentRecord = { ...record, arn: incidentRecordArn(BENCH_SERVICE, 'bench-plan', record.id) };
  const start = incident.creationTime;
  const at = (i: number) => start + i * 60_000;
  const dedupeKey = `dedupe:bench-${randomUUID()}`;
  const trigger = (arn: string, i: number, created: boolean) =>
    triggerEvent(
      incident.arn,
      { source: 'aws.cloudwatch', timestamp: at(i), triggerArn: arn, rawData: SAMPLE_RAW_DATA(arn, at(i)) },
      created,
      at(i),
    );
  await store.startIncident(
    {
      incident: { ...incident, dedupeKey },
      events: shape === 'storm' ? [trigger(COMMON_ALARM, 0, true)] : [],
      relatedItems: [],
      dedupeKey,
      duplicateTriggerEvent: () => trigger(COMMON_ALARM, 0, false),
    },
    undefined,
    Date.now(),
  );
  const userEvent = (i: number, eventType: string, references: string[] = []) =>
    store.createTimelineEvent(
      incident.id,
      {
        incidentRecordArn: incident.arn,
        eventId: randomUUID(),
        eventTime: at(i),
        eventUpdatedTime: Date.now(),
        eventType,
        eventData: `event ${i}`,
        ...(references.length ? { eventReferences: references.map((resource) => ({ resource })) } : {}),
      },
      undefined,
      Date.now(),
    );
  const runbook = 'arn:aws:ssm:us-east-1:111122223333:document/checkout-runbook';
  const writes: (() => Promise<unknown>)[] = [];
  const repeat = (arn: string, i: number) => () =>
    store.startIncident(
      {
        incident: { ...incident, id: randomUUID(), dedupeKey },
        events: [],
        relatedItems: [],
        dedupeKey,
        duplicateTriggerEvent: () => trigger(arn, i, false),
      },
      { operation: 'StartIncident', token: `bench-${incident.id}-${i}`, inputHash: 'bench' },
      Date.now(),
    );
  // Event i happens at minute i. The first events are the same at both sizes; the rest is what grows.
  for (let i = shape === 'storm' ? 1 : 0; i < size; i++) {
    if (i === 1) writes.push(() => userEvent(i, T.note, [incident.arn]));
    else if (i === 2) writes.push(() => userEvent(i, T.custom, [runbook]));
    else if (shape === 'notes') writes.push(() => userEvent(i, T.custom));
    else writes.push(repeat(i === 5 || i === 7 ? RARE_ALARM : COMMON_ALARM, i));
  }
  const progress = startProgress(`seeding a ${shape} timeline of ${size} events`, { total: writes.length });
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < writes.length) {
        await writes[next++]!();
        progress.tick();
      }
    }),
  );
  progress.finish();
  return { arn: incident.arn, id: incident.id, runbook, rareAlarm: RARE_ALARM, early: new Date(at(6)) };
}

/** A CloudWatch alarm state change as the trigger intake stores it (about 1.2 KB, differing in its timestamps). */
const SAMPLE_RAW_DATA = (alarmArn: string, time: number) =>
  JSON.stringify({
    version: '0',
    id: randomUUID(),
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: '111122223333',
    time: new Date(time).toISOString(),
    region: BENCH_REGION,
    resources: [alarmArn],
    detail: {
      alarmName: alarmArn.slice(alarmArn.lastIndexOf(':') + 1),
      state: {
        value: 'ALARM',
        reason: 'Threshold Crossed: 1 out of the last 1 datapoints [99.5] was greater than the threshold (80.0).',
        timestamp: new Date(time).toISOString(),
      },
      previousState: { value: 'OK', timestamp: new Date(time - 30_000).toISOString() },
      configuration: {
        description: 'Checkout hosts are saturated',
        metrics: [
          {
            id: 'm1',
            metricStat: {
              metric: {
                dimensions: { InstanceId: 'i-0abc1234def567890' },
                name: 'CPUUtilization',
                namespace: 'AWS/EC2',
              },
              period: 300,
              stat: 'Average',
            },
            returnData: true,
          },
        ],
      },
    },
  });

export async function benchmarkTimelineScaling(
  dynamodbEndpoint: string,
  sizes: [number, number],
  options: MeasureOptions,
  log: (line: string) => void,
): Promise<TimelineScalingResults> {
  const runtimes: BenchRuntime[] = [];
  const seederClient = new DynamoDBClient({
    endpoint: dynamodbEndpoint,
    region: BENCH_REGION,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'local' },
  });
  try {
    // One runtime (and table) per size, as for incidents, so each size has its own request counter.
    const timelines: Map<TimelineShape, SeededTimeline>[] = [];
    const seedSeconds: Record<string, number> = {};
    for (const size of sizes) {
      const bench = await startBenchRuntime(dynamodbEndpoint, `bench-timeline-${size}`);
      runtimes.push(bench);
      // The adapter the runtime uses, on an uninstrumented client: seeding never shows up in the counts.
      const store = createDynamoDbIncidentsStore({
        client: seederClient,
        tableName: bench.tableName,
        idempotencyWindowSeconds: 3600,
      });
      const ofSize = new Map<TimelineShape, SeededTimeline>();
      for (const [index, shape] of (['storm', 'notes'] as const).entries()) {
        const started = Date.now();
        ofSize.set(shape, await seedTimeline(store, shape, size, index));
        seedSeconds[`${shape}/${size}`] = round((Date.now() - started) / 1000, 1);
        log(`seeded a ${shape} timeline of ${size} events in ${seedSeconds[`${shape}/${size}`]} s`);
      }
      timelines.push(ofSize);
    }
    const cases: TimelineCaseResult[] = [];
    for (const timelineCase of TIMELINE_CASES) {
      const pages = sizes.map(() => ({ itemsReturned: 0, hasNextToken: false }));
      const targets = runtimes.map((bench, s) => {
        const timeline = timelines[s]!.get(timelineCase.shape)!;
        const filters = timelineCase.filters?.(timeline);
        return {
          counter: bench.counter,
          call: async () => {
            const page = await bench.incidents.send(
              new ListTimelineEventsCommand({
                incidentRecordArn: timeline.arn,
                filters,
                maxResults: timelineCase.maxResults,
              }),
            );
            pages[s] = { itemsReturned: page.eventSummaries?.length ?? 0, hasNextToken: page.nextToken !== undefined };
          },
        };
      });
      const measured = await measureInterleaved(targets, {
        ...options,
        label: `timeline "${timelineCase.shape}: ${timelineCase.name}"`,
      });
      const bySize = Object.fromEntries(
        sizes.map((size, s) => [size, { ...measured[s]!, ...pages[s]! } satisfies SizedMeasurement]),
      );
      cases.push({ ...judge(timelineCase.name, timelineCase.reading, bySize, sizes), shape: timelineCase.shape });
      log(`measured timeline "${timelineCase.shape}: ${timelineCase.name}"`);
    }
    return { sizes, seedSeconds, cases };
  } finally {
    seederClient.destroy();
    for (const bench of runtimes) await bench.stop();
  }
}
