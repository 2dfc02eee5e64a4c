/**
 * Upgrading a table written by the previous version: items in the old layout (no impact or creator index keys on
 * incidents, no own-engagement keys on pages, timeline events without index entries, triggers with UUID ids in the
 * local index) are found by every filter after `npm run migrate:table`, and a second run changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbEngagementStore } from '#adapters/dynamodb/contacts-store.ts';
import { incidentItem } from '#adapters/dynamodb/incidents.ts';
import { keys } from '#adapters/dynamodb/keys.ts';
import { backfillIndexKeys } from '#adapters/dynamodb/migrations.ts';
import { createDynamoDbIncidentsStore } from '#adapters/dynamodb/store.ts';
import { EVENT_TYPES, triggerEvent } from '#core/incidents/automatic-events.ts';
import type { IncidentsStore, TimelineEventRecord } from '#core/incidents/ports.ts';
import { INDEXES } from '#runtime/table-schema.ts';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { ensureTable } from '../../local/tables.ts';
import { freshStore, incident } from '../support/store.ts';

/** An event item as the previous version wrote it: in the local index, references flattened, no index entries. */
const legacyEventItem = (incidentId: string, event: TimelineEventRecord) => ({
  ...keys.timelineEvent(incidentId, event.eventId),
  ...keys.timelineByTime(event.eventTime, event.eventId),
  entityType: 'TimelineEvent',
  ...event,
  ...(event.eventReferences?.length
    ? { referenceValues: event.eventReferences.map((r) => ('resource' in r ? r.resource : r.relatedItemId)) }
    : {}),
});

describe('migrate:table', () => {
  let store: IncidentsStore;
  let client: DynamoDBClient;
  let tableName: string;
  const record = incident({
    impact: 4,
    incidentRecordSource: { createdBy: 'arn:aws:iam::111122223333:user/legacy', source: 'aws.ssm-incidents.custom' },
  });
  const alarm = 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:legacy';
  const trigger = {
    ...triggerEvent(
      record.arn,
      { source: 'aws.cloudwatch', timestamp: record.creationTime, triggerArn: alarm, rawData: '{}' },
      true,
      record.creationTime,
    ),
    eventId: randomUUID(),
  };
  const note: TimelineEventRecord = {
    incidentRecordArn: record.arn,
    eventId: randomUUID(),
    eventTime: record.creationTime + 1000,
    eventUpdatedTime: record.creationTime + 1000,
    eventType: EVENT_TYPES.note,
    eventData: 'legacy note',
    eventReferences: [{ resource: record.arn }],
  };
  const page = { pageId: randomUUID(), engagementId: randomUUID(), rootEngagementId: randomUUID() };

  beforeAll(async () => {
    ({ store, client, tableName } = await freshStore());
    const doc = DynamoDBDocumentClient.from(client);
    const put = (Item: Record<string, unknown>) => doc.send(new PutCommand({ TableName: tableName, Item }));
    const { gsi3pk: _a, gsi3sk: _b, gsi4pk: _c, gsi4sk: _d, ...legacyIncident } = incidentItem(record, 1);
    await put(legacyIncident);
    await put(legacyEventItem(record.id, trigger));
    await put(legacyEventItem(record.id, note));
    await put({
      ...keys.page(page.pageId),
      ...keys.pageByEngagement(page.rootEngagementId, record.creationTime, page.pageId),
      entityType: 'Page',
      arn: `arn:aws:ssm-contacts:us-east-1:111122223333:page/legacy/${page.pageId}`,
      pageId: page.pageId,
      engagementId: page.engagementId,
      rootEngagementId: page.rootEngagementId,
      createdTime: record.creationTime,
    });
  });

  const eventIds = async (query: Parameters<IncidentsStore['listTimelineEvents']>[1]) =>
    (await store.listTimelineEvents(record.id, query, 100, undefined)).items.map((e) => e.eventId);

  it('makes old items visible to every filter, once, and a second run writes nothing', async () => {
    // Before: the unfiltered lists already show them, the filters do not.
    expect(await eventIds({ ascending: true })).toEqual([trigger.eventId, note.eventId]);
    expect(await eventIds({ ascending: true, eventTypes: [EVENT_TYPES.trigger] })).toEqual([]);

    // Act
    const counts = await backfillIndexKeys(client, tableName);

    // Assess
    expect(counts).toMatchObject({ incidents: 1, pages: 1, timelineEntries: 4 });
    const ids = async (query: Parameters<IncidentsStore['listIncidents']>[0]) =>
      (await store.listIncidents(query, 10, undefined)).items.map((i) => i.id);
    expect(await ids({ impacts: [4] })).toEqual([record.id]);
    expect(await ids({ createdBy: [record.incidentRecordSource.createdBy], statuses: ['OPEN'] })).toEqual([record.id]);
    expect(await eventIds({ ascending: true })).toEqual([trigger.eventId, note.eventId]);
    expect(await eventIds({ ascending: false, eventTypes: [EVENT_TYPES.trigger] })).toEqual([trigger.eventId]);
    expect(await eventIds({ ascending: true, eventTypes: [EVENT_TYPES.note] })).toEqual([note.eventId]);
    expect(await eventIds({ ascending: true, eventReferences: [[alarm]] })).toEqual([trigger.eventId]);
    expect(await eventIds({ ascending: true, eventReferences: [[record.arn]] })).toEqual([note.eventId]);
    const engagements = createDynamoDbEngagementStore({ client, tableName, idempotencyWindowSeconds: 3600 });
    const pages = await engagements.listPagesByEngagement(page.rootEngagementId, page.engagementId, 10, undefined);
    expect(pages.items.map((p) => p.pageId)).toEqual([page.pageId]);
    expect(await backfillIndexKeys(client, tableName)).toMatchObject({ incidents: 0, pages: 0, timelineEntries: 0 });
  });

  it('deletes an old trigger with its entries, so no list shows it afterwards', async () => {
    await store.deleteTimelineEvent(record.id, trigger);
    expect(await eventIds({ ascending: true })).toEqual([note.eventId]);
    expect(await eventIds({ ascending: true, eventTypes: [EVENT_TYPES.trigger] })).toEqual([]);
    expect(await eventIds({ ascending: true, eventReferences: [[alarm]] })).toEqual([]);
  });
});

describe('the local runtime on a table from an earlier version', () => {
  // DynamoDB Local builds a new index on an existing table in about a second when it holds that table alone, but
  // not for minutes when it holds the test suite's other tables: this test has a DynamoDB Local of its own, as a
  // developer's `npm start` does.
  let dynamodb: DynamoDbLocal;
  let client: DynamoDBClient;
  beforeAll(async () => {
    dynamodb = await startDynamoDbLocal({ quickStart: true });
    client = new DynamoDBClient({
      endpoint: dynamodb.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }, 120_000);
  afterAll(async () => {
    client?.destroy();
    await dynamodb?.stop();
  });

  it('adds the missing indexes and backfills what they list', async () => {
    // Prepare: a table with only the first two global indexes, holding an incident in the old layout.
    const tableName = `old-${randomUUID()}`;
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'lsi1sk'].map((name) => ({
          AttributeName: name,
          AttributeType: 'S',
        })),
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: ['gsi1', 'gsi2'].map((name) => ({
          IndexName: name,
          KeySchema: [
            { AttributeName: `${name}pk`, KeyType: 'HASH' },
            { AttributeName: `${name}sk`, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
        LocalSecondaryIndexes: [
          {
            IndexName: 'lsi1',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'lsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    const old = incident({ impact: 5 });
    const { gsi3pk: _a, gsi3sk: _b, gsi4pk: _c, gsi4sk: _d, ...legacyIncident } = incidentItem(old, 1);
    await DynamoDBDocumentClient.from(client).send(new PutCommand({ TableName: tableName, Item: legacyIncident }));

    // Act
    expect(await ensureTable(client, tableName)).toBe('existing');

    // Assess
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(
      Object.values(INDEXES)
        .map((index) => index.name)
        .sort(),
    );
    const store = createDynamoDbIncidentsStore({ client, tableName, idempotencyWindowSeconds: 3600 });
    expect((await store.listIncidents({ impacts: [5] }, 10, undefined)).items.map((i) => i.id)).toEqual([old.id]);
  }, 60_000);
});
