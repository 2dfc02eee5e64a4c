/**
 * The wire shapes of rotations (RecurrenceSettings, hand-off times, shifts, time zones) and their conversion to the
 * rotation engine's model. Kept apart from shapes.ts because they bring the rotation engine (and luxon) with them:
 * only the rotation operations and the on-call resolution load them, on first use.
 */
import { ValidationError } from '#core/shared/errors.ts';
import { seconds } from '#core/shared/operation.ts';
import { enumOf, type Infer, integer, list, map, optional, required, struct } from '#core/shared/validation.ts';
import {
  DAYS_OF_WEEK,
  type DayOfWeek,
  type HandOffTime,
  type RecurrenceSettings,
  type RotationShift,
  recurrenceProblems,
  timeZone,
  toWireCase,
} from './rotations/index.ts';

/** HandOffTime's members default to 0 in the model. */
const handOffTime = struct({
  HourOfDay: optional(integer({ min: 0, max: 23 })),
  MinuteOfHour: optional(integer({ min: 0, max: 59 })),
});
const dayOfWeek = enumOf(DAYS_OF_WEEK);

const recurrenceShape = struct({
  MonthlySettings: optional(
    list(struct({ DayOfMonth: required(integer({ min: 1, max: 31 })), HandOffTime: required(handOffTime) })),
  ),
  WeeklySettings: optional(list(struct({ DayOfWeek: required(dayOfWeek), HandOffTime: required(handOffTime) }))),
  DailySettings: optional(list(handOffTime)),
  NumberOfOnCalls: required(integer({ min: 1 })),
  ShiftCoverages: optional(map(dayOfWeek, list(struct({ Start: required(handOffTime), End: required(handOffTime) })))),
  RecurrenceMultiplier: required(integer({ min: 1, max: 100 })),
});

const toHandOff = (wire: Infer<typeof handOffTime>): HandOffTime => ({
  hourOfDay: wire.HourOfDay ?? 0,
  minuteOfHour: wire.MinuteOfHour ?? 0,
});
const handOffView = (time: HandOffTime) => ({ HourOfDay: time.hourOfDay, MinuteOfHour: time.minuteOfHour });

/**
 * Parses RecurrenceSettings: the model's constraints first (types, ranges, enums), then the engine's semantic rules
 * (exactly one kind of settings, shifts of at least 30 minutes, NumberOfOnCalls within the team), reported with the
 * wire member names. `memberCount` enables the NumberOfOnCalls upper bound.
 */
export const recurrenceOf = (raw: unknown, path: string, memberCount?: number): RecurrenceSettings => {
  const wire = recurrenceShape.parse(raw, path);
  const recurrence: RecurrenceSettings = {
    numberOfOnCalls: wire.NumberOfOnCalls,
    recurrenceMultiplier: wire.RecurrenceMultiplier,
    ...(wire.DailySettings?.length ? { dailySettings: wire.DailySettings.map(toHandOff) } : {}),
    ...(wire.WeeklySettings?.length
      ? {
          weeklySettings: wire.WeeklySettings.map((w) => ({
            dayOfWeek: w.DayOfWeek,
            handOffTime: toHandOff(w.HandOffTime),
          })),
        }
      : {}),
    ...(wire.MonthlySettings?.length
      ? {
          monthlySettings: wire.MonthlySettings.map((m) => ({
            dayOfMonth: m.DayOfMonth,
            handOffTime: toHandOff(m.HandOffTime),
          })),
        }
      : {}),
    ...(wire.ShiftCoverages
      ? {
          shiftCoverages: Object.fromEntries(
            Object.entries(wire.ShiftCoverages).map(([day, windows]) => [
              day,
              windows.map((w) => ({ start: toHandOff(w.Start), end: toHandOff(w.End) })),
            ]),
          ) as Partial<Record<DayOfWeek, { start: HandOffTime; end: HandOffTime }[]>>,
        }
      : {}),
  };
  const problems = recurrenceProblems(recurrence, { memberCount, path: 'recurrence' });
  const first = problems[0];
  if (first) {
    const field = toWireCase(first.field).replace(/^Recurrence/, path);
    const detail = problems.map((p) => toWireCase(p.message).replace(/\bRecurrence\b/g, path));
    throw new ValidationError(
      `${problems.length} validation error${problems.length > 1 ? 's' : ''} detected: ${detail.join('; ')}`,
      field,
    );
  }
  return recurrence;
};

export const recurrenceView = (recurrence: RecurrenceSettings) => ({
  ...(recurrence.monthlySettings
    ? {
        MonthlySettings: recurrence.monthlySettings.map((m) => ({
          DayOfMonth: m.dayOfMonth,
          HandOffTime: handOffView(m.handOffTime),
        })),
      }
    : {}),
  ...(recurrence.weeklySettings
    ? {
        WeeklySettings: recurrence.weeklySettings.map((w) => ({
          DayOfWeek: w.dayOfWeek,
          HandOffTime: handOffView(w.handOffTime),
        })),
      }
    : {}),
  ...(recurrence.dailySettings ? { DailySettings: recurrence.dailySettings.map(handOffView) } : {}),
  NumberOfOnCalls: recurrence.numberOfOnCalls,
  ...(recurrence.shiftCoverages
    ? {
        ShiftCoverages: Object.fromEntries(
          Object.entries(recurrence.shiftCoverages).map(([day, windows]) => [
            day,
            (windows ?? []).map((w) => ({ Start: handOffView(w.start), End: handOffView(w.end) })),
          ]),
        ),
      }
    : {}),
  RecurrenceMultiplier: recurrence.recurrenceMultiplier,
});

/** A TimeZoneId the rotation engine accepts (an IANA name; designators such as PST are refused). */
export const checkTimeZone = (value: string, field: string): string => {
  try {
    timeZone(value, field);
  } catch (error) {
    if (error instanceof ValidationError)
      throw new ValidationError(
        `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${error.message}`,
        field,
      );
    throw error;
  }
  return value;
};

export const shiftView = (shift: RotationShift) => ({
  ContactIds: shift.contactIds,
  StartTime: seconds(shift.startTime),
  EndTime: seconds(shift.endTime),
  Type: shift.type,
  ...(shift.overriddenContactIds ? { ShiftDetails: { OverriddenContactIds: shift.overriddenContactIds } } : {}),
});
