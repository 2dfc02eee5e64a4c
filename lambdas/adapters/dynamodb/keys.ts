/**
 * Every key the domain writes, in one place. Layout and access patterns: docs/data-model.md.
 */
import { sha256Hex } from '#core/ids.ts';
import type { IncidentStatus } from '#core/ports.ts';
import { sortableMillis } from '#core/time.ts';
import { INDEXES, LOCAL_INDEXES, TABLE_KEYS } from '#runtime/table-schema.ts';

export const keys = {
  responsePlan: (name: string) => ({ pk: `PLAN#${name}`, sk: 'PLAN' }),
  responsePlanList: (name: string) => ({ gsi1pk: 'PLANS', gsi1sk: name }),
  resourcePolicy: (planName: string, policyId: string) => ({ pk: `PLAN#${planName}`, sk: `POLICY#${policyId}` }),
  resourcePolicyPrefix: 'POLICY#',

  incident: (incidentId: string) => ({ pk: `INC#${incidentId}`, sk: 'INC' }),
  incidentPartition: (incidentId: string) => `INC#${incidentId}`,
  /** Newest first across all incidents; the id breaks ties between equal creation times. */
  incidentList: (creationTime: number, incidentId: string) => ({
    gsi1pk: 'INCIDENTS',
    gsi1sk: `${sortableMillis(creationTime)}#${incidentId}`,
  }),
  incidentByStatus: (status: IncidentStatus, creationTime: number, incidentId: string) => ({
    gsi2pk: `INCIDENTS#${status}`,
    gsi2sk: `${sortableMillis(creationTime)}#${incidentId}`,
  }),
  /** One guard per dedupe key while an incident with that key is open: the dedupe invariant in one item. */
  dedupeGuard: (dedupeKey: string) => ({ pk: `DEDUPE#${sha256Hex(dedupeKey)}`, sk: 'DEDUPE' }),

  timelineEvent: (incidentId: string, eventId: string) => ({ pk: `INC#${incidentId}`, sk: `EVT#${eventId}` }),
  timelineEventPrefix: 'EVT#',
  timelineByTime: (eventTime: number, eventId: string) => ({ lsi1sk: `EVT#${sortableMillis(eventTime)}#${eventId}` }),

  relatedItem: (incidentId: string, generatedId: string) => ({ pk: `INC#${incidentId}`, sk: `REL#${generatedId}` }),
  relatedItemPrefix: 'REL#',

  replicationSet: () => ({ pk: 'REPLICATION_SET', sk: 'REPLICATION_SET' }),

  triggerMapping: (sourceArn: string) => ({ pk: `TRIGGER#${sourceArn}`, sk: 'TRIGGER' }),
} as const;

/** Key attributes a nextToken may carry, per index queried. */
export const pageKeyAttributes = {
  table: [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey],
  byList: [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, INDEXES.byList.partitionKey, INDEXES.byList.sortKey],
  byStatus: [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, INDEXES.byStatus.partitionKey, INDEXES.byStatus.sortKey],
  timelineByTime: [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, LOCAL_INDEXES.timelineByTime.sortKey],
} as const;
