/**
 * The ssm-contacts operations this implementation serves, by model name (the `X-Amz-Target: SSMContacts.<Name>`
 * suffix). The HTTP edge dispatches through this table, so adding an operation is adding an entry.
 * All 39 operations of the model are served; the engagement ones live in ./engagements.
 *
 * Each capability's module is loaded by the first call of one of its operations (`lazy`; a separate chunk in the
 * Lambda bundle): a cold start parses none of them, the first request only the one it calls. Rotations and their
 * shifts also bring the rotation engine and luxon.
 */
import { lazy, loadedFrom } from '#core/shared/lazy.ts';
import type { ContactsOperation } from './operation.ts';

const channel = loadedFrom(lazy(() => import('./channels.ts')));
const contact = loadedFrom(lazy(() => import('./contacts.ts')));
const engagement = loadedFrom(lazy(() => import('./engagements/operations.ts')));
const rotation = loadedFrom(lazy(() => import('./rotation-operations.ts')));
const tags = loadedFrom(lazy(() => import('./tags.ts')));

export const CONTACTS_OPERATIONS: Readonly<Record<string, ContactsOperation>> = {
  AcceptPage: engagement((m) => m.acceptPage),
  ActivateContactChannel: channel((m) => m.activateContactChannel),
  CreateContact: contact((m) => m.createContact),
  CreateContactChannel: channel((m) => m.createContactChannel),
  CreateRotation: rotation((m) => m.createRotation),
  CreateRotationOverride: rotation((m) => m.createRotationOverride),
  DeactivateContactChannel: channel((m) => m.deactivateContactChannel),
  DeleteContact: contact((m) => m.deleteContact),
  DeleteContactChannel: channel((m) => m.deleteContactChannel),
  DeleteRotation: rotation((m) => m.deleteRotation),
  DeleteRotationOverride: rotation((m) => m.deleteRotationOverride),
  DescribeEngagement: engagement((m) => m.describeEngagement),
  DescribePage: engagement((m) => m.describePage),
  GetContact: contact((m) => m.getContact),
  GetContactChannel: channel((m) => m.getContactChannel),
  GetContactPolicy: contact((m) => m.getContactPolicy),
  GetRotation: rotation((m) => m.getRotation),
  GetRotationOverride: rotation((m) => m.getRotationOverride),
  ListContactChannels: channel((m) => m.listContactChannels),
  ListContacts: contact((m) => m.listContacts),
  ListEngagements: engagement((m) => m.listEngagements),
  ListPageReceipts: engagement((m) => m.listPageReceipts),
  ListPageResolutions: engagement((m) => m.listPageResolutions),
  ListPagesByContact: engagement((m) => m.listPagesByContact),
  ListPagesByEngagement: engagement((m) => m.listPagesByEngagement),
  ListPreviewRotationShifts: rotation((m) => m.listPreviewRotationShifts),
  ListRotationOverrides: rotation((m) => m.listRotationOverrides),
  ListRotationShifts: rotation((m) => m.listRotationShifts),
  ListRotations: rotation((m) => m.listRotations),
  ListTagsForResource: tags((m) => m.listTagsForResource),
  PutContactPolicy: contact((m) => m.putContactPolicy),
  SendActivationCode: channel((m) => m.sendActivationCode),
  StartEngagement: engagement((m) => m.startEngagement),
  StopEngagement: engagement((m) => m.stopEngagement),
  TagResource: tags((m) => m.tagResource),
  UntagResource: tags((m) => m.untagResource),
  UpdateContact: contact((m) => m.updateContact),
  UpdateContactChannel: channel((m) => m.updateContactChannel),
  UpdateRotation: rotation((m) => m.updateRotation),
};

/** The X-Amz-Target prefix of the service (its Smithy service shape name). */
export const CONTACTS_TARGET_PREFIX = 'SSMContacts.';
