/**
 * `aws:branch`: evaluates the Choices in order and goes to the NextStep of the first that holds; none holds: the
 * Default step, else the next step in list order. A choice is `{Variable, <Operator>: value}` or And / Or / Not of
 * such conditions. Variables are interpolated before evaluation, so `Variable: "{{ Check.Status }}"` compares the
 * output's value.
 */
import { BRANCH_OPERATORS } from './document.ts';
import type { Value } from './interpolation.ts';

type Condition = Record<string, unknown>;

const asNumber = (value: unknown, operator: string): number => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (Number.isNaN(n)) throw new Error(`${operator} compares numbers; ${JSON.stringify(value)} is not a number.`);
  return n;
};

const asBoolean = (value: unknown): boolean => {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new Error(`BooleanEquals compares booleans; ${JSON.stringify(value)} is not one.`);
};

const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** Evaluates one (already interpolated) condition. */
export function holds(condition: Condition): boolean {
  if (Array.isArray(condition.And)) return (condition.And as Condition[]).every(holds);
  if (Array.isArray(condition.Or)) return (condition.Or as Condition[]).some(holds);
  if (condition.Not !== undefined) return !holds(condition.Not as Condition);
  const variable = condition.Variable as Value;
  const operator = BRANCH_OPERATORS.find((op) => op in condition);
  const expected = operator ? condition[operator] : undefined;
  switch (operator) {
    case 'StringEquals':
      return text(variable) === text(expected);
    case 'EqualsIgnoreCase':
      return text(variable).toLowerCase() === text(expected).toLowerCase();
    case 'StartsWith':
      return text(variable).startsWith(text(expected));
    case 'EndsWith':
      return text(variable).endsWith(text(expected));
    case 'Contains':
      return Array.isArray(variable)
        ? variable.some((v) => text(v) === text(expected))
        : text(variable).includes(text(expected));
    case 'NumericEquals':
      return asNumber(variable, operator) === asNumber(expected, operator);
    case 'NumericGreater':
      return asNumber(variable, operator) > asNumber(expected, operator);
    case 'NumericLesser':
      return asNumber(variable, operator) < asNumber(expected, operator);
    case 'NumericGreaterOrEquals':
      return asNumber(variable, operator) >= asNumber(expected, operator);
    case 'NumericLesserOrEquals':
      return asNumber(variable, operator) <= asNumber(expected, operator);
    case 'BooleanEquals':
      return asBoolean(variable) === asBoolean(expected);
    default:
      throw new Error(`The choice ${JSON.stringify(condition)} has no operator.`);
  }
}

/** The step a branch goes to: the first true choice's NextStep, else Default, else undefined (list order). */
export function chooseNext(inputs: { Choices: Condition[]; Default?: string }): string | undefined {
  for (const choice of inputs.Choices) if (holds(choice)) return String(choice.NextStep);
  return inputs.Default;
}
