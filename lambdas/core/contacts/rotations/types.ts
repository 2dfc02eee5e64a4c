/**
 * The rotation model the engine computes with: the ssm-contacts shapes (CreateRotation, RecurrenceSettings,
 * RotationShift, RotationOverride / PreviewOverride) in camelCase, with epoch-millisecond instants. The API layer
 * converts from and to the wire casing (PascalCase members, epoch seconds).
 */

export const DAYS_OF_WEEK = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];

/** HandOffTime: a wall-clock time in the rotation's zone. */
export interface HandOffTime {
  hourOfDay: number;
  minuteOfHour: number;
}

export interface WeeklySetting {
  dayOfWeek: DayOfWeek;
  handOffTime: HandOffTime;
}

export interface MonthlySetting {
  /** 1–31; in shorter months 29–31 mean the month's last day (see engine.ts). */
  dayOfMonth: number;
  handOffTime: HandOffTime;
}

/** CoverageTime: a window of on-call hours that starts on the weekday it is listed under. */
export interface CoverageTime {
  start: HandOffTime;
  end: HandOffTime;
}

export interface RecurrenceSettings {
  /** How many consecutive members are on call together in each shift. */
  numberOfOnCalls: number;
  /** A shift lasts this many days, weeks or months (1–100). */
  recurrenceMultiplier: number;
  /** Exactly one of the three settings lists is set. */
  dailySettings?: HandOffTime[];
  weeklySettings?: WeeklySetting[];
  monthlySettings?: MonthlySetting[];
  /** Absent: on call 24 hours a day. Present: on call only inside these windows. */
  shiftCoverages?: Partial<Record<DayOfWeek, CoverageTime[]>>;
}

/** A rotation override (CreateRotationOverride) or a preview override (ListPreviewRotationShifts.Overrides). */
export interface RotationOverrideWindow {
  newContactIds: string[];
  /** Epoch ms, inclusive. */
  startTime: number;
  /** Epoch ms, exclusive. */
  endTime: number;
}

export interface Rotation {
  /** Members in shift order. */
  contactIds: string[];
  /** Epoch ms at which the first shift begins. */
  startTime: number;
  /** IANA zone in which hand-off and coverage times are read. */
  timeZoneId: string;
  recurrence: RecurrenceSettings;
  /** When overrides overlap, the later one in this list wins: pass them in CreateTime order. */
  overrides?: RotationOverrideWindow[];
}

export type RotationShiftType = 'REGULAR' | 'OVERRIDDEN';

export interface RotationShift {
  /** Epoch ms, inclusive. */
  startTime: number;
  /** Epoch ms, exclusive. */
  endTime: number;
  contactIds: string[];
  type: RotationShiftType;
  /** Only on OVERRIDDEN shifts: the members the override replaced (ShiftDetails.OverriddenContactIds). */
  overriddenContactIds?: string[];
}

/** A half-open time window [from, to) in epoch ms. */
export interface TimeWindow {
  from: number;
  to: number;
}
