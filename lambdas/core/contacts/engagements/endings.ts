/**
 * How paging ends: stops (StopEngagement, the incident's resolution, a failed workflow), acknowledgements, and what
 * an acknowledgement answers. The rules (docs/api-compatibility.md, "Paging"):
 *
 * - Stopping reaches everyone: every outstanding page (not read, not stopped) of what stops gets a STOP receipt with
 *   the reason, whatever its engagement's state, and the incident's timeline says who stopped what and why.
 * - One acknowledgement counts everywhere: a person's acknowledgement of any page of an incident answers every one of
 *   their engagements of that incident (as essential where they are essential there); their other outstanding pages
 *   get a STOP receipt.
 * - Once someone essential acknowledged the incident (an acknowledgement that ends a root engagement: a person engaged
 *   directly, or an essential contact of an escalation plan or on-call schedule), nobody else is woken: the incident's
 *   paging state records it FIRST (every page-creating transaction checks it), then the incident's other engagements
 *   that began before it stop.
 * - An acknowledgement after its engagement stopped (a late one) is recorded (READ receipt, timeline) and still
 *   answers the person's other engagements that are live.
 */
import type { EngagementDependencies } from './engine.ts';
import {
  type EngagementRecord,
  type EngagementStatus,
  PAGING_EVENT_TYPES,
  type PageRecord,
  type ReceiptRecord,
} from './model.ts';
import { recordEngagementEvent, recordPagingEvent } from './paging-timeline.ts';
import { nameOf } from './reachability.ts';

/** Who acknowledged, and how (for receipts, reasons and the timeline). */
export interface Acknowledger {
  contactArn: string;
  alias: string;
  /** How, in words: "with the email link", "by SMS reply", "with AcceptPage". */
  via: string;
  /** The page they acknowledged (its other channels are stopped, not this one). */
  pageArn?: string;
}

const isRoot = (e: Pick<EngagementRecord, 'engagementId' | 'rootEngagementId'>) =>
  e.rootEngagementId === e.engagementId;

/** An engagement to end: what a conditional status change and the timeline need (nothing is read first). */
type EngagementRef = Pick<EngagementRecord, 'engagementId' | 'rootEngagementId' | 'contactArn'>;

/** The children of a root as its `children` names them (a contact ARN is the root's with the child's alias). */
const childrenOf = (root: EngagementRecord): EngagementRef[] =>
  (root.children ?? []).map((c) => ({
    engagementId: c.engagementId,
    rootEngagementId: root.engagementId,
    contactArn: root.contactArn.replace(/contact\/[^/]+$/, `contact/${c.alias}`),
  }));

/** Moves each engagement from ENGAGED to `status` (conditional writes, sent together); returns those this call ended. */
async function endAll(
  deps: EngagementDependencies,
  engagements: EngagementRef[],
  status: EngagementStatus,
  reason: string,
  now: number,
): Promise<EngagementRef[]> {
  const results = await Promise.all(
    engagements.map(async (e) =>
      (await deps.engagements.store.endEngagement(e.engagementId, ['ENGAGED'], status, now, reason)) ? e : undefined,
    ),
  );
  return results.filter((e): e is EngagementRef => e !== undefined);
}

/**
 * A STOP receipt for every outstanding page of a tree that `reasonFor` gives a reason for (the pages of some of its
 * engagements, or all), from one read of the tree's pages and in as few transactions as the store allows; returns the
 * pages it stopped (one read or stopped meanwhile gets none, and may still be listed: the receipts are the record).
 * Called after the writes that end those engagements, so no page of theirs can appear after the read.
 */
async function stopOutstandingPages(
  deps: EngagementDependencies,
  rootEngagementId: string,
  reasonFor: (page: PageRecord) => string | undefined,
  now: number,
): Promise<PageRecord[]> {
  const { store } = deps.engagements;
  const outstanding = (await store.pagesOfTree(rootEngagementId)).flatMap((page) => {
    const reason = page.readTime === undefined && page.stopTime === undefined ? reasonFor(page) : undefined;
    return reason === undefined ? [] : [{ page, reason }];
  });
  await store.stopPages(
    outstanding.map(({ page, reason }) => ({
      page,
      receipt: {
        pageId: page.pageId,
        receiptType: 'STOP',
        receiptTime: now,
        contactChannelArn: page.contactChannelArn,
        receiptInfo: reason.slice(0, 2048),
        sequence: 'stop',
      } satisfies ReceiptRecord,
    })),
  );
  return outstanding.map(({ page }) => page);
}

/** The reason for the pages of `engagementIds`, none for the others. */
const pagesOf =
  (engagementIds: ReadonlySet<string>, reason: string) =>
  (page: PageRecord): string | undefined =>
    engagementIds.has(page.engagementId) ? reason : undefined;

/** `SSM Contacts Engagement Stop for Incident`: whose paging stopped, why, and who stopped it. */
async function recordStop(
  deps: EngagementDependencies,
  e: EngagementRecord,
  contacts: string[],
  reason: string,
  stoppedBy: string,
  now: number,
) {
  const names = [...new Set(contacts.map(nameOf))];
  const whose = isRoot(e) && e.contactType !== 'PERSONAL' ? ` (${e.contactAlias})` : '';
  await recordPagingEvent(
    deps,
    e.incidentId,
    PAGING_EVENT_TYPES.stop,
    {
      contactArn: e.contactArn,
      engagementArn: e.arn,
      stoppedBy,
      reason,
      contactsStopped: [...new Set(contacts)],
      summary: `Paging stopped for ${names.join(', ') || e.contactAlias}${whose}: ${reason}. Stopped by ${stoppedBy}.`,
    },
    [e.contactArn, e.arn],
    `stop:${e.engagementId}`,
    now,
  );
}

export interface StopOptions {
  /** Stop the root's workflow execution too (not from inside that execution's own step). @default true */
  stopWorkflow?: boolean;
}

/**
 * StopEngagement, the incident's resolution, an essential acknowledgement elsewhere: a root stops with its whole tree
 * and its execution; a child stops alone (the rest of the escalation goes on). Outstanding pages get a STOP receipt
 * even when their engagement had ended (a plan that ran out), and the timeline says who stopped it and why.
 */
export async function stopEngagement(
  deps: EngagementDependencies,
  e: EngagementRecord,
  reason: string,
  now: number,
  stoppedBy: string,
  options: StopOptions = {},
): Promise<void> {
  const { store } = deps.engagements;
  let ended: EngagementRef[];
  let pages: PageRecord[];
  if (isRoot(e)) {
    // The root first (returning it as stored, so the children it names are the current ones), then its workflow:
    // nothing pages after the root's status changed. Then the children, even when the root had ended before, so a
    // stop interrupted half-way is completed by the next one.
    const root = await store.endEngagementReturning(e.engagementId, ['ENGAGED'], 'STOPPED', now, reason);
    if (options.stopWorkflow !== false) {
      try {
        await deps.engagements.runner.stop(e.engagementId, reason);
      } catch (error) {
        // The engagement is stopped in the table, so the workflow ends at its next step anyway.
        deps.engagements.warn?.('could not stop the engagement workflow; it ends at its next step', {
          engagementArn: e.arn,
          error: String(error),
        });
      }
    }
    const children = childrenOf(root.engagement ?? e);
    // With the root ended no page of the tree can be created any more (every page transaction checks the root), so
    // its pages are read and stopped while the children's own status changes are in flight: one round trip less.
    const ids = new Set([e, ...children].map((t) => t.engagementId));
    const [endedChildren, stoppedPages] = await Promise.all([
      endAll(deps, children, 'STOPPED', reason, now),
      stopOutstandingPages(deps, e.rootEngagementId, pagesOf(ids, reason), now),
    ]);
    ended = [...(root.ended ? [e] : []), ...endedChildren];
    pages = stoppedPages;
  } else {
    ended = await endAll(deps, [e], 'STOPPED', reason, now);
    pages = await stopOutstandingPages(deps, e.rootEngagementId, pagesOf(new Set([e.engagementId]), reason), now);
  }
  if (ended.length === 0 && pages.length === 0) return;
  const contacts = [
    ...ended.filter((t) => t.engagementId !== e.engagementId || e.contactType === 'PERSONAL').map((t) => t.contactArn),
    ...pages.map((p) => p.contactArn),
  ];
  await recordStop(deps, e, contacts, reason, stoppedBy, now);
}

/** Resolving an incident: every engagement of it stops, and every outstanding page gets a STOP receipt. */
export async function stopIncidentPaging(
  deps: EngagementDependencies,
  incidentId: string,
  reason: string,
  stoppedBy: string,
  now: number,
): Promise<void> {
  for (const e of await deps.engagements.store.engagementsOfIncident(incidentId))
    if (isRoot(e) && e.status !== 'ACKNOWLEDGED') await stopEngagement(deps, e, reason, now, stoppedBy);
}

/**
 * A step found that someone essential acknowledged the incident after its tree began (the acknowledgement's own stops
 * may not have reached this tree yet, or were lost to a crash): the tree stops, from inside its workflow.
 */
export async function stopForAcknowledgedIncident(deps: EngagementDependencies, root: EngagementRecord, now: number) {
  const state = root.incidentId ? await deps.engagements.store.getIncidentPagingState(root.incidentId) : undefined;
  const by = state?.acknowledgedBy ?? 'an essential contact';
  await stopEngagement(deps, root, `Incident acknowledged by essential contact ${nameOf(by)}`, now, by, {
    stopWorkflow: false,
  });
}

/**
 * Answers engagements of one person: each becomes ACKNOWLEDGED (from ENGAGED, or COMPLETED when their plan ran out);
 * the person's other outstanding pages of them get a STOP receipt; where the person is essential (a root, or an
 * essential child), the root is acknowledged and the rest of its tree stops; and when that ended any root of an
 * incident, the incident's other engagements stop. Returns whether the first engagement's root ended.
 */
export async function acknowledgeEngagements(
  deps: EngagementDependencies,
  targets: EngagementRecord[],
  who: Acknowledger,
  now: number,
  /** The incident's engagements, when the caller has just read them (AcceptPage did, to find the targets). */
  incidentEngagements?: EngagementRecord[],
): Promise<boolean> {
  const { store } = deps.engagements;
  const first = targets[0];
  if (!first) return false;
  const incidentId = first.incidentId;
  const essential = targets.filter((t) => isRoot(t) || t.essential);
  // Before anything else: from this write on, no tree of the incident that began before it can create a page.
  if (incidentId && essential.length) await store.recordIncidentAcknowledged(incidentId, now, who.contactArn);

  const reason = `Acknowledged by ${who.alias} ${who.via}`;
  const answered: EngagementRecord[] = [];
  for (const t of targets) {
    const endedNow = await store.endEngagement(t.engagementId, ['ENGAGED', 'COMPLETED'], 'ACKNOWLEDGED', now, reason);
    if (!endedNow && t.status !== 'ACKNOWLEDGED') continue;
    answered.push(t);
    await recordEngagementEvent(
      deps,
      t,
      PAGING_EVENT_TYPES.acknowledgement,
      `${who.alias} acknowledged ${who.via}.`,
      { via: who.via, ...(who.pageArn ? { pageArn: who.pageArn } : {}) },
      `ack:${t.engagementId}`,
      now,
    );
  }
  const rootsEnded = new Set<string>();
  const essentialReason = `Acknowledged by essential contact ${who.alias}`;
  /** Trees an essential acknowledgement ended, with the others it stopped there (their pages stop below). */
  const treesEnded = new Map<string, { root: EngagementRecord; others: EngagementRef[]; stopped: EngagementRef[] }>();
  for (const t of answered) {
    if (!(isRoot(t) || t.essential)) continue;
    if (isRoot(t)) {
      rootsEnded.add(t.engagementId);
      continue;
    }
    // One write ends the root and returns it, with the children it engaged so far.
    const acknowledged = await store.endEngagementReturning(
      t.rootEngagementId,
      ['ENGAGED', 'COMPLETED'],
      'ACKNOWLEDGED',
      now,
      essentialReason,
    );
    const root = acknowledged.engagement;
    if (!root || (!acknowledged.ended && root.status !== 'ACKNOWLEDGED')) continue;
    rootsEnded.add(root.engagementId);
    const others = childrenOf(root).filter((c) => !answered.some((a) => a.engagementId === c.engagementId));
    treesEnded.set(root.engagementId, {
      root,
      others,
      stopped: await endAll(deps, others, 'STOPPED', essentialReason, now),
    });
  }

  // Pages no longer needed, one read per tree (after the writes above, so none of them can appear after it): the
  // person's other channels and stages, and in a tree their acknowledgement ended, everyone else's.
  for (const rootId of new Set([...answered.map((t) => t.rootEngagementId), ...treesEnded.keys()])) {
    const answeredHere = new Set(answered.filter((t) => t.rootEngagementId === rootId).map((t) => t.engagementId));
    const ended = treesEnded.get(rootId);
    const othersHere = new Set(ended?.others.map((c) => c.engagementId));
    const pages = await stopOutstandingPages(
      deps,
      rootId,
      (p) =>
        answeredHere.has(p.engagementId)
          ? p.arn === who.pageArn
            ? undefined
            : reason
          : othersHere.has(p.engagementId)
            ? essentialReason
            : undefined,
      now,
    );
    const othersPages = pages.filter((p) => othersHere.has(p.engagementId));
    if (ended && (ended.stopped.length || othersPages.length))
      await recordStop(
        deps,
        ended.root,
        [...ended.stopped.map((c) => c.contactArn), ...othersPages.map((p) => p.contactArn)],
        essentialReason,
        who.contactArn,
        now,
      );
  }

  if (incidentId && rootsEnded.size) {
    const incidentReason = `Incident acknowledged by essential contact ${who.alias}`;
    // The caller's read of them is as good as a new one: the index is eventually consistent either way, and a tree
    // that began since cannot page any more (the incident's paging state, written first, is checked by every page
    // transaction) and stops itself at its next step (stopForAcknowledgedIncident).
    for (const e of incidentEngagements ?? (await store.engagementsOfIncident(incidentId))) {
      if (!isRoot(e) || rootsEnded.has(e.engagementId)) continue;
      if (e.startTime > now || (e.status !== 'ENGAGED' && e.status !== 'COMPLETED')) continue;
      await stopEngagement(deps, e, incidentReason, now, who.contactArn);
    }
  }
  return rootsEnded.has(first.rootEngagementId);
}

export interface AcknowledgementOutcome {
  /** The page's engagement had stopped (or failed) before this acknowledgement. */
  late: boolean;
  /** Its state before the acknowledgement, and why it had ended. */
  engagementStatus?: EngagementStatus;
  stopReason?: string;
  /** Engagements this acknowledgement answered (the page's own, and the person's others for the incident). */
  answered: number;
}

/**
 * A READ acknowledgement of a page (AcceptPage, an SMS reply, an acknowledge link): answers the person's engagements
 * as described above. Repeating it changes nothing more.
 */
export async function acknowledge(
  deps: EngagementDependencies,
  page: PageRecord,
  now: number,
  via: string,
): Promise<AcknowledgementOutcome> {
  const { store } = deps.engagements;
  const e = await store.getEngagement(page.engagementId);
  if (!e) return { late: false, answered: 0 };
  const late = e.status === 'STOPPED' || e.status === 'FAILED';
  const who: Acknowledger = { contactArn: page.contactArn, alias: page.contactAlias, via, pageArn: page.arn };
  // Only what is not answered yet: repeating an acknowledgement must not move the incident's acknowledgement time.
  const answerable = (x: EngagementRecord) => x.status === 'ENGAGED' || x.status === 'COMPLETED';
  const targets = answerable(e) ? [e] : [];
  let incidentEngagements: EngagementRecord[] | undefined;
  if (page.incidentId) {
    await store.recordPersonAcknowledged(page.incidentId, page.contactAlias, now, page.arn);
    incidentEngagements = await store.engagementsOfIncident(page.incidentId);
    const others = incidentEngagements.filter(
      (x) => x.contactAlias === page.contactAlias && x.engagementId !== e.engagementId && answerable(x),
    );
    targets.push(...others);
  }
  if (late)
    await recordEngagementEvent(
      deps,
      e,
      PAGING_EVENT_TYPES.acknowledgement,
      `${page.contactAlias} acknowledged ${via} after their paging had stopped (${e.stopReason ?? e.status}).`,
      {
        via,
        pageArn: page.arn,
        late: true,
        engagementStatus: e.status,
        ...(e.stopReason ? { stopReason: e.stopReason } : {}),
      },
      `late-ack:${page.pageId}`,
      now,
    );
  if (targets.length) await acknowledgeEngagements(deps, targets, who, now, incidentEngagements);
  return {
    late,
    engagementStatus: e.status,
    ...(e.stopReason ? { stopReason: e.stopReason } : {}),
    answered: targets.length,
  };
}

/** The workflow gave up (its Catch): the tree is marked FAILED so nothing waits on it, and the reason is kept. */
export async function recordFailure(deps: EngagementDependencies, engagementId: string, cause: string, now: number) {
  const root = await deps.engagements.store.getEngagement(engagementId);
  if (!root) return;
  const reason = `The paging workflow failed: ${cause}`.slice(0, 2048);
  const tree = [root, ...childrenOf(root)];
  const ended = await endAll(deps, tree, 'FAILED', reason, now);
  const pages = await stopOutstandingPages(
    deps,
    root.engagementId,
    pagesOf(new Set(tree.map((t) => t.engagementId)), reason),
    now,
  );
  if (ended.length || pages.length)
    await recordStop(
      deps,
      root,
      [
        ...ended.filter((t) => !isRoot(t) || root.contactType === 'PERSONAL').map((t) => t.contactArn),
        ...pages.map((p) => p.contactArn),
      ],
      reason,
      'the paging workflow',
      now,
    );
}
