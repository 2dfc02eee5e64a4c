/**
 * The one DynamoDB table's key schema and indexes. Imported by the CDK stack (to create the table), by the local
 * runtime (to create it in DynamoDB Local) and by the adapters (to query it), so the three never drift.
 * Access patterns and item layouts: docs/data-model.md.
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/**
 * What a summary index projects besides the keys: the members of the list views that read it (an incident record
 * summary, a page summary), plus what their order and filters need. Adding a member later means a new index.
 */
export const SUMMARY_ATTRIBUTES = [
  'entityType',
  // ListIncidentRecords' IncidentRecordSummary (and the id that breaks ties in its order)
  'arn',
  'id',
  'title',
  'status',
  'impact',
  'creationTime',
  'resolvedTime',
  'incidentRecordSource',
  // ListPagesByEngagement's Page summary
  'pageId',
  'engagementId',
  'engagementArn',
  'contactArn',
  'sender',
  'incidentId',
  'createdTime',
  'sentTime',
  'deliveryTime',
  'readTime',
] as const;

export type IndexProjection = { type: 'ALL' } | { type: 'INCLUDE'; attributes: readonly string[] };

export interface GlobalIndex {
  name: string;
  partitionKey: string;
  sortKey: string;
  projection: IndexProjection;
}

const ALL: IndexProjection = { type: 'ALL' };
const SUMMARY: IndexProjection = { type: 'INCLUDE', attributes: SUMMARY_ATTRIBUTES };

export const INDEXES = {
  /** Lists of one entity type in a fixed order: response plans, contacts and rotations by name, incidents newest first. */
  byList: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: ALL },
  /** Incidents of one status, newest first; contacts of one type by alias (sparse: only those items carry it). */
  byStatus: { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: ALL },
  /** Incidents of one impact, by status then newest first (summary projection). */
  byImpact: { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk', projection: SUMMARY },
  /**
   * What one principal or engagement owns (summary projection): incidents by their creator, by status then newest
   * first; the pages of one engagement (a contact's engagement inside an escalation), oldest first.
   */
  byOwner: { name: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk', projection: SUMMARY },
} as const satisfies Record<string, GlobalIndex>;

/**
 * Local index: an incident's timeline ordered by event time, a contact's channels by creation, a rotation's overrides
 * by start time (consistent reads, same partition). It projects ALL, and a local index can only be defined when the
 * table is created, so new item types stay out of it unless they need its order (see docs/data-model.md).
 */
export const LOCAL_INDEXES = {
  timelineByTime: { name: 'lsi1', sortKey: 'lsi1sk' },
} as const;

/**
 * The table's change stream carries old and new item images: the stream consumers derive domain events from what
 * changed (lambdas/adapters/dynamodb/change-events.ts).
 */
export const STREAM_VIEW_TYPE = 'NEW_AND_OLD_IMAGES' as const;

/** Attribute DynamoDB's TTL deletes expired idempotency records by. */
export const TTL_ATTRIBUTE = 'expiresAt';

/** Every key attribute is a string. */
export const KEY_ATTRIBUTES = [
  TABLE_KEYS.partitionKey,
  TABLE_KEYS.sortKey,
  ...Object.values(INDEXES).flatMap((index) => [index.partitionKey, index.sortKey]),
  LOCAL_INDEXES.timelineByTime.sortKey,
] as const;
