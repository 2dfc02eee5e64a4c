/**
 * ssm-contacts rotations and their item collection (`ROTATION#<id>`): the rotation item, its overrides (by id in the
 * sort key, by start time in lsi1), and the reference items of the on-call schedules that list it. Listed by name
 * through gsi1.
 */

import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type {
  ContactsStore,
  OverrideWindow,
  ReferenceChanges,
  RotationOverrideRecord,
  RotationRecord,
} from '#core/contacts/ports.ts';
import { type DomainError, StaleVersionError } from '#core/shared/errors.ts';
import type { IdempotencyKey, Page, Versioned } from '#core/shared/storage.ts';
import { sortableMillis } from '#core/shared/time.ts';
import { INDEXES, LOCAL_INDEXES } from '#runtime/table-schema.ts';
import { referenceWrites, unavailableReference } from './contact-references.ts';
import { deleteWithCollection } from './contacts.ts';
import { keys, pageKeyAttributes } from './keys.ts';
import { type Item, type StoreFunctions, stripStorageAttributes, type Table } from './table.ts';

const rotationItem = (rotation: RotationRecord, version: number): Item => ({
  ...keys.rotation(rotation.rotationId),
  ...keys.rotationList(rotation.name, rotation.rotationId),
  entityType: 'Rotation',
  version,
  ...rotation,
});

const overrideItem = (override: RotationOverrideRecord): Item => ({
  ...keys.rotationOverride(override.rotationId, override.overrideId),
  ...keys.overrideByStart(override.startTime, override.overrideId),
  entityType: 'RotationOverride',
  ...override,
});

const failedOn = (failed: Map<string, unknown>) => [...failed.keys()].join(', ');

export async function createRotation(
  table: Table,
  rotation: RotationRecord,
  references: ReferenceChanges,
  idempotency: IdempotencyKey | undefined,
  now: number,
): Promise<{ arn: string; replayed: boolean }> {
  const result = await table.transactIdempotent(
    [
      {
        label: 'rotation',
        write: {
          Put: {
            TableName: table.tableName,
            Item: rotationItem(rotation, 1),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
      ...referenceWrites(table, references),
    ],
    idempotency,
    { arn: rotation.arn },
    now,
  );
  if (result.replayed) return { arn: (result.result as { arn: string }).arn, replayed: true };
  if (result.outcome.ok) return { arn: rotation.arn, replayed: false };
  const target = unavailableReference(references, result.outcome.failed);
  if (target) throw target.unavailable();
  throw new Error(`CreateRotation transaction failed on ${failedOn(result.outcome.failed)}`);
}

export async function getRotation(table: Table, rotationId: string): Promise<Versioned<RotationRecord> | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: keys.rotation(rotationId), ConsistentRead: true }),
  );
  return Item ? { record: stripStorageAttributes<RotationRecord>(Item), version: Number(Item.version) } : undefined;
}

export async function replaceRotation(
  table: Table,
  rotation: RotationRecord,
  expectedVersion: number,
  references: ReferenceChanges,
) {
  const outcome = await table.transact([
    table.versionedPut('rotation', rotationItem(rotation, expectedVersion + 1), expectedVersion),
    ...referenceWrites(table, references),
  ]);
  if (outcome.ok) return;
  if (outcome.failed.has('rotation'))
    throw new StaleVersionError(
      `Rotation ${rotation.arn} was modified by another request; retry.`,
      'ROTATION',
      rotation.arn,
    );
  const target = unavailableReference(references, outcome.failed);
  if (target) throw target.unavailable();
}

export async function deleteRotation(
  table: Table,
  rotationId: string,
  expectedVersion: number,
  references: ReferenceChanges,
) {
  await deleteWithCollection(
    table,
    keys.rotation(rotationId),
    expectedVersion,
    references,
    () =>
      new StaleVersionError(`Rotation ${rotationId} was modified by another request; retry.`, 'ROTATION', rotationId),
  );
}

export async function listRotations(
  table: Table,
  namePrefix: string | undefined,
  maxResults: number,
  nextToken: string | undefined,
): Promise<Page<RotationRecord>> {
  const tokenQuery = { rotations: namePrefix ?? null };
  return table.queryPage<RotationRecord>(
    {
      IndexName: INDEXES.byList.name,
      KeyConditionExpression: `#pk = :pk${namePrefix ? ' AND begins_with(#sk, :prefix)' : ''}`,
      ExpressionAttributeNames: {
        '#pk': INDEXES.byList.partitionKey,
        ...(namePrefix ? { '#sk': INDEXES.byList.sortKey } : {}),
      },
      ExpressionAttributeValues: {
        ':pk': keys.rotationList('', '').gsi1pk,
        ...(namePrefix ? { ':prefix': namePrefix } : {}),
      },
    },
    { keyAttributes: pageKeyAttributes.byList, tokenQuery: tokenQuery, maxResults, nextToken, tokenField: 'NextToken' },
  );
}

// ---- overrides -------------------------------------------------------------------------------------------------

export async function createRotationOverride(
  table: Table,
  override: RotationOverrideRecord,
  rotationUnavailable: () => DomainError,
  idempotency: IdempotencyKey | undefined,
  now: number,
): Promise<{ overrideId: string; replayed: boolean }> {
  const result = await table.transactIdempotent(
    [
      {
        label: 'rotation',
        write: {
          ConditionCheck: {
            TableName: table.tableName,
            Key: keys.rotation(override.rotationId),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
      },
      {
        label: 'override',
        write: {
          Put: {
            TableName: table.tableName,
            Item: overrideItem(override),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
    ],
    idempotency,
    { overrideId: override.overrideId },
    now,
  );
  if (result.replayed) return { overrideId: (result.result as { overrideId: string }).overrideId, replayed: true };
  if (result.outcome.ok) return { overrideId: override.overrideId, replayed: false };
  if (result.outcome.failed.has('rotation')) throw rotationUnavailable();
  throw new Error(`CreateRotationOverride transaction failed on ${failedOn(result.outcome.failed)}`);
}

export async function getRotationOverride(
  table: Table,
  rotationId: string,
  overrideId: string,
): Promise<RotationOverrideRecord | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({
      TableName: table.tableName,
      Key: keys.rotationOverride(rotationId, overrideId),
      ConsistentRead: true,
    }),
  );
  return Item ? stripStorageAttributes<RotationOverrideRecord>(Item) : undefined;
}

export async function deleteRotationOverride(table: Table, rotationId: string, overrideId: string): Promise<boolean> {
  const { Attributes } = await table.doc.send(
    new DeleteCommand({
      TableName: table.tableName,
      Key: keys.rotationOverride(rotationId, overrideId),
      ReturnValues: 'ALL_OLD',
    }),
  );
  return Boolean(Attributes);
}

/**
 * Overrides overlapping [from, to): a range on lsi1 (start before `to`, and not before `earliestStart`) and a filter
 * on the end, in start order.
 */
export async function listRotationOverrides(
  table: Table,
  rotationId: string,
  window: OverrideWindow,
  maxResults: number,
  nextToken: string | undefined,
): Promise<Page<RotationOverrideRecord>> {
  const tokenQuery = { overridesOf: rotationId, from: window.from, to: window.to };
  const lowest = `${keys.rotationOverridePrefix}${sortableMillis(Math.max(0, window.earliestStart ?? 0))}`;
  // '~' sorts after every character of an override id, so this is "start <= to - 1 ms".
  const highest = `${keys.rotationOverridePrefix}${sortableMillis(window.to - 1)}#~`;
  return table.queryPage<RotationOverrideRecord>(
    {
      IndexName: LOCAL_INDEXES.timelineByTime.name,
      KeyConditionExpression: 'pk = :pk AND #sk BETWEEN :lowest AND :highest',
      FilterExpression: 'endTime > :from',
      ExpressionAttributeNames: { '#sk': LOCAL_INDEXES.timelineByTime.sortKey },
      ExpressionAttributeValues: {
        ':pk': keys.rotationPartition(rotationId),
        ':lowest': lowest,
        ':highest': highest,
        ':from': window.from,
      },
      ConsistentRead: true,
    },
    {
      keyAttributes: pageKeyAttributes.timelineByTime,
      tokenQuery: tokenQuery,
      maxResults,
      nextToken,
      tokenField: 'NextToken',
    },
  );
}

/** The ContactsStore methods of rotations and their overrides, each taking the table first (bound by bindTable). */
export const rotationStoreFunctions = {
  createRotation,
  getRotation,
  replaceRotation,
  deleteRotation,
  listRotations,
  createRotationOverride,
  getRotationOverride,
  deleteRotationOverride,
  listRotationOverrides,
} satisfies StoreFunctions<ContactsStore>;
