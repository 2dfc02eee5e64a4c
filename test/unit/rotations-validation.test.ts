/**
 * Rotation validation: every error names the member path (1-based list positions, as AWS does) and says what is
 * allowed.
 */
import { describe, expect, it } from 'vitest';
import {
  recurrenceProblems,
  rotationProblems,
  timeZone,
  toWireCase,
  validateRecurrence,
  validateRotation,
} from '#core/contacts/rotations/index.ts';
import { ValidationError } from '#core/shared/errors.ts';

const errorOf = (fn: () => unknown): ValidationError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
};

const t = (hourOfDay: number, minuteOfHour = 0) => ({ hourOfDay, minuteOfHour });
const base = { numberOfOnCalls: 1, recurrenceMultiplier: 1 };

describe('validateRecurrence', () => {
  it('accepts well-formed daily, weekly and monthly recurrences', () => {
    expect(() => validateRecurrence({ ...base, dailySettings: [t(9), t(21)] })).not.toThrow();
    expect(() =>
      validateRecurrence({ ...base, weeklySettings: [{ dayOfWeek: 'SUN', handOffTime: t(23, 59) }] }),
    ).not.toThrow();
    expect(() =>
      validateRecurrence({
        ...base,
        recurrenceMultiplier: 100,
        monthlySettings: [{ dayOfMonth: 31, handOffTime: t(0) }],
        shiftCoverages: { MON: [{ start: t(9), end: t(17) }], SAT: [{ start: t(22), end: t(6) }] },
      }),
    ).not.toThrow();
  });

  it('names the bad hand-off field with a 1-based position', () => {
    const error = errorOf(() =>
      validateRecurrence({
        ...base,
        weeklySettings: [
          { dayOfWeek: 'MON', handOffTime: t(9) },
          { dayOfWeek: 'WED', handOffTime: t(24) },
        ],
      }),
    );
    expect(error.field).toBe('recurrence.weeklySettings.2.handOffTime.hourOfDay');
    expect(error.message).toBe('recurrence.weeklySettings.2.handOffTime.hourOfDay must be 0-23');
    expect(errorOf(() => validateRecurrence({ ...base, dailySettings: [t(9, 60)] })).field).toBe(
      'recurrence.dailySettings.1.minuteOfHour',
    );
    expect(errorOf(() => validateRecurrence({ ...base, dailySettings: [t(9.5)] })).field).toBe(
      'recurrence.dailySettings.1.hourOfDay',
    );
    expect(
      errorOf(() => validateRecurrence({ ...base, weeklySettings: [{ dayOfWeek: 'MONDAY', handOffTime: t(9) }] }))
        .field,
    ).toBe('recurrence.weeklySettings.1.dayOfWeek');
    expect(
      errorOf(() => validateRecurrence({ ...base, monthlySettings: [{ dayOfMonth: 32, handOffTime: t(9) }] })).message,
    ).toBe('recurrence.monthlySettings.1.dayOfMonth must be 1-31');
  });

  it('requires exactly one of daily, weekly or monthly settings', () => {
    const none = errorOf(() => validateRecurrence({ ...base }));
    expect(none.field).toBe('recurrence');
    expect(none.message).toMatch(/exactly one of dailySettings, weeklySettings or monthlySettings/);
    expect(errorOf(() => validateRecurrence({ ...base, dailySettings: [] })).message).toMatch(/none is/);
    const both = errorOf(() =>
      validateRecurrence({ ...base, dailySettings: [t(9)], weeklySettings: [{ dayOfWeek: 'MON', handOffTime: t(9) }] }),
    );
    expect(both.field).toBe('recurrence.weeklySettings');
    expect(both.message).toMatch(/dailySettings and weeklySettings are/);
  });

  it('bounds RecurrenceMultiplier to 1-100 and NumberOfOnCalls to 1..members', () => {
    for (const multiplier of [0, 101, 1.5])
      expect(
        errorOf(() => validateRecurrence({ ...base, recurrenceMultiplier: multiplier, dailySettings: [t(9)] })).field,
      ).toBe('recurrence.recurrenceMultiplier');
    expect(errorOf(() => validateRecurrence({ ...base, numberOfOnCalls: 0, dailySettings: [t(9)] })).field).toBe(
      'recurrence.numberOfOnCalls',
    );
    const tooMany = errorOf(() =>
      validateRecurrence({ ...base, numberOfOnCalls: 4, dailySettings: [t(9)] }, { memberCount: 3 }),
    );
    expect(tooMany.field).toBe('recurrence.numberOfOnCalls');
    expect(tooMany.message).toMatch(/must not exceed the number of members \(3\)/);
    expect(() =>
      validateRecurrence({ ...base, numberOfOnCalls: 3, dailySettings: [t(9)] }, { memberCount: 3 }),
    ).not.toThrow();
  });

  it('requires shifts of at least 30 minutes, including across midnight and the period wrap', () => {
    const close = errorOf(() => validateRecurrence({ ...base, dailySettings: [t(9), t(9, 10)] }));
    expect(close.field).toBe('recurrence.dailySettings.2');
    expect(close.message).toMatch(/is 10 minutes after recurrence.dailySettings.1 \(09:00\).*at least 30 minutes/);
    expect(errorOf(() => validateRecurrence({ ...base, dailySettings: [t(9), t(9)] })).message).toMatch(
      /same hand-off/,
    );
    // 23:50 and 00:05 the next day are 15 minutes apart.
    expect(errorOf(() => validateRecurrence({ ...base, dailySettings: [t(0, 5), t(23, 50)] })).field).toBe(
      'recurrence.dailySettings.1',
    );
    expect(() => validateRecurrence({ ...base, dailySettings: [t(0, 20), t(23, 50)] })).not.toThrow();
    // Sunday 23:50 to Monday 00:10 of the next week.
    const weekly = errorOf(() =>
      validateRecurrence({
        ...base,
        weeklySettings: [
          { dayOfWeek: 'SUN', handOffTime: t(23, 50) },
          { dayOfWeek: 'MON', handOffTime: t(0, 10) },
        ],
      }),
    );
    expect(weekly.field).toBe('recurrence.weeklySettings.2');
    // With a multiplier of 2 the next Monday is a week later.
    expect(() =>
      validateRecurrence({
        ...base,
        recurrenceMultiplier: 2,
        weeklySettings: [
          { dayOfWeek: 'SUN', handOffTime: t(23, 50) },
          { dayOfWeek: 'MON', handOffTime: t(0, 10) },
        ],
      }),
    ).not.toThrow();
  });

  it('checks monthly spacing in every month length (days 29-31 become the last day)', () => {
    const clash = errorOf(() =>
      validateRecurrence({
        ...base,
        monthlySettings: [
          { dayOfMonth: 30, handOffTime: t(9) },
          { dayOfMonth: 31, handOffTime: t(9) },
        ],
      }),
    );
    expect(clash.field).toBe('recurrence.monthlySettings.2');
    expect(clash.message).toMatch(/same hand-off .* in 30-day months/);
    // The 31st at 23:50 and the 1st at 00:00 of the next month are 10 minutes apart...
    expect(
      errorOf(() =>
        validateRecurrence({
          ...base,
          monthlySettings: [
            { dayOfMonth: 1, handOffTime: t(0) },
            { dayOfMonth: 31, handOffTime: t(23, 50) },
          ],
        }),
      ).field,
    ).toBe('recurrence.monthlySettings.1');
    // ...but a month apart with a multiplier of 2.
    expect(() =>
      validateRecurrence({
        ...base,
        recurrenceMultiplier: 2,
        monthlySettings: [
          { dayOfMonth: 1, handOffTime: t(0) },
          { dayOfMonth: 31, handOffTime: t(23, 50) },
        ],
      }),
    ).not.toThrow();
    expect(() =>
      validateRecurrence({
        ...base,
        monthlySettings: [
          { dayOfMonth: 15, handOffTime: t(9) },
          { dayOfMonth: 31, handOffTime: t(9) },
        ],
      }),
    ).not.toThrow();
  });

  it('validates shift coverages: weekday keys, times and a 30-minute minimum', () => {
    const daily = { ...base, dailySettings: [t(9)] };
    expect(errorOf(() => validateRecurrence({ ...daily, shiftCoverages: { MONDAY: [] } })).field).toBe(
      'recurrence.shiftCoverages.MONDAY',
    );
    expect(
      errorOf(() => validateRecurrence({ ...daily, shiftCoverages: { TUE: [{ start: t(9), end: t(25) }] } })).field,
    ).toBe('recurrence.shiftCoverages.TUE.1.end.hourOfDay');
    const short = errorOf(() =>
      validateRecurrence({
        ...daily,
        shiftCoverages: {
          FRI: [
            { start: t(9), end: t(17) },
            { start: t(18), end: t(18, 15) },
          ],
        },
      }),
    );
    expect(short.field).toBe('recurrence.shiftCoverages.FRI.2.end');
    expect(short.message).toMatch(/covers 15 minutes/);
    // End == Start is 24 hours; End before Start runs past midnight.
    expect(() =>
      validateRecurrence({
        ...daily,
        shiftCoverages: { SUN: [{ start: t(9), end: t(9) }], SAT: [{ start: t(23, 45), end: t(0, 15) }] },
      }),
    ).not.toThrow();
  });

  it('reports every problem, the first one as the error field', () => {
    const problems = recurrenceProblems({ numberOfOnCalls: 0, recurrenceMultiplier: 0, dailySettings: [t(-1)] });
    expect(problems.map((p) => p.field)).toEqual([
      'recurrence.numberOfOnCalls',
      'recurrence.recurrenceMultiplier',
      'recurrence.dailySettings.1.hourOfDay',
    ]);
    const error = errorOf(() =>
      validateRecurrence({ numberOfOnCalls: 0, recurrenceMultiplier: 0, dailySettings: [t(-1)] }),
    );
    expect(error.field).toBe('recurrence.numberOfOnCalls');
    expect(error.message).toMatch(/^3 validation errors detected: /);
  });

  it('can use the wire path as prefix, and rewrite paths and messages to the wire casing', () => {
    expect(errorOf(() => validateRecurrence({ ...base }, { path: 'Recurrence' })).field).toBe('Recurrence');
    const error = errorOf(() =>
      validateRecurrence({ ...base, weeklySettings: [{ dayOfWeek: 'MON', handOffTime: t(24) }] }),
    );
    expect(toWireCase(error.field!)).toBe('Recurrence.WeeklySettings.1.HandOffTime.HourOfDay');
    expect(toWireCase(error.message)).toBe('Recurrence.WeeklySettings.1.HandOffTime.HourOfDay must be 0-23');
    expect(toWireCase('endTime must be after startTime')).toBe('EndTime must be after StartTime');
  });
});

describe('time zones', () => {
  it('accepts IANA names, including half- and quarter-hour offsets', () => {
    for (const zone of [
      'UTC',
      'America/New_York',
      'Asia/Kathmandu',
      'Australia/Lord_Howe',
      'Etc/GMT+5',
      'America/Argentina/Buenos_Aires',
    ])
      expect(() => timeZone(zone)).not.toThrow();
  });

  it('rejects designators and unknown zones with a clear error naming the field', () => {
    for (const designator of ['PST', 'PDT', 'EST', 'GMT', 'america/new_york', '+05:30', ''])
      expect(errorOf(() => timeZone(designator)).field).toBe('timeZoneId');
    expect(errorOf(() => timeZone('PST')).message).toMatch(/IANA time zone name such as America\/Los_Angeles.*PST/);
    const unknown = errorOf(() => timeZone('Mars/Olympus_Mons', 'TimeZoneId'));
    expect(unknown.field).toBe('TimeZoneId');
    expect(unknown.message).toBe("TimeZoneId 'Mars/Olympus_Mons' is not a known IANA time zone");
  });
});

describe('validateRotation', () => {
  const good = {
    contactIds: ['arn:a', 'arn:b'],
    startTime: Date.parse('2026-03-02T14:00:00Z'),
    timeZoneId: 'America/New_York',
    recurrence: { ...base, dailySettings: [t(9)] },
  };

  it('accepts a good rotation and checks members, start, zone and overrides', () => {
    expect(validateRotation(good)).toBe(good);
    expect(rotationProblems({ ...good, contactIds: [] }).map((p) => p.field)).toEqual(['contactIds']);
    expect(rotationProblems({ ...good, contactIds: Array.from({ length: 31 }, (_, i) => `c${i}`) })[0]?.field).toBe(
      'contactIds',
    );
    expect(rotationProblems({ ...good, startTime: Number.NaN })[0]?.field).toBe('startTime');
    expect(rotationProblems({ ...good, timeZoneId: 'Not/AZone' })[0]?.field).toBe('timeZoneId');
    expect(
      rotationProblems({ ...good, overrides: [{ newContactIds: 'arn:a', startTime: 1, endTime: 2 }] })[0]?.field,
    ).toBe('overrides.1.newContactIds');
  });

  it('bounds NumberOfOnCalls by the number of members', () => {
    expect(
      errorOf(() => validateRotation({ ...good, recurrence: { ...good.recurrence, numberOfOnCalls: 3 } })).message,
    ).toBe('recurrence.numberOfOnCalls (3) must not exceed the number of members (2)');
  });
});
