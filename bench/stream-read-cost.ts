/**
 * `npx tsx bench/stream-read-cost.ts [records]`: what one write and one read of a table's stream cost in DynamoDB
 * Local, for a table created before or after another table whose stream holds `records` changes (default 20,000).
 * DynamoDB Local keeps the stream records of all its tables in one SQLite table, keyed by sequence number only, and
 * looks them up by stream (on every write) and by shard (on every GetShardIterator and GetRecords). Without an index
 * each lookup reads that whole table, so a table created after many changes (in any table) paid for all of them on
 * every write and every read. Our launcher adds the two indexes (local/java/LoopbackDynamoDbLocal.java); with them
 * the figures are flat. Figures before and after in docs/benchmarks.md.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { startDynamoDbLocal } from '#local/dynamodb-local.ts';
import { quietNodeVersionWarning } from '#local/node-support.ts';

quietNodeVersionWarning();
const records = Number(process.argv[2] ?? 20_000);
const READS = 50;

const dynamodb = await startDynamoDbLocal();
const config = {
  endpoint: dynamodb.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'bench', secretAccessKey: 'local' },
};
const tables = new DynamoDBClient(config);
const streams = new DynamoDBStreamsClient(config);

/** A table with a stream and `count` items of ~300 bytes written to it; returns its stream's ARN. */
async function tableWithChanges(name: string, count: number): Promise<string> {
  await tables.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  let next = 0;
  const writer = async () => {
    while (next < count) {
      const from = next;
      next += 25;
      const batch = Array.from({ length: Math.min(25, count - from) }, (_, i) => ({
        PutRequest: { Item: { pk: { S: `${name}-${from + i}` }, data: { S: 'x'.repeat(300) } } },
      }));
      await tables.send(new BatchWriteItemCommand({ RequestItems: { [name]: batch } }));
    }
  };
  await Promise.all(Array.from({ length: 8 }, writer));
  const { Table } = await tables.send(new DescribeTableCommand({ TableName: name }));
  return Table?.LatestStreamArn as string;
}

/** CPU seconds the JVM has used (Linux: /proc; clock ticks of 10 ms), steadier than wall time on a shared machine. */
const jvmCpuSeconds = (): number => {
  const fields = readFileSync(`/proc/${dynamodb.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

/** Mean wall and JVM CPU milliseconds of `READS` sequential calls, after 10 untimed ones (JIT). */
async function meanMs(call: () => Promise<unknown>): Promise<string> {
  for (let i = 0; i < 10; i++) await call();
  const started = performance.now();
  const cpuAtStart = jvmCpuSeconds();
  for (let i = 0; i < READS; i++) await call();
  const cpuMs = ((jvmCpuSeconds() - cpuAtStart) * 1000) / READS;
  return `${((performance.now() - started) / READS).toFixed(1)} ms (JVM CPU ${cpuMs.toFixed(1)} ms)`;
}

async function costs(label: string, table: string, streamArn: string) {
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const shardId = StreamDescription?.Shards?.at(-1)?.ShardId as string;
  const iterator = async (type: 'TRIM_HORIZON' | 'LATEST') =>
    (
      await streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: type }),
      )
    ).ShardIterator as string;
  const first = await iterator('TRIM_HORIZON');
  const atEnd = await iterator('LATEST');
  let written = 0;
  const put = () =>
    tables.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `${table}-extra-${written++}` } } }));
  console.log(
    [
      label,
      `GetShardIterator ${await meanMs(() => iterator('TRIM_HORIZON'))}`,
      `GetRecords of the first 100 ${await meanMs(() => streams.send(new GetRecordsCommand({ ShardIterator: first, Limit: 100 })))}`,
      `GetRecords at the end (empty, what an idle reader polls) ${await meanMs(() => streams.send(new GetRecordsCommand({ ShardIterator: atEnd, Limit: 100 })))}`,
      // Last: its records would otherwise be what the empty read at the end finds.
      `PutItem ${await meanMs(put)}`,
    ].join('; '),
  );
}

try {
  const earlier = await tableWithChanges('earlier', records);
  const later = await tableWithChanges('later', 200);
  console.log(`DynamoDB Local ${dynamodb.endpoint}, mean of ${READS} reads each:`);
  await costs(`table created first (${records} changes)`, 'earlier', earlier);
  await costs(`table created after it (200 changes)`, 'later', later);
} finally {
  tables.destroy();
  streams.destroy();
  await dynamodb.stop();
}
