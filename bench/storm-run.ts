/**
 * The work of `npm run bench:storm` (entry: bench/storm.ts): an alarm storm through the trigger intake. 100 alarms
 * change state 100 times each (10,000 EventBridge "CloudWatch Alarm State Change" deliveries, interleaved, 50 in
 * flight) against the real intake on the local runtime's Lambda Invoke path; then 1,000 of the deliveries are
 * replayed. It checks that exactly 100 incidents open, that every other delivery is recorded as a deduplicated
 * trigger (none lost, none twice), that the replays write nothing, and measures throughput and the DynamoDB
 * requests per deduplicated trigger. Method and reading: docs/benchmarks.md ("Alarm storm").
 *
 * Environment overrides for quick trial runs (the published figures use the defaults):
 * STORM_ALARMS, STORM_CHANGES, STORM_CONCURRENCY, STORM_OPENING_ROUNDS, STORM_REPLAY.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateResponsePlanCommand,
  type IncidentRecordSummary,
  paginateListIncidentRecords,
  paginateListTimelineEvents,
  SSMIncidentsClient,
} from '@aws-sdk/client-ssm-incidents';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#adapters/dynamodb/keys.ts';
import { timelineEventOf } from '#adapters/dynamodb/timeline-items.ts';
import { eventBridgeInputTemplate } from '#core/alerting/contract.ts';
import { startDynamoDbLocal } from '#local/dynamodb-local.ts';
import { startProgress } from '#local/progress.ts';
import { LOCAL_FUNCTIONS, startLocalRuntime } from '#local/runtime.ts';
import { BENCH_ACCOUNT, BENCH_REGION } from './bench-runtime.ts';
import { DynamoDbRequestCounter, perCall, type RequestTally } from './dynamodb-requests.ts';
import { describeMachine, loadAverageNow } from './report.ts';
import { seededRandom } from './seed.ts';
import { type LatencySummary, round, summarize } from './stats.ts';
import { mixBetween, type RequestMix, StormRequestCounter } from './storm-requests.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_FILE = join(ROOT, 'bench', 'results', 'storm-latest.json');

const intFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

const settings = {
  alarms: intFromEnv('STORM_ALARMS', 100),
  changesPerAlarm: intFromEnv('STORM_CHANGES', 100),
  concurrency: intFromEnv('STORM_CONCURRENCY', 50),
  /** The first deliveries of each alarm (the one that opens its incident, and the next ones) are measured apart. */
  openingRounds: intFromEnv('STORM_OPENING_ROUNDS', 3),
  replay: intFromEnv('STORM_REPLAY', 1_000),
  planName: 'storm-plan',
  tableName: 'bench-storm',
};

/**
 * The steady-state target for a deduplicated trigger: at most 3 write units (as DynamoDB Local reports them and as
 * estimated from the requests by DynamoDB's rules), and no read but the one confirming its incident still holds the
 * dedupe key (plus the plan when the intake's cache expires, and an incident's payload once per environment).
 */
const TARGET = { writeUnitsPerEvent: 3, guardReadsPerEvent: 1 };
/** On-demand prices (us-east-1, after the November 2024 cut), per million request units. */
const PRICE_PER_MILLION = { write: 0.625, read: 0.125 };
/** The trigger intake keeps response plans this long (lambdas/core/alerting/plan-cache.ts). */
const PLAN_CACHE_SECONDS = 30;

const log = (line: string) => console.error(`[storm] ${line}`);

// ---- deliveries -------------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;
const SAMPLE = JSON.parse(readFileSync(join(ROOT, 'samples/events/alarm-eventbridge.json'), 'utf8')) as Json;
const ALARM_ACCOUNT = String(SAMPLE.account);
const RULE_ARN = `arn:aws:events:${BENCH_REGION}:${ALARM_ACCOUNT}:rule/storm`;
const T0 = Date.parse('2026-11-21T17:00:00.000Z');

const alarmName = (alarm: number) => `storm-alarm-${String(alarm).padStart(3, '0')}`;
const alarmArn = (alarm: number) => `arn:aws:cloudwatch:${BENCH_REGION}:${ALARM_ACCOUNT}:alarm:${alarmName(alarm)}`;
/** Distinct for every alarm and change: a minute between an alarm's changes, a millisecond between alarms. */
const stateTime = (alarm: number, change: number) => T0 + change * 60_000 + alarm;
const cloudWatchTime = (millis: number) => new Date(millis).toISOString().replace('Z', '+0000');

interface Delivery {
  alarm: number;
  change: number;
  body: string;
}

/** What an EventBridge rule target sends: the CDK's input template around the sample event, for one state change. */
function delivery(alarm: number, change: number): Delivery {
  const event = structuredClone(SAMPLE) as Json & { detail: Json & { state: Json; previousState: Json } };
  const at = stateTime(alarm, change);
  event.id = `storm-${alarm}-${change}`;
  event.time = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
  event.resources = [alarmArn(alarm)];
  event.detail.alarmName = alarmName(alarm);
  event.detail.state.timestamp = cloudWatchTime(at);
  // A flapping alarm: ALARM after OK (the OK changes in between are not sent: they open nothing).
  event.detail.previousState.timestamp = cloudWatchTime(at - 30_000);
  const template = eventBridgeInputTemplate({ responsePlanName: settings.planName })
    .replace('<aws.events.rule-arn>', () => RULE_ARN)
    .replace('<aws.events.event.json>', () => JSON.stringify(event));
  return { alarm, change, body: template };
}

/** Round by round (every alarm's n-th change, alarms in a seeded random order each round): interleaved alarms. */
function stormDeliveries(): Delivery[][] {
  const random = seededRandom(2026);
  const rounds: Delivery[][] = [];
  for (let change = 0; change < settings.changesPerAlarm; change++) {
    const order = Array.from({ length: settings.alarms }, (_, alarm) => alarm);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    rounds.push(order.map((alarm) => delivery(alarm, change)));
  }
  return rounds;
}

// ---- sending ----------------------------------------------------------------------------------------------------

interface Sent {
  delivery: Delivery;
  ms: number;
  outcome?: string;
  incidentRecordArn?: string;
  /** A function error (`X-Amz-Function-Error`), a non-200 status or a transport failure: no outcome. */
  failure?: string;
}

async function invoke(url: string, item: Delivery): Promise<Sent> {
  const started = performance.now();
  try {
    const response = await fetch(`${url}/2015-03-31/functions/${LOCAL_FUNCTIONS.triggerIntake}/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: item.body,
    });
    const body = (await response.json()) as {
      outcomes?: { outcome: string; incidentRecordArn?: string }[];
      errorType?: string;
      errorMessage?: string;
    };
    const ms = performance.now() - started;
    if (response.status !== 200) return { delivery: item, ms, failure: `HTTP ${response.status}` };
    if (response.headers.get('x-amz-function-error'))
      return { delivery: item, ms, failure: `${body.errorType}: ${body.errorMessage}` };
    const [first, ...more] = body.outcomes ?? [];
    if (!first || more.length > 0)
      return { delivery: item, ms, failure: `unexpected outcomes ${JSON.stringify(body.outcomes)}` };
    return { delivery: item, ms, outcome: first.outcome, incidentRecordArn: first.incidentRecordArn };
  } catch (error) {
    return { delivery: item, ms: performance.now() - started, failure: `transport: ${String(error)}` };
  }
}

/**
 * Sends every delivery with `concurrency` in flight; returns one result per delivery, in the given order. Progress
 * (`phase`) counts answered deliveries and writes a line on stderr at most every 2 s: a few microseconds in seconds
 * of sending, and never inside a delivery's own timing.
 */
async function sendAll(
  url: string,
  items: Delivery[],
  concurrency: number,
  phase: string,
): Promise<{ sent: Sent[]; seconds: number; maxInFlight: number }> {
  const sent: Sent[] = new Array(items.length);
  const progress = startProgress(phase, { total: items.length });
  let next = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      sent[index] = await invoke(url, items[index] as Delivery);
      inFlight--;
      progress.tick();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  progress.finish();
  return { sent, seconds: (performance.now() - started) / 1000, maxInFlight };
}

const countBy = (sent: Sent[]) => {
  const counts: Record<string, number> = {};
  for (const s of sent) {
    const key = s.outcome ?? 'failed';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
};

// ---- verification -----------------------------------------------------------------------------------------------

interface Verification {
  /** Through the official client: ListIncidentRecords over every page. */
  incidents: number;
  openIncidents: number;
  /** Incidents whose source is the alarm (`incidentRecordSource.resourceArn`), one per alarm. */
  alarmsWithOneIncident: number;
  /** `SSM Incident Trigger` events, counted through ListTimelineEvents (eventType filter) over every incident. */
  triggerEventsListed: number;
  /** The same events read from the table, by their eventData's createdIncident. */
  triggerEvents: { createdIncident: number; deduplicated: number; total: number };
  /** State changes (alarm, state time) that have no trigger event, or more than one. */
  missingStateChanges: number;
  duplicatedStateChanges: number;
  /** Trigger events whose rawData is not the state change they record (it must come back whole and exact). */
  rawDataMismatches: number;
}

async function verify(
  incidentsClient: SSMIncidentsClient,
  doc: DynamoDBDocumentClient,
  tableName: string,
): Promise<Verification> {
  const incidents: IncidentRecordSummary[] = [];
  for await (const page of paginateListIncidentRecords({ client: incidentsClient, pageSize: 100 }, {}))
    incidents.push(...(page.incidentRecordSummaries ?? []));
  const perAlarm = new Map<string, number>();
  for (const incident of incidents) {
    const source = incident.incidentRecordSource?.resourceArn ?? '?';
    perAlarm.set(source, (perAlarm.get(source) ?? 0) + 1);
  }
  const expectedAlarms = Array.from({ length: settings.alarms }, (_, a) => alarmArn(a));

  let triggerEventsListed = 0;
  let rawDataMismatches = 0;
  const triggerEvents = { createdIncident: 0, deduplicated: 0, total: 0 };
  const seen = new Map<string, number>(); // `${alarmArn}|${eventTime}` → count
  for (const incident of incidents) {
    for await (const page of paginateListTimelineEvents(
      { client: incidentsClient, pageSize: 100 },
      {
        incidentRecordArn: incident.arn,
        filters: [{ key: 'eventType', condition: { equals: { stringValues: ['SSM Incident Trigger'] } } }],
      },
    ))
      triggerEventsListed += page.eventSummaries?.length ?? 0;

    const incidentId = incident.arn!.slice(incident.arn!.lastIndexOf('/') + 1);
    // The whole partition: trigger events keep their eventData deflated against a payload item beside them.
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.incidentPartition(incidentId) },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    const payloads = new Map(
      items
        .filter((item) => item.entityType === 'TimelinePayload')
        .map((item) => [String(item.sk).slice(8), String(item.text)]),
    );
    for (const item of items) {
      if (item.entityType !== 'TimelineEvent' || item.eventType !== 'SSM Incident Trigger') continue;
      const event = timelineEventOf(item, payloads.get(String(item.payloadKey)));
      const data = JSON.parse(event.eventData) as { createdIncident: boolean; triggerArn?: string; rawData?: string };
      triggerEvents.total++;
      if (data.createdIncident) triggerEvents.createdIncident++;
      else triggerEvents.deduplicated++;
      // Each trigger keeps its own state change's rawData, whole.
      const raw = JSON.parse(data.rawData ?? '{}') as { detail?: { state?: { timestamp?: string } } };
      if (raw.detail?.state?.timestamp !== cloudWatchTime(event.eventTime)) rawDataMismatches++;
      const key = `${data.triggerArn}|${event.eventTime}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  let missingStateChanges = 0;
  let duplicatedStateChanges = 0;
  for (let alarm = 0; alarm < settings.alarms; alarm++) {
    for (let change = 0; change < settings.changesPerAlarm; change++) {
      const count = seen.get(`${alarmArn(alarm)}|${stateTime(alarm, change)}`) ?? 0;
      if (count === 0) missingStateChanges++;
      if (count > 1) duplicatedStateChanges++;
    }
  }
  return {
    incidents: incidents.length,
    openIncidents: incidents.filter((i) => i.status === 'OPEN').length,
    alarmsWithOneIncident: expectedAlarms.filter((arn) => perAlarm.get(arn) === 1).length,
    triggerEventsListed,
    triggerEvents,
    missingStateChanges,
    duplicatedStateChanges,
    rawDataMismatches,
  };
}

// ---- figures ----------------------------------------------------------------------------------------------------

interface PhaseFigures {
  deliveries: number;
  outcomes: Record<string, number>;
  seconds: number;
  eventsPerSecond: number;
  maxInFlight: number;
  latencyMs: LatencySummary;
  /** Requests as sent on the wire (retried attempts included), by command and by what they do. */
  requests: RequestMix;
  /** Per delivery: requests by command, DynamoDB wait and capacity units (the API benchmark's counter). */
  perDelivery: RequestTally & { readsPerDelivery: number; requestsPerDelivery: number };
}

function phaseFigures(
  result: { sent: Sent[]; seconds: number; maxInFlight: number },
  requests: RequestMix,
  tally: RequestTally,
): PhaseFigures {
  const n = result.sent.length;
  return {
    deliveries: n,
    outcomes: countBy(result.sent),
    seconds: round(result.seconds),
    eventsPerSecond: round(n / result.seconds, 1),
    maxInFlight: result.maxInFlight,
    latencyMs: summarize(result.sent.map((s) => s.ms)),
    requests,
    perDelivery: {
      ...perCall(tally, n),
      requestsPerDelivery: round(requests.total / n, 4),
      readsPerDelivery: round(requests.reads / n, 4),
    },
  };
}

const describeMix = (mix: RequestMix, per: number) => {
  const commands = Object.entries(mix.byCommand).map(([name, count]) => `${name} ${round(count / per, 4)}`);
  return `${round(mix.total / per, 4)} = ${commands.join(' + ') || 'none'}`;
};

const describeKinds = (mix: RequestMix) =>
  Object.entries(mix.byKind)
    .map(([kind, { succeeded, failed }]) => `${kind} ${succeeded + failed}${failed ? ` (${failed} failed)` : ''}`)
    .join(', ');

/** Units per event: DynamoDB Local's report and the estimate from the requests (write-units.ts). */
const describeUnits = (mix: RequestMix, per: number) =>
  `write units ${round(mix.writeUnits / per, 3)} reported, ${round(mix.estimatedWriteUnits / per, 3)} estimated; ` +
  `read units ${round(mix.readUnits / per, 3)}`;

// ---- main -------------------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  const loadAtStart = loadAverageNow();
  const dynamodb = await startDynamoDbLocal();
  log(`DynamoDB Local at ${dynamodb.endpoint}`);
  const counter = new DynamoDbRequestCounter();
  const storm = new StormRequestCounter();
  const runtime = await startLocalRuntime({
    port: 0,
    accountId: BENCH_ACCOUNT,
    region: BENCH_REGION,
    tableName: settings.tableName,
    dynamodbEndpoint: dynamodb.endpoint,
    instrumentClient: (client) => {
      counter.instrument(client);
      storm.instrument(client);
    },
  });
  const credentials = { accessKeyId: 'bench', secretAccessKey: 'local' };
  const incidentsClient = new SSMIncidentsClient({
    endpoint: runtime.url,
    region: BENCH_REGION,
    credentials,
    maxAttempts: 1,
  });
  const readerClient = new DynamoDBClient({ endpoint: dynamodb.endpoint, region: BENCH_REGION, credentials });
  const reader = DynamoDBDocumentClient.from(readerClient);
  try {
    await incidentsClient.send(
      new CreateResponsePlanCommand({ name: settings.planName, incidentTemplate: { title: 'Alarm storm', impact: 3 } }),
    );
    const rounds = stormDeliveries();
    const opening = rounds.slice(0, settings.openingRounds).flat();
    const steady = rounds.slice(settings.openingRounds).flat();
    const all = [...opening, ...steady];
    log(`${all.length} deliveries from ${settings.alarms} alarms, ${settings.concurrency} in flight`);

    // Opening rounds (each alarm's first deliveries: its incident opens), then the steady state, measured apart:
    // the pool drains between them so each phase's requests are its own.
    counter.reset();
    storm.reset();
    const stormStarted = performance.now();
    const openingResult = await sendAll(runtime.url, opening, settings.concurrency, 'opening rounds');
    const openingMix = storm.snapshot();
    const openingTally = counter.tally();
    counter.reset();
    const steadyResult = await sendAll(runtime.url, steady, settings.concurrency, 'steady state');
    const stormSeconds = (performance.now() - stormStarted) / 1000;
    const afterStorm = storm.snapshot();
    const steadyMix = mixBetween(openingMix, afterStorm);
    const steadyTally = counter.tally();
    log(`storm sent in ${stormSeconds.toFixed(1)} s`);

    const verification = await verify(incidentsClient, reader, settings.tableName);
    log('verified the table');

    // Replay: 1,000 of the same deliveries again (every n-th one, so all alarms and rounds are represented).
    const stride = Math.max(1, Math.floor(all.length / settings.replay));
    const replayed = all.filter((_, i) => i % stride === 0).slice(0, settings.replay);
    counter.reset();
    const beforeReplay = storm.snapshot();
    const replayResult = await sendAll(runtime.url, replayed, settings.concurrency, 'replays');
    const replayMix = mixBetween(beforeReplay, storm.snapshot());
    const replayTally = counter.tally();
    const afterReplay = await verify(incidentsClient, reader, settings.tableName);
    log('replayed and verified again');

    const stormSent = [...openingResult.sent, ...steadyResult.sent];
    const failures = stormSent.filter((s) => s.failure);
    const expected = {
      incidents: settings.alarms,
      deduplicated: settings.alarms * (settings.changesPerAlarm - 1),
      created: settings.alarms,
    };
    const wholeMix = afterStorm;
    const wholeRequestsPerDelivery = wholeMix.total / stormSent.length;
    const steadyDeduplicated = steadyResult.sent.filter((s) => s.outcome === 'deduplicated').length;
    const steadyPerEvent = { requests: steadyMix.total / steady.length, reads: steadyMix.reads / steady.length };
    const kindCount = (mix: RequestMix, kind: string) =>
      (mix.byKind[kind]?.succeeded ?? 0) + (mix.byKind[kind]?.failed ?? 0);
    const steadyPlanReads = kindCount(steadyMix, 'read-plan');
    const steadyGuardReads = kindCount(steadyMix, 'read-guard');
    const steadyPayloadReads = kindCount(steadyMix, 'read-payload');
    const steadyOtherReads = kindCount(steadyMix, 'read-other');
    /** How often the intake's plan cache (30 s) can have expired during the steady state. */
    const planCacheExpiries = Math.ceil(steadyResult.seconds / PLAN_CACHE_SECONDS);
    const steadyUnits = {
      reported: steadyMix.writeUnits / steady.length,
      estimated: steadyMix.estimatedWriteUnits / steady.length,
      read: steadyMix.readUnits / steady.length,
    };
    // What a storm of this shape costs per incident (each alarm's incident and its changesPerAlarm triggers), then per
    // 1,000 incidents at on-demand prices: estimated write units (DynamoDB charges failed conditions and transactions
    // that DynamoDB Local reports low or not at all) and the read units DynamoDB Local reports.
    const perIncident = {
      writeUnits: wholeMix.estimatedWriteUnits / settings.alarms,
      readUnits: wholeMix.readUnits / settings.alarms,
    };
    const costPer1000Incidents = round(
      (1000 * (perIncident.writeUnits * PRICE_PER_MILLION.write + perIncident.readUnits * PRICE_PER_MILLION.read)) /
        1e6,
      4,
    );

    const checks = {
      incidents:
        verification.incidents === expected.incidents &&
        verification.openIncidents === expected.incidents &&
        verification.alarmsWithOneIncident === settings.alarms,
      triggerEvents:
        verification.triggerEvents.createdIncident === expected.created &&
        verification.triggerEvents.deduplicated === expected.deduplicated &&
        verification.triggerEventsListed === expected.created + expected.deduplicated &&
        verification.rawDataMismatches === 0,
      noneLost:
        failures.length === 0 &&
        stormSent.every((s) => s.outcome === 'created' || s.outcome === 'deduplicated') &&
        verification.missingStateChanges === 0 &&
        verification.duplicatedStateChanges === 0,
      replayRecordedOnce:
        replayResult.sent.every((s) => s.outcome === 'duplicate-delivery') &&
        afterReplay.triggerEvents.total === verification.triggerEvents.total &&
        afterReplay.incidents === verification.incidents,
      // The target: at most 3 write units per deduplicated trigger, by both measures; reads only the guard check
      // (one per trigger), the plan once per cache expiry and each incident's payload at most once.
      steadyState:
        steadyDeduplicated === steady.length &&
        steadyUnits.reported <= TARGET.writeUnitsPerEvent &&
        steadyUnits.estimated <= TARGET.writeUnitsPerEvent &&
        steadyGuardReads <= steady.length * TARGET.guardReadsPerEvent &&
        steadyPayloadReads <= settings.alarms &&
        steadyOtherReads === 0 &&
        steadyPlanReads <= planCacheExpiries,
    };
    const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

    const results = {
      date: new Date().toISOString(),
      machine: describeMachine(),
      loadAverage: { atStart: loadAtStart, atEnd: loadAverageNow() },
      settings: { ...settings, target: TARGET },
      storm: {
        deliveries: stormSent.length,
        seconds: round(stormSeconds),
        eventsPerSecond: round(stormSent.length / stormSeconds, 1),
        outcomes: countBy(stormSent),
        failures: failures
          .slice(0, 10)
          .map((f) => ({ alarm: f.delivery.alarm, change: f.delivery.change, failure: f.failure })),
        latencyMs: summarize(stormSent.map((s) => s.ms)),
        opening: phaseFigures(openingResult, openingMix, openingTally),
        steady: phaseFigures(steadyResult, steadyMix, steadyTally),
        steadyVerdictInputs: {
          writeUnitsPerEventReported: round(steadyUnits.reported, 3),
          writeUnitsPerEventEstimated: round(steadyUnits.estimated, 3),
          readUnitsPerEvent: round(steadyUnits.read, 3),
          guardReads: steadyGuardReads,
          payloadReads: steadyPayloadReads,
          otherReads: steadyOtherReads,
          planReads: steadyPlanReads,
          planCacheExpiriesAllowed: planCacheExpiries,
          allRequestsPerEvent: round(steadyPerEvent.requests, 4),
          allReadsPerEvent: round(steadyPerEvent.reads, 4),
        },
        cost: {
          flapsPerIncident: settings.changesPerAlarm,
          perIncident: { writeUnits: round(perIncident.writeUnits, 1), readUnits: round(perIncident.readUnits, 1) },
          pricePerMillion: PRICE_PER_MILLION,
          costPer1000Incidents,
        },
        wholeRun: {
          requests: wholeMix,
          requestsPerDelivery: round(wholeRequestsPerDelivery, 4),
          requestsPerDeduplicatedEvent: round(wholeMix.total / expected.deduplicated, 4),
          readsPerDelivery: round(wholeMix.reads / stormSent.length, 4),
        },
      },
      verification,
      replay: {
        ...phaseFigures(replayResult, replayMix, replayTally),
        newTriggerEvents: afterReplay.triggerEvents.total - verification.triggerEvents.total,
        incidentsAfter: afterReplay.incidents,
      },
      checks: Object.fromEntries(Object.entries(checks).map(([name, ok]) => [name, verdict(ok)])),
      totalSeconds: Math.round((Date.now() - started) / 1000),
    };
    mkdirSync(dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);

    const { machine, loadAverage } = results;
    const s = results.storm;
    console.log(
      [
        `Alarm storm ${results.date} on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), Node ${machine.node}, ` +
          `DynamoDB Local ${machine.dynamoDbLocal} on Java ${machine.java}; load average ${loadAverage.atStart} at start, ${loadAverage.atEnd} at end`,
        '',
        `Storm: ${s.deliveries} deliveries from ${settings.alarms} alarms (${settings.changesPerAlarm} state changes each), ` +
          `${settings.concurrency} in flight (max seen ${Math.max(s.opening.maxInFlight, s.steady.maxInFlight)})`,
        `  ${s.seconds} s, ${s.eventsPerSecond} events/s; invoke latency p50 ${s.latencyMs.p50} ms, p99 ${s.latencyMs.p99} ms, max ${s.latencyMs.max} ms`,
        `  outcomes: ${JSON.stringify(s.outcomes)}; failed deliveries: ${failures.length}`,
        `  incidents: ${verification.incidents} (${verification.openIncidents} open, ${verification.alarmsWithOneIncident} alarms with exactly one)`,
        `  trigger events: ${verification.triggerEvents.createdIncident} createdIncident true + ${verification.triggerEvents.deduplicated} false = ${verification.triggerEvents.total}` +
          ` (ListTimelineEvents: ${verification.triggerEventsListed}); state changes missing ${verification.missingStateChanges}, recorded twice ${verification.duplicatedStateChanges}`,
        '',
        'DynamoDB requests (as sent, retries included)',
        `  opening rounds (first ${settings.openingRounds} deliveries of each alarm, ${s.opening.deliveries}): per delivery ${describeMix(s.opening.requests, s.opening.deliveries)}`,
        `      by kind: ${describeKinds(s.opening.requests)}`,
        `  steady state (the other ${s.steady.deliveries}, all deduplicated: ${steadyDeduplicated}): per deduplicated event ${describeMix(steadyMix, steady.length)}`,
        `      by kind: ${describeKinds(steadyMix)}; ${describeUnits(steadyMix, steady.length)}; DynamoDB ms/event ${s.steady.perDelivery.dynamodbMs}`,
        `  whole run: ${wholeMix.total} requests, ${round(wholeRequestsPerDelivery, 4)} per delivery, ` +
          `${round(wholeMix.total / expected.deduplicated, 4)} per deduplicated event; ${describeMix(wholeMix, stormSent.length)} per delivery`,
        `  steady-state target <= ${TARGET.writeUnitsPerEvent} write units per deduplicated event: ` +
          `${round(steadyUnits.reported, 3)} reported, ${round(steadyUnits.estimated, 3)} estimated; reads: ${steadyGuardReads} guard checks, ` +
          `${steadyPayloadReads} payload reads, ${steadyOtherReads} other, ${steadyPlanReads} plan reads in ${round(steadyResult.seconds, 1)} s ` +
          `(allowed: one per ${PLAN_CACHE_SECONDS} s cache expiry, ${planCacheExpiries}) → ${results.checks.steadyState}`,
        `  cost at ${settings.changesPerAlarm} flaps per incident: ${round(perIncident.writeUnits, 1)} write units (estimated) + ` +
          `${round(perIncident.readUnits, 1)} read units per incident → $${costPer1000Incidents} per 1,000 incidents ` +
          `(on demand, $${PRICE_PER_MILLION.write} / $${PRICE_PER_MILLION.read} per million write / read units)`,
        '',
        `Replay: ${replayed.length} deliveries again: outcomes ${JSON.stringify(results.replay.outcomes)}; new trigger events ${results.replay.newTriggerEvents}; ` +
          `${results.replay.eventsPerSecond} events/s; per replay ${describeMix(replayMix, replayed.length)} (${describeKinds(replayMix)}); ${describeUnits(replayMix, replayed.length)}`,
        '',
        `Checks: ${Object.entries(results.checks)
          .map(([name, v]) => `${name} ${v}`)
          .join(', ')}`,
        `Written to ${RESULTS_FILE} (total ${results.totalSeconds} s)`,
      ].join('\n'),
    );
    if (Object.values(checks).some((ok) => !ok)) process.exitCode = 1;
  } finally {
    incidentsClient.destroy();
    readerClient.destroy();
    await runtime.stop();
    await dynamodb.stop();
  }
}

await main();
