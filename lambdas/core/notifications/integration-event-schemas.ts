/**
 * The `detail` schema of every integration event, version 1, as JSON Schema (draft-07), one per detail-type. These
 * are the contract integrations rely on (docs/events.md prints them); the tests validate every event the service puts
 * against them, and `additionalProperties: false` makes any field added without updating the schema fail there.
 * Within a version fields are only ever added (optional); anything else is a new DETAIL_SCHEMA_VERSION.
 */
import { RUNBOOK_EVENT_TYPES } from '#core/runbooks/timeline.ts';
import { DETAIL_SCHEMA_VERSION, DETAIL_TYPES, type DetailType, RUNBOOK_DETAIL_TYPES } from './integration-events.ts';

type Schema = Record<string, unknown>;

const string = { type: 'string' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const arn = { type: 'string', pattern: '^arn:' } as const;

const object = (properties: Record<string, Schema>, required: string[]): Schema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

const chatChannel = {
  type: 'object',
  properties: { chatbotSns: { type: 'array', items: arn } },
  additionalProperties: false,
};

const incident = object(
  {
    arn,
    id: string,
    title: string,
    status: { enum: ['OPEN', 'RESOLVED'] },
    impact: { type: 'integer', minimum: 1, maximum: 5 },
    summary: string,
    responsePlanArn: arn,
    creationTime: dateTime,
    lastModifiedTime: dateTime,
    lastModifiedBy: string,
    resolvedTime: dateTime,
    createdBy: string,
    source: string,
    triggerArn: string,
    dedupeString: string,
    chatChannel,
    notificationTargets: { type: 'array', items: object({ snsTopicArn: arn }, ['snsTopicArn']) },
    tags: { type: 'object', additionalProperties: string },
  },
  [
    'arn',
    'id',
    'title',
    'status',
    'impact',
    'responsePlanArn',
    'creationTime',
    'lastModifiedTime',
    'lastModifiedBy',
    'createdBy',
    'source',
    'dedupeString',
    'notificationTargets',
    'tags',
  ],
);

/** A changed field with its value before and after (absent = the field was not set). */
const change = object(
  {
    field: {
      enum: ['title', 'summary', 'impact', 'status', 'chatChannel', 'notificationTargets', 'resolvedTime', 'tags'],
    },
    previous: {},
    current: {},
  },
  ['field'],
);

const incidentRef = object({ arn, id: string }, ['id']);

const timelineEvent = object(
  {
    eventId: string,
    eventTime: dateTime,
    eventUpdatedTime: dateTime,
    eventType: string,
    eventData: string,
    eventReferences: {
      type: 'array',
      items: { type: 'object', properties: { resource: string, relatedItemId: string }, additionalProperties: false },
    },
  },
  ['eventId', 'eventTime', 'eventUpdatedTime', 'eventType', 'eventData', 'eventReferences'],
);

const relatedItem = object(
  {
    generatedId: string,
    title: string,
    identifier: object(
      {
        type: string,
        value: {
          type: 'object',
          properties: {
            arn: string,
            url: string,
            metricDefinition: string,
            pagerDutyIncidentDetail: { type: 'object' },
          },
          additionalProperties: false,
        },
      },
      ['type', 'value'],
    ),
    addedTime: dateTime,
  },
  ['generatedId', 'identifier', 'addedTime'],
);

const engagement = object(
  {
    arn,
    contactArn: arn,
    contactType: { enum: ['PERSONAL', 'ESCALATION', 'ONCALL_SCHEDULE'] },
    status: { enum: ['ENGAGED', 'ACKNOWLEDGED', 'STOPPED', 'COMPLETED', 'FAILED'] },
    sender: string,
    subject: string,
    incidentId: string,
    startTime: dateTime,
    stopTime: dateTime,
    stopReason: string,
  },
  ['arn', 'contactArn', 'contactType', 'status', 'sender', 'subject', 'startTime'],
);

const page = object(
  {
    arn,
    engagementArn: arn,
    contactArn: arn,
    contactChannelArn: arn,
    channelType: { enum: ['SMS', 'VOICE', 'EMAIL'] },
    sender: string,
    subject: string,
    incidentId: string,
    createdTime: dateTime,
    sentTime: dateTime,
    deliveryTime: dateTime,
    readTime: dateTime,
    stopTime: dateTime,
  },
  ['arn', 'engagementArn', 'contactArn', 'contactChannelArn', 'channelType', 'sender', 'subject', 'createdTime'],
);

const base = { schemaVersion: { const: DETAIL_SCHEMA_VERSION }, eventId: string };
const baseRequired = ['schemaVersion', 'eventId'];

const detail = (properties: Record<string, Schema>, required: string[]): Schema => ({
  $schema: 'http://json-schema.org/draft-07/schema#',
  ...object({ ...base, ...properties }, [...baseRequired, ...required]),
});

const incidentOnly = detail({ incident }, ['incident']);
const incidentChange = detail({ incident, changes: { type: 'array', items: change } }, ['incident', 'changes']);
const timelineAdded = detail({ incident: incidentRef, timelineEvent }, ['incident', 'timelineEvent']);
const timelineUpdated = detail({ incident: incidentRef, timelineEvent, previous: timelineEvent }, [
  'incident',
  'timelineEvent',
  'previous',
]);
const relatedItemChange = detail({ incident: incidentRef, relatedItem }, ['incident', 'relatedItem']);
const engagementStarted = detail({ engagement, incident: incidentRef }, ['engagement']);
const engagementEnded = detail({ engagement, incident: incidentRef, previousStatus: { enum: ['ENGAGED'] } }, [
  'engagement',
  'previousStatus',
]);
const pageChange = detail({ page, incident: incidentRef }, ['page']);
const runbook = object(
  {
    summary: string,
    ssmExecutionArn: arn,
    documentName: string,
    documentVersion: string,
    stepName: string,
    stepExecutionId: string,
    action: string,
    status: string,
    failureMessage: string,
  },
  [],
);
const actionItem = object(
  {
    arn,
    analysisArn: arn,
    incidentRecordArn: arn,
    title: string,
    description: string,
    owner: arn,
    priority: { enum: ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] },
    dueDate: dateTime,
    status: { enum: ['OPEN', 'IN_PROGRESS', 'DONE', 'DISMISSED'] },
    trackingLink: string,
    createdTime: dateTime,
    createdBy: string,
    lastModifiedTime: dateTime,
    lastModifiedBy: string,
    closedTime: dateTime,
  },
  [
    'arn',
    'analysisArn',
    'incidentRecordArn',
    'title',
    'priority',
    'status',
    'createdTime',
    'createdBy',
    'lastModifiedTime',
    'lastModifiedBy',
  ],
);
const actionItemChange = detail({ actionItem, incident: incidentRef }, ['actionItem', 'incident']);
const actionItemUpdated = detail({ actionItem, incident: incidentRef, previous: actionItem }, [
  'actionItem',
  'incident',
  'previous',
]);
const runbookChange = detail({ incident: incidentRef, runbook, timelineEvent }, [
  'incident',
  'runbook',
  'timelineEvent',
]);

/** The schema of each detail-type's `detail`. */
export const DETAIL_SCHEMAS: Readonly<Record<DetailType, Schema>> = {
  [DETAIL_TYPES.IncidentOpened]: incidentOnly,
  [DETAIL_TYPES.IncidentDeleted]: incidentOnly,
  [DETAIL_TYPES.IncidentUpdated]: incidentChange,
  [DETAIL_TYPES.IncidentResolved]: incidentChange,
  [DETAIL_TYPES.IncidentReopened]: incidentChange,
  [DETAIL_TYPES.TimelineEventAdded]: timelineAdded,
  [DETAIL_TYPES.TimelineEventDeleted]: timelineAdded,
  [DETAIL_TYPES.TimelineEventUpdated]: timelineUpdated,
  [DETAIL_TYPES.RelatedItemAdded]: relatedItemChange,
  [DETAIL_TYPES.RelatedItemRemoved]: relatedItemChange,
  [DETAIL_TYPES.EngagementStarted]: engagementStarted,
  [DETAIL_TYPES.EngagementEnded]: engagementEnded,
  [DETAIL_TYPES.PageCreated]: pageChange,
  [DETAIL_TYPES.PageSent]: pageChange,
  [DETAIL_TYPES.PageAcknowledged]: pageChange,
  [DETAIL_TYPES.PageStopped]: pageChange,
  [DETAIL_TYPES.ActionItemCreated]: actionItemChange,
  [DETAIL_TYPES.ActionItemUpdated]: actionItemUpdated,
  [DETAIL_TYPES.ActionItemDeleted]: actionItemChange,
  [RUNBOOK_DETAIL_TYPES[RUNBOOK_EVENT_TYPES.started]]: runbookChange,
  [RUNBOOK_DETAIL_TYPES[RUNBOOK_EVENT_TYPES.startFailure]]: runbookChange,
  [RUNBOOK_DETAIL_TYPES[RUNBOOK_EVENT_TYPES.step]]: runbookChange,
  [RUNBOOK_DETAIL_TYPES[RUNBOOK_EVENT_TYPES.ended]]: runbookChange,
};
