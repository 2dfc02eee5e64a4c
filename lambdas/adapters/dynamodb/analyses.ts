/**
 * Analyses in their own item collection (`ANALYSIS#<id>`): the analysis item, one item per section (versioned on its
 * own, so editors of different sections never conflict), the timeline copy (ordered by time on lsi1) and the action
 * items. The incident's one-per-incident claim is an item of its own. Layout: docs/data-model.md.
 */

import { DeleteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type {
  ActionItemRecord,
  AnalysisQuery,
  AnalysisRecord,
  AnalysisStore,
  AnalysisTimelineEventRecord,
  FullAnalysis,
  SectionRecord,
  SectionWrite,
} from '#core/analysis/ports.ts';
import { ConflictError, StaleVersionError } from '#core/shared/errors.ts';
import type { IdempotencyKey, Page, Versioned } from '#core/shared/storage.ts';
import { INDEXES, LOCAL_INDEXES } from '#runtime/table-schema.ts';
import { batchPut, deleteKeys } from './bulk-writes.ts';
import { keys, pageKeyAttributes } from './keys.ts';
import { type Item, type LabelledWrite, type StoreFunctions, stripStorageAttributes, type Table } from './table.ts';

export const analysisItem = (a: AnalysisRecord, version: number): Item => ({
  ...keys.analysis(a.analysisId),
  ...keys.analysisList(a.createdTime, a.analysisId),
  ...keys.analysisByIncident(a.incidentId, a.createdTime, a.analysisId),
  entityType: 'Analysis',
  version,
  ...a,
});

const sectionItem = (analysisId: string, s: SectionRecord, version: number): Item => ({
  ...keys.analysisSection(analysisId, s.sectionId),
  entityType: 'AnalysisSection',
  version,
  ...s,
});

export const analysisTimelineItem = (analysisId: string, e: AnalysisTimelineEventRecord): Item => ({
  ...keys.analysisTimelineEvent(analysisId, e.eventId),
  ...keys.analysisTimelineByTime(e.eventTime, e.eventId),
  entityType: 'AnalysisTimelineEvent',
  ...e,
});

/** The analysis exists and is not published: the condition every change to its content is written under. */
const editable = (table: Table, analysisId: string): LabelledWrite => ({
  label: 'analysis',
  write: {
    ConditionCheck: {
      TableName: table.tableName,
      Key: keys.analysis(analysisId),
      ConditionExpression: 'attribute_exists(pk) AND #status <> :published',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':published': 'PUBLISHED' },
    },
  },
});

export async function claimedAnalysisOf(table: Table, incidentId: string): Promise<string | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: keys.analysisClaim(incidentId), ConsistentRead: true }),
  );
  return Item ? String(Item.analysisArn) : undefined;
}

export async function writeTimelineCopy(
  table: Table,
  analysisId: string,
  events: readonly AnalysisTimelineEventRecord[],
): Promise<void> {
  await batchPut(
    table,
    events.map((e) => analysisTimelineItem(analysisId, e)),
    8,
  );
}

export async function createAnalysis(
  table: Table,
  analysis: AnalysisRecord,
  sections: SectionRecord[],
  claimIncident: boolean,
  idempotency: IdempotencyKey | undefined,
  now: number,
): Promise<{ analysisArn: string; replayed: boolean }> {
  const writes: LabelledWrite[] = [
    {
      label: 'analysis',
      write: {
        Put: {
          TableName: table.tableName,
          Item: analysisItem(analysis, 1),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    },
    ...sections.map((s, i) => ({
      label: `section${i}`,
      write: { Put: { TableName: table.tableName, Item: sectionItem(analysis.analysisId, s, 1) } },
    })),
  ];
  if (claimIncident)
    writes.push({
      label: 'claim',
      write: {
        Put: {
          TableName: table.tableName,
          Item: {
            ...keys.analysisClaim(analysis.incidentId),
            entityType: 'AnalysisClaim',
            analysisArn: analysis.arn,
            analysisId: analysis.analysisId,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    });
  const result = { analysisArn: analysis.arn, title: analysis.title };
  const outcome = await table.transactIdempotent(writes, idempotency, result, now);
  if (outcome.replayed) return { analysisArn: outcome.result.analysisArn, replayed: true };
  if (outcome.outcome.ok) return { analysisArn: analysis.arn, replayed: false };
  const holder = outcome.outcome.failed.get('claim');
  if (outcome.outcome.failed.has('claim'))
    throw new ConflictError(
      `Incident ${analysis.incidentRecordArn} already has an analysis (${holder?.analysisArn}); pass allowMultiple to create another one.`,
      undefined,
      holder?.analysisArn ? String(holder.analysisArn) : analysis.incidentRecordArn,
    );
  throw new ConflictError(`Analysis ${analysis.arn} already exists.`, undefined, analysis.arn);
}

export async function getAnalysis(table: Table, analysisId: string): Promise<FullAnalysis | undefined> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': keys.analysisPartition(analysisId),
          ':from': keys.analysisWithoutTimeline.from,
          ':to': keys.analysisWithoutTimeline.to,
        },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...((page.Items ?? []) as Item[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  const head = items.find((i) => i.sk === 'ANALYSIS');
  if (!head) return undefined;
  return {
    analysis: { record: stripStorageAttributes<AnalysisRecord>(head), version: Number(head.version) },
    sections: items
      .filter((i) => i.entityType === 'AnalysisSection')
      .map((i) => ({ record: stripStorageAttributes<SectionRecord>(i), version: Number(i.version) })),
    actionItems: items
      .filter((i) => i.entityType === 'ActionItem')
      .map((i) => stripStorageAttributes<ActionItemRecord>(i)),
  };
}

export async function getAnalysisRecord(
  table: Table,
  analysisId: string,
): Promise<Versioned<AnalysisRecord> | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: keys.analysis(analysisId), ConsistentRead: true }),
  );
  return Item ? { record: stripStorageAttributes(Item), version: Number(Item.version) } : undefined;
}

export async function replaceAnalysis(
  table: Table,
  analysis: AnalysisRecord,
  expectedVersion: number,
  idempotency: IdempotencyKey | undefined,
  now: number,
): Promise<void> {
  const result = await table.transactIdempotent(
    [table.versionedPut('analysis', analysisItem(analysis, expectedVersion + 1), expectedVersion)],
    idempotency,
    null,
    now,
  );
  if (result.replayed || result.outcome.ok) return;
  throw new StaleVersionError(`Analysis ${analysis.arn} was changed by another request.`, undefined, analysis.arn);
}

export async function replaceSection(
  table: Table,
  analysisId: string,
  section: SectionRecord,
  expectedVersion: number,
  idempotency: IdempotencyKey | undefined,
  now: number,
): Promise<SectionWrite> {
  const result = await table.transactIdempotent(
    [
      editable(table, analysisId),
      {
        label: 'section',
        write: {
          Put: {
            TableName: table.tableName,
            Item: sectionItem(analysisId, section, expectedVersion + 1),
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': expectedVersion },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
      },
    ],
    idempotency,
    null,
    now,
  );
  if (result.replayed || result.outcome.ok) return { ok: true };
  if (result.outcome.failed.has('analysis')) return { ok: false, reason: 'published' };
  const current = result.outcome.failed.get('section')?.version;
  return { ok: false, reason: 'stale', ...(current !== undefined ? { current: Number(current) } : {}) };
}

/** Children first and the analysis item last, so a failure part-way leaves an analysis a retry can finish deleting. */
export async function deleteAnalysis(table: Table, analysis: AnalysisRecord): Promise<void> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.analysisPartition(analysis.analysisId) },
        ProjectionExpression: 'pk, sk',
        ExclusiveStartKey: startKey,
      }),
    );
    await deleteKeys(
      table,
      ((page.Items ?? []) as Item[]).filter((i) => i.sk !== 'ANALYSIS'),
    );
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  await table.doc
    .send(
      new DeleteCommand({
        TableName: table.tableName,
        Key: keys.analysisClaim(analysis.incidentId),
        // Only this analysis's claim: another analysis of the incident keeps its own.
        ConditionExpression: 'analysisArn = :arn',
        ExpressionAttributeValues: { ':arn': analysis.arn },
      }),
    )
    .catch((error: { name?: string }) => {
      if (error.name !== 'ConditionalCheckFailedException') throw error;
    });
  await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: keys.analysis(analysis.analysisId) }));
}

export async function listAnalyses(
  table: Table,
  query: AnalysisQuery,
  maxResults: number,
  nextToken: string | undefined,
): Promise<Page<AnalysisRecord>> {
  const index = query.incidentId ? INDEXES.byStatus : INDEXES.byList;
  const keyAttributes = query.incidentId ? pageKeyAttributes.byStatus : pageKeyAttributes.byList;
  const names: Record<string, string> = { '#pk': index.partitionKey };
  const values: Record<string, unknown> = {
    ':pk': query.incidentId ? keys.analysisByIncident(query.incidentId, 0, '').gsi2pk : 'ANALYSES',
  };
  if (query.status) {
    names['#status'] = 'status';
    values[':status'] = query.status;
  }
  return table.queryPage<AnalysisRecord>(
    {
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk',
      FilterExpression: query.status ? '#status = :status' : undefined,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
    },
    { keyAttributes, tokenQuery: query, maxResults, nextToken },
  );
}

// ---- the timeline copy ----------------------------------------------------------------------------------------

export async function listTimeline(
  table: Table,
  analysisId: string,
  ascending: boolean,
  maxResults: number,
  nextToken: string | undefined,
): Promise<Page<AnalysisTimelineEventRecord>> {
  const tokenQuery = { analysisId, ascending };
  return table.queryPage<AnalysisTimelineEventRecord>(
    {
      IndexName: LOCAL_INDEXES.timelineByTime.name,
      KeyConditionExpression: 'pk = :pk AND #sk BETWEEN :lo AND :hi',
      ExpressionAttributeNames: { '#sk': LOCAL_INDEXES.timelineByTime.sortKey },
      ExpressionAttributeValues: { ':pk': keys.analysisPartition(analysisId), ':lo': 'ATL#', ':hi': 'ATL$' },
      ScanIndexForward: ascending,
      ConsistentRead: true,
    },
    { keyAttributes: pageKeyAttributes.timelineByTime, tokenQuery: tokenQuery, maxResults, nextToken },
  );
}

export async function getTimelineEvent(
  table: Table,
  analysisId: string,
  eventId: string,
): Promise<AnalysisTimelineEventRecord | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({
      TableName: table.tableName,
      Key: keys.analysisTimelineEvent(analysisId, eventId),
      ConsistentRead: true,
    }),
  );
  return Item ? stripStorageAttributes(Item) : undefined;
}

export async function putTimelineEvent(
  table: Table,
  analysisId: string,
  event: AnalysisTimelineEventRecord,
  previous: AnalysisTimelineEventRecord | undefined,
  idempotency: IdempotencyKey | undefined,
  now: number,
): Promise<SectionWrite> {
  const result = await table.transactIdempotent(
    [
      editable(table, analysisId),
      {
        label: 'event',
        write: {
          Put: {
            TableName: table.tableName,
            Item: analysisTimelineItem(analysisId, event),
            // A new event must be new; an edit must start from the event as it was read (last writer loses).
            ...(previous
              ? {
                  ConditionExpression: 'eventUpdatedTime = :seen',
                  ExpressionAttributeValues: { ':seen': previous.eventUpdatedTime },
                }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          },
        },
      },
    ],
    idempotency,
    { eventId: event.eventId },
    now,
  );
  if (result.replayed || result.outcome.ok) return { ok: true };
  if (result.outcome.failed.has('analysis')) return { ok: false, reason: 'published' };
  return { ok: false, reason: 'stale' };
}

export async function deleteTimelineEvent(table: Table, analysisId: string, eventId: string): Promise<SectionWrite> {
  const outcome = await table.transact([
    editable(table, analysisId),
    {
      label: 'event',
      write: { Delete: { TableName: table.tableName, Key: keys.analysisTimelineEvent(analysisId, eventId) } },
    },
  ]);
  return outcome.ok ? { ok: true } : { ok: false, reason: 'published' };
}

/** The AnalysisStore methods of analyses and their timeline copies, each taking the table first (bound by bindTable). */
export const analysisStoreFunctions = {
  claimedAnalysisOf,
  writeTimelineCopy,
  createAnalysis,
  getAnalysis,
  getAnalysisRecord,
  replaceAnalysis,
  replaceSection,
  deleteAnalysis,
  listAnalyses,
  listTimeline,
  getTimelineEvent,
  putTimelineEvent,
  deleteTimelineEvent,
} satisfies StoreFunctions<AnalysisStore>;
