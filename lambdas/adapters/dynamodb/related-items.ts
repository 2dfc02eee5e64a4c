/** Related items live in their incident's item collection, keyed by their content-derived generatedId. */

import { incidentNotFound } from '#core/incidents/not-found.ts';
import type { IncidentsStore, RelatedItemRecord, TimelineEventRecord } from '#core/incidents/ports.ts';
import type { IdempotencyKey, Page } from '#core/shared/storage.ts';
import { keys } from './keys.ts';
import type { Item, LabelledWrite, StoreFunctions, Table } from './table.ts';
import { timelineEventWrites } from './timeline.ts';

export const relatedItemItem = (incidentId: string, item: RelatedItemRecord): Item => ({
  ...keys.relatedItem(incidentId, item.generatedId),
  entityType: 'RelatedItem',
  ...item,
});

const incidentExists = (table: Table, incidentId: string): LabelledWrite => ({
  label: 'incident',
  write: {
    ConditionCheck: {
      TableName: table.tableName,
      Key: keys.incident(incidentId),
      ConditionExpression: 'attribute_exists(pk)',
    },
  },
});

export async function addRelatedItem(
  table: Table,
  incidentId: string,
  item: RelatedItemRecord,
  event: TimelineEventRecord,
  idempotency: IdempotencyKey | undefined,
  now: number,
) {
  const outcome = await table.transactIdempotent(
    [
      incidentExists(table, incidentId),
      { label: 'item', write: { Put: { TableName: table.tableName, Item: relatedItemItem(incidentId, item) } } },
      ...timelineEventWrites(table, incidentId, event),
    ],
    idempotency,
    null,
    now,
  );
  if (!outcome.replayed && !outcome.outcome.ok) throw incidentNotFound(event.incidentRecordArn);
}

export async function removeRelatedItem(
  table: Table,
  incidentId: string,
  generatedId: string,
  event: TimelineEventRecord,
  idempotency: IdempotencyKey | undefined,
  now: number,
): Promise<boolean> {
  const outcome = await table.transactIdempotent(
    [
      incidentExists(table, incidentId),
      {
        label: 'item',
        write: {
          Delete: {
            TableName: table.tableName,
            Key: keys.relatedItem(incidentId, generatedId),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
      },
      ...timelineEventWrites(table, incidentId, event),
    ],
    idempotency,
    true,
    now,
  );
  if (outcome.replayed) return outcome.result;
  if (outcome.outcome.ok) return true;
  if (outcome.outcome.failed.has('incident')) throw incidentNotFound(event.incidentRecordArn);
  return false;
}

export async function listRelatedItems(
  table: Table,
  incidentId: string,
  maxResults: number,
  nextToken: string | undefined,
): Promise<Page<RelatedItemRecord>> {
  return table.listCollection<RelatedItemRecord>(
    keys.incidentPartition(incidentId),
    keys.relatedItemPrefix,
    { incidentId },
    maxResults,
    nextToken,
  );
}

/** The IncidentsStore methods of related items, each taking the table first (bound by bindTable). */
export const relatedItemStoreFunctions = {
  addRelatedItem,
  removeRelatedItem,
  listRelatedItems,
} satisfies StoreFunctions<IncidentsStore>;
