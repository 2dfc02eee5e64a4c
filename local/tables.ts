/**
 * Creates the table in DynamoDB Local from the same schema module the CDK stack uses, with its change stream (what
 * the local stream reader feeds to the stream consumers). A table from an older version without a stream gets one.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { backfillIndexKeys } from '#adapters/dynamodb/migrations.ts';
import {
  type GlobalIndex,
  INDEXES,
  KEY_ATTRIBUTES,
  LOCAL_INDEXES,
  STREAM_VIEW_TYPE,
  TABLE_KEYS,
  TTL_ATTRIBUTE,
} from '#runtime/table-schema.ts';

const globalIndex = (index: GlobalIndex): GlobalSecondaryIndex => ({
  IndexName: index.name,
  KeySchema: [
    { AttributeName: index.partitionKey, KeyType: 'HASH' },
    { AttributeName: index.sortKey, KeyType: 'RANGE' },
  ],
  Projection:
    index.projection.type === 'ALL'
      ? { ProjectionType: 'ALL' }
      : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.attributes] },
});

/**
 * A table created by an earlier version (`npm start` keeps its data between runs) gets the indexes added since, one
 * at a time as DynamoDB requires, and its items the keys and entries that make them findable through them (the same
 * backfill `npm run migrate:table` runs on a deployed table; docs/data-model.md).
 */
async function addMissingIndexes(client: DynamoDBClient, tableName: string): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  const missing = Object.values(INDEXES).filter((index) => !present.has(index.name));
  for (const index of missing) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [index.partitionKey, index.sortKey].map((name) => ({
          AttributeName: name,
          AttributeType: 'S',
        })),
        GlobalSecondaryIndexUpdates: [{ Create: globalIndex(index) }],
      }),
    );
    await waitUntilActive(client, tableName);
  }
  if (missing.length) await backfillIndexKeys(client, tableName);
}

async function waitUntilActive(client: DynamoDBClient, tableName: string, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexes = Table?.GlobalSecondaryIndexes ?? [];
    if (Table?.TableStatus === 'ACTIVE' && indexes.every((index) => index.IndexStatus === 'ACTIVE')) return Table;
    if (Date.now() > deadline)
      throw new Error(
        `Table ${tableName} is not ready after ${timeoutMs / 1000} s: table ${Table?.TableStatus}, indexes ` +
          indexes.map((index) => `${index.IndexName} ${index.IndexStatus}`).join(', '),
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<'created' | 'existing'> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: STREAM_VIEW_TYPE },
        AttributeDefinitions: KEY_ATTRIBUTES.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: Object.values(INDEXES).map(globalIndex),
        LocalSecondaryIndexes: Object.values(LOCAL_INDEXES).map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    const table = await waitUntilActive(client, tableName);
    if (!table.StreamSpecification?.StreamEnabled) {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          StreamSpecification: { StreamEnabled: true, StreamViewType: STREAM_VIEW_TYPE },
        }),
      );
      await waitUntilActive(client, tableName);
    }
    await addMissingIndexes(client, tableName);
    return 'existing';
  }
  await waitUntilActive(client, tableName);
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { Enabled: true, AttributeName: TTL_ATTRIBUTE },
    }),
  );
  return 'created';
}
