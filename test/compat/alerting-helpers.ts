/**
 * Helpers for the alerting end-to-end tests: the sample deliveries in samples/events, variations of them (another
 * alarm, another state-change time), invoking the trigger intake through the local runtime's Lambda Invoke API
 * path, and reading back what an incident holds (trigger events, related items) through the official client.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type EventSummary,
  GetTimelineEventCommand,
  paginateListRelatedItems,
  type RelatedItem,
  type SSMIncidentsClient,
  type TimelineEvent,
} from '@aws-sdk/client-ssm-incidents';
import { eventBridgeInputTemplate, type OkBehaviour } from '#core/alerting/contract.ts';
import type { TestRuntime } from '../support/local-runtime.ts';
import { allTimelineEvents } from './helpers.ts';

type Json = Record<string, unknown>;

const SAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'samples', 'events');

export type SampleName =
  | 'alarm-eventbridge'
  | 'alarm-eventbridge-tagged'
  | 'alarm-eventbridge-metric-math'
  | 'alarm-eventbridge-anomaly'
  | 'alarm-eventbridge-composite'
  | 'alarm-eventbridge-ok'
  | 'alarm-sns'
  | 'alarm-lambda-action'
  | 'event-guardduty-finding';

/** A fresh copy of a sample delivery, safe to modify. */
export const sample = (name: SampleName): Json =>
  JSON.parse(readFileSync(join(SAMPLES, `${name}.json`), 'utf8')) as Json;

export const SAMPLE_ACCOUNT = '123456789012';
export const alarmArnOf = (name: string) => `arn:aws:cloudwatch:us-east-1:${SAMPLE_ACCOUNT}:alarm:${name}`;
export const RULE_ARN = `arn:aws:events:us-east-1:${SAMPLE_ACCOUNT}:rule/npm-run-trigger`;

/** CloudWatch's own timestamp format: `2026-11-21T17:04:40.989+0000`. */
export const cloudWatchTime = (millis: number) => new Date(millis).toISOString().replace('Z', '+0000');

/**
 * An EventBridge alarm state-change event (a sample) for another alarm and/or state-change time: the alarm ARN in
 * `resources`, the alarm name and the state timestamp are changed together, as CloudWatch would send them.
 */
export function eventBridgeAlarm(
  name: SampleName,
  change: { alarmName?: string; stateTime?: number; state?: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA'; tags?: unknown } = {},
): Json {
  const event = sample(name);
  const detail = event.detail as Json;
  const state = detail.state as Json;
  if (change.alarmName) {
    event.resources = [alarmArnOf(change.alarmName)];
    detail.alarmName = change.alarmName;
  }
  if (change.stateTime !== undefined) {
    state.timestamp = cloudWatchTime(change.stateTime);
    event.time = new Date(change.stateTime).toISOString().replace(/\.\d{3}Z$/, 'Z');
    event.id = `${event.id as string}-${change.stateTime}`;
  }
  if (change.state) state.value = change.state;
  if (change.tags !== undefined) detail.alarmTags = change.tags;
  return event;
}

/** The bare SNS alarm notification (the JSON inside Sns.Message) of the SNS sample. */
export const snsMessage = (): Json => {
  const records = sample('alarm-sns').Records as Json[];
  return JSON.parse((records[0]!.Sns as Json).Message as string) as Json;
};

/** An SNS event carrying `message` from `topicArn`, as SNS invokes a subscribed function. */
export function snsDelivery(
  message: Json,
  topicArn: string,
  messageId = `msg-${String(message.StateChangeTime)}`,
): Json {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${topicArn}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`,
        Sns: {
          Type: 'Notification',
          MessageId: messageId,
          TopicArn: topicArn,
          Subject: `ALARM: "${String(message.AlarmName)}"`,
          Message: JSON.stringify(message),
          Timestamp: new Date().toISOString(),
          MessageAttributes: {},
        },
      },
    ],
  };
}

export interface TriggerOutcomeBody {
  outcome: string;
  incidentRecordArn?: string;
  responsePlanName?: string;
  triggerArn?: string;
  reason: string;
}

export interface Invocation {
  status: number;
  /** The `X-Amz-Function-Error` header: set when the function threw. */
  functionError: string | null;
  outcomes?: TriggerOutcomeBody[];
  errorType?: string;
  errorMessage?: string;
}

/** Invokes the trigger intake as Lambda's Invoke API would (`POST /2015-03-31/functions/<name>/invocations`). */
export async function invokeIntake(runtime: TestRuntime, event: unknown): Promise<Invocation> {
  const response = await fetch(`${runtime.url}/2015-03-31/functions/trigger-intake/invocations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(event),
  });
  const body = (await response.json()) as Json | null;
  return { status: response.status, functionError: response.headers.get('x-amz-function-error'), ...(body ?? {}) };
}

/** The single outcome of a delivery that must have succeeded. */
export async function deliver(runtime: TestRuntime, event: unknown): Promise<TriggerOutcomeBody> {
  const result = await invokeIntake(runtime, event);
  if (result.functionError) throw new Error(`The intake failed: ${result.errorType}: ${result.errorMessage}`);
  if (result.outcomes?.length !== 1) throw new Error(`Expected one outcome, got ${JSON.stringify(result.outcomes)}`);
  return result.outcomes[0] as TriggerOutcomeBody;
}

/** Every timeline event of an incident, in full (eventData included). */
export async function timelineOf(client: SSMIncidentsClient, incidentRecordArn: string): Promise<TimelineEvent[]> {
  const summaries: EventSummary[] = await allTimelineEvents(client, { incidentRecordArn });
  return Promise.all(
    summaries.map(async (summary) => {
      const { event } = await client.send(new GetTimelineEventCommand({ incidentRecordArn, eventId: summary.eventId }));
      return event as TimelineEvent;
    }),
  );
}

export interface TriggerEventData {
  createdIncident: boolean;
  incidentSource: string;
  triggerArn?: string;
  rawData?: string;
}

/** The `SSM Incident Trigger` events of an incident, oldest first, with their parsed eventData. */
export async function triggerEventsOf(client: SSMIncidentsClient, incidentRecordArn: string) {
  const events = (await timelineOf(client, incidentRecordArn)).filter((e) => e.eventType === 'SSM Incident Trigger');
  return events
    .map((event) => ({ event, data: JSON.parse(event.eventData ?? 'null') as TriggerEventData }))
    .sort((a, b) => a.event.eventTime!.getTime() - b.event.eventTime!.getTime());
}

export async function relatedItemsOf(client: SSMIncidentsClient, incidentRecordArn: string): Promise<RelatedItem[]> {
  const items: RelatedItem[] = [];
  for await (const page of paginateListRelatedItems({ client }, { incidentRecordArn }))
    items.push(...(page.relatedItems ?? []));
  return items;
}

export const involvedResources = (items: RelatedItem[]) =>
  items
    .filter((item) => item.identifier?.type === 'INVOLVED_RESOURCE')
    .map((item) => item.identifier?.value?.arn)
    .sort();

/** The parsed CloudWatch metric-widget definitions of the METRIC related items. */
export const metricWidgets = (items: RelatedItem[]) =>
  items
    .filter((item) => item.identifier?.type === 'METRIC')
    .map(
      (item) =>
        JSON.parse(item.identifier?.value?.metricDefinition ?? 'null') as { metrics: unknown[][]; region?: string },
    );

/**
 * What an EventBridge rule target sends the intake: the CDK's own input-transformer template
 * (`eventBridgeInputTemplate`) with EventBridge's placeholders filled in, exactly as EventBridge fills them.
 */
export function eventBridgeEnvelope(
  event: Json,
  options: { responsePlanName?: string; onOk?: OkBehaviour; ruleArn?: string } = {},
): Json {
  const template = eventBridgeInputTemplate({ responsePlanName: options.responsePlanName, onOk: options.onOk });
  const filled = template
    .replace('<aws.events.rule-arn>', () => options.ruleArn ?? RULE_ARN)
    .replace('<aws.events.event.json>', () => JSON.stringify(event));
  return JSON.parse(filled) as Json;
}

/** What `npm run trigger -- --response-plan NAME` sends for the SNS and Lambda alarm-action forms. */
export const localOverride = (payload: unknown, options: { responsePlanName?: string; onOk?: OkBehaviour } = {}) => ({
  intake: 'local',
  ...options,
  payload,
});
