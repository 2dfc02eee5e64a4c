/**
 * Every workflow in state-machines/: valid Amazon States Language (asl-validator, with the placeholders left in and
 * substituted), JSONPath only, and `${...}` placeholders exactly equal to the substitutions the CDK construct and the
 * local runner share (lambdas/runtime/workflows.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import {
  ENGAGEMENT_WORKFLOW,
  placeholdersOf,
  RUNBOOK_WORKFLOW,
  renderDefinition,
} from '../../lambdas/runtime/workflows.ts';

const DIRECTORY = join(import.meta.dirname, '../../state-machines');
const files = readdirSync(DIRECTORY).filter((f) => f.endsWith('.asl.json'));
const WORKER = 'arn:aws:lambda:us-east-1:111122223333:function:engagement-worker';

/** Each workflow file and the substitutions defined for it. */
const SUBSTITUTIONS: Record<string, Record<string, string>> = {
  'engagement.asl.json': ENGAGEMENT_WORKFLOW.substitutions({ engagementWorkerArn: WORKER }),
  'runbook.asl.json': RUNBOOK_WORKFLOW.substitutions({ runbookWorkerArn: WORKER }),
};

/**
 * Service integrations a workflow may use besides its worker (each run locally by an override of the same call):
 * the runbook workflow starts the automation through the SSM SDK integration and waits on a task token.
 */
const INTEGRATIONS = [
  'arn:aws:states:::aws-sdk:ssm:startAutomationExecution',
  'arn:aws:states:::lambda:invoke.waitForTaskToken',
];

type State = {
  Type: string;
  Resource?: string;
  QueryLanguage?: string;
  Retry?: unknown[];
  Catch?: unknown[];
  Parameters?: { FunctionName?: string };
};

describe('state-machines/*.asl.json', () => {
  it('has a definition of substitutions for every workflow file', () => {
    expect(files.sort()).toEqual(Object.keys(SUBSTITUTIONS).sort());
    expect(join(DIRECTORY, 'engagement.asl.json')).toBe(ENGAGEMENT_WORKFLOW.file);
    expect(join(DIRECTORY, 'runbook.asl.json')).toBe(RUNBOOK_WORKFLOW.file);
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

    it(`${file}: is JSONPath only, every Task is the worker (placeholder) or a known integration, with Retry and Catch`, () => {
      const definition = JSON.parse(text) as { QueryLanguage?: string; States: Record<string, State> };
      expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
      const tasks = Object.entries(definition.States).filter(([, s]) => s.Type === 'Task');
      expect(tasks.length).toBeGreaterThan(0);
      for (const [name, state] of tasks) {
        expect(state.QueryLanguage ?? 'JSONPath', name).toBe('JSONPath');
        if (state.Resource?.startsWith('arn:aws:states:::')) {
          expect(INTEGRATIONS, name).toContain(state.Resource);
          if (state.Resource.startsWith('arn:aws:states:::lambda:'))
            expect(state.Parameters?.FunctionName, name).toMatch(/^\$\{[A-Za-z0-9_]+\}$/);
        } else expect(state.Resource, name).toMatch(/^\$\{[A-Za-z0-9_]+\}$/);
        expect(state.Retry?.length, name).toBeGreaterThan(0);
      }
      const first = definition.States[(definition as unknown as { StartAt: string }).StartAt];
      expect(first?.Catch?.length).toBeGreaterThan(0);
    });
  }

  it('refuses to render a definition with a placeholder nobody substitutes', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL placeholder, not a template literal
    expect(() => renderDefinition('{"Resource":"${Missing}"}', {})).toThrow(/Missing/);
  });
});
