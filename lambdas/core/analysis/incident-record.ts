/**
 * Reading everything an analysis and the key figures are computed from: the incident, its whole timeline, its
 * related items, its response plan, and its engagements with their pages. Every read is a GetItem or an index Query.
 */
import type { EngagementRecord, PageRecord } from '#core/contacts/engagements/model.ts';
import { responsePlanArn } from '#core/incidents/arns.ts';
import { loadIncident } from '#core/incidents/incidents.ts';
import type { IncidentRecord, RelatedItemRecord, ResponsePlanRecord } from '#core/incidents/ports.ts';
import type { RequestContext, ServiceContext } from '#core/shared/service-context.ts';
import type { Page } from '#core/shared/storage.ts';
import { type IncidentResponseRecord, impactHistory, statusHistory } from './key-figures.ts';
import type { AnalysisDependencies } from './operation.ts';
import type { EngagementSnapshot, IncidentSnapshot, MetricSnapshot } from './ports.ts';

/** Pages an analysis keeps in its snapshot; beyond it the key figures still count every page. */
export const MAX_SNAPSHOT_PAGES = 500;

async function all<T>(read: (nextToken: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let nextToken: string | undefined;
  do {
    const page = await read(nextToken);
    items.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return items;
}

export interface IncidentFullRecord extends IncidentResponseRecord {
  relatedItems: RelatedItemRecord[];
  plan?: ResponsePlanRecord;
}

/** The response part of an incident's record: timeline, engagements, pages (what the key figures need). */
export async function readIncidentResponse(
  deps: AnalysisDependencies,
  incident: IncidentRecord,
): Promise<IncidentResponseRecord> {
  const [events, engagements] = await Promise.all([
    all((token) => deps.incidents.listTimelineEventRecords(incident.id, 1000, token)),
    all((token) => deps.engagements.listEngagements({ incidentId: incident.arn }, 100, token)),
  ]);
  // One Query per engagement tree: a root's pages include those of the contacts it engaged.
  const roots = engagements.filter((e) => e.rootEngagementId === e.engagementId);
  const pages = (await Promise.all(roots.map((root) => deps.engagements.pagesOfTree(root.engagementId)))).flat();
  const timeline = events.sort((a, b) => a.eventTime - b.eventTime || a.eventId.localeCompare(b.eventId));
  return { incident, timeline, engagements, pages };
}

export async function readIncidentFullRecord(
  deps: AnalysisDependencies,
  incident: IncidentRecord,
): Promise<IncidentFullRecord> {
  const [response, relatedItems, plan] = await Promise.all([
    readIncidentResponse(deps, incident),
    all((token) => deps.incidents.listRelatedItems(incident.id, 100, token)),
    deps.incidents.getResponsePlan(incident.responsePlanName),
  ]);
  return { ...response, relatedItems, ...(plan ? { plan: plan.record } : {}) };
}

export const loadIncidentByArn = (deps: AnalysisDependencies, ctx: RequestContext, arn: string, field: string) =>
  loadIncident({ store: deps.incidents }, ctx, arn, field);

export function incidentSnapshot(ctx: ServiceContext, record: IncidentFullRecord): IncidentSnapshot {
  const { incident, timeline, plan } = record;
  const runbook = plan?.actions?.[0]?.ssmAutomation?.documentName;
  return {
    arn: incident.arn,
    title: incident.title,
    ...(incident.summary ? { summary: incident.summary } : {}),
    status: incident.status,
    impact: incident.impact,
    impactHistory: impactHistory(incident, timeline),
    statusHistory: statusHistory(incident, timeline),
    creationTime: incident.creationTime,
    ...(incident.resolvedTime !== undefined ? { resolvedTime: incident.resolvedTime } : {}),
    source: incident.incidentRecordSource,
    responsePlan: {
      name: incident.responsePlanName,
      arn: responsePlanArn(ctx, incident.responsePlanName),
      ...(plan?.displayName ? { displayName: plan.displayName } : {}),
      ...(plan?.engagements?.length ? { engagements: plan.engagements } : {}),
      ...(runbook ? { runbook } : {}),
    },
  };
}

export const metricSnapshots = (items: readonly RelatedItemRecord[]): MetricSnapshot[] =>
  items
    .filter((item) => item.identifier.type === 'METRIC')
    .map((item) => ({ ...(item.title ? { title: item.title } : {}), identifier: item.identifier }));

/** Engagements oldest first, each with its pages (at most MAX_SNAPSHOT_PAGES in all). */
export function engagementSnapshots(
  engagements: readonly EngagementRecord[],
  pages: readonly PageRecord[],
): { engagements: EngagementSnapshot[]; truncated: boolean } {
  const sortedPages = [...pages].sort((a, b) => a.createdTime - b.createdTime);
  const kept = new Set(sortedPages.slice(0, MAX_SNAPSHOT_PAGES).map((p) => p.pageId));
  const arnById = new Map(engagements.map((e) => [e.engagementId, e.arn]));
  const snapshots = [...engagements]
    .sort((a, b) => a.startTime - b.startTime || a.engagementId.localeCompare(b.engagementId))
    .map((e) => {
      const parentArn = e.parentEngagementId ? arnById.get(e.parentEngagementId) : undefined;
      return {
        engagementArn: e.arn,
        contactArn: e.contactArn,
        contactType: e.contactType,
        status: e.status,
        startTime: e.startTime,
        ...(e.stopTime !== undefined ? { stopTime: e.stopTime } : {}),
        stagesRun: Math.min(e.nextStage, e.stages.length),
        stages: e.stages.length,
        ...(parentArn ? { parentEngagementArn: parentArn } : {}),
        pages: sortedPages
          .filter((p) => p.engagementId === e.engagementId && kept.has(p.pageId))
          .map((p) => ({
            pageArn: p.arn,
            contactArn: p.contactArn,
            channelType: p.channelType,
            stageIndex: p.stageIndex,
            createdTime: p.createdTime,
            ...(p.sentTime !== undefined ? { sentTime: p.sentTime } : {}),
            ...(p.deliveryTime !== undefined ? { deliveryTime: p.deliveryTime } : {}),
            ...(p.readTime !== undefined ? { readTime: p.readTime } : {}),
            ...(p.stopTime !== undefined ? { stopTime: p.stopTime } : {}),
          })),
      };
    });
  return { engagements: snapshots, truncated: sortedPages.length > MAX_SNAPSHOT_PAGES };
}
