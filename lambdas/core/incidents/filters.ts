/**
 * Reading the `filters` of ListIncidentRecords and ListTimelineEvents, written once: filters are ANDed across the
 * list and a filter's values are ORed; each key has a reader that takes its condition apart, and every error names
 * the filter (`filters.N.key`, `filters.N.condition...`) in the words the API's users have seen so far.
 */
import { ValidationError } from '#core/shared/errors.ts';
import type { Filter } from './shapes.ts';

/** One filter as its key's reader sees it. */
export interface FilterAt {
  key: string;
  condition: Filter['condition'];
  /** `filters.N` (1-based), the prefix of the fields that errors name. */
  path: string;
  /** The ValidationException for a condition of another kind than the key takes (`expected`: what it takes). */
  wrong(expected: string): ValidationError;
}

/**
 * Hands each filter to the reader of its key; a key without one is a ValidationException listing the keys, in the
 * order `readers` declares them.
 */
export const readFilters = (list: readonly Filter[], readers: Readonly<Record<string, (filter: FilterAt) => void>>) => {
  list.forEach(({ key, condition }, index) => {
    const path = `filters.${index + 1}`;
    const read = Object.hasOwn(readers, key) ? readers[key] : undefined;
    if (!read)
      throw new ValidationError(
        `Unsupported filter key '${key}' at '${path}.key'; use one of ${Object.keys(readers).join(', ')}.`,
        `${path}.key`,
      );
    read({
      key,
      condition,
      path,
      wrong: (expected) =>
        new ValidationError(`Filter '${key}' at '${path}.condition' takes ${expected}.`, `${path}.condition`),
    });
  });
};

/** The values of an `equals.stringValues` condition. */
export const stringValuesOf = ({ condition, wrong }: FilterAt): string[] => {
  if (!('equals' in condition) || !('stringValues' in condition.equals)) throw wrong('equals.stringValues');
  return condition.equals.stringValues;
};

/** The values of an `equals.integerValues` condition. */
export const integerValuesOf = ({ condition, wrong }: FilterAt): number[] => {
  if (!('equals' in condition) || !('integerValues' in condition.equals)) throw wrong('equals.integerValues');
  return condition.equals.integerValues;
};

/** A `before` or `after` condition. */
export const timeBoundOf = ({ condition, wrong }: FilterAt): { after: number } | { before: number } => {
  if ('after' in condition) return { after: condition.after };
  if ('before' in condition) return { before: condition.before };
  throw wrong('before or after');
};

/** Two filters on one key are ANDed: the later of two lower bounds, the earlier of two upper ones. */
export const laterOf = (current: number | undefined, next: number) => Math.max(current ?? 0, next);
export const earlierOf = (current: number | undefined, next: number) =>
  Math.min(current ?? Number.MAX_SAFE_INTEGER, next);

/** The values both filters on one key allow (the first one's, without duplicates, when there is no other yet). */
export const intersect = <T>(current: readonly T[] | undefined, values: readonly T[]): T[] =>
  current === undefined ? [...new Set(values)] : current.filter((value) => values.includes(value));
