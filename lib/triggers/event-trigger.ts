/** Opens incidents from any EventBridge event (GuardDuty findings, Health events, your own events) on any bus. */
import type { EventPattern, IEventBus } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { eventBridgeInputTemplate } from '#core/alerting/contract.ts';
import { IntakeRule } from './intake-rule.ts';
import { assertResponsePlanName } from './response-plan-name.ts';

export interface EventTriggerProps {
  readonly eventPattern: EventPattern;
  /** @default the account's default event bus */
  readonly eventBus?: IEventBus;
  readonly responsePlanName: string;
  /** The trigger intake: `Function.fromFunctionArn(this, 'Intake', <TriggerIntakeFunctionArn output>)`. */
  readonly intake: IFunction;
  /** @default a new encrypted dead-letter queue */
  readonly deadLetterQueue?: IQueue;
}

export class EventTrigger extends IntakeRule {
  constructor(scope: Construct, id: string, props: EventTriggerProps) {
    assertResponsePlanName(props.responsePlanName);
    super(scope, id, {
      intake: props.intake,
      eventBus: props.eventBus,
      deadLetterQueue: props.deadLetterQueue,
      description: `Opens incidents from response plan ${props.responsePlanName}`,
      eventPattern: props.eventPattern,
      inputTemplate: eventBridgeInputTemplate({ responsePlanName: props.responsePlanName }),
    });
  }
}
