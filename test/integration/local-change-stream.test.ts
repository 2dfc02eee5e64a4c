/**
 * The local stand-in for the stream's event source mapping, against DynamoDB Local's real stream: consumers see the
 * changes of their item types in order, a failed change is delivered again, a change that keeps failing is given up
 * (and recorded) so later ones still flow, a restart resumes after the last change handled: nothing lost,
 * nothing handled twice, and each consumer reads at its own pace, as each function's event source mapping does.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  LocalChangeStream,
  type LocalChangeStreamOptions,
  type LocalStreamConsumer,
} from '../../local/change-stream.ts';
import { ensureTable } from '../../local/tables.ts';

const endpoint = inject('dynamodbEndpoint');
const dynamodb = new DynamoDBClient({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'change-stream-'));
});
afterAll(async () => {
  dynamodb.destroy();
  await rm(dir, { recursive: true, force: true });
});

const put = (tableName: string, id: string, entityType = 'Incident') =>
  dynamodb.send(
    new PutItemCommand({
      TableName: tableName,
      Item: { pk: { S: `INC#${id}` }, sk: { S: 'INC' }, entityType: { S: entityType }, tags: { M: {} } },
    }),
  );

/** A consumer recording the ids it was given; `fail(id)` says whether to fail that record this time. */
function recorder(fail: (id: string) => boolean = () => false) {
  const seen: string[] = [];
  const consumer: LocalStreamConsumer = {
    name: 'recorder',
    spec: { entityTypes: ['Incident'] },
    handler: async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
      for (const record of event.Records) {
        const id = String(record.dynamodb?.NewImage?.pk?.S).slice(4);
        if (fail(id)) return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
        // The empty map survives the trip (the streams client reads it as `{}`; Lambda sends `{"M":{}}`).
        expect(record.dynamodb?.NewImage?.tags).toEqual({ M: {} });
        seen.push(id);
      }
      return { batchItemFailures: [] };
    },
  };
  return { seen, consumer };
}

/** A reader of the table's stream on the run's DynamoDB Local, for these consumers. */
const streamOf = (
  tableName: string,
  consumers: LocalStreamConsumer[],
  options: Partial<LocalChangeStreamOptions> = {},
) =>
  new LocalChangeStream({
    dynamodb,
    endpoint,
    tableName,
    region: 'us-east-1',
    accountId: '111122223333',
    consumers,
    ...options,
  });

/** A reader that keeps its checkpoints and given-up records in files, as npm start's does. */
const reader = (tableName: string, consumer: LocalStreamConsumer, maxAttempts = 10, lines: string[] = []) =>
  streamOf(tableName, [consumer], {
    checkpointFile: join(dir, `${tableName}-checkpoints.json`),
    failureFile: join(dir, `${tableName}-failures.jsonl`),
    maxAttempts,
    report: (line) => lines.push(line),
  });

describe('the local change stream', () => {
  it('delivers its item types in order and skips the others', async () => {
    const table = `stream-${randomUUID()}`;
    await ensureTable(dynamodb, table);
    const { seen, consumer } = recorder();
    const stream = reader(table, consumer);
    stream.start();
    await put(table, 'a');
    await put(table, 'x', 'IdempotencyRecord');
    await put(table, 'b');
    await stream.caughtUp();
    await stream.close();
    expect(seen).toEqual(['a', 'b']);
  });

  it('resumes after a restart where it stopped: nothing lost, nothing handled twice', async () => {
    const table = `stream-${randomUUID()}`;
    await ensureTable(dynamodb, table);
    const first = recorder();
    const before = reader(table, first.consumer);
    before.start();
    await put(table, 'one');
    await before.caughtUp();
    await before.close();
    await put(table, 'two'); // committed while nothing reads the stream

    const second = recorder();
    const after = reader(table, second.consumer);
    after.start();
    await after.caughtUp();
    await after.close();

    expect(first.seen).toEqual(['one']);
    expect(second.seen).toEqual(['two']);
  });

  it('delivers a failed change again, and the changes after it, in order', async () => {
    const table = `stream-${randomUUID()}`;
    await ensureTable(dynamodb, table);
    let failures = 2;
    const { seen, consumer } = recorder((id) => id === 'flaky' && failures-- > 0);
    const stream = reader(table, consumer);
    stream.start();
    await put(table, 'first');
    await put(table, 'flaky');
    await put(table, 'last');
    await stream.caughtUp();
    await stream.close();
    expect(seen).toEqual(['first', 'flaky', 'last']);
  });

  it('gives a change up after its attempts, records it, and goes on with the next', async () => {
    const table = `stream-${randomUUID()}`;
    await ensureTable(dynamodb, table);
    const lines: string[] = [];
    const { seen, consumer } = recorder((id) => id === 'poison');
    const stream = reader(table, consumer, 3, lines);
    stream.start();
    await put(table, 'poison');
    await put(table, 'healthy');
    await stream.caughtUp();
    await stream.close();
    expect(seen).toEqual(['healthy']);
    expect(lines.join('\n')).toMatch(/recorder gave up on change \S+ after 3 attempts/);
    const failures = (await readFile(join(dir, `${table}-failures.jsonl`), 'utf8')).trim().split('\n');
    expect(failures).toHaveLength(1);
    expect(JSON.parse(failures[0]!)).toMatchObject({ consumer: 'recorder', keys: { pk: { S: 'INC#poison' } } });
  });

  it('lets each consumer go at its own pace: one still busy with a change does not hold up another', async () => {
    // Prepare: a consumer that stays busy with its first change until released, and a second one.
    const table = `stream-${randomUUID()}`;
    await ensureTable(dynamodb, table);
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const busy: LocalStreamConsumer = {
      name: 'busy',
      spec: { entityTypes: ['Incident'] },
      handler: async () => {
        await released;
        return { batchItemFailures: [] };
      },
    };
    const { seen, consumer } = recorder();
    const stream = streamOf(table, [busy, consumer]);
    stream.start();

    // Act
    await put(table, 'a');
    const deadline = Date.now() + 10_000;
    while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const seenWhileBusy = [...seen];
    release();
    await stream.caughtUp();
    await stream.close();

    // Assess: the second consumer had the change while the first was still on it.
    expect(seenWhileBusy).toEqual(['a']);
  });

  it('reads a quiet stream about once a second, not every 50 ms (an idle npm start costs next to no CPU)', async () => {
    const table = `stream-${randomUUID()}`;
    await ensureTable(dynamodb, table);
    const { consumer } = recorder();
    const stream = streamOf(table, [consumer]);
    let reads = 0;
    stream.client.middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'GetRecordsCommand') reads++;
        return next(args);
      },
      { step: 'initialize', name: 'countReads' },
    );
    stream.start();
    await stream.caughtUp();
    reads = 0;

    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await stream.close();

    // Reading every 50 ms made 11 to 30 reads here (depending on the load); once a second makes one or two.
    expect(reads).toBeLessThanOrEqual(3);
  });

  it('reads a quiet stream at once when told of a write (nudge), not after the idle interval', async () => {
    const table = `stream-${randomUUID()}`;
    await ensureTable(dynamodb, table);
    const { seen, consumer } = recorder();
    // Unless woken, the next read is a minute away.
    const stream = streamOf(table, [consumer], { pollIntervalMs: 60_000 });
    stream.start();
    await stream.caughtUp();

    // Three writes one after the other, each told: each is in the stream by the time its write is answered. The
    // first one also makes DynamoDB Local refuse the iterator taken while the shard was empty.
    for (const id of ['one', 'two', 'three']) {
      await put(table, id);
      stream.nudge();
      const deadline = Date.now() + 10_000;
      while (!seen.includes(id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(seen, `${id} was handled well before the minute's poll`).toContain(id);
    }
    const closing = Date.now();
    await stream.close();

    expect(seen).toEqual(['one', 'two', 'three']);
    // Closing ends the minute-long pause too.
    expect(Date.now() - closing).toBeLessThan(5_000);
  });

  it('stops at once when closed while it is still reading the stream, not after the idle interval', async () => {
    const table = `stream-${randomUUID()}`;
    await ensureTable(dynamodb, table);
    // Closed at several moments of its first reads (the shard list, the iterator, the first GetRecords): a loop that
    // went on to pause after close() had woken it would hold the stop for the whole minute.
    const slowStops: string[] = [];
    for (const closeAfterMs of [0, 1, 2, 5, 10]) {
      const stream = streamOf(table, [recorder().consumer], { pollIntervalMs: 60_000 });
      stream.start();
      await new Promise((r) => setTimeout(r, closeAfterMs));
      const stopped = stream.close().then(() => true);
      const tooLate = new Promise<false>((r) => setTimeout(() => r(false), 5_000).unref());
      if (!(await Promise.race([stopped, tooLate]))) slowStops.push(`closed ${closeAfterMs} ms after start`);
    }
    expect(slowStops, 'close() still waiting after 5 s').toEqual([]);
  });
});
