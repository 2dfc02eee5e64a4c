/**
 * Open and resolved incidents, newest first, with filters, impact and status at a glance, duration, auto-refresh,
 * and starting an incident from a response plan.
 */
import {
  type IncidentRecordSummary,
  ListIncidentRecordsCommand,
  ListResponsePlansCommand,
} from '@aws-sdk/client-ssm-incidents';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { navigate, paths } from '../../router.ts';
import { useSession } from '../../session.tsx';
import { Duration, ErrorNote, ImpactBadge, Link, Loading, StatusBadge, Time } from '../../ui/components.tsx';
import { IMPACT_WORDS, planNameOfIncident, principalName } from '../../ui/format.ts';
import { apiFilters, filtersFromQuery, type ListFilters, queryFromFilters, WITHIN_CHOICES } from './list-query.ts';
import { StartIncident } from './StartIncident.tsx';

const PAGE_SIZE = 100;
const REFRESH_EVERY_MS = 30_000;

interface Rows {
  items: IncidentRecordSummary[];
  nextToken?: string;
  loadedAt: Date;
}

export function IncidentList({ query }: { query: URLSearchParams }) {
  const { clients, user } = useSession();
  const filters = useMemo(() => filtersFromQuery(query), [query.toString()]);
  const [rows, setRows] = useState<Rows>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [autoRefresh, setAutoRefresh] = useState(true);
  const [starting, setStarting] = useState(false);
  const shown = useRef(PAGE_SIZE);

  /** Loads at least `count` incidents (all pages needed), so a refresh keeps what the user has scrolled to. */
  const load = useCallback(
    async (count: number) => {
      setLoading(true);
      try {
        const items: IncidentRecordSummary[] = [];
        let nextToken: string | undefined;
        do {
          const page = await clients.incidents.send(
            new ListIncidentRecordsCommand({ filters: apiFilters(filters), maxResults: PAGE_SIZE, nextToken }),
          );
          items.push(...(page.incidentRecordSummaries ?? []));
          nextToken = page.nextToken;
        } while (nextToken && items.length < count);
        setRows({ items, ...(nextToken ? { nextToken } : {}), loadedAt: new Date() });
        setError(undefined);
      } catch (e) {
        setError(e);
      } finally {
        setLoading(false);
      }
    },
    [clients, filters],
  );

  useEffect(() => {
    shown.current = PAGE_SIZE;
    setRows(undefined);
    void load(PAGE_SIZE);
  }, [load]);

  useEffect(() => {
    if (!autoRefresh) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void load(shown.current);
    }, REFRESH_EVERY_MS);
    return () => clearInterval(timer);
  }, [autoRefresh, load]);

  const loadMore = async () => {
    if (!rows?.nextToken) return;
    setLoading(true);
    try {
      const page = await clients.incidents.send(
        new ListIncidentRecordsCommand({
          filters: apiFilters(filters),
          maxResults: PAGE_SIZE,
          nextToken: rows.nextToken,
        }),
      );
      const items = [...rows.items, ...(page.incidentRecordSummaries ?? [])];
      shown.current = items.length;
      setRows({ items, ...(page.nextToken ? { nextToken: page.nextToken } : {}), loadedAt: new Date() });
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };

  const setFilters = (change: Partial<ListFilters>) => {
    const next = { ...filters, ...change };
    for (const key of Object.keys(change) as (keyof ListFilters)[]) if (!next[key]) delete next[key];
    navigate(paths.incidents(queryFromFilters(next as ListFilters)), { replace: true });
  };

  // The plan filter's choices load after the list: the list is what a responder opened the page for.
  const plans = usePlanNames(rows !== undefined);
  const visible = (rows?.items ?? []).filter(
    (item) => !filters.plan || planNameOfIncident(item.arn ?? '') === filters.plan,
  );
  const creators = useMemo(() => {
    const set = new Set<string>();
    for (const item of rows?.items ?? [])
      if (item.incidentRecordSource?.createdBy) set.add(item.incidentRecordSource.createdBy);
    if (filters.createdBy) set.add(filters.createdBy);
    return [...set].sort();
  }, [rows, filters.createdBy]);

  return (
    <section aria-labelledby="incidents-heading">
      <div class="page-head">
        <h1 id="incidents-heading">Incidents</h1>
        {user.readOnly ? null : (
          <button type="button" class="primary" onClick={() => setStarting(true)} aria-expanded={starting}>
            Start incident
          </button>
        )}
      </div>
      {starting ? <StartIncident onClose={() => setStarting(false)} /> : null}

      <div class="tabs" role="tablist" aria-label="Incident status">
        {(['OPEN', 'RESOLVED'] as const).map((status) => (
          <button
            type="button"
            role="tab"
            key={status}
            aria-selected={filters.status === status}
            onClick={() => setFilters({ status })}
          >
            {status === 'OPEN' ? 'Open' : 'Resolved'}
          </button>
        ))}
      </div>

      <form class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Impact
          <select
            value={filters.impact ?? ''}
            onChange={(e) => setFilters({ impact: Number(e.currentTarget.value) || undefined })}
          >
            <option value="">Any</option>
            {[1, 2, 3, 4, 5].map((impact) => (
              <option value={impact} key={impact}>
                {impact} {IMPACT_WORDS[impact]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Response plan
          <select value={filters.plan ?? ''} onChange={(e) => setFilters({ plan: e.currentTarget.value || undefined })}>
            <option value="">Any</option>
            {plans.map((name) => (
              <option value={name} key={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Created by
          <select
            value={filters.createdBy ?? ''}
            onChange={(e) => setFilters({ createdBy: e.currentTarget.value || undefined })}
          >
            <option value="">Anyone</option>
            {creators.map((arn) => (
              <option value={arn} key={arn}>
                {principalName(arn)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Started
          <select
            value={filters.withinHours ?? ''}
            onChange={(e) => setFilters({ withinHours: Number(e.currentTarget.value) || undefined })}
          >
            <option value="">Any time</option>
            {WITHIN_CHOICES.map((choice) => (
              <option value={choice.hours} key={choice.hours}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
        <label class="inline">
          <input type="checkbox" checked={autoRefresh} onChange={(e) => setAutoRefresh(e.currentTarget.checked)} />
          Refresh every 30 s
        </label>
        <button type="button" onClick={() => void load(shown.current)} disabled={loading}>
          Refresh now
        </button>
      </form>

      <ErrorNote error={error} context="Could not list incidents" />
      {!rows && loading ? <Loading what="incidents" /> : null}
      {rows ? (
        <>
          <p class="meta" aria-live="polite">
            {visible.length} {filters.status === 'OPEN' ? 'open' : 'resolved'} incident{visible.length === 1 ? '' : 's'}
            {rows.nextToken ? ' loaded (more available)' : ''} · updated <Time date={rows.loadedAt} seconds />
          </p>
          {visible.length === 0 ? (
            <p class="empty">No {filters.status === 'OPEN' ? 'open' : 'resolved'} incidents match these filters.</p>
          ) : (
            <table class="incidents">
              <thead>
                <tr>
                  <th scope="col">Impact</th>
                  <th scope="col">Title</th>
                  <th scope="col">Status</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Started</th>
                  <th scope="col">Response plan</th>
                  <th scope="col">Created by</th>
                </tr>
              </thead>
              <tbody>
                {visible.map((item) => (
                  <tr key={item.arn}>
                    <td data-label="Impact">
                      <ImpactBadge impact={item.impact} />
                    </td>
                    <td data-label="Title" class="title-cell">
                      <Link href={paths.incident(item.arn ?? '')}>{item.title}</Link>
                    </td>
                    <td data-label="Status">
                      <StatusBadge status={item.status} />
                    </td>
                    <td data-label="Duration">
                      <Duration from={item.creationTime} to={item.resolvedTime} />
                    </td>
                    <td data-label="Started">
                      <Time date={item.creationTime} />
                    </td>
                    <td data-label="Plan">{planNameOfIncident(item.arn ?? '')}</td>
                    <td data-label="Created by">{principalName(item.incidentRecordSource?.createdBy)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {rows.nextToken ? (
            <button type="button" onClick={loadMore} disabled={loading}>
              Load {PAGE_SIZE} more
            </button>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

/** Names of the account's response plans, for the plan filter and the start form. */
export function usePlanNames(enabled = true): string[] {
  const { clients } = useSession();
  const [names, setNames] = useState<string[]>([]);
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    (async () => {
      const found: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await clients.incidents.send(new ListResponsePlansCommand({ maxResults: 100, nextToken }));
        for (const plan of page.responsePlanSummaries ?? []) if (plan.name) found.push(plan.name);
        nextToken = page.nextToken;
      } while (nextToken);
      if (!cancelled) setNames(found.sort());
    })().catch(() => undefined /* the filter then offers "Any" only; the list itself reports API errors */);
    return () => {
      cancelled = true;
    };
  }, [clients, enabled]);
  return names;
}
