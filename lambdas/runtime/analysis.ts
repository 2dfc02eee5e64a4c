/**
 * The post-incident analysis capability of the composition root (root.ts): the analysis API's dependencies and the
 * per-incident response facts the response-metrics consumer keeps.
 */
import { createDynamoDbAnalysisStore, createDynamoDbResponseFactsStore } from '#adapters/dynamodb/analysis-store.ts';
import type { AnalysisDependencies } from '#core/analysis/operation.ts';
import type { ResponseFactsStore } from '#core/analysis/ports.ts';
import { engagementsOf } from './paging.ts';
import type { CompositionRoot } from './root.ts';

/** Per-incident response facts (kept by the response-metrics consumer, read by GetResponseMetrics). */
export const responseFactsOf = (root: CompositionRoot): ResponseFactsStore =>
  root.memo('analysis.facts', () => createDynamoDbResponseFactsStore(root.storeOptions));

/** What the post-incident analysis operations need. */
export const analysisOf = (root: CompositionRoot): AnalysisDependencies =>
  root.memo('analysis.dependencies', () => ({
    store: createDynamoDbAnalysisStore(root.storeOptions),
    incidents: root.incidentsStore,
    engagements: engagementsOf(root).store,
    facts: responseFactsOf(root),
  }));
