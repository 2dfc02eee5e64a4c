/**
 * What the analysis core needs from storage, in domain words (the DynamoDB adapter: lambdas/adapters/dynamodb/
 * analyses.ts and friends). Records are camelCase with epoch-millisecond instants; operations convert to the wire.
 */
import type { ItemIdentifier } from '#core/incidents/shapes.ts';
import type { IdempotencyKey, Page, Tags, Versioned } from '#core/shared/storage.ts';
import type { ImpactChange, KeyFigures, StatusChange } from './key-figures.ts';
import type { TemplateComponent } from './template-document.ts';

// ---- templates ------------------------------------------------------------------------------------------------

export interface AnalysisTemplateRecord {
  arn: string;
  name: string;
  displayName?: string;
  description?: string;
  /** The newest version (1, 2, ...): every update adds one, old versions stay readable. */
  templateVersion: number;
  /** The template's JSON text, Incident Manager's ProblemAnalysisTemplate content. */
  content: string;
  tags: Tags;
  createdTime: number;
  createdBy: string;
  lastModifiedTime: number;
  lastModifiedBy: string;
}

export interface AnalysisTemplateVersionRecord {
  name: string;
  templateVersion: number;
  content: string;
  displayName?: string;
  description?: string;
  createdTime: number;
  createdBy: string;
}

// ---- analyses -------------------------------------------------------------------------------------------------

export type AnalysisStatus = 'DRAFT' | 'IN_REVIEW' | 'PUBLISHED';
export const ANALYSIS_STATUSES = ['DRAFT', 'IN_REVIEW', 'PUBLISHED'] as const satisfies readonly AnalysisStatus[];

/** The incident as it was when the analysis was created. */
export interface IncidentSnapshot {
  arn: string;
  title: string;
  summary?: string;
  status: 'OPEN' | 'RESOLVED';
  impact: number;
  impactHistory: ImpactChange[];
  statusHistory: StatusChange[];
  creationTime: number;
  resolvedTime?: number;
  source: { source: string; createdBy: string; resourceArn?: string; invokedBy?: string };
  responsePlan: {
    name: string;
    arn: string;
    /** What the plan held when the analysis was created (absent when it was deleted since). */
    displayName?: string;
    engagements?: string[];
    runbook?: string;
  };
}

export interface PageSnapshot {
  pageArn: string;
  contactArn: string;
  channelType: string;
  stageIndex: number;
  createdTime: number;
  sentTime?: number;
  deliveryTime?: number;
  readTime?: number;
  stopTime?: number;
}

export interface EngagementSnapshot {
  engagementArn: string;
  contactArn: string;
  contactType: string;
  status: string;
  startTime: number;
  stopTime?: number;
  /** Stages the engagement ran, of how many its plan had. */
  stagesRun: number;
  stages: number;
  /** The engagement that engaged this one (an escalation plan or on-call schedule), if any. */
  parentEngagementArn?: string;
  pages: PageSnapshot[];
}

export interface MetricSnapshot {
  title?: string;
  identifier: ItemIdentifier;
}

export interface AnalysisRecord {
  arn: string;
  analysisId: string;
  title: string;
  status: AnalysisStatus;
  incidentRecordArn: string;
  incidentId: string;
  template: { name: string; templateVersion: number };
  /** Section ids in the template's order. */
  sectionIds: string[];
  incident: IncidentSnapshot;
  keyFigures: KeyFigures;
  metrics: MetricSnapshot[];
  engagements: EngagementSnapshot[];
  /** True when the incident had more pages than the snapshot keeps (the key figures still count them all). */
  pagesTruncated?: boolean;
  tags: Tags;
  createdTime: number;
  createdBy: string;
  lastModifiedTime: number;
  lastModifiedBy: string;
  publishedTime?: number;
}

/** One section of an analysis: the template's definition and the answers, versioned on its own. */
export interface SectionRecord {
  sectionId: string;
  position: number;
  name: string;
  components: TemplateComponent[];
  /** Markdown answers by question id. */
  answers: Record<string, string>;
  /** Checklist items by id: true when checked. */
  checked: Record<string, boolean>;
  lastModifiedTime?: number;
  lastModifiedBy?: string;
}

export type TimelineOrigin = 'INCIDENT' | 'ANALYSIS';

export interface AnalysisTimelineEventRecord {
  eventId: string;
  eventTime: number;
  eventUpdatedTime: number;
  eventType: string;
  eventData: string;
  eventReferences?: ({ resource: string } | { relatedItemId: string })[];
  /** Copied from the incident, or added in the analysis. */
  origin: TimelineOrigin;
}

export interface AnalysisQuery {
  incidentId?: string;
  status?: AnalysisStatus;
}

export interface FullAnalysis {
  analysis: Versioned<AnalysisRecord>;
  sections: Versioned<SectionRecord>[];
  actionItems: ActionItemRecord[];
}

// ---- action items ---------------------------------------------------------------------------------------------

export type ActionItemStatus = 'OPEN' | 'IN_PROGRESS' | 'DONE' | 'DISMISSED';
export const ACTION_ITEM_STATUSES = [
  'OPEN',
  'IN_PROGRESS',
  'DONE',
  'DISMISSED',
] as const satisfies readonly ActionItemStatus[];
export type ActionItemPriority = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
export const ACTION_ITEM_PRIORITIES = [
  'CRITICAL',
  'HIGH',
  'MEDIUM',
  'LOW',
] as const satisfies readonly ActionItemPriority[];

export interface ActionItemRecord {
  arn: string;
  actionItemId: string;
  analysisArn: string;
  analysisId: string;
  incidentRecordArn: string;
  title: string;
  description?: string;
  /** A contact ARN (ssm-contacts). */
  owner?: string;
  priority: ActionItemPriority;
  dueDate?: number;
  status: ActionItemStatus;
  /** Where the work is tracked (a Jira issue, a ticket URL). */
  trackingLink?: string;
  createdTime: number;
  createdBy: string;
  lastModifiedTime: number;
  lastModifiedBy: string;
  /** When it became DONE or DISMISSED. */
  closedTime?: number;
}

export interface ActionItemQuery {
  status?: ActionItemStatus;
  analysisId?: string;
  owner?: string;
}

/** Outcome of a conditional write against an analysis that may have been published meanwhile. */
export type SectionWrite =
  | { ok: true }
  | { ok: false; reason: 'stale'; current?: number }
  | { ok: false; reason: 'published' };

export interface AnalysisStore {
  // Templates
  /** ConflictError when the name is taken. */
  createTemplate(
    template: AnalysisTemplateRecord,
    idempotency: IdempotencyKey | undefined,
    now: number,
  ): Promise<{ replayed: boolean }>;
  getTemplate(name: string): Promise<Versioned<AnalysisTemplateRecord> | undefined>;
  getTemplateVersion(name: string, templateVersion: number): Promise<AnalysisTemplateVersionRecord | undefined>;
  /** Writes the new head and its version record; StaleVersionError when the head changed since `expectedVersion`. */
  updateTemplate(
    template: AnalysisTemplateRecord,
    expectedVersion: number,
    idempotency: IdempotencyKey | undefined,
    now: number,
  ): Promise<{ replayed: boolean; templateVersion: number }>;
  deleteTemplate(name: string): Promise<void>;
  listTemplates(maxResults: number, nextToken: string | undefined): Promise<Page<AnalysisTemplateRecord>>;
  listTemplateVersions(
    name: string,
    maxResults: number,
    nextToken: string | undefined,
  ): Promise<Page<AnalysisTemplateVersionRecord>>;

  /**
   * A clientToken's stored result, read before expensive work: undefined when the token is new (or expired);
   * ConflictError when it was used with different input.
   */
  previousResult<T>(idempotency: IdempotencyKey, now: number): Promise<T | undefined>;

  // Analyses
  /** The analysis that holds the incident's one-per-incident claim, if any. */
  claimedAnalysisOf(incidentId: string): Promise<string | undefined>;
  /** Writes the copy of the incident's timeline (idempotent puts; invisible until the analysis exists). */
  writeTimelineCopy(analysisId: string, events: readonly AnalysisTimelineEventRecord[]): Promise<void>;
  /**
   * Writes the analysis and its sections, and (with `claimIncident`) the incident's one-per-incident claim, all or
   * nothing. Returns the replayed result for a repeated clientToken; ConflictError naming the analysis that holds the
   * claim when the incident already has one.
   */
  createAnalysis(
    analysis: AnalysisRecord,
    sections: SectionRecord[],
    claimIncident: boolean,
    idempotency: IdempotencyKey | undefined,
    now: number,
  ): Promise<{ analysisArn: string; replayed: boolean }>;
  /** The analysis, its sections and its action items (one consistent read). */
  getAnalysis(analysisId: string): Promise<FullAnalysis | undefined>;
  getAnalysisRecord(analysisId: string): Promise<Versioned<AnalysisRecord> | undefined>;
  /** StaleVersionError when it changed since `expectedVersion`. */
  replaceAnalysis(
    analysis: AnalysisRecord,
    expectedVersion: number,
    idempotency: IdempotencyKey | undefined,
    now: number,
  ): Promise<void>;
  /** Replaces a section if it still has `expectedVersion` and the analysis is not published. */
  replaceSection(
    analysisId: string,
    section: SectionRecord,
    expectedVersion: number,
    idempotency: IdempotencyKey | undefined,
    now: number,
  ): Promise<SectionWrite>;
  /** Deletes the analysis with its sections, timeline copy and action items, and releases its incident claim. */
  deleteAnalysis(analysis: AnalysisRecord): Promise<void>;
  listAnalyses(query: AnalysisQuery, maxResults: number, nextToken: string | undefined): Promise<Page<AnalysisRecord>>;

  // The analysis's copy of the timeline
  listTimeline(
    analysisId: string,
    ascending: boolean,
    maxResults: number,
    nextToken: string | undefined,
  ): Promise<Page<AnalysisTimelineEventRecord>>;
  getTimelineEvent(analysisId: string, eventId: string): Promise<AnalysisTimelineEventRecord | undefined>;
  /**
   * Creates (previous undefined) or replaces an event while the analysis is not published; a replacement also needs
   * the event unchanged since `previous` was read.
   */
  putTimelineEvent(
    analysisId: string,
    event: AnalysisTimelineEventRecord,
    previous: AnalysisTimelineEventRecord | undefined,
    idempotency: IdempotencyKey | undefined,
    now: number,
  ): Promise<SectionWrite>;
  deleteTimelineEvent(analysisId: string, eventId: string): Promise<SectionWrite>;

  // Action items
  /** ResourceNotFoundError when the analysis is gone. */
  createActionItem(
    item: ActionItemRecord,
    idempotency: IdempotencyKey | undefined,
    now: number,
  ): Promise<{ replayed: boolean; arn: string }>;
  countActionItems(analysisId: string): Promise<number>;
  getActionItem(analysisId: string, itemId: string): Promise<Versioned<ActionItemRecord> | undefined>;
  /** StaleVersionError when it changed since `expectedVersion`. */
  replaceActionItem(
    item: ActionItemRecord,
    expectedVersion: number,
    idempotency: IdempotencyKey | undefined,
    now: number,
  ): Promise<void>;
  deleteActionItem(analysisId: string, itemId: string): Promise<void>;
  listActionItems(
    query: ActionItemQuery,
    maxResults: number,
    nextToken: string | undefined,
  ): Promise<Page<ActionItemRecord>>;
}

// ---- response facts (what the response metrics are computed from) ---------------------------------------------

export interface ResponseFactsRecord {
  incidentArn: string;
  incidentId: string;
  responsePlanName: string;
  impact: number;
  source: string;
  creationTime: number;
  resolvedTime?: number;
  firstAcknowledgementTime?: number;
  /** Pages sent for the incident (a set: a redelivered PageCreated adds nothing). */
  pageCount: number;
}

export interface IncidentFactsInput {
  incidentArn: string;
  incidentId: string;
  responsePlanName: string;
  impact: number;
  source: string;
  creationTime: number;
}

/**
 * Per-incident response facts, maintained from domain events by ResponseMetricsConsumer and read by
 * GetResponseMetrics. Each recording method reports whether it changed anything, so the consumer publishes a
 * CloudWatch data point once per fact even when an event is delivered twice.
 */
export interface ResponseFactsStore {
  /** Records an opened incident; true the first time its creation is counted. */
  recordOpened(facts: IncidentFactsInput): Promise<boolean>;
  /** Creates the facts of an incident met late (opened before the consumer ran) without counting its creation. */
  ensureFacts(facts: IncidentFactsInput): Promise<void>;
  getFacts(incidentId: string): Promise<ResponseFactsRecord | undefined>;
  /** True when this resolution (at `resolvedTime`) had not been recorded yet. */
  recordResolved(incidentId: string, resolvedTime: number): Promise<boolean>;
  recordReopened(incidentId: string): Promise<void>;
  recordImpact(incidentId: string, impact: number): Promise<void>;
  /** Adds a page; false when it was counted before or the incident has no facts. */
  addPage(incidentId: string, pageId: string): Promise<boolean>;
  /** True when `time` is the incident's first acknowledgement (earlier than any recorded). */
  recordAcknowledgement(incidentId: string, time: number): Promise<boolean>;
  deleteFacts(incidentId: string): Promise<void>;
  /** Facts of incidents created in [from, to), oldest first, at most `limit`; `truncated` when there were more. */
  listFacts(from: number, to: number, limit: number): Promise<{ items: ResponseFactsRecord[]; truncated: boolean }>;
}
