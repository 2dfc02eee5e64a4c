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
import {
  createRotation,
  createRotationOverride,
  deleteRotation,
  deleteRotationOverride,
  getRotation,
  getRotationOverride,
  listPreviewRotationShifts,
  listRotationOverrides,
  listRotationShifts,
  listRotations,
  updateRotation,
} from './rotation-operations.ts';
import { listTagsForResource, tagResource, untagResource } from './tags.ts';

export const CONTACTS_OPERATIONS: Readonly<Record<string, ContactsOperation>> = {
  AcceptPage: acceptPage,
  ActivateContactChannel: activateContactChannel,
  CreateContact: createContact,
  CreateContactChannel: createContactChannel,
  CreateRotation: createRotation,
  CreateRotationOverride: createRotationOverride,
  DeactivateContactChannel: deactivateContactChannel,
  DeleteContact: deleteContact,
  DeleteContactChannel: deleteContactChannel,
  DeleteRotation: deleteRotation,
  DeleteRotationOverride: deleteRotationOverride,
  DescribeEngagement: describeEngagement,
  DescribePage: describePage,
  GetContact: getContact,
  GetContactChannel: getContactChannel,
  GetContactPolicy: getContactPolicy,
  GetRotation: getRotation,
  GetRotationOverride: getRotationOverride,
  ListContactChannels: listContactChannels,
  ListContacts: listContacts,
  ListEngagements: listEngagements,
  ListPageReceipts: listPageReceipts,
  ListPageResolutions: listPageResolutions,
  ListPagesByContact: listPagesByContact,
  ListPagesByEngagement: listPagesByEngagement,
  ListPreviewRotationShifts: listPreviewRotationShifts,
  ListRotationOverrides: listRotationOverrides,
  ListRotationShifts: listRotationShifts,
  ListRotations: listRotations,
  ListTagsForResource: listTagsForResource,
  PutContactPolicy: putContactPolicy,
  SendActivationCode: sendActivationCode,
  StartEngagement: startEngagement,
  StopEngagement: stopEngagement,
  TagResource: tagResource,
  UntagResource: untagResource,
  UpdateContact: updateContact,
  UpdateContactChannel: updateContactChannel,
  UpdateRotation: updateRotation,
};

/** The X-Amz-Target prefix of the service (its Smithy service shape name). */
export const CONTACTS_TARGET_PREFIX = 'SSMContacts.';
