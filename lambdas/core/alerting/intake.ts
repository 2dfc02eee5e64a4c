/**
 * Turns alarm and event triggers into incidents. The edge (lambdas/adapters/triggers/deliveries.ts) reads every
 * delivery form (EventBridge envelope or raw event, SNS notification, CloudWatch's Lambda alarm action) into Triggers;
 * here each trigger's response plan is resolved (explicit name, the alarm's response-plan tag, or a registered
 * mapping), and StartIncident's own semantics do the rest: dedupe while the incident is open, and at-least-once
 * deliveries made idempotent through a clientToken derived from the delivery itself.
 */
import { responsePlanArn } from '#core/incidents/arns.ts';
import { dedupeKeyFor, openIncident, parseStartIncidentInput } from '#core/incidents/incidents.ts';
import type { Dependencies } from '#core/incidents/operation.ts';
import { type RelatedItemInput, relatedItemInput } from '#core/incidents/shapes.ts';
import { ResourceNotFoundError, ValidationError } from '#core/shared/errors.ts';
import { sha256Hex } from '#core/shared/ids.ts';
import type { RequestContext } from '#core/shared/service-context.ts';
import type { AlarmStateChange } from './alarm.ts';
import { type OkBehaviour, RESPONSE_PLAN_TAG } from './contract.ts';
import { okEvent } from './ok-event.ts';

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

/** One alarm state change or event, read from its delivery at the edge (lambdas/adapters/triggers). */
export interface Trigger {
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

const PLAN_NAME = /^[a-zA-Z0-9-_]{1,200}$/;

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

/**
 * Handles the triggers of one delivery; a rejected trigger throws TriggerRejected (the delivery belongs in the
 * dead-letter queue).
 */
export async function acceptTriggers(
  deps: Dependencies,
  ctx: RequestContext,
  triggers: readonly Trigger[],
): Promise<TriggerOutcome[]> {
  const outcomes: TriggerOutcome[] = [];
  for (const trigger of triggers) outcomes.push(await acceptOne(deps, ctx, trigger));
  return outcomes;
}
