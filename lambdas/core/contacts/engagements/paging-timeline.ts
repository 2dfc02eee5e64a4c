/**
 * What paging tells people, besides the pages themselves: events on the incident's timeline, and notices (the log in
 * Lambda, `[paging]` lines of `npm start` locally) when someone could not be reached.
 *
 * Timeline writes are best effort and idempotent (`dedupeKey`): the page went out or the stop happened; a timeline
 * that misses the event must never make a retried step page again. Every eventData has a `summary` a person reads as
 * it is, next to the keys integrations parse (`contactArn`, `engagementArn`).
 */
import type { EngagementDependencies } from './engine.ts';
import { type EngagementRecord, PAGING_EVENT_TYPES, type Unreachable } from './model.ts';
import { nameOf } from './reachability.ts';

export type PagingEventType = (typeof PAGING_EVENT_TYPES)[keyof typeof PAGING_EVENT_TYPES];

export async function recordPagingEvent(
  deps: EngagementDependencies,
  incidentId: string | undefined,
  eventType: PagingEventType,
  data: { summary: string } & Record<string, unknown>,
  references: string[],
  dedupeKey: string,
  now: number,
): Promise<void> {
  const timeline = deps.engagements.timeline;
  if (!incidentId || !timeline) return;
  try {
    await timeline.record(incidentId, eventType, data, [...new Set(references)], dedupeKey, now);
  } catch (error) {
    deps.engagements.warn?.('could not add a paging event to the incident timeline', {
      incidentId,
      eventType,
      summary: data.summary,
      error: String(error),
    });
  }
}

/** `SSM Contacts Page for Incident` / `... Acknowledgement ...` as Incident Manager writes them, plus a summary. */
export const recordEngagementEvent = (
  deps: EngagementDependencies,
  e: EngagementRecord,
  eventType: PagingEventType,
  summary: string,
  extra: Record<string, unknown>,
  dedupeKey: string,
  now: number,
) =>
  recordPagingEvent(
    deps,
    e.incidentId,
    eventType,
    { contactArn: e.contactArn, engagementArn: e.arn, ...extra, summary },
    [e.contactArn, e.arn],
    dedupeKey,
    now,
  );

/** `alice (EMAIL channel "mail" is not activated); bob (has no contact channel)` */
export const unreachableWords = (unreachable: readonly Unreachable[]) =>
  unreachable.map((u) => (u.reason.includes(nameOf(u.contactArn)) ? u.reason : `${nameOf(u.contactArn)}: ${u.reason}`));

/**
 * Someone could not be paged: a notice now (log / console), and an `SSM Contacts Unreachable for Incident` event
 * naming who and why.
 */
export async function reportUnreachable(
  deps: EngagementDependencies,
  e: EngagementRecord,
  summary: string,
  unreachable: readonly Unreachable[],
  extra: Record<string, unknown>,
  dedupeKey: string,
  now: number,
): Promise<void> {
  const notice = {
    text: summary,
    engagementArn: e.arn,
    unreachable: [...unreachable],
    ...(e.incidentId ? { incidentId: e.incidentId } : {}),
  };
  if (deps.engagements.notice) deps.engagements.notice(notice);
  else deps.engagements.warn?.(summary, { ...notice });
  await recordPagingEvent(
    deps,
    e.incidentId,
    PAGING_EVENT_TYPES.unreachable,
    { contactArn: e.contactArn, engagementArn: e.arn, unreachable, ...extra, summary },
    [e.contactArn, e.arn, ...unreachable.map((u) => u.contactArn)],
    dedupeKey,
    now,
  );
}
