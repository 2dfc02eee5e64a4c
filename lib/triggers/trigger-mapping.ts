/**
 * Registers "deliveries from this SNS topic / alarm open incidents from this plan" with the intake, through the
 * intake's own custom resource: the mapping lives and dies with the user's stack.
 */
import { CustomResource, Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import {
  type OkBehaviour,
  TRIGGER_MAPPING_RESOURCE_TYPE,
  type TriggerMappingProperties,
} from '#core/alerting/contract.ts';

export interface TriggerMappingProps {
  readonly intake: IFunction;
  readonly sourceArn: string;
  readonly responsePlanName: string;
  readonly onOk?: OkBehaviour;
}

export function registerTriggerMapping(scope: Construct, id: string, props: TriggerMappingProps): CustomResource {
  const properties: TriggerMappingProperties = {
    SourceArn: props.sourceArn,
    ResponsePlanName: props.responsePlanName,
    ...(props.onOk ? { OnOk: props.onOk } : {}),
  };
  return new CustomResource(scope, id, {
    serviceToken: props.intake.functionArn,
    resourceType: TRIGGER_MAPPING_RESOURCE_TYPE,
    properties,
    // The intake answers in seconds; if it cannot, fail the deployment within minutes rather than CloudFormation's
    // default hour (10 minutes leaves room for Lambda's two asynchronous retries).
    serviceTimeout: Duration.minutes(10),
  });
}
