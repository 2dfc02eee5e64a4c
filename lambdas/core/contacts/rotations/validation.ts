/**
 * Semantic validation of a rotation: the rules the Smithy model cannot express (exactly one recurrence kind, shifts
 * of at least 30 minutes, NumberOfOnCalls no larger than the team) plus the ranges it can, so that the engine is
 * safe to call with anything. Every problem names the offending member path, with 1-based list positions like the
 * AWS messages ("recurrence.weeklySettings.1.handOffTime.hourOfDay must be 0-23").
 *
 * Wall-clock rules: the 30-minute minimum is checked on wall-clock time. Around a DST change two hand-offs 45
 * minutes apart on the clock can be 15 minutes apart in real time (01:45 and 02:30 on a spring-forward night); the
 * engine still produces that short shift rather than reject a rotation that is valid on 363 days a year.
 */
import { ValidationError } from '#core/shared/errors.ts';
import { timeZone } from './time-zone.ts';
import {
  DAYS_OF_WEEK,
  type DayOfWeek,
  type RecurrenceSettings,
  type Rotation,
  type RotationOverrideWindow,
} from './types.ts';

export const MIN_SHIFT_MINUTES = 30;
export const MAX_RECURRENCE_MULTIPLIER = 100;
/** CreateRotation.ContactIds: 1–30 members. */
export const MAX_MEMBERS = 30;

export interface RotationProblem {
  /** Dotted member path, e.g. `recurrence.dailySettings.2.minuteOfHour`. */
  field: string;
  message: string;
}

/** Throws the first problem as a ValidationError (naming its field); the message lists all of them. */
const throwIfAny = (problems: RotationProblem[]): void => {
  const first = problems[0];
  if (!first) return;
  const message =
    problems.length === 1
      ? first.message
      : `${problems.length} validation errors detected: ${problems.map((p) => p.message).join('; ')}`;
  throw new ValidationError(message, first.field);
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isAbsent = (value: unknown): boolean => value === undefined || value === null;
const isInt = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);
const clock = (minutes: number): string =>
  `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const MINUTES_PER_DAY = 1440;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/** Minutes after midnight of a hand-off time, or undefined (with problems recorded) if it is not valid. */
const handOffMinutes = (value: unknown, path: string, problems: RotationProblem[]): number | undefined => {
  if (!isRecord(value)) {
    problems.push({ field: path, message: `${path} must be an object with hourOfDay and minuteOfHour` });
    return undefined;
  }
  const { hourOfDay, minuteOfHour } = value;
  let ok = true;
  if (!isInt(hourOfDay) || hourOfDay < 0 || hourOfDay > 23) {
    problems.push({ field: `${path}.hourOfDay`, message: `${path}.hourOfDay must be 0-23` });
    ok = false;
  }
  if (!isInt(minuteOfHour) || minuteOfHour < 0 || minuteOfHour > 59) {
    problems.push({ field: `${path}.minuteOfHour`, message: `${path}.minuteOfHour must be 0-59` });
    ok = false;
  }
  return ok ? (hourOfDay as number) * 60 + (minuteOfHour as number) : undefined;
};

interface Position {
  /** 1-based position in the settings list. */
  index: number;
  minutes: number;
  label: string;
}

/**
 * Checks that consecutive hand-offs (sorted, and wrapping into the next recurring period) are at least 30 minutes
 * apart. `periodMinutes` is the distance from the start of one recurring period to the start of the next (already
 * multiplied), so the wrap gap is `periodMinutes - last + first`.
 */
const checkSpacing = (
  positions: Position[],
  periodMinutes: number,
  listPath: string,
  problems: RotationProblem[],
  context = '',
): void => {
  const sorted = [...positions].sort((a, b) => a.minutes - b.minutes || a.index - b.index);
  for (let i = 0; i < sorted.length; i++) {
    const current = sorted[i]!;
    const next = sorted[i + 1];
    const [earlier, later, gap] = next
      ? [current, next, next.minutes - current.minutes]
      : [current, sorted[0]!, periodMinutes - current.minutes + sorted[0]!.minutes];
    if (gap < MIN_SHIFT_MINUTES) {
      const field = `${listPath}.${later.index}`;
      const what =
        gap === 0
          ? `${field} (${later.label}) falls on the same hand-off as ${listPath}.${earlier.index}${context}`
          : `${field} (${later.label}) is ${gap} minutes after ${listPath}.${earlier.index} (${earlier.label})${context}`;
      problems.push({ field, message: `${what}; a shift must be at least ${MIN_SHIFT_MINUTES} minutes` });
      return;
    }
  }
};

const checkList = (value: unknown, path: string, problems: RotationProblem[]): value is unknown[] => {
  if (!Array.isArray(value)) {
    problems.push({ field: path, message: `${path} must be a list` });
    return false;
  }
  return true;
};

const dailyProblems = (list: unknown[], multiplier: number, path: string, problems: RotationProblem[]) => {
  const positions: Position[] = [];
  list.forEach((item, i) => {
    const minutes = handOffMinutes(item, `${path}.${i + 1}`, problems);
    if (minutes !== undefined) positions.push({ index: i + 1, minutes, label: clock(minutes) });
  });
  if (positions.length === list.length) checkSpacing(positions, multiplier * MINUTES_PER_DAY, path, problems);
};

const weeklyProblems = (list: unknown[], multiplier: number, path: string, problems: RotationProblem[]) => {
  const positions: Position[] = [];
  list.forEach((item, i) => {
    const itemPath = `${path}.${i + 1}`;
    if (!isRecord(item)) {
      problems.push({ field: itemPath, message: `${itemPath} must be an object with dayOfWeek and handOffTime` });
      return;
    }
    const day = DAYS_OF_WEEK.indexOf(item.dayOfWeek as DayOfWeek);
    if (day < 0)
      problems.push({
        field: `${itemPath}.dayOfWeek`,
        message: `${itemPath}.dayOfWeek must be one of ${DAYS_OF_WEEK.join(', ')}`,
      });
    const minutes = handOffMinutes(item.handOffTime, `${itemPath}.handOffTime`, problems);
    if (day >= 0 && minutes !== undefined)
      positions.push({
        index: i + 1,
        minutes: day * MINUTES_PER_DAY + minutes,
        label: `${DAYS_OF_WEEK[day]} ${clock(minutes)}`,
      });
  });
  if (positions.length === list.length) checkSpacing(positions, multiplier * MINUTES_PER_WEEK, path, problems);
};

const monthlyProblems = (list: unknown[], multiplier: number, path: string, problems: RotationProblem[]) => {
  const settings: { index: number; day: number; minutes: number }[] = [];
  list.forEach((item, i) => {
    const itemPath = `${path}.${i + 1}`;
    if (!isRecord(item)) {
      problems.push({ field: itemPath, message: `${itemPath} must be an object with dayOfMonth and handOffTime` });
      return;
    }
    const day = item.dayOfMonth;
    const dayOk = isInt(day) && day >= 1 && day <= 31;
    if (!dayOk) problems.push({ field: `${itemPath}.dayOfMonth`, message: `${itemPath}.dayOfMonth must be 1-31` });
    const minutes = handOffMinutes(item.handOffTime, `${itemPath}.handOffTime`, problems);
    if (dayOk && minutes !== undefined) settings.push({ index: i + 1, day: day as number, minutes });
  });
  if (settings.length !== list.length) return;
  // Days 29-31 mean "the last day" in shorter months, so check the spacing in every month length. The wrap to the
  // next recurring month is measured to that month's first hand-off, which is earliest in a 28-day month.
  const firstInShortMonth = Math.min(...settings.map((s) => (Math.min(s.day, 28) - 1) * MINUTES_PER_DAY + s.minutes));
  for (const length of [31, 30, 29, 28]) {
    const positions = settings.map((s) => {
      const day = Math.min(s.day, length);
      return {
        index: s.index,
        minutes: (day - 1) * MINUTES_PER_DAY + s.minutes,
        label: `day ${s.day} ${clock(s.minutes)}`,
      };
    });
    const firstHere = Math.min(...positions.map((p) => p.minutes));
    // period = distance from this month's start to the next recurring month's start, adjusted so that the wrap gap
    // is measured to that month's earliest possible first hand-off.
    const period = length * MINUTES_PER_DAY + (multiplier - 1) * 28 * MINUTES_PER_DAY + (firstInShortMonth - firstHere);
    const before = problems.length;
    checkSpacing(positions, period, path, problems, length < 31 ? ` in ${length}-day months` : '');
    if (problems.length > before) return;
  }
};

const coverageProblems = (value: unknown, path: string, problems: RotationProblem[]) => {
  if (!isRecord(value)) {
    problems.push({ field: path, message: `${path} must be a map from MON…SUN to lists of coverage times` });
    return;
  }
  for (const [key, windows] of Object.entries(value)) {
    const dayPath = `${path}.${key}`;
    if (!DAYS_OF_WEEK.includes(key as DayOfWeek)) {
      problems.push({ field: dayPath, message: `${dayPath}: the key must be one of ${DAYS_OF_WEEK.join(', ')}` });
      continue;
    }
    if (!checkList(windows, dayPath, problems)) continue;
    windows.forEach((window, i) => {
      const windowPath = `${dayPath}.${i + 1}`;
      if (!isRecord(window)) {
        problems.push({ field: windowPath, message: `${windowPath} must be an object with start and end` });
        return;
      }
      const start = handOffMinutes(window.start, `${windowPath}.start`, problems);
      const end = handOffMinutes(window.end, `${windowPath}.end`, problems);
      if (start === undefined || end === undefined) return;
      // end <= start runs past midnight; end == start is a full 24 hours.
      const length = end > start ? end - start : end + MINUTES_PER_DAY - start;
      if (length < MIN_SHIFT_MINUTES)
        problems.push({
          field: `${windowPath}.end`,
          message: `${windowPath} covers ${length} minutes (${clock(start)}-${clock(end)}); a coverage window must be at least ${MIN_SHIFT_MINUTES} minutes`,
        });
    });
  }
};

/** Every problem with a recurrence, in field order. `memberCount` enables the NumberOfOnCalls upper bound. */
export const recurrenceProblems = (
  recurrence: unknown,
  options: { memberCount?: number; path?: string } = {},
): RotationProblem[] => {
  const path = options.path ?? 'recurrence';
  const problems: RotationProblem[] = [];
  if (!isRecord(recurrence)) return [{ field: path, message: `${path} must be an object` }];

  const { numberOfOnCalls, recurrenceMultiplier } = recurrence;
  const maxOnCalls = options.memberCount;
  if (!isInt(numberOfOnCalls) || numberOfOnCalls < 1)
    problems.push({
      field: `${path}.numberOfOnCalls`,
      message: `${path}.numberOfOnCalls must be an integer of at least 1`,
    });
  else if (maxOnCalls !== undefined && numberOfOnCalls > maxOnCalls)
    problems.push({
      field: `${path}.numberOfOnCalls`,
      message: `${path}.numberOfOnCalls (${numberOfOnCalls}) must not exceed the number of members (${maxOnCalls})`,
    });
  const multiplierOk =
    isInt(recurrenceMultiplier) && recurrenceMultiplier >= 1 && recurrenceMultiplier <= MAX_RECURRENCE_MULTIPLIER;
  if (!multiplierOk)
    problems.push({
      field: `${path}.recurrenceMultiplier`,
      message: `${path}.recurrenceMultiplier must be 1-${MAX_RECURRENCE_MULTIPLIER}`,
    });

  const kinds = (['dailySettings', 'weeklySettings', 'monthlySettings'] as const).filter(
    (kind) => !isAbsent(recurrence[kind]) && !(Array.isArray(recurrence[kind]) && recurrence[kind].length === 0),
  );
  if (kinds.length !== 1) {
    problems.push({
      field: kinds.length === 0 ? path : `${path}.${kinds[1]}`,
      message:
        kinds.length === 0
          ? `${path}: exactly one of dailySettings, weeklySettings or monthlySettings must be set (none is)`
          : `${path}: exactly one of dailySettings, weeklySettings or monthlySettings must be set (${kinds.join(' and ')} are)`,
    });
  } else {
    const kind = kinds[0]!;
    const list = recurrence[kind];
    const listPath = `${path}.${kind}`;
    const multiplier = multiplierOk ? (recurrenceMultiplier as number) : 1;
    if (checkList(list, listPath, problems)) {
      if (kind === 'dailySettings') dailyProblems(list, multiplier, listPath, problems);
      else if (kind === 'weeklySettings') weeklyProblems(list, multiplier, listPath, problems);
      else monthlyProblems(list, multiplier, listPath, problems);
    }
  }

  if (!isAbsent(recurrence.shiftCoverages))
    coverageProblems(recurrence.shiftCoverages, `${path}.shiftCoverages`, problems);
  return problems;
};

/** Throws a ValidationError naming the first bad field; returns the recurrence typed when it is valid. */
export const validateRecurrence = (
  recurrence: unknown,
  options: { memberCount?: number; path?: string } = {},
): RecurrenceSettings => {
  throwIfAny(recurrenceProblems(recurrence, options));
  return recurrence as RecurrenceSettings;
};

const isInstant = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

const overrideProblems = (overrides: unknown, problems: RotationProblem[]): void => {
  if (!checkList(overrides, 'overrides', problems)) return;
  overrides.forEach((override, i) => {
    const path = `overrides.${i + 1}`;
    if (!isRecord(override)) {
      problems.push({ field: path, message: `${path} must be an object` });
      return;
    }
    const o = override as Partial<RotationOverrideWindow>;
    if (!Array.isArray(o.newContactIds) || !o.newContactIds.every((id) => typeof id === 'string' && id.length > 0))
      problems.push({ field: `${path}.newContactIds`, message: `${path}.newContactIds must be a list of contact ids` });
    if (!isInstant(o.startTime))
      problems.push({ field: `${path}.startTime`, message: `${path}.startTime must be an instant` });
    if (!isInstant(o.endTime))
      problems.push({ field: `${path}.endTime`, message: `${path}.endTime must be an instant` });
    else if (isInstant(o.startTime) && o.endTime <= o.startTime)
      problems.push({ field: `${path}.endTime`, message: `${path}.endTime must be after ${path}.startTime` });
  });
};

/** Every problem with a whole rotation: members, start, zone, recurrence and overrides. */
export const rotationProblems = (rotation: unknown): RotationProblem[] => {
  if (!isRecord(rotation)) return [{ field: '', message: 'the rotation must be an object' }];
  const problems: RotationProblem[] = [];
  const { contactIds, startTime, timeZoneId } = rotation;
  let memberCount: number | undefined;
  if (
    !Array.isArray(contactIds) ||
    contactIds.length < 1 ||
    contactIds.length > MAX_MEMBERS ||
    !contactIds.every((id) => typeof id === 'string' && id.length > 0)
  )
    problems.push({ field: 'contactIds', message: `contactIds must list 1-${MAX_MEMBERS} contact ids` });
  else memberCount = contactIds.length;
  if (!isInstant(startTime)) problems.push({ field: 'startTime', message: 'startTime must be an instant (epoch ms)' });
  try {
    timeZone(timeZoneId);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    problems.push({ field: error.field ?? 'timeZoneId', message: error.message });
  }
  problems.push(...recurrenceProblems(rotation.recurrence, { memberCount }));
  if (!isAbsent(rotation.overrides)) overrideProblems(rotation.overrides, problems);
  return problems;
};

export const validateRotation = (rotation: unknown): Rotation => {
  throwIfAny(rotationProblems(rotation));
  return rotation as Rotation;
};

const MEMBER_NAMES = [
  'recurrence',
  'numberOfOnCalls',
  'recurrenceMultiplier',
  'dailySettings',
  'weeklySettings',
  'monthlySettings',
  'shiftCoverages',
  'handOffTime',
  'hourOfDay',
  'minuteOfHour',
  'dayOfWeek',
  'dayOfMonth',
  'start',
  'end',
  'contactIds',
  'startTime',
  'endTime',
  'timeZoneId',
  'overrides',
  'newContactIds',
];
const MEMBER_NAME = new RegExp(`\\b(?:${MEMBER_NAMES.join('|')})\\b`, 'g');

/**
 * Rewrites the member names in a field path or message to the ssm-contacts wire casing, for the API layer:
 * `recurrence.weeklySettings.1.handOffTime.hourOfDay` -> `Recurrence.WeeklySettings.1.HandOffTime.HourOfDay`.
 * (ListPreviewRotationShifts calls the override members `NewMembers`; map that name yourself.)
 */
export const toWireCase = (text: string): string =>
  text.replace(MEMBER_NAME, (name) => name.charAt(0).toUpperCase() + name.slice(1));
