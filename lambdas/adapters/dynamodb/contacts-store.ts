/** The DynamoDB implementation of the ssm-contacts core's ContactsStore port, on the same table as the incidents. */
import type { EngagementStore } from '#core/contacts/engagements/model.ts';
import type { ContactsStore } from '#core/contacts/ports.ts';
import * as contacts from './contacts.ts';
import { createEngagementStore } from './engagements.ts';
import * as rotations from './rotations.ts';
import type { StoreOptions } from './store.ts';
import { Table } from './table.ts';

export function createDynamoDbContactsStore(options: StoreOptions): ContactsStore {
  const t = new Table(options.client, options.tableName, options.idempotencyWindowSeconds);
  return {
    recordedResult: (...a) => t.recordedResult(...a),
    createContact: (...a) => contacts.createContact(t, ...a),
    getContact: (...a) => contacts.getContact(t, ...a),
    replaceContact: (...a) => contacts.replaceContact(t, ...a),
    deleteContact: (...a) => contacts.deleteContact(t, ...a),
    listContacts: (...a) => contacts.listContacts(t, ...a),
    dependentsOf: (...a) => contacts.dependentsOf(t, ...a),

    createContactChannel: (...a) => contacts.createContactChannel(t, ...a),
    getContactChannel: (...a) => contacts.getContactChannel(t, ...a),
    replaceContactChannel: (...a) => contacts.replaceContactChannel(t, ...a),
    deleteContactChannel: (...a) => contacts.deleteContactChannel(t, ...a),
    listContactChannels: (...a) => contacts.listContactChannels(t, ...a),
    contactChannelIds: (...a) => contacts.contactChannelIds(t, ...a),

    createRotation: (...a) => rotations.createRotation(t, ...a),
    getRotation: (...a) => rotations.getRotation(t, ...a),
    replaceRotation: (...a) => rotations.replaceRotation(t, ...a),
    deleteRotation: (...a) => rotations.deleteRotation(t, ...a),
    listRotations: (...a) => rotations.listRotations(t, ...a),

    createRotationOverride: (...a) => rotations.createRotationOverride(t, ...a),
    getRotationOverride: (...a) => rotations.getRotationOverride(t, ...a),
    deleteRotationOverride: (...a) => rotations.deleteRotationOverride(t, ...a),
    listRotationOverrides: (...a) => rotations.listRotationOverrides(t, ...a),

    getTags: (...a) => contacts.getTags(t, ...a),
    replaceTags: (...a) => contacts.replaceTags(t, ...a),
  };
}

/** The DynamoDB implementation of the engagement engine's EngagementStore port, on the same table. */
export function createDynamoDbEngagementStore(options: StoreOptions): EngagementStore {
  return createEngagementStore(new Table(options.client, options.tableName, options.idempotencyWindowSeconds));
}
