/** The replication set is a singleton item. */

import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { IncidentsStore, ReplicationSetRecord } from '#core/incidents/ports.ts';
import { ConflictError } from '#core/shared/errors.ts';
import type { IdempotencyKey, Versioned } from '#core/shared/storage.ts';
import { keys } from './keys.ts';
import { type Item, type StoreFunctions, stripStorageAttributes, type Table } from './table.ts';

const setItem = (set: ReplicationSetRecord, version: number): Item => ({
  ...keys.replicationSet(),
  entityType: 'ReplicationSet',
  version,
  ...set,
});

export async function getReplicationSet(table: Table): Promise<Versioned<ReplicationSetRecord> | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: keys.replicationSet(), ConsistentRead: true }),
  );
  return Item
    ? { record: stripStorageAttributes<ReplicationSetRecord>(Item), version: Number(Item.version) }
    : undefined;
}

export async function createReplicationSet(
  table: Table,
  set: ReplicationSetRecord,
  idempotency: IdempotencyKey | undefined,
  now: number,
) {
  const result = { arn: set.arn };
  const outcome = await table.transactIdempotent(
    [
      {
        label: 'set',
        write: {
          Put: { TableName: table.tableName, Item: setItem(set, 1), ConditionExpression: 'attribute_not_exists(pk)' },
        },
      },
    ],
    idempotency,
    result,
    now,
  );
  if (outcome.replayed) return outcome.result;
  if (!outcome.outcome.ok)
    throw new ConflictError('A replication set already exists in this account.', 'REPLICATION_SET');
  return result;
}

export async function replaceReplicationSet(
  table: Table,
  set: ReplicationSetRecord,
  expectedVersion: number,
  idempotency: IdempotencyKey | undefined,
  now: number,
) {
  const outcome = await table.transactIdempotent(
    [table.versionedPut('set', setItem(set, expectedVersion + 1), expectedVersion)],
    idempotency,
    null,
    now,
  );
  if (!outcome.replayed && !outcome.outcome.ok)
    throw new ConflictError('The replication set was modified by another request; retry.', 'REPLICATION_SET', set.arn);
}

export async function deleteReplicationSet(table: Table) {
  await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: keys.replicationSet() }));
}

/** The IncidentsStore methods of the replication set, each taking the table first (bound by bindTable). */
export const replicationSetStoreFunctions = {
  getReplicationSet,
  createReplicationSet,
  replaceReplicationSet,
  deleteReplicationSet,
} satisfies StoreFunctions<IncidentsStore>;
