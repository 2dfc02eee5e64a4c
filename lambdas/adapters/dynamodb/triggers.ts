/**
 * Trigger events and what a deduplicated trigger costs. In an alarm storm nearly every delivery is a repeat of an
 * alarm whose incident is open; once an execution environment knows that incident, recording a repeat is three
 * small conditional puts sent together (the delivery's clientToken record, the time-keyed trigger event with its
 * eventData deflated against the incident's payload, the event's reference entry), then one consistent read of the
 * dedupe guard. About 3 write units and 1 read unit, with no transaction and no index write (docs/data-model.md).
 *
 * Why this is safe without a transaction:
 * - A retried or duplicated delivery carries the same clientToken: its record's put fails and returns the first
 *   result. The event's id derives from the same token, so a retry after a crash between the puts completes the
 *   first attempt's writes instead of adding an event (their puts are conditional on not existing).
 * - The guard is read after the writes: if it still names the incident, the incident was open after the trigger was
 *   written, so the trigger belongs to it. If it does not (the incident was resolved meanwhile), the writes are taken
 *   back and the delivery goes the full way (it opens a new incident, or dedupes into the one now holding the key).
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { EVENT_TYPES } from '#core/incidents/automatic-events.ts';
import type { StartIncidentResult, TimelineEventRecord } from '#core/incidents/ports.ts';
import { ConflictError } from '#core/shared/errors.ts';
import type { IdempotencyKey } from '#core/shared/storage.ts';
import { keys } from './keys.ts';
import type { OpenIncidentRef } from './open-incident-cache.ts';
import type { Item, Table } from './table.ts';
import {
  COMPRESS_FROM_BYTES,
  payloadItem,
  payloadOf,
  type TriggerPayload,
  timelineEntries,
  timelineEventItem,
  triggerEventId,
} from './timeline-items.ts';

/** A trigger event with its time-keyed id (seeded by the clientToken, so a retried delivery computes the same id). */
export const keyedTrigger = (event: TimelineEventRecord, idempotency: IdempotencyKey | undefined) =>
  event.eventType === EVENT_TYPES.trigger
    ? {
        ...event,
        eventId: triggerEventId(event.eventTime, idempotency && `${idempotency.operation}|${idempotency.token}`),
      }
    : event;

/**
 * The items that store a trigger event on an incident: the payload to compress against (a new one when none is
 * known and the eventData is worth it), the event, its index entries.
 */
export function triggerItems(incidentId: string, event: TimelineEventRecord, known: TriggerPayload | undefined) {
  const worthIt = Buffer.byteLength(event.eventData) >= COMPRESS_FROM_BYTES;
  const payload = known ?? (worthIt ? payloadOf(event.eventData) : undefined);
  return {
    payload,
    newPayload: payload && !known ? payloadItem(incidentId, payload) : undefined,
    items: [timelineEventItem(incidentId, event, payload), ...timelineEntries(incidentId, event)],
  };
}

const isConditionFailure = (error: unknown) => (error as { name?: string })?.name === 'ConditionalCheckFailedException';

/** Puts an item unless one with its key exists; true when this call created it. */
const putIfAbsent = async (table: Table, item: Item): Promise<boolean> => {
  try {
    await table.doc.send(
      new PutCommand({ TableName: table.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

const deleteKeyOf = (table: Table, item: Item) =>
  table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: { pk: item.pk, sk: item.sk } }));

/**
 * Records a repeated trigger on the incident this environment remembers for its dedupe key. Returns undefined when
 * the incident no longer holds the key (nothing stays written): the caller takes the full path.
 */
export async function recordOnKnownIncident(
  table: Table,
  event: TimelineEventRecord,
  known: OpenIncidentRef,
  dedupeKey: string,
  idempotency: IdempotencyKey | undefined,
  now: number,
): Promise<{ result: StartIncidentResult; payload?: TriggerPayload } | undefined> {
  const duplicate: StartIncidentResult = { incidentRecordArn: known.incidentRecordArn, created: false };
  const { payload, newPayload, items } = triggerItems(known.incidentId, event, known.payload);
  const token = idempotency ? table.idempotencyWrite(idempotency, duplicate, now).write.Put : undefined;
  const [tokenOutcome, ...created] = await Promise.all([
    token
      ? table.conditionalWrite(() =>
          table.doc.send(new PutCommand({ ...token, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })),
        )
      : Promise.resolve({ ok: true as const }),
    ...(newPayload ? [newPayload] : []).map((item) => putIfAbsent(table, item)),
    ...items.map((item) => putIfAbsent(table, item)),
  ]);
  const written = [...(newPayload ? [newPayload] : []), ...items];
  const ours = written.filter((_, i) => created[i]);
  if (!tokenOutcome.ok && idempotency) {
    // Another request holds the token right now (no old record came back): let the retry find its result.
    if (!tokenOutcome.old)
      throw new ConflictError(`A request with clientToken ${idempotency.token} is in progress; retry it.`);
    // A delivery seen before: its writes are complete now (ours filled any gap a crash left, and a payload nothing
    // refers to is taken back). The same token with another input is a conflict: what this call wrote is taken back.
    let replay: StartIncidentResult;
    try {
      replay = table.replayOrConflict<StartIncidentResult>(idempotency, tokenOutcome.old);
    } catch (error) {
      await Promise.all(ours.map((item) => deleteKeyOf(table, item)));
      throw error;
    }
    if (newPayload && created[0] && !created[1]) await deleteKeyOf(table, newPayload);
    return { result: { ...replay, replayed: true } };
  }
  const { Item: guard } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: keys.dedupeGuard(dedupeKey), ConsistentRead: true }),
  );
  if (guard?.incidentId === known.incidentId) return { result: duplicate, ...(payload ? { payload } : {}) };
  // The incident was resolved (or deleted) around this trigger: take it back, so it opens or joins the right one.
  await Promise.all([
    ...ours.map((item) => deleteKeyOf(table, item)),
    ...(token && idempotency
      ? [
          table.doc
            .send(
              new DeleteCommand({
                TableName: table.tableName,
                Key: { pk: token.Item?.pk, sk: token.Item?.sk },
                ConditionExpression: 'inputHash = :hash',
                ExpressionAttributeValues: { ':hash': idempotency.inputHash },
              }),
            )
            .catch((error: unknown) => {
              if (!isConditionFailure(error)) throw error;
            }),
        ]
      : []),
  ]);
  return undefined;
}
