/**
 * One local runtime (HTTP front + real handler + its own table) per benchmark data set, on a DynamoDB Local shared by
 * the data sets of one phase (each phase gets its own: onOwnDynamoDbLocal).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SSMContactsClient } from '@aws-sdk/client-ssm-contacts';
import { SSMIncidentsClient } from '@aws-sdk/client-ssm-incidents';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ServiceContext } from '#core/shared/service-context.ts';
import { startDynamoDbLocal } from '#local/dynamodb-local.ts';
import { type LocalRuntime, startLocalRuntime } from '#local/runtime.ts';
import { DynamoDbRequestCounter } from './dynamodb-requests.ts';

export const BENCH_ACCOUNT = '111122223333';
export const BENCH_REGION = 'us-east-1';
export const BENCH_SERVICE: ServiceContext = { accountId: BENCH_ACCOUNT, region: BENCH_REGION, partition: 'aws' };

export interface BenchRuntime {
  runtime: LocalRuntime;
  tableName: string;
  /** The official ssm-incidents client, pointed at the runtime: what every latency figure is measured with. */
  incidents: SSMIncidentsClient;
  /** The official ssm-contacts client, pointed at the same runtime. */
  contacts: SSMContactsClient;
  /** Counts the DynamoDB requests of this runtime's handler. */
  counter: DynamoDbRequestCounter;
  /** A separate, uninstrumented client for seeding, so seeding never shows up in the counts. */
  seeder: DynamoDBDocumentClient;
  stop(): Promise<void>;
}

export async function startBenchRuntime(
  dynamodbEndpoint: string,
  tableName: string,
  options: { timeScale?: number } = {},
): Promise<BenchRuntime> {
  const counter = new DynamoDbRequestCounter();
  const runtime = await startLocalRuntime({
    port: 0,
    accountId: BENCH_ACCOUNT,
    region: BENCH_REGION,
    tableName,
    dynamodbEndpoint,
    instrumentClient: counter.instrument,
    ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
  });
  const credentials = { accessKeyId: 'bench', secretAccessKey: 'local' };
  // maxAttempts 1: a retried call would hide a failure inside a latency sample.
  const incidents = new SSMIncidentsClient({
    endpoint: runtime.url,
    region: BENCH_REGION,
    credentials,
    maxAttempts: 1,
  });
  const contacts = new SSMContactsClient({ endpoint: runtime.url, region: BENCH_REGION, credentials, maxAttempts: 1 });
  const seederClient = new DynamoDBClient({ endpoint: dynamodbEndpoint, region: BENCH_REGION, credentials });
  const seeder = DynamoDBDocumentClient.from(seederClient, { marshallOptions: { removeUndefinedValues: true } });
  return {
    runtime,
    tableName,
    incidents,
    contacts,
    counter,
    seeder,
    async stop() {
      incidents.destroy();
      contacts.destroy();
      seederClient.destroy();
      await runtime.stop();
    },
  };
}

/**
 * Runs `run` on an in-memory DynamoDB Local of its own, stopped after it. DynamoDB Local keeps the stream records of
 * all its tables in one SQLite table, and each GetRecords and GetShardIterator looks for the shard's oldest record by
 * reading that table in sequence order from its start, on the one thread that serves every request. So each stream
 * read of a table created late costs in proportion to everything written before it, in any table (an empty
 * GetRecords ~20 ms instead of ~4 ms behind 20,000 records of another table), and the local runtimes' stream polling
 * (every consumer of every runtime, every 50 ms when idle) then keeps DynamoDB Local busy: on one instance shared by
 * all phases, the analysis phase seeded and answered several times slower than alone, up to a timed-out request.
 * A phase (or part of one) on its own instance measures what it measures alone.
 */
export async function onOwnDynamoDbLocal<T>(
  label: string,
  log: (line: string) => void,
  run: (endpoint: string) => Promise<T>,
): Promise<T> {
  const dynamodb = await startDynamoDbLocal();
  log(`${label}: DynamoDB Local at ${dynamodb.endpoint}`);
  try {
    return await run(dynamodb.endpoint);
  } finally {
    await dynamodb.stop();
  }
}
