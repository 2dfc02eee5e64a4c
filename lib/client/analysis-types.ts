/**
 * Request and response shapes of the post-incident analysis API (docs/post-incident-analysis.md), as the typed
 * client presents them: instants are `Date`s (epoch seconds on the wire), durations are numbers of seconds.
 */

export type AnalysisStatus = 'DRAFT' | 'IN_REVIEW' | 'PUBLISHED';
export type ActionItemStatus = 'OPEN' | 'IN_PROGRESS' | 'DONE' | 'DISMISSED';
export type ActionItemPriority = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
export type Tags = Record<string, string>;

/** Incident Manager's ProblemAnalysisTemplate content (`{"sections":[...]}`), as an object or its JSON text. */
export type TemplateContent = string | { sections: unknown[] };

// ---- templates ------------------------------------------------------------------------------------------------

export interface CreateAnalysisTemplateInput {
  name: string;
  content: TemplateContent;
  displayName?: string;
  description?: string;
  clientToken?: string;
  tags?: Tags;
}
export interface TemplateRef {
  arn: string;
  name: string;
  templateVersion: number;
}
export interface GetAnalysisTemplateInput {
  name: string;
  templateVersion?: number;
}
export interface AnalysisTemplate {
  arn: string;
  name: string;
  displayName?: string;
  description?: string;
  templateVersion: number;
  latestTemplateVersion: number;
  /** The template JSON text, exactly as an SSM ProblemAnalysisTemplate document would hold it. */
  content: string;
  builtIn: boolean;
  createdTime?: Date;
  createdBy?: string;
  lastModifiedTime?: Date;
  lastModifiedBy?: string;
  tags: Tags;
}
export interface UpdateAnalysisTemplateInput {
  name: string;
  content: TemplateContent;
  displayName?: string;
  description?: string;
  /** Applies the update only while this is still the newest version (ConflictException with currentVersion). */
  expectedTemplateVersion?: number;
  clientToken?: string;
}
export interface ListInput {
  maxResults?: number;
  nextToken?: string;
}
export interface AnalysisTemplateSummary {
  arn: string;
  name: string;
  displayName?: string;
  templateVersion: number;
  builtIn: boolean;
  lastModifiedTime?: Date;
}

// ---- analyses -------------------------------------------------------------------------------------------------

export interface CreateAnalysisInput {
  incidentRecordArn: string;
  /** Default: the built-in AWSIncidents-PostIncidentAnalysisTemplate. */
  templateName?: string;
  templateVersion?: number;
  title?: string;
  /** An incident has one analysis unless this is true. */
  allowMultiple?: boolean;
  clientToken?: string;
  tags?: Tags;
}

export interface KeyFigures {
  creationTime: Date;
  detectedTime?: Date;
  firstPageTime?: Date;
  firstAcknowledgementTime?: Date;
  mitigatedTime?: Date;
  firstResolvedTime?: Date;
  resolvedTime?: Date;
  timeToDetectSeconds?: number;
  timeToEngageSeconds?: number;
  timeToAcknowledgeSeconds?: number;
  timeToFirstAcknowledgementSeconds?: number;
  timeToMitigateSeconds?: number;
  timeToResolveSeconds?: number;
  timeToFirstResolveSeconds?: number;
  reopenCount: number;
  acknowledged: boolean;
  pages: number;
  pagesAcknowledged: number;
  contactsPaged: number;
  engagements: number;
  escalationStagesReached: number;
  runbookExecutions: number;
  runbookStepsRun?: number;
}

export interface IncidentSnapshot {
  arn: string;
  title: string;
  summary?: string;
  status: 'OPEN' | 'RESOLVED';
  impact: number;
  impactHistory: { time: Date; impact?: number }[];
  statusHistory: { time: Date; status: 'OPEN' | 'RESOLVED' }[];
  creationTime: Date;
  resolvedTime?: Date;
  incidentRecordSource: { createdBy: string; source: string; invokedBy?: string; resourceArn?: string };
  responsePlan: { name: string; arn: string; displayName?: string; engagements?: string[]; runbook?: string };
}

export interface EngagementSnapshot {
  engagementArn: string;
  contactArn: string;
  contactType: string;
  status: string;
  startTime: Date;
  stopTime?: Date;
  stagesRun: number;
  stages: number;
  parentEngagementArn?: string;
  pages: {
    pageArn: string;
    contactArn: string;
    channelType: string;
    stageIndex: number;
    createdTime: Date;
    sentTime?: Date;
    deliveryTime?: Date;
    readTime?: Date;
    stopTime?: Date;
  }[];
}

export type SectionComponent =
  | {
      type: 'questions';
      title: string;
      description?: string;
      questions: { id: string; answerType: string; answer: string }[];
    }
  | { type: 'checklist'; title: string; description?: string; items: { id: string; text: string; checked: boolean }[] }
  | { type: 'other'; kind: string; definition: unknown };

export interface AnalysisSection {
  sectionId: string;
  name: string;
  /** Pass it as expectedVersion to UpdateAnalysisSection. */
  version: number;
  lastModifiedTime?: Date;
  lastModifiedBy?: string;
  components: SectionComponent[];
}

export interface ActionItem {
  arn: string;
  analysisArn: string;
  incidentRecordArn: string;
  title: string;
  description?: string;
  owner?: string;
  priority: ActionItemPriority;
  dueDate?: Date;
  status: ActionItemStatus;
  trackingLink?: string;
  createdTime: Date;
  createdBy: string;
  lastModifiedTime: Date;
  lastModifiedBy: string;
  closedTime?: Date;
}

export interface AnalysisSummary {
  arn: string;
  title: string;
  status: AnalysisStatus;
  incidentRecordArn: string;
  incidentTitle: string;
  impact: number;
  responsePlanName: string;
  createdTime: Date;
  lastModifiedTime: Date;
  publishedTime?: Date;
}

export interface Analysis extends AnalysisSummary {
  template: { name: string; templateVersion: number };
  createdBy: string;
  lastModifiedBy: string;
  incident: IncidentSnapshot;
  keyFigures: KeyFigures;
  metrics: { title?: string; identifier: { type: string; value: Record<string, unknown> } }[];
  engagements: EngagementSnapshot[];
  pagesTruncated?: boolean;
  sections: AnalysisSection[];
  actionItems: ActionItem[];
  tags: Tags;
}

export interface ListAnalysesInput extends ListInput {
  incidentRecordArn?: string;
  status?: AnalysisStatus;
}
export interface UpdateAnalysisInput {
  arn: string;
  title?: string;
  status?: AnalysisStatus;
  acknowledgeOpenChecklistItems?: boolean;
  clientToken?: string;
}
export interface UpdateAnalysisSectionInput {
  arn: string;
  sectionId: string;
  expectedVersion: number;
  /** Markdown by question id; an empty string clears an answer; unnamed questions keep theirs. */
  answers?: Record<string, string>;
  checklist?: Record<string, boolean>;
  clientToken?: string;
}

export interface AnalysisTimelineEvent {
  eventId: string;
  eventTime: Date;
  eventUpdatedTime: Date;
  eventType: string;
  eventData: string;
  eventReferences?: ({ resource: string } | { relatedItemId: string })[];
  origin: 'INCIDENT' | 'ANALYSIS';
}
export interface ListAnalysisTimelineEventsInput extends ListInput {
  analysisArn: string;
  sortOrder?: 'ASCENDING' | 'DESCENDING';
}
export interface CreateAnalysisTimelineEventInput {
  analysisArn: string;
  eventTime: Date;
  eventType: string;
  eventData: string;
  eventReferences?: ({ resource: string } | { relatedItemId: string })[];
  clientToken?: string;
}
export interface UpdateAnalysisTimelineEventInput {
  analysisArn: string;
  eventId: string;
  eventTime?: Date;
  eventType?: string;
  eventData?: string;
  eventReferences?: ({ resource: string } | { relatedItemId: string })[];
  clientToken?: string;
}

export interface ExportAnalysisInput {
  arn: string;
  format?: 'MARKDOWN' | 'JSON';
}
export interface ExportAnalysisOutput {
  format: 'MARKDOWN' | 'JSON';
  fileName: string;
  content: string;
}

// ---- action items ---------------------------------------------------------------------------------------------

export interface CreateActionItemInput {
  analysisArn: string;
  title: string;
  description?: string;
  owner?: string;
  priority?: ActionItemPriority;
  dueDate?: Date;
  status?: ActionItemStatus;
  trackingLink?: string;
  clientToken?: string;
}
export interface UpdateActionItemInput {
  arn: string;
  title?: string;
  description?: string;
  owner?: string;
  priority?: ActionItemPriority;
  dueDate?: Date;
  status?: ActionItemStatus;
  trackingLink?: string;
  clearFields?: ('description' | 'owner' | 'dueDate' | 'trackingLink')[];
  clientToken?: string;
}
export interface ListActionItemsInput extends ListInput {
  status?: ActionItemStatus;
  analysisArn?: string;
  owner?: string;
}

// ---- figures and metrics --------------------------------------------------------------------------------------

export interface DurationStats {
  count: number;
  meanSeconds?: number;
  p50Seconds?: number;
  p90Seconds?: number;
}
export interface GroupMetrics {
  incidents: number;
  resolved: number;
  acknowledged: number;
  timeToAcknowledge: DurationStats;
  timeToResolve: DurationStats;
  pages: number;
  pagesPerIncident: number;
}
export interface GetResponseMetricsInput {
  startTime?: Date;
  endTime?: Date;
  responsePlanName?: string;
}
export interface ResponseMetrics {
  startTime: Date;
  endTime: Date;
  totals: GroupMetrics;
  byResponsePlan: (GroupMetrics & { responsePlanName: string })[];
  byImpact: (GroupMetrics & { impact: number })[];
  byResponsePlanAndImpact: (GroupMetrics & { responsePlanName: string; impact: number })[];
  weekly: { weekStart: Date; incidents: number; resolved: number }[];
  truncated?: boolean;
}
