/**
 * A small schema language for request validation, shaped after the Smithy constraints (length, range, pattern,
 * enum, union). Every failure is a ValidationError whose message names the member path in the words AWS uses
 * ("Value at 'incidentTemplate.impact' failed to satisfy constraint: ..."), so a caller sees which field to fix.
 *
 * Conventions that mirror the AWS wire protocols:
 * - `null` is treated as "not set" (the SDK sends null for unset members in some generations).
 * - Unknown members are ignored, never stored: parsers build new objects from the declared members only.
 *
 * Hostile input: member and union names are looked up as OWN properties only, so a key such as `toString`,
 * `constructor` or `__proto__` is an unknown member, never a built-in of Object.prototype; map keys are copied with
 * defineProperty, so `__proto__` stays an ordinary key; strings must be well-formed UTF-16 (a lone surrogate cannot be
 * encoded as UTF-8, so the stored record could not be read back by any client).
 */
import { ValidationError } from './errors.ts';

export interface Schema<T> {
  parse(value: unknown, path: string): T;
}

const fail = (path: string, constraint: string): never => {
  throw new ValidationError(
    `1 validation error detected: Value at '${path}' failed to satisfy constraint: ${constraint}`,
    path,
  );
};

const typeName = (value: unknown): string => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);

export const isAbsent = (value: unknown): value is null | undefined => value === null || value === undefined;

/** An own property of a parsed JSON object (never one inherited from Object.prototype). */
const ownValue = (object: object, key: string): unknown =>
  Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;

/** Defines `key` as an ordinary own property, also when it is `__proto__`. */
export const defineEntry = <V>(target: Record<string, V>, key: string, value: V): void => {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
};

/** A lone (unpaired) UTF-16 surrogate: with the `u` flag, pairs are one code point and never match. */
const LONE_SURROGATE = /\p{Cs}/u;

export interface StringRules {
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** Human-readable form of the pattern, for the error message. */
  patternText?: string;
}

export const string = (rules: StringRules = {}): Schema<string> => ({
  parse(value, path) {
    if (typeof value !== 'string') return fail(path, `Member must be a string, not ${typeName(value)}`);
    if (LONE_SURROGATE.test(value))
      fail(path, 'Member must be valid Unicode text (it contains an unpaired UTF-16 surrogate)');
    const length = [...value].length;
    if (rules.min !== undefined && length < rules.min)
      fail(path, `Member must have length greater than or equal to ${rules.min}`);
    if (rules.max !== undefined && length > rules.max)
      fail(path, `Member must have length less than or equal to ${rules.max}`);
    if (rules.pattern && !rules.pattern.test(value))
      fail(path, `Member must satisfy regular expression pattern: ${rules.patternText ?? rules.pattern.source}`);
    return value;
  },
});

export const integer = (rules: { min?: number; max?: number } = {}): Schema<number> => ({
  parse(value, path) {
    if (typeof value !== 'number' || !Number.isInteger(value))
      return fail(path, `Member must be an integer, not ${typeName(value)}`);
    if (rules.min !== undefined && value < rules.min)
      fail(path, `Member must have value greater than or equal to ${rules.min}`);
    if (rules.max !== undefined && value > rules.max)
      fail(path, `Member must have value less than or equal to ${rules.max}`);
    return value;
  },
});

export const boolean = (): Schema<boolean> => ({
  parse(value, path) {
    if (typeof value !== 'boolean') return fail(path, `Member must be a boolean, not ${typeName(value)}`);
    return value;
  },
});

/** Epoch seconds on the wire (fractions allowed); returned as epoch milliseconds for storage and comparison. */
export const timestamp = (): Schema<number> => ({
  parse(value, path) {
    const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds))
      return fail(path, 'Member must be a timestamp in epoch seconds');
    const millis = Math.round(seconds * 1000);
    // 1970..9999 keeps timestamps sortable as fixed-width, non-negative keys.
    if (millis < 0 || millis > 253402300799999) fail(path, 'Member must be a timestamp between 1970 and 9999');
    return millis;
  },
});

export const enumOf = <const V extends string>(values: readonly V[]): Schema<V> => ({
  parse(value, path) {
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value))
      return fail(path, `Member must satisfy enum value set: [${values.join(', ')}]`);
    return value as V;
  },
});

export const list = <T>(item: Schema<T>, rules: { min?: number; max?: number } = {}): Schema<T[]> => ({
  parse(value, path) {
    if (!Array.isArray(value)) return fail(path, `Member must be a list, not ${typeName(value)}`);
    if (rules.min !== undefined && value.length < rules.min)
      fail(path, `Member must have length greater than or equal to ${rules.min}`);
    if (rules.max !== undefined && value.length > rules.max)
      fail(path, `Member must have length less than or equal to ${rules.max}`);
    return value.map((element, index) => {
      if (isAbsent(element)) return fail(`${path}.${index + 1}`, 'Member must not be null');
      return item.parse(element, `${path}.${index + 1}`);
    });
  },
});

export const map = <V>(
  key: Schema<string>,
  val: Schema<V>,
  rules: { min?: number; max?: number } = {},
): Schema<Record<string, V>> => ({
  parse(value, path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return fail(path, `Member must be a map, not ${typeName(value)}`);
    const entries = Object.entries(value);
    if (rules.min !== undefined && entries.length < rules.min)
      fail(path, `Member must have length greater than or equal to ${rules.min}`);
    if (rules.max !== undefined && entries.length > rules.max)
      fail(path, `Member must have length less than or equal to ${rules.max}`);
    const result: Record<string, V> = {};
    for (const [k, v] of entries) {
      key.parse(k, `${path}.key`);
      if (isAbsent(v)) fail(`${path}.${k}`, 'Member must not be null');
      // defineProperty, not assignment: a key named `__proto__` must become an ordinary entry, not a prototype.
      defineEntry(result, k, val.parse(v, `${path}.${k}`));
    }
    return result;
  },
});

interface Field<T, Required extends boolean> {
  readonly schema: Schema<T>;
  readonly required: Required;
}
export const required = <T>(schema: Schema<T>): Field<T, true> => ({ schema, required: true });
export const optional = <T>(schema: Schema<T>): Field<T, false> => ({ schema, required: false });

// biome-ignore lint/suspicious/noExplicitAny: type-level helper
type Fields = Record<string, Field<any, boolean>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type StructOf<F extends Fields> = Simplify<
  // biome-ignore lint/suspicious/noExplicitAny: type-level helper
  { [K in keyof F as F[K] extends Field<any, true> ? K : never]: F[K] extends Field<infer T, boolean> ? T : never } & {
    // biome-ignore lint/suspicious/noExplicitAny: type-level helper
    [K in keyof F as F[K] extends Field<any, false> ? K : never]?: F[K] extends Field<infer T, boolean> ? T : never;
  }
>;
export type Infer<S> = S extends Schema<infer T> ? T : never;

const joinPath = (path: string, member: string) => (path ? `${path}.${member}` : member);

export const struct = <F extends Fields>(fields: F): Schema<StructOf<F>> => ({
  parse(value, path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return fail(path || 'input', `Member must be a structure, not ${typeName(value)}`);
    const input = value as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    for (const [member, field] of Object.entries(fields)) {
      const raw = ownValue(input, member);
      if (isAbsent(raw)) {
        if (field.required)
          throw new ValidationError(
            `1 validation error detected: Value null at '${joinPath(path, member)}' failed to satisfy constraint: Member must not be null`,
            joinPath(path, member),
          );
        continue;
      }
      result[member] = field.schema.parse(raw, joinPath(path, member));
    }
    return result as StructOf<F>;
  },
});

/** A Smithy union: exactly one member may be set. */
// biome-ignore lint/suspicious/noExplicitAny: type-level helper
export const union = <M extends Record<string, Schema<any>>>(
  members: M,
): Schema<{ [K in keyof M]: { [P in K]: Infer<M[K]> } }[keyof M]> => ({
  parse(value, path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return fail(path, `Member must be a union structure, not ${typeName(value)}`);
    const set = Object.entries(value).filter(([, v]) => !isAbsent(v));
    if (set.length !== 1) {
      return fail(path, `Member must have exactly one of [${Object.keys(members).join(', ')}] set`);
    }
    const [member, raw] = set[0] as [string, unknown];
    // Own members only: `{"toString": {}}` names no member, it does not reach Object.prototype.toString.
    const schema = Object.hasOwn(members, member) ? members[member] : undefined;
    if (!schema) return fail(path, `Member must have exactly one of [${Object.keys(members).join(', ')}] set`);
    // biome-ignore lint/suspicious/noExplicitAny: constructed per the declared member
    return { [member]: schema.parse(raw, `${path}.${member}`) } as any;
  },
});

/** An empty structure (`{}`), e.g. `chatChannel.empty`. */
export const emptyStruct = (): Schema<Record<string, never>> => ({
  parse(value, path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return fail(path, `Member must be a structure, not ${typeName(value)}`);
    return {};
  },
});
