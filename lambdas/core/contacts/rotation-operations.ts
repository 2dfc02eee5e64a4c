/**
 * Rotations (CreateRotation, GetRotation, ListRotations, UpdateRotation, DeleteRotation), their overrides
 * (CreateRotationOverride, GetRotationOverride, ListRotationOverrides, DeleteRotationOverride) and their shifts
 * (ListRotationShifts for a stored rotation, ListPreviewRotationShifts for an unsaved one).
 *
 * Shifts come from the pure engine in ./rotations (shiftsPage): this file only loads the rotation and the overrides
 * that overlap the window, converts between the wire and the engine's model, and pages with a NextToken that holds
 * where the next page starts.
 */
import { DateTime } from 'luxon';
import { ConflictError, ResourceNotFoundError, ValidationError } from '#core/shared/errors.ts';
import { newId } from '#core/shared/ids.ts';
import { compact, idempotent, retryOnStaleVersion, seconds } from '#core/shared/operation.ts';
import type { RequestContext } from '#core/shared/service-context.ts';
import { changeTime } from '#core/shared/time.ts';
import { type Infer, list, optional, required, type Schema, struct } from '#core/shared/validation.ts';
import { contactArn, expectContactsArn, notFoundAs, parseContactsArn, rotationArn } from './arns.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { LONGEST_OVERRIDE_MS, overridesIn } from './on-call.ts';
import { type ContactsDependencies, type ContactsOperation, contactsIdempotencyKey } from './operation.ts';
import type { ReferenceTarget, RotationOverrideRecord, RotationRecord } from './ports.ts';
import { dependentEntities, referenceChanges, referencesOfRotation, rotationReferrer } from './references.ts';
import { checkTimeZone, recurrenceOf, recurrenceView, shiftView } from './rotation-shapes.ts';
import {
  MIN_SHIFT_MINUTES,
  overridesFrom,
  type Rotation,
  type RotationOverrideWindow,
  shiftsPage,
  toWireCase,
} from './rotations/index.ts';
import {
  contactsArn,
  dateTime,
  idempotencyToken,
  maxResults,
  pageSize,
  paginationToken,
  previewMember,
  rotationName,
  tagsList,
  tagsOf,
  timeZoneId,
  uuid,
} from './shapes.ts';

/** CreateRotationOverride: an override may end at most this many calendar months from now. */
export const OVERRIDE_HORIZON_MONTHS = 6;
/** How far in the past an override may start (clock skew between the caller and the service). */
export const OVERRIDE_START_TOLERANCE_MS = 5 * 60 * 1000;

const invalid = (field: string, message: string) =>
  new ValidationError(
    `1 validation error detected: Value at '${field}' failed to satisfy constraint: ${message}`,
    field,
  );

/** RecurrenceSettings is parsed by recurrenceOf, which needs the member count; the struct only requires it. */
const recurrenceInput: Schema<unknown> = { parse: (value) => value };

const memberList = list(contactsArn, { min: 1, max: 30 });

export const rotationView = (rotation: RotationRecord) => ({
  RotationArn: rotation.arn,
  Name: rotation.name,
  ContactIds: rotation.contactIds,
  StartTime: seconds(rotation.startTime),
  TimeZoneId: rotation.timeZoneId,
  Recurrence: recurrenceView(rotation.recurrence),
});

const loadRotation = async ({ store }: ContactsDependencies, ctx: RequestContext, arn: string, field: string) => {
  const { rotationId } = expectContactsArn(ctx, 'rotation', arn, field);
  const found = await store.getRotation(rotationId);
  if (!found) throw notFoundAs('rotation', arn);
  return found;
};

/**
 * Rotation members must be existing PERSONAL contacts: a missing one is ResourceNotFoundException (both operations
 * model it), another type a ValidationException. Returns the references the rotation's write makes.
 */
const checkMembers = async (
  deps: ContactsDependencies,
  ctx: RequestContext,
  contactIds: string[],
): Promise<ReferenceTarget[]> => {
  const members = new Map<string, { arn: string; field: string }>();
  contactIds.forEach((arn, i) => {
    const field = `ContactIds.${i + 1}`;
    let parsed: ReturnType<typeof parseContactsArn>;
    try {
      parsed = parseContactsArn(ctx, arn, field);
    } catch (error) {
      if (error instanceof ResourceNotFoundError) throw notFoundAs('contact', arn);
      throw error;
    }
    if (parsed.kind !== 'contact') throw notFoundAs('contact', arn);
    if (!members.has(parsed.alias)) members.set(parsed.alias, { arn, field });
  });
  const found = await Promise.all(
    [...members.entries()].map(async ([alias, m]) => ({ alias, m, found: await deps.store.getContact(alias) })),
  );
  return found.map(({ alias, m, found: contact }) => {
    if (!contact) throw notFoundAs('contact', m.arn);
    if (contact.record.type !== 'PERSONAL')
      throw invalid(
        m.field,
        `Contact ${m.arn} is a ${contact.record.type} contact; rotations take PERSONAL contacts only`,
      );
    return {
      resource: { kind: 'contact' as const, alias },
      allowedTypes: ['PERSONAL'] as const,
      unavailable: () => notFoundAs('contact', contactArn(ctx, alias)),
    };
  });
};

const createInput = struct({
  Name: required(rotationName),
  ContactIds: required(memberList),
  StartTime: optional(dateTime),
  TimeZoneId: required(timeZoneId),
  Recurrence: required(recurrenceInput),
  Tags: optional(tagsList),
  IdempotencyToken: optional(idempotencyToken),
});

export const createRotation = (async (deps, ctx, raw) => {
  const input = createInput.parse(raw, '');
  const key = contactsIdempotencyKey('CreateRotation', input);
  return idempotent(
    deps.store,
    key,
    ctx.now,
    () => addRotation(deps, ctx, input),
    (stored) => ({ RotationArn: (stored as { arn: string }).arn }),
  );
}) satisfies ContactsOperation<'CreateRotation'>;

const addRotation = async (deps: ContactsDependencies, ctx: RequestContext, input: Infer<typeof createInput>) => {
  checkTimeZone(input.TimeZoneId, 'TimeZoneId');
  const recurrence = recurrenceOf(input.Recurrence, 'Recurrence', input.ContactIds.length);
  const references = await checkMembers(deps, ctx, input.ContactIds);
  const rotationId = newId();
  const rotation: RotationRecord = {
    arn: rotationArn(ctx, rotationId),
    rotationId,
    name: input.Name,
    contactIds: input.ContactIds,
    // CHOICE: without StartTime the rotation starts now (its first shift at the next hand-off).
    startTime: input.StartTime ?? ctx.now,
    timeZoneId: input.TimeZoneId,
    recurrence,
    tags: tagsOf(input.Tags),
    createdTime: ctx.now,
    lastModifiedTime: ctx.now,
  };
  const created = await deps.store.createRotation(
    rotation,
    referenceChanges(rotationReferrer(rotation), [], references),
    contactsIdempotencyKey('CreateRotation', input),
    ctx.now,
  );
  return { RotationArn: created.arn };
};

const rotationIdInput = struct({ RotationId: required(contactsArn) });

export const getRotation = (async (deps, ctx, raw) => {
  const input = rotationIdInput.parse(raw, '');
  const { record } = await loadRotation(deps, ctx, input.RotationId, 'RotationId');
  return rotationView(record);
}) satisfies ContactsOperation<'GetRotation'>;

const listInput = struct({
  RotationNamePrefix: optional(rotationName),
  NextToken: optional(paginationToken),
  MaxResults: optional(maxResults),
});

export const listRotations = (async ({ store }, _ctx, raw) => {
  const input = listInput.parse(raw, '');
  const page = await store.listRotations(input.RotationNamePrefix, pageSize(input.MaxResults), input.NextToken);
  return compact({ Rotations: page.items.map(rotationView), NextToken: page.nextToken });
}) satisfies ContactsOperation<'ListRotations'>;

const updateInput = struct({
  RotationId: required(contactsArn),
  ContactIds: optional(memberList),
  StartTime: optional(dateTime),
  TimeZoneId: optional(timeZoneId),
  Recurrence: required(recurrenceInput),
});

export const updateRotation = (async (deps, ctx, raw) => {
  const input = updateInput.parse(raw, '');
  if (input.TimeZoneId !== undefined) checkTimeZone(input.TimeZoneId, 'TimeZoneId');
  recurrenceOf(input.Recurrence, 'Recurrence', input.ContactIds?.length);
  await retryOnStaleVersion(() => applyRotationUpdate(deps, ctx, input));
  return {};
}) satisfies ContactsOperation<'UpdateRotation'>;

const applyRotationUpdate = async (
  deps: ContactsDependencies,
  ctx: RequestContext,
  input: Infer<typeof updateInput>,
) => {
  const { record, version } = await loadRotation(deps, ctx, input.RotationId, 'RotationId');
  const contactIds = input.ContactIds ?? record.contactIds;
  const recurrence = recurrenceOf(input.Recurrence, 'Recurrence', contactIds.length);
  const next: RotationRecord = {
    ...record,
    contactIds,
    startTime: input.StartTime ?? record.startTime,
    timeZoneId: input.TimeZoneId ?? record.timeZoneId,
    recurrence,
    lastModifiedTime: changeTime(ctx, record.lastModifiedTime),
  };
  const references = input.ContactIds ? await checkMembers(deps, ctx, contactIds) : [];
  const referrer = rotationReferrer(record);
  const changes = input.ContactIds
    ? referenceChanges(referrer, referencesOfRotation(ctx, record), references)
    : { referrer, add: [], remove: [] };
  await deps.store.replaceRotation(next, version, changes);
};

export const deleteRotation = (async (deps, ctx, raw) => {
  const input = rotationIdInput.parse(raw, '');
  await retryOnStaleVersion(async () => {
    const { record, version } = await loadRotation(deps, ctx, input.RotationId, 'RotationId');
    const dependents = await deps.store.dependentsOf({ kind: 'rotation', rotationId: record.rotationId }, 100);
    if (dependents.length > 0)
      throw new ConflictError(
        `Rotation ${record.arn} is in use: remove it from the on-call schedules that list it first.`,
        'ROTATION',
        record.arn,
        dependentEntities(dependents),
      );
    await deps.store.deleteRotation(record.rotationId, version, {
      referrer: rotationReferrer(record),
      add: [],
      remove: referencesOfRotation(ctx, record),
    });
  });
  return {};
}) satisfies ContactsOperation<'DeleteRotation'>;

// ---- overrides ---------------------------------------------------------------------------------------------------

const overrideView = (override: RotationOverrideRecord) => ({
  RotationOverrideId: override.overrideId,
  NewContactIds: override.newContactIds,
  StartTime: seconds(override.startTime),
  EndTime: seconds(override.endTime),
  CreateTime: seconds(override.createTime),
});

const createOverrideInput = struct({
  RotationId: required(contactsArn),
  NewContactIds: required(list(contactsArn, { min: 0, max: 30 })),
  StartTime: required(dateTime),
  EndTime: required(dateTime),
  IdempotencyToken: optional(idempotencyToken),
});

export const createRotationOverride = (async (deps, ctx, raw) => {
  const input = createOverrideInput.parse(raw, '');
  const key = contactsIdempotencyKey('CreateRotationOverride', input);
  return idempotent(
    deps.store,
    key,
    ctx.now,
    () => addOverride(deps, ctx, input),
    (stored) => ({ RotationOverrideId: (stored as { overrideId: string }).overrideId }),
  );
}) satisfies ContactsOperation<'CreateRotationOverride'>;

const addOverride = async (
  deps: ContactsDependencies,
  ctx: RequestContext,
  input: Infer<typeof createOverrideInput>,
) => {
  if (input.EndTime - input.StartTime < MIN_SHIFT_MINUTES * 60_000)
    throw invalid('EndTime', `An override must last at least ${MIN_SHIFT_MINUTES} minutes`);
  if (input.StartTime < ctx.now - OVERRIDE_START_TOLERANCE_MS)
    throw invalid('StartTime', 'An override cannot start in the past');
  const horizon = DateTime.fromMillis(ctx.now, { zone: 'utc' }).plus({ months: OVERRIDE_HORIZON_MONTHS }).toMillis();
  if (input.EndTime > horizon)
    throw invalid('EndTime', `An override must end within ${OVERRIDE_HORIZON_MONTHS} months from now`);
  const { record } = await loadRotation(deps, ctx, input.RotationId, 'RotationId');
  const members = new Set(record.contactIds);
  input.NewContactIds.forEach((id, i) => {
    if (!members.has(id)) throw invalid(`NewContactIds.${i + 1}`, `Contact ${id} is not a member of the rotation`);
  });
  const override: RotationOverrideRecord = {
    rotationId: record.rotationId,
    overrideId: newId(),
    newContactIds: input.NewContactIds,
    startTime: input.StartTime,
    endTime: input.EndTime,
    createTime: ctx.now,
  };
  const created = await deps.store.createRotationOverride(
    override,
    () => notFoundAs('rotation', record.arn),
    contactsIdempotencyKey('CreateRotationOverride', input),
    ctx.now,
  );
  return { RotationOverrideId: created.overrideId };
};

const overrideIdInput = struct({ RotationId: required(contactsArn), RotationOverrideId: required(uuid) });

const overrideNotFound = (id: string) =>
  new ResourceNotFoundError(`Rotation override ${id} does not exist.`, 'ROTATION_OVERRIDE', id);

export const getRotationOverride = (async (deps, ctx, raw) => {
  const input = overrideIdInput.parse(raw, '');
  const { record } = await loadRotation(deps, ctx, input.RotationId, 'RotationId');
  const override = await deps.store.getRotationOverride(record.rotationId, input.RotationOverrideId);
  if (!override) throw overrideNotFound(input.RotationOverrideId);
  return { ...overrideView(override), RotationArn: record.arn };
}) satisfies ContactsOperation<'GetRotationOverride'>;

export const deleteRotationOverride = (async (deps, ctx, raw) => {
  const input = overrideIdInput.parse(raw, '');
  const { record } = await loadRotation(deps, ctx, input.RotationId, 'RotationId');
  if (!(await deps.store.deleteRotationOverride(record.rotationId, input.RotationOverrideId)))
    throw overrideNotFound(input.RotationOverrideId);
  return {};
}) satisfies ContactsOperation<'DeleteRotationOverride'>;

const listOverridesInput = struct({
  RotationId: required(contactsArn),
  StartTime: required(dateTime),
  EndTime: required(dateTime),
  NextToken: optional(paginationToken),
  MaxResults: optional(maxResults),
});

export const listRotationOverrides = (async (deps, ctx, raw) => {
  const input = listOverridesInput.parse(raw, '');
  if (input.EndTime <= input.StartTime) throw invalid('EndTime', 'EndTime must be after StartTime');
  const { record } = await loadRotation(deps, ctx, input.RotationId, 'RotationId');
  const page = await deps.store.listRotationOverrides(
    record.rotationId,
    { from: input.StartTime, to: input.EndTime, earliestStart: input.StartTime - LONGEST_OVERRIDE_MS },
    pageSize(input.MaxResults),
    input.NextToken,
  );
  return compact({ RotationOverrides: page.items.map(overrideView), NextToken: page.nextToken });
}) satisfies ContactsOperation<'ListRotationOverrides'>;

// ---- shifts ------------------------------------------------------------------------------------------------------

/** Every override of the rotation that overlaps the window, in CreateTime order (the engine lets later ones win). */
/** Runs the engine, reporting its validation errors with the wire member names (`endTime` -> `EndTime`). */
const engine = <T>(compute: () => T, rename: (text: string) => string = (t) => t): T => {
  try {
    return compute();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const field = error.field === undefined ? undefined : rename(toWireCase(error.field));
    throw new ValidationError(rename(toWireCase(error.message)), field);
  }
};

const shiftsInput = struct({
  RotationId: required(contactsArn),
  StartTime: optional(dateTime),
  EndTime: required(dateTime),
  NextToken: optional(paginationToken),
  MaxResults: optional(maxResults),
});

export const listRotationShifts = (async (deps, ctx, raw) => {
  const input = shiftsInput.parse(raw, '');
  const query = { RotationId: input.RotationId, StartTime: input.StartTime, EndTime: input.EndTime };
  const cursor = decodeCursor(input.NextToken, query);
  // CHOICE (the model's default is undocumented beyond "now"): StartTime defaults to the time of the request.
  const from = cursor?.from ?? input.StartTime ?? ctx.now;
  if (input.EndTime <= from) throw invalid('EndTime', 'EndTime must be after StartTime');
  const { record } = await loadRotation(deps, ctx, input.RotationId, 'RotationId');
  const schedule = {
    contactIds: record.contactIds,
    startTime: record.startTime,
    timeZoneId: record.timeZoneId,
    recurrence: record.recurrence,
  };
  // From the start of the shift that contains `from`, so a page that resumes where an override cut a shift sees that
  // override too (engine.ts, overridesFrom): paging never changes what is listed.
  const overridesStart = engine(() => overridesFrom(schedule, from));
  const rotation: Rotation = {
    ...schedule,
    overrides: await overridesIn(deps, record.rotationId, overridesStart, input.EndTime),
  };
  const page = engine(() => shiftsPage(rotation, { from, to: input.EndTime }, { limit: pageSize(input.MaxResults) }));
  return compact({
    RotationShifts: page.shifts.map(shiftView),
    NextToken: encodeCursor(page.nextFrom === undefined ? undefined : { from: page.nextFrom }, query),
  });
}) satisfies ContactsOperation<'ListRotationShifts'>;

const previewInput = struct({
  RotationStartTime: optional(dateTime),
  StartTime: optional(dateTime),
  EndTime: required(dateTime),
  Members: required(list(previewMember, { min: 1, max: 30 })),
  TimeZoneId: required(timeZoneId),
  Recurrence: required(recurrenceInput),
  Overrides: optional(
    list(
      struct({
        NewMembers: optional(list(previewMember, { min: 0, max: 30 })),
        StartTime: optional(dateTime),
        EndTime: optional(dateTime),
      }),
    ),
  ),
  NextToken: optional(paginationToken),
  MaxResults: optional(maxResults),
});

/** The engine calls preview members `contactIds` and override members `newContactIds`; the wire does not. */
const previewNames = (text: string) =>
  text.replace(/\bNewContactIds\b/g, 'NewMembers').replace(/\bContactIds\b/g, 'Members');

export const listPreviewRotationShifts = (async (_deps, ctx, raw) => {
  const input = previewInput.parse(raw, '');
  checkTimeZone(input.TimeZoneId, 'TimeZoneId');
  const recurrence = recurrenceOf(input.Recurrence, 'Recurrence', input.Members.length);
  const overrides = (input.Overrides ?? []).map((o, i): RotationOverrideWindow => {
    const path = `Overrides.${i + 1}`;
    if (o.StartTime === undefined) throw invalid(`${path}.StartTime`, 'Member must not be null');
    if (o.EndTime === undefined) throw invalid(`${path}.EndTime`, 'Member must not be null');
    if (o.EndTime <= o.StartTime) throw invalid(`${path}.EndTime`, 'EndTime must be after StartTime');
    return { newContactIds: o.NewMembers ?? [], startTime: o.StartTime, endTime: o.EndTime };
  });
  const { NextToken, MaxResults, ...query } = input;
  const cursor = decodeCursor(NextToken, query);
  // CHOICE: the rotation starts at RotationStartTime, else at StartTime, else now; the window starts at StartTime,
  // else at the rotation's start. A default of "now" is fixed by the first page and carried in the NextToken.
  const rotationStart = input.RotationStartTime ?? input.StartTime ?? cursor?.anchor ?? ctx.now;
  const from = cursor?.from ?? input.StartTime ?? rotationStart;
  if (input.EndTime <= from) throw invalid('EndTime', 'EndTime must be after StartTime');
  const rotation: Rotation = {
    contactIds: input.Members,
    startTime: rotationStart,
    timeZoneId: input.TimeZoneId,
    recurrence,
    overrides,
  };
  const page = engine(
    () => shiftsPage(rotation, { from, to: input.EndTime }, { limit: pageSize(MaxResults) }),
    previewNames,
  );
  const anchor = input.RotationStartTime ?? input.StartTime ?? rotationStart;
  return compact({
    RotationShifts: page.shifts.map(shiftView),
    NextToken: encodeCursor(page.nextFrom === undefined ? undefined : { from: page.nextFrom, anchor }, query),
  });
}) satisfies ContactsOperation<'ListPreviewRotationShifts'>;
