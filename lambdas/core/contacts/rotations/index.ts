/**
 * On-call rotations: the pure engine behind ListRotationShifts, ListPreviewRotationShifts and "who is on call now".
 * See engine.ts for the semantics and time-zone.ts for the DST rules.
 */
export { MAX_SHIFTS, MAX_WINDOW_DAYS, onCallAt, shiftAt, shiftsBetween, shiftsPage, type ShiftPage } from './engine.ts';
export { timeZone } from './time-zone.ts';
export {
  MAX_MEMBERS,
  MAX_RECURRENCE_MULTIPLIER,
  MIN_SHIFT_MINUTES,
  recurrenceProblems,
  rotationProblems,
  toWireCase,
  validateRecurrence,
  validateRotation,
  type RotationProblem,
} from './validation.ts';
export * from './types.ts';
