/**
 * An EventBridge rule whose target is the trigger intake: the shared shape of AlarmTrigger, EventTrigger and the
 * stack's catch-all alarm-tag rule. The invoke permission is declared here, in the rule's own stack, so an intake
 * imported by ARN from another stack works and the permission names only this rule.
 */
import { Duration } from 'aws-cdk-lib';
import {
  type EventPattern,
  type IEventBus,
  type IRuleTarget,
  Rule,
  RuleTargetInput,
  type RuleTargetInputProperties,
} from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnPermission, type IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { createDeadLetterQueue } from './dead-letter-queue.ts';

/**
 * EventBridge retries an invoke that Lambda refuses (throttling, a missing permission) for up to a day, the
 * maximum, before the event goes to the target's dead-letter queue: an incident trigger should not give up early.
 */
export const TARGET_RETRY_POLICY = { maximumRetryAttempts: 185, maximumEventAge: Duration.hours(24) } as const;

/**
 * Passes the template through untouched. CDK's RuleTargetInput helpers JSON-quote text, which would turn the
 * unquoted `<aws.events.event...>` placeholder into a string; the intake needs the event as an object.
 */
class VerbatimInputTemplate extends RuleTargetInput {
  constructor(private readonly template: string) {
    super();
  }
  override bind(): RuleTargetInputProperties {
    return { inputTemplate: this.template };
  }
}

export interface IntakeRuleProps {
  /** The trigger intake function (the stack output TriggerIntakeFunctionArn, e.g. via `Function.fromFunctionArn`). */
  readonly intake: IFunction;
  readonly eventPattern: EventPattern;
  /** @default the account's default event bus */
  readonly eventBus?: IEventBus;
  /** The input transformer template (contract.ts `eventBridgeInputTemplate`). */
  readonly inputTemplate: string;
  readonly description?: string;
  /**
   * Where events the intake could not be invoked with land. Pass one queue of the same stack to share it between
   * triggers (each rule adds its own statement to the queue's policy; an imported queue's policy cannot be changed).
   * @default a new encrypted queue, kept 14 days
   */
  readonly deadLetterQueue?: IQueue;
}

export class IntakeRule extends Construct {
  public readonly rule: Rule;
  public readonly deadLetterQueue: IQueue;
  /** Lets EventBridge invoke the intake for this rule only. */
  public readonly invokePermission: CfnPermission;

  constructor(scope: Construct, id: string, props: IntakeRuleProps) {
    super(scope, id);
    const deadLetterQueue = props.deadLetterQueue ?? createDeadLetterQueue(this, 'DeadLetterQueue');
    this.deadLetterQueue = deadLetterQueue;

    this.rule = new Rule(this, 'Rule', {
      eventPattern: props.eventPattern,
      eventBus: props.eventBus,
      description: props.description,
    });

    // A target of our own rather than targets.LambdaFunction: that one adds the invoke permission through
    // IFunction.addPermission, which does nothing but warn for a function imported by ARN into an
    // environment-agnostic stack, leaving EventBridge unable to invoke the intake.
    const target: IRuleTarget = {
      bind: () => ({
        arn: props.intake.functionArn,
        input: new VerbatimInputTemplate(props.inputTemplate),
        deadLetterConfig: { arn: deadLetterQueue.queueArn },
        retryPolicy: {
          maximumRetryAttempts: TARGET_RETRY_POLICY.maximumRetryAttempts,
          maximumEventAgeInSeconds: TARGET_RETRY_POLICY.maximumEventAge.toSeconds(),
        },
      }),
    };
    this.rule.addTarget(target);

    deadLetterQueue.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [deadLetterQueue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': this.rule.ruleArn } },
      }),
    );

    this.invokePermission = new CfnPermission(this, 'InvokePermission', {
      action: 'lambda:InvokeFunction',
      functionName: props.intake.functionArn,
      principal: 'events.amazonaws.com',
      sourceArn: this.rule.ruleArn,
    });
  }
}
