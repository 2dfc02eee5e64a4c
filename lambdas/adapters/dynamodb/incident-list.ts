/**
 * ListIncidentRecords: every filter is read from an index partition whose keys select it, newest first, at most two
 * Queries per page whatever the table holds (docs/data-model.md, "Filtered lists"):
 *
 * - no filter: gsi1 `INCIDENTS`; one status: gsi2 `INCIDENTS#<status>`;
 * - impact: gsi3 `INCIDENTS#IMPACT#<n>`, whose sort key starts with the status, so an impact with a status is one
 *   range and an impact alone two (OPEN and RESOLVED, merged);
 * - createdBy: gsi4 `INCIDENTS#BY#<hash of the principal>`, the same way.
 *
 * creationTime bounds are a range of the sort key everywhere. When the filters would take more than two ranges
 * (two creators without a status, three impacts), the most selective filter that fits in two is read from its index
 * and the others are checked on the items read, one bounded read per range: such a page can come back short with a
 * nextToken.
 */
import type { IncidentQuery, IncidentStatus, IncidentSummary } from '#core/incidents/ports.ts';
import type { Page } from '#core/shared/storage.ts';
import { sortableMillis } from '#core/shared/time.ts';
import { type GlobalIndex, INDEXES } from '#runtime/table-schema.ts';
import { keys, pageKeyAttributes } from './keys.ts';
import { decodePositions, encodePositions, type QueryStream, readMergedPage } from './merged-query.ts';
import type { Item, Table } from './table.ts';

const MAX_STREAMS = 2;
/** Items read per range when a filter is checked on the items (a bounded read). */
const FILTERED_READ = 100;
const STATUSES: readonly IncidentStatus[] = ['OPEN', 'RESOLVED'];

/** One index partition's range of creation times (bounds exclusive), after an optional sort-key prefix. */
const range = (
  index: GlobalIndex,
  partition: string,
  prefix: string,
  query: IncidentQuery,
  keyAttributes: readonly string[],
): QueryStream => ({
  query: {
    IndexName: index.name,
    KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi',
    ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
    ExpressionAttributeValues: {
      ':pk': partition,
      // Sort keys continue "<15-digit ms>#<id>"; '#' < '$', so "<ms>$" sorts after every id at that millisecond.
      ':lo': `${prefix}${query.createdAfter !== undefined ? `${sortableMillis(query.createdAfter + 1)}#` : '0'}`,
      ':hi': `${prefix}${query.createdBefore !== undefined ? sortableMillis(query.createdBefore - 1) : '9'.repeat(15)}$`,
    },
    ScanIndexForward: false,
  },
  keyAttributes,
});

interface IncidentPlan {
  streams: QueryStream[];
  residual?: (item: Item) => boolean;
}

const unique = <T>(values: readonly T[] | undefined) => (values ? [...new Set(values)] : undefined);

/** Chooses the index ranges for a query (see the module comment) and what is left to check on the items read. */
export function planIncidentQuery(query: IncidentQuery): IncidentPlan {
  const allStatuses = unique(query.statuses);
  // Both statuses select everything: no status filter at all.
  const statuses = allStatuses && allStatuses.length < STATUSES.length ? allStatuses : undefined;
  const impacts = unique(query.impacts);
  const creators = unique(query.createdBy);
  const prefixes = statuses ?? STATUSES;
  let streams: QueryStream[];
  const keyed = { status: false, impact: false, creator: false };
  if (creators && creators.length * prefixes.length <= MAX_STREAMS) {
    streams = creators.flatMap((creator) =>
      prefixes.map((status) =>
        range(
          INDEXES.byOwner,
          keys.incidentsOfCreatorPartition(creator),
          `${status}#`,
          query,
          pageKeyAttributes.byOwner,
        ),
      ),
    );
    keyed.creator = keyed.status = true;
  } else if (impacts && impacts.length * prefixes.length <= MAX_STREAMS) {
    streams = impacts.flatMap((impact) =>
      prefixes.map((status) =>
        range(
          INDEXES.byImpact,
          keys.incidentsOfImpactPartition(impact),
          `${status}#`,
          query,
          pageKeyAttributes.byImpact,
        ),
      ),
    );
    keyed.impact = keyed.status = true;
  } else if (statuses) {
    streams = statuses.map((status) =>
      range(INDEXES.byStatus, `INCIDENTS#${status}`, '', query, pageKeyAttributes.byStatus),
    );
    keyed.status = true;
  } else {
    streams = [range(INDEXES.byList, 'INCIDENTS', '', query, pageKeyAttributes.byList)];
  }
  const checks: ((item: Item) => boolean)[] = [];
  if (statuses && !keyed.status) checks.push((item) => statuses.includes(item.status as IncidentStatus));
  if (impacts && !keyed.impact) checks.push((item) => impacts.includes(Number(item.impact)));
  if (creators && !keyed.creator)
    checks.push((item) =>
      creators.includes(String((item.incidentRecordSource as { createdBy?: string } | undefined)?.createdBy)),
    );
  return checks.length ? { streams, residual: (item) => checks.every((check) => check(item)) } : { streams };
}

const summaryOf = (item: Item): IncidentSummary => ({
  arn: String(item.arn),
  id: String(item.id),
  title: String(item.title),
  status: item.status as IncidentStatus,
  impact: Number(item.impact),
  creationTime: Number(item.creationTime),
  ...(item.resolvedTime !== undefined ? { resolvedTime: Number(item.resolvedTime) } : {}),
  incidentRecordSource: item.incidentRecordSource as IncidentSummary['incidentRecordSource'],
});

export async function listIncidents(
  table: Table,
  query: IncidentQuery,
  maxResults: number,
  nextToken: string | undefined,
): Promise<Page<IncidentSummary>> {
  if (query.statuses?.length === 0) return { items: [] };
  const plan = planIncidentQuery(query);
  const page = await readMergedPage(table, {
    streams: plan.streams,
    orderKey: (item) => `${sortableMillis(Number(item.creationTime))}#${String(item.id)}`,
    descending: true,
    limit: maxResults,
    ...(plan.residual ? { accept: plan.residual, readLimit: Math.max(maxResults + 1, FILTERED_READ) } : {}),
    positions: decodePositions(nextToken, query, plan.streams),
  });
  return { items: page.items.map(summaryOf), nextToken: encodePositions(page.positions, query) };
}
