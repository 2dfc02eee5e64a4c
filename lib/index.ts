/**
 * The construct library for your own stacks: open incidents from CloudWatch alarms, EventBridge events and SNS
 * alarm topics through the trigger intake of a deployed IncidentManager stack (output TriggerIntakeFunctionArn).
 */
export { type OkBehaviour, RESPONSE_PLAN_TAG } from '#core/alerting/contract.ts';
export {
  AlarmLambdaActionTrigger,
  type AlarmLambdaActionTriggerProps,
} from './triggers/alarm-lambda-action-trigger.ts';
export { AlarmTrigger, type AlarmTriggerProps } from './triggers/alarm-trigger.ts';
export { alarmOnDeadLetters, createDeadLetterQueue } from './triggers/dead-letter-queue.ts';
export { EventTrigger, type EventTriggerProps } from './triggers/event-trigger.ts';
export { IntakeRule, type IntakeRuleProps, TARGET_RETRY_POLICY } from './triggers/intake-rule.ts';
export { SnsTopicTrigger, type SnsTopicTriggerProps } from './triggers/sns-topic-trigger.ts';
