/**
 * Typed values at the edges of an execution: StartAutomationExecution's `Parameters` (always lists of strings on the
 * wire) read by each parameter's declared type, step outputs picked out of an action's raw response with their JSONPath
 * `Selector`, and both written back in the API's `string[]` form. Inside the engine values keep their type, so a
 * whole-value `{{ Step.Output }}` feeds a list or a number into the next step's input.
 */
import { JSONPath } from 'jsonpath-plus';
import type { OutputDefinition, ParameterDefinition, ParameterType } from './document.ts';
import { SsmError } from './errors.ts';
import type { Value } from './interpolation.ts';

const badParameters = (message: string) => new SsmError('InvalidAutomationExecutionParametersException', message);

const isObject = (value: unknown): value is Record<string, Value> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const parseJsonObject = (text: string, name: string): Record<string, Value> => {
  try {
    const parsed = JSON.parse(text);
    if (isObject(parsed)) return parsed;
  } catch {
    // reported below
  }
  throw badParameters(`Parameter ${name} takes JSON objects; '${text}' is not one.`);
};

/** A parameter's wire values (`string[]`) as its declared type. */
export function typedParameter(name: string, definition: ParameterDefinition, values: string[]): Value {
  const single = () => {
    if (values.length > 1) throw badParameters(`Parameter ${name} is a ${definition.type} and takes one value.`);
    return values[0] ?? '';
  };
  switch (definition.type) {
    case 'String':
      return single();
    case 'StringList':
      return values;
    case 'Integer': {
      const text = single();
      if (!/^-?\d+$/.test(text)) throw badParameters(`Parameter ${name} is an Integer; '${text}' is not one.`);
      return Number(text);
    }
    case 'Boolean': {
      const text = single();
      if (text !== 'true' && text !== 'false')
        throw badParameters(`Parameter ${name} is a Boolean; use true or false, not '${text}'.`);
      return text === 'true';
    }
    case 'StringMap':
      return parseJsonObject(single(), name);
    case 'MapList':
      return values.map((v) => parseJsonObject(v, name));
  }
}

/** A typed value in the API's `string[]` form (Parameters, Outputs). */
export function wireValues(value: Value, type?: ParameterType): string[] {
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  if (type === 'StringMap' || isObject(value)) return [JSON.stringify(value)];
  return [String(value)];
}

/** Checks allowedValues, allowedPattern and the size limits of a parameter's value. */
export function checkConstraints(name: string, definition: ParameterDefinition, value: Value) {
  const items = Array.isArray(value) ? value : [value];
  if (definition.allowedValues) {
    const allowed = definition.allowedValues.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    for (const item of items) {
      const text = typeof item === 'string' ? item : JSON.stringify(item);
      if (!allowed.includes(text))
        throw badParameters(
          `Parameter ${name} value '${text}' is not one of the allowed values: ${allowed.join(', ')}.`,
        );
    }
  }
  if (definition.allowedPattern !== undefined) {
    const pattern = new RegExp(definition.allowedPattern);
    for (const item of items) {
      const text = typeof item === 'string' ? item : JSON.stringify(item);
      if (!pattern.test(text))
        throw badParameters(
          `Parameter ${name} value '${text}' does not match the allowed pattern ${definition.allowedPattern}.`,
        );
    }
  }
  if (Array.isArray(value)) {
    if (definition.minItems !== undefined && value.length < definition.minItems)
      throw badParameters(`Parameter ${name} needs at least ${definition.minItems} items.`);
    if (definition.maxItems !== undefined && value.length > definition.maxItems)
      throw badParameters(`Parameter ${name} takes at most ${definition.maxItems} items.`);
  }
  for (const item of items) {
    if (typeof item !== 'string') continue;
    if (definition.minChars !== undefined && item.length < definition.minChars)
      throw badParameters(`Parameter ${name} values need at least ${definition.minChars} characters.`);
    if (definition.maxChars !== undefined && item.length > definition.maxChars)
      throw badParameters(`Parameter ${name} values hold at most ${definition.maxChars} characters.`);
  }
}

/** Output coercion failed, or the selector matched nothing: the step fails with this message. */
export class OutputError extends Error {
  override readonly name = 'OutputError';
}

const coerce = (raw: unknown, output: OutputDefinition): Value => {
  const wrong = () =>
    new OutputError(
      `Output ${output.Name}: the value at ${output.Selector} is not a ${output.Type}: ${JSON.stringify(raw)}`,
    );
  switch (output.Type) {
    case 'String':
      if (typeof raw === 'string') return raw;
      if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
      throw wrong();
    case 'Integer':
      if (Number.isInteger(raw)) return raw as number;
      if (typeof raw === 'string' && /^-?\d+$/.test(raw)) return Number(raw);
      throw wrong();
    case 'Boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw wrong();
    case 'StringList':
      if (Array.isArray(raw)) return raw.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
      if (typeof raw === 'string') return [raw];
      throw wrong();
    case 'StringMap':
      if (isObject(raw)) return raw;
      throw wrong();
    case 'MapList':
      if (Array.isArray(raw) && raw.every(isObject)) return raw as Value[];
      throw wrong();
  }
};

/**
 * Picks a declared output out of the action's raw response. `$..x` (deep scan) always yields a list; any other
 * selector yields its single match. A selector that matches nothing fails the step (an empty value would hide a typo).
 */
export function selectOutput(response: unknown, output: OutputDefinition): Value {
  const deep = output.Selector.includes('..');
  const matches = JSONPath({ path: output.Selector, json: response as object, wrap: true, eval: false }) as unknown[];
  if (matches.length === 0)
    throw new OutputError(`Output ${output.Name}: the selector ${output.Selector} matched nothing in the response.`);
  return coerce(deep || matches.length > 1 ? matches : matches[0], output);
}
