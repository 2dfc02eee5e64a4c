/**
 * The paging engine: what one step of an engagement's workflow does, and how acknowledgements and stops end paging.
 *
 * The workflow (state-machines/engagement.asl.json) only loops: Step -> Done? -> Wait until `wakeAt` -> Step. Each
 * step runs `step()` for the ROOT engagement at the current time:
 *
 * 1. An escalation plan (or on-call schedule) root runs its stages whose time has come: each ContactTargetInfo is
 *    resolved at that moment (a PERSONAL contact as it is; an ONCALL_SCHEDULE to whoever its rotations have on call
 *    now, overrides applied) and each contact reached gets a CHILD engagement running its own engagement plan. A
 *    contact already engaged in this tree (still being paged, or having acknowledged) is not engaged again; if a
 *    later stage names them as essential, their engagement becomes essential.
 * 2. Every PERSONAL engagement of the tree (the root itself, or each child) runs its stages whose time has come:
 *    one page per ACTIVATED channel of the stage, then its re-sends that are due (RetryIntervalInMinutes).
 * 3. The step answers `done` when nothing is left (every plan ran to its end with no re-send pending, or the root
 *    was acknowledged, stopped or failed), otherwise the earliest instant at which something is due.
 *
 * Exactly-once paging under retries: a stage runs inside a conditional write (the engagement's `nextStage` moves from
 * n to n+1 together with the creation of the stage's pages, whose ids derive from engagement, stage, target and
 * channel); a re-send claims its attempt number with a conditional write. Messages are sent only by the writer that
 * won, after the write: a redelivered step finds the work done and sends nothing. The price is at-most-once: a worker
 * that dies between its write and the provider call loses that one delivery (later stages still page).
 */

import type { RequestContext } from '#core/shared/service-context.ts';
import { engagementArn, pageArn, parseContactsArn } from '../arns.ts';
import { isRetryableDeliveryFailure, newActivationCode } from '../messaging.ts';
import { onCallContacts } from '../on-call.ts';
import type { ContactsDependencies } from '../operation.ts';
import type { ContactRecord, PlanStage } from '../ports.ts';
import { pageMessage } from './messages.ts';
import {
  type EngagementMessage,
  type EngagementRecord,
  type EngagementServices,
  type EngagementStatus,
  PAGING_EVENT_TYPES,
  type PageRecord,
  type ResolutionStep,
} from './model.ts';
import {
  acceptCodeHash,
  derivedId,
  dueStages,
  MAX_CHILDREN_PER_STAGE,
  nextPlanInstant,
  planFinished,
  retryAt,
  stageStart,
  wakeAtText,
} from './schedule.ts';

export type EngagementDependencies = ContactsDependencies & { engagements: EngagementServices };

/** The engagement services, or an error saying this composition has none (a function built without a runner). */
export const withEngagements = (deps: ContactsDependencies): EngagementDependencies => {
  if (!deps.engagements) throw new Error('Engagements are not configured in this function (no EngagementRunner).');
  return deps as EngagementDependencies;
};

/** The step was asked for an engagement that does not exist (or is not a root): retrying cannot help. */
export class EngagementNotFound extends Error {
  override readonly name = 'EngagementNotFound';
}

/** A stage's conditional write kept failing although the stored engagement says it is due (transient; retried). */
export class StepConflict extends Error {
  override readonly name = 'StepConflict';
}

/** Lost conditional writes one step tolerates per engagement before it gives up (the ASL retries the step). */
const MAX_LOST_RACES = 10;

export interface StepResult {
  engagementId: string;
  done: boolean;
  /** ISO instant of the next step (TimestampPath of the Wait state), when not done. */
  wakeAt?: string;
}

const ENDED_BY_OTHERS: readonly EngagementStatus[] = ['ENGAGED'];

// ---- plans --------------------------------------------------------------------------------------------------------

/**
 * The stages a PERSONAL contact's engagement runs: its engagement plan; a plan that targets no channel at all pages
 * every channel of the contact once (a contact with channels but no plan must not go unpaged in an incident).
 */
export const personalStages = async (deps: ContactsDependencies, contact: ContactRecord): Promise<PlanStage[]> => {
  if (contact.plan.stages.some((s) => s.targets.some((t) => t.channelTargetInfo))) return contact.plan.stages;
  const channels = await deps.store.listContactChannels(contact.alias, 100, undefined);
  if (channels.items.length === 0) return [];
  return [
    { durationInMinutes: 0, targets: channels.items.map((c) => ({ channelTargetInfo: { contactChannelId: c.arn } })) },
  ];
};

/** The stages a root engagement runs, by the engaged contact's type. */
export const rootStages = async (deps: ContactsDependencies, contact: ContactRecord): Promise<PlanStage[]> => {
  if (contact.type === 'PERSONAL') return personalStages(deps, contact);
  if (contact.type === 'ONCALL_SCHEDULE')
    // One resolution, at once: whoever is on call now is engaged; their acknowledgement ends the engagement.
    return [{ durationInMinutes: 0, targets: [{ contactTargetInfo: { contactId: contact.arn, isEssential: true } }] }];
  return contact.plan.stages;
};

export const newEngagement = (
  ctx: RequestContext,
  contact: ContactRecord,
  message: EngagementMessage,
  stages: PlanStage[],
  minuteMs: number,
  tree: {
    engagementId: string;
    rootEngagementId?: string;
    parentEngagementId?: string;
    essential?: boolean;
    resolution?: ResolutionStep[];
    /** When the engagement's plan clock starts (default: now). */
    startTime?: number;
  },
): EngagementRecord => ({
  arn: engagementArn(ctx, contact.alias, tree.engagementId),
  engagementId: tree.engagementId,
  contactArn: contact.arn,
  contactAlias: contact.alias,
  contactType: contact.type,
  status: 'ENGAGED',
  startTime: tree.startTime ?? ctx.now,
  stages,
  nextStage: 0,
  minuteMs,
  rootEngagementId: tree.rootEngagementId ?? tree.engagementId,
  ...(tree.parentEngagementId
    ? { parentEngagementId: tree.parentEngagementId, essential: tree.essential ?? false }
    : {}),
  ...(contact.type !== 'PERSONAL' ? { children: [] } : {}),
  resolution: tree.resolution ?? [{ contactArn: contact.arn, type: contact.type }],
  ...message,
  createdBy: ctx.caller.principalArn,
});

const messageOf = (e: EngagementRecord): EngagementMessage => ({
  sender: e.sender,
  subject: e.subject,
  content: e.content,
  ...(e.publicSubject !== undefined ? { publicSubject: e.publicSubject } : {}),
  ...(e.publicContent !== undefined ? { publicContent: e.publicContent } : {}),
  ...(e.incidentId !== undefined ? { incidentId: e.incidentId } : {}),
});

// ---- the step -----------------------------------------------------------------------------------------------------

interface Progress {
  /** The engagement still has something to do. */
  active: boolean;
  /** Instants at which it next needs a step. */
  wakes: number[];
  /** The root ended while this engagement was being advanced. */
  rootEnded?: boolean;
}

/** One step of the workflow for a root engagement, at `ctx.now`. Throws on storage errors (the ASL retries). */
export async function step(
  deps: EngagementDependencies,
  ctx: RequestContext,
  engagementId: string,
): Promise<StepResult> {
  const { store } = deps.engagements;
  const now = ctx.now;
  const done = { engagementId, done: true };
  let root = await store.getEngagement(engagementId);
  if (!root || root.rootEngagementId !== root.engagementId)
    throw new EngagementNotFound(`No root engagement ${engagementId} exists.`);
  if (root.status !== 'ENGAGED') return done;

  const pages = await store.pagesOfTree(root.engagementId);
  const pagesOf = (id: string) => pages.filter((p) => p.engagementId === id);
  const wakes: number[] = [];
  let active: boolean;

  if (root.contactType === 'PERSONAL') {
    const progress = await advancePersonal(deps, ctx, root, root, pagesOf(root.engagementId));
    if (progress.rootEnded) return done;
    active = progress.active;
    wakes.push(...progress.wakes);
  } else {
    const escalation = await advanceEscalation(deps, ctx, root);
    if (!escalation) return done;
    root = escalation.root;
    active = !planFinished(root, now);
    const next = nextPlanInstant(root, now);
    if (next !== undefined) wakes.push(next);
    for (const child of escalation.children.values()) {
      if (child.status !== 'ENGAGED') continue;
      const progress = await advancePersonal(deps, ctx, child, root, pagesOf(child.engagementId));
      if (progress.rootEnded) return done;
      active ||= progress.active;
      wakes.push(...progress.wakes);
    }
  }

  if (!active) {
    await store.endEngagement(
      root.engagementId,
      ENDED_BY_OTHERS,
      'COMPLETED',
      now,
      'The plan ran to its end without an acknowledgement.',
    );
    return done;
  }
  const future = wakes.filter((w) => w > now);
  // Something is due now that could not run (a lost race): look again shortly.
  const wakeAt = future.length ? Math.min(...future) : now + Math.min(1000, root.minuteMs);
  return { engagementId, done: false, wakeAt: wakeAtText(wakeAt, root.minuteMs) };
}

/** Runs the due stages and re-sends of one PERSONAL engagement. */
async function advancePersonal(
  deps: EngagementDependencies,
  ctx: RequestContext,
  engagement: EngagementRecord,
  root: EngagementRecord,
  pages: PageRecord[],
): Promise<Progress> {
  const { store } = deps.engagements;
  const now = ctx.now;
  let e: EngagementRecord | undefined = engagement;
  const retryWakes: number[] = [];

  let lostRaces = 0;
  while (e && e.status === 'ENGAGED' && dueStages(e, now).length > 0) {
    const stageIndex = e.nextStage;
    const prepared = await stagePages(deps, ctx, e, stageIndex);
    const outcome = await store.commitPersonalStage(
      e,
      stageIndex,
      prepared.map((p) => p.page),
      now,
    );
    if (outcome === 'root-ended') return { active: false, wakes: [], rootEnded: true };
    if (outcome === 'engagement-changed') {
      // Another step ran this stage, or the engagement ended: continue from what is stored.
      if (++lostRaces > MAX_LOST_RACES)
        throw new StepConflict(`Stage ${stageIndex} of ${e.arn} keeps failing its condition.`);
      e = await store.getEngagement(e.engagementId);
      continue;
    }
    const firstPaged = e.pagedTime === undefined && prepared.length > 0;
    e = { ...e, nextStage: stageIndex + 1, ...(firstPaged ? { pagedTime: now } : {}) };
    const next = await Promise.all(prepared.map(({ page, code }) => deliver(deps, page, code, 1, e!.minuteMs, now)));
    for (const at of next) if (at !== undefined) retryWakes.push(at);
    if (firstPaged) await recordTimeline(deps, e, PAGING_EVENT_TYPES.page, `page:${e.engagementId}`, now);
  }
  if (e?.status !== 'ENGAGED') return { active: false, wakes: [] };

  for (const page of pages) {
    if (page.nextAttemptAt === undefined || page.deliveryState !== 'ERROR') continue;
    if (page.nextAttemptAt > now) {
      retryWakes.push(page.nextAttemptAt);
      continue;
    }
    const attempt = page.attempts + 1;
    const code = newActivationCode();
    if (!(await store.claimRetry(page, attempt, acceptCodeHash(page.arn, code), now))) continue;
    const next = await deliver(deps, { ...page, attempts: attempt }, code, attempt, e.minuteMs, now);
    if (next !== undefined) retryWakes.push(next);
  }

  const planNext = nextPlanInstant(e, now);
  const active = !planFinished(e, now) || retryWakes.length > 0;
  if (!active && e.engagementId !== root.engagementId)
    await store.endEngagement(
      e.engagementId,
      ENDED_BY_OTHERS,
      'COMPLETED',
      now,
      'The plan ran to its end without an acknowledgement.',
    );
  return { active, wakes: [...retryWakes, ...(planNext !== undefined ? [planNext] : [])] };
}

/** The pages stage `stageIndex` of a PERSONAL engagement creates: one per ACTIVATED channel it targets. */
async function stagePages(
  deps: EngagementDependencies,
  ctx: RequestContext,
  e: EngagementRecord,
  stageIndex: number,
): Promise<{ page: PageRecord; code: string }[]> {
  const stage = e.stages[stageIndex];
  if (!stage) return [];
  const prepared: { page: PageRecord; code: string }[] = [];
  const seen = new Set<string>();
  for (const [targetIndex, target] of stage.targets.entries()) {
    const channelArn = target.channelTargetInfo?.contactChannelId;
    if (!channelArn || seen.has(channelArn)) continue;
    seen.add(channelArn);
    const parsed = parseOrUndefined(ctx, channelArn);
    if (parsed?.kind !== 'contact-channel' || parsed.alias !== e.contactAlias) continue;
    const found = await deps.store.getContactChannel(parsed.alias, parsed.channelId);
    // A deleted channel is skipped (the plan keeps its ARN); so is one that is not activated.
    if (found?.record.activationStatus !== 'ACTIVATED') continue;
    const channel = found.record;
    const pageId = derivedId('page', e.engagementId, stageIndex, targetIndex, channel.channelId);
    const arn = pageArn(ctx, e.contactAlias, pageId);
    const code = newActivationCode();
    const retry = target.channelTargetInfo?.retryIntervalInMinutes;
    prepared.push({
      code,
      page: {
        arn,
        pageId,
        engagementId: e.engagementId,
        engagementArn: e.arn,
        rootEngagementId: e.rootEngagementId,
        contactArn: e.contactArn,
        contactAlias: e.contactAlias,
        contactChannelArn: channel.arn,
        channelType: channel.type,
        address: channel.address,
        stageIndex,
        targetIndex,
        ...messageOf(e),
        resolution: e.resolution,
        createdTime: ctx.now,
        attempts: 1,
        acceptCodeHashes: [acceptCodeHash(arn, code)],
        deliveryState: 'PENDING',
        ...(retry !== undefined ? { retryIntervalInMinutes: retry } : {}),
      },
    });
  }
  return prepared;
}

/**
 * Sends one delivery attempt (already claimed) and records its receipt: SENT, or ERROR with the re-send time when the
 * failure may pass and the channel target has a retry interval. Returns that re-send time.
 */
async function deliver(
  deps: EngagementDependencies,
  page: PageRecord,
  code: string,
  attempt: number,
  minuteMs: number,
  now: number,
): Promise<number | undefined> {
  const { store } = deps.engagements;
  const sequence = String(attempt).padStart(2, '0');
  try {
    const result = await deps.messages.send(pageMessage(page, code, attempt, now));
    await store.recordDelivery(
      page,
      {
        pageId: page.pageId,
        receiptType: 'SENT',
        receiptTime: Date.now(),
        contactChannelArn: page.contactChannelArn,
        receiptInfo: `attempt ${attempt} accepted by ${result.provider} (${result.providerMessageId})`,
        sequence,
      },
      { deliveryState: 'SENT', sentTime: page.sentTime ?? now },
    );
    return undefined;
  } catch (error) {
    const next = retryAt({ ...page, attempts: attempt }, isRetryableDeliveryFailure(error), minuteMs, now);
    const reason = error instanceof Error ? error.message : String(error);
    await store.recordDelivery(
      page,
      {
        pageId: page.pageId,
        receiptType: 'ERROR',
        receiptTime: Date.now(),
        contactChannelArn: page.contactChannelArn,
        receiptInfo: `attempt ${attempt} failed${next !== undefined ? ' (will be re-sent)' : ''}: ${reason}`.slice(
          0,
          2048,
        ),
        sequence,
      },
      { deliveryState: 'ERROR', ...(next !== undefined ? { nextAttemptAt: next } : {}) },
    );
    return next;
  }
}

/** Runs the root's due escalation stages; undefined when the root ended. Returns the root and its children. */
async function advanceEscalation(
  deps: EngagementDependencies,
  ctx: RequestContext,
  initial: EngagementRecord,
): Promise<{ root: EngagementRecord; children: Map<string, EngagementRecord> } | undefined> {
  const { store } = deps.engagements;
  let root = initial;
  const children = new Map<string, EngagementRecord>();
  const loadChildren = async (r: EngagementRecord) => {
    const refs = (r.children ?? []).filter((c) => !children.has(c.engagementId));
    const loaded = await Promise.all(refs.map((c) => store.getEngagement(c.engagementId)));
    for (const child of loaded) if (child) children.set(child.engagementId, child);
  };
  await loadChildren(root);

  let lostRaces = 0;
  while (dueStages(root, ctx.now).length > 0) {
    const stageIndex = root.nextStage;
    const candidates = await resolveStage(deps, ctx, root, stageIndex);
    const latestByAlias = new Map<string, EngagementRecord>();
    for (const child of children.values()) {
      const seen = latestByAlias.get(child.contactAlias);
      if (!seen || seen.startTime <= child.startTime) latestByAlias.set(child.contactAlias, child);
    }
    const created: EngagementRecord[] = [];
    const promote: string[] = [];
    for (const candidate of candidates) {
      const previous = latestByAlias.get(candidate.contact.alias);
      if (previous?.status === 'ACKNOWLEDGED') continue;
      if (previous?.status === 'ENGAGED') {
        if (candidate.essential && !previous.essential) promote.push(previous.engagementId);
        continue;
      }
      if (created.length >= MAX_CHILDREN_PER_STAGE) {
        deps.engagements.warn?.(
          'escalation stage reaches more contacts than one stage can engage; the rest are skipped',
          {
            engagementArn: root.arn,
            stageIndex,
            limit: MAX_CHILDREN_PER_STAGE,
          },
        );
        break;
      }
      created.push(
        newEngagement(
          ctx,
          candidate.contact,
          messageOf(root),
          await personalStages(deps, candidate.contact),
          root.minuteMs,
          {
            engagementId: derivedId('child', root.engagementId, stageIndex, candidate.contact.alias),
            rootEngagementId: root.engagementId,
            parentEngagementId: root.engagementId,
            essential: candidate.essential,
            resolution: candidate.resolution,
            // The contact's plan runs from the instant the stage was due, not from when this step got to it: child
            // timing stays on the escalation's schedule (and the same across retried steps), and plan ends line up
            // with later stages instead of costing a step of their own.
            startTime: stageStart(root, stageIndex),
          },
        ),
      );
    }
    const outcome = await store.commitEscalationStage(root, stageIndex, created, promote);
    if (outcome !== 'committed') {
      if (++lostRaces > MAX_LOST_RACES)
        throw new StepConflict(`Stage ${stageIndex} of ${root.arn} keeps failing its condition.`);
      const stored = await store.getEngagement(root.engagementId);
      if (stored?.status !== 'ENGAGED') return undefined;
      root = stored;
      await loadChildren(root);
      continue;
    }
    root = {
      ...root,
      nextStage: stageIndex + 1,
      children: [
        ...(root.children ?? []),
        ...created.map((c) => ({ engagementId: c.engagementId, alias: c.contactAlias, stageIndex })),
      ],
    };
    for (const child of created) children.set(child.engagementId, child);
    for (const id of promote) {
      const child = children.get(id);
      if (child) children.set(id, { ...child, essential: true });
    }
  }
  return { root, children };
}

interface Candidate {
  contact: ContactRecord;
  essential: boolean;
  resolution: ResolutionStep[];
}

/** The PERSONAL contacts stage `stageIndex` of an escalation root reaches now, each once (essential if any path is). */
async function resolveStage(
  deps: EngagementDependencies,
  ctx: RequestContext,
  root: EngagementRecord,
  stageIndex: number,
): Promise<Candidate[]> {
  const stage = root.stages[stageIndex];
  const byAlias = new Map<string, Candidate>();
  const add = (candidate: Candidate) => {
    const seen = byAlias.get(candidate.contact.alias);
    if (seen) seen.essential ||= candidate.essential;
    else byAlias.set(candidate.contact.alias, candidate);
  };
  const rootStep: ResolutionStep = { contactArn: root.contactArn, type: root.contactType };
  for (const target of stage?.targets ?? []) {
    const info = target.contactTargetInfo;
    if (!info?.contactId) continue;
    const contact = await contactOf(deps, ctx, info.contactId);
    if (!contact) continue;
    if (contact.type === 'PERSONAL') {
      add({
        contact,
        essential: info.isEssential,
        resolution: [rootStep, { contactArn: contact.arn, type: 'PERSONAL', stageIndex }],
      });
    } else if (contact.type === 'ONCALL_SCHEDULE') {
      const onCall = await onCallContacts(deps, ctx, contact.plan.rotationIds ?? [], ctx.now);
      const viaSchedule: ResolutionStep[] =
        contact.alias === root.contactAlias ? [] : [{ contactArn: contact.arn, type: 'ONCALL_SCHEDULE', stageIndex }];
      for (const arn of onCall) {
        const person = await contactOf(deps, ctx, arn);
        if (person?.type !== 'PERSONAL') continue;
        add({
          contact: person,
          essential: info.isEssential,
          resolution: [rootStep, ...viaSchedule, { contactArn: person.arn, type: 'PERSONAL', stageIndex }],
        });
      }
    }
  }
  return [...byAlias.values()];
}

const parseOrUndefined = (ctx: RequestContext, arn: string) => {
  try {
    return parseContactsArn(ctx, arn, 'arn');
  } catch {
    return undefined;
  }
};

const contactOf = async (deps: ContactsDependencies, ctx: RequestContext, arn: string) => {
  const parsed = parseOrUndefined(ctx, arn);
  if (parsed?.kind !== 'contact') return undefined;
  return (await deps.store.getContact(parsed.alias))?.record;
};

// ---- timeline -----------------------------------------------------------------------------------------------------

async function recordTimeline(
  deps: EngagementDependencies,
  e: EngagementRecord,
  eventType: string,
  dedupeKey: string,
  now: number,
) {
  const timeline = deps.engagements.timeline;
  if (!e.incidentId || !timeline) return;
  try {
    await timeline.record(
      e.incidentId,
      eventType,
      { contactArn: e.contactArn, engagementArn: e.arn },
      [e.contactArn, e.arn],
      dedupeKey,
      now,
    );
  } catch (error) {
    // The page went out; a timeline that misses the event must not page again through a retried step.
    deps.engagements.warn?.('could not add the paging event to the incident timeline', {
      incidentId: e.incidentId,
      eventType,
      engagementArn: e.arn,
      error: String(error),
    });
  }
}

// ---- ending engagements -------------------------------------------------------------------------------------------

/** An engagement to end: its id and its tree (all a conditional status change needs; nothing is read first). */
type EngagementRef = Pick<EngagementRecord, 'engagementId' | 'rootEngagementId'>;

/** The engagements of a tree: the root and the children its `children` names. */
const treeOf = (root: EngagementRecord): EngagementRef[] => [
  root,
  ...(root.children ?? []).map((c) => ({ engagementId: c.engagementId, rootEngagementId: root.engagementId })),
];

/**
 * Ends engagements with `status` (each a conditional write from ENGAGED, sent together: one that already ended
 * stays as it was), then gives every unread page of the engagements ended here, or in `endedBefore`, a STOP receipt.
 */
async function endAll(
  deps: EngagementDependencies,
  engagements: EngagementRef[],
  status: EngagementStatus,
  reason: string,
  now: number,
  endedBefore: EngagementRef[] = [],
): Promise<void> {
  const { store } = deps.engagements;
  const results = await Promise.all(
    engagements.map(async (e) =>
      (await store.endEngagement(e.engagementId, ['ENGAGED'], status, now, reason)) ? e : undefined,
    ),
  );
  const ended = [...endedBefore, ...results.filter((e): e is EngagementRef => e !== undefined)];
  const endedIds = new Set(ended.map((e) => e.engagementId));
  for (const rootId of new Set(ended.map((e) => e.rootEngagementId))) {
    const unread = (await store.pagesOfTree(rootId)).filter(
      (page) => endedIds.has(page.engagementId) && page.readTime === undefined && page.stopTime === undefined,
    );
    await store.stopPages(
      unread.map((page) => ({
        page,
        receipt: {
          pageId: page.pageId,
          receiptType: 'STOP',
          receiptTime: now,
          contactChannelArn: page.contactChannelArn,
          receiptInfo: reason.slice(0, 2048),
          sequence: 'stop',
        },
      })),
    );
  }
}

/**
 * Ends a root and then its whole tree. The root's own status change returns it as stored, so the children it names
 * are the current ones (a stage may have engaged someone a moment ago), without a read first. Children are ended
 * even when the root had ended already, so a stop interrupted half-way is completed by the next one. `rootEnded`
 * runs as soon as the root's status changed: nothing can page after that write.
 */
async function endTree(
  deps: EngagementDependencies,
  root: EngagementRecord,
  status: EngagementStatus,
  reason: string,
  now: number,
  rootEnded: () => Promise<void> = async () => undefined,
) {
  const { store } = deps.engagements;
  const ended = await store.endEngagementReturning(root.engagementId, ['ENGAGED'], status, now, reason);
  await rootEnded();
  const current = ended.engagement ?? root;
  const children = treeOf(current).filter((c) => c.engagementId !== root.engagementId);
  await endAll(deps, children, status, reason, now, ended.ended ? [root] : []);
}

/**
 * StopEngagement, and the resolution of an incident: a root stops with its whole tree and its execution (stopped
 * right after the root's status, so no step starts in between); a child stops alone (the rest of the escalation goes
 * on).
 */
export async function stopEngagement(deps: EngagementDependencies, e: EngagementRecord, reason: string, now: number) {
  if (e.rootEngagementId !== e.engagementId) {
    await endAll(deps, [e], 'STOPPED', reason, now);
    return;
  }
  await endTree(deps, e, 'STOPPED', reason, now, async () => {
    try {
      await deps.engagements.runner.stop(e.engagementId, reason);
    } catch (error) {
      // The engagement is stopped in the table, so the workflow ends at its next step anyway.
      deps.engagements.warn?.('could not stop the engagement workflow; it ends at its next step', {
        engagementArn: e.arn,
        error: String(error),
      });
    }
  });
}

/**
 * A READ acknowledgement of a page: its engagement is acknowledged (its plan stops), and so is the root when that was
 * a personal engagement plan or an essential contact of an escalation plan; the root's other engagements then stop.
 * An engagement whose plan already ran out can still be acknowledged. Repeating it changes nothing more. Each status
 * change returns the engagement as stored, so nothing is read before it.
 */
export async function acknowledge(deps: EngagementDependencies, page: PageRecord, now: number) {
  const { store } = deps.engagements;
  const acknowledged = await store.endEngagementReturning(
    page.engagementId,
    ['ENGAGED', 'COMPLETED'],
    'ACKNOWLEDGED',
    now,
    `Acknowledged by ${page.contactAlias}`,
  );
  const e = acknowledged.engagement;
  if (!e) return;
  if (acknowledged.ended || e.status === 'ACKNOWLEDGED')
    await recordTimeline(deps, e, PAGING_EVENT_TYPES.acknowledgement, `ack:${e.engagementId}`, now);
  if (e.rootEngagementId === e.engagementId || !e.essential) return;
  const reason = `Acknowledged by essential contact ${e.contactAlias}`;
  const root = await store.endEngagementReturning(
    e.rootEngagementId,
    ['ENGAGED', 'COMPLETED'],
    'ACKNOWLEDGED',
    now,
    reason,
  );
  if (root.ended && root.engagement) {
    const others = treeOf(root.engagement).filter(
      (c) => c.engagementId !== root.engagement!.engagementId && c.engagementId !== e.engagementId,
    );
    await endAll(deps, others, 'STOPPED', reason, now);
  }
}

/** The workflow gave up (its Catch): the tree is marked FAILED so nothing waits on it, and the reason is kept. */
export async function recordFailure(deps: EngagementDependencies, engagementId: string, cause: string, now: number) {
  const root = await deps.engagements.store.getEngagement(engagementId);
  if (!root) return;
  await endAll(deps, treeOf(root), 'FAILED', `The paging workflow failed: ${cause}`.slice(0, 2048), now);
}
