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
 * Runs `run` on an in-memory DynamoDB Local of its own, stopped after it, so a phase (or part of one) measures in the
 * full run what it measures alone. It was introduced when DynamoDB Local's stream bookkeeping read every earlier change
 * on each write and stream read (so the analysis phase, behind the tens of thousands of changes the earlier phases
 * wrote, seeded and answered several times slower than alone, up to a timed-out request). Our launcher now indexes
 * that bookkeeping (local/java/LoopbackDynamoDbLocal.java, bench/stream-read-cost.ts), but data left by one phase is
 * still no part of what the next one measures.
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
