/** The DynamoDB implementation of the core's IncidentsStore port. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { IncidentsStore } from '#core/incidents/ports.ts';
import { incidentStoreFunctions, startIncident } from './incidents.ts';
import { OpenIncidentCache } from './open-incident-cache.ts';
import { relatedItemStoreFunctions } from './related-items.ts';
import { replicationSetStoreFunctions } from './replication-set.ts';
import { responsePlanStoreFunctions } from './response-plans.ts';
import { bindTable, Table } from './table.ts';
import { tagStoreFunctions } from './tags.ts';
import { timelineStoreFunctions } from './timeline.ts';
import { triggerMappingStoreFunctions } from './trigger-mappings.ts';

export interface StoreOptions {
  client: DynamoDBClient;
  tableName: string;
  idempotencyWindowSeconds: number;
}

export function createDynamoDbIncidentsStore(options: StoreOptions): IncidentsStore {
  const table = new Table(options.client, options.tableName, options.idempotencyWindowSeconds);
  // Open incidents by dedupe key, kept for the life of the store (the function instance): see open-incident-cache.ts.
  const openIncidents = new OpenIncidentCache();
  return {
    recordedResult: (key, now) => table.recordedResult(key, now),
    startIncident: (...args) => startIncident(table, openIncidents, ...args),
    ...bindTable(table, incidentStoreFunctions),
    ...bindTable(table, responsePlanStoreFunctions),
    ...bindTable(table, timelineStoreFunctions),
    ...bindTable(table, relatedItemStoreFunctions),
    ...bindTable(table, tagStoreFunctions),
    ...bindTable(table, triggerMappingStoreFunctions),
    ...bindTable(table, replicationSetStoreFunctions),
  } satisfies IncidentsStore;
}
