/**
 * Time-zone arithmetic for rotations, on top of luxon (which reads the runtime's ICU/IANA data through Intl, so a
 * Node upgrade brings new zone rules with it). This module owns the two DST rules every other file relies on:
 *
 * - **Spring-forward gap.** A wall time that does not exist (02:30 on 2026-03-08 in America/New_York) resolves to
 *   the first valid instant after the gap, i.e. the transition instant itself (03:00 EDT = 07:00Z). Luxon's own
 *   default would move it by the size of the gap (03:30), which would make a hand-off land half an hour into the
 *   new shift and differ with the size of the gap (30 min on Lord Howe Island).
 * - **Fall-back overlap.** A wall time that happens twice (01:30 on 2026-11-01 in America/New_York) resolves to the
 *   first occurrence (01:30 EDT = 05:30Z). Luxon's default would pick the second one.
 *
 * Both rules keep the mapping from wall time to instant monotonic (a later wall time never gives an earlier
 * instant), which the shift generator depends on to find shifts by walking hand-off slots.
 *
 * Plain calendar dates are handled as "epoch days" (days since 1970-01-01 in the proleptic Gregorian calendar,
 * computed with Date.UTC). That is calendar counting, not offset arithmetic: every offset comes from the zone data.
 */
import { DateTime, IANAZone } from 'luxon';
import { ValidationError } from '#core/shared/errors.ts';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** A wall-clock date and time in some zone (month 1–12, day 1–31). */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export interface LocalParts extends LocalDateTime {
  second: number;
  millisecond: number;
  /** Days since 1970-01-01 of the local calendar date. */
  epochDay: number;
  /** 0 = Monday … 6 = Sunday (ISO order, the order of the API's MON…SUN). */
  weekdayIndex: number;
}

/**
 * Area/Location names (America/New_York, Etc/GMT+5, Asia/Kathmandu) and UTC. Everything else that Intl happens to
 * accept is refused: ICU resolves designators such as `PST` or `EST` and lower-cased names, but AWS documents that
 * designators are not supported ("America/Los_Angeles", "UTC", "Asia/Seoul" are its examples), and a designator such
 * as PST (which never observes DST) is exactly the ambiguity that breaks rotations twice a year.
 */
const IANA_NAME = /^(?:UTC|[A-Z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)+)$/;

const zoneCache = new Map<string, IANAZone>();

/** The zone for an IANA name, or a ValidationError naming `field` that says why the name is refused. */
export const timeZone = (timeZoneId: unknown, field = 'timeZoneId'): IANAZone => {
  if (typeof timeZoneId !== 'string' || timeZoneId.length === 0)
    throw new ValidationError(`${field} must be an IANA time zone name such as America/Los_Angeles or UTC`, field);
  const cached = zoneCache.get(timeZoneId);
  if (cached) return cached;
  if (!IANA_NAME.test(timeZoneId))
    throw new ValidationError(
      `${field} must be an IANA time zone name such as America/Los_Angeles or UTC; ` +
        `designators such as PST or EST are not supported (got '${timeZoneId}')`,
      field,
    );
  if (!IANAZone.isValidZone(timeZoneId))
    throw new ValidationError(`${field} '${timeZoneId}' is not a known IANA time zone`, field);
  const zone = IANAZone.create(timeZoneId);
  zoneCache.set(timeZoneId, zone);
  return zone;
};

// ---------------------------------------------------------------------------------------------------------------
// Calendar dates (zone-free)

export const epochDayOf = (year: number, month: number, day: number): number =>
  Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);

export const dateOfEpochDay = (epochDay: number): { year: number; month: number; day: number } => {
  const date = new Date(epochDay * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
};

/** 0 = Monday … 6 = Sunday. 1970-01-01 was a Thursday (index 3). */
export const weekdayIndexOfEpochDay = (epochDay: number): number => (((epochDay + 3) % 7) + 7) % 7;

export const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Months counted from year 0 (year * 12 + month - 1), for month arithmetic. */
export const monthIndexOf = (year: number, month: number): number => year * 12 + month - 1;

export const monthOfIndex = (monthIndex: number): { year: number; month: number } => ({
  year: Math.floor(monthIndex / 12),
  month: (((monthIndex % 12) + 12) % 12) + 1,
});

// ---------------------------------------------------------------------------------------------------------------
// Instants <-> wall time

/** The wall-clock reading of an instant in a zone. */
export const localPartsOf = (zone: IANAZone, instant: number): LocalParts => {
  const local = DateTime.fromMillis(instant, { zone });
  const epochDay = epochDayOf(local.year, local.month, local.day);
  return {
    year: local.year,
    month: local.month,
    day: local.day,
    hour: local.hour,
    minute: local.minute,
    second: local.second,
    millisecond: local.millisecond,
    epochDay,
    weekdayIndex: weekdayIndexOfEpochDay(epochDay),
  };
};

const offsetMs = (zone: IANAZone, instant: number): number => zone.offset(instant) * MINUTE_MS;

/**
 * The instant at which a wall time happens in a zone, with the gap and overlap rules described at the top of this
 * file. The wall time may be "denormalised" (day 32, hour 24): it is normalised like Date.UTC does.
 *
 * Assumes at most one offset change within a day either side of the wall time, which holds for every zone in the
 * IANA database since 1970 except a few one-off political changes; even then the result is a valid instant close to
 * the wall time, never an exception.
 */
export const instantOfLocal = (zone: IANAZone, local: LocalDateTime): number => {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const before = offsetMs(zone, wall - DAY_MS);
  const after = offsetMs(zone, wall + DAY_MS);
  if (before === after) {
    const instant = wall - before;
    if (offsetMs(zone, instant) === before) return instant;
  }
  // Candidates: the wall time read with each of the two offsets; a candidate is real if the zone agrees.
  const candidates = [...new Set([before, after])]
    .map((offset) => ({ offset, instant: wall - offset }))
    .filter(({ offset, instant }) => offsetMs(zone, instant) === offset)
    .map(({ instant }) => instant)
    .sort((a, b) => a - b);
  const first = candidates[0];
  if (first !== undefined) return first; // one candidate, or the first occurrence of an ambiguous time
  // In a gap: the first valid instant after it is the transition, which lies between the two readings.
  return transitionBetween(zone, wall - Math.max(before, after), wall - Math.min(before, after));
};

/** The first instant (to the second) in (lo, hi] whose offset differs from the offset at lo. */
const transitionBetween = (zone: IANAZone, lo: number, hi: number): number => {
  const initial = offsetMs(zone, lo);
  let low = Math.floor(lo / 1000);
  let high = Math.ceil(hi / 1000);
  if (offsetMs(zone, high * 1000) === initial) return hi; // defensive: no change found, keep the later reading
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (offsetMs(zone, mid * 1000) === initial) low = mid;
    else high = mid;
  }
  return high * 1000;
};

/** The instant a wall time on a given epoch day happens (minutes may exceed 1440: they roll into later days). */
export const instantOnDay = (zone: IANAZone, epochDay: number, minuteOfDay: number): number => {
  const { year, month, day } = dateOfEpochDay(epochDay);
  return instantOfLocal(zone, { year, month, day, hour: 0, minute: minuteOfDay });
};
