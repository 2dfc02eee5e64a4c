/** What every analysis operation receives. */
import type { EngagementStore } from '#core/contacts/engagements/model.ts';
import type { IncidentsStore } from '#core/incidents/ports.ts';
import type { RequestContext } from '#core/shared/service-context.ts';
import type { AnalysisStore, ResponseFactsStore } from './ports.ts';

export interface AnalysisDependencies {
  store: AnalysisStore;
  /** The incidents the analyses are about: read for snapshots and key figures; the ANALYSIS related item is added here. */
  incidents: IncidentsStore;
  /** Who was paged and who acknowledged (the paging engine's records, read only). */
  engagements: Pick<EngagementStore, 'listEngagements' | 'pagesOfTree'>;
  facts: ResponseFactsStore;
}

/**
 * Input members (body, query string) in, output members out; undefined for a 204 without a body. The outputs'
 * contract is the typed client's (lib/client/analysis-types.ts); operations are declared `satisfies
 * AnalysisOperation` so that the type test (test/unit/operation-outputs.test.ts) sees each one's own output type.
 */
export type AnalysisOperation = (
  deps: AnalysisDependencies,
  ctx: RequestContext,
  input: unknown,
) => Promise<object | undefined>;
