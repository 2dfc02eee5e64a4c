/**
 * Action items live in their analysis's item collection (so GetAnalysis reads them with it) and on two indexes:
 * gsi2 by status and due date ("what is still open", one Query across every analysis) and gsi1 newest first.
 */

import { DeleteCommand, GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ActionItemQuery, ActionItemRecord, AnalysisStore } from '#core/analysis/ports.ts';
import { ResourceNotFoundError, StaleVersionError } from '#core/shared/errors.ts';
import type { IdempotencyKey, Page, Versioned } from '#core/shared/storage.ts';
import { INDEXES } from '#runtime/table-schema.ts';
import { keys, pageKeyAttributes } from './keys.ts';
import { type Item, type StoreFunctions, stripStorageAttributes, type Table } from './table.ts';

export const actionItemItem = (item: ActionItemRecord, version: number): Item => ({
  ...keys.actionItem(item.analysisId, item.actionItemId),
  ...keys.actionItemList(item.createdTime, item.actionItemId),
  ...keys.actionItemByStatus(item.status, item.dueDate, item.createdTime, item.actionItemId),
  entityType: 'ActionItem',
  version,
  ...item,
});

export async function createActionItem(
  table: Table,
  item: ActionItemRecord,
  idempotency: IdempotencyKey | undefined,
  now: number,
): Promise<{ replayed: boolean; arn: string }> {
  const result = await table.transactIdempotent(
    [
      {
        label: 'analysis',
        write: {
          ConditionCheck: {
            TableName: table.tableName,
            Key: keys.analysis(item.analysisId),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
      },
      {
        label: 'item',
        write: {
          Put: {
            TableName: table.tableName,
            Item: actionItemItem(item, 1),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
    ],
    idempotency,
    { arn: item.arn },
    now,
  );
  if (result.replayed) return { replayed: true, arn: result.result.arn };
  if (!result.outcome.ok)
    throw new ResourceNotFoundError(`Analysis ${item.analysisArn} does not exist.`, undefined, item.analysisArn);
  return { replayed: false, arn: item.arn };
}

export async function countActionItems(table: Table, analysisId: string): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.analysisPartition(analysisId), ':prefix': keys.actionItemPrefix },
        Select: 'COUNT',
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}

export async function getActionItem(
  table: Table,
  analysisId: string,
  itemId: string,
): Promise<Versioned<ActionItemRecord> | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: keys.actionItem(analysisId, itemId), ConsistentRead: true }),
  );
  return Item ? { record: stripStorageAttributes(Item), version: Number(Item.version) } : undefined;
}

export async function replaceActionItem(
  table: Table,
  item: ActionItemRecord,
  expectedVersion: number,
  idempotency: IdempotencyKey | undefined,
  now: number,
): Promise<void> {
  const result = await table.transactIdempotent(
    [table.versionedPut('item', actionItemItem(item, expectedVersion + 1), expectedVersion)],
    idempotency,
    null,
    now,
  );
  if (result.replayed || result.outcome.ok) return;
  throw new StaleVersionError(`Action item ${item.arn} was changed by another request.`, undefined, item.arn);
}

export async function deleteActionItem(table: Table, analysisId: string, itemId: string): Promise<void> {
  await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: keys.actionItem(analysisId, itemId) }));
}

export async function listActionItems(
  table: Table,
  query: ActionItemQuery,
  maxResults: number,
  nextToken: string | undefined,
): Promise<Page<ActionItemRecord>> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const filters: string[] = [];
  const filterOn = (attribute: string, value: unknown) => {
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
    filters.push(`#${attribute} = :${attribute}`);
  };
  let input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>;
  let keyAttributes: readonly string[];
  if (query.analysisId) {
    // One analysis: its item collection, read consistently (a status is a filter there).
    input = {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ConsistentRead: true,
    };
    values[':pk'] = keys.analysisPartition(query.analysisId);
    values[':prefix'] = keys.actionItemPrefix;
    if (query.status) filterOn('status', query.status);
    keyAttributes = pageKeyAttributes.table;
  } else if (query.status) {
    input = { IndexName: INDEXES.byStatus.name, KeyConditionExpression: '#pk = :pk', ScanIndexForward: true };
    names['#pk'] = INDEXES.byStatus.partitionKey;
    values[':pk'] = keys.actionItemByStatus(query.status, undefined, 0, '').gsi2pk;
    keyAttributes = pageKeyAttributes.byStatus;
  } else {
    input = { IndexName: INDEXES.byList.name, KeyConditionExpression: '#pk = :pk', ScanIndexForward: false };
    names['#pk'] = INDEXES.byList.partitionKey;
    values[':pk'] = 'ACTION_ITEMS';
    keyAttributes = pageKeyAttributes.byList;
  }
  if (query.owner) filterOn('owner', query.owner);
  return table.queryPage<ActionItemRecord>(
    {
      ...input,
      ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
      FilterExpression: filters.length ? filters.join(' AND ') : undefined,
    },
    { keyAttributes, tokenQuery: query, maxResults, nextToken },
  );
}

/** The AnalysisStore methods of action items, each taking the table first (bound by bindTable). */
export const actionItemStoreFunctions = {
  createActionItem,
  countActionItems,
  getActionItem,
  replaceActionItem,
  deleteActionItem,
  listActionItems,
} satisfies StoreFunctions<AnalysisStore>;
