/**
 * The contract between the trigger intake function and what invokes it: the CDK constructs (EventBridge targets'
 * input template, the tag key, custom-resource properties) and `npm run trigger` locally. Imported by both sides.
 */

/** Tag an alarm with this key and a response plan's name as value: its state changes open incidents from that plan. */
export const RESPONSE_PLAN_TAG = 'incident-manager:response-plan';

/** What to do when an alarm returns to OK: nothing (default), or add a timeline event to its open incident. */
export type OkBehaviour = 'ignore' | 'timeline';

/**
 * What an EventBridge target sends to the intake: the event unchanged plus where it came from. Built by an input
 * transformer, so the rule ARN and the plan name travel with each event.
 */
export interface EventBridgeEnvelope {
  intake: 'eventbridge';
  responsePlanName?: string;
  ruleArn?: string;
  onOk?: OkBehaviour;
  event: Record<string, unknown>;
}

/**
 * The input transformer template of an EventBridge target. `<aws.events.event.json>` is the whole event;
 * `<aws.events.event>` would be the event WITHOUT its `detail`, which holds the alarm's state and metrics.
 */
export const eventBridgeInputTemplate = (options: { responsePlanName?: string; onOk?: OkBehaviour }): string => {
  const fields = [
    '"intake":"eventbridge"',
    options.responsePlanName ? `"responsePlanName":${JSON.stringify(options.responsePlanName)}` : undefined,
    '"ruleArn":"<aws.events.rule-arn>"',
    options.onOk && options.onOk !== 'ignore' ? `"onOk":${JSON.stringify(options.onOk)}` : undefined,
    '"event":<aws.events.event.json>',
  ].filter(Boolean);
  return `{${fields.join(',')}}`;
};

/**
 * A trigger mapping: deliveries from `sourceArn` (an SNS topic, or an alarm whose Lambda action is the intake)
 * open incidents from `responsePlanName`. CDK constructs register one through a CloudFormation custom resource
 * whose service token is the intake function.
 */
export interface TriggerMapping {
  sourceArn: string;
  responsePlanName: string;
  onOk?: OkBehaviour;
}

/** Custom resource properties (CloudFormation passes them as strings). */
export const TRIGGER_MAPPING_RESOURCE_TYPE = 'Custom::IncidentTriggerMapping';
export interface TriggerMappingProperties {
  SourceArn: string;
  ResponsePlanName: string;
  OnOk?: OkBehaviour;
}

/**
 * Locally (`npm run trigger`), the SNS and Lambda alarm-action forms can be given a plan directly, standing in for
 * the mapping a construct registers in AWS.
 */
export interface LocalOverride {
  intake: 'local';
  responsePlanName?: string;
  onOk?: OkBehaviour;
  payload: unknown;
}
