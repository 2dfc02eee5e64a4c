/**
 * CreateContact, GetContact, ListContacts, UpdateContact, DeleteContact, GetContactPolicy, PutContactPolicy.
 *
 * A contact's Plan depends on its Type:
 * - PERSONAL (a person's engagement plan): stages target the contact's OWN channels (ChannelTargetInfo). A new
 *   contact has no channels yet, so CreateContact takes an empty plan (or stages without targets) and the plan is set
 *   with UpdateContact once the channels exist, which is what the console and Terraform (aws_ssmcontacts_plan) do.
 * - ESCALATION (an escalation plan): stages target existing PERSONAL or ONCALL_SCHEDULE contacts (ContactTargetInfo).
 * - ONCALL_SCHEDULE: RotationIds lists 1 to 8 existing rotations, and there are no stages.
 */
import { ConflictError, ServiceQuotaExceededError, ValidationError } from '#core/shared/errors.ts';
import { compact, idempotent, retryOnStaleVersion } from '#core/shared/operation.ts';
import type { RequestContext } from '#core/shared/service-context.ts';
import { changeTime } from '#core/shared/time.ts';
import { type Infer, optional, required, struct } from '#core/shared/validation.ts';
import { contactArn, expectContactsArn, notFoundAs, parseContactsArn } from './arns.ts';
import { type ContactsDependencies, type ContactsOperation, contactsIdempotencyKey } from './operation.ts';
import type { ContactRecord, ContactType, Plan, ReferenceTarget } from './ports.ts';
import { contactReferrer, dependentEntities, referenceChanges, referencesOfContact } from './references.ts';
import {
  alias,
  contactName,
  contactsArn,
  contactType,
  idempotencyToken,
  maxResults,
  pageSize,
  paginationToken,
  planOf,
  plan as planShape,
  planView,
  policy as policyShape,
  tagsList,
  tagsOf,
} from './shapes.ts';

/** The User Guide's limit of rotations per on-call schedule (the model allows lists of 25). */
export const MAX_ROTATIONS_PER_SCHEDULE = 8;
/**
 * Distinct contacts one escalation plan may target. The model sets no limit; this one keeps every plan change within
 * one DynamoDB transaction (two writes per new target, one per removed target).
 */
export const MAX_ESCALATION_TARGETS = 30;
/** Channels of a contact read when validating a personal engagement plan. */
const MAX_CHANNELS_CHECKED = 1000;

const invalid = (field: string, message: string) =>
  new ValidationError(
    `1 validation error detected: Value at '${field}' failed to satisfy constraint: ${message}`,
    field,
  );

export const loadContact = async ({ store }: ContactsDependencies, ctx: RequestContext, arn: string, field: string) => {
  const { alias: name } = expectContactsArn(ctx, 'contact', arn, field);
  const found = await store.getContact(name);
  if (!found) throw notFoundAs('contact', arn);
  return found;
};

/**
 * Checks a plan against the contact's type and the resources it names, and returns the references its write must
 * make. `channelIds`: the contact's own channels (PERSONAL plans may target only those).
 */
const checkPlan = async (
  deps: ContactsDependencies,
  ctx: RequestContext,
  contact: { alias: string; type: ContactType },
  plan: Plan,
  channelIds: ReadonlySet<string>,
): Promise<ReferenceTarget[]> => {
  const references: ReferenceTarget[] = [];
  const contactTargets = new Map<string, { arn: string; field: string }>();

  plan.stages.forEach((stage, i) => {
    const stagePath = `Plan.Stages.${i + 1}`;
    if (stage.durationInMinutes === 0 && stage.targets.length === 0)
      throw invalid(`${stagePath}.DurationInMinutes`, 'DurationInMinutes can only be 0 when the stage has a target');
    if (contact.type === 'ONCALL_SCHEDULE')
      throw invalid('Plan.Stages', "An on-call schedule's plan lists RotationIds and has no stages");
    stage.targets.forEach((target, j) => {
      const targetPath = `${stagePath}.Targets.${j + 1}`;
      if (contact.type === 'PERSONAL') {
        if (!target.channelTargetInfo)
          throw invalid(
            `${targetPath}.ContactTargetInfo`,
            "A personal contact's engagement plan targets its own contact channels (ChannelTargetInfo)",
          );
        const field = `${targetPath}.ChannelTargetInfo.ContactChannelId`;
        const channelArn = target.channelTargetInfo.contactChannelId;
        const parsed = parseOrUndefined(ctx, channelArn, field);
        if (parsed?.kind !== 'contact-channel' || parsed.alias !== contact.alias || !channelIds.has(parsed.channelId))
          throw invalid(field, `Contact channel ${channelArn} is not a channel of contact ${contact.alias}`);
        return;
      }
      // ESCALATION
      if (!target.contactTargetInfo)
        throw invalid(
          `${targetPath}.ChannelTargetInfo`,
          'An escalation plan targets contacts and on-call schedules (ContactTargetInfo)',
        );
      const field = `${targetPath}.ContactTargetInfo.ContactId`;
      const targetArn = target.contactTargetInfo.contactId;
      if (!targetArn) throw invalid(field, 'Member must not be null');
      const parsed = parseOrUndefined(ctx, targetArn, field);
      if (parsed?.kind !== 'contact') throw invalid(field, `Contact ${targetArn} does not exist`);
      if (!contactTargets.has(parsed.alias)) contactTargets.set(parsed.alias, { arn: targetArn, field });
    });
  });

  if (plan.rotationIds?.length && contact.type !== 'ONCALL_SCHEDULE')
    throw invalid('Plan.RotationIds', 'Only an on-call schedule (ONCALL_SCHEDULE) lists rotations');

  if (contact.type === 'ESCALATION') {
    if (contactTargets.size > MAX_ESCALATION_TARGETS)
      throw new ServiceQuotaExceededError(
        `An escalation plan can target at most ${MAX_ESCALATION_TARGETS} distinct contacts.`,
        'contacts-per-escalation-plan',
        'CONTACT',
        contactArn(ctx, contact.alias),
      );
    const found = await Promise.all(
      [...contactTargets.entries()].map(async ([name, t]) => ({ name, t, found: await deps.store.getContact(name) })),
    );
    for (const { name, t, found: target } of found) {
      const allowedTypes = ['PERSONAL', 'ONCALL_SCHEDULE'] as const;
      const wrong = () =>
        invalid(t.field, `Contact ${t.arn} does not exist or is not a PERSONAL or ONCALL_SCHEDULE contact`);
      if (!target || !(allowedTypes as readonly string[]).includes(target.record.type)) throw wrong();
      references.push({ resource: { kind: 'contact', alias: name }, allowedTypes, unavailable: wrong });
    }
  }

  if (contact.type === 'ONCALL_SCHEDULE') {
    const rotationIds = plan.rotationIds ?? [];
    if (rotationIds.length === 0)
      throw invalid('Plan.RotationIds', 'An on-call schedule must list at least 1 rotation');
    if (rotationIds.length > MAX_ROTATIONS_PER_SCHEDULE)
      throw new ServiceQuotaExceededError(
        `An on-call schedule can have at most ${MAX_ROTATIONS_PER_SCHEDULE} rotations.`,
        'rotations-per-on-call-schedule',
        'CONTACT',
        contactArn(ctx, contact.alias),
      );
    const seen = new Set<string>();
    const rotations = rotationIds.map((arn, i) => {
      const field = `Plan.RotationIds.${i + 1}`;
      const parsed = parseOrUndefined(ctx, arn, field);
      if (parsed?.kind !== 'rotation') throw invalid(field, `Rotation ${arn} does not exist`);
      if (seen.has(parsed.rotationId)) throw invalid(field, `Rotation ${arn} is listed more than once`);
      seen.add(parsed.rotationId);
      return { arn, field, rotationId: parsed.rotationId };
    });
    const found = await Promise.all(
      rotations.map(async (r) => ({ r, found: await deps.store.getRotation(r.rotationId) })),
    );
    for (const { r, found: rotation } of found) {
      const missing = () => invalid(r.field, `Rotation ${r.arn} does not exist`);
      if (!rotation) throw missing();
      references.push({ resource: { kind: 'rotation', rotationId: r.rotationId }, unavailable: missing });
    }
  }
  return references;
};

/** A contacts ARN of this account, or undefined (a reference to another account's resource names nothing here). */
const parseOrUndefined = (ctx: RequestContext, arn: string, field: string) => {
  try {
    return parseContactsArn(ctx, arn, field);
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    return undefined;
  }
};

export const contactView = (contact: ContactRecord) =>
  compact({
    ContactArn: contact.arn,
    Alias: contact.alias,
    DisplayName: contact.displayName,
    Type: contact.type,
    Plan: planView(contact.plan),
  });

const createInput = struct({
  Alias: required(alias),
  DisplayName: optional(contactName),
  Type: required(contactType),
  Plan: required(planShape),
  Tags: optional(tagsList),
  IdempotencyToken: optional(idempotencyToken),
});

export const createContact = (async (deps, ctx, raw) => {
  const input = createInput.parse(raw, '');
  const key = contactsIdempotencyKey('CreateContact', input);
  return idempotent(
    deps.store,
    key,
    ctx.now,
    () => addContact(deps, ctx, input),
    (stored) => ({ ContactArn: (stored as { arn: string }).arn }),
  );
}) satisfies ContactsOperation<'CreateContact'>;

const addContact = async (deps: ContactsDependencies, ctx: RequestContext, input: Infer<typeof createInput>) => {
  const plan = planOf(input.Plan);
  // A new contact has no channels yet: a personal plan naming a channel is invalid until UpdateContact.
  const references = await checkPlan(deps, ctx, { alias: input.Alias, type: input.Type }, plan, new Set());
  const contact: ContactRecord = compact({
    arn: contactArn(ctx, input.Alias),
    alias: input.Alias,
    type: input.Type,
    displayName: input.DisplayName || undefined,
    plan,
    tags: tagsOf(input.Tags),
    createdTime: ctx.now,
    lastModifiedTime: ctx.now,
  });
  await deps.store.createContact(
    contact,
    referenceChanges(contactReferrer(contact), [], references),
    contactsIdempotencyKey('CreateContact', input),
    ctx.now,
  );
  return { ContactArn: contact.arn };
};

const getInput = struct({ ContactId: required(contactsArn) });

export const getContact = (async (deps, ctx, raw) => {
  const input = getInput.parse(raw, '');
  const { record } = await loadContact(deps, ctx, input.ContactId, 'ContactId');
  return contactView(record);
}) satisfies ContactsOperation<'GetContact'>;

const listInput = struct({
  NextToken: optional(paginationToken),
  MaxResults: optional(maxResults),
  AliasPrefix: optional(alias),
  Type: optional(contactType),
});

export const listContacts = (async ({ store }, _ctx, raw) => {
  const input = listInput.parse(raw, '');
  const page = await store.listContacts(
    compact({ aliasPrefix: input.AliasPrefix, type: input.Type }),
    pageSize(input.MaxResults),
    input.NextToken,
  );
  return compact({
    Contacts: page.items.map((c) =>
      compact({ ContactArn: c.arn, Alias: c.alias, DisplayName: c.displayName, Type: c.type }),
    ),
    NextToken: page.nextToken,
  });
}) satisfies ContactsOperation<'ListContacts'>;

const updateInput = struct({
  ContactId: required(contactsArn),
  DisplayName: optional(contactName),
  Plan: optional(planShape),
});

export const updateContact = (async (deps, ctx, raw) => {
  const input = updateInput.parse(raw, '');
  await retryOnStaleVersion(() => applyContactUpdate(deps, ctx, input));
  return {};
}) satisfies ContactsOperation<'UpdateContact'>;

const applyContactUpdate = async (
  deps: ContactsDependencies,
  ctx: RequestContext,
  input: Infer<typeof updateInput>,
) => {
  const { record, version } = await loadContact(deps, ctx, input.ContactId, 'ContactId');
  if (input.DisplayName === undefined && input.Plan === undefined) return;
  let plan = record.plan;
  let references: ReferenceTarget[] | undefined;
  if (input.Plan !== undefined) {
    plan = planOf(input.Plan);
    const channelIds =
      record.type === 'PERSONAL'
        ? new Set(await deps.store.contactChannelIds(record.alias, MAX_CHANNELS_CHECKED))
        : new Set<string>();
    references = await checkPlan(deps, ctx, record, plan, channelIds);
  }
  const next: ContactRecord = compact({
    ...record,
    // An empty DisplayName clears it (the model allows length 0).
    displayName: input.DisplayName !== undefined ? input.DisplayName || undefined : record.displayName,
    plan,
    lastModifiedTime: changeTime(ctx, record.lastModifiedTime),
  });
  const referrer = contactReferrer(record);
  const changes = references
    ? referenceChanges(referrer, referencesOfContact(ctx, record), references)
    : { referrer, add: [], remove: [] };
  await deps.store.replaceContact(next, version, changes);
};

const deleteInput = struct({ ContactId: required(contactsArn) });

export const deleteContact = (async (deps, ctx, raw) => {
  const input = deleteInput.parse(raw, '');
  await retryOnStaleVersion(async () => {
    const { record, version } = await loadContact(deps, ctx, input.ContactId, 'ContactId');
    const dependents = await deps.store.dependentsOf({ kind: 'contact', alias: record.alias }, 100);
    if (dependents.length > 0)
      throw new ConflictError(
        `Contact ${record.arn} is in use: remove it from the escalation plans and rotations that reference it first.`,
        'CONTACT',
        record.arn,
        dependentEntities(dependents),
      );
    await deps.store.deleteContact(record.alias, version, {
      referrer: contactReferrer(record),
      add: [],
      remove: referencesOfContact(ctx, record),
    });
  });
  return {};
}) satisfies ContactsOperation<'DeleteContact'>;

const getPolicyInput = struct({ ContactArn: required(contactsArn) });

export const getContactPolicy = (async (deps, ctx, raw) => {
  const input = getPolicyInput.parse(raw, '');
  const { record } = await loadContact(deps, ctx, input.ContactArn, 'ContactArn');
  return compact({ ContactArn: record.arn, Policy: record.policy });
}) satisfies ContactsOperation<'GetContactPolicy'>;

const putPolicyInput = struct({ ContactArn: required(contactsArn), Policy: required(policyShape) });

export const putContactPolicy = (async (deps, ctx, raw) => {
  const input = putPolicyInput.parse(raw, '');
  try {
    JSON.parse(input.Policy);
  } catch {
    throw invalid('Policy', 'Member must be a JSON policy document');
  }
  await retryOnStaleVersion(async () => {
    const { record, version } = await loadContact(deps, ctx, input.ContactArn, 'ContactArn');
    await deps.store.replaceContact(
      { ...record, policy: input.Policy, lastModifiedTime: changeTime(ctx, record.lastModifiedTime) },
      version,
      {
        referrer: contactReferrer(record),
        add: [],
        remove: [],
      },
    );
  });
  return {};
}) satisfies ContactsOperation<'PutContactPolicy'>;
