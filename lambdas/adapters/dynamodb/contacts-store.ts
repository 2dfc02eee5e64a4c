/** The DynamoDB implementation of the ssm-contacts core's ContactsStore port, on the same table as the incidents. */
import type { EngagementStore } from '#core/contacts/engagements/model.ts';
import type { ContactsStore } from '#core/contacts/ports.ts';
import { contactStoreFunctions } from './contacts.ts';
import { engagementStoreFunctions } from './engagements.ts';
import { rotationStoreFunctions } from './rotations.ts';
import type { StoreOptions } from './store.ts';
import { bindTable, Table } from './table.ts';

export function createDynamoDbContactsStore(options: StoreOptions): ContactsStore {
  const table = new Table(options.client, options.tableName, options.idempotencyWindowSeconds);
  return {
    recordedResult: (key, now) => table.recordedResult(key, now),
    ...bindTable(table, contactStoreFunctions),
    ...bindTable(table, rotationStoreFunctions),
  } satisfies ContactsStore;
}

/** The DynamoDB implementation of the engagement engine's EngagementStore port, on the same table. */
export function createDynamoDbEngagementStore(options: StoreOptions): EngagementStore {
  const table = new Table(options.client, options.tableName, options.idempotencyWindowSeconds);
  return bindTable(table, engagementStoreFunctions) satisfies EngagementStore;
}
