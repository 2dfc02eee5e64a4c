/**
 * ssm-contacts contacts and their item collection (`CONTACT#<alias>`): the contact item, its channels, and the
 * reference items of whatever references it. Listed by alias through gsi1 (all) and gsi2 (one type).
 */

import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  ContactChannelRecord,
  ContactQuery,
  ContactRecord,
  ContactsStore,
  ContactsTaggable,
  Dependent,
  ReferenceableResource,
  ReferenceChanges,
} from '#core/contacts/ports.ts';
import { ConflictError, type DomainError, StaleVersionError } from '#core/shared/errors.ts';
import type { IdempotencyKey, Page, Tags, Versioned } from '#core/shared/storage.ts';
import { INDEXES, LOCAL_INDEXES } from '#runtime/table-schema.ts';
import { partitionOf, referenceWrites, unavailableReference } from './contact-references.ts';
import { keys, pageKeyAttributes } from './keys.ts';
import { type Item, type LabelledWrite, type StoreFunctions, stripStorageAttributes, type Table } from './table.ts';

/** TransactWriteItems takes at most 100 writes. */
const MAX_TRANSACTION_WRITES = 100;

const contactItem = (contact: ContactRecord, version: number): Item => ({
  ...keys.contact(contact.alias),
  ...keys.contactList(contact.alias),
  ...keys.contactByType(contact.type, contact.alias),
  entityType: 'Contact',
  version,
  ...contact,
});

const channelItem = (channel: ContactChannelRecord, version: number): Item => ({
  ...keys.contactChannel(channel.contactAlias, channel.channelId),
  ...keys.channelByCreation(channel.createdTime, channel.channelId),
  entityType: 'ContactChannel',
  version,
  ...channel,
});

const versioned = <T>(item: Item | undefined): Versioned<T> | undefined =>
  item ? { record: stripStorageAttributes<T>(item), version: Number(item.version) } : undefined;

/** Throws the error a failed reference condition stands for, if a reference failed. */
const throwIfReferenceFailed = (changes: ReferenceChanges, failed: Map<string, unknown>) => {
  const target = unavailableReference(changes, failed);
  if (target) throw target.unavailable();
};

export async function createContact(
  table: Table,
  contact: ContactRecord,
  references: ReferenceChanges,
  idempotency: IdempotencyKey | undefined,
  now: number,
) {
  const result = await table.transactIdempotent(
    [
      {
        label: 'contact',
        write: {
          Put: {
            TableName: table.tableName,
            Item: contactItem(contact, 1),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
      ...referenceWrites(table, references),
    ],
    idempotency,
    { arn: contact.arn },
    now,
  );
  if (result.replayed || result.outcome.ok) return;
  if (result.outcome.failed.has('contact'))
    throw new ConflictError(`A contact with the alias ${contact.alias} already exists.`, 'CONTACT', contact.arn);
  throwIfReferenceFailed(references, result.outcome.failed);
  throw new Error(`CreateContact transaction failed on ${[...result.outcome.failed.keys()].join(', ')}`);
}

export async function getContact(table: Table, alias: string): Promise<Versioned<ContactRecord> | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: keys.contact(alias), ConsistentRead: true }),
  );
  return versioned<ContactRecord>(Item);
}

export async function replaceContact(
  table: Table,
  contact: ContactRecord,
  expectedVersion: number,
  references: ReferenceChanges,
) {
  const outcome = await table.transact([
    table.versionedPut('contact', contactItem(contact, expectedVersion + 1), expectedVersion),
    ...referenceWrites(table, references),
  ]);
  if (outcome.ok) return;
  if (outcome.failed.has('contact'))
    throw new StaleVersionError(
      `Contact ${contact.alias} was modified by another request; retry.`,
      'CONTACT',
      contact.arn,
    );
  throwIfReferenceFailed(references, outcome.failed);
}

/** Keys of the items in a resource's item collection (other than the resource's own item). */
async function collectionKeys(table: Table, partition: string, ownSortKey: string): Promise<Item[]> {
  const found: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ProjectionExpression: 'pk, sk',
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    found.push(...((page.Items ?? []) as Item[]).filter((item) => item.sk !== ownSortKey));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return found;
}

/**
 * Deletes a resource (contact or rotation) under its version, with its outgoing references and the rest of its item
 * collection, in one transaction. When the collection does not fit (more than ~90 channels or overrides), the
 * overflow is deleted first: a crash then never leaves items behind a deleted contact (to reappear under a re-created
 * alias); the price is that a delete which then fails its version check has already removed those items.
 */
export async function deleteWithCollection(
  table: Table,
  own: { pk: string; sk: string },
  expectedVersion: number,
  references: ReferenceChanges,
  stale: () => DomainError,
) {
  const rest = await collectionKeys(table, own.pk, own.sk);
  const writes: LabelledWrite[] = [
    {
      label: 'resource',
      write: {
        Delete: {
          TableName: table.tableName,
          Key: own,
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
    },
    ...referenceWrites(table, references),
  ];
  const room = MAX_TRANSACTION_WRITES - writes.length;
  for (const item of rest.slice(room))
    await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: { pk: item.pk, sk: item.sk } }));
  for (const item of rest.slice(0, room))
    writes.push({
      label: 'collection',
      write: { Delete: { TableName: table.tableName, Key: { pk: item.pk, sk: item.sk } } },
    });
  const outcome = await table.transact(writes);
  if (!outcome.ok) throw stale();
}

export async function deleteContact(
  table: Table,
  alias: string,
  expectedVersion: number,
  references: ReferenceChanges,
) {
  await deleteWithCollection(
    table,
    keys.contact(alias),
    expectedVersion,
    references,
    () => new StaleVersionError(`Contact ${alias} was modified by another request; retry.`, 'CONTACT', alias),
  );
}

export async function listContacts(
  table: Table,
  query: ContactQuery,
  maxResults: number,
  nextToken: string | undefined,
): Promise<Page<ContactRecord>> {
  const byType = query.type !== undefined;
  const index = byType ? INDEXES.byStatus : INDEXES.byList;
  const attributes = byType ? pageKeyAttributes.byStatus : pageKeyAttributes.byList;
  const tokenQuery = { contacts: query };
  return table.queryPage<ContactRecord>(
    {
      IndexName: index.name,
      KeyConditionExpression: `#pk = :pk${query.aliasPrefix ? ' AND begins_with(#sk, :prefix)' : ''}`,
      ExpressionAttributeNames: { '#pk': index.partitionKey, ...(query.aliasPrefix ? { '#sk': index.sortKey } : {}) },
      ExpressionAttributeValues: {
        ':pk': byType ? keys.contactByType(query.type!, '').gsi2pk : keys.contactList('').gsi1pk,
        ...(query.aliasPrefix ? { ':prefix': query.aliasPrefix } : {}),
      },
    },
    { keyAttributes: attributes, tokenQuery: tokenQuery, maxResults, nextToken, tokenField: 'NextToken' },
  );
}

export async function dependentsOf(table: Table, resource: ReferenceableResource, limit: number): Promise<Dependent[]> {
  const { Items = [] } = await table.doc.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': partitionOf(resource), ':prefix': keys.referencePrefix },
      ConsistentRead: true,
      Limit: limit,
    }),
  );
  return Items.map((item) => ({ relationType: String(item.relationType), referrerArn: String(item.referrerArn) }));
}

// ---- contact channels -----------------------------------------------------------------------------------------

export async function createContactChannel(
  table: Table,
  channel: ContactChannelRecord,
  contactUnavailable: () => DomainError,
  idempotency: IdempotencyKey | undefined,
  now: number,
): Promise<{ arn: string; replayed: boolean }> {
  const result = await table.transactIdempotent(
    [
      {
        // The contact must exist and be PERSONAL; its version moves so that a concurrent DeleteContact re-reads
        // its channels instead of leaving this one behind.
        label: 'contact',
        write: {
          Update: {
            TableName: table.tableName,
            Key: keys.contact(channel.contactAlias),
            UpdateExpression: 'SET version = version + :one',
            ConditionExpression: 'attribute_exists(pk) AND #type = :personal',
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: { ':one': 1, ':personal': 'PERSONAL' },
          },
        },
      },
      {
        label: 'channel',
        write: {
          Put: {
            TableName: table.tableName,
            Item: channelItem(channel, 1),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
    ],
    idempotency,
    { arn: channel.arn },
    now,
  );
  if (result.replayed) return { arn: (result.result as { arn: string }).arn, replayed: true };
  if (result.outcome.ok) return { arn: channel.arn, replayed: false };
  if (result.outcome.failed.has('contact')) throw contactUnavailable();
  throw new Error(`CreateContactChannel transaction failed on ${[...result.outcome.failed.keys()].join(', ')}`);
}

export async function getContactChannel(
  table: Table,
  alias: string,
  channelId: string,
): Promise<Versioned<ContactChannelRecord> | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: keys.contactChannel(alias, channelId), ConsistentRead: true }),
  );
  return versioned<ContactChannelRecord>(Item);
}

export async function replaceContactChannel(table: Table, channel: ContactChannelRecord, expectedVersion: number) {
  const result = await table.conditionalWrite(() =>
    table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: channelItem(channel, expectedVersion + 1),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      }),
    ),
  );
  if (!result.ok)
    throw new StaleVersionError(
      `Contact channel ${channel.arn} was modified by another request; retry.`,
      'CONTACT_CHANNEL',
      channel.arn,
    );
}

export async function deleteContactChannel(table: Table, alias: string, channelId: string): Promise<boolean> {
  const { Attributes } = await table.doc.send(
    new DeleteCommand({
      TableName: table.tableName,
      Key: keys.contactChannel(alias, channelId),
      ReturnValues: 'ALL_OLD',
    }),
  );
  return Boolean(Attributes);
}

export async function listContactChannels(
  table: Table,
  alias: string,
  maxResults: number,
  nextToken: string | undefined,
): Promise<Page<ContactChannelRecord>> {
  const tokenQuery = { channelsOf: alias };
  return table.queryPage<ContactChannelRecord>(
    {
      IndexName: LOCAL_INDEXES.timelineByTime.name,
      KeyConditionExpression: 'pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#sk': LOCAL_INDEXES.timelineByTime.sortKey },
      ExpressionAttributeValues: { ':pk': keys.contactPartition(alias), ':prefix': keys.contactChannelPrefix },
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

export async function contactChannelIds(table: Table, alias: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.contactPartition(alias), ':prefix': keys.contactChannelPrefix },
        ProjectionExpression: 'channelId',
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    ids.push(...(page.Items ?? []).map((item) => String(item.channelId)));
    startKey = page.LastEvaluatedKey;
  } while (startKey && ids.length < limit);
  return ids.slice(0, limit);
}

// ---- tags ------------------------------------------------------------------------------------------------------

const taggableKey = (resource: ContactsTaggable) =>
  resource.kind === 'contact' ? keys.contact(resource.alias) : keys.rotation(resource.rotationId);

export async function getTags(table: Table, resource: ContactsTaggable): Promise<Versioned<Tags> | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({
      TableName: table.tableName,
      Key: taggableKey(resource),
      ProjectionExpression: 'tags, version',
      ConsistentRead: true,
    }),
  );
  return Item ? { record: (Item.tags as Tags | undefined) ?? {}, version: Number(Item.version) } : undefined;
}

export async function replaceTags(table: Table, resource: ContactsTaggable, tags: Tags, expectedVersion: number) {
  const result = await table.conditionalWrite(() =>
    table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: taggableKey(resource),
        UpdateExpression: 'SET tags = :tags, version = :next',
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':tags': tags, ':next': expectedVersion + 1, ':expected': expectedVersion },
      }),
    ),
  );
  if (!result.ok) throw new StaleVersionError('The resource was modified by another request; retry.');
}

/** The ContactsStore methods of contacts, their channels and tags, each taking the table first (bound by bindTable). */
export const contactStoreFunctions = {
  createContact,
  getContact,
  replaceContact,
  deleteContact,
  listContacts,
  dependentsOf,
  createContactChannel,
  getContactChannel,
  replaceContactChannel,
  deleteContactChannel,
  listContactChannels,
  contactChannelIds,
  getTags,
  replaceTags,
} satisfies StoreFunctions<ContactsStore>;
