/** How `npm run trigger` turns a sample file into the delivery the intake receives in AWS for that form. */
import { randomUUID } from 'node:crypto';
import { LOCAL_DEFAULTS } from './settings.ts';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface DeliveryOptions {
  responsePlanName?: string;
  onOk?: 'timeline';
}

/** The delivery the intake would receive in AWS for this file's form. */
export function deliveryFor(content: unknown, args: DeliveryOptions): unknown {
  if (!isObject(content)) throw new Error('The file must hold a JSON object.');
  const account = typeof content.account === 'string' ? content.account : LOCAL_DEFAULTS.accountId;
  const region = typeof content.region === 'string' ? content.region : LOCAL_DEFAULTS.region;
  if (typeof content['detail-type'] === 'string') {
    // What an EventBridge rule target's input transformer sends (see eventBridgeInputTemplate).
    return {
      intake: 'eventbridge',
      ...(args.responsePlanName ? { responsePlanName: args.responsePlanName } : {}),
      ruleArn: `arn:aws:events:${region}:${account}:rule/npm-run-trigger`,
      ...(args.onOk ? { onOk: args.onOk } : {}),
      event: content,
    };
  }
  let payload: unknown = content;
  if (typeof content.AlarmArn === 'string') {
    // A bare alarm notification: deliver it as SNS would.
    payload = {
      Records: [
        {
          EventSource: 'aws:sns',
          Sns: {
            Type: 'Notification',
            MessageId: `npm-run-trigger-${String(content.AlarmArn)}-${String(content.StateChangeTime)}`,
            TopicArn: `arn:aws:sns:${LOCAL_DEFAULTS.region}:${LOCAL_DEFAULTS.accountId}:npm-run-trigger`,
            Message: JSON.stringify(content),
            Timestamp: new Date().toISOString(),
          },
        },
      ],
    };
  }
  // In AWS a registered mapping names the plan for SNS topics and Lambda alarm actions; locally the flag does.
  return args.responsePlanName || args.onOk ? { intake: 'local', ...args, payload } : payload;
}

/** CloudWatch's own timestamp form (`2026-11-21T17:55:00.000+0000`), as alarm payloads carry it. */
const cloudWatchTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

const withStateTimestamp = (holder: unknown, time: string): unknown =>
  isObject(holder) && isObject(holder.state) ? { ...holder, state: { ...holder.state, timestamp: time } } : holder;

/**
 * The same alarm or event as a NEW delivery: a new event id / SNS MessageId and the alarm's state change happening
 * now. The intake recognises a redelivery by exactly those (the event id, or the alarm's state-change time), so
 * without this a sample file opens an incident once and then answers "Already recorded" for 24 hours.
 * `npm run trigger -- --exact` skips this to show that duplicate-delivery protection.
 */
export function freshDelivery(content: unknown, now = Date.now(), newId: () => string = randomUUID): unknown {
  if (!isObject(content)) return content;
  const time = cloudWatchTime(now);
  if (typeof content['detail-type'] === 'string') {
    // EventBridge event: new id and time; an alarm state change also changes now.
    const event: Json = { ...content, id: newId(), time: `${new Date(now).toISOString().slice(0, 19)}Z` };
    if (event.source === 'aws.cloudwatch') event.detail = withStateTimestamp(event.detail, time);
    return event;
  }
  if (isObject(content.alarmData))
    // CloudWatch's Lambda alarm action.
    return { ...content, time, alarmData: withStateTimestamp(content.alarmData, time) };
  if (typeof content.AlarmArn === 'string') return { ...content, StateChangeTime: time };
  if (Array.isArray(content.Records))
    return {
      ...content,
      Records: content.Records.map((record: unknown) => {
        if (!isObject(record) || !isObject(record.Sns)) return record;
        const sns = record.Sns;
        let message = sns.Message;
        try {
          const parsed: unknown = typeof message === 'string' ? JSON.parse(message) : undefined;
          if (isObject(parsed) && 'StateChangeTime' in parsed)
            message = JSON.stringify({ ...parsed, StateChangeTime: time });
        } catch {
          // Not an alarm notification: the intake will say so; only the MessageId changes.
        }
        return {
          ...record,
          Sns: { ...sns, MessageId: newId(), Timestamp: new Date(now).toISOString(), Message: message },
        };
      }),
    };
  return content;
}
