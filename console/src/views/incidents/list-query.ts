/**
 * The incident list's filters, kept in the URL so a filtered list can be shared and survives a reload. Status,
 * impact, creator and start time are filters of ListIncidentRecords itself; the response plan is not a filter the
 * API has, so it is applied to the loaded rows (the plan is part of each incident record's ARN).
 */
import type { Filter } from '@aws-sdk/client-ssm-incidents';

export interface ListFilters {
  status: 'OPEN' | 'RESOLVED';
  impact?: number;
  plan?: string;
  createdBy?: string;
  /** Started within the last N hours. */
  withinHours?: number;
}

export const WITHIN_CHOICES = [
  { hours: 1, label: 'Last hour' },
  { hours: 24, label: 'Last 24 hours' },
  { hours: 24 * 7, label: 'Last 7 days' },
  { hours: 24 * 30, label: 'Last 30 days' },
];

export function filtersFromQuery(query: URLSearchParams): ListFilters {
  const impact = Number(query.get('impact'));
  const within = Number(query.get('within'));
  return {
    status: query.get('status') === 'RESOLVED' ? 'RESOLVED' : 'OPEN',
    ...(impact >= 1 && impact <= 5 ? { impact } : {}),
    ...(query.get('plan') ? { plan: query.get('plan') as string } : {}),
    ...(query.get('createdBy') ? { createdBy: query.get('createdBy') as string } : {}),
    ...(within > 0 ? { withinHours: within } : {}),
  };
}

export function queryFromFilters(filters: ListFilters): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.status !== 'OPEN') query.set('status', filters.status);
  if (filters.impact) query.set('impact', String(filters.impact));
  if (filters.plan) query.set('plan', filters.plan);
  if (filters.createdBy) query.set('createdBy', filters.createdBy);
  if (filters.withinHours) query.set('within', String(filters.withinHours));
  return query;
}

/** The ListIncidentRecords filters (the API allows five; these are at most four). */
export function apiFilters(filters: ListFilters, now = Date.now()): Filter[] {
  const list: Filter[] = [{ key: 'status', condition: { equals: { stringValues: [filters.status] } } }];
  if (filters.impact) list.push({ key: 'impact', condition: { equals: { integerValues: [filters.impact] } } });
  if (filters.createdBy) list.push({ key: 'createdBy', condition: { equals: { stringValues: [filters.createdBy] } } });
  if (filters.withinHours)
    list.push({ key: 'creationTime', condition: { after: new Date(now - filters.withinHours * 3_600_000) } });
  return list;
}
