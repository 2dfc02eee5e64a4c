/** Every ssm-incidents operation by its model name. */
import { getIncidentRunbooks } from '#core/runbooks/view.ts';
import { batchGetIncidentFindings, listIncidentFindings } from './findings.ts';
import {
  deleteIncidentRecord,
  getIncidentRecord,
  listIncidentRecords,
  startIncident,
  updateIncidentRecord,
} from './incidents.ts';
import type { Operation } from './operation.ts';
import { listRelatedItems, updateRelatedItems } from './related-items.ts';
import {
  createReplicationSet,
  deleteReplicationSet,
  getReplicationSet,
  listReplicationSets,
  updateDeletionProtection,
  updateReplicationSet,
} from './replication-set.ts';
import { deleteResourcePolicy, getResourcePolicies, putResourcePolicy } from './resource-policies.ts';
import {
  createResponsePlan,
  deleteResponsePlan,
  getResponsePlan,
  listResponsePlans,
  updateResponsePlan,
} from './response-plans.ts';
import { listTagsForResource, tagResource, untagResource } from './tags.ts';
import {
  createTimelineEvent,
  deleteTimelineEvent,
  getTimelineEvent,
  listTimelineEvents,
  updateTimelineEvent,
} from './timeline.ts';

/** The operations of the route table's EXTENSION_ROUTES (not in Incident Manager's model). */
export const EXTENSION_OPERATIONS: Readonly<Record<string, Operation>> = {
  GetIncidentRunbooks: getIncidentRunbooks,
};

export const INCIDENTS_OPERATIONS: Readonly<Record<string, Operation>> = {
  BatchGetIncidentFindings: batchGetIncidentFindings,
  CreateReplicationSet: createReplicationSet,
  CreateResponsePlan: createResponsePlan,
  CreateTimelineEvent: createTimelineEvent,
  DeleteIncidentRecord: deleteIncidentRecord,
  DeleteReplicationSet: deleteReplicationSet,
  DeleteResourcePolicy: deleteResourcePolicy,
  DeleteResponsePlan: deleteResponsePlan,
  DeleteTimelineEvent: deleteTimelineEvent,
  GetIncidentRecord: getIncidentRecord,
  GetReplicationSet: getReplicationSet,
  GetResourcePolicies: getResourcePolicies,
  GetResponsePlan: getResponsePlan,
  GetTimelineEvent: getTimelineEvent,
  ListIncidentFindings: listIncidentFindings,
  ListIncidentRecords: listIncidentRecords,
  ListRelatedItems: listRelatedItems,
  ListReplicationSets: listReplicationSets,
  ListResponsePlans: listResponsePlans,
  ListTagsForResource: listTagsForResource,
  ListTimelineEvents: listTimelineEvents,
  PutResourcePolicy: putResourcePolicy,
  StartIncident: startIncident,
  TagResource: tagResource,
  UntagResource: untagResource,
  UpdateDeletionProtection: updateDeletionProtection,
  UpdateIncidentRecord: updateIncidentRecord,
  UpdateRelatedItems: updateRelatedItems,
  UpdateReplicationSet: updateReplicationSet,
  UpdateResponsePlan: updateResponsePlan,
  UpdateTimelineEvent: updateTimelineEvent,
};
