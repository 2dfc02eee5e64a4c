/**
 * Events for integrations: every incident, timeline, related-item, engagement and page change, put on an EventBridge
 * bus as a documented event (docs/events.md), so Jira, ServiceNow, status pages or Teams workflows are wired with
 * ordinary EventBridge rules. `source` is ours (never `aws.*`), each change kind has its detail-type, `resources` holds
 * the ARNs involved, and `detail` follows a versioned schema (integration-event-schemas.ts, `detail.schemaVersion`).
 *
 * Delivery is at least once (like every EventBridge event): `detail.eventId` is the same for every delivery of one
 * change, so a target that must not act twice dedupes on it. The consumer runs after the SNS notifications, so a
 * notification failure makes the stream redeliver the change before the event is put, never after.
 */
import type { ActionItemRecord } from '#core/analysis/ports.ts';
import type { EngagementRecord, PageRecord } from '#core/contacts/engagements/model.ts';
import type { DomainEvent, DomainEventConsumer, IncidentField } from '#core/events/domain-events.ts';
import { responsePlanArn } from '#core/incidents/arns.ts';
import type { IncidentRecord, RelatedItemRecord, TimelineEventRecord } from '#core/incidents/ports.ts';
import { RUNBOOK_EVENT_TYPES, runbookEventFields } from '#core/runbooks/timeline.ts';
import type { ServiceContext } from '#core/shared/service-context.ts';
import type { IncidentReader, IntegrationEvent, IntegrationEventPublisher } from './ports.ts';

/** The `source` of every event this service puts on the bus. */
export const EVENT_SOURCE = 'open-incident-manager';

/** Version of the `detail` schema; bumped on any incompatible change (fields are only added within a version). */
export const DETAIL_SCHEMA_VERSION = '1';

/** The detail-type of each change kind. */
export const DETAIL_TYPES = {
  IncidentOpened: 'Incident Opened',
  IncidentUpdated: 'Incident Updated',
  IncidentResolved: 'Incident Resolved',
  IncidentReopened: 'Incident Reopened',
  IncidentDeleted: 'Incident Deleted',
  TimelineEventAdded: 'Timeline Event Added',
  TimelineEventUpdated: 'Timeline Event Updated',
  TimelineEventDeleted: 'Timeline Event Deleted',
  RelatedItemAdded: 'Related Item Added',
  RelatedItemRemoved: 'Related Item Removed',
  EngagementStarted: 'Engagement Started',
  EngagementEnded: 'Engagement Ended',
  PageCreated: 'Page Created',
  PageSent: 'Page Sent',
  PageAcknowledged: 'Page Acknowledged',
  PageStopped: 'Page Stopped',
  ActionItemCreated: 'Action Item Created',
  ActionItemUpdated: 'Action Item Updated',
  ActionItemDeleted: 'Action Item Deleted',
} as const satisfies Partial<Record<DomainEvent['type'], string>>;

/**
 * A runbook's progress is written on its incident's timeline (core/runbooks/timeline.ts); each of those timeline
 * entries is announced under a runbook detail-type of its own instead of "Timeline Event Added", with the runbook's
 * fields read out, so a rule can follow runbooks without parsing eventData.
 */
export const RUNBOOK_DETAIL_TYPES = {
  [RUNBOOK_EVENT_TYPES.started]: 'Runbook Started',
  [RUNBOOK_EVENT_TYPES.startFailure]: 'Runbook Start Failed',
  [RUNBOOK_EVENT_TYPES.step]: 'Runbook Step Status Changed',
  [RUNBOOK_EVENT_TYPES.ended]: 'Runbook Ended',
} as const;

export type DetailType =
  | (typeof DETAIL_TYPES)[keyof typeof DETAIL_TYPES]
  | (typeof RUNBOOK_DETAIL_TYPES)[keyof typeof RUNBOOK_DETAIL_TYPES];

const runbookDetailTypeOf = (eventType: string) =>
  (RUNBOOK_DETAIL_TYPES as Record<string, DetailType | undefined>)[eventType];

const iso = (millis: number | undefined) => (millis === undefined ? undefined : new Date(millis).toISOString());

/** Drops undefined members (EventBridge patterns match on presence with `exists`). */
const defined = <T extends Record<string, unknown>>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/** The public fields of an incident (internal bookkeeping such as dedupe keys and engaged contacts stays out). */
const PUBLIC_INCIDENT_FIELDS: readonly IncidentField[] = [
  'title',
  'summary',
  'impact',
  'status',
  'chatChannel',
  'notificationTargets',
  'resolvedTime',
  'tags',
];

const incidentView = (incident: IncidentRecord, service: ServiceContext) =>
  defined({
    arn: incident.arn,
    id: incident.id,
    title: incident.title,
    status: incident.status,
    impact: incident.impact,
    summary: incident.summary,
    responsePlanArn: responsePlanArn(service, incident.responsePlanName),
    creationTime: iso(incident.creationTime),
    lastModifiedTime: iso(incident.lastModifiedTime),
    lastModifiedBy: incident.lastModifiedBy,
    resolvedTime: iso(incident.resolvedTime),
    createdBy: incident.incidentRecordSource.createdBy,
    source: incident.incidentRecordSource.source,
    triggerArn: incident.incidentRecordSource.resourceArn,
    dedupeString: incident.dedupeString,
    chatChannel: incident.chatChannel,
    notificationTargets: incident.notificationTargets,
    tags: incident.tags,
  });

const publicValue = (incident: IncidentRecord, field: IncidentField) =>
  field === 'resolvedTime' ? iso(incident.resolvedTime) : incident[field];

/** What changed, field by field (public fields only), with the value before and after. */
const changesOf = (previous: IncidentRecord, incident: IncidentRecord, changed: readonly IncidentField[]) =>
  PUBLIC_INCIDENT_FIELDS.filter((field) => changed.includes(field)).map((field) =>
    defined({ field, previous: publicValue(previous, field), current: publicValue(incident, field) }),
  );

const timelineView = (event: TimelineEventRecord) =>
  defined({
    eventId: event.eventId,
    eventTime: iso(event.eventTime),
    eventUpdatedTime: iso(event.eventUpdatedTime),
    eventType: event.eventType,
    eventData: event.eventData,
    eventReferences: event.eventReferences ?? [],
  });

const relatedItemView = (item: RelatedItemRecord) =>
  defined({
    generatedId: item.generatedId,
    title: item.title,
    identifier: item.identifier,
    addedTime: iso(item.addedTime),
  });

const engagementView = (engagement: EngagementRecord) =>
  defined({
    arn: engagement.arn,
    contactArn: engagement.contactArn,
    contactType: engagement.contactType,
    status: engagement.status,
    sender: engagement.sender,
    subject: engagement.subject,
    incidentId: engagement.incidentId,
    startTime: iso(engagement.startTime),
    stopTime: iso(engagement.stopTime),
    stopReason: engagement.stopReason,
  });

/**
 * A page without its delivery address (a phone number or email address is personal data that integrations do not
 * need) and without the acknowledgement code hashes.
 */
const pageView = (page: PageRecord) =>
  defined({
    arn: page.arn,
    engagementArn: page.engagementArn,
    contactArn: page.contactArn,
    contactChannelArn: page.contactChannelArn,
    channelType: page.channelType,
    sender: page.sender,
    subject: page.subject,
    incidentId: page.incidentId,
    createdTime: iso(page.createdTime),
    sentTime: iso(page.sentTime),
    deliveryTime: iso(page.deliveryTime),
    readTime: iso(page.readTime),
    stopTime: iso(page.stopTime),
  });

/** An action item as its API returns it (times as ISO dates), with the analysis and incident it belongs to. */
const actionItemView = (item: ActionItemRecord) =>
  defined({
    arn: item.arn,
    analysisArn: item.analysisArn,
    incidentRecordArn: item.incidentRecordArn,
    title: item.title,
    description: item.description,
    owner: item.owner,
    priority: item.priority,
    dueDate: iso(item.dueDate),
    status: item.status,
    trackingLink: item.trackingLink,
    createdTime: iso(item.createdTime),
    createdBy: item.createdBy,
    lastModifiedTime: iso(item.lastModifiedTime),
    lastModifiedBy: item.lastModifiedBy,
    closedTime: iso(item.closedTime),
  });

const INCIDENT_ARN = /^arn:[^:]+:ssm-incidents::\d{12}:incident-record\/[^/]+\/([^/]+)$/;

/** `{ arn, id }` of the incident an engagement or page names, when its IncidentId is an incident ARN. */
const incidentRefOf = (incidentId: string | undefined) => {
  const match = INCIDENT_ARN.exec(incidentId ?? '');
  return match ? { arn: incidentId as string, id: match[1]! } : undefined;
};

/**
 * The integration event for a domain event, or undefined for changes integrations are not told about.
 * `relatedItemIncidentArn` is the ARN of the incident a related item belongs to, when known (related items do not
 * carry it; the consumer reads it).
 */
export function integrationEventOf(
  event: DomainEvent,
  service: ServiceContext,
  relatedItemIncidentArn?: string,
): IntegrationEvent | undefined {
  const base = { schemaVersion: DETAIL_SCHEMA_VERSION, eventId: event.id };
  const make = (detailType: DetailType, resources: (string | undefined)[], detail: Record<string, unknown>) => ({
    source: EVENT_SOURCE,
    detailType,
    time: event.time,
    resources: [...new Set(resources.filter((r): r is string => typeof r === 'string' && r.startsWith('arn:')))],
    detail: { ...base, ...detail },
  });
  switch (event.type) {
    case 'IncidentOpened':
    case 'IncidentDeleted': {
      const { incident } = event;
      return make(DETAIL_TYPES[event.type], [incident.arn, responsePlanArn(service, incident.responsePlanName)], {
        incident: incidentView(incident, service),
      });
    }
    case 'IncidentUpdated':
    case 'IncidentResolved':
    case 'IncidentReopened': {
      const { incident, previous, changed } = event;
      return make(DETAIL_TYPES[event.type], [incident.arn, responsePlanArn(service, incident.responsePlanName)], {
        incident: incidentView(incident, service),
        changes: changesOf(previous, incident, changed),
      });
    }
    case 'TimelineEventAdded':
    case 'TimelineEventUpdated':
    case 'TimelineEventDeleted': {
      const arn = event.event.incidentRecordArn;
      const runbookType = event.type === 'TimelineEventAdded' ? runbookDetailTypeOf(event.event.eventType) : undefined;
      if (runbookType) {
        const runbook = runbookEventFields(event.event.eventData);
        return make(runbookType, [arn, runbook.ssmExecutionArn], {
          incident: { arn, id: event.incidentId },
          runbook,
          timelineEvent: timelineView(event.event),
        });
      }
      return make(DETAIL_TYPES[event.type], [arn], {
        incident: { arn, id: event.incidentId },
        timelineEvent: timelineView(event.event),
        ...(event.type === 'TimelineEventUpdated' ? { previous: timelineView(event.previous) } : {}),
      });
    }
    case 'RelatedItemAdded':
    case 'RelatedItemRemoved': {
      const arn = relatedItemIncidentArn;
      return make(DETAIL_TYPES[event.type], [arn], {
        incident: defined({ arn, id: event.incidentId }),
        relatedItem: relatedItemView(event.item),
      });
    }
    case 'EngagementStarted':
    case 'EngagementEnded': {
      const { engagement } = event;
      const incident = incidentRefOf(engagement.incidentId);
      return make(DETAIL_TYPES[event.type], [engagement.arn, engagement.contactArn, incident?.arn], {
        engagement: engagementView(engagement),
        ...(event.type === 'EngagementEnded' ? { previousStatus: event.previous.status } : {}),
        ...(incident ? { incident } : {}),
      });
    }
    case 'PageCreated':
    case 'PageSent':
    case 'PageAcknowledged':
    case 'PageStopped': {
      const { page } = event;
      const incident = incidentRefOf(page.incidentId);
      return make(DETAIL_TYPES[event.type], [page.arn, page.engagementArn, page.contactArn, incident?.arn], {
        page: pageView(page),
        ...(incident ? { incident } : {}),
      });
    }
    case 'ActionItemCreated':
    case 'ActionItemUpdated':
    case 'ActionItemDeleted': {
      const { item } = event;
      return make(DETAIL_TYPES[event.type], [item.arn, item.analysisArn, item.incidentRecordArn, item.owner], {
        actionItem: actionItemView(item),
        incident: incidentRefOf(item.incidentRecordArn) ?? { arn: item.incidentRecordArn },
        ...(event.type === 'ActionItemUpdated' ? { previous: actionItemView(event.previous) } : {}),
      });
    }
    default:
      return undefined;
  }
}

/** The consumer that puts one integration event per change on the bus. */
export function integrationEventPublisher(
  publisher: IntegrationEventPublisher,
  incidents: IncidentReader,
  service: ServiceContext,
): DomainEventConsumer {
  return {
    name: 'integration-events',
    async handle(event) {
      // Related items are stored under their incident's id only; the ARN (which names the plan) is read once here.
      const relatedItemIncidentArn =
        event.type === 'RelatedItemAdded' || event.type === 'RelatedItemRemoved'
          ? (await incidents.getIncident(event.incidentId))?.record.arn
          : undefined;
      const integrationEvent = integrationEventOf(event, service, relatedItemIncidentArn);
      if (integrationEvent) await publisher.put(integrationEvent);
    },
  };
}
