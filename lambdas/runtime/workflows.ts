/**
 * The workflows in state-machines/ and their `${Placeholder}` substitutions, defined once: the CDK construct passes
 * them to Step Functions as `definitionSubstitutions` (lib/constructs/engagement-workflow.ts), the local runner
 * renders the same file with them (local/engagement-runner.ts), and a unit test checks that the placeholders in the
 * file are exactly these keys.
 */
import { fileURLToPath } from 'node:url';

export const ENGAGEMENT_WORKFLOW = {
  /** The ASL file (JSONPath). */
  file: fileURLToPath(new URL('../../state-machines/engagement.asl.json', import.meta.url)),
  /** `${Name}` -> value, for the given worker function. */
  substitutions: (values: { engagementWorkerArn: string }): Record<string, string> => ({
    EngagementWorkerArn: values.engagementWorkerArn,
  }),
} as const;

export const RUNBOOK_WORKFLOW = {
  /** The ASL file (JSONPath). */
  file: fileURLToPath(new URL('../../state-machines/runbook.asl.json', import.meta.url)),
  /** `${Name}` -> value, for the given worker function. */
  substitutions: (values: { runbookWorkerArn: string }): Record<string, string> => ({
    RunbookWorkerArn: values.runbookWorkerArn,
  }),
} as const;

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/** The `${Name}` placeholders a definition uses, each once, in order of first use. */
export const placeholdersOf = (definition: string): string[] => [
  ...new Set([...definition.matchAll(PLACEHOLDER)].map((m) => m[1]!)),
];

/** Substitutes every placeholder, as Step Functions does with definitionSubstitutions; a missing value is an error. */
export const renderDefinition = (definition: string, substitutions: Record<string, string>): string =>
  definition.replace(PLACEHOLDER, (_match, name: string) => {
    const value = substitutions[name];
    if (value === undefined) throw new Error(`No substitution for \${${name}} in the workflow definition`);
    return value;
  });
