import type { TimelineEventRecord } from '#core/incidents/ports.ts';
import { newId } from '#core/shared/ids.ts';
import type { AlarmStateChange } from './alarm.ts';

/**
 * The timeline note added when an alarm returns to OK and its trigger asks for it. It is a `Custom Event` (the
 * console shows it like any other), referencing the alarm; it changes nothing else about the incident.
 */
export const okEvent = (incidentRecordArn: string, alarm: AlarmStateChange, now: number): TimelineEventRecord => ({
  incidentRecordArn,
  eventId: newId(),
  eventTime: alarm.stateTimestamp,
  eventUpdatedTime: now,
  eventType: 'Custom Event',
  eventData: `CloudWatch alarm ${alarm.alarmName} returned to OK${alarm.reason ? `: ${alarm.reason}` : '.'}`.slice(
    0,
    12000,
  ),
  eventReferences: [{ resource: alarm.alarmArn }],
});
