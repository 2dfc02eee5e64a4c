/**
 * Timeline events live in their incident's item collection (layout: timeline-items.ts). Every ListTimelineEvents
 * filter is answered from key ranges of that partition, read consistently, at most two per page (docs/data-model.md).
 */

import { DeleteCommand, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { EVENT_TYPES } from '#core/incidents/automatic-events.ts';
import { incidentNotFound } from '#core/incidents/not-found.ts';
import type {
  IncidentsStore,
  TimelineEventRecord,
  TimelineEventSummary,
  TimelineQuery,
} from '#core/incidents/ports.ts';
import { ConflictError } from '#core/shared/errors.ts';
import type { IdempotencyKey, Page } from '#core/shared/storage.ts';
import { sortableMillis } from '#core/shared/time.ts';
import { LOCAL_INDEXES } from '#runtime/table-schema.ts';
import { keys, pageKeyAttributes } from './keys.ts';
import { decodePositions, encodePositions, type QueryStream, readMergedPage } from './merged-query.ts';
import type { Item, LabelledWrite, StoreFunctions, Table } from './table.ts';
import {
  payloadKeyOf,
  timelineEntries,
  timelineEntryKeys,
  timelineEventItem,
  timelineEventOf,
  timelineSummaryOf,
} from './timeline-items.ts';

export { timelineEventOf };

/** Key ranges one page may read: each is one Query per page. */
const MAX_STREAMS = 2;
/** Items read per range when a filter no key expresses drops some (a bounded read, so pages may come back short). */
const FILTERED_READ = 100;

const put = (table: Table, label: string, item: Item): LabelledWrite => ({
  label,
  write: { Put: { TableName: table.tableName, Item: item } },
});

const remove = (table: Table, label: string, key: Record<string, string>): LabelledWrite => ({
  label,
  write: { Delete: { TableName: table.tableName, Key: key } },
});

/** The writes that store a new event: its item and its index entries. */
export const timelineEventWrites = (table: Table, incidentId: string, event: TimelineEventRecord, label = 'event') => [
  put(table, label, timelineEventItem(incidentId, event)),
  ...timelineEntries(incidentId, event).map((entry, i) => put(table, `${label}:entry${i}`, entry)),
];

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
    [incidentExists(table, incidentId), ...timelineEventWrites(table, incidentId, event)],
    idempotency,
    result,
    now,
  );
  if (outcome.replayed) return outcome.result;
  if (!outcome.outcome.ok) throw incidentNotFound(event.incidentRecordArn);
  return result;
}

/** Payloads never change once written, so each execution environment keeps the ones it read. */
const payloadCache = new Map<string, string>();
const PAYLOAD_CACHE_SIZE = 256;

export async function readPayload(table: Table, incidentId: string, payloadKey: string): Promise<string | undefined> {
  const cacheKey = `${incidentId}/${payloadKey}`;
  const cached = payloadCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const { Item } = await table.doc.send(
    new GetCommand({
      TableName: table.tableName,
      Key: keys.timelinePayload(incidentId, payloadKey),
      // Written in the same request as the first event that uses it: a consistent read always finds it.
      ConsistentRead: true,
    }),
  );
  const text = typeof Item?.text === 'string' ? Item.text : undefined;
  if (text !== undefined) {
    payloadCache.set(cacheKey, text);
    if (payloadCache.size > PAYLOAD_CACHE_SIZE) payloadCache.delete(payloadCache.keys().next().value as string);
  }
  return text;
}

/** An event item as the record it stores, reading the payload its eventData was compressed against, if any. */
export async function readTimelineEvent(table: Table, incidentId: string, item: Item): Promise<TimelineEventRecord> {
  const payloadKey = payloadKeyOf(item);
  return timelineEventOf(item, payloadKey ? await readPayload(table, incidentId, payloadKey) : undefined);
}

/**
 * Every event of an incident with its full data, a page at a time, in event-id order (one consistent Query of the
 * incident's `EVT#` range; trigger events' payloads read once each). For whole-record readers such as post-incident
 * analysis; the API's ListTimelineEvents answers summaries in time order instead.
 */
export async function listTimelineEventRecords(
  table: Table,
  incidentId: string,
  maxResults: number,
  nextToken: string | undefined,
): Promise<Page<TimelineEventRecord>> {
  const page = await table.listCollection<Item>(
    keys.incidentPartition(incidentId),
    keys.timelineEventPrefix,
    { incidentId, records: true },
    maxResults,
    nextToken,
  );
  return {
    items: await Promise.all(page.items.map((item) => readTimelineEvent(table, incidentId, item))),
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
}

export async function getTimelineEvent(table: Table, incidentId: string, eventId: string) {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: keys.timelineEvent(incidentId, eventId), ConsistentRead: true }),
  );
  return Item ? readTimelineEvent(table, incidentId, Item) : undefined;
}

/**
 * Replaces a user event (Custom Event, Note): its item, conditional on the version read, and its index entries
 * (those the edit no longer needs are deleted; the others are rewritten with the new summary).
 */
export async function replaceTimelineEvent(
  table: Table,
  incidentId: string,
  previous: TimelineEventRecord,
  next: TimelineEventRecord,
  idempotency: IdempotencyKey | undefined,
  now: number,
): Promise<void> {
  const entries = timelineEntries(incidentId, next);
  const kept = new Set(entries.map((entry) => `${entry.pk}|${entry.sk}`));
  const dropped = timelineEntryKeys(incidentId, previous).filter((key) => !kept.has(`${key.pk}|${key.sk}`));
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
      ...entries.map((entry, i) => put(table, `entry${i}`, entry)),
      ...dropped.map((key, i) => remove(table, `dropped${i}`, key)),
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

/** Deletes an event with its index entries (an event written before they existed has none: nothing to delete). */
export async function deleteTimelineEvent(table: Table, incidentId: string, event: TimelineEventRecord) {
  const entryKeys = timelineEntryKeys(incidentId, event);
  if (entryKeys.length === 0) {
    await table.doc.send(
      new DeleteCommand({ TableName: table.tableName, Key: keys.timelineEvent(incidentId, event.eventId) }),
    );
    return;
  }
  await table.doc.send(
    new TransactWriteCommand({
      TransactItems: [keys.timelineEvent(incidentId, event.eventId), ...entryKeys].map((Key) => ({
        Delete: { TableName: table.tableName, Key },
      })),
    }),
  );
}

// ---- ListTimelineEvents -------------------------------------------------------------------------------------------

/** Sort-key bounds for a range whose keys continue with `<15-digit ms>` (eventTime bounds are exclusive). */
const timeRange = (prefix: string, query: TimelineQuery, separator = '#') => ({
  ':lo': `${prefix}${query.after !== undefined ? `${sortableMillis(query.after + 1)}${separator}` : ''}`,
  ':hi': `${prefix}${query.before !== undefined ? sortableMillis(query.before - 1) : '9'.repeat(15)}~`,
});

const rangeOfPartition = (incidentId: string, prefix: string, query: TimelineQuery, separator = '#'): QueryStream => ({
  query: {
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
    ExpressionAttributeValues: { ':pk': keys.incidentPartition(incidentId), ...timeRange(prefix, query, separator) },
    ScanIndexForward: query.ascending,
    ConsistentRead: true,
  },
  keyAttributes: pageKeyAttributes.table,
});

/** Every event but the time-keyed triggers, in the local index by event time. */
const eventsByTime = (incidentId: string, query: TimelineQuery): QueryStream => ({
  query: {
    IndexName: LOCAL_INDEXES.timelineByTime.name,
    KeyConditionExpression: 'pk = :pk AND #sk BETWEEN :lo AND :hi',
    ExpressionAttributeNames: { '#sk': LOCAL_INDEXES.timelineByTime.sortKey },
    ExpressionAttributeValues: { ':pk': keys.incidentPartition(incidentId), ...timeRange('EVT#', query) },
    ScanIndexForward: query.ascending,
    ConsistentRead: true,
  },
  keyAttributes: pageKeyAttributes.timelineByTime,
});

/** The incident's time-keyed triggers: `EVT#t<ms><suffix>`, no separator after the time. */
const triggersByTime = (incidentId: string, query: TimelineQuery) =>
  rangeOfPartition(incidentId, keys.triggerEventRange, query, '');

const ofType = (incidentId: string, eventType: string, query: TimelineQuery) =>
  eventType === EVENT_TYPES.trigger
    ? triggersByTime(incidentId, query)
    : rangeOfPartition(incidentId, keys.timelineTypePrefix(eventType), query);

const referencing = (incidentId: string, value: string, query: TimelineQuery) =>
  rangeOfPartition(incidentId, keys.timelineReferencePrefix(value), query);

interface TimelinePlan {
  streams: QueryStream[];
  /** The filters the chosen ranges do not express, checked on each item read. */
  residual?: (summary: TimelineEventSummary) => boolean;
}

/**
 * Chooses the key ranges for a query: the reference filter with the fewest values (one range per value), else the
 * event types (one range each), when that takes at most MAX_STREAMS ranges; otherwise the whole timeline (the local
 * index beside the triggers' range). Filters the ranges do not express stay as a residual check on a bounded read.
 */
export function planTimelineQuery(incidentId: string, query: TimelineQuery): TimelinePlan {
  const references = query.eventReferences ?? [];
  const types = query.eventTypes;
  const narrowest = [...references.keys()].sort(
    (a, b) => (references[a]?.length ?? 0) - (references[b]?.length ?? 0),
  )[0];
  let streams: QueryStream[];
  let keyedReference: number | undefined;
  let keyedTypes = false;
  if (narrowest !== undefined && (references[narrowest]?.length ?? 0) <= MAX_STREAMS) {
    streams = [...new Set(references[narrowest])].map((value) => referencing(incidentId, value, query));
    keyedReference = narrowest;
  } else if (types && new Set(types).size <= MAX_STREAMS) {
    streams = [...new Set(types)].map((type) => ofType(incidentId, type, query));
    keyedTypes = true;
  } else {
    streams = [eventsByTime(incidentId, query), triggersByTime(incidentId, query)];
  }
  const checks: ((summary: TimelineEventSummary) => boolean)[] = [];
  if (types && !keyedTypes) checks.push((summary) => types.includes(summary.eventType));
  references.forEach((alternatives, index) => {
    if (index === keyedReference) return;
    checks.push((summary) =>
      (summary.eventReferences ?? []).some((ref) =>
        alternatives.includes('resource' in ref ? ref.resource : ref.relatedItemId),
      ),
    );
  });
  return checks.length ? { streams, residual: (summary) => checks.every((check) => check(summary)) } : { streams };
}

export async function listTimelineEvents(
  table: Table,
  incidentId: string,
  query: TimelineQuery,
  maxResults: number,
  nextToken: string | undefined,
): Promise<Page<TimelineEventSummary>> {
  const plan = planTimelineQuery(incidentId, query);
  const tokenQuery = { incidentId, query };
  const page = await readMergedPage(table, {
    streams: plan.streams,
    orderKey: (item) => `${sortableMillis(Number(item.eventTime))}#${String(item.eventId)}`,
    descending: !query.ascending,
    limit: maxResults,
    ...(plan.residual
      ? {
          accept: (item: Item) => plan.residual!(timelineSummaryOf(item)),
          readLimit: Math.max(maxResults + 1, FILTERED_READ),
        }
      : {}),
    positions: decodePositions(nextToken, tokenQuery, plan.streams),
  });
  return { items: page.items.map(timelineSummaryOf), nextToken: encodePositions(page.positions, tokenQuery) };
}

/** The IncidentsStore methods of timeline events, each taking the table first (bound by bindTable). */
export const timelineStoreFunctions = {
  createTimelineEvent,
  getTimelineEvent,
  replaceTimelineEvent,
  deleteTimelineEvent,
  listTimelineEvents,
  listTimelineEventRecords,
} satisfies StoreFunctions<IncidentsStore>;
