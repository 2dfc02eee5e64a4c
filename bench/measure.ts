/** Times sequential API calls from the client's side and counts the DynamoDB requests they cause. */
import { performance } from 'node:perf_hooks';
import { startProgress } from '#local/progress.ts';
import { type DynamoDbRequestCounter, perCall, type RequestTally } from './dynamodb-requests.ts';
import { type LatencySummary, summarize } from './stats.ts';

export interface Measurement {
  latencyMs: LatencySummary;
  /** DynamoDB requests (and capacity units) per API call, averaged over the measured calls. */
  dynamodbPerCall: RequestTally;
  /** Those of the reactions to each call's changes (stream consumers), when they were waited for. */
  reactionsPerCall?: RequestTally;
}

export interface MeasureOptions {
  warmup: number;
  samples: number;
  /** What the progress line on stderr calls this measurement (default `samples`). */
  label?: string;
}

/** One thing to time: an API call and the counter of the runtime that serves it. */
export interface MeasureTarget {
  call: (index: number) => Promise<unknown>;
  counter: DynamoDbRequestCounter;
}

/**
 * Calls every target warmup + samples times, one call at a time, alternating between the targets, and keeps the
 * wall time of the last `samples` calls of each. Alternating makes drift (JIT warm-up, GC in Node and in DynamoDB
 * Local's JVM) fall on all targets alike, so their ratio is fair. Warm-up calls are neither timed nor counted.
 */
export async function measureInterleaved(
  targets: MeasureTarget[],
  { warmup, samples, label = 'samples' }: MeasureOptions,
): Promise<Measurement[]> {
  // Progress counts every call, warm-up included; it ticks after the timer stops, so a line is never timed.
  const progress = startProgress(label, { total: (warmup + samples) * targets.length });
  for (let i = 0; i < warmup; i++)
    for (const target of targets) {
      await target.call(i);
      progress.tick();
    }
  for (const target of targets) target.counter.reset();
  const latencies: number[][] = targets.map(() => []);
  for (let i = 0; i < samples; i++) {
    for (const [t, target] of targets.entries()) {
      const started = performance.now();
      await target.call(warmup + i);
      latencies[t]?.push(performance.now() - started);
      progress.tick();
    }
  }
  progress.finish();
  return targets.map((target, t) => ({
    latencyMs: summarize(latencies[t] ?? []),
    dynamodbPerCall: perCall(target.counter.tally(), samples),
  }));
}

export async function measure(
  call: MeasureTarget['call'],
  counter: DynamoDbRequestCounter,
  options: MeasureOptions,
): Promise<Measurement> {
  const [measurement] = await measureInterleaved([{ call, counter }], options);
  return measurement as Measurement;
}

/** The sum of two tallies (for calls counted one by one). */
export function addTallies(a: RequestTally, b: RequestTally): RequestTally {
  const sum = (x: Record<string, number>, y: Record<string, number>) => {
    const out = { ...x };
    for (const [name, value] of Object.entries(y)) out[name] = (out[name] ?? 0) + value;
    return out;
  };
  const capacity =
    a.capacityUnits !== undefined || b.capacityUnits !== undefined
      ? { capacityUnits: (a.capacityUnits ?? 0) + (b.capacityUnits ?? 0) }
      : {};
  return {
    byCommand: sum(a.byCommand, b.byCommand),
    total: a.total + b.total,
    dynamodbMs: a.dynamodbMs + b.dynamodbMs,
    dynamodbMsByCommand: sum(a.dynamodbMsByCommand, b.dynamodbMsByCommand),
    ...capacity,
  };
}

const EMPTY_TALLY: RequestTally = { byCommand: {}, total: 0, dynamodbMs: 0, dynamodbMsByCommand: {} };

/**
 * For calls that each need their own set-up (a fresh page to acknowledge, an incident with engagements to resolve):
 * per sample, `prepare` runs uncounted, then the runtime's background work settles (no DynamoDB request for a
 * moment), then only `call` is timed and counted. With `settle`, each call's reactions (what the stream consumers do
 * about its changes) are waited for after the timer stops and counted apart. Warm-up samples are neither timed nor
 * counted.
 */
export async function measureEach<T>(
  prepare: (index: number) => Promise<T>,
  call: (prepared: T, index: number) => Promise<unknown>,
  counter: DynamoDbRequestCounter,
  { warmup, samples, label = 'samples' }: MeasureOptions,
  settle?: () => Promise<void>,
): Promise<Measurement> {
  const latencies: number[] = [];
  let total = EMPTY_TALLY;
  let reactions = EMPTY_TALLY;
  // Ticks after the timer stops (a line is never timed); the set-up of the next sample is not counted either.
  const progress = startProgress(label, { total: warmup + samples });
  for (let i = 0; i < warmup + samples; i++) {
    const prepared = await prepare(i);
    await counter.quiet();
    counter.reset();
    const started = performance.now();
    await call(prepared, i);
    const elapsed = performance.now() - started;
    await settle?.();
    progress.tick();
    if (i < warmup) continue;
    latencies.push(elapsed);
    total = addTallies(total, counter.tally());
    reactions = addTallies(reactions, counter.reactionTally());
  }
  progress.finish();
  return {
    latencyMs: summarize(latencies),
    dynamodbPerCall: perCall(total, samples),
    ...(settle ? { reactionsPerCall: perCall(reactions, samples) } : {}),
  };
}
