/** What every ssm-incidents operation receives, and what it returns. */
import type * as sdk from '@aws-sdk/client-ssm-incidents';
import type { AutomationService } from '#core/runbooks/model.ts';
import type { RequestContext } from '#core/shared/service-context.ts';
import type { ResponseBody, Wire } from '#core/shared/wire.ts';
import type { IncidentsStore } from './ports.ts';

export interface Dependencies {
  store: IncidentsStore;
  /** SSM, for the runbook view (GetIncidentRunbooks); absent: that operation is unavailable. */
  automation?: AutomationService;
}

/**
 * Each operation's output as the official SDK types it (the SDK is the contract), in its wire form. The operation
 * table (./api.ts) is checked against it: every name here has its operation, returning this type.
 */
export interface IncidentsOutputs {
  BatchGetIncidentFindings: Wire<sdk.BatchGetIncidentFindingsCommandOutput>;
  CreateReplicationSet: Wire<sdk.CreateReplicationSetCommandOutput>;
  CreateResponsePlan: Wire<sdk.CreateResponsePlanCommandOutput>;
  CreateTimelineEvent: Wire<sdk.CreateTimelineEventCommandOutput>;
  DeleteIncidentRecord: Wire<sdk.DeleteIncidentRecordCommandOutput>;
  DeleteReplicationSet: Wire<sdk.DeleteReplicationSetCommandOutput>;
  DeleteResourcePolicy: Wire<sdk.DeleteResourcePolicyCommandOutput>;
  DeleteResponsePlan: Wire<sdk.DeleteResponsePlanCommandOutput>;
  DeleteTimelineEvent: Wire<sdk.DeleteTimelineEventCommandOutput>;
  GetIncidentRecord: Wire<sdk.GetIncidentRecordCommandOutput>;
  GetReplicationSet: Wire<sdk.GetReplicationSetCommandOutput>;
  GetResourcePolicies: Wire<sdk.GetResourcePoliciesCommandOutput>;
  GetResponsePlan: Wire<sdk.GetResponsePlanCommandOutput>;
  GetTimelineEvent: Wire<sdk.GetTimelineEventCommandOutput>;
  ListIncidentFindings: Wire<sdk.ListIncidentFindingsCommandOutput>;
  ListIncidentRecords: Wire<sdk.ListIncidentRecordsCommandOutput>;
  ListRelatedItems: Wire<sdk.ListRelatedItemsCommandOutput>;
  ListReplicationSets: Wire<sdk.ListReplicationSetsCommandOutput>;
  ListResponsePlans: Wire<sdk.ListResponsePlansCommandOutput>;
  ListTagsForResource: Wire<sdk.ListTagsForResourceCommandOutput>;
  ListTimelineEvents: Wire<sdk.ListTimelineEventsCommandOutput>;
  PutResourcePolicy: Wire<sdk.PutResourcePolicyCommandOutput>;
  StartIncident: Wire<sdk.StartIncidentCommandOutput>;
  TagResource: Wire<sdk.TagResourceCommandOutput>;
  UntagResource: Wire<sdk.UntagResourceCommandOutput>;
  UpdateDeletionProtection: Wire<sdk.UpdateDeletionProtectionCommandOutput>;
  UpdateIncidentRecord: Wire<sdk.UpdateIncidentRecordCommandOutput>;
  UpdateRelatedItems: Wire<sdk.UpdateRelatedItemsCommandOutput>;
  UpdateReplicationSet: Wire<sdk.UpdateReplicationSetCommandOutput>;
  UpdateResponsePlan: Wire<sdk.UpdateResponsePlanCommandOutput>;
  UpdateTimelineEvent: Wire<sdk.UpdateTimelineEventCommandOutput>;
}
export type IncidentsOperationName = keyof IncidentsOutputs;

/**
 * An operation takes the request's members (body, query and path label merged, as the model binds them) and
 * returns the output members, or undefined for operations whose output has no member. Operations are declared
 * `export const getX = (async (deps, ctx, raw) => {...}) satisfies Operation<'GetX'>`, not annotated: `satisfies`
 * checks the output against the SDK's and keeps the operation's own output type, which the type test
 * (test/unit/operation-outputs.test.ts) compares member by member, as TypeScript lets a returned object carry members
 * its declared type does not have.
 */
export type OperationReturning<Output> = (
  deps: Dependencies,
  ctx: RequestContext,
  input: unknown,
) => Promise<ResponseBody<Output>>;
export type Operation<Name extends IncidentsOperationName> = OperationReturning<IncidentsOutputs[Name]>;
/** Any operation, as the HTTP handler dispatches it by the route's name. */
export type AnyOperation = (deps: Dependencies, ctx: RequestContext, input: unknown) => Promise<object | undefined>;
