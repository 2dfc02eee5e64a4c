/** Tags are a map on the tagged resource's own item, replaced under its version (optimistic locking). */

import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { IncidentsStore, TaggableResource } from '#core/incidents/ports.ts';
import { StaleVersionError } from '#core/shared/errors.ts';
import type { Tags, Versioned } from '#core/shared/storage.ts';
import { keys } from './keys.ts';
import type { StoreFunctions, Table } from './table.ts';

const keyOf = (resource: TaggableResource) => {
  switch (resource.kind) {
    case 'response-plan':
      return keys.responsePlan(resource.name);
    case 'incident-record':
      return keys.incident(resource.incidentId);
    case 'analysis':
      return keys.analysis(resource.analysisId);
    case 'analysis-template':
      return keys.analysisTemplate(resource.name);
    default:
      return keys.replicationSet();
  }
};

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

/** The IncidentsStore methods of tags of ssm-incidents resources, each taking the table first (bound by bindTable). */
export const tagStoreFunctions = {
  getTags,
  replaceTags,
} satisfies StoreFunctions<IncidentsStore>;
