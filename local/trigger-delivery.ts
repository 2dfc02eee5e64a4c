/** How `npm run trigger` turns a sample file into the delivery the intake receives in AWS for that form. */
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
