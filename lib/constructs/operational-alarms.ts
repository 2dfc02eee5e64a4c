/**
 * The alarms an operator expects on the incident manager itself: a pager that silently stopped working is the worst
 * failure it can have. Every function's errors and throttles, the paging workflow's failed and timed-out executions,
 * the API's 5xx answers, plus the alarms other constructs already made (dead-letter queues, stream lag). With an SNS
 * topic (prop, or the `alarmTopicArn` context value), every one of them notifies it on ALARM and on OK.
 */
import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { NodeFunction } from './node-function.ts';

export interface OperationalAlarmsProps {
  readonly functions: Readonly<Record<string, NodeFunction>>;
  readonly stateMachines: Readonly<Record<string, StateMachine>>;
  readonly httpApi: HttpApi;
  /** Alarms made elsewhere that should notify the same topic. */
  readonly otherAlarms?: readonly Alarm[];
  /** Where alarms notify. @default the topic named by the `alarmTopicArn` context value, else none */
  readonly alarmTopic?: ITopic;
}

const atLeastOnce = {
  threshold: 0,
  comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
  evaluationPeriods: 1,
  treatMissingData: TreatMissingData.NOT_BREACHING,
} as const;

const FIVE_MINUTES = Duration.minutes(5);

export class OperationalAlarms extends Construct {
  /** Every alarm of the stack, this construct's and the others given. */
  public readonly alarms: Alarm[] = [];
  public readonly alarmTopic?: ITopic;

  constructor(scope: Construct, id: string, props: OperationalAlarmsProps) {
    super(scope, id);

    for (const [name, fn] of Object.entries(props.functions)) {
      this.alarms.push(
        new Alarm(this, `${name}Errors`, {
          alarmDescription: `${fn.node.path} failed invocations (uncaught errors or timeouts): see its log group.`,
          metric: fn.function.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
          ...atLeastOnce,
        }),
        new Alarm(this, `${name}Throttles`, {
          alarmDescription: `${fn.node.path} was throttled: raise its concurrency or the account's limit.`,
          metric: fn.function.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
          ...atLeastOnce,
        }),
      );
    }
    for (const [name, machine] of Object.entries(props.stateMachines)) {
      this.alarms.push(
        new Alarm(this, `${name}ExecutionsFailed`, {
          alarmDescription: `${machine.node.path} executions failed or timed out: someone may not have been paged.`,
          metric: new MathExpression({
            expression: 'failed + timedOut',
            usingMetrics: {
              failed: machine.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }),
              timedOut: machine.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum' }),
            },
            period: FIVE_MINUTES,
          }),
          ...atLeastOnce,
        }),
      );
    }
    this.alarms.push(
      new Alarm(this, 'ApiServerErrors', {
        alarmDescription: 'The management API answered 5xx: callers (CLI, SDK, console) got no result.',
        metric: props.httpApi.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
        ...atLeastOnce,
      }),
    );
    this.alarms.push(...(props.otherAlarms ?? []));

    const topicArn: string | undefined = this.node.tryGetContext('alarmTopicArn');
    this.alarmTopic = props.alarmTopic ?? (topicArn ? Topic.fromTopicArn(this, 'Topic', topicArn) : undefined);
    if (this.alarmTopic) {
      const action = new SnsAction(this.alarmTopic);
      for (const alarm of this.alarms) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }
  }
}
