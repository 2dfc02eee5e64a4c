/**
 * Response facts: one small item per incident (`RESPONSE_FACTS#<incidentId>`), listed by creation time on gsi1 for
 * GetResponseMetrics. Every change is a conditional update that reports whether it changed anything, which is how
 * ResponseMetricsConsumer publishes each CloudWatch data point once even when an event arrives twice.
 */

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { IncidentFactsInput, ResponseFactsRecord, ResponseFactsStore } from '#core/analysis/ports.ts';
import { sortableMillis } from '#core/shared/time.ts';
import { INDEXES } from '#runtime/table-schema.ts';
import { keys, pageKeyAttributes } from './keys.ts';
import type { Item, StoreFunctions, Table } from './table.ts';

const applied = async (send: () => Promise<unknown>): Promise<boolean> => {
  try {
    await send();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

const toFacts = (item: Item): ResponseFactsRecord => ({
  incidentArn: String(item.incidentArn),
  incidentId: String(item.incidentId),
  responsePlanName: String(item.responsePlanName),
  impact: Number(item.impact),
  source: String(item.source),
  creationTime: Number(item.creationTime),
  ...(item.resolvedTime !== undefined ? { resolvedTime: Number(item.resolvedTime) } : {}),
  ...(item.firstAcknowledgementTime !== undefined
    ? { firstAcknowledgementTime: Number(item.firstAcknowledgementTime) }
    : {}),
  pageCount: item.pageIds instanceof Set ? item.pageIds.size : 0,
});

const factsItem = (f: IncidentFactsInput): Item => ({
  ...keys.responseFacts(f.incidentId),
  ...keys.responseFactsList(f.creationTime, f.incidentId),
  entityType: 'ResponseFacts',
  ...f,
});

export async function recordOpened(table: Table, facts: IncidentFactsInput): Promise<boolean> {
  const item = factsItem(facts);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':counted': true };
  // Facts created earlier without the creation counted (ensureFacts) keep their values; the count is what changes.
  const sets = Object.entries(item)
    .filter(([name]) => name !== 'pk' && name !== 'sk')
    .map(([name, value], i) => {
      names[`#a${i}`] = name;
      values[`:v${i}`] = value;
      return `#a${i} = if_not_exists(#a${i}, :v${i})`;
    });
  return applied(() =>
    table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.responseFacts(facts.incidentId),
        UpdateExpression: `SET ${[...sets, 'createCounted = :counted'].join(', ')}`,
        ConditionExpression: 'attribute_not_exists(createCounted)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    ),
  );
}

export async function ensureFacts(table: Table, facts: IncidentFactsInput): Promise<void> {
  await applied(() =>
    table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: factsItem(facts),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
}

export async function getFacts(table: Table, incidentId: string): Promise<ResponseFactsRecord | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: keys.responseFacts(incidentId), ConsistentRead: true }),
  );
  return Item ? toFacts(Item) : undefined;
}

export const recordResolved = (table: Table, incidentId: string, resolvedTime: number) =>
  applied(() =>
    table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.responseFacts(incidentId),
        UpdateExpression: 'SET resolvedTime = :t, resolveCountedFor = :t',
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(resolveCountedFor) OR resolveCountedFor <> :t)',
        ExpressionAttributeValues: { ':t': resolvedTime },
      }),
    ),
  );

export async function recordReopened(table: Table, incidentId: string): Promise<void> {
  await applied(() =>
    table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.responseFacts(incidentId),
        UpdateExpression: 'REMOVE resolvedTime',
        ConditionExpression: 'attribute_exists(pk)',
      }),
    ),
  );
}

export async function recordImpact(table: Table, incidentId: string, impact: number): Promise<void> {
  await applied(() =>
    table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.responseFacts(incidentId),
        UpdateExpression: 'SET impact = :impact',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':impact': impact },
      }),
    ),
  );
}

export const addPage = (table: Table, incidentId: string, pageId: string) =>
  applied(() =>
    table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.responseFacts(incidentId),
        UpdateExpression: 'ADD pageIds :page',
        ConditionExpression: 'attribute_exists(pk) AND NOT contains(pageIds, :id)',
        ExpressionAttributeValues: { ':page': new Set([pageId]), ':id': pageId },
      }),
    ),
  );

/** Keeps the earliest acknowledgement; true only for the first one ever recorded. */
export async function recordAcknowledgement(table: Table, incidentId: string, time: number): Promise<boolean> {
  try {
    const { Attributes } = await table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.responseFacts(incidentId),
        UpdateExpression: 'SET firstAcknowledgementTime = :t',
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(firstAcknowledgementTime) OR firstAcknowledgementTime > :t)',
        ExpressionAttributeValues: { ':t': time },
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    return Attributes?.firstAcknowledgementTime === undefined;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export async function deleteFacts(table: Table, incidentId: string): Promise<void> {
  await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: keys.responseFacts(incidentId) }));
}

export async function listFacts(
  table: Table,
  from: number,
  to: number,
  limit: number,
): Promise<{ items: ResponseFactsRecord[]; truncated: boolean }> {
  const { items, lastKey } = await table.collect(
    {
      IndexName: INDEXES.byList.name,
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi',
      ExpressionAttributeNames: { '#pk': INDEXES.byList.partitionKey, '#sk': INDEXES.byList.sortKey },
      // Sort keys are "<15-digit millis>#<id>"; "<to - 1>$" sorts after every id at that millisecond.
      ExpressionAttributeValues: {
        ':pk': 'RESPONSE_FACTS',
        ':lo': `${sortableMillis(from)}#`,
        ':hi': `${sortableMillis(to - 1)}$`,
      },
    },
    limit,
    pageKeyAttributes.byList,
    undefined,
    Math.ceil(limit / 1000) + 10,
  );
  return { items: items.map(toFacts), truncated: lastKey !== undefined };
}

/** The ResponseFactsStore methods of response facts, each taking the table first (bound by bindTable). */
export const responseFactsStoreFunctions = {
  recordOpened,
  ensureFacts,
  getFacts,
  recordResolved,
  recordReopened,
  recordImpact,
  addPage,
  recordAcknowledgement,
  deleteFacts,
  listFacts,
} satisfies StoreFunctions<ResponseFactsStore>;
