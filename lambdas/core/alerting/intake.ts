/**
 * Turns alarm and event deliveries into incidents. Every delivery form (EventBridge envelope or raw event, SNS
 * notification, CloudWatch's Lambda alarm action) is read into a Trigger, its response plan is resolved (explicit
 * name, the alarm's response-plan tag, or a registered mapping), and StartIncident's own semantics do the rest:
 * dedupe while the incident is open, and at-least-once deliveries made idempotent through a clientToken derived
 * from the delivery itself.
 */
import { responsePlanArn } from '#core/incidents/arns.ts';
import { dedupeKeyFor, openIncident, parseStartIncidentInput } from '#core/incidents/incidents.ts';
import type { Dependencies } from '#core/incidents/operation.ts';
import { type RelatedItemInput, relatedItemInput } from '#core/incidents/shapes.ts';
import { ResourceNotFoundError, ValidationError } from '#core/shared/errors.ts';
import { sha256Hex } from '#core/shared/ids.ts';
import type { RequestContext } from '#core/shared/service-context.ts';
import {
  type AlarmStateChange,
  fromEventBridgeAlarmEvent,
  fromLambdaAlarmAction,
  fromSnsAlarmMessage,
} from './alarm-state-change.ts';
import { type OkBehaviour, RESPONSE_PLAN_TAG } from './contract.ts';
import { deliveryShapeProblem } from './delivery-limits.ts';
import { okEvent } from './ok-event.ts';
import { rawDataOf } from './raw-data.ts';
import { alarmRelatedItems, eventRelatedItems } from './related-items.ts';

/** A delivery that can never succeed (malformed, no or unknown response plan): retrying will not help. */
export class TriggerRejected extends Error {
  override readonly name = 'TriggerRejected';
}

export interface TriggerOutcome {
  outcome: 'created' | 'deduplicated' | 'duplicate-delivery' | 'recorded-ok' | 'ignored';
  incidentRecordArn?: string;
  responsePlanName?: string;
  triggerArn?: string;
  reason: string;
}

interface Trigger {
  source: string;
  triggerArn: string;
  timestamp: number;
  rawData: string;
  /** Identifies the delivery: the same state change or event delivered twice has the same key. */
  deliveryKey: string;
  relatedItems: RelatedItemInput[];
  invokedBy: string;
  alarm?: AlarmStateChange;
  responsePlanName?: string;
  onOk?: OkBehaviour;
  /** ARNs a registered mapping may be keyed by (SNS topic, alarm), most specific first. */
  mappingKeys: string[];
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const PLAN_NAME = /^[a-zA-Z0-9-_]{1,200}$/;

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

async function resolvePlan(deps: Dependencies, trigger: Trigger): Promise<{ name: string; onOk?: OkBehaviour }> {
  if (trigger.responsePlanName) return { name: trigger.responsePlanName, onOk: trigger.onOk };
  const tagged = trigger.alarm?.tags[RESPONSE_PLAN_TAG];
  if (tagged) return { name: tagged, onOk: trigger.onOk };
  for (const key of trigger.mappingKeys) {
    const mapping = await deps.store.getTriggerMapping(key);
    if (mapping) return { name: mapping.responsePlanName, onOk: trigger.onOk ?? mapping.onOk };
  }
  throw new TriggerRejected(
    `No response plan for ${trigger.triggerArn}: name one on the trigger, tag the alarm with ${RESPONSE_PLAN_TAG}=<plan name>, or register a mapping for ${trigger.mappingKeys.join(' or ')}.`,
  );
}

async function acceptOne(deps: Dependencies, ctx: RequestContext, trigger: Trigger): Promise<TriggerOutcome> {
  const plan = await resolvePlan(deps, trigger);
  const base = { responsePlanName: plan.name, triggerArn: trigger.triggerArn };
  if (!PLAN_NAME.test(plan.name)) throw new TriggerRejected(`"${plan.name}" is not a valid response plan name.`);
  const state = trigger.alarm?.state;
  if (state && state !== 'ALARM') {
    // A recovered alarm never resolves an incident by itself: a person decides that.
    if (state === 'OK' && plan.onOk === 'timeline') return recordRecovery(deps, ctx, trigger, plan.name);
    return { ...base, outcome: 'ignored', reason: `Alarm state ${state} opens no incident.` };
  }
  try {
    // The API's own validation, on wire-shaped input (timestamps in seconds), so a trigger can store nothing an
    // API caller could not. A related item that does not fit is dropped rather than failing the trigger.
    const input = parseStartIncidentInput({
      responsePlanArn: responsePlanArn(ctx, plan.name),
      // Derived from the delivery and where it leads (plan, trigger), so a redelivered event replays the first result
      // and writes nothing, while the same event routed to two plans by two rules is two triggers.
      clientToken: `trigger-${sha256Hex(`${trigger.deliveryKey}|${plan.name}|${trigger.triggerArn}`).slice(0, 48)}`,
      triggerDetails: {
        source: trigger.source,
        timestamp: trigger.timestamp / 1000,
        triggerArn: trigger.triggerArn,
        rawData: trigger.rawData,
      },
      relatedItems: trigger.relatedItems.filter((item) => {
        try {
          relatedItemInput.parse(item, 'relatedItems');
          return true;
        } catch {
          return false;
        }
      }),
    });
    const result = await openIncident(deps, ctx, input, { invokedBy: trigger.invokedBy });
    if (result.replayed)
      return {
        ...base,
        outcome: 'duplicate-delivery',
        incidentRecordArn: result.incidentRecordArn,
        reason: 'This delivery was already recorded; nothing written.',
      };
    return {
      ...base,
      outcome: result.created ? 'created' : 'deduplicated',
      incidentRecordArn: result.incidentRecordArn,
      reason: result.created ? 'Opened a new incident.' : 'Recorded the trigger on the open incident.',
    };
  } catch (error) {
    if (error instanceof ResourceNotFoundError)
      throw new TriggerRejected(`Response plan ${plan.name} does not exist (trigger ${trigger.triggerArn}).`);
    if (error instanceof ValidationError) throw new TriggerRejected(`The trigger is not valid: ${error.message}`);
    throw error;
  }
}

async function recordRecovery(
  deps: Dependencies,
  ctx: RequestContext,
  trigger: Trigger,
  planName: string,
): Promise<TriggerOutcome> {
  const found = await deps.store.getResponsePlan(planName);
  if (!found) throw new TriggerRejected(`Response plan ${planName} does not exist (trigger ${trigger.triggerArn}).`);
  const key = dedupeKeyFor(found.record.incidentTemplate.dedupeString, trigger.triggerArn);
  const open = key ? await deps.store.getOpenIncidentByDedupeKey(key) : undefined;
  const base = { responsePlanName: planName, triggerArn: trigger.triggerArn };
  if (!open || !trigger.alarm)
    return { ...base, outcome: 'ignored', reason: 'The alarm recovered, but no incident is open for it.' };
  await deps.store.createTimelineEvent(
    open.incidentId,
    okEvent(open.incidentRecordArn, trigger.alarm, ctx.now),
    { operation: 'AlarmRecovered', token: trigger.deliveryKey, inputHash: 'ok' },
    ctx.now,
  );
  return {
    ...base,
    outcome: 'recorded-ok',
    incidentRecordArn: open.incidentRecordArn,
    reason: 'Added an alarm-recovered event to the open incident.',
  };
}

/** Handles one delivery; a rejected trigger throws TriggerRejected (the delivery belongs in the dead-letter queue). */
export async function acceptDelivery(
  deps: Dependencies,
  ctx: RequestContext,
  payload: unknown,
): Promise<TriggerOutcome[]> {
  const shapeProblem = deliveryShapeProblem(payload);
  if (shapeProblem) throw new TriggerRejected(shapeProblem);
  const triggers = triggersOf(payload, ctx.partition);
  const outcomes: TriggerOutcome[] = [];
  for (const trigger of triggers) outcomes.push(await acceptOne(deps, ctx, trigger));
  return outcomes;
}
