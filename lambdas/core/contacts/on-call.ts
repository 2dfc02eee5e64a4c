/**
 * Who is on call, from stored rotations: the overrides that overlap a window and the members on call at an instant.
 * The rotation operations (ListRotationShifts) and the paging engine (ONCALL_SCHEDULE targets) both read it.
 */
import type { RequestContext } from '#core/shared/service-context.ts';
import { expectContactsArn } from './arns.ts';
import type { ContactsDependencies } from './operation.ts';
import type { RotationOverrideRecord } from './ports.ts';
import type { Rotation, RotationOverrideWindow } from './rotations/index.ts';

/**
 * An upper bound on an override's length that follows from the override rules (rotation-operations.ts: it starts at
 * most 5 minutes before its creation and ends at most 6 months after it), so listing overrides that overlap a window
 * can skip older ones.
 */
export const LONGEST_OVERRIDE_MS = 190 * 24 * 3600 * 1000;

/**
 * The rotation engine (and luxon with it, a fifth of a paging function's code) is loaded when a schedule is first
 * resolved: most pages go to people directly, and the worker's cold start should not pay for time-zone arithmetic.
 */
const rotationEngine = () => import('./rotations/engine.ts');

/** The overrides of a rotation that overlap [from, to), in the order they were created (later ones win). */
export const overridesIn = async (deps: ContactsDependencies, rotationId: string, from: number, to: number) => {
  const all: RotationOverrideRecord[] = [];
  let token: string | undefined;
  do {
    const window = { from, to, earliestStart: from - LONGEST_OVERRIDE_MS };
    const page = await deps.store.listRotationOverrides(rotationId, window, 1000, token);
    all.push(...page.items);
    token = page.nextToken;
  } while (token);
  return all
    .sort((a, b) => a.createTime - b.createTime || a.overrideId.localeCompare(b.overrideId))
    .map(
      (o): RotationOverrideWindow => ({ newContactIds: o.newContactIds, startTime: o.startTime, endTime: o.endTime }),
    );
};

/**
 * Who is on call at `instant` in an on-call schedule's rotations (the paging engine resolves ONCALL_SCHEDULE targets
 * with it): each rotation's members on call then, overrides applied, in rotation order, without repeats. A rotation
 * that no longer exists contributes nobody.
 */
export const onCallContacts = async (
  deps: ContactsDependencies,
  ctx: RequestContext,
  rotationArns: readonly string[],
  instant: number,
): Promise<string[]> => {
  const onCall: string[] = [];
  for (const arn of rotationArns) {
    let rotationId: string;
    try {
      rotationId = expectContactsArn(ctx, 'rotation', arn, 'RotationId').rotationId;
    } catch {
      continue;
    }
    const found = await deps.store.getRotation(rotationId);
    if (!found) continue;
    const { record } = found;
    const rotation: Rotation = {
      contactIds: record.contactIds,
      startTime: record.startTime,
      timeZoneId: record.timeZoneId,
      recurrence: record.recurrence,
      overrides: await overridesIn(deps, rotationId, instant, instant + 1),
    };
    for (const contact of (await rotationEngine()).onCallAt(rotation, instant))
      if (!onCall.includes(contact)) onCall.push(contact);
  }
  return onCall;
};
