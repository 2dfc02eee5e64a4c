/**
 * Timeline events in words. Automatic events carry JSON (the keys Incident Manager uses); custom events and notes
 * carry whatever their author wrote. Nothing here produces HTML: the result is rendered as text.
 */
import { impactLabel, lastSegment, principalName } from '../../ui/format.ts';

export const EVENT_TYPES = {
  trigger: 'SSM Incident Trigger',
  start: 'SSM Incident Start',
  recordUpdate: 'SSM Incident Record Update',
  page: 'SSM Contacts Page for Incident',
  acknowledgement: 'SSM Contacts Page Acknowledgement for Incident',
  custom: 'Custom Event',
  note: 'Note',
} as const;

/** The event types a person may create, edit and delete; the service refuses the others. */
export const EDITABLE_TYPES: readonly string[] = [EVENT_TYPES.custom, EVENT_TYPES.note];

type Json = Record<string, unknown>;

export const parseJson = (text: string | undefined): unknown => {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const attributeText = (name: string, value: string): string => {
  switch (name) {
    case 'impact':
      return `impact to ${impactLabel(Number(value))}`;
    case 'status':
      return `status to ${value === 'RESOLVED' ? 'Resolved' : value === 'OPEN' ? 'Open' : value}`;
    case 'title':
      return `title to “${value}”`;
    case 'summary':
      return 'the summary';
    default:
      return `${name}`;
  }
};

/** What the trigger was, from its raw event: the alarm's name and state, or the event's detail type. */
/** The source the service records for incidents started through the API by a person or a script. */
const MANUAL_SOURCE = 'aws.ssm-incidents.custom';

export function triggerText(data: Json): string {
  const source = String(data.incidentSource ?? 'unknown source');
  if (source === MANUAL_SOURCE) return 'Incident started by hand (StartIncident), not by an alarm or event';
  const raw = parseJson(typeof data.rawData === 'string' ? data.rawData : undefined);
  let what = '';
  if (isObject(raw)) {
    const detail = isObject(raw.detail) ? raw.detail : isObject(raw.alarmData) ? raw.alarmData : undefined;
    if (detail && typeof detail.alarmName === 'string') {
      const state = isObject(detail.state) ? detail.state : {};
      what = `alarm ${detail.alarmName}${state.value ? ` went to ${state.value}` : ''}${state.reason ? `: ${state.reason}` : ''}`;
    } else if (typeof raw.AlarmName === 'string') {
      what = `alarm ${raw.AlarmName} went to ${String(raw.NewStateValue ?? '')}: ${String(raw.NewStateReason ?? '')}`;
    } else if (typeof raw['detail-type'] === 'string') {
      what = `event “${raw['detail-type']}” from ${String(raw.source ?? source)}`;
    }
  }
  const opened = data.createdIncident === false ? 'Trigger added to this incident' : 'Incident opened';
  return `${opened} by ${source}${what ? `: ${what}` : ''}`;
}

export function eventText(eventType: string | undefined, eventData: string | undefined): string {
  const data = parseJson(eventData);
  if (!isObject(data)) return eventData ?? '';
  switch (eventType) {
    case EVENT_TYPES.trigger:
      return triggerText(data);
    case EVENT_TYPES.start: {
      const contacts = Array.isArray(data.contactsEngage)
        ? (data.contactsEngage as Json[]).map((c) => String(c.contactName ?? lastSegment(String(c.contactArn ?? ''))))
        : [];
      const parts = [`Incident started: “${String(data.incidentTitle ?? '')}”`];
      if (contacts.length) parts.push(`engaging ${contacts.join(', ')}`);
      if (data.ssmDocumentName) parts.push(`runbook ${String(data.ssmDocumentName)}`);
      return parts.join('; ');
    }
    case EVENT_TYPES.recordUpdate: {
      const changes = Array.isArray(data.modifiedAttributes)
        ? (data.modifiedAttributes as Json[]).map((a) =>
            attributeText(String(a.attributeName), String(a.newValue ?? '')),
          )
        : [];
      return `${principalName(String(data.modifiedBy ?? ''))} changed ${changes.join(', ') || 'the incident'}`;
    }
    case EVENT_TYPES.page:
      return `Paged ${lastSegment(String(data.contactArn ?? ''))}`;
    case EVENT_TYPES.acknowledgement:
      return `${lastSegment(String(data.contactArn ?? ''))} acknowledged the page`;
    default:
      // A custom event whose text happens to be JSON: show it as written.
      return eventData ?? '';
  }
}
