/**
 * Opens incidents from CloudWatch alarm notifications already published to an SNS topic: subscribes the intake to
 * the topic and registers the topic → response plan mapping the intake reads.
 */
import type { CustomResource } from 'aws-cdk-lib';
import { CfnPermission, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { type ITopic, Subscription, SubscriptionProtocol } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { OkBehaviour } from '#core/alerting/contract.ts';
import { createDeadLetterQueue } from './dead-letter-queue.ts';
import { assertResponsePlanName } from './response-plan-name.ts';
import { registerTriggerMapping } from './trigger-mapping.ts';

export interface SnsTopicTriggerProps {
  readonly topic: ITopic;
  readonly responsePlanName: string;
  /** The trigger intake: `Function.fromFunctionArn(this, 'Intake', <TriggerIntakeFunctionArn output>)`. */
  readonly intake: IFunction;
  /** @default 'ignore' (OK notifications never resolve; 'timeline' records them on the open incident) */
  readonly onOk?: OkBehaviour;
  /** @default a new encrypted dead-letter queue */
  readonly deadLetterQueue?: IQueue;
}

export class SnsTopicTrigger extends Construct {
  public readonly topic: ITopic;
  public readonly subscription: Subscription;
  public readonly deadLetterQueue: IQueue;
  /** Lets SNS invoke the intake for this topic only. */
  public readonly invokePermission: CfnPermission;
  /** The `Custom::IncidentTriggerMapping` resource: topic → response plan. */
  public readonly mapping: CustomResource;

  constructor(scope: Construct, id: string, props: SnsTopicTriggerProps) {
    super(scope, id);
    assertResponsePlanName(props.responsePlanName);
    this.topic = props.topic;
    this.deadLetterQueue = props.deadLetterQueue ?? createDeadLetterQueue(this, 'DeadLetterQueue');

    this.mapping = registerTriggerMapping(this, 'Mapping', {
      intake: props.intake,
      sourceArn: props.topic.topicArn,
      responsePlanName: props.responsePlanName,
      onOk: props.onOk,
    });

    // Declared here rather than through LambdaSubscription, whose addPermission does nothing (but warn) for an
    // intake imported by ARN; this one names only this topic.
    this.invokePermission = new CfnPermission(this, 'InvokePermission', {
      action: 'lambda:InvokeFunction',
      functionName: props.intake.functionArn,
      principal: 'sns.amazonaws.com',
      sourceArn: props.topic.topicArn,
    });

    // The Subscription construct also lets SNS (from this topic only) write to the dead-letter queue.
    this.subscription = new Subscription(this, 'Subscription', {
      topic: props.topic,
      protocol: SubscriptionProtocol.LAMBDA,
      endpoint: props.intake.functionArn,
      deadLetterQueue: this.deadLetterQueue,
    });
    // Deliveries start once the intake knows the topic's plan and SNS may invoke it; earlier ones would be rejected.
    this.subscription.node.addDependency(this.mapping, this.invokePermission);
  }
}
