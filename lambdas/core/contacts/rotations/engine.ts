/**
 * The on-call rotation engine: pure functions from a rotation (members, start, zone, recurrence, overrides) to the
 * shifts of a time window, for ListRotationShifts, ListPreviewRotationShifts and the escalation engine's "who is on
 * call now". No I/O; every wall-clock reading goes through time-zone.ts.
 *
 * Semantics (AWS documents the shapes but not the arithmetic; where it is silent the choice is marked CHOICE):
 *
 * - Hand-off slots. The recurrence defines wall-clock hand-off slots in the rotation's zone: every day at each
 *   DailySettings time, every week at each WeeklySettings (day, time) (weeks start on Monday), or every month on each
 *   MonthlySettings (day, time). A shift runs from one slot to the next, so consecutive shifts never overlap and
 *   never leave a gap, and a 09:00 hand-off stays at 09:00 local time across DST (the shift spanning the change is
 *   23 h or 25 h long for a daily rotation).
 * - RecurrenceMultiplier = N: only every N-th day / week / month carries hand-off slots (like an iCalendar INTERVAL),
 *   so with one hand-off per period a shift lasts N days, weeks or months, which is what AWS documents
 *   ("the number of days, weeks, or months a single rotation lasts"). CHOICE: with several hand-offs per period,
 *   all of them apply in each active period (daily [09:00, 21:00] x 2 gives 09:00-21:00, then 21:00 to 09:00 two
 *   days later).
 * - StartTime. CHOICE: the first shift begins at the first hand-off slot at or after StartTime, and the multiplier
 *   counts periods from that slot's day / week / month. Nobody is on call between StartTime and that hand-off (and
 *   nobody before StartTime). A rotation whose StartTime is a hand-off instant (what the console sends: start date
 *   plus rotation start time) therefore begins exactly at StartTime, and one created with a bare date (00:00)
 *   begins at that day's hand-off with the first member, instead of giving the first member a stub shift.
 * - NumberOfOnCalls = k: shift n has the k consecutive members starting at position n*k (mod members), in member
 *   order, wrapping around: members [A, B, C] with k = 2 give [A, B], [C, A], [B, C], [A, B], ... so every member
 *   takes the same number of turns. CHOICE: AWS says only "k of them are on call at any given time".
 * - DayOfMonth 29-31. CHOICE: in a shorter month the hand-off happens on that month's last day (31 means "the last
 *   day of the month"), so no month is skipped and no shift doubles in length. Validation refuses settings that
 *   would then fall on the same instant (e.g. days 30 and 31 at the same time).
 * - ShiftCoverages. When present, members are on call only inside the listed windows; each regular shift is cut to
 *   its covered parts, which are returned as separate shifts with the same members (the rotation itself still
 *   advances at every hand-off, covered or not). A window is listed under the weekday it starts on; an End at or
 *   before Start runs past midnight, and End == Start is a full 24 hours. Adjacent windows join, so a window that
 *   ends at 00:00 followed by one that starts at 00:00 does not split a shift. CHOICE: an empty map is treated like
 *   an absent one (24 h); a weekday with an empty list has no coverage.
 * - Overrides. An override replaces the scheduled members during [StartTime, EndTime). The replaced part of each
 *   shift becomes a shift of Type OVERRIDDEN with the override's members and ShiftDetails.OverriddenContactIds =
 *   the members it replaced; the rest of the shift stays REGULAR. An override that spans several shifts yields one
 *   OVERRIDDEN shift per replaced shift (each with its own OverriddenContactIds). CHOICE: overrides only replace
 *   on-call time: they do not add coverage outside ShiftCoverages or before the first shift. When overrides
 *   overlap, the later one in the list wins (pass them in CreateTime order). An override with no members leaves
 *   nobody on call (an OVERRIDDEN shift with empty ContactIds).
 * - DST. Hand-off and coverage times inside a spring-forward gap happen at the first valid instant after it (the
 *   transition); times that occur twice at fall-back happen at the first occurrence (see time-zone.ts). CHOICE: if
 *   two hand-offs of one day both fall inside the gap they coincide; the zero-length shift between them is dropped
 *   and its members' turn passes.
 * - Windows. A shift is returned when it overlaps [from, to), whole (not clipped to the window), like a calendar.
 *   Instants are half-open: at a hand-off instant the new shift's members are on call.
 *
 * Bounds: a request window may span at most MAX_WINDOW_DAYS (400) days and shiftsBetween returns at most MAX_SHIFTS
 * (10,000) shifts (a ValidationError asks for a narrower window beyond that; shiftsPage pages instead). The work is
 * proportional to the shifts in the window, not to the time since StartTime: the slot at a given instant is found
 * arithmetically.
 */
import type { IANAZone } from 'luxon';
import { ValidationError } from '#core/shared/errors.ts';
import {
  DAY_MS,
  dateOfEpochDay,
  daysInMonth,
  instantOfLocal,
  instantOnDay,
  localPartsOf,
  monthIndexOf,
  monthOfIndex,
  timeZone,
} from './time-zone.ts';
import {
  type CoverageTime,
  DAYS_OF_WEEK,
  type DayOfWeek,
  type HandOffTime,
  type Rotation,
  type RotationOverrideWindow,
  type RotationShift,
  type TimeWindow,
} from './types.ts';
import { validateRotation } from './validation.ts';

export const MAX_WINDOW_DAYS = 400;
export const MAX_SHIFTS = 10_000;

const minutesOf = (time: HandOffTime): number => time.hourOfDay * 60 + time.minuteOfHour;

// ---------------------------------------------------------------------------------------------------------------
// Hand-off grid: periods (days, ISO weeks or months, un-multiplied) and the slots within one period

interface Grid {
  /** Hand-off slots per period. */
  readonly slotsPerPeriod: number;
  /** The period (absolute index) containing a local calendar day. */
  periodOfDay(epochDay: number): number;
  /** The instant of slot j (0-based, in wall-clock order) of a period. */
  slotInstant(period: number, j: number): number;
}

const dailyGrid = (zone: IANAZone, times: HandOffTime[]): Grid => {
  const minutes = times.map(minutesOf).sort((a, b) => a - b);
  return {
    slotsPerPeriod: minutes.length,
    periodOfDay: (epochDay) => epochDay,
    slotInstant: (day, j) => instantOnDay(zone, day, minutes[j]!),
  };
};

const weeklyGrid = (zone: IANAZone, settings: { dayOfWeek: DayOfWeek; handOffTime: HandOffTime }[]): Grid => {
  const slots = settings
    .map((s) => ({ day: DAYS_OF_WEEK.indexOf(s.dayOfWeek), minutes: minutesOf(s.handOffTime) }))
    .sort((a, b) => a.day - b.day || a.minutes - b.minutes);
  // Week w starts on the Monday epochDay 7w - 3 (1970-01-01, epoch day 0, was a Thursday).
  return {
    slotsPerPeriod: slots.length,
    periodOfDay: (epochDay) => Math.floor((epochDay + 3) / 7),
    slotInstant: (week, j) => {
      const slot = slots[j]!;
      return instantOnDay(zone, week * 7 - 3 + slot.day, slot.minutes);
    },
  };
};

const monthlyGrid = (zone: IANAZone, settings: { dayOfMonth: number; handOffTime: HandOffTime }[]): Grid => {
  const slots = settings
    .map((s) => ({ day: s.dayOfMonth, time: s.handOffTime }))
    .sort((a, b) => a.day - b.day || minutesOf(a.time) - minutesOf(b.time));
  return {
    slotsPerPeriod: slots.length,
    periodOfDay: (epochDay) => {
      const { year, month } = dateOfEpochDay(epochDay);
      return monthIndexOf(year, month);
    },
    slotInstant: (monthIndex, j) => {
      const slot = slots[j]!;
      const { year, month } = monthOfIndex(monthIndex);
      const day = Math.min(slot.day, daysInMonth(year, month)); // 29-31 -> the last day of a shorter month
      return instantOfLocal(zone, { year, month, day, hour: slot.time.hourOfDay, minute: slot.time.minuteOfHour });
    },
  };
};

// ---------------------------------------------------------------------------------------------------------------
// Timeline: shift n runs from hand-off slot n to slot n + 1, counted from the first slot at or after StartTime

class Timeline {
  private readonly cache = new Map<number, number>();
  private readonly grid: Grid;
  private readonly multiplier: number;
  /** Period and slot of the first hand-off at or after StartTime; the multiplier counts from this period. */
  private readonly firstPeriod: number;
  private readonly firstSlot: number;

  constructor(
    private readonly zone: IANAZone,
    private readonly rotation: Rotation,
  ) {
    const { recurrence } = rotation;
    this.multiplier = recurrence.recurrenceMultiplier;
    this.grid = recurrence.dailySettings?.length
      ? dailyGrid(zone, recurrence.dailySettings)
      : recurrence.weeklySettings?.length
        ? weeklyGrid(zone, recurrence.weeklySettings)
        : monthlyGrid(zone, recurrence.monthlySettings ?? []);
    const startPeriod = this.grid.periodOfDay(localPartsOf(zone, rotation.startTime).epochDay);
    // Every period has all its slots, so the first one at or after StartTime is in this period or the next.
    let found: [number, number] | undefined;
    for (let period = startPeriod; period <= startPeriod + 1 && !found; period++)
      for (let j = 0; j < this.grid.slotsPerPeriod && !found; j++)
        if (this.grid.slotInstant(period, j) >= rotation.startTime) found = [period, j];
    [this.firstPeriod, this.firstSlot] = found ?? [startPeriod + 1, 0];
  }

  /** Instant of hand-off r (r = 0 is the first hand-off of the rotation). */
  handOff(r: number): number {
    const cached = this.cache.get(r);
    if (cached !== undefined) return cached;
    const slots = this.grid.slotsPerPeriod;
    const index = this.firstSlot + r;
    const active = Math.floor(index / slots);
    const instant = this.grid.slotInstant(this.firstPeriod + active * this.multiplier, index - active * slots);
    this.cache.set(r, instant);
    return instant;
  }

  /** The number of the shift in effect at an instant (the last hand-off at or before it), or -1 before the first. */
  shiftNumberAt(instant: number): number {
    const slots = this.grid.slotsPerPeriod;
    const period = this.grid.periodOfDay(localPartsOf(this.zone, instant).epochDay);
    const active = Math.floor((period - this.firstPeriod) / this.multiplier);
    // Start from the last slot of the active period containing the instant and correct by walking (a few steps).
    let r = Math.max(-1, (active + 1) * slots - 1 - this.firstSlot);
    while (r >= 0 && this.handOff(r) > instant) r--;
    while (this.handOff(r + 1) <= instant) r++;
    return r;
  }

  /** Members on call in regular shift n: NumberOfOnCalls consecutive members from position n * k. */
  members(n: number): string[] {
    const { contactIds } = this.rotation;
    const k = this.rotation.recurrence.numberOfOnCalls;
    const first = (n * k) % contactIds.length;
    return Array.from({ length: k }, (_, i) => contactIds[(first + i) % contactIds.length]!);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Coverage windows

interface Interval {
  start: number;
  end: number;
}

const MINUTES_PER_WEEK = 7 * 1440;

/** Normalised coverage: undefined when members are on call around the clock. */
const coverageOf = (
  shiftCoverages: Partial<Record<DayOfWeek, CoverageTime[]>> | undefined,
): Map<number, { start: number; end: number }[]> | undefined => {
  if (!shiftCoverages) return undefined;
  const entries = Object.entries(shiftCoverages) as [DayOfWeek, CoverageTime[] | undefined][];
  if (entries.length === 0) return undefined;
  const byWeekday = new Map<number, { start: number; end: number }[]>();
  const weekIntervals: [number, number][] = [];
  for (const [day, windows] of entries) {
    const weekday = DAYS_OF_WEEK.indexOf(day);
    for (const window of windows ?? []) {
      const start = minutesOf(window.start);
      const endOfDay = minutesOf(window.end);
      const end = endOfDay > start ? endOfDay : endOfDay + 1440; // past midnight; equal = 24 h
      byWeekday.set(weekday, [...(byWeekday.get(weekday) ?? []), { start, end }]);
      const from = weekday * 1440 + start;
      const to = weekday * 1440 + end;
      if (to <= MINUTES_PER_WEEK) weekIntervals.push([from, to]);
      else weekIntervals.push([from, MINUTES_PER_WEEK], [0, to - MINUTES_PER_WEEK]);
    }
  }
  // If the windows cover the whole week on the clock, coverage changes nothing: skip the splitting work.
  weekIntervals.sort((a, b) => a[0] - b[0]);
  let reach = 0;
  for (const [from, to] of weekIntervals) if (from <= reach) reach = Math.max(reach, to);
  return reach >= MINUTES_PER_WEEK ? undefined : byWeekday;
};

/**
 * Covered intervals (merged, sorted) around [from, to). When the windows leave any part of the week uncovered, a
 * merged interval is shorter than two weeks (one uncovered stretch may vanish into a DST gap, never two in a row),
 * so computing from 16 days before to 16 days after the window finds every interval that overlaps it, whole.
 */
const coveredIntervals = (
  zone: IANAZone,
  byWeekday: Map<number, { start: number; end: number }[]>,
  window: TimeWindow,
): Interval[] => {
  const margin = 16 * DAY_MS;
  const firstDay = localPartsOf(zone, window.from - margin).epochDay;
  const lastDay = localPartsOf(zone, window.to + margin).epochDay;
  const raw: Interval[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const weekday = (((day + 3) % 7) + 7) % 7;
    for (const w of byWeekday.get(weekday) ?? []) {
      const start = instantOnDay(zone, day, w.start);
      const end = instantOnDay(zone, day, w.end);
      if (end > start) raw.push({ start, end });
    }
  }
  raw.sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of raw) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
};

// ---------------------------------------------------------------------------------------------------------------
// Overrides

const applyOverrides = (piece: Interval, members: string[], overrides: RotationOverrideWindow[]): RotationShift[] => {
  const relevant = overrides.filter((o) => o.startTime < piece.end && o.endTime > piece.start);
  if (relevant.length === 0)
    return [{ startTime: piece.start, endTime: piece.end, contactIds: members, type: 'REGULAR' }];
  const cuts = new Set<number>([piece.start, piece.end]);
  for (const o of relevant) {
    if (o.startTime > piece.start) cuts.add(o.startTime);
    if (o.endTime < piece.end) cuts.add(o.endTime);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const shifts: RotationShift[] = [];
  let previous: RotationOverrideWindow | undefined | null = null; // null: nothing emitted yet
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    let winner: RotationOverrideWindow | undefined;
    for (const o of relevant) if (o.startTime <= start && o.endTime >= end) winner = o; // the later one wins
    const last = shifts[shifts.length - 1];
    if (last && previous === winner) {
      last.endTime = end;
      continue;
    }
    previous = winner;
    shifts.push(
      winner
        ? {
            startTime: start,
            endTime: end,
            contactIds: [...winner.newContactIds],
            type: 'OVERRIDDEN',
            overriddenContactIds: [...members],
          }
        : { startTime: start, endTime: end, contactIds: members, type: 'REGULAR' },
    );
  }
  return shifts;
};

// ---------------------------------------------------------------------------------------------------------------
// Public API

const checkWindow = (window: TimeWindow): void => {
  if (!Number.isFinite(window.from)) throw new ValidationError('startTime must be an instant', 'startTime');
  if (!Number.isFinite(window.to)) throw new ValidationError('endTime must be an instant', 'endTime');
  if (window.to <= window.from) throw new ValidationError('endTime must be after startTime', 'endTime');
  if (window.to - window.from > MAX_WINDOW_DAYS * DAY_MS)
    throw new ValidationError(
      `The time range between startTime and endTime must not exceed ${MAX_WINDOW_DAYS} days`,
      'endTime',
    );
};

export interface ShiftPage {
  shifts: RotationShift[];
  /** Set when more shifts overlap the window: pass it as the next `from` to continue. */
  nextFrom?: number;
}

/**
 * The first `limit` shifts (in time order) that overlap [from, to), and where to resume. Shifts never overlap, so
 * resuming from a shift's start instant returns exactly the shifts after it.
 */
export const shiftsPage = (rotation: Rotation, window: TimeWindow, options: { limit?: number } = {}): ShiftPage => {
  validateRotation(rotation);
  checkWindow(window);
  const limit = options.limit ?? MAX_SHIFTS;
  if (!Number.isInteger(limit) || limit < 1)
    throw new ValidationError('limit must be a positive integer', 'maxResults');

  const zone = timeZone(rotation.timeZoneId);
  const timeline = new Timeline(zone, rotation);
  const from = Math.max(window.from, rotation.startTime);
  const { to } = window;
  if (to <= from) return { shifts: [] };

  const coverage = coverageOf(rotation.recurrence.shiftCoverages);
  const covered = coverage ? coveredIntervals(zone, coverage, { from, to }) : undefined;
  const overrides = rotation.overrides ?? [];
  const out: RotationShift[] = [];
  let cursor = 0; // index into `covered`: both it and the shifts move forward in time

  for (let n = Math.max(0, timeline.shiftNumberAt(from)); ; n++) {
    const start = timeline.handOff(n);
    if (start >= to) break;
    const end = timeline.handOff(n + 1);
    if (end <= start) continue; // two hand-offs collapsed into one instant (both inside a DST gap)
    const members = timeline.members(n);

    const pieces: Interval[] = [];
    if (!covered) pieces.push({ start, end });
    else {
      while (cursor < covered.length && covered[cursor]!.end <= start) cursor++;
      for (let i = cursor; i < covered.length && covered[i]!.start < end; i++) {
        const c = covered[i]!;
        pieces.push({ start: Math.max(start, c.start), end: Math.min(end, c.end) });
      }
    }
    for (const piece of pieces) {
      for (const shift of applyOverrides(piece, members, overrides)) {
        if (shift.endTime <= from || shift.startTime >= to) continue;
        if (out.length === limit) return { shifts: out, nextFrom: shift.startTime };
        out.push(shift);
      }
    }
  }
  return { shifts: out };
};

/**
 * Where the overrides that shape the shifts from `instant` on may start mattering: the start of the regular shift in
 * effect at `instant` (or `instant` itself before the first hand-off). Shifts overlapping a window are returned whole,
 * so the shift that contains the window's start is cut by every override that overlaps ANY part of it, also one
 * that ends exactly at (or before) the window's start: without that override the shift's remainder would be returned
 * from the hand-off, overlapping shifts already listed. A caller that loads overrides for a window (the stored
 * rotations) loads those overlapping [overridesFrom(rotation, window.from), window.to) and gets the same shifts,
 * page after page, as from one big page.
 */
export const overridesFrom = (rotation: Omit<Rotation, 'overrides'>, instant: number): number => {
  const timeline = new Timeline(timeZone(rotation.timeZoneId), { ...rotation, overrides: [] });
  const n = timeline.shiftNumberAt(Math.max(instant, rotation.startTime));
  return n < 0 ? instant : Math.min(instant, timeline.handOff(n));
};

/**
 * Every shift that overlaps [from, to), in time order. Throws a ValidationError (naming endTime) when the window
 * holds more than MAX_SHIFTS shifts; use shiftsPage to page through such a window.
 */
export const shiftsBetween = (rotation: Rotation, window: TimeWindow): RotationShift[] => {
  const page = shiftsPage(rotation, window, { limit: MAX_SHIFTS });
  if (page.nextFrom !== undefined)
    throw new ValidationError(
      `The time range holds more than ${MAX_SHIFTS} shifts; choose an earlier endTime`,
      'endTime',
    );
  return page.shifts;
};

/** The shift in effect at an instant (shifts are half-open: at a hand-off the new shift applies), if any. */
export const shiftAt = (rotation: Rotation, instant: number): RotationShift | undefined => {
  const [shift] = shiftsPage(rotation, { from: instant, to: instant + 1 }, { limit: 1 }).shifts;
  return shift && shift.startTime <= instant && instant < shift.endTime ? shift : undefined;
};

/** Who is on call at an instant, in member order (empty outside coverage, before the first shift, or when overridden by nobody). */
export const onCallAt = (rotation: Rotation, instant: number): string[] => shiftAt(rotation, instant)?.contactIds ?? [];
