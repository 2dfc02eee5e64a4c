/**
 * Every operation of the post-incident analysis API by name (routes: lambdas/http/routes.ts, ANALYSIS_ROUTES). Each
 * capability's module is loaded by the first call of one of its operations (`lazy`; a separate chunk in the Lambda
 * bundle): a cold start parses none of them, the first request only the one it calls.
 */
import { lazy, loadedFrom } from '#core/shared/lazy.ts';
import type { AnalysisOperation } from './operation.ts';

const actionItems = loadedFrom(lazy(() => import('./action-items.ts')));
const analyses = loadedFrom(lazy(() => import('./analyses.ts')));
const analysisTimeline = loadedFrom(lazy(() => import('./analysis-timeline.ts')));
const exports = loadedFrom(lazy(() => import('./export.ts')));
const responseMetrics = loadedFrom(lazy(() => import('./response-metrics.ts')));
const templates = loadedFrom(lazy(() => import('./templates.ts')));

export const ANALYSIS_OPERATIONS: Readonly<Record<string, AnalysisOperation>> = {
  CreateAnalysisTemplate: templates((m) => m.createAnalysisTemplate),
  GetAnalysisTemplate: templates((m) => m.getAnalysisTemplate),
  UpdateAnalysisTemplate: templates((m) => m.updateAnalysisTemplate),
  DeleteAnalysisTemplate: templates((m) => m.deleteAnalysisTemplate),
  ListAnalysisTemplates: templates((m) => m.listAnalysisTemplates),
  ListAnalysisTemplateVersions: templates((m) => m.listAnalysisTemplateVersions),
  CreateAnalysis: analyses((m) => m.createAnalysis),
  GetAnalysis: analyses((m) => m.getAnalysis),
  ListAnalyses: analyses((m) => m.listAnalyses),
  UpdateAnalysis: analyses((m) => m.updateAnalysis),
  UpdateAnalysisSection: analyses((m) => m.updateAnalysisSection),
  DeleteAnalysis: analyses((m) => m.deleteAnalysis),
  ListAnalysisTimelineEvents: analysisTimeline((m) => m.listAnalysisTimelineEvents),
  CreateAnalysisTimelineEvent: analysisTimeline((m) => m.createAnalysisTimelineEvent),
  UpdateAnalysisTimelineEvent: analysisTimeline((m) => m.updateAnalysisTimelineEvent),
  DeleteAnalysisTimelineEvent: analysisTimeline((m) => m.deleteAnalysisTimelineEvent),
  ExportAnalysis: exports((m) => m.exportAnalysis),
  CreateActionItem: actionItems((m) => m.createActionItem),
  GetActionItem: actionItems((m) => m.getActionItem),
  UpdateActionItem: actionItems((m) => m.updateActionItem),
  DeleteActionItem: actionItems((m) => m.deleteActionItem),
  ListActionItems: actionItems((m) => m.listActionItems),
  GetIncidentKeyFigures: responseMetrics((m) => m.getIncidentKeyFigures),
  GetResponseMetrics: responseMetrics((m) => m.getResponseMetrics),
};
