/**
 * The trigger intake: the Lambda that EventBridge rules, SNS subscriptions and CloudWatch's Lambda alarm action
 * invoke (asynchronously) to open incidents, with its failure path (retries, then a dead-letter queue watched by an
 * alarm), the account-wide permission for Lambda alarm actions, and the catch-all rule for alarms tagged with a
 * response plan.
 */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Match } from 'aws-cdk-lib/aws-events';
import { CfnPermission, EventInvokeConfig } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { eventBridgeInputTemplate, RESPONSE_PLAN_TAG } from '#core/alerting/contract.ts';
import type { LogLevel } from '#runtime/config.ts';
import { alarmStateChangePattern } from '../triggers/alarm-events.ts';
import { alarmOnDeadLetters, createDeadLetterQueue } from '../triggers/dead-letter-queue.ts';
import { IntakeRule } from '../triggers/intake-rule.ts';
import type { DataTable } from './data-table.ts';
import { NodeFunction } from './node-function.ts';

export interface TriggerIntakeProps {
  readonly data: DataTable;
  /** @default 'INFO' */
  readonly logLevel?: LogLevel;
}

export class TriggerIntake extends Construct {
  public readonly handler: NodeFunction;
  public readonly asyncInvokeConfig: EventInvokeConfig;
  /** Lambda's on-failure destination: deliveries that failed every attempt, with the error. */
  public readonly deadLetterQueue: Queue;
  /** In ALARM while any failed delivery waits in `deadLetterQueue`. */
  public readonly deadLetterAlarm: Alarm;
  /** Lets this account's CloudWatch alarms invoke the intake as their Lambda action. */
  public readonly alarmActionPermission: CfnPermission;
  /** The catch-all rule: any alarm tagged with RESPONSE_PLAN_TAG opens incidents from that plan. */
  public readonly tagRule: IntakeRule;
  /** In ALARM while any event the tag rule could not deliver waits in its dead-letter queue. */
  public readonly tagRuleDeadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: TriggerIntakeProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.handler = new NodeFunction(this, 'Function', {
      entry: 'lambdas/functions/trigger-intake.ts',
      description: 'Opens incidents from CloudWatch alarms, EventBridge events and SNS alarm notifications',
      logLevel: props.logLevel,
    });
    const fn = this.handler.function;
    props.data.bindTo(fn);

    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue');
    // Two retries absorb throttling and transient DynamoDB errors; a delivery the intake rejects (no such plan)
    // fails the same way each time and lands in the queue with the error within minutes. Six hours bounds how
    // long a backlog (e.g. throttled during an alarm storm) is worked on before it is parked for a human.
    this.asyncInvokeConfig = new EventInvokeConfig(this, 'AsyncInvokeConfig', {
      function: fn,
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.deadLetterQueue),
    });
    this.deadLetterAlarm = alarmOnDeadLetters(this, 'DeadLetterAlarm', this.deadLetterQueue);

    // Any alarm of this account and region may use the intake as its Lambda action; which plan it opens is decided
    // by the alarm's tag or registered mapping, so no per-alarm statement is needed (the resource policy is 20 KB).
    this.alarmActionPermission = new CfnPermission(this, 'AlarmActionPermission', {
      action: 'lambda:InvokeFunction',
      functionName: fn.functionArn,
      principal: 'lambda.alarms.cloudwatch.amazonaws.com',
      sourceAccount: stack.account,
      sourceArn: stack.formatArn({
        service: 'cloudwatch',
        resource: 'alarm',
        resourceName: '*',
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    });

    // CloudWatch puts an alarm's tags in `detail.alarmTags`; matching on the tag's presence keeps untagged alarms
    // (which the intake could not place) out, and no plan in the template makes the intake read it from the tag.
    this.tagRule = new IntakeRule(this, 'TagRule', {
      intake: fn,
      description: `Opens incidents for alarms tagged ${RESPONSE_PLAN_TAG}=<response plan name> when they go into ALARM`,
      eventPattern: alarmStateChangePattern({
        states: ['ALARM'],
        detail: { alarmTags: { [RESPONSE_PLAN_TAG]: Match.exists() } },
      }),
      inputTemplate: eventBridgeInputTemplate({}),
    });
    this.tagRuleDeadLetterAlarm = alarmOnDeadLetters(this, 'TagRuleDeadLetterAlarm', this.tagRule.deadLetterQueue);
  }
}
