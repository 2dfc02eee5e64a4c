/**
 * Contact channels: CreateContactChannel, GetContactChannel, ListContactChannels, UpdateContactChannel,
 * DeleteContactChannel, and activation (SendActivationCode, ActivateContactChannel, DeactivateContactChannel).
 *
 * Activation: a 6-digit code is sent through the MessageSender when a channel is created (unless DeferActivation),
 * when its address changes, and on SendActivationCode. Only the latest code is valid, for 24 hours; the store keeps
 * its hash, never the code. ActivateContactChannel with that code moves the channel to ACTIVATED; a wrong or expired
 * code is a ValidationException naming ActivationCode and changes nothing.
 */
import { timingSafeEqual } from 'node:crypto';
import { ServiceQuotaExceededError, ValidationError } from '#core/shared/errors.ts';
import { newId, sha256Hex } from '#core/shared/ids.ts';
import { compact, idempotent, retryOnStaleVersion } from '#core/shared/operation.ts';
import type { RequestContext } from '#core/shared/service-context.ts';
import { boolean, type Infer, optional, required, struct } from '#core/shared/validation.ts';
import { contactArn, contactChannelArn, expectContactsArn, notFoundAs } from './arns.ts';
import { activationMessage, newActivationCode } from './messaging.ts';
import { type ContactsDependencies, type ContactsOperation, contactsIdempotencyKey } from './operation.ts';
import type { ChannelType, ContactChannelRecord } from './ports.ts';
import {
  activationCode,
  channelName,
  channelType,
  contactsArn,
  deliveryAddress,
  idempotencyToken,
  maxResults,
  pageSize,
  paginationToken,
} from './shapes.ts';

/** How long an activation code stays valid. */
export const ACTIVATION_CODE_TTL_MS = 24 * 3600 * 1000;
/** Codes one channel may be sent per rolling hour (SendActivationCode's ServiceQuotaExceededException). */
export const MAX_CODES_PER_HOUR = 5;
const HOUR_MS = 3600 * 1000;

const E164 = /^\+[1-9]\d{1,14}$/;
/** A practical address check (as HTML forms do): local part, @, a domain with at least one dot, no spaces. */
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

const invalid = (field: string, message: string) =>
  new ValidationError(
    `1 validation error detected: Value at '${field}' failed to satisfy constraint: ${message}`,
    field,
  );

/** SMS and VOICE take an E.164 number (`+` country code and number), EMAIL an email address. */
const checkAddress = (type: ChannelType, address: string, field: string) => {
  if ((type === 'SMS' || type === 'VOICE') && !E164.test(address))
    throw invalid(field, `A ${type} channel's address must be a phone number in E.164 format, such as +12065550100`);
  if (type === 'EMAIL' && !EMAIL.test(address))
    throw invalid(field, "An EMAIL channel's address must be an email address");
};

const codeHash = (channelArn: string, code: string) => sha256Hex(`${channelArn}:${code}`);

export const channelView = (channel: ContactChannelRecord) => ({
  ContactArn: channel.contactArn,
  ContactChannelArn: channel.arn,
  Name: channel.name,
  Type: channel.type,
  DeliveryAddress: { SimpleAddress: channel.address },
  ActivationStatus: channel.activationStatus,
});

const loadChannel = async ({ store }: ContactsDependencies, ctx: RequestContext, arn: string, field: string) => {
  const { alias, channelId } = expectContactsArn(ctx, 'contact-channel', arn, field);
  const found = await store.getContactChannel(alias, channelId);
  if (!found) throw notFoundAs('contact-channel', arn);
  return found;
};

/** A new code for the channel: its hash goes on the record, the code into the message sent after the write. */
const withNewCode = (channel: ContactChannelRecord, now: number): { channel: ContactChannelRecord; code: string } => {
  const code = newActivationCode();
  return {
    code,
    channel: {
      ...channel,
      activationStatus: 'NOT_ACTIVATED',
      pendingActivation: { codeHash: codeHash(channel.arn, code), sentTime: now },
      recentCodeSends: [...channel.recentCodeSends.filter((t) => t > now - HOUR_MS), now],
    },
  };
};

const sendCode = (deps: ContactsDependencies, channel: ContactChannelRecord, code: string, now: number) =>
  deps.messages.send(activationMessage(channel, code, now));

const createInput = struct({
  ContactId: required(contactsArn),
  Name: required(channelName),
  Type: required(channelType),
  DeliveryAddress: required(deliveryAddress),
  DeferActivation: optional(boolean()),
  IdempotencyToken: optional(idempotencyToken),
});

export const createContactChannel = (async (deps, ctx, raw) => {
  const input = createInput.parse(raw, '');
  checkAddress(input.Type, input.DeliveryAddress.SimpleAddress, 'DeliveryAddress.SimpleAddress');
  const key = contactsIdempotencyKey('CreateContactChannel', input);
  return idempotent(
    deps.store,
    key,
    ctx.now,
    () => addChannel(deps, ctx, input),
    (stored) => ({ ContactChannelArn: (stored as { arn: string }).arn }),
  );
}) satisfies ContactsOperation<'CreateContactChannel'>;

const addChannel = async (deps: ContactsDependencies, ctx: RequestContext, input: Infer<typeof createInput>) => {
  // CreateContactChannel models no ResourceNotFoundException: a missing contact is a bad ContactId.
  const { alias } = expectContactsArnOrInvalid(ctx, input.ContactId);
  const unavailable = () =>
    invalid('ContactId', `Contact ${input.ContactId} does not exist or is not a PERSONAL contact`);
  const contact = await deps.store.getContact(alias);
  if (contact?.record.type !== 'PERSONAL') throw unavailable();

  const channelId = newId();
  const base: ContactChannelRecord = {
    arn: contactChannelArn(ctx, alias, channelId),
    channelId,
    contactAlias: alias,
    contactArn: contactArn(ctx, alias),
    name: input.Name,
    type: input.Type,
    address: input.DeliveryAddress.SimpleAddress,
    activationStatus: 'NOT_ACTIVATED',
    recentCodeSends: [],
    createdTime: ctx.now,
  };
  const { channel, code } = input.DeferActivation ? { channel: base, code: undefined } : withNewCode(base, ctx.now);
  const created = await deps.store.createContactChannel(
    channel,
    unavailable,
    contactsIdempotencyKey('CreateContactChannel', input),
    ctx.now,
  );
  // A replayed request created nothing, so it sends nothing either.
  if (!created.replayed && code) await sendCode(deps, channel, code, ctx.now);
  return { ContactChannelArn: created.arn };
};

const expectContactsArnOrInvalid = (ctx: RequestContext, arn: string) => {
  try {
    return expectContactsArn(ctx, 'contact', arn, 'ContactId');
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw invalid('ContactId', `Contact ${arn} does not exist or is not a PERSONAL contact`);
  }
};

const channelIdInput = struct({ ContactChannelId: required(contactsArn) });

export const getContactChannel = (async (deps, ctx, raw) => {
  const input = channelIdInput.parse(raw, '');
  const { record } = await loadChannel(deps, ctx, input.ContactChannelId, 'ContactChannelId');
  return channelView(record);
}) satisfies ContactsOperation<'GetContactChannel'>;

const listInput = struct({
  ContactId: required(contactsArn),
  NextToken: optional(paginationToken),
  MaxResults: optional(maxResults),
});

export const listContactChannels = (async (deps, ctx, raw) => {
  const input = listInput.parse(raw, '');
  const { alias } = expectContactsArn(ctx, 'contact', input.ContactId, 'ContactId');
  if (!(await deps.store.getContact(alias))) throw notFoundAs('contact', input.ContactId);
  const page = await deps.store.listContactChannels(alias, pageSize(input.MaxResults), input.NextToken);
  return compact({ ContactChannels: page.items.map(channelView), NextToken: page.nextToken });
}) satisfies ContactsOperation<'ListContactChannels'>;

const updateInput = struct({
  ContactChannelId: required(contactsArn),
  Name: optional(channelName),
  DeliveryAddress: optional(deliveryAddress),
});

export const updateContactChannel = (async (deps, ctx, raw) => {
  const input = updateInput.parse(raw, '');
  const sent = await retryOnStaleVersion(async () => {
    const { record, version } = await loadChannel(deps, ctx, input.ContactChannelId, 'ContactChannelId');
    let next: ContactChannelRecord = { ...record, name: input.Name ?? record.name };
    let code: string | undefined;
    const address = input.DeliveryAddress?.SimpleAddress;
    if (address !== undefined && address !== record.address) {
      checkAddress(record.type, address, 'DeliveryAddress.SimpleAddress');
      // A new address has to prove itself again: the channel is deactivated and a code goes to the new address.
      ({ channel: next, code } = withNewCode({ ...next, address }, ctx.now));
    }
    if (next.name === record.name && next.address === record.address) return undefined;
    await deps.store.replaceContactChannel(next, version);
    return code ? { channel: next, code } : undefined;
  });
  if (sent) await sendCode(deps, sent.channel, sent.code, ctx.now);
  return {};
}) satisfies ContactsOperation<'UpdateContactChannel'>;

export const deleteContactChannel = (async (deps, ctx, raw) => {
  const input = channelIdInput.parse(raw, '');
  const { alias, channelId } = expectContactsArn(ctx, 'contact-channel', input.ContactChannelId, 'ContactChannelId');
  // Plans that target the channel keep it; engaging skips a channel that no longer exists (as the service documents).
  if (!(await deps.store.deleteContactChannel(alias, channelId)))
    throw notFoundAs('contact-channel', input.ContactChannelId);
  return {};
}) satisfies ContactsOperation<'DeleteContactChannel'>;

export const sendActivationCode = (async (deps, ctx, raw) => {
  const input = channelIdInput.parse(raw, '');
  const { channel, code } = await retryOnStaleVersion(async () => {
    const { record, version } = await loadChannel(deps, ctx, input.ContactChannelId, 'ContactChannelId');
    if (record.activationStatus === 'ACTIVATED')
      throw invalid('ContactChannelId', `Contact channel ${record.arn} is already activated`);
    if (record.recentCodeSends.filter((t) => t > ctx.now - HOUR_MS).length >= MAX_CODES_PER_HOUR)
      throw new ServiceQuotaExceededError(
        `At most ${MAX_CODES_PER_HOUR} activation codes can be sent to a contact channel per hour.`,
        'activation-codes-per-channel-per-hour',
        'CONTACT_CHANNEL',
        record.arn,
      );
    const next = withNewCode(record, ctx.now);
    await deps.store.replaceContactChannel(next.channel, version);
    return next;
  });
  await sendCode(deps, channel, code, ctx.now);
  return {};
}) satisfies ContactsOperation<'SendActivationCode'>;

const activateInput = struct({ ContactChannelId: required(contactsArn), ActivationCode: required(activationCode) });

export const activateContactChannel = (async (deps, ctx, raw) => {
  const input = activateInput.parse(raw, '');
  await retryOnStaleVersion(async () => {
    const { record, version } = await loadChannel(deps, ctx, input.ContactChannelId, 'ContactChannelId');
    if (record.activationStatus === 'ACTIVATED') return;
    const pending = record.pendingActivation;
    if (!pending)
      throw invalid(
        'ActivationCode',
        'No activation code was sent to this contact channel; call SendActivationCode first',
      );
    if (pending.sentTime + ACTIVATION_CODE_TTL_MS <= ctx.now)
      throw invalid('ActivationCode', 'The activation code has expired; call SendActivationCode for a new one');
    const given = Buffer.from(codeHash(record.arn, input.ActivationCode), 'hex');
    if (!timingSafeEqual(given, Buffer.from(pending.codeHash, 'hex')))
      throw invalid('ActivationCode', 'The activation code is not the one sent to this contact channel');
    const { pendingActivation: _used, ...rest } = record;
    await deps.store.replaceContactChannel({ ...rest, activationStatus: 'ACTIVATED' }, version);
  });
  return {};
}) satisfies ContactsOperation<'ActivateContactChannel'>;

export const deactivateContactChannel = (async (deps, ctx, raw) => {
  const input = channelIdInput.parse(raw, '');
  await retryOnStaleVersion(async () => {
    const { record, version } = await loadChannel(deps, ctx, input.ContactChannelId, 'ContactChannelId');
    if (record.activationStatus === 'NOT_ACTIVATED' && !record.pendingActivation) return;
    const { pendingActivation: _dropped, ...rest } = record;
    await deps.store.replaceContactChannel({ ...rest, activationStatus: 'NOT_ACTIVATED' }, version);
  });
  return {};
}) satisfies ContactsOperation<'DeactivateContactChannel'>;
