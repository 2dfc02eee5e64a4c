/**
 * The local stand-in for the Lambda event source mapping that feeds the table's DynamoDB stream to the stream
 * consumer functions: it reads DynamoDB Local's own stream (the DynamoDB Streams API on the same port) and invokes
 * the very same handlers with the same event shape, so what reacts to changes locally is what reacts in AWS.
 *
 * Like the event source mapping it:
 * - delivers each consumer the records of its item types only (the same filter as the CDK stack's, from
 *   lambdas/runtime/stream-consumers.ts), in stream order, in batches;
 * - on a batch item failure delivers the failed record and everything after it again, with back-off, and after
 *   `maxAttempts` gives the record up (the on-failure destination in AWS; here a line in `<data dir>/stream-failures.jsonl`
 *   and on the console) so one poisoned change cannot stop all reactions;
 * - remembers, per consumer and shard, the last record handled (`<data dir>/stream-checkpoints.json`), so a restart of
 *   `npm start` resumes where it stopped: nothing is lost and nothing handled is handled again.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBRecord } from 'aws-lambda';
import type { ChangeStreamHandler } from '#handlers/change-stream.ts';
import { recordMatches, type StreamConsumerSpec } from '#runtime/stream-consumers.ts';

export interface LocalStreamConsumer {
  /** The function's name (its checkpoints and failures are kept under it). */
  name: string;
  spec: StreamConsumerSpec;
  handler: ChangeStreamHandler;
}

export interface LocalChangeStreamOptions {
  dynamodb: DynamoDBClient;
  endpoint: string;
  tableName: string;
  region: string;
  accountId: string;
  consumers: LocalStreamConsumer[];
  /** Where checkpoints are kept across restarts; omitted: in memory (the data is too). */
  checkpointFile?: string;
  /** Where given-up records are written; omitted: the console only. */
  failureFile?: string;
  /**
   * Pause between reads of a stream with nothing new. A write through this runtime's own client wakes the consumers at
   * once (`nudge()`), so this only bounds how late a change written by another process (a test's own DynamoDB client,
   * `npm run migrate:table`) is seen. Reading every 50 ms instead cost an idle runtime about a fifth of a core (two
   * consumers, a GetRecords each, in Node and in DynamoDB Local's JVM). @default 1000 ms
   */
  pollIntervalMs?: number;
  /** Records per batch, as the event source mapping's BatchSize. @default 100 */
  batchSize?: number;
  /** Deliveries of a failing record before it is given up. @default 10 (as MaximumRetryAttempts + 1) */
  maxAttempts?: number;
  /** Told about failures and given-up records (npm start prints them). */
  report?: (line: string) => void;
}

type Checkpoints = Record<string, Record<string, string>>;

/**
 * The consumer whose handler is running, in the asynchronous context of everything it does (the benchmarks count the
 * DynamoDB requests of reactions apart from those of the API call that caused them: separate functions in AWS).
 */
export const streamDelivery = new AsyncLocalStorage<string>();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type WireValue = Record<string, unknown>;

/**
 * The DynamoDB Streams client reads an empty map (`{"M": {}}` on the wire) as `{}`, which is no attribute value at
 * all; no other type can come out empty, so an empty object here is always an empty map. Lambda passes the wire JSON
 * as it is, so the record is put back into that form.
 */
const wireImage = (image: Record<string, WireValue> | undefined): Record<string, WireValue> | undefined => {
  if (!image) return undefined;
  const value = (attribute: WireValue): WireValue => {
    if (Object.keys(attribute).length === 0) return { M: {} };
    if (attribute.M) return { M: wireImage(attribute.M as Record<string, WireValue>) };
    if (attribute.L) return { L: (attribute.L as WireValue[]).map(value) };
    return attribute;
  };
  return Object.fromEntries(Object.entries(image).map(([name, attribute]) => [name, value(attribute)]));
};

/** The Lambda event's record for a DynamoDB Streams API record (dates become epoch seconds, as Lambda sends them). */
const lambdaRecordOf = (record: StreamRecord, streamArn: string, region: string): DynamoDBRecord =>
  ({
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    eventSourceARN: streamArn,
    dynamodb: {
      ...record.dynamodb,
      NewImage: wireImage(record.dynamodb?.NewImage as Record<string, WireValue> | undefined),
      OldImage: wireImage(record.dynamodb?.OldImage as Record<string, WireValue> | undefined),
      ApproximateCreationDateTime: record.dynamodb?.ApproximateCreationDateTime
        ? Math.floor(record.dynamodb.ApproximateCreationDateTime.getTime() / 1000)
        : undefined,
    },
  }) as DynamoDBRecord;

/** Shards in an order where a parent comes before its children (the order Lambda reads them in). */
const parentsFirst = (shards: Shard[]): Shard[] => {
  const byId = new Map(shards.map((s) => [s.ShardId, s]));
  const ordered: Shard[] = [];
  const seen = new Set<string>();
  const visit = (shard: Shard) => {
    if (!shard.ShardId || seen.has(shard.ShardId)) return;
    seen.add(shard.ShardId);
    const parent = shard.ParentShardId ? byId.get(shard.ParentShardId) : undefined;
    if (parent) visit(parent);
    ordered.push(shard);
  };
  for (const shard of shards) visit(shard);
  return ordered;
};

/**
 * GetRecords errors that mean "this iterator is no good any more", not "the stream is broken": ExpiredIteratorException
 * (iterators live 15 minutes), and DynamoDB Local's TrimmedDataAccessException / ResourceNotFoundException for an
 * iterator taken on a shard that had no records yet.
 */
const STALE_ITERATOR_ERRORS = new Set([
  'ExpiredIteratorException',
  'TrimmedDataAccessException',
  'ResourceNotFoundException',
]);

class ConsumerLoop {
  private readonly iterators = new Map<string, string | null>();
  /** Passes started so far, and the number of the last one that found nothing new (caughtUp waits for one that
   * started after its call: a count, not a time, since a woken pass can start in the very millisecond of the call). */
  passesStarted = 0;
  lastIdlePass = 0;
  /** A write was reported since this loop's current pass started (`LocalChangeStream.nudge()`). */
  woken = false;
  /** The pass dropped a stale iterator: the next one comes after a short pause, not the poll interval. */
  retrySoon = false;
  private attempts = 0;

  constructor(
    private readonly stream: LocalChangeStream,
    readonly consumer: LocalStreamConsumer,
  ) {}

  /** One pass over every shard; true when it handled (or skipped) at least one record. */
  async pass(streamArn: string, shards: Shard[]): Promise<boolean> {
    const passNumber = ++this.passesStarted;
    let progressed = false;
    for (const shard of parentsFirst(shards)) {
      const shardId = shard.ShardId;
      if (!shardId) continue;
      let iterator = this.iterators.get(shardId);
      if (iterator === null) continue; // a closed shard, read to its end
      if (iterator === undefined) iterator = await this.stream.iteratorFor(streamArn, shardId, this.consumer.name);
      let page: Awaited<ReturnType<typeof this.stream.getRecords>>;
      try {
        page = await this.stream.getRecords(iterator);
      } catch (error) {
        if (!STALE_ITERATOR_ERRORS.has((error as Error).name)) throw error;
        // An iterator that expired, or one DynamoDB Local handed out before the shard's first record (it then refuses
        // it once records arrive): take a fresh one from the checkpoint next time. Nothing is skipped or repeated.
        this.iterators.delete(shardId);
        // The change that made it stale may be waiting behind it: read again soon, not after the poll interval.
        this.retrySoon = true;
        continue;
      }
      const records = page.Records ?? [];
      if (records.length === 0) {
        this.iterators.set(shardId, page.NextShardIterator ?? null);
        continue;
      }
      const handledUpTo = await this.deliver(streamArn, records);
      if (handledUpTo === undefined) {
        // Nothing of this batch was handled: read it again from the checkpoint after a back-off.
        this.iterators.delete(shardId);
        return true;
      }
      this.stream.checkpoint(this.consumer.name, shardId, handledUpTo);
      const allHandled = handledUpTo === records[records.length - 1]?.dynamodb?.SequenceNumber;
      if (allHandled) this.iterators.set(shardId, page.NextShardIterator ?? null);
      else this.iterators.delete(shardId); // resume right after the last handled record
      progressed = true;
    }
    if (!progressed) this.lastIdlePass = passNumber;
    return progressed;
  }

  /**
   * Hands the consumer's records of a batch to its handler. Returns the sequence number up to which the batch is
   * done (handled, skipped by the filter, or given up), or undefined when the first matching record failed again.
   */
  private async deliver(streamArn: string, records: StreamRecord[]): Promise<string | undefined> {
    const matching = records.filter((r) => recordMatches(this.consumer.spec, r as never));
    const last = records[records.length - 1]?.dynamodb?.SequenceNumber;
    if (matching.length === 0) return last;
    let failedAt: string | undefined;
    try {
      const response = await streamDelivery.run(this.consumer.name, () =>
        this.consumer.handler(
          { Records: matching.map((r) => lambdaRecordOf(r, streamArn, this.stream.region)) },
          this.stream.lambdaContext(this.consumer.name),
        ),
      );
      failedAt = response?.batchItemFailures?.[0]?.itemIdentifier;
    } catch (error) {
      failedAt = matching[0]?.dynamodb?.SequenceNumber;
      this.stream.report(`[changes] ${this.consumer.name} failed on a batch: ${String(error)}`);
    }
    if (failedAt === undefined) {
      this.attempts = 0;
      return last;
    }
    const index = records.findIndex((r) => r.dynamodb?.SequenceNumber === failedAt);
    const before = index > 0 ? records[index - 1]?.dynamodb?.SequenceNumber : undefined;
    this.attempts++;
    if (this.attempts < this.stream.maxAttempts) {
      await sleep(Math.min(5_000, 50 * 2 ** this.attempts));
      return before;
    }
    // Given up, as an event source mapping does after its retries: recorded, and the stream moves on.
    this.attempts = 0;
    this.stream.giveUp(this.consumer.name, records[index] ?? matching[0]);
    return failedAt;
  }
}

export class LocalChangeStream {
  readonly client: DynamoDBStreamsClient;
  readonly region: string;
  readonly batchSize: number;
  readonly maxAttempts: number;
  private readonly loops: ConsumerLoop[];
  private readonly checkpoints: Checkpoints;
  private streamArn?: string;
  private running?: Promise<void>;
  private closed = false;
  /** The pauses of the consumer loops now waiting: `nudge()` ends them. */
  private readonly pauses = new Set<() => void>();

  constructor(private readonly options: LocalChangeStreamOptions) {
    this.client = new DynamoDBStreamsClient({
      endpoint: options.endpoint,
      region: options.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      // Something else may hold the port after DynamoDB Local died and never answer: a read must give up on its own
      // (the loop retries), or the reader, and stopping it, would wait forever.
      requestHandler: { requestTimeout: 10_000, connectionTimeout: 2_000, throwOnRequestTimeout: true },
    });
    this.region = options.region;
    this.batchSize = options.batchSize ?? 100;
    this.maxAttempts = options.maxAttempts ?? 10;
    this.checkpoints = this.readCheckpoints();
    this.loops = options.consumers.map((consumer) => new ConsumerLoop(this, consumer));
  }

  /** Starts reading in the background. */
  start(): void {
    this.running ??= this.run();
  }

  /**
   * Resolves when every consumer has handled every change committed before the call (tests and scripts wait on it
   * instead of sleeping).
   */
  async caughtUp(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const startedBefore = this.loops.map((loop) => loop.passesStarted);
    // A loop pausing on a quiet stream would otherwise start its next pass only after the poll interval.
    this.nudge();
    while (!this.loops.every((loop, i) => loop.lastIdlePass > (startedBefore[i] ?? 0))) {
      if (this.closed) throw new Error('The change stream reader is closed.');
      if (Date.now() > deadline) throw new Error(`The change stream did not catch up within ${timeoutMs} ms.`);
      await sleep(10);
    }
  }

  /**
   * Something was written to the table (the runtime calls it after each write of its DynamoDB client): every consumer
   * reads the stream again now, instead of after the poll interval. DynamoDB Local has the change in the stream by
   * the time the write is answered.
   */
  nudge(): void {
    for (const loop of this.loops) loop.woken = true;
    for (const endPause of this.pauses) endPause();
  }

  /** Waits `ms`, or less if `nudge()` comes first; not at all once closing (close's own nudge may have come first). */
  private pause(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const endPause = () => {
        clearTimeout(timer);
        this.pauses.delete(endPause);
        resolve();
      };
      const timer = setTimeout(endPause, ms);
      this.pauses.add(endPause);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    // Loops pausing on a quiet stream end now, not after the idle interval.
    this.nudge();
    // Destroyed first: a read in flight fails at once instead of holding the stop until it times out.
    this.client.destroy();
    await this.running?.catch(() => undefined);
  }

  /**
   * Each consumer reads the stream on its own, as each function's event source mapping does in AWS: one consumer's
   * slow batch (the notifier delivering a dozen changes) never holds up another's (the reactor that pages).
   */
  private async run(): Promise<void> {
    await Promise.all(this.loops.map((loop) => this.runLoop(loop)));
  }

  private async runLoop(loop: ConsumerLoop): Promise<void> {
    while (!this.closed) {
      try {
        // Cleared before anything is read: a nudge from here on (during the shard list or the pass, which may already
        // have read that shard) means read again rather than pause.
        loop.woken = false;
        loop.retrySoon = false;
        const { streamArn, shards } = await this.currentShards();
        if (this.closed) break;
        if (!(await loop.pass(streamArn, shards)) && !loop.woken)
          await this.pause(loop.retrySoon ? 50 : (this.options.pollIntervalMs ?? 1_000));
      } catch (error) {
        if (this.closed) break;
        this.report(`[changes] reading the change stream failed, retrying: ${String(error)}`);
        await sleep(500);
      }
    }
  }

  private shardsRead?: { streamArn: string; shards: Shard[]; readAt: number };
  private shardsReading?: Promise<{ streamArn: string; shards: Shard[] }>;

  /** The stream and its shards, shared by the consumers; new shards appear when DynamoDB rolls the stream over. */
  private async currentShards(): Promise<{ streamArn: string; shards: Shard[] }> {
    const known = this.shardsRead;
    if (known && known.shards.length > 0 && Date.now() - known.readAt <= 1_000) return known;
    // One read in flight at a time, whichever consumer asks first.
    this.shardsReading ??= (async () => {
      this.streamArn ??= await this.latestStreamArn();
      const read = { streamArn: this.streamArn, shards: await this.shardsOf(this.streamArn), readAt: Date.now() };
      this.shardsRead = read;
      return read;
    })().finally(() => {
      this.shardsReading = undefined;
    });
    return this.shardsReading;
  }

  private async latestStreamArn(): Promise<string> {
    const { Table } = await this.options.dynamodb.send(new DescribeTableCommand({ TableName: this.options.tableName }));
    if (!Table?.LatestStreamArn) throw new Error(`Table ${this.options.tableName} has no stream.`);
    return Table.LatestStreamArn;
  }

  private async shardsOf(streamArn: string): Promise<Shard[]> {
    const shards: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await this.client.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return shards;
  }

  getRecords(iterator: string) {
    return this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.batchSize }));
  }

  /** An iterator right after the consumer's checkpoint in the shard, or at the shard's start. */
  async iteratorFor(streamArn: string, shardId: string, consumer: string): Promise<string> {
    const after = this.checkpoints[this.checkpointKey(consumer)]?.[shardId];
    const { ShardIterator } = await this.client.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    if (!ShardIterator) throw new Error(`No iterator for shard ${shardId}.`);
    return ShardIterator;
  }

  /** Checkpoints belong to a stream: a re-created table starts its consumers from its own beginning. */
  private checkpointKey(consumer: string) {
    return `${consumer} ${this.streamArn ?? ''}`;
  }

  checkpoint(consumer: string, shardId: string, sequenceNumber: string): void {
    const key = this.checkpointKey(consumer);
    this.checkpoints[key] = { ...this.checkpoints[key], [shardId]: sequenceNumber };
    const file = this.options.checkpointFile;
    if (!file) return;
    // Write-then-rename, so a crash mid-write never leaves a torn file behind.
    writeFileSync(`${file}.tmp`, JSON.stringify(this.checkpoints, null, 2));
    renameSync(`${file}.tmp`, file);
  }

  giveUp(consumer: string, record: StreamRecord | undefined): void {
    const line = {
      time: new Date().toISOString(),
      consumer,
      sequenceNumber: record?.dynamodb?.SequenceNumber,
      eventName: record?.eventName,
      keys: record?.dynamodb?.Keys,
    };
    this.report(
      `[changes] ${consumer} gave up on change ${line.sequenceNumber} after ${this.maxAttempts} attempts` +
        (this.options.failureFile ? ` (recorded in ${this.options.failureFile})` : ''),
    );
    if (this.options.failureFile) appendFileSync(this.options.failureFile, `${JSON.stringify(line)}\n`);
  }

  report(line: string): void {
    (this.options.report ?? console.error)(line);
  }

  lambdaContext(functionName: string): Context {
    return {
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${this.region}:${this.options.accountId}:function:${functionName}`,
      memoryLimitInMB: '512',
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: false,
      getRemainingTimeInMillis: () => 60_000,
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
  }

  private readCheckpoints(): Checkpoints {
    if (!this.options.checkpointFile) return {};
    try {
      return JSON.parse(readFileSync(this.options.checkpointFile, 'utf8')) as Checkpoints;
    } catch {
      return {};
    }
  }
}
