/**
 * Engagements and pages: the records the engine keeps and the ports it needs.
 *
 * - An ENGAGEMENT is one StartEngagement (a root) or one contact engaged on a root's behalf (a child). Engaging an
 *   escalation plan or an on-call schedule creates one child engagement per PERSONAL contact it reaches, as Incident
 *   Manager does (ListEngagements shows `engagement/<person>/...` next to `engagement/<escalation plan>/...`). A child
 *   runs its contact's own engagement plan; the root runs the escalation plan's stages. Every engagement keeps a
 *   snapshot of the plan it runs, taken when it began, so editing a plan never changes paging already under way.
 * - A PAGE is one delivery to one contact channel in one stage of a PERSONAL engagement, with its acknowledgement
 *   code (kept as hashes, one per delivery attempt) and its RECEIPTS (SENT, DELIVERED, READ, ERROR, STOP).
 *
 * One Step Functions execution (named by the root's id) drives a whole tree: its worker advances the root and every
 * child in each step (worker.ts), so a stop is one StopExecution and the cost is one execution per StartEngagement.
 */
import type { IdempotencyKey, Page } from '#core/shared/storage.ts';
import type { ChannelType, ContactType, PlanStage } from '../ports.ts';

/**
 * ENGAGED: paging goes on. ACKNOWLEDGED: a page was read (for a root: by an essential contact, or any contact of a
 * personal plan). STOPPED: StopEngagement, the incident's resolution, or an essential acknowledgement elsewhere in the
 * tree. COMPLETED: the plan ran out without an acknowledgement. FAILED: the workflow gave up on an error.
 */
export type EngagementStatus = 'ENGAGED' | 'ACKNOWLEDGED' | 'STOPPED' | 'COMPLETED' | 'FAILED';

/** One node of a page's resolution path (ListPageResolutions): escalation plan > on-call schedule > contact. */
export interface ResolutionStep {
  contactArn: string;
  type: ContactType;
  /** The stage of the escalation plan that reached this node (absent on the engaged contact itself). */
  stageIndex?: number;
}

/** What StartEngagement was given: the message, for every page of the tree. */
export interface EngagementMessage {
  sender: string;
  subject: string;
  content: string;
  publicSubject?: string;
  publicContent?: string;
  incidentId?: string;
}

export interface ChildRef {
  engagementId: string;
  alias: string;
  stageIndex: number;
}

export interface EngagementRecord extends EngagementMessage {
  arn: string;
  engagementId: string;
  contactArn: string;
  contactAlias: string;
  contactType: ContactType;
  status: EngagementStatus;
  /** Epoch ms. */
  startTime: number;
  /** When the engagement ended (acknowledged, stopped, completed or failed). */
  stopTime?: number;
  stopReason?: string;
  /** The plan's stages when the engagement began (a PERSONAL plan without stages: one stage paging every channel). */
  stages: PlanStage[];
  /** The next stage to run; stages below it have run. */
  nextStage: number;
  /** Real milliseconds per plan minute: 60,000, or less when LOCAL_TIME_SCALE speeds the local runtime up. */
  minuteMs: number;
  /** The root of the tree (itself for a root). */
  rootEngagementId: string;
  parentEngagementId?: string;
  /** Children: whether an acknowledgement by this contact ends the root (ContactTargetInfo.IsEssential). */
  essential?: boolean;
  /** Roots of escalation plans and on-call schedules: the contacts engaged so far. */
  children?: ChildRef[];
  /** Path from the root to this engagement's contact. */
  resolution: ResolutionStep[];
  /** First time a page of this engagement was created. */
  pagedTime?: number;
  createdBy?: string;
}

export type DeliveryState = 'PENDING' | 'SENT' | 'ERROR';

export interface PageRecord {
  arn: string;
  pageId: string;
  engagementId: string;
  engagementArn: string;
  rootEngagementId: string;
  contactArn: string;
  contactAlias: string;
  contactChannelArn: string;
  channelType: ChannelType;
  address: string;
  /** Stage of the contact's engagement plan, and target within it. */
  stageIndex: number;
  targetIndex: number;
  sender: string;
  subject: string;
  content: string;
  publicSubject?: string;
  publicContent?: string;
  incidentId?: string;
  resolution: ResolutionStep[];
  createdTime: number;
  /** First accepted delivery (SENT receipt). */
  sentTime?: number;
  deliveryTime?: number;
  readTime?: number;
  /** When the page's engagement was stopped before the page was read (STOP receipt). */
  stopTime?: number;
  /** Delivery attempts claimed so far (each claim is a conditional write; the winner sends). */
  attempts: number;
  /** sha256 of each acknowledgement code sent (one per attempt). */
  acceptCodeHashes: string[];
  deliveryState: DeliveryState;
  /** ChannelTargetInfo.RetryIntervalInMinutes. */
  retryIntervalInMinutes?: number;
  /** When the next delivery attempt is due (set after a retryable failure). */
  nextAttemptAt?: number;
}

/** What ListPagesByEngagement returns of a page (what the index it reads projects). */
export type PageSummary = Pick<
  PageRecord,
  | 'arn'
  | 'pageId'
  | 'engagementId'
  | 'engagementArn'
  | 'contactArn'
  | 'sender'
  | 'incidentId'
  | 'createdTime'
  | 'sentTime'
  | 'deliveryTime'
  | 'readTime'
>;

export type ReceiptType = 'SENT' | 'DELIVERED' | 'READ' | 'ERROR' | 'STOP';

export interface ReceiptRecord {
  pageId: string;
  receiptType: ReceiptType;
  receiptTime: number;
  contactChannelArn?: string;
  receiptInfo?: string;
  /** Distinguishes receipts of one page at the same instant (attempt number, or a fixed tag). */
  sequence: string;
}

export interface EngagementQuery {
  incidentId?: string;
  startedFrom?: number;
  startedTo?: number;
}

/** Outcome of a conditional stage commit. */
export type StageCommit = 'committed' | 'engagement-changed' | 'root-ended';

/** Storage of engagements, pages and receipts (the DynamoDB adapter: lambdas/adapters/dynamodb/engagements.ts). */
export interface EngagementStore {
  /** Writes a new root engagement; a repeated idempotency token returns the first engagement and writes nothing. */
  createEngagement(
    engagement: EngagementRecord,
    idempotency: IdempotencyKey | undefined,
    now: number,
  ): Promise<{ engagementId: string; arn: string; replayed: boolean }>;
  getEngagement(engagementId: string): Promise<EngagementRecord | undefined>;
  listEngagements(
    query: EngagementQuery,
    maxResults: number,
    nextToken: string | undefined,
  ): Promise<Page<EngagementRecord>>;
  /** Every engagement that carries this IncidentId (for stopping them when the incident is resolved). */
  engagementsOfIncident(incidentId: string): Promise<EngagementRecord[]>;

  /**
   * Runs stage `stageIndex` of a PERSONAL engagement: moves `nextStage` to `stageIndex + 1` and creates the stage's
   * pages, only if the engagement is still ENGAGED at that stage (and, for a child, its root still ENGAGED). The
   * pages' ids are deterministic, so a repeated step can never create them twice.
   */
  commitPersonalStage(
    engagement: EngagementRecord,
    stageIndex: number,
    pages: PageRecord[],
    now: number,
  ): Promise<StageCommit>;
  /**
   * Runs stage `stageIndex` of an escalation plan (or the single resolution of an on-call schedule): moves the root's
   * `nextStage` on, adds the new children (created if absent), and marks already-engaged children essential.
   */
  commitEscalationStage(
    root: EngagementRecord,
    stageIndex: number,
    children: EngagementRecord[],
    promoteToEssential: string[],
  ): Promise<StageCommit>;
  /** Moves an engagement from one of `from` to `to`; false when it was in none of them. */
  endEngagement(
    engagementId: string,
    from: readonly EngagementStatus[],
    to: EngagementStatus,
    time: number,
    reason?: string,
  ): Promise<boolean>;
  /** The same, in the same single write, also returning the engagement as it is now (undefined when none exists). */
  endEngagementReturning(
    engagementId: string,
    from: readonly EngagementStatus[],
    to: EngagementStatus,
    time: number,
    reason?: string,
  ): Promise<{ ended: boolean; engagement?: EngagementRecord }>;

  getPage(pageId: string): Promise<PageRecord | undefined>;
  /** Pages of a contact, oldest first. */
  listPagesByContact(alias: string, maxResults: number, nextToken: string | undefined): Promise<Page<PageRecord>>;
  /** Pages of a tree (engagementId undefined) or of one engagement in it, oldest first. */
  listPagesByEngagement(
    rootEngagementId: string,
    engagementId: string | undefined,
    maxResults: number,
    nextToken: string | undefined,
  ): Promise<Page<PageSummary>>;
  /** Every page of a tree (the worker reads them once per step; trees hold tens of pages). */
  pagesOfTree(rootEngagementId: string): Promise<PageRecord[]>;
  /**
   * Claims delivery attempt `attempt` of a page (conditional on `attempts = attempt - 1` and the engagement and its
   * root still ENGAGED) and adds the hash of the code that attempt will carry. Only the winner may send.
   */
  claimRetry(page: PageRecord, attempt: number, codeHash: string, now: number): Promise<boolean>;
  /** Records the outcome of a delivery attempt: the receipt, and the page's delivery state / next attempt. */
  recordDelivery(
    page: PageRecord,
    receipt: ReceiptRecord,
    update: { deliveryState: DeliveryState; sentTime?: number; nextAttemptAt?: number },
  ): Promise<void>;
  /** AcceptPage: the receipt, and the page's read or delivery time when it has none yet. */
  recordAcceptance(page: PageRecord, receipt: ReceiptRecord, field: 'readTime' | 'deliveryTime'): Promise<void>;
  /**
   * A STOP receipt, once, for each page that was not read (one write for all of them when none was read or stopped
   * meanwhile); a page read or stopped since gets none.
   */
  stopPages(stops: { page: PageRecord; receipt: ReceiptRecord }[]): Promise<void>;
  listReceipts(pageId: string, maxResults: number, nextToken: string | undefined): Promise<Page<ReceiptRecord>>;
}

/**
 * Runs the workflow that drives an engagement tree: Step Functions in AWS (adapters/stepfunctions), the same ASL in
 * aws-local-stepfunctions locally (local/engagement-runner.ts). Both are idempotent by engagement id.
 */
export interface EngagementRunner {
  /** Starts the execution named by the root engagement's id; a second start of the same id does nothing. */
  start(rootEngagementId: string): Promise<void>;
  /** Stops that execution if it runs; nothing happens when it ended or never started. */
  stop(rootEngagementId: string, reason: string): Promise<void>;
}

/**
 * Writes the automatic timeline events of an incident (`SSM Contacts Page for Incident`, `... Acknowledgement ...`).
 * Implemented with the incidents store where the handlers are composed; an IncidentId that is not an incident of this
 * account is ignored. `dedupeKey` makes a repeated write a no-op.
 */
export interface IncidentTimeline {
  record(
    incidentArn: string,
    eventType: string,
    data: object,
    references: string[],
    dedupeKey: string,
    time: number,
  ): Promise<void>;
}

/** What the engagement operations and the worker need besides the contacts store and the message sender. */
export interface EngagementServices {
  store: EngagementStore;
  runner: EngagementRunner;
  timeline?: IncidentTimeline;
  /** Real milliseconds per plan minute for engagements started here (60,000 unless LOCAL_TIME_SCALE is set). */
  minuteMs: number;
  /** Reports what went wrong in a best-effort side effect (a timeline event, a StopExecution). */
  warn?: (message: string, fields: Record<string, unknown>) => void;
}

export const MINUTE_MS = 60_000;

/** Timeline event types Incident Manager writes for paging. */
export const PAGING_EVENT_TYPES = {
  page: 'SSM Contacts Page for Incident',
  acknowledgement: 'SSM Contacts Page Acknowledgement for Incident',
} as const;
