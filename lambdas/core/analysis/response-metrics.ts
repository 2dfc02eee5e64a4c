/**
 * GetResponseMetrics: MTTA and MTTR per response plan and impact, incidents per week and pages per incident, over a
 * window of incident creation times, aggregated from the per-incident response facts (one index Query per ~3,000
 * incidents). GetIncidentKeyFigures: one incident's key figures, computed from its record on request.
 */
import { ValidationError } from '#core/shared/errors.ts';
import { compact, seconds } from '#core/shared/operation.ts';
import { optional, required, string, struct, timestamp } from '#core/shared/validation.ts';
import { loadIncidentByArn, readIncidentResponse } from './incident-record.ts';
import { computeKeyFigures, keyFiguresView } from './key-figures.ts';
import type { AnalysisOperation } from './operation.ts';
import type { ResponseFactsRecord } from './ports.ts';
import { arnString } from './shapes.ts';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** Up to a year and a bit per request; wider windows are several requests. */
export const MAX_WINDOW_MS = 371 * DAY;
export const DEFAULT_WINDOW_MS = 12 * WEEK;
/** Incidents aggregated per request at most; `truncated` says when the window held more. */
export const MAX_INCIDENTS = 10_000;

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
  /** Mean time to acknowledge: creation -> first acknowledgement (Incident Manager's TimeToFirstAcknowledgement). */
  timeToAcknowledge: DurationStats;
  /** Mean time to resolve: creation -> resolution, of the resolved incidents. */
  timeToResolve: DurationStats;
  pages: number;
  pagesPerIncident: number;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];

export function durationStats(millis: number[]): DurationStats {
  if (!millis.length) return { count: 0 };
  const sorted = [...millis].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return {
    count: sorted.length,
    meanSeconds: round(mean / 1000),
    p50Seconds: round((percentile(sorted, 50) as number) / 1000),
    p90Seconds: round((percentile(sorted, 90) as number) / 1000),
  };
}

export function groupMetrics(facts: readonly ResponseFactsRecord[]): GroupMetrics {
  const resolved = facts.filter((f) => f.resolvedTime !== undefined);
  const acknowledged = facts.filter((f) => f.firstAcknowledgementTime !== undefined);
  const pages = facts.reduce((sum, f) => sum + f.pageCount, 0);
  return {
    incidents: facts.length,
    resolved: resolved.length,
    acknowledged: acknowledged.length,
    timeToAcknowledge: durationStats(
      acknowledged.map((f) => Math.max(0, (f.firstAcknowledgementTime as number) - f.creationTime)),
    ),
    timeToResolve: durationStats(resolved.map((f) => Math.max(0, (f.resolvedTime as number) - f.creationTime))),
    pages,
    pagesPerIncident: facts.length ? round(pages / facts.length) : 0,
  };
}

const groupBy = <K extends string | number>(
  facts: readonly ResponseFactsRecord[],
  key: (f: ResponseFactsRecord) => K,
) => {
  const groups = new Map<K, ResponseFactsRecord[]>();
  for (const f of facts) groups.set(key(f), [...(groups.get(key(f)) ?? []), f]);
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
};

/** Monday 00:00 UTC of the week holding `ms` (ISO weeks). */
export const weekStart = (ms: number) => {
  const day = Math.floor(ms / DAY);
  // 1970-01-01 was a Thursday: (day + 3) % 7 is days since Monday.
  return (day - ((day + 3) % 7)) * DAY;
};

export function aggregateResponseMetrics(facts: readonly ResponseFactsRecord[], from: number, to: number) {
  const weeks: { weekStart: number; incidents: number; resolved: number }[] = [];
  for (let start = weekStart(from); start < to; start += WEEK) {
    const inWeek = facts.filter((f) => f.creationTime >= start && f.creationTime < start + WEEK);
    weeks.push({
      weekStart: start,
      incidents: inWeek.length,
      resolved: inWeek.filter((f) => f.resolvedTime !== undefined).length,
    });
  }
  return {
    totals: groupMetrics(facts),
    byResponsePlan: groupBy(facts, (f) => f.responsePlanName).map(([responsePlanName, group]) => ({
      responsePlanName,
      ...groupMetrics(group),
    })),
    byImpact: groupBy(facts, (f) => f.impact).map(([impact, group]) => ({ impact, ...groupMetrics(group) })),
    byResponsePlanAndImpact: groupBy(facts, (f) => `${f.responsePlanName}\u0000${f.impact}`).map(([, group]) => ({
      responsePlanName: (group[0] as ResponseFactsRecord).responsePlanName,
      impact: (group[0] as ResponseFactsRecord).impact,
      ...groupMetrics(group),
    })),
    weekly: weeks,
  };
}

const metricsInput = struct({
  startTime: optional(timestamp()),
  endTime: optional(timestamp()),
  responsePlanName: optional(string({ min: 1, max: 200 })),
});

export const getResponseMetrics = (async (deps, ctx, raw) => {
  const input = metricsInput.parse(raw, '');
  const to = input.endTime ?? ctx.now;
  const from = input.startTime ?? to - DEFAULT_WINDOW_MS;
  if (from >= to) throw new ValidationError("Value at 'startTime' must be before endTime.", 'startTime');
  if (to - from > MAX_WINDOW_MS)
    throw new ValidationError(
      `Value at 'startTime' makes a window longer than ${MAX_WINDOW_MS / DAY} days; ask for several windows.`,
      'startTime',
    );
  const listed = await deps.facts.listFacts(from, to, MAX_INCIDENTS);
  const facts = input.responsePlanName
    ? listed.items.filter((f) => f.responsePlanName === input.responsePlanName)
    : listed.items;
  const metrics = aggregateResponseMetrics(facts, from, to);
  return compact({
    startTime: seconds(from),
    endTime: seconds(to),
    ...metrics,
    weekly: metrics.weekly.map((w) => ({ ...w, weekStart: seconds(w.weekStart) })),
    truncated: listed.truncated || undefined,
  });
}) satisfies AnalysisOperation;

const figuresInput = struct({ incidentRecordArn: required(arnString()) });

export const getIncidentKeyFigures = (async (deps, ctx, raw) => {
  const input = figuresInput.parse(raw, '');
  const { record: incident } = await loadIncidentByArn(deps, ctx, input.incidentRecordArn, 'incidentRecordArn');
  const figures = computeKeyFigures(await readIncidentResponse(deps, incident));
  return { incidentRecordArn: incident.arn, status: incident.status, keyFigures: keyFiguresView(figures) };
}) satisfies AnalysisOperation;
