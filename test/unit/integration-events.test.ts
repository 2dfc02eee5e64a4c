/**
 * Events for integrations: each change kind becomes its documented detail-type, with the ARNs in `resources`, and a
 * `detail` that validates against the published v1 schema of its detail-type (docs/events.md), with no personal data
 * (delivery addresses) and no acknowledgement material.
 */
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { ActionItemRecord } from '#core/analysis/ports.ts';
import type { EngagementRecord, PageRecord } from '#core/contacts/engagements/model.ts';
import type { DomainEvent } from '#core/events/domain-events.ts';
import type { IncidentRecord, RelatedItemRecord, TimelineEventRecord } from '#core/incidents/ports.ts';
import { DETAIL_SCHEMAS } from '#core/notifications/integration-event-schemas.ts';
import {
  DETAIL_TYPES,
  EVENT_SOURCE,
  integrationEventOf,
  integrationEventPublisher,
  RUNBOOK_DETAIL_TYPES,
} from '#core/notifications/integration-events.ts';
import type { IntegrationEvent } from '#core/notifications/ports.ts';
import { stepEvent } from '#core/runbooks/timeline.ts';

const SERVICE = { accountId: '111122223333', region: 'us-east-1', partition: 'aws' };
const T0 = Date.UTC(2026, 10, 21, 14, 2, 0);
const ID = '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
const ARN = `arn:aws:ssm-incidents::111122223333:incident-record/checkout/${ID}`;
const PLAN_ARN = 'arn:aws:ssm-incidents::111122223333:response-plan/checkout';
const CONTACT = 'arn:aws:ssm-contacts:us-east-1:111122223333:contact/bob';

const incident: IncidentRecord = {
  arn: ARN,
  id: ID,
  responsePlanName: 'checkout',
  title: 'Checkout failing',
  status: 'OPEN',
  impact: 1,
  creationTime: T0,
  lastModifiedTime: T0,
  lastModifiedBy: 'arn:aws:iam::111122223333:user/alice',
  incidentRecordSource: {
    createdBy: 'arn:aws:iam::111122223333:user/alice',
    source: 'aws.cloudwatch',
    resourceArn: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:checkout-5xx',
    invokedBy: 'events.amazonaws.com',
  },
  dedupeString: 'checkout',
  dedupeKey: 'dedupe:checkout',
  engagements: [CONTACT],
  automationExecutions: [],
  notificationTargets: [{ snsTopicArn: 'arn:aws:sns:us-east-1:111122223333:ops' }],
  chatChannel: { chatbotSns: ['arn:aws:sns:us-east-1:111122223333:chat'] },
  tags: { team: 'payments' },
};
const resolved: IncidentRecord = { ...incident, status: 'RESOLVED', resolvedTime: T0 + 60_000, summary: 'Rolled back' };

const timelineEvent: TimelineEventRecord = {
  incidentRecordArn: ARN,
  eventId: 'ev-1',
  eventTime: T0,
  eventUpdatedTime: T0,
  eventType: 'Custom Event',
  eventData: 'Rolled back to v41',
  eventReferences: [{ resource: 'arn:aws:lambda:us-east-1:111122223333:function:checkout' }],
};

const relatedItem: RelatedItemRecord = {
  identifier: { type: 'OTHER', value: { url: 'https://status.example.com/incidents/42' } },
  title: 'Status page',
  generatedId: 'rel-1',
  addedTime: T0,
};

const engagement = {
  arn: 'arn:aws:ssm-contacts:us-east-1:111122223333:engagement/bob/e-1',
  engagementId: 'e-1',
  contactArn: CONTACT,
  contactAlias: 'bob',
  contactType: 'PERSONAL',
  status: 'ENGAGED',
  startTime: T0,
  stages: [],
  nextStage: 0,
  minuteMs: 60_000,
  rootEngagementId: 'e-1',
  resolution: [],
  sender: 'Incident Manager',
  subject: 'Incident (impact 1): Checkout failing',
  content: 'Checkout failing',
  incidentId: ARN,
} as EngagementRecord;

const page: PageRecord = {
  arn: 'arn:aws:ssm-contacts:us-east-1:111122223333:page/bob/p-1',
  pageId: 'p-1',
  engagementId: 'e-1',
  engagementArn: engagement.arn,
  rootEngagementId: 'e-1',
  contactArn: CONTACT,
  contactAlias: 'bob',
  contactChannelArn: 'arn:aws:ssm-contacts:us-east-1:111122223333:contact-channel/bob/c-1',
  channelType: 'SMS',
  address: '+15555550100',
  stageIndex: 0,
  targetIndex: 0,
  sender: 'Incident Manager',
  subject: 'Incident (impact 1): Checkout failing',
  content: 'Checkout failing',
  incidentId: ARN,
  resolution: [],
  createdTime: T0,
  sentTime: T0 + 1000,
  readTime: T0 + 60_000,
  attempts: 1,
  acceptCodeHashes: ['c0ffee'],
  deliveryState: 'SENT',
};

const actionItem: ActionItemRecord = {
  arn: 'arn:aws:ssm-incidents::111122223333:analysis/a-1/action-item/i-1',
  actionItemId: 'i-1',
  analysisArn: 'arn:aws:ssm-incidents::111122223333:analysis/a-1',
  analysisId: 'a-1',
  incidentRecordArn: ARN,
  title: 'Alarm on checkout 5xx',
  owner: 'arn:aws:ssm-contacts:us-east-1:111122223333:contact/bob',
  priority: 'HIGH',
  status: 'OPEN',
  createdTime: T0,
  createdBy: 'arn:aws:iam::111122223333:user/alice',
  lastModifiedTime: T0,
  lastModifiedBy: 'arn:aws:iam::111122223333:user/alice',
};

const at = (body: Record<string, unknown>): DomainEvent => ({ id: 'stream-1', time: T0, ...body }) as DomainEvent;

/** One domain event of every kind integrations are told about. */
const EVERY_KIND: DomainEvent[] = [
  at({ type: 'IncidentOpened', incident }),
  at({ type: 'IncidentUpdated', incident: { ...incident, impact: 2 }, previous: incident, changed: ['impact'] }),
  at({ type: 'IncidentResolved', incident: resolved, previous: incident, changed: ['status', 'resolvedTime'] }),
  at({ type: 'IncidentReopened', incident, previous: resolved, changed: ['status', 'resolvedTime', 'summary'] }),
  at({ type: 'IncidentDeleted', incident: resolved }),
  at({ type: 'TimelineEventAdded', incidentId: ID, event: timelineEvent }),
  at({
    type: 'TimelineEventUpdated',
    incidentId: ID,
    event: { ...timelineEvent, eventData: 'v2' },
    previous: timelineEvent,
  }),
  at({ type: 'TimelineEventDeleted', incidentId: ID, event: timelineEvent }),
  at({ type: 'RelatedItemAdded', incidentId: ID, item: relatedItem }),
  at({ type: 'RelatedItemRemoved', incidentId: ID, item: relatedItem }),
  at({ type: 'EngagementStarted', engagement }),
  at({
    type: 'EngagementEnded',
    engagement: { ...engagement, status: 'ACKNOWLEDGED', stopTime: T0 + 60_000 },
    previous: engagement,
  }),
  at({ type: 'PageCreated', page: { ...page, sentTime: undefined, readTime: undefined } }),
  at({ type: 'PageSent', page: { ...page, readTime: undefined } }),
  at({ type: 'PageAcknowledged', page }),
  at({ type: 'PageStopped', page: { ...page, readTime: undefined, stopTime: T0 + 60_000 } }),
  at({ type: 'ActionItemCreated', item: actionItem }),
  at({
    type: 'ActionItemUpdated',
    item: { ...actionItem, status: 'DONE', closedTime: T0 + 60_000, lastModifiedTime: T0 + 60_000 },
    previous: actionItem,
  }),
  at({ type: 'ActionItemDeleted', item: actionItem }),
];

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats.default(ajv);

describe('integration events', () => {
  it('every change kind has its own documented detail-type and schema', () => {
    const types = EVERY_KIND.map((e) => integrationEventOf(e, SERVICE, ARN)?.detailType);
    expect(types).toEqual(Object.values(DETAIL_TYPES));
    expect(Object.keys(DETAIL_SCHEMAS).sort()).toEqual(
      [...Object.values(DETAIL_TYPES), ...Object.values(RUNBOOK_DETAIL_TYPES)].sort(),
    );
  });

  it("a runbook's timeline entries are announced as runbook events, with the runbook's fields read out", () => {
    const executionArn = 'arn:aws:ssm:us-east-1:111122223333:automation-execution/exec-1';
    const runbookRef = { incidentArn: ARN, documentName: 'RestartService', relatedItemId: 'r' } as never;
    const execution = { executionId: 'exec-1', documentName: 'RestartService' } as never;
    const failed = stepEvent(
      runbookRef,
      execution,
      executionArn,
      {
        stepName: 'restart',
        stepExecutionId: 'step-1',
        action: 'aws:executeAwsApi',
        status: 'Failed',
        failureMessage: 'AccessDenied',
        startTime: T0,
        endTime: T0 + 1000,
      } as never,
      T0 + 1000,
    );
    const integration = integrationEventOf(
      at({ type: 'TimelineEventAdded', incidentId: ID, event: failed }),
      SERVICE,
    ) as IntegrationEvent;

    expect(integration.detailType).toBe('Runbook Step Status Changed');
    expect(integration.resources).toEqual([ARN, executionArn]);
    expect(integration.detail).toMatchObject({
      incident: { arn: ARN },
      runbook: {
        ssmExecutionArn: executionArn,
        documentName: 'RestartService',
        stepName: 'restart',
        status: 'Failed',
        failureMessage: 'AccessDenied',
      },
    });
    const validate = ajv.compile(DETAIL_SCHEMAS['Runbook Step Status Changed']);
    expect(validate(integration.detail), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(EVERY_KIND.map((e) => [e.type, e] as const))('%s: detail validates against its v1 schema', (_, event) => {
    const integration = integrationEventOf(event, SERVICE, ARN) as IntegrationEvent;
    expect(integration.source).toBe(EVENT_SOURCE);
    expect(integration.source.startsWith('aws.')).toBe(false);
    const validate = ajv.compile(DETAIL_SCHEMAS[integration.detailType as keyof typeof DETAIL_SCHEMAS]!);
    expect(validate(integration.detail), JSON.stringify(validate.errors)).toBe(true);
    expect(integration.detail).toMatchObject({ schemaVersion: '1', eventId: 'stream-1' });
    // Integrations get the incident's ARN (the key to everything else) on every change of an incident.
    expect(integration.resources).toContain(ARN);
    for (const resource of integration.resources) expect(resource).toMatch(/^arn:aws:/);
    // No personal data or acknowledgement material leaves through the bus.
    const text = JSON.stringify(integration);
    expect(text).not.toContain('+15555550100');
    expect(text).not.toContain('c0ffee');
    expect(text).not.toContain('dedupe:checkout');
  });

  it('an incident event carries the incident, its plan, and what changed from what', () => {
    const updated = integrationEventOf(EVERY_KIND[1]!, SERVICE) as IntegrationEvent;
    expect(updated.resources).toEqual([ARN, PLAN_ARN]);
    expect(updated.time).toBe(T0);
    expect(updated.detail).toMatchObject({
      incident: { arn: ARN, impact: 2, responsePlanArn: PLAN_ARN, creationTime: '2026-11-21T14:02:00.000Z' },
      changes: [{ field: 'impact', previous: 1, current: 2 }],
    });
    const resolvedEvent = integrationEventOf(EVERY_KIND[2]!, SERVICE) as IntegrationEvent;
    expect(resolvedEvent.detail.changes).toEqual([
      { field: 'status', previous: 'OPEN', current: 'RESOLVED' },
      { field: 'resolvedTime', current: '2026-11-21T14:03:00.000Z' },
    ]);
  });

  it('a schema refuses a detail that drifted from it', () => {
    const opened = integrationEventOf(EVERY_KIND[0]!, SERVICE) as IntegrationEvent;
    const validate = ajv.compile(DETAIL_SCHEMAS['Incident Opened']);
    expect(validate({ ...opened.detail, surprise: 1 })).toBe(false);
    expect(validate({ ...opened.detail, schemaVersion: '2' })).toBe(false);
  });

  it('the consumer reads the incident ARN of a related item, and puts nothing for response plan changes', async () => {
    const put: IntegrationEvent[] = [];
    const consumer = integrationEventPublisher(
      { put: async (e) => void put.push(e) },
      { getIncident: async () => ({ record: incident }) },
      SERVICE,
    );
    await consumer.handle(EVERY_KIND[8]!);
    await consumer.handle(at({ type: 'ResponsePlanChanged', name: 'checkout' }));
    expect(put).toHaveLength(1);
    expect(put[0]?.resources).toEqual([ARN]);
    expect(put[0]?.detail.incident).toEqual({ arn: ARN, id: ID });
  });
});
