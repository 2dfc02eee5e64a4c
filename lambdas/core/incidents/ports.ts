/**
 * What the domain core needs from storage, in domain words. The DynamoDB adapter implements it
 * (lambdas/adapters/dynamodb); invariants that need atomicity (dedupe guard + incident + first timeline events,
 * clientToken records, optimistic versions) are the adapter's job, expressed here as method contracts.
 */
import type { TriggerMapping } from '#core/alerting/contract.ts';
import type { IdempotencyKey, Page, Tags, Versioned } from '#core/shared/storage.ts';
import type {
  Action,
  ChatChannel,
  EventReference,
  IncidentTemplate,
  Integration,
  ItemIdentifier,
  NotificationTarget,
} from './shapes.ts';

export interface ResponsePlanRecord {
  arn: string;
  name: string;
  displayName?: string;
  incidentTemplate: IncidentTemplate;
  chatChannel?: ChatChannel;
  engagements?: string[];
  actions?: Action[];
  integrations?: Integration[];
  tags: Tags;
  createdTime: number;
  lastModifiedTime: number;
}

export type IncidentStatus = 'OPEN' | 'RESOLVED';

export interface IncidentRecordSource {
  createdBy: string;
  source: string;
  invokedBy?: string;
  resourceArn?: string;
}

export interface IncidentRecord {
  arn: string;
  id: string;
  responsePlanName: string;
  title: string;
  status: IncidentStatus;
  impact: number;
  summary?: string;
  creationTime: number;
  lastModifiedTime: number;
  lastModifiedBy: string;
  resolvedTime?: number;
  incidentRecordSource: IncidentRecordSource;
  dedupeString: string;
  /** Internal: the key this incident holds in the dedupe guard while open (the dedupe string, or the trigger). */
  dedupeKey?: string;
  /** Internal: the contacts the response plan engaged when the incident opened (paged on IncidentOpened). */
  engagements?: string[];
  automationExecutions: { ssmExecutionArn: string }[];
  chatChannel?: ChatChannel;
  notificationTargets: NotificationTarget[];
  tags: Tags;
}

export interface TimelineEventRecord {
  incidentRecordArn: string;
  eventId: string;
  eventTime: number;
  eventUpdatedTime: number;
  eventType: string;
  eventData: string;
  eventReferences?: EventReference[];
}

/** What a timeline list returns of an event: everything but its eventData (which GetTimelineEvent reads). */
export type TimelineEventSummary = Omit<TimelineEventRecord, 'eventData'>;

/** What ListIncidentRecords returns of an incident (what the list indexes project). */
export type IncidentSummary = Pick<
  IncidentRecord,
  'arn' | 'id' | 'title' | 'status' | 'impact' | 'creationTime' | 'resolvedTime' | 'incidentRecordSource'
>;

export interface RelatedItemRecord {
  identifier: ItemIdentifier;
  title?: string;
  generatedId: string;
  addedTime: number;
}

export interface ReplicationSetRecord {
  arn: string;
  regionMap: Record<string, { sseKmsKeyId?: string; status: 'ACTIVE'; statusUpdateDateTime: number }>;
  deletionProtected: boolean;
  createdTime: number;
  createdBy: string;
  lastModifiedTime: number;
  lastModifiedBy: string;
  tags: Tags;
}

export interface ResourcePolicyRecord {
  policyId: string;
  policyDocument: string;
  ramResourceShareRegion: string;
}

export interface IncidentQuery {
  /** Allowed statuses; undefined = any. An empty list matches nothing. */
  statuses?: IncidentStatus[];
  createdAfter?: number;
  createdBefore?: number;
  impacts?: number[];
  createdBy?: string[];
}

export interface TimelineQuery {
  after?: number;
  before?: number;
  eventTypes?: string[];
  /** Each entry is one or more values; an event must match at least one value of every entry. */
  eventReferences?: string[][];
  ascending: boolean;
}

export interface StartIncidentWrite {
  incident: IncidentRecord;
  /** Trigger and start events for a newly created incident. */
  events: TimelineEventRecord[];
  relatedItems: RelatedItemRecord[];
  /** Open incidents with the same key absorb this trigger instead of opening a new incident. */
  dedupeKey?: string;
  /** The trigger event to record on the open incident when this start is deduplicated. */
  duplicateTriggerEvent: (existingIncidentArn: string) => TimelineEventRecord;
}

export interface StartIncidentResult {
  incidentRecordArn: string;
  /** False when the trigger was recorded on the open incident with the same dedupe key. */
  created: boolean;
  /** True when a repeated clientToken replayed the first call's result (nothing was written). */
  replayed?: boolean;
}

export interface IncidentsStore {
  // Response plans
  createResponsePlan(plan: ResponsePlanRecord, idempotency: IdempotencyKey | undefined, now: number): Promise<void>;
  getResponsePlan(name: string): Promise<Versioned<ResponsePlanRecord> | undefined>;
  /** Fails with ConflictError when the plan changed since `expectedVersion`. */
  replaceResponsePlan(
    plan: ResponsePlanRecord,
    expectedVersion: number,
    idempotency: IdempotencyKey | undefined,
    now: number,
  ): Promise<void>;
  deleteResponsePlan(name: string): Promise<void>;
  listResponsePlans(maxResults: number, nextToken: string | undefined): Promise<Page<ResponsePlanRecord>>;

  // Incidents
  /** Creates the incident, or records the trigger on the open incident with the same dedupe key. */
  startIncident(
    write: StartIncidentWrite,
    idempotency: IdempotencyKey | undefined,
    now: number,
  ): Promise<StartIncidentResult>;
  getIncident(incidentId: string): Promise<Versioned<IncidentRecord> | undefined>;
  updateIncident(
    next: IncidentRecord,
    expectedVersion: number,
    events: TimelineEventRecord[],
    dedupe: { release?: string; claim?: string },
    idempotency: IdempotencyKey | undefined,
    now: number,
  ): Promise<void>;
  deleteIncident(incidentId: string): Promise<void>;
  listIncidents(
    query: IncidentQuery,
    maxResults: number,
    nextToken: string | undefined,
  ): Promise<Page<IncidentSummary>>;

  // Timeline
  /** Fails with ResourceNotFoundError when the incident does not exist. */
  createTimelineEvent(
    incidentId: string,
    event: TimelineEventRecord,
    idempotency: IdempotencyKey | undefined,
    now: number,
  ): Promise<{ eventId: string }>;
  getTimelineEvent(incidentId: string, eventId: string): Promise<TimelineEventRecord | undefined>;
  replaceTimelineEvent(
    incidentId: string,
    previous: TimelineEventRecord,
    next: TimelineEventRecord,
    idempotency: IdempotencyKey | undefined,
    now: number,
  ): Promise<void>;
  /** Deletes the event as it was read (its index entries go with it). */
  deleteTimelineEvent(incidentId: string, event: TimelineEventRecord): Promise<void>;
  listTimelineEvents(
    incidentId: string,
    query: TimelineQuery,
    maxResults: number,
    nextToken: string | undefined,
  ): Promise<Page<TimelineEventSummary>>;
  /** Every event of the incident with its data (for whole-record readers: post-incident analysis), by event id. */
  listTimelineEventRecords(
    incidentId: string,
    maxResults: number,
    nextToken: string | undefined,
  ): Promise<Page<TimelineEventRecord>>;

  // Related items
  addRelatedItem(
    incidentId: string,
    item: RelatedItemRecord,
    event: TimelineEventRecord,
    idempotency: IdempotencyKey | undefined,
    now: number,
  ): Promise<void>;
  /** Returns false when no such item existed (nothing written). */
  removeRelatedItem(
    incidentId: string,
    generatedId: string,
    event: TimelineEventRecord,
    idempotency: IdempotencyKey | undefined,
    now: number,
  ): Promise<boolean>;
  listRelatedItems(
    incidentId: string,
    maxResults: number,
    nextToken: string | undefined,
  ): Promise<Page<RelatedItemRecord>>;

  // Tags (on response plans, incidents and the replication set)
  getTags(resource: TaggableResource): Promise<Versioned<Tags> | undefined>;
  replaceTags(resource: TaggableResource, tags: Tags, expectedVersion: number): Promise<void>;

  // Replication set (a singleton)
  getReplicationSet(): Promise<Versioned<ReplicationSetRecord> | undefined>;
  createReplicationSet(
    set: ReplicationSetRecord,
    idempotency: IdempotencyKey | undefined,
    now: number,
  ): Promise<{ arn: string }>;
  replaceReplicationSet(
    set: ReplicationSetRecord,
    expectedVersion: number,
    idempotency: IdempotencyKey | undefined,
    now: number,
  ): Promise<void>;
  deleteReplicationSet(): Promise<void>;

  /** The open incident holding a dedupe key, if any (a single read of its dedupe guard). */
  getOpenIncidentByDedupeKey(dedupeKey: string): Promise<{ incidentId: string; incidentRecordArn: string } | undefined>;

  // Trigger mappings (SNS topic or alarm ARN → response plan), registered by the CDK trigger constructs
  getTriggerMapping(sourceArn: string): Promise<TriggerMapping | undefined>;
  putTriggerMapping(mapping: TriggerMapping): Promise<void>;
  deleteTriggerMapping(sourceArn: string): Promise<void>;

  // Resource policies (on response plans)
  putResourcePolicy(planName: string, policy: ResourcePolicyRecord): Promise<void>;
  listResourcePolicies(
    planName: string,
    maxResults: number,
    nextToken: string | undefined,
  ): Promise<Page<ResourcePolicyRecord>>;
  deleteResourcePolicy(planName: string, policyId: string): Promise<boolean>;
}

export type TaggableResource =
  | { kind: 'response-plan'; name: string }
  | { kind: 'incident-record'; incidentId: string }
  | { kind: 'replication-set' }
  | { kind: 'analysis'; analysisId: string }
  | { kind: 'analysis-template'; name: string };
