/**
 * The DynamoDB implementations of the analysis core's ports, on the one table. The analysis store's modules are
 * loaded by the first call that needs them (`lazy`, as in store.ts); the response facts, which the incident reactor
 * updates on every incident change, are not.
 */
import type { AnalysisStore, ResponseFactsStore } from '#core/analysis/ports.ts';
import { lazy } from '#core/shared/lazy.ts';
import * as facts from './response-facts.ts';
import type { StoreOptions } from './store.ts';
import { Table } from './table.ts';

const actionItems = lazy(() => import('./action-items.ts'));
const analyses = lazy(() => import('./analyses.ts'));
const templates = lazy(() => import('./analysis-templates.ts'));

export function createDynamoDbAnalysisStore(options: StoreOptions): AnalysisStore {
  const t = new Table(options.client, options.tableName, options.idempotencyWindowSeconds);
  return {
    previousResult: async (key, now) => (await t.recordedResult<never>(key, now))?.result,

    createTemplate: async (...a) => (await templates()).createTemplate(t, ...a),
    getTemplate: async (...a) => (await templates()).getTemplate(t, ...a),
    getTemplateVersion: async (...a) => (await templates()).getTemplateVersion(t, ...a),
    updateTemplate: async (...a) => (await templates()).updateTemplate(t, ...a),
    deleteTemplate: async (...a) => (await templates()).deleteTemplate(t, ...a),
    listTemplates: async (...a) => (await templates()).listTemplates(t, ...a),
    listTemplateVersions: async (...a) => (await templates()).listTemplateVersions(t, ...a),

    claimedAnalysisOf: async (...a) => (await analyses()).claimedAnalysisOf(t, ...a),
    writeTimelineCopy: async (...a) => (await analyses()).writeTimelineCopy(t, ...a),
    createAnalysis: async (...a) => (await analyses()).createAnalysis(t, ...a),
    getAnalysis: async (...a) => (await analyses()).getAnalysis(t, ...a),
    getAnalysisRecord: async (...a) => (await analyses()).getAnalysisRecord(t, ...a),
    replaceAnalysis: async (...a) => (await analyses()).replaceAnalysis(t, ...a),
    replaceSection: async (...a) => (await analyses()).replaceSection(t, ...a),
    deleteAnalysis: async (...a) => (await analyses()).deleteAnalysis(t, ...a),
    listAnalyses: async (...a) => (await analyses()).listAnalyses(t, ...a),

    listTimeline: async (...a) => (await analyses()).listTimeline(t, ...a),
    getTimelineEvent: async (...a) => (await analyses()).getTimelineEvent(t, ...a),
    putTimelineEvent: async (...a) => (await analyses()).putTimelineEvent(t, ...a),
    deleteTimelineEvent: async (...a) => (await analyses()).deleteTimelineEvent(t, ...a),

    createActionItem: async (...a) => (await actionItems()).createActionItem(t, ...a),
    countActionItems: async (...a) => (await actionItems()).countActionItems(t, ...a),
    getActionItem: async (...a) => (await actionItems()).getActionItem(t, ...a),
    replaceActionItem: async (...a) => (await actionItems()).replaceActionItem(t, ...a),
    deleteActionItem: async (...a) => (await actionItems()).deleteActionItem(t, ...a),
    listActionItems: async (...a) => (await actionItems()).listActionItems(t, ...a),
  };
}

export function createDynamoDbResponseFactsStore(options: StoreOptions): ResponseFactsStore {
  const t = new Table(options.client, options.tableName, options.idempotencyWindowSeconds);
  return {
    recordOpened: (...a) => facts.recordOpened(t, ...a),
    ensureFacts: (...a) => facts.ensureFacts(t, ...a),
    getFacts: (...a) => facts.getFacts(t, ...a),
    recordResolved: (...a) => facts.recordResolved(t, ...a),
    recordReopened: (...a) => facts.recordReopened(t, ...a),
    recordImpact: (...a) => facts.recordImpact(t, ...a),
    addPage: (...a) => facts.addPage(t, ...a),
    recordAcknowledgement: (...a) => facts.recordAcknowledgement(t, ...a),
    deleteFacts: (...a) => facts.deleteFacts(t, ...a),
    listFacts: (...a) => facts.listFacts(t, ...a),
  };
}
