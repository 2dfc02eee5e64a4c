/**
 * How a timeline event is stored, so that every ListTimelineEvents filter reads a key range (docs/data-model.md):
 *
 * - the event's own item, `INC#<id>` / `EVT#<eventId>`, which GetTimelineEvent reads. Every event but a trigger is
 *   also in the local index by event time (`lsi1sk`). A trigger (`SSM Incident Trigger`, written only by the service
 *   and never edited) has a time-ordered id instead, `t<15-digit ms><suffix>`, so the `EVT#t` range of the partition
 *   is the incident's triggers in time order: in an alarm storm, the events that make up most of a timeline cost
 *   no index write at all;
 * - index entries in the same partition, carrying the event's summary (what ListTimelineEvents returns): one per
 *   reference, `REF#<hash of the value>#<ms>#<eventId>`, and, for every event but a trigger, one for its type,
 *   `TYPE#<eventType>#<ms>#<eventId>`;
 * - for triggers, a payload item, `PAYLOAD#<hash>`, holding one eventData (with its rawData) once per incident and
 *   content. A trigger event keeps its eventData deflated against that payload: an alarm's repeated state changes
 *   differ in a few timestamps, so each one stores tens of bytes instead of its whole event.
 */
import { randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { EVENT_TYPES } from '#core/incidents/automatic-events.ts';
import type { TimelineEventRecord, TimelineEventSummary } from '#core/incidents/ports.ts';
import type { EventReference } from '#core/incidents/shapes.ts';
import { sha256Hex } from '#core/shared/ids.ts';
import { keys } from './keys.ts';
import { type Item, stripStorageAttributes } from './table.ts';

/** A stored payload: the dictionary trigger events of one incident compress their eventData against. */
export interface TriggerPayload {
  key: string;
  text: string;
}

const TRIGGER_ID = /^t\d{15}[0-9a-f]{20}$/;
/** Below this size an eventData is stored as it is: compression would save less than its own bookkeeping. */
export const COMPRESS_FROM_BYTES = 400;

export const ENTITY = { event: 'TimelineEvent', entry: 'TimelineIndexEntry', payload: 'TimelinePayload' } as const;

/** A trigger event in the time-keyed layout (older ones, with a UUID, are in the local index like other events). */
export const isTimeKeyedTrigger = (event: Pick<TimelineEventRecord, 'eventType' | 'eventId'>) =>
  event.eventType === EVENT_TYPES.trigger && TRIGGER_ID.test(event.eventId);

/**
 * The id of a trigger event: its time, then a suffix derived from `seed` when given (a retried delivery computes the
 * same id, so its write finds the first one), otherwise random.
 */
export const triggerEventId = (eventTime: number, seed?: string) =>
  keys.triggerEventId(eventTime, seed === undefined ? randomBytes(10).toString('hex') : sha256Hex(seed).slice(0, 20));

/** The payload item for an eventData, keyed by its content. */
export const payloadOf = (text: string): TriggerPayload => ({ key: sha256Hex(text).slice(0, 32), text });

export const payloadItem = (incidentId: string, payload: TriggerPayload): Item => ({
  ...keys.timelinePayload(incidentId, payload.key),
  entityType: ENTITY.payload,
  text: payload.text,
});

const referenceValue = (ref: EventReference) => ('resource' in ref ? ref.resource : ref.relatedItemId);

const summaryOf = (event: TimelineEventRecord): TimelineEventSummary => {
  const { eventData: _data, ...summary } = event;
  return summary;
};

/** The entry that lists an event under its type: none for a time-keyed trigger (its own item is in that range). */
const typeEntryKey = (incidentId: string, event: TimelineEventRecord) => {
  if (isTimeKeyedTrigger(event)) return undefined;
  if (event.eventType === EVENT_TYPES.trigger)
    return keys.legacyTriggerEntry(incidentId, event.eventTime, event.eventId);
  return keys.timelineTypeEntry(incidentId, event.eventType, event.eventTime, event.eventId);
};

/** The index entries of an event: one per distinct reference, and one for its type unless it is a keyed trigger. */
export function timelineEntries(incidentId: string, event: TimelineEventRecord): Item[] {
  const summary = { entityType: ENTITY.entry, ...summaryOf(event) };
  const values = [...new Set((event.eventReferences ?? []).map(referenceValue))];
  const typeKey = typeEntryKey(incidentId, event);
  return [
    ...(typeKey ? [{ ...typeKey, ...summary }] : []),
    ...values.map((value) => ({
      ...keys.timelineReferenceEntry(incidentId, value, event.eventTime, event.eventId),
      ...summary,
    })),
  ];
}

/** The keys of an event's index entries (to delete them with it, or when an edit changes them). */
export const timelineEntryKeys = (incidentId: string, event: TimelineEventRecord) =>
  timelineEntries(incidentId, event).map((entry) => ({ pk: String(entry.pk), sk: String(entry.sk) }));

/**
 * The event's own item. With a payload, a large eventData is stored deflated against it (`eventDataZ`, and the
 * payload's key in `payloadKey`).
 */
export function timelineEventItem(incidentId: string, event: TimelineEventRecord, payload?: TriggerPayload): Item {
  const { eventData, ...rest } = event;
  const compress = payload !== undefined && Buffer.byteLength(eventData) >= COMPRESS_FROM_BYTES;
  return {
    ...keys.timelineEvent(incidentId, event.eventId),
    ...(isTimeKeyedTrigger(event) ? {} : keys.timelineByTime(event.eventTime, event.eventId)),
    entityType: ENTITY.event,
    ...rest,
    ...(compress
      ? {
          eventDataZ: deflateRawSync(Buffer.from(eventData), { dictionary: Buffer.from(payload.text), level: 9 }),
          payloadKey: payload.key,
        }
      : { eventData }),
  };
}

/** The payload an event item's eventData was compressed against, if any. */
export const payloadKeyOf = (item: Item): string | undefined =>
  typeof item.payloadKey === 'string' ? item.payloadKey : undefined;

/**
 * The timeline event an item holds. An eventData stored compressed needs its payload's text (payloadKeyOf(item)
 * names the payload item to read); without it this throws rather than return an event without its data.
 */
export function timelineEventOf(item: Item, payloadText?: string): TimelineEventRecord {
  const {
    referenceValues: _legacy,
    eventDataZ,
    payloadKey,
    ...event
  } = stripStorageAttributes<
    TimelineEventRecord & { referenceValues?: unknown; eventDataZ?: Uint8Array; payloadKey?: string }
  >(item);
  if (eventDataZ === undefined) return event;
  if (payloadText === undefined)
    throw new Error(
      `Timeline event ${event.eventId} is stored against payload ${payloadKey}; read that payload first.`,
    );
  const eventData = inflateRawSync(eventDataZ, { dictionary: Buffer.from(payloadText) }).toString('utf8');
  return { ...event, eventData };
}

/** What a list returns of any timeline item (an event, or one of its index entries). */
export function timelineSummaryOf(item: Item): TimelineEventSummary {
  const {
    referenceValues: _legacy,
    eventDataZ: _z,
    payloadKey: _p,
    eventData: _d,
    ...summary
  } = stripStorageAttributes<
    TimelineEventRecord & { referenceValues?: unknown; eventDataZ?: unknown; payloadKey?: unknown }
  >(item);
  return summary;
}
