/**
 * On-call rotations: the pure engine behind ListRotationShifts, ListPreviewRotationShifts and "who is on call now".
 * See engine.ts for the semantics and time-zone.ts for the DST rules.
 */
export {
  MAX_SHIFTS,
  MAX_WINDOW_DAYS,
  onCallAt,
  overridesFrom,
  type ShiftPage,
  shiftAt,
  shiftsBetween,
  shiftsPage,
} from './engine.ts';
export { timeZone } from './time-zone.ts';
export * from './types.ts';
export {
  MAX_MEMBERS,
  MAX_RECURRENCE_MULTIPLIER,
  MIN_SHIFT_MINUTES,
  type RotationProblem,
  recurrenceProblems,
  rotationProblems,
  toWireCase,
  validateRecurrence,
  validateRotation,
} from './validation.ts';
