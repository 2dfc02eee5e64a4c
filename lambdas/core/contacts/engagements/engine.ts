/**
 * The paging engine: what one step of an engagement's workflow does. How acknowledgements and stops end paging is in
 * endings.ts.
 *
 * The workflow (state-machines/engagement.asl.json) only loops: Step -> Done? -> Wait until `wakeAt` -> Step. Each
 * step runs `step()` for the ROOT engagement at the current time:
 *
 * 1. An escalation plan (or on-call schedule) root runs its stages whose time has come: each ContactTargetInfo is
 *    resolved at that moment (a PERSONAL contact as it is; an ONCALL_SCHEDULE to whoever its rotations have on call
 *    now, overrides applied) and each contact reached gets a CHILD engagement running its own engagement plan. A
 *    contact already engaged in this tree (still being paged, or having acknowledged) is not engaged again; if a
 *    later stage names them as essential, their engagement becomes essential, and if they had acknowledged already,
 *    that acknowledgement ends the escalation. A person no channel can reach gets no engagement: the stage records
 *    them as unreachable, and a stage that reached nobody takes no time (the next one runs at once).
 * 2. Every PERSONAL engagement of the tree (the root itself, or each child) runs its stages whose time has come:
 *    one page per ACTIVATED channel of the stage, then its re-sends that are due (RetryIntervalInMinutes). For an
 *    incident, a person is paged by one engagement only (their claim, see model.ts PersonClaim): another engagement
 *    that reaches them follows that one's page stream instead of starting a second one.
 * 3. The step answers `done` when nothing is left (every plan ran to its end with no re-send pending, or the root
 *    was acknowledged, stopped or failed), otherwise the earliest instant at which something is due. Children stay
 *    ENGAGED (their pages answerable, stoppable) until their tree ends.
 *
 * Exactly-once paging under retries: a stage runs inside a conditional write (the engagement's `nextStage` moves from
 * n to n+1 together with the creation of the stage's pages, whose ids derive from engagement, stage, target and
 * channel; for an incident, with the person's claim and a check that nothing essential acknowledged the incident since
 * the tree began); a re-send claims its attempt number with a conditional write. Messages are sent only by the writer
 * that won, after the write: a redelivered step finds the work done and sends nothing. The price is at-most-once: a
 * worker that dies between its write and the provider call loses that one delivery (later stages still page).
 */

import type { RequestContext } from '#core/shared/service-context.ts';
import { engagementArn, pageArn, parseContactsArn } from '../arns.ts';
import { isRetryableDeliveryFailure, newActivationCode } from '../messaging.ts';
import { onCallContacts } from '../on-call.ts';
import type { ContactsDependencies } from '../operation.ts';
import type { ContactRecord, PlanStage } from '../ports.ts';
import { acknowledgeEngagements, stopForAcknowledgedIncident } from './endings.ts';
import { pageMessage } from './messages.ts';
import {
  type ClaimCondition,
  type EngagementMessage,
  type EngagementRecord,
  type EngagementServices,
  type EngagementStatus,
  PAGING_EVENT_TYPES,
  type PageRecord,
  type PersonClaim,
  type ReplyCode,
  type ResolutionStep,
  type Unreachable,
} from './model.ts';
import { recordEngagementEvent, reportUnreachable, unreachableWords } from './paging-timeline.ts';
import { channelProblem, nameOf, personReach } from './reachability.ts';
import {
  acceptCodeHash,
  derivedId,
  dueStages,
  MAX_CHILDREN_PER_STAGE,
  nextPlanInstant,
  personWakes,
  planEnd,
  planFinished,
  replyCodeKey,
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

/** Human stage numbers (the API's StageIndex is 0-based; people count from 1). */
const stageWords = (index: number) => `stage ${index + 1}`;

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

export const messageOf = (e: EngagementMessage): EngagementMessage => ({
  sender: e.sender,
  subject: e.subject,
  content: e.content,
  ...(e.publicSubject !== undefined ? { publicSubject: e.publicSubject } : {}),
  ...(e.publicContent !== undefined ? { publicContent: e.publicContent } : {}),
  ...(e.incidentId !== undefined ? { incidentId: e.incidentId } : {}),
  ...(e.incident !== undefined ? { incident: e.incident } : {}),
});

/** The claim condition a tree's pages for an incident carry (none without an IncidentId). */
const claimOf = (e: EngagementRecord, root: EngagementRecord, replacing?: string): ClaimCondition | undefined =>
  e.incidentId
    ? { incidentId: e.incidentId, treeStartTime: root.startTime, ...(replacing ? { replacing } : {}) }
    : undefined;

// ---- the step -----------------------------------------------------------------------------------------------------

interface Progress {
  /** The engagement still has something to do. */
  active: boolean;
  /** Instants at which it next needs a step. */
  wakes: number[];
  /** The root ended while this engagement was being advanced. */
  rootEnded?: boolean;
  /** The engagement reached its person: a page went out, another engagement pages them, or they acknowledged. */
  reached: boolean;
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
  let reached: boolean;
  let children: EngagementRecord[] = [];

  if (root.contactType === 'PERSONAL') {
    const progress = await advancePersonal(deps, ctx, root, root, pagesOf(root.engagementId));
    if (progress.rootEnded) return done;
    active = progress.active;
    reached = progress.reached;
    wakes.push(...progress.wakes);
  } else {
    const escalation = await advanceEscalation(deps, ctx, root);
    if (!escalation) return done;
    root = escalation.root;
    active = !planFinished(root, now);
    reached = escalation.children.size > 0;
    const next = nextPlanInstant(root, now);
    if (next !== undefined) wakes.push(next);
    for (const child of escalation.children.values()) {
      children.push(child);
      if (child.status !== 'ENGAGED') continue;
      const progress = await advancePersonal(deps, ctx, child, root, pagesOf(child.engagementId), planEnd(root));
      if (progress.rootEnded) return done;
      active ||= progress.active;
      wakes.push(...progress.wakes);
    }
    children = children.filter((c) => c.status === 'ENGAGED');
  }

  if (!active) {
    await completeTree(deps, ctx, root, children, reached, now);
    return done;
  }
  const future = wakes.filter((w) => w > now);
  // Something is due now that could not run (a lost race): look again shortly.
  const wakeAt = future.length ? Math.min(...future) : now + Math.min(1000, root.minuteMs);
  return { engagementId, done: false, wakeAt: wakeAtText(wakeAt, root.minuteMs) };
}

/**
 * The plan ran to its end without an acknowledgement: the root and the children still waiting complete (their pages
 * stay answerable: a late acknowledgement still counts). A tree that reached nobody at all says so, naming who could
 * not be paged and why (log/console, timeline, and the engagement's StopReason).
 */
async function completeTree(
  deps: EngagementDependencies,
  ctx: RequestContext,
  root: EngagementRecord,
  children: EngagementRecord[],
  reached: boolean,
  now: number,
) {
  const { store } = deps.engagements;
  let unreachable = root.unreachable ?? [];
  if (!reached && root.contactType === 'PERSONAL') {
    const contact = await contactOf(deps, ctx, root.contactArn);
    const reach = contact ? await personReach(deps, contact) : undefined;
    const reason = !contact ? `${root.contactAlias} no longer exists` : reach?.reachable ? undefined : reach?.reason;
    if (reason) unreachable = [{ contactArn: root.contactArn, reason }];
  }
  const nobody = `Nobody could be paged: ${unreachableWords(unreachable).join('; ') || 'the plan targets no one'}.`;
  const reason = reached ? 'The plan ran to its end without an acknowledgement.' : nobody;
  const endedNow = await store.endEngagement(root.engagementId, ENDED_BY_OTHERS, 'COMPLETED', now, reason);
  for (const child of children)
    await store.endEngagement(
      child.engagementId,
      ENDED_BY_OTHERS,
      'COMPLETED',
      now,
      'The escalation ran to its end without an essential acknowledgement.',
    );
  if (endedNow && !reached)
    await reportUnreachable(
      deps,
      root,
      `The engagement of ${root.contactAlias} paged nobody. ${nobody}`,
      unreachable,
      {},
      `nobody:${root.engagementId}`,
      now,
    );
}

/** How a personal engagement of an incident stands with the person's page stream (their claim). */
type StreamDecision =
  | { kind: 'own'; replacing?: string }
  | { kind: 'linked'; through: EngagementRecord }
  | { kind: 'acknowledged'; claim: PersonClaim };

/**
 * One page stream per person per incident: this engagement pages the person itself unless another live engagement
 * owns their stream (then this one follows it) or they acknowledged the incident after this tree began (then this
 * engagement is answered). An owner that ended without an acknowledgement is taken over.
 */
async function streamOf(
  deps: EngagementDependencies,
  e: EngagementRecord,
  root: EngagementRecord,
): Promise<StreamDecision> {
  const { store } = deps.engagements;
  if (!e.incidentId) return { kind: 'own' };
  const claim = await store.getPersonClaim(e.incidentId, e.contactAlias);
  if (!claim) return { kind: 'own' };
  if (claim.acknowledgedTime !== undefined && claim.acknowledgedTime >= root.startTime)
    return { kind: 'acknowledged', claim };
  // Answered before this tree began (a deliberate new engagement pages them anew), unowned, or ours.
  if (claim.acknowledgedTime !== undefined || !claim.ownerEngagementId || claim.ownerEngagementId === e.engagementId)
    return { kind: 'own' };
  const owner = await store.getEngagement(claim.ownerEngagementId);
  if (owner?.status === 'ENGAGED') return { kind: 'linked', through: owner };
  return { kind: 'own', replacing: claim.ownerEngagementId };
}

/** Runs the due stages and re-sends of one PERSONAL engagement. */
async function advancePersonal(
  deps: EngagementDependencies,
  ctx: RequestContext,
  engagement: EngagementRecord,
  root: EngagementRecord,
  pages: PageRecord[],
  /** For a person engaged by an escalation plan: when that plan ends (personWakes). */
  escalationEnd?: number,
): Promise<Progress> {
  const { store } = deps.engagements;
  const now = ctx.now;
  let e: EngagementRecord | undefined = engagement;
  const retryWakes: number[] = [];
  const reachedNow = () => e!.pagedTime !== undefined || e!.pagedThrough !== undefined;

  let lostRaces = 0;
  const lostRace = async (stageIndex: number) => {
    if (++lostRaces > MAX_LOST_RACES)
      throw new StepConflict(`Stage ${stageIndex} of ${e!.arn} keeps failing its condition.`);
    return store.getEngagement(e!.engagementId);
  };
  while (e && e.status === 'ENGAGED' && dueStages(e, now).length > 0) {
    const stageIndex = e.nextStage;
    const stream = await streamOf(deps, e, root);
    if (stream.kind === 'acknowledged') {
      // They acknowledged another page of this incident after this tree began: that answers this engagement too.
      const rootEnded = await acknowledgeEngagements(
        deps,
        [e],
        {
          contactArn: e.contactArn,
          alias: e.contactAlias,
          via: 'their acknowledgement of another page of this incident',
          ...(stream.claim.acknowledgedPageArn ? { pageArn: stream.claim.acknowledgedPageArn } : {}),
        },
        now,
      );
      return { active: false, wakes: [], reached: true, ...(rootEnded ? { rootEnded } : {}) };
    }
    if (stream.kind === 'linked') {
      // Another engagement of this incident pages them: this stage pages nobody, and takes its usual time.
      const outcome = await store.commitPersonalStage(e, stageIndex, [], now, {
        pagedThrough: stream.through.engagementId,
      });
      if (outcome === 'root-ended') return { active: false, wakes: [], rootEnded: true, reached: true };
      if (outcome !== 'committed') {
        e = await lostRace(stageIndex);
        continue;
      }
      if (e.pagedThrough !== stream.through.engagementId)
        deps.engagements.warn?.('a person reached twice for one incident is paged once', {
          incidentId: e.incidentId,
          contact: e.contactAlias,
          engagementArn: e.arn,
          pagedThrough: stream.through.arn,
        });
      e = { ...e, nextStage: stageIndex + 1, pagedThrough: stream.through.engagementId };
      continue;
    }

    const { prepared, problems } = await stagePages(deps, ctx, e, stageIndex);
    const unreachable: Unreachable[] = problems.map((reason) => ({ contactArn: e!.contactArn, reason, stageIndex }));
    const skip = prepared.length === 0;
    const replyCodes: ReplyCode[] = prepared
      .filter(({ page }) => page.channelType === 'SMS')
      .map(({ page, code }) => ({
        pageId: page.pageId,
        pageArn: page.arn,
        address: page.address,
        key: replyCodeKey(page.address, code),
      }));
    const claim = claimOf(e, root, stream.replacing);
    const outcome = await store.commitPersonalStage(
      e,
      stageIndex,
      prepared.map((p) => p.page),
      now,
      { skip, unreachable, replyCodes, ...(claim ? { claim } : {}) },
    );
    if (outcome === 'root-ended') return { active: false, wakes: [], rootEnded: true, reached: reachedNow() };
    if (outcome === 'incident-acknowledged') {
      // Someone essential acknowledged the incident after this tree began: nobody else is woken by it.
      await stopForAcknowledgedIncident(deps, root, now);
      return { active: false, wakes: [], rootEnded: true, reached: reachedNow() };
    }
    if (outcome !== 'committed') {
      // Another step ran this stage, the engagement ended, or someone else claimed the person: look again.
      e = await lostRace(stageIndex);
      continue;
    }
    const firstPaged = e.pagedTime === undefined && prepared.length > 0;
    e = {
      ...e,
      nextStage: stageIndex + 1,
      ...(firstPaged ? { pagedTime: now } : {}),
      ...(skip ? { skippedStages: [...(e.skippedStages ?? []), stageIndex] } : {}),
      ...(unreachable.length ? { unreachable: [...(e.unreachable ?? []), ...unreachable] } : {}),
    };
    const next = await Promise.all(prepared.map(({ page, code }) => deliver(deps, page, code, 1, e!.minuteMs, now)));
    for (const at of next) if (at !== undefined) retryWakes.push(at);
    if (firstPaged)
      await recordEngagementEvent(
        deps,
        e,
        PAGING_EVENT_TYPES.page,
        `Paged ${e.contactAlias} (${prepared.map(({ page }) => page.channelType).join(', ')}).`,
        {},
        `page:${e.engagementId}`,
        now,
      );
    if (unreachable.length) await reportStageProblems(deps, ctx, e, stageIndex, unreachable, skip, now);
  }
  if (e?.status !== 'ENGAGED') return { active: false, wakes: [], reached: e !== undefined && reachedNow() };

  const claim = claimOf(e, root);
  for (const page of pages) {
    if (page.nextAttemptAt === undefined || page.deliveryState !== 'ERROR') continue;
    if (page.nextAttemptAt > now) {
      retryWakes.push(page.nextAttemptAt);
      continue;
    }
    const attempt = page.attempts + 1;
    const code = newActivationCode();
    const replyCode =
      page.channelType === 'SMS'
        ? { pageId: page.pageId, pageArn: page.arn, address: page.address, key: replyCodeKey(page.address, code) }
        : undefined;
    if (!(await store.claimRetry(page, attempt, acceptCodeHash(page.arn, code), now, replyCode, claim))) continue;
    const next = await deliver(deps, { ...page, attempts: attempt }, code, attempt, e.minuteMs, now);
    if (next !== undefined) retryWakes.push(next);
  }

  // A child whose own plan ran out stays ENGAGED (its pages answerable and stoppable) until its tree ends.
  const active = !planFinished(e, now) || retryWakes.length > 0;
  if (escalationEnd !== undefined)
    return { active, wakes: personWakes(e, retryWakes, escalationEnd, now), reached: reachedNow() };
  const planNext = nextPlanInstant(e, now);
  return { active, wakes: [...retryWakes, ...(planNext !== undefined ? [planNext] : [])], reached: reachedNow() };
}

/**
 * A stage of a person's plan could not use some of its channels: say so, unless the person can be paged by no stage
 * at all (then the engagement that reached nobody says it once, or the escalation stage that skipped them did).
 */
async function reportStageProblems(
  deps: EngagementDependencies,
  ctx: RequestContext,
  e: EngagementRecord,
  stageIndex: number,
  unreachable: Unreachable[],
  skipped: boolean,
  now: number,
) {
  if (skipped && e.pagedTime === undefined) {
    const contact = await contactOf(deps, ctx, e.contactArn);
    if (!contact || !(await personReach(deps, contact)).reachable) return;
  }
  const last = stageIndex >= e.stages.length - 1;
  const what = unreachable.map((u) => u.reason).join('; ');
  const stage = `Stage ${stageIndex + 1} of ${e.contactAlias}'s engagement plan`;
  const summary = skipped
    ? `${stage} paged nobody (${what}); ${last ? 'it was the last stage' : `moved on to ${stageWords(stageIndex + 1)} at once`}.`
    : `${stage} could not page every channel (${what}); it paged the others.`;
  await reportUnreachable(deps, e, summary, unreachable, { stageIndex }, `gap:${e.engagementId}:${stageIndex}`, now);
}

/**
 * The pages stage `stageIndex` of a PERSONAL engagement creates: one per ACTIVATED channel it targets, and why the
 * other targeted channels could not be paged.
 */
async function stagePages(
  deps: EngagementDependencies,
  ctx: RequestContext,
  e: EngagementRecord,
  stageIndex: number,
): Promise<{ prepared: { page: PageRecord; code: string }[]; problems: string[] }> {
  const stage = e.stages[stageIndex];
  const prepared: { page: PageRecord; code: string }[] = [];
  const problems: string[] = [];
  if (!stage) return { prepared, problems };
  const seen = new Set<string>();
  for (const [targetIndex, target] of stage.targets.entries()) {
    const channelArn = target.channelTargetInfo?.contactChannelId;
    if (!channelArn || seen.has(channelArn)) continue;
    seen.add(channelArn);
    const parsed = parseOrUndefined(ctx, channelArn);
    if (parsed?.kind !== 'contact-channel' || parsed.alias !== e.contactAlias) continue;
    const found = await deps.store.getContactChannel(parsed.alias, parsed.channelId);
    // A deleted channel is skipped (the plan keeps its ARN); so is one that is not activated. Both are said.
    const problem = channelProblem(channelArn, found?.record);
    if (problem || !found) {
      problems.push(problem ?? `contact channel ${nameOf(channelArn)} no longer exists`);
      continue;
    }
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
        // The real instant, not the step's: a late step that runs two stages creates their pages in order, and
        // the page lists (oldest first) keep that order.
        createdTime: Math.max(ctx.now, Date.now()),
        attempts: 1,
        acceptCodeHashes: [acceptCodeHash(arn, code)],
        deliveryState: 'PENDING',
        ...(retry !== undefined ? { retryIntervalInMinutes: retry } : {}),
      },
    });
  }
  return { prepared, problems };
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
    const acknowledgeLink = await linkFor(deps, page, attempt, now);
    const result = await deps.messages.send(
      pageMessage(page, code, attempt, now, {
        ...(deps.engagements.content ?? { smsReplies: false }),
        ...(acknowledgeLink ? { acknowledgeLink } : {}),
      }),
    );
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

/** An email page's acknowledge link; a page goes out without one rather than not at all when signing fails. */
async function linkFor(deps: EngagementDependencies, page: PageRecord, attempt: number, now: number) {
  const links = deps.engagements.links;
  if (page.channelType !== 'EMAIL' || !links) return undefined;
  try {
    return await links.linkFor(page, attempt, now);
  } catch (error) {
    deps.engagements.warn?.('could not sign the acknowledge link; the email goes out with the code only', {
      pageArn: page.arn,
      error: String(error),
    });
    return undefined;
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
    const { candidates, unreachable } = await resolveStage(deps, ctx, root, stageIndex);
    const latestByAlias = new Map<string, EngagementRecord>();
    for (const child of children.values()) {
      const seen = latestByAlias.get(child.contactAlias);
      if (!seen || seen.startTime <= child.startTime) latestByAlias.set(child.contactAlias, child);
    }
    const created: EngagementRecord[] = [];
    const promote: string[] = [];
    let reached = 0;
    let answeredEssential: EngagementRecord | undefined;
    for (const candidate of candidates) {
      const previous = latestByAlias.get(candidate.contact.alias);
      if (previous?.status === 'ACKNOWLEDGED' || previous?.status === 'ENGAGED') {
        reached++;
        if (candidate.essential && !previous.essential) promote.push(previous.engagementId);
        // Acknowledged earlier as non-essential, essential here: their acknowledgement ends the escalation now.
        if (candidate.essential && previous.status === 'ACKNOWLEDGED') answeredEssential = previous;
        continue;
      }
      const reach = await personReach(deps, candidate.contact);
      if (!reach.reachable) {
        unreachable.push({ contactArn: candidate.contact.arn, reason: reach.reason, stageIndex });
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
      reached++;
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
    // A stage that reached nobody takes no time: the next stage runs at once.
    const skip = reached === 0;
    const outcome = await store.commitEscalationStage(root, stageIndex, created, promote, { skip, unreachable });
    if (outcome !== 'committed') {
      if (++lostRaces > MAX_LOST_RACES)
        throw new StepConflict(`Stage ${stageIndex} of ${root.arn} keeps failing its condition.`);
      const stored = await store.getEngagement(root.engagementId);
      if (stored?.status !== 'ENGAGED') return undefined;
      root = stored;
      await loadChildren(root);
      continue;
    }
    const reachedBefore = children.size > 0;
    root = {
      ...root,
      nextStage: stageIndex + 1,
      children: [
        ...(root.children ?? []),
        ...created.map((c) => ({ engagementId: c.engagementId, alias: c.contactAlias, stageIndex })),
      ],
      ...(skip ? { skippedStages: [...(root.skippedStages ?? []), stageIndex] } : {}),
      ...(unreachable.length ? { unreachable: [...(root.unreachable ?? []), ...unreachable] } : {}),
    };
    for (const child of created) children.set(child.engagementId, child);
    for (const id of promote) {
      const child = children.get(id);
      if (child) children.set(id, { ...child, essential: true });
    }
    if (unreachable.length)
      await reportEscalationGap(deps, root, stageIndex, unreachable, skip, reachedBefore, ctx.now);
    if (answeredEssential) {
      await acknowledgeEngagements(
        deps,
        [{ ...answeredEssential, essential: true }],
        {
          contactArn: answeredEssential.contactArn,
          alias: answeredEssential.contactAlias,
          via: `their earlier acknowledgement (essential in ${stageWords(stageIndex)})`,
        },
        ctx.now,
      );
      return undefined;
    }
  }
  return { root, children };
}

/**
 * An escalation stage could not page some of its targets (or anyone): say who and why, and whether the escalation
 * moved on. The last stage of a tree that reached nobody is left to the engagement's own "paged nobody" report.
 */
async function reportEscalationGap(
  deps: EngagementDependencies,
  root: EngagementRecord,
  stageIndex: number,
  unreachable: Unreachable[],
  skipped: boolean,
  reachedBefore: boolean,
  now: number,
) {
  const last = stageIndex >= root.stages.length - 1;
  if (skipped && last && !reachedBefore) return;
  const plan = `${root.contactType === 'ONCALL_SCHEDULE' ? 'on-call schedule' : 'escalation plan'} ${root.contactAlias}`;
  const who = unreachableWords(unreachable).join('; ');
  const summary = skipped
    ? `${stageWords(stageIndex)} of ${plan} reached nobody: ${who}. ${last ? 'It was the last stage.' : `Moved on to ${stageWords(stageIndex + 1)} at once.`}`
    : `${stageWords(stageIndex)} of ${plan} could not page ${who}; it paged the others.`;
  await reportUnreachable(
    deps,
    root,
    summary.charAt(0).toUpperCase() + summary.slice(1),
    unreachable,
    { stageIndex, skipped },
    `gap:${root.engagementId}:${stageIndex}`,
    now,
  );
}

interface Candidate {
  contact: ContactRecord;
  essential: boolean;
  resolution: ResolutionStep[];
}

/**
 * The PERSONAL contacts stage `stageIndex` of an escalation root reaches now, each once (essential if any path is),
 * and the targets that reach nobody (a deleted contact, an on-call schedule with nobody on call now).
 */
async function resolveStage(
  deps: EngagementDependencies,
  ctx: RequestContext,
  root: EngagementRecord,
  stageIndex: number,
): Promise<{ candidates: Candidate[]; unreachable: Unreachable[] }> {
  const stage = root.stages[stageIndex];
  const byAlias = new Map<string, Candidate>();
  const unreachable: Unreachable[] = [];
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
    if (!contact) {
      unreachable.push({ contactArn: info.contactId, reason: 'the contact no longer exists', stageIndex });
      continue;
    }
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
      let people = 0;
      for (const arn of onCall) {
        const person = await contactOf(deps, ctx, arn);
        if (person?.type !== 'PERSONAL') {
          unreachable.push({
            contactArn: arn,
            reason: `on call in ${contact.alias} but the contact no longer exists`,
            stageIndex,
          });
          continue;
        }
        people++;
        add({
          contact: person,
          essential: info.isEssential,
          resolution: [rootStep, ...viaSchedule, { contactArn: person.arn, type: 'PERSONAL', stageIndex }],
        });
      }
      if (people === 0 && onCall.length === 0)
        unreachable.push({
          contactArn: contact.arn,
          reason: `on-call schedule ${contact.alias} has nobody on call now`,
          stageIndex,
        });
    }
  }
  return { candidates: [...byAlias.values()], unreachable };
}

const parseOrUndefined = (ctx: RequestContext, arn: string) => {
  try {
    return parseContactsArn(ctx, arn, 'arn');
  } catch {
    return undefined;
  }
};

export const contactOf = async (deps: ContactsDependencies, ctx: RequestContext, arn: string) => {
  const parsed = parseOrUndefined(ctx, arn);
  if (parsed?.kind !== 'contact') return undefined;
  return (await deps.store.getContact(parsed.alias))?.record;
};
