/**
 * The incident's post-incident analysis through the analysis API (restJson routes of this API, signed like the SDK
 * clients; lib/client/analysis-operations.ts): which analysis the incident links, and the words the view uses.
 */
import type { RelatedItem } from '@aws-sdk/client-ssm-incidents';
import type {
  ActionItemPriority,
  ActionItemStatus,
  AnalysisStatus,
  KeyFigures,
} from '../../../../../lib/client/analysis-types.ts';
import { formatDuration } from '../../../ui/format.ts';

/** The analysis an incident links with its ANALYSIS related item (the API adds it when the analysis is created). */
export const analysisArnOf = (items: readonly RelatedItem[]): string | undefined =>
  items.find((item) => item.identifier?.type === 'ANALYSIS')?.identifier?.value?.arn;

export const ANALYSIS_STATUS_WORDS: Record<AnalysisStatus, string> = {
  DRAFT: 'Draft',
  IN_REVIEW: 'In review',
  PUBLISHED: 'Published',
};

export const ACTION_ITEM_STATUSES: readonly ActionItemStatus[] = ['OPEN', 'IN_PROGRESS', 'DONE', 'DISMISSED'];
export const ACTION_ITEM_STATUS_WORDS: Record<ActionItemStatus, string> = {
  OPEN: 'Open',
  IN_PROGRESS: 'In progress',
  DONE: 'Done',
  DISMISSED: 'Dismissed',
};

export const PRIORITIES: readonly ActionItemPriority[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
export const PRIORITY_WORDS: Record<ActionItemPriority, string> = {
  CRITICAL: 'Critical',
  HIGH: 'High',
  MEDIUM: 'Medium',
  LOW: 'Low',
};

const seconds = (value: number | undefined) => (value === undefined ? undefined : formatDuration(value * 1000));

/** The key figures as label/value pairs, the durations in words; a figure the record cannot give is "—". */
export function keyFigureRows(figures: KeyFigures): [string, string][] {
  const duration = (value: number | undefined, missing = '—') => seconds(value) ?? missing;
  return [
    ['Time to detect', duration(figures.timeToDetectSeconds, '— (not opened by an alarm)')],
    ['Time to engage', duration(figures.timeToEngageSeconds, '— (nobody paged)')],
    ['Time to acknowledge', duration(figures.timeToAcknowledgeSeconds, figures.pages ? '— (never acknowledged)' : '—')],
    ['Time to mitigate', duration(figures.timeToMitigateSeconds)],
    ['Time to resolve', duration(figures.timeToResolveSeconds)],
    ['Pages', `${figures.pages} (${figures.pagesAcknowledged} acknowledged)`],
    ['Contacts paged', String(figures.contactsPaged)],
    ['Escalation stages reached', String(figures.escalationStagesReached)],
    ['Runbooks run', String(figures.runbookExecutions)],
    ['Runbook steps run', String(figures.runbookStepsRun ?? 0)],
    ['Reopened', figures.reopenCount ? `${figures.reopenCount} time${figures.reopenCount === 1 ? '' : 's'}` : 'never'],
  ];
}
