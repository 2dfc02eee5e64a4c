/**
 * The post-incident analysis API's operations, typed (docs/post-incident-analysis.md), over a SignedRestClient with
 * explicit credentials: browser-safe, so the web console uses it too. Scripts use AnalysisClient, which adds the
 * AWS SDK's default credential chain.
 */
import { ANALYSIS_ROUTES } from '../../lambdas/http/routes.ts';
import type * as T from './analysis-types.ts';
import { SignedRestClient, type SignedRestClientConfig } from './signed-rest-client.ts';

const ROUTES = new Map(ANALYSIS_ROUTES.map((r) => [r.operation, r]));

/** Operations whose input has a clientToken: filled when absent, as the AWS SDKs do for idempotent operations. */
const TOKEN_OPERATIONS = new Set([
  'CreateAnalysisTemplate',
  'UpdateAnalysisTemplate',
  'CreateAnalysis',
  'UpdateAnalysis',
  'UpdateAnalysisSection',
  'CreateAnalysisTimelineEvent',
  'UpdateAnalysisTimelineEvent',
  'CreateActionItem',
  'UpdateActionItem',
]);

export class AnalysisOperations {
  private readonly rest: SignedRestClient;

  constructor(config: SignedRestClientConfig) {
    this.rest = new SignedRestClient(config);
  }

  // ---- templates ----
  createAnalysisTemplate = (input: T.CreateAnalysisTemplateInput) =>
    this.call<T.TemplateRef>('CreateAnalysisTemplate', input);
  getAnalysisTemplate = (input: T.GetAnalysisTemplateInput) =>
    this.call<{ template: T.AnalysisTemplate }>('GetAnalysisTemplate', input);
  updateAnalysisTemplate = (input: T.UpdateAnalysisTemplateInput) =>
    this.call<T.TemplateRef>('UpdateAnalysisTemplate', input);
  deleteAnalysisTemplate = (input: { name: string }) => this.call<void>('DeleteAnalysisTemplate', input);
  listAnalysisTemplates = (input: T.ListInput = {}) =>
    this.call<{ analysisTemplateSummaries: T.AnalysisTemplateSummary[]; nextToken?: string }>(
      'ListAnalysisTemplates',
      input,
    );
  listAnalysisTemplateVersions = (input: { name: string } & T.ListInput) =>
    this.call<{
      templateVersions: { templateVersion: number; displayName?: string; createdTime?: Date; createdBy?: string }[];
      nextToken?: string;
    }>('ListAnalysisTemplateVersions', input);

  // ---- analyses ----
  createAnalysis = (input: T.CreateAnalysisInput) => this.call<{ analysisArn: string }>('CreateAnalysis', input);
  getAnalysis = (input: { arn: string }) => this.call<{ analysis: T.Analysis }>('GetAnalysis', input);
  listAnalyses = (input: T.ListAnalysesInput = {}) =>
    this.call<{ analysisSummaries: T.AnalysisSummary[]; nextToken?: string }>('ListAnalyses', input);
  updateAnalysis = (input: T.UpdateAnalysisInput) => this.call<void>('UpdateAnalysis', input);
  updateAnalysisSection = (input: T.UpdateAnalysisSectionInput) =>
    this.call<{ sectionId: string; version: number }>('UpdateAnalysisSection', input);
  deleteAnalysis = (input: { arn: string }) => this.call<void>('DeleteAnalysis', input);
  listAnalysisTimelineEvents = (input: T.ListAnalysisTimelineEventsInput) =>
    this.call<{ events: T.AnalysisTimelineEvent[]; nextToken?: string }>('ListAnalysisTimelineEvents', input);
  createAnalysisTimelineEvent = (input: T.CreateAnalysisTimelineEventInput) =>
    this.call<{ analysisArn: string; eventId: string }>('CreateAnalysisTimelineEvent', input);
  updateAnalysisTimelineEvent = (input: T.UpdateAnalysisTimelineEventInput) =>
    this.call<void>('UpdateAnalysisTimelineEvent', input);
  deleteAnalysisTimelineEvent = (input: { analysisArn: string; eventId: string }) =>
    this.call<void>('DeleteAnalysisTimelineEvent', input);
  exportAnalysis = (input: T.ExportAnalysisInput) => this.call<T.ExportAnalysisOutput>('ExportAnalysis', input);

  // ---- action items ----
  createActionItem = (input: T.CreateActionItemInput) =>
    this.call<{ actionItemArn: string }>('CreateActionItem', input);
  getActionItem = (input: { arn: string }) => this.call<{ actionItem: T.ActionItem }>('GetActionItem', input);
  updateActionItem = (input: T.UpdateActionItemInput) => this.call<void>('UpdateActionItem', input);
  deleteActionItem = (input: { arn: string }) => this.call<void>('DeleteActionItem', input);
  listActionItems = (input: T.ListActionItemsInput = {}) =>
    this.call<{ actionItems: T.ActionItem[]; nextToken?: string }>('ListActionItems', input);

  // ---- figures and metrics ----
  getIncidentKeyFigures = (input: { incidentRecordArn: string }) =>
    this.call<{ incidentRecordArn: string; status: 'OPEN' | 'RESOLVED'; keyFigures: T.KeyFigures }>(
      'GetIncidentKeyFigures',
      input,
    );
  getResponseMetrics = (input: T.GetResponseMetricsInput = {}) =>
    this.call<T.ResponseMetrics>('GetResponseMetrics', input);

  /** Every item of a paged list operation, page by page. */
  async *paginate<I extends T.ListInput, O extends { nextToken?: string }, K extends keyof O>(
    list: (input: I) => Promise<O>,
    input: I,
    itemsKey: K,
  ): AsyncGenerator<O[K] extends (infer E)[] | undefined ? E : never> {
    let nextToken: string | undefined;
    do {
      const page = await list({ ...input, ...(nextToken ? { nextToken } : {}) });
      for (const item of (page[itemsKey] as unknown[] | undefined) ?? []) yield item as never;
      nextToken = page.nextToken;
    } while (nextToken);
  }

  /** Calls an operation by name (the typed methods above all come here). */
  call<O>(operation: string, input: object): Promise<O> {
    const route = ROUTES.get(operation);
    if (!route) return Promise.reject(new Error(`Unknown analysis operation ${operation}`));
    return this.rest.call<O>(route, input, TOKEN_OPERATIONS.has(operation));
  }
}
