/**
 * The ssm-contacts operations this implementation serves, by model name (the `X-Amz-Target: SSMContacts.<Name>`
 * suffix). The HTTP edge dispatches through this table, so adding an operation is adding an entry.
 * All 39 operations of the model are served; the engagement ones live in ./engagements.
 */
import {
  activateContactChannel,
  createContactChannel,
  deactivateContactChannel,
  deleteContactChannel,
  getContactChannel,
  listContactChannels,
  sendActivationCode,
  updateContactChannel,
} from './channels.ts';
import {
  createContact,
  deleteContact,
  getContact,
  getContactPolicy,
  listContacts,
  putContactPolicy,
  updateContact,
} from './contacts.ts';
import {
  acceptPage,
  describeEngagement,
  describePage,
  listEngagements,
  listPageReceipts,
  listPageResolutions,
  listPagesByContact,
  listPagesByEngagement,
  startEngagement,
  stopEngagement,
} from './engagements/operations.ts';
import type { ContactsOperation } from './operation.ts';

/**
 * Rotations and their shifts bring the rotation engine and luxon (a sixth of the function's cold-start code) for 11 of
 * the 39 operations, so they are loaded on the first rotation call.
 */
type RotationOperations = typeof import('./rotation-operations.ts');
const rotation =
  (pick: (operations: RotationOperations) => ContactsOperation): ContactsOperation =>
  async (deps, ctx, input) =>
    pick(await import('./rotation-operations.ts'))(deps, ctx, input);

import { listTagsForResource, tagResource, untagResource } from './tags.ts';

export const CONTACTS_OPERATIONS: Readonly<Record<string, ContactsOperation>> = {
  AcceptPage: acceptPage,
  ActivateContactChannel: activateContactChannel,
  CreateContact: createContact,
  CreateContactChannel: createContactChannel,
  CreateRotation: rotation((o) => o.createRotation),
  CreateRotationOverride: rotation((o) => o.createRotationOverride),
  DeactivateContactChannel: deactivateContactChannel,
  DeleteContact: deleteContact,
  DeleteContactChannel: deleteContactChannel,
  DeleteRotation: rotation((o) => o.deleteRotation),
  DeleteRotationOverride: rotation((o) => o.deleteRotationOverride),
  DescribeEngagement: describeEngagement,
  DescribePage: describePage,
  GetContact: getContact,
  GetContactChannel: getContactChannel,
  GetContactPolicy: getContactPolicy,
  GetRotation: rotation((o) => o.getRotation),
  GetRotationOverride: rotation((o) => o.getRotationOverride),
  ListContactChannels: listContactChannels,
  ListContacts: listContacts,
  ListEngagements: listEngagements,
  ListPageReceipts: listPageReceipts,
  ListPageResolutions: listPageResolutions,
  ListPagesByContact: listPagesByContact,
  ListPagesByEngagement: listPagesByEngagement,
  ListPreviewRotationShifts: rotation((o) => o.listPreviewRotationShifts),
  ListRotationOverrides: rotation((o) => o.listRotationOverrides),
  ListRotationShifts: rotation((o) => o.listRotationShifts),
  ListRotations: rotation((o) => o.listRotations),
  ListTagsForResource: listTagsForResource,
  PutContactPolicy: putContactPolicy,
  SendActivationCode: sendActivationCode,
  StartEngagement: startEngagement,
  StopEngagement: stopEngagement,
  TagResource: tagResource,
  UntagResource: untagResource,
  UpdateContact: updateContact,
  UpdateContactChannel: updateContactChannel,
  UpdateRotation: rotation((o) => o.updateRotation),
};

/** The X-Amz-Target prefix of the service (its Smithy service shape name). */
export const CONTACTS_TARGET_PREFIX = 'SSMContacts.';
