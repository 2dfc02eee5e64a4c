/**
 * The timeline events the service writes by itself. Their eventData is a JSON string with the keys Incident
 * Manager uses, because runbooks and integrations parse it (the AWS runbook tutorial reads the trigger's rawData).
 */
import { newId } from '#core/shared/ids.ts';
import type { IncidentRecord, TimelineEventRecord } from './ports.ts';
import type { EventReference, TriggerDetails } from './shapes.ts';

export const EVENT_TYPES = {
  trigger: 'SSM Incident Trigger',
  start: 'SSM Incident Start',
  recordUpdate: 'SSM Incident Record Update',
  custom: 'Custom Event',
  note: 'Note',
} as const;

/** The only event types a caller may create or edit. */
export const USER_EVENT_TYPES: readonly string[] = [EVENT_TYPES.custom, EVENT_TYPES.note];

/** Source recorded for incidents started through the API by a person or script. */
export const MANUAL_SOURCE = 'aws.ssm-incidents.custom';

const event = (
  incidentRecordArn: string,
  eventType: string,
  eventTime: number,
  now: number,
  data: object,
  eventReferences?: EventReference[],
): TimelineEventRecord => ({
  incidentRecordArn,
  eventId: newId(),
  eventTime,
  eventUpdatedTime: now,
  eventType,
  eventData: JSON.stringify(data),
  ...(eventReferences?.length ? { eventReferences } : {}),
});

export const triggerEvent = (
  incidentRecordArn: string,
  trigger: TriggerDetails | undefined,
  createdIncident: boolean,
  now: number,
) =>
  event(
    incidentRecordArn,
    EVENT_TYPES.trigger,
    trigger?.timestamp ?? now,
    now,
    {
      createdIncident,
      incidentSource: trigger?.source ?? MANUAL_SOURCE,
      ...(trigger?.triggerArn ? { triggerArn: trigger.triggerArn } : {}),
      ...(trigger?.rawData !== undefined ? { rawData: trigger.rawData } : {}),
    },
    trigger?.triggerArn ? [{ resource: trigger.triggerArn }] : undefined,
  );

/** Contact ARNs end in `contact/<alias>`; the alias is the name the console shows. */
const contactName = (contactArn: string) => contactArn.slice(contactArn.lastIndexOf('/') + 1);

export const startEvent = (
  incident: IncidentRecord,
  engagements: string[],
  runbook: { documentName?: string; documentVersion?: string },
  triggerArn: string | undefined,
  now: number,
) =>
  event(incident.arn, EVENT_TYPES.start, incident.creationTime, now, {
    incidentTitle: incident.title,
    // Not among the keys Incident Manager is seen to write: the opening impact, so a post-incident analysis can show
    // the impact history from the start (later changes are record-update events).
    impact: incident.impact,
    contactsEngage: engagements.map((contactArn) => ({ contactArn, contactName: contactName(contactArn) })),
    ...(runbook.documentName ? { ssmDocumentName: runbook.documentName } : {}),
    ...(runbook.documentVersion ? { ssmDocumentVersion: runbook.documentVersion } : {}),
    ...(triggerArn ? { triggerArn } : {}),
  });

export const recordUpdateEvent = (
  incident: IncidentRecord,
  modifiedBy: string,
  modifiedAttributes: { attributeName: string; newValue: string }[],
  now: number,
  eventReferences: EventReference[] = [{ resource: incident.arn }],
) =>
  event(
    incident.arn,
    EVENT_TYPES.recordUpdate,
    now,
    now,
    { modifiedBy, modifiedAttributes, incidentTitle: incident.title },
    eventReferences,
  );
