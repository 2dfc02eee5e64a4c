/**
 * Every workflow in state-machines/: valid Amazon States Language (asl-validator, with the placeholders left in and
 * substituted), JSONPath only, and `${...}` placeholders exactly equal to the substitutions the CDK construct and the
 * local runner share (lambdas/runtime/workflows.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { ENGAGEMENT_WORKFLOW, placeholdersOf, renderDefinition } from '../../lambdas/runtime/workflows.ts';

const DIRECTORY = join(import.meta.dirname, '../../state-machines');
const files = readdirSync(DIRECTORY).filter((f) => f.endsWith('.asl.json'));
const WORKER = 'arn:aws:lambda:us-east-1:111122223333:function:engagement-worker';

/** Each workflow file and the substitutions defined for it. */
const SUBSTITUTIONS: Record<string, Record<string, string>> = {
  'engagement.asl.json': ENGAGEMENT_WORKFLOW.substitutions({ engagementWorkerArn: WORKER }),
};

type State = { Type: string; Resource?: string; QueryLanguage?: string; Retry?: unknown[]; Catch?: unknown[] };

describe('state-machines/*.asl.json', () => {
  it('has a definition of substitutions for every workflow file', () => {
    expect(files.sort()).toEqual(Object.keys(SUBSTITUTIONS).sort());
    expect(join(DIRECTORY, 'engagement.asl.json')).toBe(ENGAGEMENT_WORKFLOW.file);
  });

  for (const file of files) {
    const text = readFileSync(join(DIRECTORY, file), 'utf8');
    const substitutions = SUBSTITUTIONS[file] ?? {};

    it(`${file}: passes asl-validator, with placeholders and substituted`, () => {
      for (const definition of [JSON.parse(text), JSON.parse(renderDefinition(text, substitutions))]) {
        const { isValid, errorsText } = aslValidator(definition);
        expect(isValid, errorsText('\n')).toBe(true);
      }
    });

    it(`${file}: uses exactly the placeholders its construct substitutes`, () => {
      expect(placeholdersOf(text).sort()).toEqual(Object.keys(substitutions).sort());
    });

    it(`${file}: is JSONPath only, every Task is the worker (placeholder), with Retry and Catch`, () => {
      const definition = JSON.parse(text) as { QueryLanguage?: string; States: Record<string, State> };
      expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
      const tasks = Object.entries(definition.States).filter(([, s]) => s.Type === 'Task');
      expect(tasks.length).toBeGreaterThan(0);
      for (const [name, state] of tasks) {
        expect(state.QueryLanguage ?? 'JSONPath', name).toBe('JSONPath');
        expect(state.Resource, name).toMatch(/^\$\{[A-Za-z0-9_]+\}$/);
        expect(state.Retry?.length, name).toBeGreaterThan(0);
      }
      expect(definition.States.Step?.Catch?.length).toBeGreaterThan(0);
    });
  }

  it('refuses to render a definition with a placeholder nobody substitutes', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL placeholder, not a template literal
    expect(() => renderDefinition('{"Resource":"${Missing}"}', {})).toThrow(/Missing/);
  });
});
