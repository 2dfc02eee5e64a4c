/**
 * Key figures of an incident, computed from what the record holds (the incident, its timeline, its engagements and
 * their pages), never typed in. Pure functions: the same record always gives the same figures.
 *
 * Definitions (docs/post-incident-analysis.md#key-figures):
 * - detected: the trigger's timestamp (the alarm's state change or the event's time) of an incident opened by a
 *   trigger; manual incidents have no detection time.
 * - engaged: the first page (its first accepted delivery, else its creation).
 * - acknowledged: the first page read (AcceptPage with READ).
 * - mitigated: the first time the impact was set to 5 (No Impact) after the incident opened, the convention Incident
 *   Manager's impact scale offers for "customers no longer affected".
 * - resolved: the last resolution (a reopened incident counts from creation to its final resolution; the first
 *   resolution and the reopen count are reported beside it).
 */
import type { EngagementRecord, PageRecord } from '#core/contacts/engagements/model.ts';
import { EVENT_TYPES, MANUAL_SOURCE } from '#core/incidents/automatic-events.ts';
import type { IncidentRecord, IncidentStatus, TimelineEventRecord } from '#core/incidents/ports.ts';
import { ENDED_STEP_STATUSES, RUNBOOK_EVENT_TYPES, runbookEventFields } from '#core/runbooks/timeline.ts';
import { compact } from '#core/shared/operation.ts';

/** Impact 5 is "No Impact" on Incident Manager's scale. */
export const NO_IMPACT = 5;

/**
 * The runbook steps that ran to an end, each once: the runbooks capability writes a "Step Status Change" event per
 * status a step goes through (core/runbooks/timeline.ts), so a step that started and succeeded has two.
 */
const runbookStepsRun = (timeline: readonly TimelineEventRecord[]): number => {
  const ended = new Set<string>();
  for (const event of timeline) {
    if (event.eventType !== RUNBOOK_EVENT_TYPES.step) continue;
    const step = runbookEventFields(event.eventData);
    if (!step.status || !ENDED_STEP_STATUSES.has(step.status)) continue;
    ended.add(step.stepExecutionId ?? `${step.ssmExecutionArn}/${step.stepName}`);
  }
  return ended.size;
};

export interface ImpactChange {
  time: number;
  /** Undefined for the first point of an incident whose starting impact the record does not hold. */
  impact?: number;
}

export interface StatusChange {
  time: number;
  status: IncidentStatus;
}

/** All instants are epoch milliseconds; all durations are milliseconds. */
export interface KeyFigures {
  creationTime: number;
  detectedTime?: number;
  firstPageTime?: number;
  firstAcknowledgementTime?: number;
  mitigatedTime?: number;
  firstResolvedTime?: number;
  resolvedTime?: number;
  timeToDetect?: number;
  timeToEngage?: number;
  /** From the first page to the first acknowledgement. */
  timeToAcknowledge?: number;
  /** From the incident's creation to the first acknowledgement (Incident Manager's TimeToFirstAcknowledgement). */
  timeToFirstAcknowledgement?: number;
  timeToMitigate?: number;
  timeToResolve?: number;
  timeToFirstResolve?: number;
  reopenCount: number;
  acknowledged: boolean;
  pages: number;
  pagesAcknowledged: number;
  contactsPaged: number;
  /** Engagements the incident started (one per contact, escalation plan or on-call schedule engaged). */
  engagements: number;
  /** The most stages any engaged escalation plan ran (0 when none was engaged). */
  escalationStagesReached: number;
  runbookExecutions: number;
  /** Present only when the timeline records runbook steps. */
  runbookStepsRun?: number;
}

interface RecordUpdate {
  time: number;
  attributes: { attributeName: string; newValue: string }[];
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** The record-update events of a timeline, oldest first, with the attributes each changed. */
export function recordUpdates(timeline: readonly TimelineEventRecord[]): RecordUpdate[] {
  return timeline
    .filter((e) => e.eventType === EVENT_TYPES.recordUpdate)
    .map((e) => {
      const data = parseJson(e.eventData) as { modifiedAttributes?: unknown } | undefined;
      const attributes = Array.isArray(data?.modifiedAttributes)
        ? (data.modifiedAttributes as unknown[]).filter(
            (a): a is { attributeName: string; newValue: string } =>
              typeof (a as { attributeName?: unknown })?.attributeName === 'string' &&
              typeof (a as { newValue?: unknown })?.newValue === 'string',
          )
        : [];
      return { time: e.eventTime, attributes };
    })
    .filter((u) => u.attributes.length > 0)
    .sort((a, b) => a.time - b.time);
}

const changesOf = (updates: RecordUpdate[], attribute: string) =>
  updates.flatMap((u) =>
    u.attributes.filter((a) => a.attributeName === attribute).map((a) => ({ time: u.time, value: a.newValue })),
  );

/** The impact the incident opened with, when its start event records it. */
const initialImpact = (timeline: readonly TimelineEventRecord[]): number | undefined => {
  const start = timeline.find((e) => e.eventType === EVENT_TYPES.start);
  const impact = start ? (parseJson(start.eventData) as { impact?: unknown } | undefined)?.impact : undefined;
  return typeof impact === 'number' && Number.isInteger(impact) ? impact : undefined;
};

/**
 * The impact over time: the opening impact, then every change. Without changes the current impact is the opening
 * one; with changes and no recorded opening impact, the first point has none.
 */
export function impactHistory(incident: IncidentRecord, timeline: readonly TimelineEventRecord[]): ImpactChange[] {
  const changes = changesOf(recordUpdates(timeline), 'impact')
    .map(({ time, value }) => ({ time, impact: Number(value) }))
    .filter((c) => Number.isInteger(c.impact));
  const opening = changes.length === 0 ? incident.impact : initialImpact(timeline);
  return [{ time: incident.creationTime, ...(opening !== undefined ? { impact: opening } : {}) }, ...changes];
}

/** OPEN at creation, then every status change the timeline records. */
export function statusHistory(incident: IncidentRecord, timeline: readonly TimelineEventRecord[]): StatusChange[] {
  const changes = changesOf(recordUpdates(timeline), 'status')
    .filter((c): c is { time: number; value: IncidentStatus } => c.value === 'OPEN' || c.value === 'RESOLVED')
    .map(({ time, value }) => ({ time, status: value }));
  const history: StatusChange[] = [{ time: incident.creationTime, status: 'OPEN' }, ...changes];
  // A record whose timeline lost the resolve event (deleted by hand) still resolved at resolvedTime.
  const last = history[history.length - 1] as StatusChange;
  if (incident.status === 'RESOLVED' && incident.resolvedTime !== undefined && last.status !== 'RESOLVED')
    history.push({ time: incident.resolvedTime, status: 'RESOLVED' });
  return history;
}

/** When the alarm or event that opened the incident happened (undefined for manual incidents). */
export function detectedTime(incident: IncidentRecord, timeline: readonly TimelineEventRecord[]): number | undefined {
  if (incident.incidentRecordSource.source === MANUAL_SOURCE && !incident.incidentRecordSource.resourceArn)
    return undefined;
  const opening = timeline
    .filter((e) => e.eventType === EVENT_TYPES.trigger)
    .filter((e) => (parseJson(e.eventData) as { createdIncident?: unknown } | undefined)?.createdIncident !== false)
    .sort((a, b) => a.eventTime - b.eventTime)[0];
  return opening?.eventTime;
}

const minOf = (values: (number | undefined)[]): number | undefined => {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length ? Math.min(...defined) : undefined;
};

const between = (from: number | undefined, to: number | undefined) =>
  from !== undefined && to !== undefined ? Math.max(0, to - from) : undefined;

export interface IncidentResponseRecord {
  incident: IncidentRecord;
  timeline: readonly TimelineEventRecord[];
  /** Every engagement carrying the incident's ARN as IncidentId (roots and the contacts they engaged). */
  engagements: readonly EngagementRecord[];
  pages: readonly PageRecord[];
}

export function computeKeyFigures({ incident, timeline, engagements, pages }: IncidentResponseRecord): KeyFigures {
  const creationTime = incident.creationTime;
  const detected = detectedTime(incident, timeline);
  const firstPageTime = minOf(pages.map((p) => p.sentTime ?? p.createdTime));
  const firstAcknowledgementTime = minOf(pages.map((p) => p.readTime));
  const mitigatedTime = impactHistory(incident, timeline)
    .slice(1)
    .find((c) => c.impact === NO_IMPACT)?.time;
  const statuses = statusHistory(incident, timeline);
  const firstResolvedTime = statuses.find((s) => s.status === 'RESOLVED')?.time;
  const resolvedTime = incident.status === 'RESOLVED' ? incident.resolvedTime : undefined;
  const reopenCount = statuses.slice(1).filter((s) => s.status === 'OPEN').length;
  const roots = engagements.filter((e) => e.rootEngagementId === e.engagementId);
  const escalationStagesReached = Math.max(
    0,
    ...roots.filter((e) => e.contactType === 'ESCALATION').map((e) => Math.min(e.nextStage, e.stages.length)),
  );
  const runbookSteps = runbookStepsRun(timeline);
  const figures: KeyFigures = {
    creationTime,
    detectedTime: detected,
    firstPageTime,
    firstAcknowledgementTime,
    mitigatedTime,
    firstResolvedTime,
    resolvedTime,
    timeToDetect: between(detected, creationTime),
    timeToEngage: between(creationTime, firstPageTime),
    timeToAcknowledge: between(firstPageTime, firstAcknowledgementTime),
    timeToFirstAcknowledgement: between(creationTime, firstAcknowledgementTime),
    timeToMitigate: between(creationTime, mitigatedTime),
    timeToResolve: between(creationTime, resolvedTime),
    timeToFirstResolve: between(creationTime, firstResolvedTime),
    reopenCount,
    acknowledged: firstAcknowledgementTime !== undefined,
    pages: pages.length,
    pagesAcknowledged: pages.filter((p) => p.readTime !== undefined).length,
    contactsPaged: new Set(pages.map((p) => p.contactArn)).size,
    engagements: roots.length,
    escalationStagesReached,
    runbookExecutions: incident.automationExecutions.length,
    ...(runbookSteps > 0 ? { runbookStepsRun: runbookSteps } : {}),
  };
  return Object.fromEntries(Object.entries(figures).filter(([, v]) => v !== undefined)) as unknown as KeyFigures;
}

const toSeconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

/** The wire form: instants in epoch seconds, durations in seconds (members named `...Seconds`). */
export function keyFiguresView(f: KeyFigures) {
  const view = {
    creationTime: toSeconds(f.creationTime),
    detectedTime: toSeconds(f.detectedTime),
    firstPageTime: toSeconds(f.firstPageTime),
    firstAcknowledgementTime: toSeconds(f.firstAcknowledgementTime),
    mitigatedTime: toSeconds(f.mitigatedTime),
    firstResolvedTime: toSeconds(f.firstResolvedTime),
    resolvedTime: toSeconds(f.resolvedTime),
    timeToDetectSeconds: toSeconds(f.timeToDetect),
    timeToEngageSeconds: toSeconds(f.timeToEngage),
    timeToAcknowledgeSeconds: toSeconds(f.timeToAcknowledge),
    timeToFirstAcknowledgementSeconds: toSeconds(f.timeToFirstAcknowledgement),
    timeToMitigateSeconds: toSeconds(f.timeToMitigate),
    timeToResolveSeconds: toSeconds(f.timeToResolve),
    timeToFirstResolveSeconds: toSeconds(f.timeToFirstResolve),
    reopenCount: f.reopenCount,
    acknowledged: f.acknowledged,
    pages: f.pages,
    pagesAcknowledged: f.pagesAcknowledged,
    contactsPaged: f.contactsPaged,
    engagements: f.engagements,
    escalationStagesReached: f.escalationStagesReached,
    runbookExecutions: f.runbookExecutions,
    runbookStepsRun: f.runbookStepsRun,
  };
  return compact(view);
}
