/**
 * Turns a record of the table's change stream (NEW_AND_OLD_IMAGES) into the domain events it stands for. This is the
 * one place that knows how stored items map to facts; consumers only see DomainEvents. Items that carry no domain
 * fact (idempotency records, dedupe guards, receipts, references...) yield nothing.
 *
 * `ENTITY_TYPES_WITH_EVENTS` lists the item types that can yield an event, so a stream consumer can be told to skip
 * the rest before it is even invoked (the event source mapping's filter in AWS, the local stream reader locally).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { ActionItemRecord } from '#core/analysis/ports.ts';
import type { EngagementRecord, PageRecord } from '#core/contacts/engagements/model.ts';
import type { DomainEvent, DomainEventBody, IncidentField } from '#core/events/domain-events.ts';
import type { IncidentRecord, RelatedItemRecord, ResponsePlanRecord } from '#core/incidents/ports.ts';
import { unmarshallItem } from './map-keys.ts';
import { type Item, stripStorageAttributes } from './table.ts';
import { payloadKeyOf, timelineEventOf } from './timeline-items.ts';

/**
 * Reads the payload a compressed trigger event's data was stored against (alarm storms store repeated raw data once
 * per incident: timeline-items.ts). The stream handler passes one backed by the table.
 */
export type PayloadReader = (incidentId: string, payloadKey: string) => Promise<string | undefined>;

const noPayloads: PayloadReader = async () => undefined;

/** The timeline event an item holds, with its data restored from the payload it was compressed against. */
const eventOfItem = async (item: Item, incidentId: string, readPayload: PayloadReader) => {
  const payloadKey = payloadKeyOf(item);
  return timelineEventOf(item, payloadKey ? await readPayload(incidentId, payloadKey) : undefined);
};

export const ENTITY_TYPES_WITH_EVENTS = [
  'Incident',
  'TimelineEvent',
  'RelatedItem',
  'ResponsePlan',
  'Engagement',
  'Page',
] as const;

/** Fields whose change alone is bookkeeping, not news. */
const BOOKKEEPING: ReadonlySet<string> = new Set(['lastModifiedTime', 'lastModifiedBy']);

/** aws-lambda's AttributeValue type and the SDK's describe the same JSON; the stream hands us the SDK's. */
const imageOf = (image: unknown): Item | undefined =>
  image ? (unmarshallItem(image as Record<string, AttributeValue>) as Item) : undefined;

/** `INC#<id>` -> `<id>` */
const incidentIdOfPartition = (pk: unknown) => String(pk).slice('INC#'.length);

/** The record fields (storage attributes aside) whose values differ. */
const changedFields = (before: object, after: object): string[] => {
  const old = before as Item;
  const now = after as Item;
  const names = new Set([...Object.keys(old), ...Object.keys(now)]);
  return [...names].filter((name) => !BOOKKEEPING.has(name) && JSON.stringify(old[name]) !== JSON.stringify(now[name]));
};

const becameSet = (before: Item, after: Item, field: string) =>
  before[field] === undefined && after[field] !== undefined;

/**
 * The events one stream record stands for (usually one; a page update can be several at once). Event ids derive from
 * the stream record's id, which stays the same when the record is delivered again.
 */
export async function domainEventsOf(
  record: DynamoDBRecord,
  readPayload: PayloadReader = noPayloads,
): Promise<DomainEvent[]> {
  const after = imageOf(record.dynamodb?.NewImage);
  const before = imageOf(record.dynamodb?.OldImage);
  const item = after ?? before;
  if (!item) return [];
  const baseId = record.eventID ?? record.dynamodb?.SequenceNumber ?? 'unknown';
  const approximate = (record.dynamodb?.ApproximateCreationDateTime ?? 0) * 1000;
  const events: DomainEvent[] = [];
  const add = (event: DomainEventBody & { time?: number }) =>
    events.push({
      ...event,
      id: events.length === 0 ? baseId : `${baseId}#${events.length}`,
      time: event.time ?? approximate,
    } as DomainEvent);

  switch (item.entityType) {
    case 'Incident': {
      const incident = after && stripStorageAttributes<IncidentRecord>(after);
      const previous = before && stripStorageAttributes<IncidentRecord>(before);
      if (incident && !previous) add({ type: 'IncidentOpened', incident, time: incident.creationTime });
      else if (!incident && previous) add({ type: 'IncidentDeleted', incident: previous });
      else if (incident && previous) {
        const changed = changedFields(previous, incident) as IncidentField[];
        if (changed.length === 0) break;
        const type =
          previous.status !== incident.status
            ? incident.status === 'RESOLVED'
              ? 'IncidentResolved'
              : 'IncidentReopened'
            : 'IncidentUpdated';
        add({ type, incident, previous, changed, time: incident.lastModifiedTime });
      }
      break;
    }
    case 'TimelineEvent': {
      const incidentId = incidentIdOfPartition(item.pk);
      const event = after && (await eventOfItem(after, incidentId, readPayload));
      const previous = before && (await eventOfItem(before, incidentId, readPayload));
      if (event && !previous)
        add({ type: 'TimelineEventAdded', incidentId, event, time: event.eventUpdatedTime ?? event.eventTime });
      else if (!event && previous) add({ type: 'TimelineEventDeleted', incidentId, event: previous });
      else if (event && previous)
        add({ type: 'TimelineEventUpdated', incidentId, event, previous, time: event.eventUpdatedTime });
      break;
    }
    case 'RelatedItem': {
      const incidentId = incidentIdOfPartition(item.pk);
      if (after && !before)
        add({ type: 'RelatedItemAdded', incidentId, item: stripStorageAttributes<RelatedItemRecord>(after) });
      else if (before && !after)
        add({ type: 'RelatedItemRemoved', incidentId, item: stripStorageAttributes<RelatedItemRecord>(before) });
      break;
    }
    case 'ResponsePlan': {
      const plan = after && stripStorageAttributes<ResponsePlanRecord>(after);
      add({ type: 'ResponsePlanChanged', name: String(item.name), ...(plan ? { plan } : {}) });
      break;
    }
    case 'Engagement': {
      const engagement = after && stripStorageAttributes<EngagementRecord>(after);
      const previous = before && stripStorageAttributes<EngagementRecord>(before);
      if (engagement && !previous) add({ type: 'EngagementStarted', engagement, time: engagement.startTime });
      else if (engagement && previous && previous.status === 'ENGAGED' && engagement.status !== 'ENGAGED')
        add({ type: 'EngagementEnded', engagement, previous, time: engagement.stopTime });
      break;
    }
    case 'ActionItem': {
      const item = after && stripStorageAttributes<ActionItemRecord>(after);
      const previous = before && stripStorageAttributes<ActionItemRecord>(before);
      if (item && !previous) add({ type: 'ActionItemCreated', item, time: item.createdTime });
      else if (!item && previous) add({ type: 'ActionItemDeleted', item: previous });
      else if (item && previous) add({ type: 'ActionItemUpdated', item, previous, time: item.lastModifiedTime });
      break;
    }
    case 'Page': {
      const page = after && stripStorageAttributes<PageRecord>(after);
      if (!page) break;
      const old = before ?? {};
      if (!before) add({ type: 'PageCreated', page, time: page.createdTime });
      if (after && becameSet(old, after, 'sentTime')) add({ type: 'PageSent', page, time: page.sentTime });
      if (after && becameSet(old, after, 'readTime')) add({ type: 'PageAcknowledged', page, time: page.readTime });
      if (after && becameSet(old, after, 'stopTime')) add({ type: 'PageStopped', page, time: page.stopTime });
      break;
    }
  }
  return events;
}
