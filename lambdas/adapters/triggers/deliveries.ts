/**
 * Reads each delivery form the intake accepts into the alerting core's Triggers: the EventBridge envelope our rules
 * send (or a raw EventBridge event), an SNS event of alarm notifications (several records), the payload of an alarm's
 * direct Lambda action, and the local runtime's `npm run trigger` envelope. Anything else, or a form missing what a
 * trigger needs, is a TriggerRejected: no retry can make it valid.
 */
import type { AlarmStateChange } from '#core/alerting/alarm.ts';
import { type Trigger, TriggerRejected } from '#core/alerting/intake.ts';
import { rawDataOf } from '#core/alerting/raw-data.ts';
import { alarmRelatedItems, eventRelatedItems } from '#core/alerting/related-items.ts';
import { fromEventBridgeAlarmEvent, fromLambdaAlarmAction, fromSnsAlarmMessage } from './alarm-payloads.ts';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const alarmTrigger = (alarm: AlarmStateChange, raw: unknown, invokedBy: string, partition: string): Trigger => ({
  source: 'aws.cloudwatch',
  triggerArn: alarm.alarmArn,
  timestamp: alarm.stateTimestamp,
  rawData: rawDataOf(raw),
  // One state change of one alarm, by one path, is one delivery: a redelivery on that path is recognised. The same
  // change arriving by two paths (EventBridge and SNS) is two deliveries, which dedupe records on one incident.
  deliveryKey: `alarm|${invokedBy}|${alarm.alarmArn}|${alarm.state}|${alarm.stateTimestamp}`,
  relatedItems: alarmRelatedItems(alarm, partition),
  invokedBy,
  alarm,
  mappingKeys: [alarm.alarmArn],
});

function fromEventBridge(event: Json, ruleArn: string | undefined, partition: string): Trigger {
  if (event.source === 'aws.cloudwatch' && event['detail-type'] === 'CloudWatch Alarm State Change') {
    // An alarm event we cannot read must not pass for a generic event: it would open incidents whatever its state.
    const alarm = fromEventBridgeAlarmEvent(event);
    if (!alarm)
      throw new TriggerRejected(
        'Malformed CloudWatch alarm state-change event: it needs an alarm ARN in resources and a state.',
      );
    return alarmTrigger(alarm, event, 'events.amazonaws.com', partition);
  }
  const source = typeof event.source === 'string' ? event.source : undefined;
  const id = typeof event.id === 'string' ? event.id : undefined;
  if (!source || !id || typeof event['detail-type'] !== 'string')
    throw new TriggerRejected('Not an EventBridge event: it needs source, detail-type and id.');
  const time = typeof event.time === 'string' ? Date.parse(event.time) : Number.NaN;
  // Without a rule ARN (a raw event sent to the intake), the event's source stands in as the trigger.
  const triggerArn =
    ruleArn ??
    (Array.isArray(event.resources) && typeof event.resources[0] === 'string' ? event.resources[0] : undefined);
  if (!triggerArn) throw new TriggerRejected('The event names no rule ARN and no resource to use as the trigger ARN.');
  return {
    source: source.slice(0, 50),
    triggerArn,
    timestamp: Number.isFinite(time) ? time : Date.now(),
    rawData: rawDataOf(event),
    deliveryKey: `event|${id}`,
    relatedItems: eventRelatedItems(event.resources),
    invokedBy: 'events.amazonaws.com',
    mappingKeys: [triggerArn],
  };
}

function fromSnsRecord(record: Json, partition: string): Trigger {
  const sns = isObject(record.Sns) ? record.Sns : undefined;
  if (!sns || typeof sns.Message !== 'string') throw new TriggerRejected('The SNS record carries no message.');
  let message: unknown;
  try {
    message = JSON.parse(sns.Message);
  } catch {
    throw new TriggerRejected(
      `The SNS message ${String(sns.MessageId)} is not a CloudWatch alarm notification (not JSON).`,
    );
  }
  const alarm = isObject(message) ? fromSnsAlarmMessage(message) : undefined;
  if (!alarm)
    throw new TriggerRejected(`The SNS message ${String(sns.MessageId)} is not a CloudWatch alarm notification.`);
  const trigger = alarmTrigger(alarm, message, 'sns.amazonaws.com', partition);
  const topicArn = typeof sns.TopicArn === 'string' ? sns.TopicArn : undefined;
  // A mapping for the topic applies to every alarm on it; a mapping for the alarm itself wins.
  return { ...trigger, mappingKeys: [alarm.alarmArn, ...(topicArn ? [topicArn] : [])] };
}

/** Reads any supported delivery into triggers (an SNS event may hold several records). */
export function triggersOf(payload: unknown, partition: string): Trigger[] {
  if (!isObject(payload)) throw new TriggerRejected('The delivery is not a JSON object.');
  if (payload.intake === 'local') {
    const inner = triggersOf(payload.payload, partition);
    return inner.map((t) => ({
      ...t,
      responsePlanName: typeof payload.responsePlanName === 'string' ? payload.responsePlanName : t.responsePlanName,
      onOk: payload.onOk === 'timeline' ? 'timeline' : t.onOk,
    }));
  }
  if (payload.intake === 'eventbridge') {
    if (!isObject(payload.event)) throw new TriggerRejected('The EventBridge envelope has no event.');
    const trigger = fromEventBridge(
      payload.event,
      typeof payload.ruleArn === 'string' ? payload.ruleArn : undefined,
      partition,
    );
    return [
      {
        ...trigger,
        responsePlanName: typeof payload.responsePlanName === 'string' ? payload.responsePlanName : undefined,
        onOk: payload.onOk === 'timeline' ? 'timeline' : undefined,
      },
    ];
  }
  if (Array.isArray(payload.Records)) {
    if (payload.Records.length === 0) throw new TriggerRejected('The SNS event has no records.');
    return payload.Records.map((record) => {
      if (!isObject(record)) throw new TriggerRejected('An SNS record is not an object.');
      return fromSnsRecord(record, partition);
    });
  }
  if (isObject(payload.alarmData)) {
    const alarm = fromLambdaAlarmAction(payload);
    if (!alarm) throw new TriggerRejected('The Lambda alarm-action payload has no alarm ARN or state.');
    return [alarmTrigger(alarm, payload, 'cloudwatch.amazonaws.com', partition)];
  }
  if (typeof payload['detail-type'] === 'string') return [fromEventBridge(payload, undefined, partition)];
  throw new TriggerRejected(
    'Unrecognised delivery: expected an EventBridge event or envelope, an SNS event, or a CloudWatch Lambda alarm-action payload.',
  );
}
