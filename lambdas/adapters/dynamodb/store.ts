/** The DynamoDB implementation of the core's IncidentsStore port. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { IncidentsStore } from '#core/incidents/ports.ts';
import * as incidents from './incidents.ts';
import { OpenIncidentCache } from './open-incident-cache.ts';
import * as relatedItems from './related-items.ts';
import * as replicationSet from './replication-set.ts';
import * as responsePlans from './response-plans.ts';
import { Table } from './table.ts';
import * as tags from './tags.ts';
import * as timeline from './timeline.ts';
import * as triggerMappings from './trigger-mappings.ts';

export interface StoreOptions {
  client: DynamoDBClient;
  tableName: string;
  idempotencyWindowSeconds: number;
}

export function createDynamoDbIncidentsStore(options: StoreOptions): IncidentsStore {
  const t = new Table(options.client, options.tableName, options.idempotencyWindowSeconds);
  const openIncidents = new OpenIncidentCache();
  return {
    recordedResult: (...a) => t.recordedResult(...a),
    createResponsePlan: (...a) => responsePlans.createResponsePlan(t, ...a),
    getResponsePlan: (...a) => responsePlans.getResponsePlan(t, ...a),
    replaceResponsePlan: (...a) => responsePlans.replaceResponsePlan(t, ...a),
    deleteResponsePlan: (...a) => responsePlans.deleteResponsePlan(t, ...a),
    listResponsePlans: (...a) => responsePlans.listResponsePlans(t, ...a),
    putResourcePolicy: (...a) => responsePlans.putResourcePolicy(t, ...a),
    listResourcePolicies: (...a) => responsePlans.listResourcePolicies(t, ...a),
    deleteResourcePolicy: (...a) => responsePlans.deleteResourcePolicy(t, ...a),

    startIncident: (...a) => incidents.startIncident(t, openIncidents, ...a),
    getIncident: (...a) => incidents.getIncident(t, ...a),
    updateIncident: (...a) => incidents.updateIncident(t, ...a),
    deleteIncident: (...a) => incidents.deleteIncident(t, ...a),
    listIncidents: (...a) => incidents.listIncidents(t, ...a),

    createTimelineEvent: (...a) => timeline.createTimelineEvent(t, ...a),
    getTimelineEvent: (...a) => timeline.getTimelineEvent(t, ...a),
    replaceTimelineEvent: (...a) => timeline.replaceTimelineEvent(t, ...a),
    deleteTimelineEvent: (...a) => timeline.deleteTimelineEvent(t, ...a),
    listTimelineEvents: (...a) => timeline.listTimelineEvents(t, ...a),
    listTimelineEventRecords: (...a) => timeline.listTimelineEventRecords(t, ...a),

    addRelatedItem: (...a) => relatedItems.addRelatedItem(t, ...a),
    removeRelatedItem: (...a) => relatedItems.removeRelatedItem(t, ...a),
    listRelatedItems: (...a) => relatedItems.listRelatedItems(t, ...a),

    getTags: (...a) => tags.getTags(t, ...a),
    replaceTags: (...a) => tags.replaceTags(t, ...a),

    getOpenIncidentByDedupeKey: (...a) => triggerMappings.getOpenIncidentByDedupeKey(t, ...a),
    getTriggerMapping: (...a) => triggerMappings.getTriggerMapping(t, ...a),
    putTriggerMapping: (...a) => triggerMappings.putTriggerMapping(t, ...a),
    deleteTriggerMapping: (...a) => triggerMappings.deleteTriggerMapping(t, ...a),

    getReplicationSet: () => replicationSet.getReplicationSet(t),
    createReplicationSet: (...a) => replicationSet.createReplicationSet(t, ...a),
    replaceReplicationSet: (...a) => replicationSet.replaceReplicationSet(t, ...a),
    deleteReplicationSet: () => replicationSet.deleteReplicationSet(t),
  };
}
