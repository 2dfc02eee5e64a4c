/**
 * `{{ ... }}` interpolation as Automation does it: `{{ Param }}`, `{{ Step.Output }}`, `{{ automation:EXECUTION_ID }}`
 * and the `global:` variables (spaces inside the braces are optional). A reference that is the WHOLE value keeps its
 * type (a StringList input gets a list, an Integer a number); inside a longer string it is text. Only string values
 * are interpolated; map keys never are.
 */
import { SsmError } from './errors.ts';

export type Value = string | number | boolean | Value[] | { [key: string]: Value };

export const SYSTEM_VARIABLES = new Set([
  'automation:EXECUTION_ID',
  'automation:DOCUMENT_NAME',
  'global:ACCOUNT_ID',
  'global:REGION',
  'global:DATE',
  'global:DATE_TIME',
  'global:AWS_PARTITION',
]);

const REFERENCE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const WHOLE = /^\{\{\s*([^{}]*?)\s*\}\}$/;

/** Every reference in a value (deep), for validation; an unclosed `{{` is reported as such. */
export function referencesIn(value: unknown, where: string): string[] {
  const found: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') {
      const stripped = v.replace(REFERENCE, (_m, ref: string) => {
        found.push(ref);
        return '';
      });
      if (stripped.includes('{{'))
        throw new SsmError('InvalidDocumentContent', `${where} has an unclosed or nested {{ in '${v}'.`);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  for (const ref of found)
    if (ref === '') throw new SsmError('InvalidDocumentContent', `${where} has an empty reference {{ }}.`);
  return found;
}

/** `yyyy-MM-dd_HH.mm.ss` in UTC, as `global:DATE_TIME` gives it. */
export const dateTimeText = (at: Date) => at.toISOString().slice(0, 19).replace('T', '_').replaceAll(':', '.');

/** A value rendered inside a longer string: scalars as text, lists and maps as JSON. */
const asText = (value: Value): string =>
  typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);

/** A reference with no value (yet): an output of a step that has not succeeded, say. Fails the step that uses it. */
export class UnresolvedReference extends Error {
  override readonly name = 'UnresolvedReference';
}

/** Resolves a reference name to its value, or throws UnresolvedReference when it has none (yet). */
export type Resolver = (reference: string) => Value;

/**
 * Resolves every reference in `value`. A StringList reference inside a list is flattened into it
 * (`['{{ Ids }}']` and `'{{ Ids }}'` both give the list).
 */
export function interpolate(value: unknown, resolve: Resolver): Value {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole) return resolve(whole[1]!);
    return value.replace(REFERENCE, (_m, ref: string) => asText(resolve(ref)));
  }
  if (Array.isArray(value))
    return value.flatMap((item) => {
      const resolved = interpolate(item, resolve);
      return typeof item === 'string' && WHOLE.test(item) && Array.isArray(resolved) ? resolved : [resolved];
    });
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, resolve)]));
  return value as Value;
}
