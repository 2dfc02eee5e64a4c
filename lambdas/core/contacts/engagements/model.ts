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
  /**
   * What the page says the incident is, when IncidentId is an incident of this service (a snapshot taken when the
   * engagement began): pages lead with it, in words, instead of whatever the caller put in Subject.
   */
  incident?: IncidentFacts;
}

/** An incident as a page describes it. */
export interface IncidentFacts {
  title: string;
  /** 1 (Critical) to 5 (No impact). */
  impact: number;
  /** Epoch ms: pages say how long ago the incident opened. */
  creationTime: number;
}

/** Someone (or some channel) a stage could not page, and why, in words a responder can act on. */
export interface Unreachable {
  contactArn: string;
  reason: string;
  /** The stage of the plan that could not reach them. */
  stageIndex?: number;
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
  /** Stages that reached nobody: they took no time (schedule.ts). */
  skippedStages?: number[];
  /** Who this engagement's stages could not page, and why (the timeline and log say it as it happens). */
  unreachable?: Unreachable[];
  /**
   * A person engaged for an incident through several paths is paged by ONE of their engagements (the one that paged
   * them first): this one's stages page nobody while that one (this id) is paging them, and an acknowledgement of
   * any of their pages answers both (docs/api-compatibility.md, "One person, one page stream per incident").
   */
  pagedThrough?: string;
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
  /** What the page says the incident is (from the engagement's message). */
  incident?: IncidentFacts;
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

/**
 * Outcome of a conditional stage commit. `incident-acknowledged`: someone essential acknowledged the incident after
 * this tree began, so it pages nobody more. `person-claimed`: another engagement of the incident is paging this
 * person (or they acknowledged it): read their claim and link to it instead of paging them a second time.
 */
export type StageCommit =
  | 'committed'
  | 'engagement-changed'
  | 'root-ended'
  | 'incident-acknowledged'
  | 'person-claimed';

/**
 * Who pages one person for one incident (one item per person and incident): the engagement that paged them first
 * owns their page stream; the person's acknowledgement of any page of the incident is kept here.
 */
export interface PersonClaim {
  incidentId: string;
  contactAlias: string;
  /** The engagement whose pages reach this person for this incident. */
  ownerEngagementId: string;
  /** When they acknowledged a page of this incident (it answers every engagement that began before it). */
  acknowledgedTime?: number;
  acknowledgedPageArn?: string;
}

/** The paging state of one incident: its latest essential acknowledgement (trees begun before it page nobody more). */
export interface IncidentPagingState {
  incidentId: string;
  acknowledgedTime?: number;
  /** The contact whose acknowledgement it was. */
  acknowledgedBy?: string;
}

/** A stage's claim on a person's page stream: written with its pages, so two engagements can never both page them. */
export interface ClaimCondition {
  incidentId: string;
  /** When the engagement tree began: an acknowledgement or an essential one before it does not answer it. */
  treeStartTime: number;
  /** An owner whose engagement ended without an acknowledgement: its claim may be taken over. */
  replacing?: string;
}

/**
 * How an SMS reply finds its page: the sender's number and the code, hashed (reply-lookup items written with the
 * page, so a reply costs one Query). Only SMS pages get one.
 */
export interface ReplyCode {
  pageId: string;
  pageArn: string;
  address: string;
  /** replyCodeKey(address, code) */
  key: string;
}

export interface PersonalStageCommit {
  /** The stage paged nobody (no activated channel): its duration is skipped. */
  skip?: boolean;
  unreachable?: Unreachable[];
  /** The engagement that pages this person for the incident; this stage pages nobody itself. */
  pagedThrough?: string;
  claim?: ClaimCondition;
  replyCodes?: ReplyCode[];
}

export interface EscalationStageCommit {
  /** The stage reached nobody: its duration is skipped. */
  skip?: boolean;
  unreachable?: Unreachable[];
}

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
    options?: PersonalStageCommit,
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
    options?: EscalationStageCommit,
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
  claimRetry(
    page: PageRecord,
    attempt: number,
    codeHash: string,
    now: number,
    replyCode?: ReplyCode,
    claim?: ClaimCondition,
  ): Promise<boolean>;
  /** Records the outcome of a delivery attempt: the receipt, and the page's delivery state / next attempt. */
  recordDelivery(
    page: PageRecord,
    receipt: ReceiptRecord,
    update: { deliveryState: DeliveryState; sentTime?: number; nextAttemptAt?: number },
  ): Promise<void>;
  /**
   * AcceptPage: the receipt, and the page's read or delivery time when it has none yet. With `onlyIfUnread` nothing is
   * written when the page was read already (false): an acknowledge link or SMS reply counts once.
   */
  recordAcceptance(
    page: PageRecord,
    receipt: ReceiptRecord,
    field: 'readTime' | 'deliveryTime',
    options?: { onlyIfUnread?: boolean },
  ): Promise<boolean>;
  /**
   * A STOP receipt, once, for each page that was not read (one write for all of them when none was read or stopped
   * meanwhile); a page read or stopped since gets none.
   */
  stopPages(stops: { page: PageRecord; receipt: ReceiptRecord }[]): Promise<void>;
  listReceipts(pageId: string, maxResults: number, nextToken: string | undefined): Promise<Page<ReceiptRecord>>;

  /** Who pages this person for this incident, and whether they acknowledged it. */
  getPersonClaim(incidentId: string, contactAlias: string): Promise<PersonClaim | undefined>;
  /** Keeps the person's acknowledgement of the incident (the latest one). */
  recordPersonAcknowledged(incidentId: string, contactAlias: string, time: number, pageArn: string): Promise<void>;
  getIncidentPagingState(incidentId: string): Promise<IncidentPagingState | undefined>;
  /** Keeps an essential acknowledgement of the incident (the latest one); written before anything is stopped. */
  recordIncidentAcknowledged(incidentId: string, time: number, contactArn: string): Promise<void>;
  /** Pages whose SMS reply lookup matches (sender and code), newest first; expired lookups excluded. */
  pagesForReply(address: string, key: string, now: number): Promise<PageRecord[]>;
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

/** What a page needs to say about an incident of this service (the incidents store answers it). */
export interface IncidentLookup {
  facts(incidentArn: string): Promise<IncidentFacts | undefined>;
}

/**
 * Something a person must know about paging, now: a stage reached nobody, an engagement can page no one. It goes to
 * the log (warn) in Lambda, and to the console locally (`[paging] ...` lines of npm start).
 */
export interface PagingNotice {
  text: string;
  incidentId?: string;
  engagementArn?: string;
  unreachable: Unreachable[];
}

/** How pages tell people to acknowledge, beyond the code (page content: messages.ts). */
export interface PageContentSettings {
  /** Base URL of the web console; emails link the incident there. */
  consoleUrl?: string;
  /** Whether SMS replies reach this service (two-way SMS), so SMS pages say "reply with the code". */
  smsReplies: boolean;
  /** Whether email pages carry acknowledge links (voice pages then mention them). */
  acknowledgeLinks?: boolean;
  /** How long an acknowledge link works, in minutes (the email says it next to the link). */
  linkMinutes?: number;
}

/** Issues an email page's acknowledge link (signed, single-use, expiring: ack-links.ts). */
export interface AcknowledgeLinkIssuer {
  linkFor(page: PageRecord, attempt: number, now: number): Promise<string>;
}

/** What the engagement operations and the worker need besides the contacts store and the message sender. */
export interface EngagementServices {
  store: EngagementStore;
  runner: EngagementRunner;
  timeline?: IncidentTimeline;
  /** Looks up the incident a page is for (IncidentId of this service), so pages say what is wrong. */
  incidents?: IncidentLookup;
  /** Real milliseconds per plan minute for engagements started here (60,000 unless LOCAL_TIME_SCALE is set). */
  minuteMs: number;
  /** Reports what went wrong in a best-effort side effect (a timeline event, a StopExecution). */
  warn?: (message: string, fields: Record<string, unknown>) => void;
  /** Tells people now that someone could not be paged (default: `warn`). */
  notice?: (notice: PagingNotice) => void;
  content?: PageContentSettings;
  links?: AcknowledgeLinkIssuer;
}

export const MINUTE_MS = 60_000;

/**
 * Timeline event types paging writes. The first two are Incident Manager's own; the others are this service's, in
 * the same naming, for what Incident Manager leaves silent (who could not be reached, who stopped paging and why,
 * what a reopen does). Every eventData carries `summary`, one sentence a person reads as it is.
 */
export const PAGING_EVENT_TYPES = {
  page: 'SSM Contacts Page for Incident',
  acknowledgement: 'SSM Contacts Page Acknowledgement for Incident',
  unreachable: 'SSM Contacts Unreachable for Incident',
  stop: 'SSM Contacts Engagement Stop for Incident',
  reopen: 'SSM Contacts Paging on Reopen for Incident',
} as const;
