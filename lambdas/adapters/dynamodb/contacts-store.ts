/**
 * The DynamoDB implementation of the ssm-contacts core's ContactsStore port, on the same table as the incidents. The
 * contacts and rotations modules are loaded by the first call that needs them (`lazy`, as in store.ts).
 */
import type { EngagementStore } from '#core/contacts/engagements/model.ts';
import type { ContactsStore } from '#core/contacts/ports.ts';
import { lazy } from '#core/shared/lazy.ts';
import { createEngagementStore } from './engagements.ts';
import type { StoreOptions } from './store.ts';
import { Table } from './table.ts';

const contacts = lazy(() => import('./contacts.ts'));
const rotations = lazy(() => import('./rotations.ts'));

export function createDynamoDbContactsStore(options: StoreOptions): ContactsStore {
  const t = new Table(options.client, options.tableName, options.idempotencyWindowSeconds);
  return {
    recordedResult: (...a) => t.recordedResult(...a),
    createContact: async (...a) => (await contacts()).createContact(t, ...a),
    getContact: async (...a) => (await contacts()).getContact(t, ...a),
    replaceContact: async (...a) => (await contacts()).replaceContact(t, ...a),
    deleteContact: async (...a) => (await contacts()).deleteContact(t, ...a),
    listContacts: async (...a) => (await contacts()).listContacts(t, ...a),
    dependentsOf: async (...a) => (await contacts()).dependentsOf(t, ...a),

    createContactChannel: async (...a) => (await contacts()).createContactChannel(t, ...a),
    getContactChannel: async (...a) => (await contacts()).getContactChannel(t, ...a),
    replaceContactChannel: async (...a) => (await contacts()).replaceContactChannel(t, ...a),
    deleteContactChannel: async (...a) => (await contacts()).deleteContactChannel(t, ...a),
    listContactChannels: async (...a) => (await contacts()).listContactChannels(t, ...a),
    contactChannelIds: async (...a) => (await contacts()).contactChannelIds(t, ...a),

    createRotation: async (...a) => (await rotations()).createRotation(t, ...a),
    getRotation: async (...a) => (await rotations()).getRotation(t, ...a),
    replaceRotation: async (...a) => (await rotations()).replaceRotation(t, ...a),
    deleteRotation: async (...a) => (await rotations()).deleteRotation(t, ...a),
    listRotations: async (...a) => (await rotations()).listRotations(t, ...a),

    createRotationOverride: async (...a) => (await rotations()).createRotationOverride(t, ...a),
    getRotationOverride: async (...a) => (await rotations()).getRotationOverride(t, ...a),
    deleteRotationOverride: async (...a) => (await rotations()).deleteRotationOverride(t, ...a),
    listRotationOverrides: async (...a) => (await rotations()).listRotationOverrides(t, ...a),

    getTags: async (...a) => (await contacts()).getTags(t, ...a),
    replaceTags: async (...a) => (await contacts()).replaceTags(t, ...a),
  };
}

/** The DynamoDB implementation of the engagement engine's EngagementStore port, on the same table. */
export function createDynamoDbEngagementStore(options: StoreOptions): EngagementStore {
  return createEngagementStore(new Table(options.client, options.tableName, options.idempotencyWindowSeconds));
}
