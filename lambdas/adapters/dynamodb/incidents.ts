/**
 * Incident records: creation with dedupe and idempotency in one transaction, optimistic updates, listing through
 * the list/status indexes (newest first; Query only, never Scan).
 */
import { DeleteCommand, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type {
  IncidentQuery,
  IncidentRecord,
  RelatedItemRecord,
  StartIncidentResult,
  StartIncidentWrite,
  TimelineEventRecord,
} from '#core/incidents/ports.ts';
import { ConflictError, ResourceNotFoundError, StaleVersionError } from '#core/shared/errors.ts';
import type { IdempotencyKey, Page, Versioned } from '#core/shared/storage.ts';
import { sortableMillis } from '#core/shared/time.ts';
import { INDEXES } from '#runtime/table-schema.ts';
import { keys, pageKeyAttributes } from './keys.ts';
import type { OpenIncidentCache, OpenIncidentRef } from './open-incident-cache.ts';
import { relatedItemItem } from './related-items.ts';
import {
  bindValues,
  decodeNextToken,
  encodeNextToken,
  type Item,
  type LabelledWrite,
  stripStorageAttributes,
  type Table,
} from './table.ts';
import { timelineEventItem } from './timeline.ts';

/** A transaction holds at most 100 writes; StartIncident's own writes need at most 8 of them. */
const MAX_RELATED_ITEMS_IN_START_TRANSACTION = 90;
const START_ATTEMPTS = 5;

export const incidentItem = (incident: IncidentRecord, version: number): Item => ({
  ...keys.incident(incident.id),
  ...keys.incidentList(incident.creationTime, incident.id),
  ...keys.incidentByStatus(incident.status, incident.creationTime, incident.id),
  entityType: 'Incident',
  version,
  ...incident,
});

const put = (table: Table, label: string, item: Item, condition?: string): LabelledWrite => ({
  label,
  write: {
    Put: {
      TableName: table.tableName,
      Item: item,
      ...(condition ? { ConditionExpression: condition, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } : {}),
    },
  },
});

/**
 * The deduplicated trigger's cheap path: when this environment already knows which incident holds the dedupe key,
 * one transaction records the trigger on it, guarded by a check that the guard still names that incident (so it
 * is still OPEN). No read, one write request. Returns undefined when the hint was stale.
 */
async function recordOnKnownIncident(
  table: Table,
  write: StartIncidentWrite,
  known: OpenIncidentRef,
  dedupeKey: string,
  idempotency: IdempotencyKey | undefined,
  now: number,
): Promise<StartIncidentResult | undefined> {
  const duplicate = { incidentRecordArn: known.incidentRecordArn, created: false };
  const result = await table.transactIdempotent(
    [
      {
        label: 'guard',
        write: {
          ConditionCheck: {
            TableName: table.tableName,
            Key: keys.dedupeGuard(dedupeKey),
            ConditionExpression: 'incidentId = :id',
            ExpressionAttributeValues: { ':id': known.incidentId },
          },
        },
      },
      put(table, 'trigger', timelineEventItem(known.incidentId, write.duplicateTriggerEvent(known.incidentRecordArn))),
    ],
    idempotency,
    duplicate,
    now,
  );
  if (result.replayed) return { ...result.result, replayed: true };
  return result.outcome.ok ? duplicate : undefined;
}

export async function startIncident(
  table: Table,
  openIncidents: OpenIncidentCache,
  write: StartIncidentWrite,
  idempotency: IdempotencyKey | undefined,
  now: number,
): Promise<StartIncidentResult> {
  const { incident } = write;
  const guard = write.dedupeKey ? keys.dedupeGuard(write.dedupeKey) : undefined;
  const known = write.dedupeKey ? openIncidents.get(write.dedupeKey) : undefined;
  if (known && write.dedupeKey) {
    const recorded = await recordOnKnownIncident(table, write, known, write.dedupeKey, idempotency, now);
    if (recorded) return recorded;
    openIncidents.forget(write.dedupeKey);
  }
  const inTransaction = write.relatedItems.slice(0, MAX_RELATED_ITEMS_IN_START_TRANSACTION);
  const overflow = write.relatedItems.slice(MAX_RELATED_ITEMS_IN_START_TRANSACTION);

  for (let attempt = 1; ; attempt++) {
    const writes: LabelledWrite[] = [
      put(table, 'incident', incidentItem(incident, 1), 'attribute_not_exists(pk)'),
      ...write.events.map((event, i) => put(table, `event${i}`, timelineEventItem(incident.id, event))),
      ...inTransaction.map((item, i) => put(table, `related${i}`, relatedItemItem(incident.id, item))),
    ];
    if (guard) {
      writes.push(
        put(
          table,
          'dedupe',
          { ...guard, entityType: 'DedupeGuard', incidentId: incident.id, incidentRecordArn: incident.arn },
          'attribute_not_exists(pk)',
        ),
      );
    }
    const created = { incidentRecordArn: incident.arn, created: true };
    const attemptResult = await table.transactIdempotent(writes, idempotency, created, now);
    if (attemptResult.replayed) return { ...attemptResult.result, replayed: true };
    const { outcome } = attemptResult;
    if (outcome.ok) {
      await writeOverflowRelatedItems(table, incident.id, overflow);
      if (write.dedupeKey)
        openIncidents.set(write.dedupeKey, { incidentId: incident.id, incidentRecordArn: incident.arn });
      return created;
    }
    const existing = outcome.failed.get('dedupe');
    if (!existing) throw new ConflictError(`Incident ${incident.arn} already exists.`, 'INCIDENT_RECORD', incident.arn);
    // Deduplicated: record the trigger on the open incident, as long as it is still open.
    const existingId = String(existing.incidentId);
    const existingArn = String(existing.incidentRecordArn);
    const duplicate = { incidentRecordArn: existingArn, created: false };
    const recordTrigger = await table.transactIdempotent(
      [
        {
          label: 'openIncident',
          write: {
            ConditionCheck: {
              TableName: table.tableName,
              Key: keys.incident(existingId),
              ConditionExpression: '#status = :open',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':open': 'OPEN' },
            },
          },
        },
        put(table, 'trigger', timelineEventItem(existingId, write.duplicateTriggerEvent(existingArn))),
      ],
      idempotency,
      duplicate,
      now,
    );
    if (recordTrigger.replayed) return { ...recordTrigger.result, replayed: true };
    if (recordTrigger.outcome.ok) {
      if (write.dedupeKey)
        openIncidents.set(write.dedupeKey, { incidentId: existingId, incidentRecordArn: existingArn });
      return duplicate;
    }
    // The open incident was resolved between our two writes: its guard is gone, so try to open a new incident.
    if (attempt >= START_ATTEMPTS) throw new ConflictError('The incident changed concurrently; retry the request.');
  }
}

async function writeOverflowRelatedItems(table: Table, incidentId: string, items: RelatedItemRecord[]) {
  for (let i = 0; i < items.length; i += 25) {
    const chunk = items.slice(i, i + 25);
    await table.doc.send(
      new TransactWriteCommand({
        TransactItems: chunk.map((item) => ({
          Put: { TableName: table.tableName, Item: relatedItemItem(incidentId, item) },
        })),
      }),
    );
  }
}

export async function getIncident(table: Table, incidentId: string): Promise<Versioned<IncidentRecord> | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: keys.incident(incidentId), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return { record: stripStorageAttributes<IncidentRecord>(Item), version: Number(Item.version) };
}

export async function updateIncident(
  table: Table,
  next: IncidentRecord,
  expectedVersion: number,
  events: TimelineEventRecord[],
  dedupe: { release?: string; claim?: string },
  idempotency: IdempotencyKey | undefined,
  now: number,
): Promise<void> {
  const writes: LabelledWrite[] = [
    table.versionedPut('incident', incidentItem(next, expectedVersion + 1), expectedVersion),
    ...events.map((event, i) => put(table, `event${i}`, timelineEventItem(next.id, event))),
  ];
  if (dedupe.release) {
    writes.push({
      label: 'releaseDedupe',
      write: {
        Delete: {
          TableName: table.tableName,
          Key: keys.dedupeGuard(dedupe.release),
          // Only this incident's own guard; a guard held by another incident stays.
          ConditionExpression: 'attribute_not_exists(pk) OR incidentId = :id',
          ExpressionAttributeValues: { ':id': next.id },
        },
      },
    });
  }
  if (dedupe.claim) {
    writes.push(
      put(
        table,
        'claimDedupe',
        {
          ...keys.dedupeGuard(dedupe.claim),
          entityType: 'DedupeGuard',
          incidentId: next.id,
          incidentRecordArn: next.arn,
        },
        'attribute_not_exists(pk)',
      ),
    );
  }
  const result = await table.transactIdempotent(writes, idempotency, null, now);
  if (result.replayed || result.outcome.ok) return;
  const failed = result.outcome.failed;
  if (failed.has('claimDedupe')) {
    // Another open incident already holds this dedupe key: reopen without taking the key over.
    return updateIncident(table, next, expectedVersion, events, { release: dedupe.release }, idempotency, now);
  }
  if (failed.has('releaseDedupe')) {
    return updateIncident(table, next, expectedVersion, events, { claim: dedupe.claim }, idempotency, now);
  }
  throw new StaleVersionError(
    `Incident ${next.arn} was modified by another request; retry with the current record.`,
    'INCIDENT_RECORD',
    next.arn,
  );
}

/**
 * Deletes the incident with its timeline, related items and dedupe guard. Idempotent: deleting a missing
 * incident does nothing (the API models no ResourceNotFound for it).
 */
export async function deleteIncident(table: Table, incidentId: string): Promise<void> {
  const current = await getIncident(table, incidentId);
  if (current?.record.status === 'OPEN' && current.record.dedupeKey) {
    await table.doc
      .send(
        new DeleteCommand({
          TableName: table.tableName,
          Key: keys.dedupeGuard(current.record.dedupeKey),
          ConditionExpression: 'incidentId = :id',
          ExpressionAttributeValues: { ':id': incidentId },
        }),
      )
      .catch((error: { name?: string }) => {
        if (error.name !== 'ConditionalCheckFailedException') throw error;
      });
  }
  // Children first, the incident item last, so a failure part-way leaves a record a retry can finish deleting.
  let startKey: Item | undefined;
  do {
    const page = await table.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.incidentPartition(incidentId) },
        ProjectionExpression: 'pk, sk',
        ExclusiveStartKey: startKey,
      }),
    );
    const children = (page.Items ?? []).filter((item) => item.sk !== 'INC');
    for (let i = 0; i < children.length; i += 25) {
      await table.doc.send(
        new TransactWriteCommand({
          TransactItems: children.slice(i, i + 25).map((item) => ({
            Delete: { TableName: table.tableName, Key: { pk: item.pk, sk: item.sk } },
          })),
        }),
      );
    }
    startKey = page.LastEvaluatedKey as Item | undefined;
  } while (startKey);
  await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: keys.incident(incidentId) }));
}

export async function listIncidents(
  table: Table,
  query: IncidentQuery,
  maxResults: number,
  nextToken: string | undefined,
): Promise<Page<IncidentRecord>> {
  const statuses = query.statuses ? [...new Set(query.statuses)] : undefined;
  if (statuses && statuses.length === 0) return { items: [] };
  // One status: its own index partition, so "open incidents" never reads resolved ones.
  const index = statuses?.length === 1 ? INDEXES.byStatus : INDEXES.byList;
  const partition = statuses?.length === 1 ? `INCIDENTS#${statuses[0]}` : 'INCIDENTS';
  const keyAttributes = statuses?.length === 1 ? pageKeyAttributes.byStatus : pageKeyAttributes.byList;

  const names: Record<string, string> = { '#pk': index.partitionKey };
  const values: Record<string, unknown> = { ':pk': partition };
  let keyCondition = '#pk = :pk';
  if (query.createdAfter !== undefined || query.createdBefore !== undefined) {
    names['#sk'] = index.sortKey;
    // Sort keys are "<15-digit millis>#<id>"; '#' < '$', so "<millis>$" sorts after every id at that millisecond.
    values[':lo'] = query.createdAfter !== undefined ? `${sortableMillis(query.createdAfter + 1)}#` : '0';
    values[':hi'] = query.createdBefore !== undefined ? `${sortableMillis(query.createdBefore - 1)}$` : '9';
    keyCondition += ' AND #sk BETWEEN :lo AND :hi';
  }
  const filters: string[] = [];
  if (query.impacts) {
    names['#impact'] = 'impact';
    filters.push(`#impact IN (${bindValues(values, 'impact', query.impacts)})`);
  }
  if (query.createdBy) {
    names['#source'] = 'incidentRecordSource';
    names['#createdBy'] = 'createdBy';
    filters.push(`#source.#createdBy IN (${bindValues(values, 'by', query.createdBy)})`);
  }
  const startKey = decodeNextToken(nextToken, query, keyAttributes);
  const { items, lastKey } = await table.collect(
    {
      IndexName: index.name,
      KeyConditionExpression: keyCondition,
      FilterExpression: filters.length ? filters.join(' AND ') : undefined,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
    },
    maxResults,
    keyAttributes,
    startKey,
  );
  return {
    items: items.map((item) => stripStorageAttributes<IncidentRecord>(item)),
    nextToken: encodeNextToken(lastKey, query),
  };
}

export const incidentNotFound = (arn: string) =>
  new ResourceNotFoundError(`Incident record ${arn} does not exist.`, 'INCIDENT_RECORD', arn);
