/**
 * Every ssm-incidents operation by its model name. Each capability's module is loaded by the first call of one of
 * its operations (`lazy`; a separate chunk in the Lambda bundle), so a cold start parses none of them and the first
 * request only the one it calls.
 */
import { lazy, loadedFrom } from '#core/shared/lazy.ts';
import type { Operation } from './operation.ts';

const findings = loadedFrom(lazy(() => import('./findings.ts')));
const incidents = loadedFrom(lazy(() => import('./incidents.ts')));
const relatedItems = loadedFrom(lazy(() => import('./related-items.ts')));
const replicationSet = loadedFrom(lazy(() => import('./replication-set.ts')));
const resourcePolicies = loadedFrom(lazy(() => import('./resource-policies.ts')));
const responsePlans = loadedFrom(lazy(() => import('./response-plans.ts')));
const tags = loadedFrom(lazy(() => import('./tags.ts')));
const timeline = loadedFrom(lazy(() => import('./timeline.ts')));
const runbooks = loadedFrom(lazy(() => import('#core/runbooks/view.ts')));

/** The operations of the route table's EXTENSION_ROUTES (not in Incident Manager's model). */
export const EXTENSION_OPERATIONS: Readonly<Record<string, Operation>> = {
  GetIncidentRunbooks: runbooks((m) => m.getIncidentRunbooks),
};

export const INCIDENTS_OPERATIONS: Readonly<Record<string, Operation>> = {
  BatchGetIncidentFindings: findings((m) => m.batchGetIncidentFindings),
  CreateReplicationSet: replicationSet((m) => m.createReplicationSet),
  CreateResponsePlan: responsePlans((m) => m.createResponsePlan),
  CreateTimelineEvent: timeline((m) => m.createTimelineEvent),
  DeleteIncidentRecord: incidents((m) => m.deleteIncidentRecord),
  DeleteReplicationSet: replicationSet((m) => m.deleteReplicationSet),
  DeleteResourcePolicy: resourcePolicies((m) => m.deleteResourcePolicy),
  DeleteResponsePlan: responsePlans((m) => m.deleteResponsePlan),
  DeleteTimelineEvent: timeline((m) => m.deleteTimelineEvent),
  GetIncidentRecord: incidents((m) => m.getIncidentRecord),
  GetReplicationSet: replicationSet((m) => m.getReplicationSet),
  GetResourcePolicies: resourcePolicies((m) => m.getResourcePolicies),
  GetResponsePlan: responsePlans((m) => m.getResponsePlan),
  GetTimelineEvent: timeline((m) => m.getTimelineEvent),
  ListIncidentFindings: findings((m) => m.listIncidentFindings),
  ListIncidentRecords: incidents((m) => m.listIncidentRecords),
  ListRelatedItems: relatedItems((m) => m.listRelatedItems),
  ListReplicationSets: replicationSet((m) => m.listReplicationSets),
  ListResponsePlans: responsePlans((m) => m.listResponsePlans),
  ListTagsForResource: tags((m) => m.listTagsForResource),
  ListTimelineEvents: timeline((m) => m.listTimelineEvents),
  PutResourcePolicy: resourcePolicies((m) => m.putResourcePolicy),
  StartIncident: incidents((m) => m.startIncident),
  TagResource: tags((m) => m.tagResource),
  UntagResource: tags((m) => m.untagResource),
  UpdateDeletionProtection: replicationSet((m) => m.updateDeletionProtection),
  UpdateIncidentRecord: incidents((m) => m.updateIncidentRecord),
  UpdateRelatedItems: relatedItems((m) => m.updateRelatedItems),
  UpdateReplicationSet: replicationSet((m) => m.updateReplicationSet),
  UpdateResponsePlan: responsePlans((m) => m.updateResponsePlan),
  UpdateTimelineEvent: timeline((m) => m.updateTimelineEvent),
};
