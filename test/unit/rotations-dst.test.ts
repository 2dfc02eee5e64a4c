/**
 * Rotations across DST and odd offsets. Expected instants are built from wall-clock text with luxon
 * ("2026-03-08T09:00" in America/New_York) or pinned from the published zone rules, and every computed shift
 * boundary is read back with Intl.DateTimeFormat (a separate path from the engine's) to check its local wall time.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Rotation, RotationShift } from '#core/contacts/rotations/index.ts';
import { shiftsBetween, shiftsPage } from '#core/contacts/rotations/index.ts';
import { instantOfLocal, timeZone } from '#core/contacts/rotations/time-zone.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The instant of an unambiguous, existing wall-clock time in a zone. */
const wall = (iso: string, zone: string): number => {
  const dt = DateTime.fromISO(iso, { zone });
  if (!dt.isValid) throw new Error(`bad wall time ${iso}`);
  return dt.toMillis();
};

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Wall clock of an instant read with Intl: { date: 'YYYY-MM-DD', time: 'HH:mm', weekday: 'Mon' }. */
const readWall = (instant: number, zone: string) => {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    });
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
    weekday: parts.weekday,
  };
};

const daily = (zone: string, hour: number, minute: number, members: string[], startTime: number): Rotation => ({
  contactIds: members,
  startTime,
  timeZoneId: zone,
  recurrence: {
    numberOfOnCalls: 1,
    recurrenceMultiplier: 1,
    dailySettings: [{ hourOfDay: hour, minuteOfHour: minute }],
  },
});

const expectContiguous = (shifts: RotationShift[]) => {
  for (let i = 1; i < shifts.length; i++) expect(shifts[i]!.startTime).toBe(shifts[i - 1]!.endTime);
};

/** The calendar date `days` after an ISO date. */
const plusDays = (isoDate: string, days: number) =>
  DateTime.fromISO(isoDate, { zone: 'UTC' }).plus({ days }).toISODate();

describe('daily 09:00 hand-offs stay at 09:00 local across DST', () => {
  const cases = [
    // zone, the transition day, the real length of the shift that contains the change (from the zone rules)
    { zone: 'America/New_York', day: '2026-03-08', length: 23 * HOUR },
    { zone: 'America/New_York', day: '2026-11-01', length: 25 * HOUR },
    { zone: 'Europe/London', day: '2026-03-29', length: 23 * HOUR },
    { zone: 'Europe/London', day: '2026-10-25', length: 25 * HOUR },
    // Southern hemisphere: summer time ends in April and starts in October.
    { zone: 'Australia/Sydney', day: '2026-04-05', length: 25 * HOUR },
    { zone: 'Australia/Sydney', day: '2026-10-04', length: 23 * HOUR },
    // Lord Howe Island moves its clocks by 30 minutes.
    { zone: 'Australia/Lord_Howe', day: '2026-04-05', length: 24.5 * HOUR },
    { zone: 'Australia/Lord_Howe', day: '2026-10-04', length: 23.5 * HOUR },
    // No DST at all, and offsets that are not whole hours.
    { zone: 'Asia/Kolkata', day: '2026-03-08', length: 24 * HOUR },
    { zone: 'Asia/Kathmandu', day: '2026-10-25', length: 24 * HOUR },
  ];

  for (const { zone, day, length } of cases) {
    it(`${zone} around ${day}`, () => {
      const members = ['A', 'B', 'C'];
      const startTime = wall(`${plusDays(day, -5)}T09:00`, zone);
      const shifts = shiftsBetween(daily(zone, 9, 0, members, startTime), {
        from: startTime,
        to: wall(`${plusDays(day, 5)}T09:00`, zone),
      });
      expect(shifts).toHaveLength(10);
      expectContiguous(shifts);
      shifts.forEach((shift, i) => {
        // Every boundary is 09:00 on consecutive local dates.
        expect(readWall(shift.startTime, zone)).toMatchObject({ date: plusDays(day, i - 5), time: '09:00' });
        expect(readWall(shift.endTime, zone)).toMatchObject({ date: plusDays(day, i - 4), time: '09:00' });
        expect(shift.contactIds).toEqual([members[i % 3]]);
        expect(shift.type).toBe('REGULAR');
        // The real length is what the wall clock implies (luxon), and the day before the change carries it.
        const implied = wall(`${plusDays(day, i - 4)}T09:00`, zone) - wall(`${plusDays(day, i - 5)}T09:00`, zone);
        expect(shift.endTime - shift.startTime).toBe(implied);
        expect(shift.endTime - shift.startTime).toBe(i === 4 ? length : 24 * HOUR);
      });
    });
  }

  it('Asia/Kathmandu (+05:45) and Asia/Kolkata (+05:30) hand off at the right UTC instant', () => {
    const kathmandu = shiftsBetween(daily('Asia/Kathmandu', 9, 0, ['A'], Date.parse('2026-06-01T00:00:00Z')), {
      from: Date.parse('2026-06-01T00:00:00Z'),
      to: Date.parse('2026-06-03T00:00:00Z'),
    });
    expect(kathmandu.map((s) => new Date(s.startTime).toISOString())).toEqual([
      '2026-06-01T03:15:00.000Z',
      '2026-06-02T03:15:00.000Z',
    ]);
    const midnight = shiftsBetween(daily('Asia/Kathmandu', 0, 0, ['A'], Date.parse('2026-06-01T00:00:00Z')), {
      from: Date.parse('2026-06-01T00:00:00Z'),
      to: Date.parse('2026-06-02T00:00:00Z'),
    });
    expect(new Date(midnight[0]!.startTime).toISOString()).toBe('2026-06-01T18:15:00.000Z');
    const kolkata = shiftsBetween(daily('Asia/Kolkata', 9, 0, ['A'], Date.parse('2026-06-01T00:00:00Z')), {
      from: Date.parse('2026-06-01T00:00:00Z'),
      to: Date.parse('2026-06-02T00:00:00Z'),
    });
    expect(new Date(kolkata[0]!.startTime).toISOString()).toBe('2026-06-01T03:30:00.000Z');
  });
});

describe('hand-off times inside a DST gap or overlap', () => {
  const handOffsAround = (zone: string, hour: number, minute: number, day: string) => {
    const startTime = wall(`${plusDays(day, -2)}T12:00`, zone);
    return shiftsBetween(daily(zone, hour, minute, ['A', 'B'], startTime), {
      from: startTime,
      to: wall(`${plusDays(day, 2)}T00:00`, zone),
    }).map((s) => s.startTime); // the hand-offs of the day before, the day itself and the day after
  };
  const iso = (instant: number | undefined) => new Date(instant!).toISOString();

  it('a 02:30 hand-off on the New York spring-forward day happens at 03:00 EDT, the first instant after the gap', () => {
    const handOffs = handOffsAround('America/New_York', 2, 30, '2026-03-08');
    expect(handOffs.map(iso)).toEqual([
      '2026-03-07T07:30:00.000Z', // 02:30 EST
      '2026-03-08T07:00:00.000Z', // 03:00 EDT: the transition instant
      '2026-03-09T06:30:00.000Z', // 02:30 EDT
    ]);
    // No gap and no overlap: 23.5 h then 23.5 h.
    expect(handOffs[1]! - handOffs[0]!).toBe(23.5 * HOUR);
    expect(handOffs[2]! - handOffs[1]!).toBe(23.5 * HOUR);
  });

  it('a 01:30 hand-off on the New York fall-back day happens at the first 01:30 (EDT)', () => {
    const handOffs = handOffsAround('America/New_York', 1, 30, '2026-11-01');
    expect(handOffs.map(iso)).toEqual([
      '2026-10-31T05:30:00.000Z', // 01:30 EDT
      '2026-11-01T05:30:00.000Z', // the first 01:30 (EDT), not the second (06:30Z)
      '2026-11-02T06:30:00.000Z', // 01:30 EST
    ]);
    expect(handOffs[2]! - handOffs[1]!).toBe(25 * HOUR);
  });

  it('Europe/London: 01:30 falls in the March gap (-> 02:00 BST) and is ambiguous in October (-> BST)', () => {
    expect(handOffsAround('Europe/London', 1, 30, '2026-03-29').map(iso)[1]).toBe('2026-03-29T01:00:00.000Z');
    expect(handOffsAround('Europe/London', 1, 30, '2026-10-25').map(iso)[1]).toBe('2026-10-25T00:30:00.000Z');
  });

  it('Australia/Sydney: the gap is in October and the repeated hour in April', () => {
    // 02:30 on 2026-10-04 does not exist: 03:00 AEDT (+11) = 16:00Z the day before.
    expect(handOffsAround('Australia/Sydney', 2, 30, '2026-10-04').map(iso)[1]).toBe('2026-10-03T16:00:00.000Z');
    // 02:30 on 2026-04-05 happens twice: the first is AEDT (+11) = 15:30Z the day before.
    expect(handOffsAround('Australia/Sydney', 2, 30, '2026-04-05').map(iso)[1]).toBe('2026-04-04T15:30:00.000Z');
  });

  it('Australia/Lord_Howe: a 30-minute gap and a 30-minute repeat', () => {
    // 02:15 on 2026-10-04 is inside the 02:00-02:30 gap: 02:30 LHDT (+11) = 15:30Z the day before.
    const spring = handOffsAround('Australia/Lord_Howe', 2, 15, '2026-10-04');
    expect(iso(spring[1])).toBe('2026-10-03T15:30:00.000Z');
    expect(spring[1]! - spring[0]!).toBe(24 * HOUR - 15 * 60_000); // 02:15 (+10:30) -> 02:30 (+11)
    // 01:45 on 2026-04-05 happens twice (01:30-02:00 repeats): the first is +11 = 14:45Z the day before.
    const autumn = handOffsAround('Australia/Lord_Howe', 1, 45, '2026-04-05');
    expect(iso(autumn[1])).toBe('2026-04-04T14:45:00.000Z');
    expect(autumn[2]! - autumn[1]!).toBe(24.5 * HOUR);
  });

  it('instantOfLocal agrees with luxon wherever the wall time exists exactly once', () => {
    const zones = ['America/New_York', 'Europe/London', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
    for (const zone of zones) {
      for (let day = 0; day < 366; day += 7) {
        for (const hour of [0, 5, 9, 13, 23]) {
          const local = DateTime.fromObject({ year: 2026, month: 1, day: 1, hour, minute: 20 }, { zone }).plus({
            days: day,
          });
          expect(instantOfLocal(timeZone(zone), local)).toBe(local.toMillis());
        }
      }
    }
  });
});

describe('long horizons', () => {
  /** Pages through [from, to) in windows of at most 365 days. */
  const collect = (rotation: Rotation, from: number, to: number): RotationShift[] => {
    const shifts: RotationShift[] = [];
    for (let start = from; start < to; start += 365 * DAY) {
      const window = { from: start, to: Math.min(to, start + 365 * DAY) };
      for (const shift of shiftsBetween(rotation, window))
        if (shifts.length === 0 || shift.startTime > shifts[shifts.length - 1]!.startTime) shifts.push(shift);
    }
    return shifts;
  };

  it('two years of daily shifts in New York: same wall time, contiguous, members in order', () => {
    const zone = 'America/New_York';
    const members = ['A', 'B', 'C', 'D', 'E'];
    const startTime = wall('2026-01-01T09:00', zone);
    const shifts = collect(daily(zone, 9, 0, members, startTime), startTime, wall('2028-01-01T09:00', zone));
    expect(shifts).toHaveLength(730);
    expectContiguous(shifts);
    const lengths = new Map<number, number>();
    shifts.forEach((shift, i) => {
      expect(readWall(shift.startTime, zone)).toMatchObject({ date: plusDays('2026-01-01', i), time: '09:00' });
      expect(shift.contactIds).toEqual([members[i % members.length]]);
      lengths.set(shift.endTime - shift.startTime, (lengths.get(shift.endTime - shift.startTime) ?? 0) + 1);
    });
    // Two spring-forward and two fall-back days in two years; every other shift is exactly a day.
    expect(Object.fromEntries(lengths)).toEqual({ [23 * HOUR]: 2, [24 * HOUR]: 726, [25 * HOUR]: 2 });
  });

  it('two years of weekly Monday 09:00 shifts in London', () => {
    const zone = 'Europe/London';
    const members = ['A', 'B', 'C'];
    const startTime = wall('2026-01-05T09:00', zone); // a Monday
    const rotation: Rotation = {
      contactIds: members,
      startTime,
      timeZoneId: zone,
      recurrence: {
        numberOfOnCalls: 1,
        recurrenceMultiplier: 1,
        weeklySettings: [{ dayOfWeek: 'MON', handOffTime: { hourOfDay: 9, minuteOfHour: 0 } }],
      },
    };
    const shifts = collect(rotation, startTime, wall('2028-01-03T09:00', zone));
    expect(shifts).toHaveLength(104);
    expectContiguous(shifts);
    shifts.forEach((shift, i) => {
      expect(readWall(shift.startTime, zone)).toEqual({
        date: plusDays('2026-01-05', 7 * i),
        time: '09:00',
        weekday: 'Mon',
      });
      expect(shift.contactIds).toEqual([members[i % 3]]);
      expect([7 * DAY - HOUR, 7 * DAY, 7 * DAY + HOUR]).toContain(shift.endTime - shift.startTime);
    });
  });

  it('a rotation that started ten years ago is found arithmetically, with the right member on call', () => {
    const zone = 'America/New_York';
    const members = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];
    const rotation = daily(zone, 9, 0, members, wall('2016-01-04T09:00', zone));
    const started = performance.now();
    const shifts = shiftsBetween(rotation, {
      from: wall('2026-07-01T12:00', zone),
      to: wall('2026-07-04T12:00', zone),
    });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(shifts).toHaveLength(4);
    shifts.forEach((shift, i) => {
      const date = plusDays('2026-07-01', i)!;
      const daysSinceStart = DateTime.fromISO(date).diff(DateTime.fromISO('2016-01-04'), 'days').days;
      expect(readWall(shift.startTime, zone)).toMatchObject({ date, time: '09:00' });
      expect(shift.contactIds).toEqual([members[daysSinceStart % members.length]]);
    });
  });

  it('pages through a dense window: 30-minute hand-offs over 300 days', () => {
    const zone = 'Europe/London';
    const rotation: Rotation = {
      contactIds: ['A', 'B', 'C'],
      startTime: wall('2026-01-01T00:00', zone),
      timeZoneId: zone,
      recurrence: {
        numberOfOnCalls: 1,
        recurrenceMultiplier: 1,
        dailySettings: Array.from({ length: 48 }, (_, i) => ({
          hourOfDay: Math.floor(i / 2),
          minuteOfHour: (i % 2) * 30,
        })),
      },
    };
    const window = { from: wall('2026-01-01T00:00', zone), to: wall('2026-10-28T00:00', zone) };
    // 300 days x 48 hand-offs is more than one call returns.
    expect(() => shiftsBetween(rotation, window)).toThrow(/more than 10000 shifts/);
    const all: RotationShift[] = [];
    let from = window.from;
    for (;;) {
      const page = shiftsPage(rotation, { from, to: window.to }, { limit: 1024 });
      all.push(...page.shifts);
      if (page.nextFrom === undefined) break;
      from = page.nextFrom;
    }
    expectContiguous(all);
    expect(all[0]!.startTime).toBe(window.from);
    expect(all[all.length - 1]!.endTime).toBe(window.to);
    // On 2026-03-29 the 01:00 and 01:30 hand-offs fall into the gap and coincide with 02:00 BST: the two
    // zero-length shifts are dropped. In October 01:00 and 01:30 happen once each (first occurrence), so the
    // 01:30 shift lasts 1.5 h and nothing is added.
    expect(all).toHaveLength(300 * 48 - 2);
    for (const shift of all) {
      // Members follow the wall-clock slot number: day * 48 + half-hour of the day.
      const { date, time } = readWall(shift.startTime, zone);
      const day = DateTime.fromISO(date).diff(DateTime.fromISO('2026-01-01'), 'days').days;
      const [hh, mm] = time.split(':').map(Number) as [number, number];
      expect(shift.contactIds).toEqual([['A', 'B', 'C'][(day * 48 + hh * 2 + mm / 30) % 3]]);
    }
    const march29 = all.filter((s) => readWall(s.startTime, zone).date === '2026-03-29');
    expect(march29).toHaveLength(46);
    expect(march29.map((s) => readWall(s.startTime, zone).time).slice(0, 3)).toEqual(['00:00', '00:30', '02:00']);
    expect(march29[1]!.endTime - march29[1]!.startTime).toBe(30 * 60_000); // 00:30 GMT -> 02:00 BST
  });
});
