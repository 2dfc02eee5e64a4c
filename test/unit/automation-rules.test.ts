/**
 * The local Automation engine's rules that need no execution: what CreateDocument refuses (and with which modelled
 * error), `{{ }}` interpolation, aws:sleep durations, aws:branch operators, parameter typing and output selectors.
 */
import { describe, expect, it } from 'vitest';
import { chooseNext, holds } from '../../local/automation/branch.ts';
import { MAX_DOCUMENT_BYTES, parseContent, renderContent, validateDocument } from '../../local/automation/document.ts';
import { SsmError } from '../../local/automation/errors.ts';
import { dateTimeText, interpolate, UnresolvedReference } from '../../local/automation/interpolation.ts';
import { durationSeconds, timestampMillis } from '../../local/automation/timing.ts';
import { checkConstraints, selectOutput, typedParameter, wireValues } from '../../local/automation/values.ts';

const doc = (steps: unknown[], extra: Record<string, unknown> = {}) => ({
  schemaVersion: '0.3',
  mainSteps: steps,
  ...extra,
});
const pause = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  action: 'aws:pause',
  inputs: {},
  ...extra,
});

const rejection = (document: unknown): SsmError => {
  try {
    validateDocument(document);
  } catch (error) {
    expect(error).toBeInstanceOf(SsmError);
    return error as SsmError;
  }
  throw new Error('the document was accepted');
};

describe('document validation (CreateDocument / UpdateDocument)', () => {
  it('accepts the schema version as text or as the number YAML makes of a bare 0.3', () => {
    expect(
      validateDocument(
        parseContent("schemaVersion: '0.3'\nmainSteps: [{name: A, action: 'aws:pause', inputs: {}}]", 'YAML'),
      ).mainSteps,
    ).toHaveLength(1);
    expect(
      validateDocument(parseContent('schemaVersion: 0.3\nmainSteps: [{name: A, action: "aws:pause"}]', 'YAML'))
        .schemaVersion,
    ).toBe('0.3');
  });

  it('refuses another schema version with InvalidDocumentSchemaVersion, and unreadable content with InvalidDocumentContent', () => {
    expect(rejection(doc([pause('A')], { schemaVersion: '2.2' })).name).toBe('InvalidDocumentSchemaVersion');
    expect(() => parseContent('{not json', 'JSON')).toThrow(
      expect.objectContaining({ name: 'InvalidDocumentContent' }),
    );
    expect(() => parseContent('a: [b', 'YAML')).toThrow(expect.objectContaining({ name: 'InvalidDocumentContent' }));
  });

  it('refuses content over 64 KB with MaxDocumentSizeExceeded', () => {
    const big = JSON.stringify(doc([pause('A', { description: 'x'.repeat(MAX_DOCUMENT_BYTES) })]));
    expect(() => parseContent(big, 'JSON')).toThrow(expect.objectContaining({ name: 'MaxDocumentSizeExceeded' }));
  });

  it.each([
    ['an unknown action', doc([{ name: 'A', action: 'aws:teleport', inputs: {} }]), /unknown action 'aws:teleport'/],
    ['duplicate step names', doc([pause('A'), pause('A')]), /Two steps are named 'A'/],
    ['a bad step name', doc([pause('no spaces')]), /name matching/],
    ['a dangling nextStep', doc([pause('A', { nextStep: 'Nowhere' })]), /names step 'Nowhere' in nextStep/],
    ['a dangling onFailure', doc([pause('A', { onFailure: 'step:Gone' })]), /names step 'Gone' in onFailure/],
    ['a bad onFailure', doc([pause('A', { onFailure: 'Retry' })]), /onFailure must be Abort, Continue or step/],
    [
      'a reference to no parameter',
      doc([{ name: 'A', action: 'aws:sleep', inputs: { Duration: '{{ Missing }}' } }]),
      /uses \{\{Missing\}\}, but no parameter/,
    ],
    [
      'a reference to an undeclared output',
      doc([pause('A'), { name: 'B', action: 'aws:sleep', inputs: { Duration: '{{ A.Nothing }}' } }]),
      /declares no output 'Nothing'/,
    ],
    [
      'an unclosed reference',
      doc([{ name: 'A', action: 'aws:sleep', inputs: { Duration: '{{ Oops' } }]),
      /unclosed or nested/,
    ],
    [
      'a Parameter Store reference in a step input',
      doc([{ name: 'A', action: 'aws:sleep', inputs: { Duration: '{{ssm:/x}}' } }]),
      /allowed only in parameter defaults/,
    ],
    [
      'an unknown branch operator',
      doc([
        { name: 'B', action: 'aws:branch', inputs: { Choices: [{ NextStep: 'A', Variable: 'x', Resembles: 'y' }] } },
        pause('A'),
      ]),
      /not a branch operator/,
    ],
    ['a loop in the step graph', doc([pause('A'), pause('B', { nextStep: 'A' })]), /loop: A -> B -> A/],
    ['a top-level output of no step', doc([pause('A')], { outputs: ['A.Out'] }), /names no declared output/],
    [
      'a default of the wrong type',
      doc([pause('A')], { parameters: { N: { type: 'Integer', default: '5' } } }),
      /default value of parameter 'N' is not a Integer/,
    ],
    ['aws:sleep without a duration', doc([{ name: 'A', action: 'aws:sleep', inputs: {} }]), /Duration or Timestamp/],
    [
      'a python runtime AWS no longer accepts',
      doc([{ name: 'A', action: 'aws:executeScript', inputs: { Runtime: 'python3.7', Handler: 'h', Script: 'x' } }]),
      /python3.9 to python3.13/,
    ],
  ])('refuses %s, naming the problem', (_what, document, message) => {
    const error = rejection(document);
    expect(error.name).toBe('InvalidDocumentContent');
    expect(error.message).toMatch(message);
  });

  it('accepts actions AWS has but the local engine does not run (their step fails at run time instead)', () => {
    expect(() => validateDocument(doc([{ name: 'A', action: 'aws:runCommand', inputs: {} }]))).not.toThrow();
  });

  it('converts between JSON and YAML without losing the tree', () => {
    const parsed = validateDocument(doc([pause('A', { description: 'multi\nline' })]));
    expect(parseContent(renderContent(parsed, 'YAML'), 'YAML')).toEqual(
      parseContent(renderContent(parsed, 'JSON'), 'JSON'),
    );
  });
});

describe('interpolation', () => {
  const values: Record<string, unknown> = { Ids: ['i-1', 'i-2'], Count: 3, Name: 'web', 'Step.Out': { a: 1 } };
  const resolve = (ref: string) => {
    if (!(ref in values)) throw new UnresolvedReference(ref);
    return values[ref] as never;
  };

  it('keeps the type of a whole-value reference and renders text inside a longer string', () => {
    expect(interpolate('{{ Ids }}', resolve)).toEqual(['i-1', 'i-2']);
    expect(interpolate('{{Count}}', resolve)).toBe(3);
    expect(interpolate('host-{{ Name }}-{{ Count }}', resolve)).toBe('host-web-3');
    expect(interpolate('map: {{ Step.Out }}', resolve)).toBe('map: {"a":1}');
  });

  it('flattens a list reference inside a list, resolves nested maps, and leaves keys alone', () => {
    expect(interpolate(['{{ Ids }}', 'i-3'], resolve)).toEqual(['i-1', 'i-2', 'i-3']);
    expect(interpolate({ '{{ Name }}': { n: '{{ Count }}' } }, resolve)).toEqual({ '{{ Name }}': { n: 3 } });
  });

  it('fails on a reference with no value yet', () => {
    expect(() => interpolate('{{ Later.Output }}', resolve)).toThrow(UnresolvedReference);
  });

  it('formats global:DATE_TIME as yyyy-MM-dd_HH.mm.ss in UTC', () => {
    expect(dateTimeText(new Date('2024-03-05T14:07:09.123Z'))).toBe('2024-03-05_14.07.09');
  });
});

describe('aws:sleep times', () => {
  it('reads ISO 8601 durations and refuses negatives, months and more than 604 799 seconds', () => {
    expect(durationSeconds('PT10M')).toBe(600);
    expect(durationSeconds('P1DT2H0.5S')).toBe(93_600.5);
    for (const bad of ['-PT1M', 'P1M', 'P7D', '10 minutes', 'PT']) expect(() => durationSeconds(bad)).toThrow();
  });

  it('needs a zone in a Timestamp', () => {
    expect(timestampMillis('2030-01-01T01:00:00Z')).toBe(Date.UTC(2030, 0, 1, 1));
    expect(() => timestampMillis('2030-01-01T01:00:00')).toThrow(/with a zone/);
  });
});

describe('aws:branch', () => {
  it.each([
    [{ Variable: 'Prod', StringEquals: 'Prod' }, true],
    [{ Variable: 'PROD', EqualsIgnoreCase: 'prod' }, true],
    [{ Variable: 'i-abc', StartsWith: 'i-' }, true],
    [{ Variable: 'x.log', EndsWith: '.txt' }, false],
    [{ Variable: ['a', 'b'], Contains: 'b' }, true],
    [{ Variable: '10', NumericGreater: 9 }, true],
    [{ Variable: 3, NumericLesserOrEquals: 3 }, true],
    [{ Variable: 'true', BooleanEquals: true }, true],
    [{ And: [{ Variable: 1, NumericEquals: 1 }, { Not: { Variable: 'a', StringEquals: 'b' } }] }, true],
    [
      {
        Or: [
          { Variable: 1, NumericEquals: 2 },
          { Variable: 'a', StringEquals: 'b' },
        ],
      },
      false,
    ],
  ])('evaluates %j as %s', (condition, expected) => {
    expect(holds(condition as never)).toBe(expected);
  });

  it('takes the first true choice, else Default, else nothing (the next step in list order)', () => {
    const choices = [
      { NextStep: 'One', Variable: 1, NumericEquals: 2 },
      { NextStep: 'Two', Variable: 'x', StringEquals: 'x' },
    ];
    expect(chooseNext({ Choices: choices })).toBe('Two');
    expect(chooseNext({ Choices: [choices[0]!], Default: 'Fallback' })).toBe('Fallback');
    expect(chooseNext({ Choices: [choices[0]!] })).toBeUndefined();
  });

  it('refuses a numeric comparison of text that is not a number', () => {
    expect(() => holds({ Variable: 'abc', NumericGreater: 1 })).toThrow(/not a number/);
  });
});

describe('parameters and outputs', () => {
  it('reads wire parameters by their declared type and refuses what does not fit', () => {
    expect(typedParameter('N', { type: 'Integer' }, ['42'])).toBe(42);
    expect(typedParameter('B', { type: 'Boolean' }, ['false'])).toBe(false);
    expect(typedParameter('M', { type: 'StringMap' }, ['{"Env":"Prod"}'])).toEqual({ Env: 'Prod' });
    expect(typedParameter('L', { type: 'MapList' }, ['{"a":1}', '{"b":2}'])).toEqual([{ a: 1 }, { b: 2 }]);
    for (const [type, values] of [
      ['Integer', ['4.5']],
      ['Boolean', ['yes']],
      ['String', ['a', 'b']],
      ['StringMap', ['[1]']],
    ] as const)
      expect(() => typedParameter('P', { type }, [...values])).toThrow(
        expect.objectContaining({ name: 'InvalidAutomationExecutionParametersException' }),
      );
  });

  it('checks allowedValues, allowedPattern and sizes', () => {
    expect(() => checkConstraints('E', { type: 'String', allowedValues: ['Prod', 'Dev'] }, 'Test')).toThrow(
      /allowed values/,
    );
    expect(() => checkConstraints('I', { type: 'String', allowedPattern: '^i-[a-z0-9]+$' }, 'x')).toThrow(/pattern/);
    expect(() => checkConstraints('L', { type: 'StringList', maxItems: 1 }, ['a', 'b'])).toThrow(/at most 1/);
    expect(() => checkConstraints('E', { type: 'String', allowedValues: ['Prod'] }, 'Prod')).not.toThrow();
  });

  it('writes typed values back in the API string-list form', () => {
    expect(wireValues(5)).toEqual(['5']);
    expect(wireValues(['a', 'b'])).toEqual(['a', 'b']);
    expect(wireValues({ a: 1 })).toEqual(['{"a":1}']);
    expect(wireValues([{ a: 1 }], 'MapList')).toEqual(['{"a":1}']);
  });

  it('selects outputs with JSONPath, typed; a deep scan is a list; no match fails the step', () => {
    const response = { Payload: { count: '7', items: [{ id: 'x' }, { id: 'y' }], ok: true } };
    expect(selectOutput(response, { Name: 'C', Selector: '$.Payload.count', Type: 'Integer' })).toBe(7);
    expect(selectOutput(response, { Name: 'I', Selector: '$..id', Type: 'StringList' })).toEqual(['x', 'y']);
    expect(selectOutput(response, { Name: 'F', Selector: '$.Payload.items[0]', Type: 'StringMap' })).toEqual({
      id: 'x',
    });
    expect(selectOutput(response, { Name: 'O', Selector: '$.Payload.ok', Type: 'Boolean' })).toBe(true);
    expect(() => selectOutput(response, { Name: 'M', Selector: '$.Payload.missing', Type: 'String' })).toThrow(
      /matched nothing/,
    );
    expect(() => selectOutput(response, { Name: 'W', Selector: '$.Payload.items', Type: 'String' })).toThrow(
      /not a String/,
    );
  });
});
