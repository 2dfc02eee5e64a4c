/**
 * Rotation semantics: RecurrenceMultiplier, NumberOfOnCalls, monthly days 29-31, ShiftCoverages, overrides,
 * "who is on call now" and the request bounds. Expected instants are built from local wall times with luxon and
 * the shifts are read back with Intl.DateTimeFormat.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  type CoverageTime,
  type DayOfWeek,
  onCallAt,
  type RecurrenceSettings,
  type Rotation,
  type RotationShift,
  shiftAt,
  shiftsBetween,
} from '#core/contacts/rotations/index.ts';
import { ValidationError } from '#core/shared/errors.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NY = 'America/New_York';

const wall = (iso: string, zone = NY): number => {
  const dt = DateTime.fromISO(iso, { zone });
  if (!dt.isValid) throw new Error(`bad wall time ${iso}`);
  return dt.toMillis();
};

const format = new Map<string, Intl.DateTimeFormat>();
/** 'YYYY-MM-DD HH:mm Www' read with Intl in the zone. */
const local = (instant: number, zone = NY): string => {
  let f = format.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    });
    format.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.weekday}`;
};

const t = (hourOfDay: number, minuteOfHour = 0) => ({ hourOfDay, minuteOfHour });

const rotation = (recurrence: Partial<RecurrenceSettings>, extra: Partial<Rotation> = {}): Rotation => ({
  contactIds: ['A', 'B', 'C'],
  startTime: wall('2026-03-02T09:00'), // a Monday
  timeZoneId: NY,
  ...extra,
  recurrence: { numberOfOnCalls: 1, recurrenceMultiplier: 1, ...recurrence },
});

const summary = (shifts: RotationShift[], zone = NY) =>
  shifts.map((s) => ({
    from: local(s.startTime, zone),
    to: local(s.endTime, zone),
    who: s.contactIds.join(','),
    ...(s.type === 'OVERRIDDEN' ? { replaced: s.overriddenContactIds?.join(',') } : {}),
  }));

const expectContiguous = (shifts: RotationShift[]) => {
  for (let i = 1; i < shifts.length; i++) expect(shifts[i]!.startTime).toBe(shifts[i - 1]!.endTime);
};

describe('RecurrenceMultiplier', () => {
  it('daily x3: a shift lasts three days, hand-offs stay at 09:00 across the March change', () => {
    const shifts = shiftsBetween(
      rotation({ recurrenceMultiplier: 3, dailySettings: [t(9)] }, { contactIds: ['A', 'B'] }),
      {
        from: wall('2026-03-02T09:00'),
        to: wall('2026-03-14T09:00'),
      },
    );
    expect(summary(shifts)).toEqual([
      { from: '2026-03-02 09:00 Mon', to: '2026-03-05 09:00 Thu', who: 'A' },
      { from: '2026-03-05 09:00 Thu', to: '2026-03-08 09:00 Sun', who: 'B' },
      { from: '2026-03-08 09:00 Sun', to: '2026-03-11 09:00 Wed', who: 'A' },
      { from: '2026-03-11 09:00 Wed', to: '2026-03-14 09:00 Sat', who: 'B' },
    ]);
    expect(shifts.map((s) => s.endTime - s.startTime)).toEqual([3 * DAY, 3 * DAY - HOUR, 3 * DAY, 3 * DAY]);
  });

  it('weekly x2 on Wednesday 18:00 in London: a fortnight per shift, starting at the first hand-off after StartTime', () => {
    const zone = 'Europe/London';
    const shifts = shiftsBetween(
      rotation(
        { recurrenceMultiplier: 2, weeklySettings: [{ dayOfWeek: 'WED', handOffTime: t(18) }] },
        { timeZoneId: zone, startTime: wall('2026-03-02T00:00', zone) },
      ),
      { from: wall('2026-03-01T00:00', zone), to: wall('2026-04-20T00:00', zone) },
    );
    expect(summary(shifts, zone).map((s) => `${s.from} ${s.who}`)).toEqual([
      '2026-03-04 18:00 Wed A',
      '2026-03-18 18:00 Wed B',
      '2026-04-01 18:00 Wed C',
      '2026-04-15 18:00 Wed A',
    ]);
    expect(shifts[1]!.endTime - shifts[1]!.startTime).toBe(14 * DAY - HOUR); // spans the 29 March change
  });

  it('monthly x2 on the 1st: every other month', () => {
    const shifts = shiftsBetween(
      rotation(
        { recurrenceMultiplier: 2, monthlySettings: [{ dayOfMonth: 1, handOffTime: t(8, 30) }] },
        { startTime: wall('2026-01-01T08:30') },
      ),
      { from: wall('2026-01-01T00:00'), to: wall('2026-12-01T00:00') },
    );
    expect(summary(shifts).map((s) => `${s.from} ${s.who}`)).toEqual([
      '2026-01-01 08:30 Thu A',
      '2026-03-01 08:30 Sun B',
      '2026-05-01 08:30 Fri C',
      '2026-07-01 08:30 Wed A',
      '2026-09-01 08:30 Tue B',
      '2026-11-01 08:30 Sun C',
    ]);
  });

  it('counts periods from the first hand-off at or after StartTime; nobody is on call before it', () => {
    const r = rotation({ recurrenceMultiplier: 2, dailySettings: [t(9)] }, { startTime: wall('2026-03-02T12:00') });
    const shifts = shiftsBetween(r, { from: wall('2026-03-01T00:00'), to: wall('2026-03-07T00:00') });
    expect(summary(shifts).map((s) => `${s.from} ${s.who}`)).toEqual([
      '2026-03-03 09:00 Tue A',
      '2026-03-05 09:00 Thu B',
    ]);
    expect(onCallAt(r, wall('2026-03-02T15:00'))).toEqual([]);
    expect(onCallAt(r, wall('2026-03-03T09:00'))).toEqual(['A']);
  });

  it('with several hand-offs per period, every one of them applies in each active period', () => {
    const shifts = shiftsBetween(rotation({ recurrenceMultiplier: 2, dailySettings: [t(21), t(9)] }), {
      from: wall('2026-03-02T09:00'),
      to: wall('2026-03-06T09:00'),
    });
    expect(summary(shifts)).toEqual([
      { from: '2026-03-02 09:00 Mon', to: '2026-03-02 21:00 Mon', who: 'A' },
      { from: '2026-03-02 21:00 Mon', to: '2026-03-04 09:00 Wed', who: 'B' },
      { from: '2026-03-04 09:00 Wed', to: '2026-03-04 21:00 Wed', who: 'C' },
      { from: '2026-03-04 21:00 Wed', to: '2026-03-06 09:00 Fri', who: 'A' },
    ]);
  });
});

describe('NumberOfOnCalls', () => {
  it('2 of 3 members: consecutive members in order, wrapping, so every member takes the same number of turns', () => {
    const shifts = shiftsBetween(rotation({ numberOfOnCalls: 2, dailySettings: [t(9)] }), {
      from: wall('2026-03-02T09:00'),
      to: wall('2026-03-08T09:00'),
    });
    expect(shifts.map((s) => s.contactIds)).toEqual([
      ['A', 'B'],
      ['C', 'A'],
      ['B', 'C'],
      ['A', 'B'],
      ['C', 'A'],
      ['B', 'C'],
    ]);
    expect(onCallAt(rotation({ numberOfOnCalls: 2, dailySettings: [t(9)] }), wall('2026-03-03T10:00'))).toEqual([
      'C',
      'A',
    ]);
  });

  it('all members on call together', () => {
    const shifts = shiftsBetween(
      rotation({ numberOfOnCalls: 3, weeklySettings: [{ dayOfWeek: 'MON', handOffTime: t(9) }] }),
      {
        from: wall('2026-03-02T09:00'),
        to: wall('2026-03-23T09:00'),
      },
    );
    expect(shifts.map((s) => s.contactIds)).toEqual([
      ['A', 'B', 'C'],
      ['A', 'B', 'C'],
      ['A', 'B', 'C'],
    ]);
  });
});

describe('monthly hand-offs on days 29-31', () => {
  it('DayOfMonth 31 hands off on the last day of shorter months (Feb 28, Apr 30; Feb 29 in a leap year)', () => {
    const r = rotation(
      { monthlySettings: [{ dayOfMonth: 31, handOffTime: t(9) }] },
      { contactIds: ['A', 'B'], startTime: wall('2026-01-31T09:00') },
    );
    const shifts = [
      ...shiftsBetween(r, { from: wall('2026-01-31T09:00'), to: wall('2027-01-31T09:00') }),
      ...shiftsBetween(r, { from: wall('2027-01-31T09:00'), to: wall('2028-01-31T09:00') }),
      ...shiftsBetween(r, { from: wall('2028-01-31T09:00'), to: wall('2028-03-31T09:00') }),
    ];
    expectContiguous(shifts);
    // Expected: for every month from January 2026, the last day when the month is shorter than 31 days.
    const expected = Array.from({ length: shifts.length }, (_, i) => {
      const month = DateTime.fromObject({ year: 2026, month: 1, day: 1 }, { zone: NY }).plus({ months: i });
      return month.set({ day: Math.min(31, month.daysInMonth!), hour: 9 }).toFormat('yyyy-MM-dd HH:mm ccc');
    });
    expect(shifts.map((s) => local(s.startTime))).toEqual(expected);
    expect(expected).toContain('2026-02-28 09:00 Sat');
    expect(expected).toContain('2026-04-30 09:00 Thu');
    expect(expected).toContain('2028-02-29 09:00 Tue');
    expect(shifts).toHaveLength(26);
    shifts.forEach((s, i) => {
      expect(s.contactIds).toEqual([i % 2 === 0 ? 'A' : 'B']);
    });
  });

  it('two hand-offs a month (15th and 31st)', () => {
    const r = rotation(
      {
        monthlySettings: [
          { dayOfMonth: 31, handOffTime: t(17) },
          { dayOfMonth: 15, handOffTime: t(17) },
        ],
      },
      { startTime: wall('2026-02-01T00:00') },
    );
    const shifts = shiftsBetween(r, { from: wall('2026-02-01T00:00'), to: wall('2026-05-01T00:00') });
    expect(shifts.map((s) => `${local(s.startTime).slice(0, 16)} ${s.contactIds.join()}`)).toEqual([
      '2026-02-15 17:00 A',
      '2026-02-28 17:00 B',
      '2026-03-15 17:00 C',
      '2026-03-31 17:00 A',
      '2026-04-15 17:00 B',
      '2026-04-30 17:00 C',
    ]);
  });
});

const businessHours = (days: DayOfWeek[], start = t(9), end = t(17)): Partial<Record<DayOfWeek, CoverageTime[]>> =>
  Object.fromEntries(days.map((d) => [d, [{ start, end }]]));
const WEEKDAYS: DayOfWeek[] = ['MON', 'TUE', 'WED', 'THU', 'FRI'];

describe('ShiftCoverages', () => {
  it('business hours MON-FRI 09:00-17:00 with a weekly rotation: only covered hours, 8 real hours across DST', () => {
    const r = rotation({
      weeklySettings: [{ dayOfWeek: 'MON', handOffTime: t(9) }],
      shiftCoverages: businessHours(WEEKDAYS),
    });
    const shifts = shiftsBetween(r, { from: wall('2026-03-02T00:00'), to: wall('2026-03-16T00:00') });
    const expected = Array.from({ length: 14 }, (_, i) =>
      DateTime.fromISO('2026-03-02', { zone: NY }).plus({ days: i }),
    )
      .filter((day) => day.weekday <= 5)
      .map((day, i) => ({
        from: day.set({ hour: 9 }).toFormat('yyyy-MM-dd HH:mm ccc'),
        to: day.set({ hour: 17 }).toFormat('yyyy-MM-dd HH:mm ccc'),
        who: i < 5 ? 'A' : 'B',
      }));
    expect(summary(shifts)).toEqual(expected);
    for (const s of shifts) {
      expect(s.endTime - s.startTime).toBe(8 * HOUR);
      expect(s.type).toBe('REGULAR');
    }
    expect(onCallAt(r, wall('2026-03-07T12:00'))).toEqual([]); // Saturday
    expect(onCallAt(r, wall('2026-03-09T08:59'))).toEqual([]); // before hours on the Monday after the change
    expect(onCallAt(r, wall('2026-03-09T09:00'))).toEqual(['B']);
    expect(onCallAt(r, wall('2026-03-09T16:59'))).toEqual(['B']);
    expect(onCallAt(r, wall('2026-03-09T17:00'))).toEqual([]);
  });

  it('a daily rotation keeps advancing through uncovered weekend days', () => {
    const r = rotation({ dailySettings: [t(9)], shiftCoverages: businessHours(WEEKDAYS) });
    const shifts = shiftsBetween(r, { from: wall('2026-03-02T00:00'), to: wall('2026-03-10T00:00') });
    // Mon A, Tue B, Wed C, Thu A, Fri B, (Sat C, Sun A: not covered), Mon B.
    expect(shifts.map((s) => `${local(s.startTime).slice(11)} ${s.contactIds.join()}`)).toEqual([
      '09:00 Mon A',
      '09:00 Tue B',
      '09:00 Wed C',
      '09:00 Thu A',
      '09:00 Fri B',
      '09:00 Mon B',
    ]);
  });

  it('an overnight window (17:00-09:00) is listed under the day it starts and is 15 h on the spring-forward night', () => {
    const r = rotation({ dailySettings: [t(9)], shiftCoverages: businessHours(['SAT'], t(17), t(9)) });
    const shifts = shiftsBetween(r, { from: wall('2026-03-01T00:00'), to: wall('2026-03-15T00:00') });
    expect(summary(shifts)).toEqual([
      { from: '2026-03-07 17:00 Sat', to: '2026-03-08 09:00 Sun', who: 'C' },
      { from: '2026-03-14 17:00 Sat', to: '2026-03-15 09:00 Sun', who: 'A' },
    ]);
    expect(shifts[0]!.endTime - shifts[0]!.startTime).toBe(15 * HOUR);
    expect(shifts[1]!.endTime - shifts[1]!.startTime).toBe(16 * HOUR);
  });

  it('splits a shift only at real coverage edges: whole weekdays joined across midnight', () => {
    const r = rotation({ dailySettings: [t(9)], shiftCoverages: businessHours(WEEKDAYS, t(0), t(0)) });
    const shifts = shiftsBetween(r, { from: wall('2026-03-05T09:00'), to: wall('2026-03-10T09:00') });
    expect(summary(shifts)).toEqual([
      { from: '2026-03-05 09:00 Thu', to: '2026-03-06 09:00 Fri', who: 'A' }, // not cut at midnight
      { from: '2026-03-06 09:00 Fri', to: '2026-03-07 00:00 Sat', who: 'B' },
      { from: '2026-03-09 00:00 Mon', to: '2026-03-09 09:00 Mon', who: 'A' }, // the tail of Sunday's shift
      { from: '2026-03-09 09:00 Mon', to: '2026-03-10 09:00 Tue', who: 'B' },
    ]);
  });

  it('coverage of the whole week changes nothing, and a weekday with an empty list has no coverage', () => {
    const window = { from: wall('2026-03-02T00:00'), to: wall('2026-03-30T00:00') };
    const everyDay: DayOfWeek[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
    const plain = shiftsBetween(rotation({ dailySettings: [t(9)] }), window);
    const full = shiftsBetween(
      rotation({ dailySettings: [t(9)], shiftCoverages: businessHours(everyDay, t(9), t(9)) }),
      window,
    );
    expect(full).toEqual(plain);
    const none = shiftsBetween(rotation({ dailySettings: [t(9)], shiftCoverages: { MON: [] } }), window);
    expect(none).toEqual([]);
  });
});

describe('overrides', () => {
  const daily = (overrides: Rotation['overrides']) => rotation({ dailySettings: [t(9)] }, { overrides });
  // Regular members: Mon 2 March A, Tue B, Wed C, Thu A, Fri B.

  it('split a regular shift: REGULAR, then OVERRIDDEN with the replaced members, then REGULAR again', () => {
    const r = daily([{ newContactIds: ['C'], startTime: wall('2026-03-03T12:00'), endTime: wall('2026-03-03T18:00') }]);
    const shifts = shiftsBetween(r, { from: wall('2026-03-03T09:00'), to: wall('2026-03-04T09:00') });
    expect(summary(shifts)).toEqual([
      { from: '2026-03-03 09:00 Tue', to: '2026-03-03 12:00 Tue', who: 'B' },
      { from: '2026-03-03 12:00 Tue', to: '2026-03-03 18:00 Tue', who: 'C', replaced: 'B' },
      { from: '2026-03-03 18:00 Tue', to: '2026-03-04 09:00 Wed', who: 'B' },
    ]);
    expect(shifts.map((s) => s.type)).toEqual(['REGULAR', 'OVERRIDDEN', 'REGULAR']);
    expect(shifts[1]).toEqual({
      startTime: wall('2026-03-03T12:00'),
      endTime: wall('2026-03-03T18:00'),
      contactIds: ['C'],
      type: 'OVERRIDDEN',
      overriddenContactIds: ['B'],
    });
    expectContiguous(shifts);
    expect(onCallAt(r, wall('2026-03-03T11:59'))).toEqual(['B']);
    expect(onCallAt(r, wall('2026-03-03T12:00'))).toEqual(['C']);
    expect(onCallAt(r, wall('2026-03-03T18:00'))).toEqual(['B']);
  });

  it('an override across a hand-off yields one OVERRIDDEN shift per replaced shift', () => {
    const r = daily([{ newContactIds: ['C'], startTime: wall('2026-03-05T21:00'), endTime: wall('2026-03-06T12:00') }]);
    const shifts = shiftsBetween(r, { from: wall('2026-03-05T09:00'), to: wall('2026-03-07T09:00') });
    expect(summary(shifts)).toEqual([
      { from: '2026-03-05 09:00 Thu', to: '2026-03-05 21:00 Thu', who: 'A' },
      { from: '2026-03-05 21:00 Thu', to: '2026-03-06 09:00 Fri', who: 'C', replaced: 'A' },
      { from: '2026-03-06 09:00 Fri', to: '2026-03-06 12:00 Fri', who: 'C', replaced: 'B' },
      { from: '2026-03-06 12:00 Fri', to: '2026-03-07 09:00 Sat', who: 'B' },
    ]);
  });

  it('overlapping overrides: the later one wins where they overlap', () => {
    const r = daily([
      { newContactIds: ['A'], startTime: wall('2026-03-03T10:00'), endTime: wall('2026-03-03T16:00') },
      { newContactIds: ['C'], startTime: wall('2026-03-03T12:00'), endTime: wall('2026-03-03T14:00') },
    ]);
    const shifts = shiftsBetween(r, { from: wall('2026-03-03T09:00'), to: wall('2026-03-04T09:00') });
    expect(
      summary(shifts).map((s) => `${s.from.slice(11, 16)} ${s.who}${s.replaced ? ` for ${s.replaced}` : ''}`),
    ).toEqual(['09:00 B', '10:00 A for B', '12:00 C for B', '14:00 A for B', '16:00 B']);
  });

  it('an override with no members leaves nobody on call', () => {
    const r = daily([{ newContactIds: [], startTime: wall('2026-03-03T12:00'), endTime: wall('2026-03-03T13:00') }]);
    expect(shiftAt(r, wall('2026-03-03T12:30'))).toMatchObject({
      contactIds: [],
      type: 'OVERRIDDEN',
      overriddenContactIds: ['B'],
    });
    expect(onCallAt(r, wall('2026-03-03T12:30'))).toEqual([]);
  });

  it('does not add coverage: an override on an uncovered Saturday puts nobody on call', () => {
    const r = rotation(
      { dailySettings: [t(9)], shiftCoverages: businessHours(WEEKDAYS) },
      { overrides: [{ newContactIds: ['C'], startTime: wall('2026-03-06T16:00'), endTime: wall('2026-03-08T12:00') }] },
    );
    const shifts = shiftsBetween(r, { from: wall('2026-03-06T00:00'), to: wall('2026-03-09T00:00') });
    expect(summary(shifts)).toEqual([
      { from: '2026-03-06 09:00 Fri', to: '2026-03-06 16:00 Fri', who: 'B' },
      { from: '2026-03-06 16:00 Fri', to: '2026-03-06 17:00 Fri', who: 'C', replaced: 'B' },
    ]);
    expect(onCallAt(r, wall('2026-03-07T12:00'))).toEqual([]);
  });

  it('returns whole shifts that overlap the window, not clipped ones', () => {
    const r = daily([{ newContactIds: ['C'], startTime: wall('2026-03-03T12:00'), endTime: wall('2026-03-03T18:00') }]);
    const shifts = shiftsBetween(r, { from: wall('2026-03-03T13:00'), to: wall('2026-03-03T14:00') });
    expect(summary(shifts)).toEqual([
      { from: '2026-03-03 12:00 Tue', to: '2026-03-03 18:00 Tue', who: 'C', replaced: 'B' },
    ]);
  });
});

describe('onCallAt around hand-offs', () => {
  const r = rotation({ dailySettings: [t(9)] });

  it('is half-open: at the hand-off instant the new shift applies', () => {
    const handOff = wall('2026-03-03T09:00');
    expect(onCallAt(r, handOff - 1)).toEqual(['A']);
    expect(onCallAt(r, handOff)).toEqual(['B']);
    expect(onCallAt(r, handOff + 1)).toEqual(['B']);
    expect(shiftAt(r, handOff)).toEqual({
      startTime: handOff,
      endTime: wall('2026-03-04T09:00'),
      contactIds: ['B'],
      type: 'REGULAR',
    });
  });

  it('is empty before StartTime and begins exactly at it', () => {
    expect(onCallAt(r, wall('2026-03-02T09:00') - 1)).toEqual([]);
    expect(onCallAt(r, wall('2026-03-02T09:00'))).toEqual(['A']);
    expect(shiftsBetween(r, { from: wall('2026-02-01T00:00'), to: wall('2026-03-02T09:00') })).toEqual([]);
  });

  it('follows the DST hand-off: at 08:30 EDT on the spring-forward day the Saturday member is still on call', () => {
    // Sat 7 March 09:00 EST starts C's shift; it ends at 09:00 EDT on Sunday, 23 hours later.
    expect(onCallAt(r, wall('2026-03-08T08:30'))).toEqual(['C']);
    expect(onCallAt(r, wall('2026-03-08T09:00'))).toEqual(['A']);
    expect(onCallAt(r, Date.parse('2026-03-08T13:00:00Z'))).toEqual(['A']); // 09:00 EDT
    expect(onCallAt(r, Date.parse('2026-03-08T13:00:00Z') - 1)).toEqual(['C']);
  });
});

describe('bounds and errors', () => {
  const r = rotation({ dailySettings: [t(9)] });
  const fieldOf = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (error) {
      if (error instanceof ValidationError) return error.field;
      throw error;
    }
    throw new Error('expected a ValidationError');
  };

  it('refuses windows longer than 400 days or ending before they start', () => {
    const from = wall('2026-01-01T00:00');
    expect(shiftsBetween(r, { from, to: from + 400 * DAY }).length).toBeGreaterThan(300);
    expect(fieldOf(() => shiftsBetween(r, { from, to: from + 400 * DAY + 1 }))).toBe('endTime');
    expect(fieldOf(() => shiftsBetween(r, { from, to: from }))).toBe('endTime');
  });

  it('validates the rotation it is given, naming the field', () => {
    expect(fieldOf(() => onCallAt({ ...r, timeZoneId: 'PST' }, Date.now()))).toBe('timeZoneId');
    expect(fieldOf(() => onCallAt({ ...r, recurrence: { ...r.recurrence, numberOfOnCalls: 4 } }, Date.now()))).toBe(
      'recurrence.numberOfOnCalls',
    );
    expect(
      fieldOf(() => onCallAt({ ...r, overrides: [{ newContactIds: ['A'], startTime: 2, endTime: 1 }] }, Date.now())),
    ).toBe('overrides.1.endTime');
  });
});
