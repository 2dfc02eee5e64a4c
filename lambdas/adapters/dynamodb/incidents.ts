/**
 * Incident records: creation with dedupe and idempotency in one transaction, optimistic updates, listing through
 * the list indexes (incident-list.ts; Query only, never Scan). Repeated triggers: triggers.ts.
 */

import { DeleteCommand, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { EVENT_TYPES } from '#core/incidents/automatic-events.ts';
import type {
  IncidentRecord,
  IncidentsStore,
  RelatedItemRecord,
  StartIncidentResult,
  StartIncidentWrite,
  TimelineEventRecord,
} from '#core/incidents/ports.ts';
import { ConflictError, StaleVersionError } from '#core/shared/errors.ts';
import type { IdempotencyKey, Versioned } from '#core/shared/storage.ts';
import { listIncidents } from './incident-list.ts';
import { keys } from './keys.ts';
import type { OpenIncidentCache } from './open-incident-cache.ts';
import { relatedItemItem } from './related-items.ts';
import { type Item, type LabelledWrite, type StoreFunctions, stripStorageAttributes, type Table } from './table.ts';
import { readPayload, timelineEventWrites } from './timeline.ts';
import type { TriggerPayload } from './timeline-items.ts';
import { keyedTrigger, recordOnKnownIncident, triggerItems } from './triggers.ts';

/** A transaction holds at most 100 writes; related items beyond what StartIncident's own writes leave are added after. */
const MAX_TRANSACTION_WRITES = 100;
const START_ATTEMPTS = 5;

export const incidentItem = (incident: IncidentRecord, version: number): Item => ({
  ...keys.incident(incident.id),
  ...keys.incidentList(incident.creationTime, incident.id),
  ...keys.incidentByStatus(incident.status, incident.creationTime, incident.id),
  ...keys.incidentByImpact(incident.impact, incident.status, incident.creationTime, incident.id),
  ...keys.incidentByCreator(
    incident.incidentRecordSource.createdBy,
    incident.status,
    incident.creationTime,
    incident.id,
  ),
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

/** The writes that store a trigger event (with its payload when new), labelled for a transaction. */
const triggerWrites = (table: Table, incidentId: string, event: TimelineEventRecord, known?: TriggerPayload) => {
  const { payload, newPayload, items } = triggerItems(incidentId, event, known);
  const writes = [...(newPayload ? [newPayload] : []), ...items].map((item, i) => put(table, `trigger${i}`, item));
  return { payload, writes };
};

/** The open incident's payload named by its dedupe guard, if it has one (read once per environment and incident). */
const guardPayload = async (table: Table, incidentId: string, guard: Item): Promise<TriggerPayload | undefined> => {
  if (typeof guard.payloadKey !== 'string') return undefined;
  const text = await readPayload(table, incidentId, guard.payloadKey);
  return text === undefined ? undefined : { key: guard.payloadKey, text };
};

export async function startIncident(
  table: Table,
  openIncidents: OpenIncidentCache,
  write: StartIncidentWrite,
  idempotency: IdempotencyKey | undefined,
  now: number,
): Promise<StartIncidentResult> {
  const { incident } = write;
  const guard = write.dedupeKey ? keys.dedupeGuard(write.dedupeKey) : undefined;
  const repeat = (incidentRecordArn: string) =>
    keyedTrigger(write.duplicateTriggerEvent(incidentRecordArn), idempotency);
  const known = write.dedupeKey ? openIncidents.get(write.dedupeKey) : undefined;
  if (known && write.dedupeKey) {
    const recorded = await recordOnKnownIncident(
      table,
      repeat(known.incidentRecordArn),
      known,
      write.dedupeKey,
      idempotency,
      now,
    );
    if (recorded) {
      if (recorded.payload && !known.payload)
        openIncidents.set(write.dedupeKey, { ...known, payload: recorded.payload });
      return recorded.result;
    }
    openIncidents.forget(write.dedupeKey);
  }

  const events = write.events.map((event) => keyedTrigger(event, idempotency));
  let payload: TriggerPayload | undefined;
  const own: LabelledWrite[] = [put(table, 'incident', incidentItem(incident, 1), 'attribute_not_exists(pk)')];
  for (const [i, event] of events.entries()) {
    if (event.eventType !== EVENT_TYPES.trigger) {
      own.push(...timelineEventWrites(table, incident.id, event, `event${i}`));
      continue;
    }
    const trigger = triggerWrites(table, incident.id, event);
    payload ??= trigger.payload;
    own.push(...trigger.writes);
  }
  if (guard) {
    own.push(
      put(
        table,
        'dedupe',
        {
          ...guard,
          entityType: 'DedupeGuard',
          incidentId: incident.id,
          incidentRecordArn: incident.arn,
          ...(payload ? { payloadKey: payload.key } : {}),
        },
        'attribute_not_exists(pk)',
      ),
    );
  }
  const room = MAX_TRANSACTION_WRITES - own.length - (idempotency ? 1 : 0);
  const inTransaction = write.relatedItems.slice(0, room);
  const overflow = write.relatedItems.slice(room);

  for (let attempt = 1; ; attempt++) {
    const writes = [
      ...own,
      ...inTransaction.map((item, i) => put(table, `related${i}`, relatedItemItem(incident.id, item))),
    ];
    const created = { incidentRecordArn: incident.arn, created: true };
    const attemptResult = await table.transactIdempotent(writes, idempotency, created, now);
    if (attemptResult.replayed) return { ...attemptResult.result, replayed: true };
    const { outcome } = attemptResult;
    if (outcome.ok) {
      await writeOverflowRelatedItems(table, incident.id, overflow);
      if (write.dedupeKey)
        openIncidents.set(write.dedupeKey, {
          incidentId: incident.id,
          incidentRecordArn: incident.arn,
          ...(payload ? { payload } : {}),
        });
      return created;
    }
    const existing = outcome.failed.get('dedupe');
    if (!existing) throw new ConflictError(`Incident ${incident.arn} already exists.`, 'INCIDENT_RECORD', incident.arn);
    // Deduplicated: record the trigger on the open incident, as long as it is still open.
    const existingId = String(existing.incidentId);
    const existingArn = String(existing.incidentRecordArn);
    const existingPayload = await guardPayload(table, existingId, existing);
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
        ...triggerWrites(table, existingId, repeat(existingArn), existingPayload).writes,
      ],
      idempotency,
      duplicate,
      now,
    );
    if (recordTrigger.replayed) return { ...recordTrigger.result, replayed: true };
    if (recordTrigger.outcome.ok) {
      if (write.dedupeKey)
        openIncidents.set(write.dedupeKey, {
          incidentId: existingId,
          incidentRecordArn: existingArn,
          ...(existingPayload ? { payload: existingPayload } : {}),
        });
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
    ...events.flatMap((event, i) => timelineEventWrites(table, next.id, event, `event${i}`)),
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

/** The IncidentsStore methods of incident records (startIncident, which also takes the open-incident cache, is bound in store.ts), each taking the table first (bound by bindTable). */
export const incidentStoreFunctions = {
  getIncident,
  updateIncident,
  deleteIncident,
  listIncidents,
} satisfies StoreFunctions<IncidentsStore>;
