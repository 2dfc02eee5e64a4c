/**
 * Automation documents (schema 0.3): parsing JSON or YAML content, the checks CreateDocument and UpdateDocument make
 * before anything is stored, and conversion between the two formats (GetDocument answers in the format asked for).
 *
 * Checked at create, as AWS does or as its documentation implies: the schema version, the size (64 KB), parameter
 * definitions and their defaults' types, step names (pattern, uniqueness), actions (an action AWS does not have is an
 * error; an action AWS has but this engine does not run is accepted and fails its step at run time), step fields,
 * every step a `nextStep`, `onFailure`, `onCancel` or branch names, branch operators, `{{ }}` references (to a
 * parameter, an earlier-declared step output or a system variable), top-level outputs, and loops in the step graph.
 */
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { SsmError } from './errors.ts';
import { referencesIn, SYSTEM_VARIABLES } from './interpolation.ts';

export type ParameterType = 'String' | 'StringList' | 'Integer' | 'Boolean' | 'StringMap' | 'MapList';
export const PARAMETER_TYPES: readonly ParameterType[] = [
  'String',
  'StringList',
  'Integer',
  'Boolean',
  'StringMap',
  'MapList',
];

export interface ParameterDefinition {
  type: ParameterType;
  description?: string;
  default?: unknown;
  allowedValues?: unknown[];
  allowedPattern?: string;
  minItems?: number;
  maxItems?: number;
  minChars?: number;
  maxChars?: number;
}

export interface OutputDefinition {
  Name: string;
  Selector: string;
  Type: ParameterType;
}

export interface StepDefinition {
  name: string;
  action: string;
  description?: string;
  inputs: Record<string, unknown>;
  outputs?: OutputDefinition[];
  maxAttempts?: number;
  timeoutSeconds?: number;
  onFailure?: string;
  onCancel?: string;
  nextStep?: string;
  isEnd?: boolean;
  isCritical?: boolean;
}

export interface AutomationDocument {
  schemaVersion: '0.3';
  description?: string;
  assumeRole?: string;
  parameters: Record<string, ParameterDefinition>;
  outputs: string[];
  mainSteps: StepDefinition[];
}

export type DocumentFormat = 'JSON' | 'YAML';

/** Content larger than this is MaxDocumentSizeExceeded (the SSM quota for Automation documents). */
export const MAX_DOCUMENT_BYTES = 64 * 1024;

/** Every action AWS Automation has; anything else is invalid content. */
export const AWS_ACTIONS = new Set([
  'aws:approve',
  'aws:assertAwsResourceProperty',
  'aws:branch',
  'aws:changeInstanceState',
  'aws:copyImage',
  'aws:createImage',
  'aws:createStack',
  'aws:createTags',
  'aws:deleteImage',
  'aws:deleteStack',
  'aws:executeAutomation',
  'aws:executeAwsApi',
  'aws:executeScript',
  'aws:executeStateMachine',
  'aws:invokeLambdaFunction',
  'aws:invokeWebhook',
  'aws:loop',
  'aws:pause',
  'aws:runCommand',
  'aws:runInstances',
  'aws:sleep',
  'aws:updateVariable',
  'aws:waitForAwsResourceProperty',
]);

/** The actions this engine runs; the other AWS actions fail their step with a message that says so. */
export const LOCAL_ACTIONS = new Set([
  'aws:sleep',
  'aws:pause',
  'aws:approve',
  'aws:branch',
  'aws:executeScript',
  'aws:executeAwsApi',
]);

/** Outputs an action has without declaring them. */
export const PREDEFINED_OUTPUTS: Record<string, Record<string, ParameterType>> = {
  'aws:approve': { ApprovalStatus: 'String', ApproverDecisions: 'MapList' },
  'aws:executeScript': { Payload: 'StringMap' },
};

export const BRANCH_OPERATORS = [
  'StringEquals',
  'EqualsIgnoreCase',
  'StartsWith',
  'EndsWith',
  'Contains',
  'NumericEquals',
  'NumericGreater',
  'NumericLesser',
  'NumericGreaterOrEquals',
  'NumericLesserOrEquals',
  'BooleanEquals',
] as const;

const NAME = /^[a-zA-Z0-9_]+$/;
const ACTION = /^aws:[a-zA-Z]{3,25}$/;
/** python3.6 to 3.8 can no longer be created (AWS, December 2024). */
const PYTHON_RUNTIME = /^python3\.(9|1[0-9])$/;
const POWERSHELL_RUNTIME = /^PowerShell (Core 6\.0|7\.\d)$/;

const invalid = (message: string) => new SsmError('InvalidDocumentContent', message);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses content in its declared format (JSON is the API's default); unreadable content is InvalidDocumentContent. */
export function parseContent(content: string, format: DocumentFormat): unknown {
  if (Buffer.byteLength(content, 'utf8') > MAX_DOCUMENT_BYTES)
    throw new SsmError(
      'MaxDocumentSizeExceeded',
      `The content is ${Buffer.byteLength(content, 'utf8')} bytes; Automation documents hold at most ${MAX_DOCUMENT_BYTES} bytes.`,
    );
  try {
    return format === 'YAML' ? parseYaml(content) : JSON.parse(content);
  } catch (error) {
    throw invalid(`The content is not valid ${format}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Renders a parsed document in the format asked for (GetDocument with DocumentFormat). */
export const renderContent = (document: unknown, format: DocumentFormat): string =>
  format === 'YAML' ? stringifyYaml(document, { lineWidth: 0 }) : JSON.stringify(document, null, 2);

const checkValueOfType = (value: unknown, type: ParameterType): boolean => {
  switch (type) {
    case 'String':
      return typeof value === 'string';
    case 'StringList':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'Integer':
      return Number.isInteger(value) || (typeof value === 'string' && /^\{\{.*\}\}$/.test(value));
    case 'Boolean':
      return typeof value === 'boolean';
    case 'StringMap':
      return isObject(value);
    case 'MapList':
      return Array.isArray(value) && value.every(isObject);
  }
};

function validateParameters(raw: unknown): Record<string, ParameterDefinition> {
  if (raw === undefined) return {};
  if (!isObject(raw)) throw invalid('parameters must be a map of parameter names to definitions.');
  const parameters: Record<string, ParameterDefinition> = {};
  for (const [name, definition] of Object.entries(raw)) {
    if (!NAME.test(name)) throw invalid(`Parameter name '${name}' must match [a-zA-Z0-9_]+.`);
    if (!isObject(definition)) throw invalid(`Parameter '${name}' must be a map with at least a type.`);
    const type = definition.type;
    if (typeof type !== 'string' || !PARAMETER_TYPES.includes(type as ParameterType))
      throw invalid(`Parameter '${name}' has type '${String(type)}'; use one of ${PARAMETER_TYPES.join(', ')}.`);
    const def = definition as unknown as ParameterDefinition;
    const isSsmReference = typeof def.default === 'string' && /^\{\{\s*ssm:[^}]+\}\}$/.test(def.default);
    if (def.default !== undefined && !isSsmReference && !checkValueOfType(def.default, def.type))
      throw invalid(`The default value of parameter '${name}' is not a ${def.type}.`);
    if (def.allowedValues !== undefined && !Array.isArray(def.allowedValues))
      throw invalid(`allowedValues of parameter '${name}' must be a list.`);
    if (def.allowedPattern !== undefined) {
      try {
        new RegExp(String(def.allowedPattern));
      } catch {
        throw invalid(`allowedPattern of parameter '${name}' is not a valid regular expression.`);
      }
    }
    for (const key of ['minItems', 'maxItems', 'minChars', 'maxChars'] as const)
      if (def[key] !== undefined && !(Number.isInteger(def[key]) && (def[key] as number) >= 0))
        throw invalid(`${key} of parameter '${name}' must be a non-negative integer.`);
    parameters[name] = def;
  }
  return parameters;
}

const stepReference = (value: string, field: string, steps: Set<string>, owner: string): string => {
  if (!steps.has(value)) throw invalid(`Step '${owner}' names step '${value}' in ${field}, but no step has that name.`);
  return value;
};

function validateCondition(condition: unknown, where: string, allowNextStep: boolean) {
  if (!isObject(condition)) throw invalid(`${where} must be a map.`);
  const keys = Object.keys(condition).filter((k) => k !== 'NextStep');
  if (!allowNextStep && 'NextStep' in condition) throw invalid(`${where} may not have a NextStep inside And/Or/Not.`);
  if ('And' in condition || 'Or' in condition) {
    const op = 'And' in condition ? 'And' : 'Or';
    const list = condition[op];
    if (!Array.isArray(list) || list.length === 0) throw invalid(`${where}.${op} must be a non-empty list.`);
    for (const [i, c] of list.entries()) validateCondition(c, `${where}.${op}[${i}]`, false);
    return;
  }
  if ('Not' in condition) {
    validateCondition(condition.Not, `${where}.Not`, false);
    return;
  }
  const operators = keys.filter((k) => k !== 'Variable');
  if (!('Variable' in condition)) throw invalid(`${where} needs a Variable.`);
  if (operators.length !== 1) throw invalid(`${where} needs exactly one operator besides Variable.`);
  const operator = operators[0]!;
  if (!(BRANCH_OPERATORS as readonly string[]).includes(operator))
    throw invalid(
      `${where} uses '${operator}', which is not a branch operator; use one of ${BRANCH_OPERATORS.join(', ')}.`,
    );
}

function validateInputs(step: StepDefinition, steps: Set<string>) {
  const inputs = step.inputs;
  const need = (name: string) => {
    if (inputs[name] === undefined || inputs[name] === '')
      throw invalid(`Step '${step.name}' (${step.action}) needs the input ${name}.`);
  };
  switch (step.action) {
    case 'aws:sleep':
      if ((inputs.Duration === undefined) === (inputs.Timestamp === undefined))
        throw invalid(`Step '${step.name}' (aws:sleep) needs exactly one of the inputs Duration or Timestamp.`);
      return;
    case 'aws:approve':
      need('Approvers');
      if (
        inputs.MinRequiredApprovals !== undefined &&
        typeof inputs.MinRequiredApprovals !== 'string' &&
        !(Number.isInteger(inputs.MinRequiredApprovals) && (inputs.MinRequiredApprovals as number) >= 1)
      )
        throw invalid(`Step '${step.name}': MinRequiredApprovals must be an integer of at least 1.`);
      if (typeof inputs.Message === 'string' && inputs.Message.length > 4096)
        throw invalid(`Step '${step.name}': Message holds at most 4096 characters.`);
      return;
    case 'aws:branch': {
      const choices = inputs.Choices;
      if (!Array.isArray(choices) || choices.length === 0)
        throw invalid(`Step '${step.name}' (aws:branch) needs a non-empty Choices list.`);
      choices.forEach((choice, i) => {
        validateCondition(choice, `Step '${step.name}' Choices[${i}]`, true);
        const next = (choice as Record<string, unknown>).NextStep;
        if (typeof next !== 'string') throw invalid(`Step '${step.name}' Choices[${i}] needs a NextStep.`);
        stepReference(next, `Choices[${i}].NextStep`, steps, step.name);
      });
      if (inputs.Default !== undefined) stepReference(String(inputs.Default), 'Default', steps, step.name);
      return;
    }
    case 'aws:executeScript': {
      need('Runtime');
      const runtime = String(inputs.Runtime);
      if (!PYTHON_RUNTIME.test(runtime) && !POWERSHELL_RUNTIME.test(runtime))
        throw invalid(
          `Step '${step.name}': Runtime '${runtime}' is not supported; use python3.9 to python3.13 (python3.11 is recommended).`,
        );
      if (inputs.Script === undefined && inputs.Attachment === undefined)
        throw invalid(`Step '${step.name}' (aws:executeScript) needs a Script or an Attachment.`);
      if (PYTHON_RUNTIME.test(runtime)) need('Handler');
      return;
    }
    case 'aws:executeAwsApi':
      need('Service');
      need('Api');
      return;
    default:
      return;
  }
}

function validateStep(raw: unknown, index: number, steps: Set<string>): StepDefinition {
  if (!isObject(raw)) throw invalid(`mainSteps[${index}] must be a map.`);
  const name = raw.name;
  if (typeof name !== 'string' || !NAME.test(name) || name.length > 100)
    throw invalid(`mainSteps[${index}] needs a name matching [a-zA-Z0-9_]+ (at most 100 characters).`);
  const action = raw.action;
  if (typeof action !== 'string' || !ACTION.test(action)) throw invalid(`Step '${name}' needs an action aws:<name>.`);
  if (!AWS_ACTIONS.has(action)) throw invalid(`Step '${name}' uses the unknown action '${action}'.`);
  if (raw.inputs === undefined && action === 'aws:pause') raw.inputs = {};
  if (!isObject(raw.inputs)) throw invalid(`Step '${name}' needs inputs (a map; {} for aws:pause).`);
  const step = raw as unknown as StepDefinition;
  const positiveInteger = (key: 'maxAttempts' | 'timeoutSeconds') => {
    const value = step[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1))
      throw invalid(`Step '${name}': ${key} must be an integer of at least 1.`);
  };
  positiveInteger('maxAttempts');
  positiveInteger('timeoutSeconds');
  for (const key of ['isEnd', 'isCritical'] as const)
    if (step[key] !== undefined && typeof step[key] !== 'boolean')
      throw invalid(`Step '${name}': ${key} must be true or false.`);
  if (step.onFailure !== undefined) {
    if (typeof step.onFailure !== 'string') throw invalid(`Step '${name}': onFailure must be a string.`);
    if (step.onFailure.startsWith('step:')) stepReference(step.onFailure.slice(5), 'onFailure', steps, name);
    else if (step.onFailure !== 'Abort' && step.onFailure !== 'Continue')
      throw invalid(`Step '${name}': onFailure must be Abort, Continue or step:<step name>.`);
  }
  if (step.onCancel !== undefined) {
    if (typeof step.onCancel !== 'string') throw invalid(`Step '${name}': onCancel must be a string.`);
    if (step.onCancel.startsWith('step:')) stepReference(step.onCancel.slice(5), 'onCancel', steps, name);
    else if (step.onCancel !== 'Abort') throw invalid(`Step '${name}': onCancel must be Abort or step:<step name>.`);
  }
  if (step.nextStep !== undefined) stepReference(String(step.nextStep), 'nextStep', steps, name);
  if (step.outputs !== undefined) {
    if (!Array.isArray(step.outputs)) throw invalid(`Step '${name}': outputs must be a list.`);
    for (const output of step.outputs) {
      if (!isObject(output) || typeof output.Name !== 'string' || typeof output.Selector !== 'string')
        throw invalid(`Step '${name}': each output needs a Name, a Selector and a Type.`);
      if (!PARAMETER_TYPES.includes(output.Type as ParameterType))
        throw invalid(`Step '${name}': output '${output.Name}' has type '${String(output.Type)}'.`);
      if (!output.Selector.startsWith('$'))
        throw invalid(`Step '${name}': the Selector of output '${output.Name}' must be a JSONPath starting with $.`);
    }
  }
  validateInputs(step, steps);
  return step;
}

/** The steps a step can go to next (for the loop check). */
const successorsOf = (step: StepDefinition, index: number, all: StepDefinition[]): string[] => {
  const next: string[] = [];
  const following = all[index + 1]?.name;
  if (step.action === 'aws:branch') {
    for (const choice of step.inputs.Choices as Record<string, unknown>[]) next.push(String(choice.NextStep));
    if (step.inputs.Default !== undefined) next.push(String(step.inputs.Default));
    else if (following) next.push(following);
  } else if (!step.isEnd) {
    if (step.nextStep) next.push(step.nextStep);
    else if (following) next.push(following);
  }
  if (step.onFailure?.startsWith('step:')) next.push(step.onFailure.slice(5));
  if (step.onCancel?.startsWith('step:')) next.push(step.onCancel.slice(5));
  return next;
};

function checkNoLoop(steps: StepDefinition[]) {
  const byName = new Map(steps.map((s, i) => [s.name, i]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (name: string) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name];
      throw invalid(`The steps form a loop: ${cycle.join(' -> ')}. Use aws:loop-free step graphs.`);
    }
    state.set(name, 'visiting');
    path.push(name);
    const index = byName.get(name)!;
    for (const next of successorsOf(steps[index]!, index, steps)) visit(next);
    path.pop();
    state.set(name, 'done');
  };
  for (const step of steps) visit(step.name);
}

function checkReferences(doc: AutomationDocument) {
  const outputsByStep = new Map<string, Set<string>>();
  for (const step of doc.mainSteps)
    outputsByStep.set(
      step.name,
      new Set([...(step.outputs ?? []).map((o) => o.Name), ...Object.keys(PREDEFINED_OUTPUTS[step.action] ?? {})]),
    );
  const check = (value: unknown, where: string) => {
    for (const ref of referencesIn(value, where)) {
      if (ref.startsWith('ssm:'))
        throw invalid(`${where} uses {{${ref}}}: Parameter Store references are allowed only in parameter defaults.`);
      if (ref.includes(':')) {
        if (!SYSTEM_VARIABLES.has(ref)) throw invalid(`${where} uses the unknown variable {{${ref}}}.`);
        continue;
      }
      if (!ref.includes('.')) {
        if (!(ref in doc.parameters)) throw invalid(`${where} uses {{${ref}}}, but no parameter has that name.`);
        continue;
      }
      const [stepName, output, ...rest] = ref.split('.');
      const outputs = outputsByStep.get(stepName!);
      if (!outputs) throw invalid(`${where} uses {{${ref}}}, but no step is named '${stepName}'.`);
      if (rest.length || !outputs.has(output!))
        throw invalid(`${where} uses {{${ref}}}, but step '${stepName}' declares no output '${output}'.`);
    }
  };
  check(doc.assumeRole, 'assumeRole');
  for (const step of doc.mainSteps) check(step.inputs, `Step '${step.name}' inputs`);
  for (const output of doc.outputs) {
    const [stepName, name] = output.split('.');
    if (!outputsByStep.get(stepName ?? '')?.has(name ?? ''))
      throw invalid(`The document output '${output}' names no declared output of a step.`);
  }
}

/** Validates a parsed document; returns it typed. Throws SsmError (InvalidDocumentContent, ...) naming the problem. */
export function validateDocument(parsed: unknown): AutomationDocument {
  if (!isObject(parsed)) throw invalid('The document must be a map with schemaVersion and mainSteps.');
  const schema = parsed.schemaVersion;
  if (schema === undefined) throw invalid('The document has no schemaVersion; Automation documents use "0.3".');
  if (String(schema) !== '0.3')
    throw new SsmError(
      'InvalidDocumentSchemaVersion',
      `schemaVersion ${String(schema)} is not valid for an Automation document; use "0.3".`,
    );
  if (parsed.assumeRole !== undefined && typeof parsed.assumeRole !== 'string')
    throw invalid('assumeRole must be a string (a role ARN or {{ AutomationAssumeRole }}).');
  const parameters = validateParameters(parsed.parameters);
  const rawSteps = parsed.mainSteps;
  if (!Array.isArray(rawSteps) || rawSteps.length === 0)
    throw invalid('The document needs a non-empty mainSteps list.');
  const names = new Set<string>();
  for (const [i, step] of rawSteps.entries()) {
    const name = isObject(step) ? step.name : undefined;
    if (typeof name === 'string' && names.has(name)) throw invalid(`Two steps are named '${name}' (mainSteps[${i}]).`);
    if (typeof name === 'string') names.add(name);
  }
  const mainSteps = rawSteps.map((step, i) => validateStep(step, i, names));
  const outputs = parsed.outputs ?? [];
  if (!Array.isArray(outputs) || outputs.some((o) => typeof o !== 'string'))
    throw invalid('outputs must be a list of "StepName.OutputName" strings.');
  const doc: AutomationDocument = {
    ...(parsed as object),
    schemaVersion: '0.3',
    parameters,
    outputs: outputs as string[],
    mainSteps,
  } as AutomationDocument;
  checkReferences(doc);
  checkNoLoop(mainSteps);
  return doc;
}
