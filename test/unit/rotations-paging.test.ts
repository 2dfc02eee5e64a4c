/**
 * Property: paging through a rotation's shifts, loading for each page only the overrides a store would return for it
 * (those overlapping [overridesFrom(rotation, from), to)), lists exactly the shifts of one big page computed with every
 * override, for random rotations (daily and weekly hand-offs, several members, multipliers, coverage windows) and
 * random overrides whose edges land on hand-offs, on each other and in the middle of shifts.
 */
import { describe, expect, it } from 'vitest';
import {
  overridesFrom,
  type RecurrenceSettings,
  type Rotation,
  type RotationOverrideWindow,
  type RotationShift,
  shiftsPage,
} from '#core/contacts/rotations/index.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2027, 2, 1);

/** A small deterministic generator (mulberry32), so a failure names a seed that reproduces it. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

function randomRotation(next: () => number): Rotation {
  const pick = (n: number) => Math.floor(next() * n);
  const members = ['a', 'b', 'c', 'd'].slice(0, 1 + pick(4));
  const hour = (h: number) => ({ hourOfDay: h, minuteOfHour: 0 });
  const recurrence: RecurrenceSettings =
    next() < 0.6
      ? {
          numberOfOnCalls: 1,
          recurrenceMultiplier: 1 + pick(2),
          dailySettings: next() < 0.5 ? [hour(9)] : [hour(9), hour(21)],
        }
      : {
          numberOfOnCalls: 1,
          recurrenceMultiplier: 1,
          weeklySettings: [
            { dayOfWeek: 'MON', handOffTime: hour(9) },
            { dayOfWeek: 'THU', handOffTime: hour(17) },
          ],
        };
  if (next() < 0.3)
    recurrence.shiftCoverages = { MON: [{ start: hour(8), end: hour(18) }], TUE: [{ start: hour(20), end: hour(6) }] };
  return {
    contactIds: members,
    startTime: START + pick(48) * HOUR,
    timeZoneId: next() < 0.5 ? 'UTC' : 'Europe/Paris',
    recurrence,
  };
}

function randomOverrides(next: () => number): RotationOverrideWindow[] {
  const overrides: RotationOverrideWindow[] = [];
  const count = Math.floor(next() * 8);
  let cursor = START + Math.floor(next() * 24) * HOUR;
  for (let i = 0; i < count; i++) {
    // Often back to back with the previous override, sometimes overlapping it, sometimes later.
    const gap = next() < 0.4 ? 0 : next() < 0.2 ? -HOUR : Math.floor(next() * 30) * HOUR;
    const start = cursor + gap;
    const end = start + (1 + Math.floor(next() * 30)) * HOUR;
    overrides.push({ newContactIds: next() < 0.2 ? [] : ['z'], startTime: start, endTime: end });
    cursor = end;
  }
  return overrides;
}

/** What a store returns for a window: the overrides overlapping it, in creation order. */
const overlapping = (all: RotationOverrideWindow[], from: number, to: number) =>
  all.filter((o) => o.endTime > from && o.startTime < to);

function paged(rotation: Rotation, all: RotationOverrideWindow[], from: number, to: number, limit: number) {
  const shifts: RotationShift[] = [];
  for (let cursor: number | undefined = from, pages = 0; cursor !== undefined; pages++) {
    if (pages > 1000) throw new Error('paging did not end');
    const overrides = overlapping(all, overridesFrom(rotation, cursor), to);
    const page = shiftsPage({ ...rotation, overrides }, { from: cursor, to }, { limit });
    shifts.push(...page.shifts);
    cursor = page.nextFrom;
  }
  return shifts;
}

describe('rotation shifts page like one big page', () => {
  it('for 300 random rotations, overrides, windows and page sizes', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const rotation = randomRotation(next);
      const all = randomOverrides(next);
      const from = START + Math.floor(next() * 72) * HOUR;
      const to = from + (2 + Math.floor(next() * 12)) * DAY;
      // One big page, its overrides loaded the same way (all those that can shape a shift of the window).
      const whole = shiftsPage(
        { ...rotation, overrides: overlapping(all, overridesFrom(rotation, from), to) },
        { from, to },
      ).shifts;
      for (const limit of [1, 2, 3, 5])
        expect(paged(rotation, all, from, to, limit), `seed ${seed}, page size ${limit}`).toEqual(whole);
      for (let i = 1; i < whole.length; i++)
        expect(whole[i]!.startTime, `seed ${seed}: shifts overlap`).toBeGreaterThanOrEqual(whole[i - 1]!.endTime);
    }
  });

  it('is the start of the shift in effect, or the instant itself before the first hand-off', () => {
    const rotation: Rotation = {
      contactIds: ['a'],
      startTime: START,
      timeZoneId: 'UTC',
      recurrence: { numberOfOnCalls: 1, recurrenceMultiplier: 1, dailySettings: [{ hourOfDay: 9, minuteOfHour: 0 }] },
    };
    expect(overridesFrom(rotation, START + 15 * HOUR)).toBe(START + 9 * HOUR);
    expect(overridesFrom(rotation, START + 9 * HOUR)).toBe(START + 9 * HOUR);
    expect(overridesFrom(rotation, START + 2 * HOUR)).toBe(START + 2 * HOUR);
  });
});
