/**
 * The CloudFormation custom resource `Custom::IncidentTriggerMapping`: CDK trigger constructs in users' stacks
 * register "deliveries from this SNS topic / alarm open incidents from this plan" through it. CloudFormation waits
 * for a response at the pre-signed ResponseURL, so one is always sent, success or failure.
 */
import type { OkBehaviour } from '#core/alerting/contract.ts';
import type { IncidentsStore } from '#core/incidents/ports.ts';
import { type CustomResourceRequest, isCustomResourceRequest, respondToCustomResource } from './custom-resource.ts';

export type MappingRequest = CustomResourceRequest<{ SourceArn?: string; ResponsePlanName?: string; OnOk?: string }>;

export const isMappingRequest = isCustomResourceRequest as (event: unknown) => event is MappingRequest;

const PLAN_NAME = /^[a-zA-Z0-9-_]{1,200}$/;
const SOURCE_ARN = /^arn:aws(-cn|-us-gov)?:(sns|cloudwatch|events):[a-z0-9-]+:\d{12}:.+$/;

async function apply(store: IncidentsStore, request: MappingRequest): Promise<string> {
  const { SourceArn, ResponsePlanName, OnOk } = request.ResourceProperties;
  if (request.RequestType === 'Delete') {
    // A failed Create has no mapping to delete, and its physical id is not an ARN.
    if (request.PhysicalResourceId && SOURCE_ARN.test(request.PhysicalResourceId))
      await store.deleteTriggerMapping(request.PhysicalResourceId);
    return request.PhysicalResourceId ?? request.LogicalResourceId;
  }
  if (!SourceArn || !SOURCE_ARN.test(SourceArn))
    throw new Error(`SourceArn must be an SNS topic, alarm or rule ARN, got ${SourceArn}`);
  if (!ResponsePlanName || !PLAN_NAME.test(ResponsePlanName))
    throw new Error(`ResponsePlanName is not a plan name: ${ResponsePlanName}`);
  const onOk: OkBehaviour | undefined = OnOk === 'timeline' ? 'timeline' : undefined;
  await store.putTriggerMapping({
    sourceArn: SourceArn,
    responsePlanName: ResponsePlanName,
    ...(onOk ? { onOk } : {}),
  });
  // A new source ARN replaces the resource: CloudFormation then deletes the old one, removing the old mapping.
  return SourceArn;
}

export const respondToMappingRequest = (store: IncidentsStore, request: MappingRequest): Promise<void> =>
  respondToCustomResource(request, (r) => apply(store, r));
