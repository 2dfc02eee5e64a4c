/** Timeline events live in their incident's item collection; the local index orders them by event time. */
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { TimelineEventRecord, TimelineQuery } from '#core/incidents/ports.ts';
import { ConflictError } from '#core/shared/errors.ts';
import type { IdempotencyKey, Page } from '#core/shared/storage.ts';
import { sortableMillis } from '#core/shared/time.ts';
import { LOCAL_INDEXES } from '#runtime/table-schema.ts';
import { incidentNotFound } from './incidents.ts';
import { keys, pageKeyAttributes } from './keys.ts';
import {
  bindValues,
  decodeNextToken,
  encodeNextToken,
  type Item,
  type LabelledWrite,
  stripStorageAttributes,
  type Table,
} from './table.ts';

/** Flattened reference values, so a filter can match with `contains`. */
const referenceValues = (event: TimelineEventRecord) =>
  (event.eventReferences ?? []).map((ref) => ('resource' in ref ? ref.resource : ref.relatedItemId));

export const timelineEventItem = (incidentId: string, event: TimelineEventRecord): Item => {
  const refs = referenceValues(event);
  return {
    ...keys.timelineEvent(incidentId, event.eventId),
    ...keys.timelineByTime(event.eventTime, event.eventId),
    entityType: 'TimelineEvent',
    ...event,
    ...(refs.length ? { referenceValues: refs } : {}),
  };
};

/** The timeline event an item holds (without its storage-only attributes). */
export const timelineEventOf = (item: Item): TimelineEventRecord => {
  const { referenceValues: _ignored, ...event } = stripStorageAttributes<
    TimelineEventRecord & { referenceValues?: unknown }
  >(item);
  return event;
};

const incidentExists = (table: Table, incidentId: string): LabelledWrite => ({
  label: 'incident',
  write: {
    ConditionCheck: {
      TableName: table.tableName,
      Key: keys.incident(incidentId),
      ConditionExpression: 'attribute_exists(pk)',
    },
  },
});

export async function createTimelineEvent(
  table: Table,
  incidentId: string,
  event: TimelineEventRecord,
  idempotency: IdempotencyKey | undefined,
  now: number,
): Promise<{ eventId: string }> {
  const result = { eventId: event.eventId };
  const outcome = await table.transactIdempotent(
    [
      incidentExists(table, incidentId),
      { label: 'event', write: { Put: { TableName: table.tableName, Item: timelineEventItem(incidentId, event) } } },
    ],
    idempotency,
    result,
    now,
  );
  if (outcome.replayed) return outcome.result;
  if (!outcome.outcome.ok) throw incidentNotFound(event.incidentRecordArn);
  return result;
}

export async function getTimelineEvent(table: Table, incidentId: string, eventId: string) {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: keys.timelineEvent(incidentId, eventId), ConsistentRead: true }),
  );
  return Item ? timelineEventOf(Item) : undefined;
}

export async function replaceTimelineEvent(
  table: Table,
  incidentId: string,
  previous: TimelineEventRecord,
  next: TimelineEventRecord,
  idempotency: IdempotencyKey | undefined,
  now: number,
): Promise<void> {
  const outcome = await table.transactIdempotent(
    [
      {
        label: 'event',
        write: {
          Put: {
            TableName: table.tableName,
            Item: timelineEventItem(incidentId, next),
            // Last writer loses instead of silently overwriting a concurrent edit.
            ConditionExpression: 'eventUpdatedTime = :seen',
            ExpressionAttributeValues: { ':seen': previous.eventUpdatedTime },
          },
        },
      },
    ],
    idempotency,
    null,
    now,
  );
  if (outcome.replayed || outcome.outcome.ok) return;
  throw new ConflictError(
    `Timeline event ${next.eventId} was modified by another request.`,
    'TIMELINE_EVENT',
    next.eventId,
  );
}

export async function deleteTimelineEvent(table: Table, incidentId: string, eventId: string) {
  await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: keys.timelineEvent(incidentId, eventId) }));
}

export async function listTimelineEvents(
  table: Table,
  incidentId: string,
  query: TimelineQuery,
  maxResults: number,
  nextToken: string | undefined,
): Promise<Page<TimelineEventRecord>> {
  const names: Record<string, string> = { '#sk': LOCAL_INDEXES.timelineByTime.sortKey };
  const values: Record<string, unknown> = {
    ':pk': keys.incidentPartition(incidentId),
    ':lo': query.after !== undefined ? `EVT#${sortableMillis(query.after + 1)}#` : 'EVT#',
    ':hi': query.before !== undefined ? `EVT#${sortableMillis(query.before - 1)}$` : 'EVT$',
  };
  const filters: string[] = [];
  if (query.eventTypes) {
    names['#type'] = 'eventType';
    filters.push(`#type IN (${bindValues(values, 'type', query.eventTypes)})`);
  }
  (query.eventReferences ?? []).forEach((alternatives, f) => {
    names['#refs'] = 'referenceValues';
    filters.push(`(${bindValues(values, `ref${f}_`, alternatives, (p) => `contains(#refs, ${p})`, ' OR ')})`);
  });
  const startKey = decodeNextToken(nextToken, { incidentId, query }, pageKeyAttributes.timelineByTime);
  const { items, lastKey } = await table.collect(
    {
      IndexName: LOCAL_INDEXES.timelineByTime.name,
      KeyConditionExpression: 'pk = :pk AND #sk BETWEEN :lo AND :hi',
      FilterExpression: filters.length ? filters.join(' AND ') : undefined,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: query.ascending,
      ConsistentRead: true,
    },
    maxResults,
    pageKeyAttributes.timelineByTime,
    startKey,
  );
  return { items: items.map(timelineEventOf), nextToken: encodeNextToken(lastKey, { incidentId, query }) };
}
