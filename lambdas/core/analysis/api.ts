/** Every operation of the post-incident analysis API by name (routes: lambdas/http/routes.ts, ANALYSIS_ROUTES). */
import {
  createActionItem,
  deleteActionItem,
  getActionItem,
  listActionItems,
  updateActionItem,
} from './action-items.ts';
import {
  createAnalysis,
  deleteAnalysis,
  getAnalysis,
  listAnalyses,
  updateAnalysis,
  updateAnalysisSection,
} from './analyses.ts';
import {
  createAnalysisTimelineEvent,
  deleteAnalysisTimelineEvent,
  listAnalysisTimelineEvents,
  updateAnalysisTimelineEvent,
} from './analysis-timeline.ts';
import { exportAnalysis } from './export.ts';
import type { AnalysisOperation } from './operation.ts';
import { getIncidentKeyFigures, getResponseMetrics } from './response-metrics.ts';
import {
  createAnalysisTemplate,
  deleteAnalysisTemplate,
  getAnalysisTemplate,
  listAnalysisTemplates,
  listAnalysisTemplateVersions,
  updateAnalysisTemplate,
} from './templates.ts';

export const ANALYSIS_OPERATIONS: Readonly<Record<string, AnalysisOperation>> = {
  CreateAnalysisTemplate: createAnalysisTemplate,
  GetAnalysisTemplate: getAnalysisTemplate,
  UpdateAnalysisTemplate: updateAnalysisTemplate,
  DeleteAnalysisTemplate: deleteAnalysisTemplate,
  ListAnalysisTemplates: listAnalysisTemplates,
  ListAnalysisTemplateVersions: listAnalysisTemplateVersions,
  CreateAnalysis: createAnalysis,
  GetAnalysis: getAnalysis,
  ListAnalyses: listAnalyses,
  UpdateAnalysis: updateAnalysis,
  UpdateAnalysisSection: updateAnalysisSection,
  DeleteAnalysis: deleteAnalysis,
  ListAnalysisTimelineEvents: listAnalysisTimelineEvents,
  CreateAnalysisTimelineEvent: createAnalysisTimelineEvent,
  UpdateAnalysisTimelineEvent: updateAnalysisTimelineEvent,
  DeleteAnalysisTimelineEvent: deleteAnalysisTimelineEvent,
  ExportAnalysis: exportAnalysis,
  CreateActionItem: createActionItem,
  GetActionItem: getActionItem,
  UpdateActionItem: updateActionItem,
  DeleteActionItem: deleteActionItem,
  ListActionItems: listActionItems,
  GetIncidentKeyFigures: getIncidentKeyFigures,
  GetResponseMetrics: getResponseMetrics,
};
