/**
 * Opens incidents through CloudWatch's own Lambda alarm action: the alarm invokes the intake directly (no
 * EventBridge, no SNS), and a registered mapping tells the intake the alarm's response plan.
 */
import type { CustomResource } from 'aws-cdk-lib';
import type { AlarmBase, IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { OkBehaviour } from '#core/alerting/contract.ts';
import { assertResponsePlanName } from './response-plan-name.ts';
import { registerTriggerMapping } from './trigger-mapping.ts';

export interface AlarmLambdaActionTriggerProps {
  /** A metric or composite alarm of this stack (anything with addAlarmAction / addOkAction). */
  readonly alarm: AlarmBase;
  readonly responsePlanName: string;
  /** The trigger intake: `Function.fromFunctionArn(this, 'Intake', <TriggerIntakeFunctionArn output>)`. */
  readonly intake: IFunction;
  /** @default 'ignore' ('timeline' also adds the intake as the OK action, recording OK on the open incident) */
  readonly onOk?: OkBehaviour;
}

export class AlarmLambdaActionTrigger extends Construct {
  public readonly alarm: AlarmBase;
  /** The `Custom::IncidentTriggerMapping` resource: alarm → response plan. */
  public readonly mapping: CustomResource;

  constructor(scope: Construct, id: string, props: AlarmLambdaActionTriggerProps) {
    super(scope, id);
    assertResponsePlanName(props.responsePlanName);
    this.alarm = props.alarm;
    this.mapping = registerTriggerMapping(this, 'Mapping', {
      intake: props.intake,
      sourceArn: props.alarm.alarmArn,
      responsePlanName: props.responsePlanName,
      onOk: props.onOk,
    });

    // The intake's stack already lets every alarm of the account invoke it (principal
    // lambda.alarms.cloudwatch.amazonaws.com). cloudwatch-actions' LambdaAction would add a per-alarm permission
    // besides: a no-op with a synth warning for an intake imported by ARN, or one more statement in the intake's
    // 20 KB resource policy otherwise. So the action only names the function.
    const invokeIntake: IAlarmAction = { bind: () => ({ alarmActionArn: props.intake.functionArn }) };
    props.alarm.addAlarmAction(invokeIntake);
    if (props.onOk === 'timeline') props.alarm.addOkAction(invokeIntake);
    // The alarm itself needs no dependency on the mapping: a delivery before it exists fails into the intake's
    // dead-letter queue and can be redriven.
  }
}
