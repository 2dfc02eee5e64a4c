/** What every ssm-contacts operation receives and returns, and helpers they share. */
import type * as sdk from '@aws-sdk/client-ssm-contacts';
import { canonicalJson, sha256Hex } from '#core/shared/ids.ts';
import type { RequestContext } from '#core/shared/service-context.ts';
import type { IdempotencyKey } from '#core/shared/storage.ts';
import type { Wire } from '#core/shared/wire.ts';
import type { EngagementServices } from './engagements/model.ts';
import type { MessageSender } from './messaging.ts';
import type { ContactsStore } from './ports.ts';

export interface ContactsDependencies {
  store: ContactsStore;
  messages: MessageSender;
  /** Engagements and pages (StartEngagement, AcceptPage, ..., and the workflow's worker). */
  engagements?: EngagementServices;
}

/**
 * Each operation's output as the official SDK types it (the SDK is the contract), in its wire form. The operation
 * table (./api.ts) is checked against it: every name here has its operation, returning this type.
 */
export interface ContactsOutputs {
  AcceptPage: Wire<sdk.AcceptPageCommandOutput>;
  ActivateContactChannel: Wire<sdk.ActivateContactChannelCommandOutput>;
  CreateContact: Wire<sdk.CreateContactCommandOutput>;
  CreateContactChannel: Wire<sdk.CreateContactChannelCommandOutput>;
  CreateRotation: Wire<sdk.CreateRotationCommandOutput>;
  CreateRotationOverride: Wire<sdk.CreateRotationOverrideCommandOutput>;
  DeactivateContactChannel: Wire<sdk.DeactivateContactChannelCommandOutput>;
  DeleteContact: Wire<sdk.DeleteContactCommandOutput>;
  DeleteContactChannel: Wire<sdk.DeleteContactChannelCommandOutput>;
  DeleteRotation: Wire<sdk.DeleteRotationCommandOutput>;
  DeleteRotationOverride: Wire<sdk.DeleteRotationOverrideCommandOutput>;
  DescribeEngagement: Wire<sdk.DescribeEngagementCommandOutput>;
  DescribePage: Wire<sdk.DescribePageCommandOutput>;
  GetContact: Wire<sdk.GetContactCommandOutput>;
  GetContactChannel: Wire<sdk.GetContactChannelCommandOutput>;
  GetContactPolicy: Wire<sdk.GetContactPolicyCommandOutput>;
  GetRotation: Wire<sdk.GetRotationCommandOutput>;
  GetRotationOverride: Wire<sdk.GetRotationOverrideCommandOutput>;
  ListContactChannels: Wire<sdk.ListContactChannelsCommandOutput>;
  ListContacts: Wire<sdk.ListContactsCommandOutput>;
  ListEngagements: Wire<sdk.ListEngagementsCommandOutput>;
  ListPageReceipts: Wire<sdk.ListPageReceiptsCommandOutput>;
  ListPageResolutions: Wire<sdk.ListPageResolutionsCommandOutput>;
  ListPagesByContact: Wire<sdk.ListPagesByContactCommandOutput>;
  ListPagesByEngagement: Wire<sdk.ListPagesByEngagementCommandOutput>;
  ListPreviewRotationShifts: Wire<sdk.ListPreviewRotationShiftsCommandOutput>;
  ListRotationOverrides: Wire<sdk.ListRotationOverridesCommandOutput>;
  ListRotationShifts: Wire<sdk.ListRotationShiftsCommandOutput>;
  ListRotations: Wire<sdk.ListRotationsCommandOutput>;
  ListTagsForResource: Wire<sdk.ListTagsForResourceCommandOutput>;
  PutContactPolicy: Wire<sdk.PutContactPolicyCommandOutput>;
  SendActivationCode: Wire<sdk.SendActivationCodeCommandOutput>;
  StartEngagement: Wire<sdk.StartEngagementCommandOutput>;
  StopEngagement: Wire<sdk.StopEngagementCommandOutput>;
  TagResource: Wire<sdk.TagResourceCommandOutput>;
  UntagResource: Wire<sdk.UntagResourceCommandOutput>;
  UpdateContact: Wire<sdk.UpdateContactCommandOutput>;
  UpdateContactChannel: Wire<sdk.UpdateContactChannelCommandOutput>;
  UpdateRotation: Wire<sdk.UpdateRotationCommandOutput>;
}
export type ContactsOperationName = keyof ContactsOutputs;

/**
 * An operation takes the request body (the whole input, awsJson1_1) and returns the output members. Operations are
 * declared `(async (deps, ctx, raw) => {...}) satisfies ContactsOperation<'Name'>` so that they keep their own output
 * type for the type test (see Operation in core/incidents/operation.ts).
 */
export type ContactsOperationReturning<Output> = (
  deps: ContactsDependencies,
  ctx: RequestContext,
  input: unknown,
) => Promise<Output>;
export type ContactsOperation<Name extends ContactsOperationName> = ContactsOperationReturning<ContactsOutputs[Name]>;
/** Any operation, as the HTTP handler dispatches it by the X-Amz-Target or route name. */
export type AnyContactsOperation = ContactsOperationReturning<object>;

/**
 * The idempotency key of a request carrying an IdempotencyToken; the hash covers every other member. Keys are
 * scoped by service and operation, so they never meet ssm-incidents clientTokens in the shared table.
 */
export const contactsIdempotencyKey = (
  operation: string,
  input: { IdempotencyToken?: string } & Record<string, unknown>,
): IdempotencyKey | undefined => {
  if (!input.IdempotencyToken) return undefined;
  const { IdempotencyToken, ...rest } = input;
  return { operation: `ssm-contacts:${operation}`, token: IdempotencyToken, inputHash: sha256Hex(canonicalJson(rest)) };
};
