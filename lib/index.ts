/**
 * The construct library for your own stacks: open incidents from CloudWatch alarms, EventBridge events and SNS
 * alarm topics through the trigger intake of a deployed IncidentManager stack (output TriggerIntakeFunctionArn).
 */
export { RESPONSE_PLAN_TAG, type OkBehaviour } from '#core/alerting/contract.ts';
export { AlarmTrigger, type AlarmTriggerProps } from './triggers/alarm-trigger.ts';
export { EventTrigger, type EventTriggerProps } from './triggers/event-trigger.ts';
export { SnsTopicTrigger, type SnsTopicTriggerProps } from './triggers/sns-topic-trigger.ts';
export { AlarmLambdaActionTrigger, type AlarmLambdaActionTriggerProps } from './triggers/alarm-lambda-action-trigger.ts';
export { IntakeRule, type IntakeRuleProps, TARGET_RETRY_POLICY } from './triggers/intake-rule.ts';
export { alarmOnDeadLetters, createDeadLetterQueue } from './triggers/dead-letter-queue.ts';
