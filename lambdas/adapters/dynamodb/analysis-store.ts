/** The DynamoDB implementations of the analysis core's ports, on the one table. */
import type { AnalysisStore, ResponseFactsStore } from '#core/analysis/ports.ts';
import * as actionItems from './action-items.ts';
import * as analyses from './analyses.ts';
import * as templates from './analysis-templates.ts';
import * as facts from './response-facts.ts';
import type { StoreOptions } from './store.ts';
import { Table } from './table.ts';

export function createDynamoDbAnalysisStore(options: StoreOptions): AnalysisStore {
  const t = new Table(options.client, options.tableName, options.idempotencyWindowSeconds);
  return {
    previousResult: async (key, now) => (await t.recordedResult<never>(key, now))?.result,

    createTemplate: (...a) => templates.createTemplate(t, ...a),
    getTemplate: (...a) => templates.getTemplate(t, ...a),
    getTemplateVersion: (...a) => templates.getTemplateVersion(t, ...a),
    updateTemplate: (...a) => templates.updateTemplate(t, ...a),
    deleteTemplate: (...a) => templates.deleteTemplate(t, ...a),
    listTemplates: (...a) => templates.listTemplates(t, ...a),
    listTemplateVersions: (...a) => templates.listTemplateVersions(t, ...a),

    claimedAnalysisOf: (...a) => analyses.claimedAnalysisOf(t, ...a),
    writeTimelineCopy: (...a) => analyses.writeTimelineCopy(t, ...a),
    createAnalysis: (...a) => analyses.createAnalysis(t, ...a),
    getAnalysis: (...a) => analyses.getAnalysis(t, ...a),
    getAnalysisRecord: (...a) => analyses.getAnalysisRecord(t, ...a),
    replaceAnalysis: (...a) => analyses.replaceAnalysis(t, ...a),
    replaceSection: (...a) => analyses.replaceSection(t, ...a),
    deleteAnalysis: (...a) => analyses.deleteAnalysis(t, ...a),
    listAnalyses: (...a) => analyses.listAnalyses(t, ...a),

    listTimeline: (...a) => analyses.listTimeline(t, ...a),
    getTimelineEvent: (...a) => analyses.getTimelineEvent(t, ...a),
    putTimelineEvent: (...a) => analyses.putTimelineEvent(t, ...a),
    deleteTimelineEvent: (...a) => analyses.deleteTimelineEvent(t, ...a),

    createActionItem: (...a) => actionItems.createActionItem(t, ...a),
    countActionItems: (...a) => actionItems.countActionItems(t, ...a),
    getActionItem: (...a) => actionItems.getActionItem(t, ...a),
    replaceActionItem: (...a) => actionItems.replaceActionItem(t, ...a),
    deleteActionItem: (...a) => actionItems.deleteActionItem(t, ...a),
    listActionItems: (...a) => actionItems.listActionItems(t, ...a),
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
