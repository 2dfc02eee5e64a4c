/** Opens incidents when one CloudWatch alarm (metric or composite) goes into ALARM, through EventBridge. */
import type { IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { eventBridgeInputTemplate, type OkBehaviour } from '#core/alerting/contract.ts';
import { alarmStateChangePattern, alarmStatesFor } from './alarm-events.ts';
import { IntakeRule } from './intake-rule.ts';
import { assertResponsePlanName } from './response-plan-name.ts';

export interface AlarmTriggerProps {
  readonly alarm: IAlarm;
  readonly responsePlanName: string;
  /** The trigger intake: `Function.fromFunctionArn(this, 'Intake', <TriggerIntakeFunctionArn output>)`. */
  readonly intake: IFunction;
  /**
   * OK never resolves an incident. 'timeline' adds a timeline event to the alarm's open incident.
   * @default 'ignore'
   */
  readonly onOk?: OkBehaviour;
  /** @default a new encrypted dead-letter queue */
  readonly deadLetterQueue?: IQueue;
}

export class AlarmTrigger extends IntakeRule {
  public readonly alarm: IAlarm;

  constructor(scope: Construct, id: string, props: AlarmTriggerProps) {
    assertResponsePlanName(props.responsePlanName);
    super(scope, id, {
      intake: props.intake,
      deadLetterQueue: props.deadLetterQueue,
      description: `Opens incidents from response plan ${props.responsePlanName} when the alarm goes into ALARM`,
      // Matching on the ARN in `resources` (not the name) keeps same-named alarms of other regions/accounts out.
      eventPattern: alarmStateChangePattern({ alarmArns: [props.alarm.alarmArn], states: alarmStatesFor(props.onOk) }),
      inputTemplate: eventBridgeInputTemplate({ responsePlanName: props.responsePlanName, onOk: props.onOk }),
    });
    this.alarm = props.alarm;
  }
}
