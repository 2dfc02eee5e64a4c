/**
 * The DynamoDB implementation of the core's IncidentsStore port. Each entity's module is loaded by the first call
 * that needs it (`lazy`): a function that builds the store at init but only ever reads incidents never parses the
 * code of response plans, tags or trigger mappings.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { IncidentsStore } from '#core/incidents/ports.ts';
import { lazy } from '#core/shared/lazy.ts';
import { OpenIncidentCache } from './open-incident-cache.ts';
import { Table } from './table.ts';

const incidents = lazy(() => import('./incidents.ts'));
const relatedItems = lazy(() => import('./related-items.ts'));
const replicationSet = lazy(() => import('./replication-set.ts'));
const responsePlans = lazy(() => import('./response-plans.ts'));
const tags = lazy(() => import('./tags.ts'));
const timeline = lazy(() => import('./timeline.ts'));
const triggerMappings = lazy(() => import('./trigger-mappings.ts'));

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
    createResponsePlan: async (...a) => (await responsePlans()).createResponsePlan(t, ...a),
    getResponsePlan: async (...a) => (await responsePlans()).getResponsePlan(t, ...a),
    replaceResponsePlan: async (...a) => (await responsePlans()).replaceResponsePlan(t, ...a),
    deleteResponsePlan: async (...a) => (await responsePlans()).deleteResponsePlan(t, ...a),
    listResponsePlans: async (...a) => (await responsePlans()).listResponsePlans(t, ...a),
    putResourcePolicy: async (...a) => (await responsePlans()).putResourcePolicy(t, ...a),
    listResourcePolicies: async (...a) => (await responsePlans()).listResourcePolicies(t, ...a),
    deleteResourcePolicy: async (...a) => (await responsePlans()).deleteResourcePolicy(t, ...a),

    startIncident: async (...a) => (await incidents()).startIncident(t, openIncidents, ...a),
    getIncident: async (...a) => (await incidents()).getIncident(t, ...a),
    updateIncident: async (...a) => (await incidents()).updateIncident(t, ...a),
    deleteIncident: async (...a) => (await incidents()).deleteIncident(t, ...a),
    listIncidents: async (...a) => (await incidents()).listIncidents(t, ...a),

    createTimelineEvent: async (...a) => (await timeline()).createTimelineEvent(t, ...a),
    getTimelineEvent: async (...a) => (await timeline()).getTimelineEvent(t, ...a),
    replaceTimelineEvent: async (...a) => (await timeline()).replaceTimelineEvent(t, ...a),
    deleteTimelineEvent: async (...a) => (await timeline()).deleteTimelineEvent(t, ...a),
    listTimelineEvents: async (...a) => (await timeline()).listTimelineEvents(t, ...a),
    listTimelineEventRecords: async (...a) => (await timeline()).listTimelineEventRecords(t, ...a),

    addRelatedItem: async (...a) => (await relatedItems()).addRelatedItem(t, ...a),
    removeRelatedItem: async (...a) => (await relatedItems()).removeRelatedItem(t, ...a),
    listRelatedItems: async (...a) => (await relatedItems()).listRelatedItems(t, ...a),

    getTags: async (...a) => (await tags()).getTags(t, ...a),
    replaceTags: async (...a) => (await tags()).replaceTags(t, ...a),

    getOpenIncidentByDedupeKey: async (...a) => (await triggerMappings()).getOpenIncidentByDedupeKey(t, ...a),
    getTriggerMapping: async (...a) => (await triggerMappings()).getTriggerMapping(t, ...a),
    putTriggerMapping: async (...a) => (await triggerMappings()).putTriggerMapping(t, ...a),
    deleteTriggerMapping: async (...a) => (await triggerMappings()).deleteTriggerMapping(t, ...a),

    getReplicationSet: async () => (await replicationSet()).getReplicationSet(t),
    createReplicationSet: async (...a) => (await replicationSet()).createReplicationSet(t, ...a),
    replaceReplicationSet: async (...a) => (await replicationSet()).replaceReplicationSet(t, ...a),
    deleteReplicationSet: async () => (await replicationSet()).deleteReplicationSet(t),
  };
}
