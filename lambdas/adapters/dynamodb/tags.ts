/** Tags are a map on the tagged resource's own item, replaced under its version (optimistic locking). */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TaggableResource } from '#core/incidents/ports.ts';
import { StaleVersionError } from '#core/shared/errors.ts';
import type { Tags, Versioned } from '#core/shared/storage.ts';
import { keys } from './keys.ts';
import type { Table } from './table.ts';

const keyOf = (resource: TaggableResource) =>
  resource.kind === 'response-plan'
    ? keys.responsePlan(resource.name)
    : resource.kind === 'incident-record'
      ? keys.incident(resource.incidentId)
      : keys.replicationSet();

export async function getTags(table: Table, resource: TaggableResource): Promise<Versioned<Tags> | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({
      TableName: table.tableName,
      Key: keyOf(resource),
      ProjectionExpression: 'tags, version',
      ConsistentRead: true,
    }),
  );
  return Item ? { record: (Item.tags as Tags | undefined) ?? {}, version: Number(Item.version) } : undefined;
}

export async function replaceTags(table: Table, resource: TaggableResource, tags: Tags, expectedVersion: number) {
  const result = await table.conditionalWrite(() =>
    table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keyOf(resource),
        UpdateExpression: 'SET tags = :tags, version = :next',
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':tags': tags, ':next': expectedVersion + 1, ':expected': expectedVersion },
      }),
    ),
  );
  if (!result.ok) throw new StaleVersionError('The resource was modified by another request; retry.');
}
