/**
 * The one DynamoDB table's key schema and indexes. Imported by the CDK stack (to create the table), by the local
 * runtime (to create it in DynamoDB Local) and by the adapters (to query it), so the three never drift.
 * Access patterns and item layouts: docs/data-model.md.
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

export const INDEXES = {
  /** Lists of one entity type in a fixed order: response plans, contacts and rotations by name, incidents newest first. */
  byList: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** Incidents of one status, newest first; contacts of one type by alias (sparse: only those items carry it). */
  byStatus: { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  /**
   * Workflows still running (sparse: only those items carry it), by kind and start: ENGAGED root engagements (later,
   * runbooks in progress). The local runtime resumes them after a restart; in AWS, Step Functions keeps them.
   */
  activeWorkflows: { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
} as const;

/**
 * Local index: an incident's timeline ordered by event time, a contact's channels by creation, a rotation's overrides
 * by start time (consistent reads, same partition).
 */
export const LOCAL_INDEXES = {
  timelineByTime: { name: 'lsi1', sortKey: 'lsi1sk' },
} as const;

/** Attribute DynamoDB's TTL deletes expired idempotency records by. */
export const TTL_ATTRIBUTE = 'expiresAt';

/** Every key attribute is a string. */
export const KEY_ATTRIBUTES = [
  TABLE_KEYS.partitionKey,
  TABLE_KEYS.sortKey,
  INDEXES.byList.partitionKey,
  INDEXES.byList.sortKey,
  INDEXES.byStatus.partitionKey,
  INDEXES.byStatus.sortKey,
  INDEXES.activeWorkflows.partitionKey,
  INDEXES.activeWorkflows.sortKey,
  LOCAL_INDEXES.timelineByTime.sortKey,
] as const;
