/**
 * Domain events: what happened to the data, as facts the rest of the system reacts to (paging starts and stops,
 * runbooks, notifications, EventBridge events, metrics).
 *
 * They are derived from committed changes, never published inside an API request: every operation commits its change
 * to the one table, the table's change stream carries it (DynamoDB Streams in AWS, DynamoDB Local's own stream
 * locally), and lambdas/adapters/dynamodb/change-events.ts turns each stream record into at most one event. So an API
 * call never waits on SNS or Step Functions, a slow consumer loses nothing (the stream keeps records for 24 hours and
 * redelivers until the consumer succeeds), and no operation can forget to publish. The decision and its alternatives:
 * docs/domain-events.md.
 *
 * Delivery is at least once and in order per item: a consumer sees the same event again (same `id`) after a failure
 * in its batch, so every consumer is idempotent per event id or per the fact it acts on.
 */
import type { ActionItemRecord } from '#core/analysis/ports.ts';
import type { EngagementRecord, PageRecord } from '#core/contacts/engagements/model.ts';
import type {
  IncidentRecord,
  RelatedItemRecord,
  ResponsePlanRecord,
  TimelineEventRecord,
} from '#core/incidents/ports.ts';

interface EventMeta {
  /** Stable per change: a redelivered change carries the same id (the stream record's event id). */
  readonly id: string;
  /** When the change was committed, epoch milliseconds. */
  readonly time: number;
}

/** The incident fields that differ between the old and the new record of an incident change. */
export type IncidentField = keyof IncidentRecord;

export type DomainEvent = EventMeta &
  (
    | { readonly type: 'IncidentOpened'; readonly incident: IncidentRecord }
    /** Any change but a status change; `changed` names the fields (lastModified* excluded). */
    | {
        readonly type: 'IncidentUpdated';
        readonly incident: IncidentRecord;
        readonly previous: IncidentRecord;
        readonly changed: readonly IncidentField[];
      }
    /** OPEN -> RESOLVED, possibly with other fields changed in the same update (`changed`). */
    | {
        readonly type: 'IncidentResolved';
        readonly incident: IncidentRecord;
        readonly previous: IncidentRecord;
        readonly changed: readonly IncidentField[];
      }
    /** RESOLVED -> OPEN. */
    | {
        readonly type: 'IncidentReopened';
        readonly incident: IncidentRecord;
        readonly previous: IncidentRecord;
        readonly changed: readonly IncidentField[];
      }
    | { readonly type: 'IncidentDeleted'; readonly incident: IncidentRecord }
    | { readonly type: 'TimelineEventAdded'; readonly incidentId: string; readonly event: TimelineEventRecord }
    | {
        readonly type: 'TimelineEventUpdated';
        readonly incidentId: string;
        readonly event: TimelineEventRecord;
        readonly previous: TimelineEventRecord;
      }
    | { readonly type: 'TimelineEventDeleted'; readonly incidentId: string; readonly event: TimelineEventRecord }
    | { readonly type: 'RelatedItemAdded'; readonly incidentId: string; readonly item: RelatedItemRecord }
    | { readonly type: 'RelatedItemRemoved'; readonly incidentId: string; readonly item: RelatedItemRecord }
    /** Created, updated or deleted (`plan` absent); lets caches of plans drop their copy at once. */
    | { readonly type: 'ResponsePlanChanged'; readonly name: string; readonly plan?: ResponsePlanRecord }
    | { readonly type: 'EngagementStarted'; readonly engagement: EngagementRecord }
    /** ENGAGED -> ACKNOWLEDGED, STOPPED, COMPLETED or FAILED. */
    | { readonly type: 'EngagementEnded'; readonly engagement: EngagementRecord; readonly previous: EngagementRecord }
    | { readonly type: 'PageCreated'; readonly page: PageRecord }
    /** A delivery attempt was accepted by the provider (the page's first `sentTime`). */
    | { readonly type: 'PageSent'; readonly page: PageRecord }
    /** The page was read: AcceptPage with READ (its `readTime` was set). */
    | { readonly type: 'PageAcknowledged'; readonly page: PageRecord }
    /** The page's engagement ended before it was read (its STOP receipt). */
    | { readonly type: 'PageStopped'; readonly page: PageRecord }
    /** A post-incident analysis gained, changed or lost an action item. */
    | { readonly type: 'ActionItemCreated'; readonly item: ActionItemRecord }
    | { readonly type: 'ActionItemUpdated'; readonly item: ActionItemRecord; readonly previous: ActionItemRecord }
    | { readonly type: 'ActionItemDeleted'; readonly item: ActionItemRecord }
  );

export type DomainEventType = DomainEvent['type'];
export type DomainEventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;

/**
 * Something that reacts to domain events. `handle` is called for every event in commit order per item; it ignores the
 * types it does not care about, throws to have the event delivered again (after a transient failure), and must be
 * idempotent: the same event may arrive more than once.
 */
export interface DomainEventConsumer {
  readonly name: string;
  handle(event: DomainEvent): Promise<void>;
}

/** An event without its id and time (each member of the union on its own). */
export type DomainEventBody = DomainEvent extends infer E
  ? E extends DomainEvent
    ? Omit<E, 'id' | 'time'>
    : never
  : never;
