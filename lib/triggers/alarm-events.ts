/** EventBridge patterns for CloudWatch's "CloudWatch Alarm State Change" events. */
import type { EventPattern } from 'aws-cdk-lib/aws-events';
import type { OkBehaviour } from '#core/alerting/contract.ts';

/** ALARM opens (or dedupes onto) an incident; OK is only sent when it adds a timeline event. */
export const alarmStatesFor = (onOk: OkBehaviour | undefined): string[] =>
  onOk === 'timeline' ? ['ALARM', 'OK'] : ['ALARM'];

export const alarmStateChangePattern = (options: {
  states: string[];
  alarmArns?: string[];
  detail?: Record<string, unknown>;
}): EventPattern => ({
  source: ['aws.cloudwatch'],
  detailType: ['CloudWatch Alarm State Change'],
  ...(options.alarmArns ? { resources: options.alarmArns } : {}),
  detail: { ...options.detail, state: { value: options.states } },
});
