/**
 * The IncidentManager stack as a deployer gets it with no context and no props (esbuild bundling off: these tests
 * read the template, not the code assets), synthesized once per test worker. A synth of the whole stack costs
 * seconds of CPU; the infra project runs without isolation, so every file that only reads this template shares one.
 * A test that needs other context or props, or adds constructs, synthesizes its own stack.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IncidentManagerStack } from '../../lib/incident-manager-stack.ts';

export interface SynthesizedStack {
  stack: IncidentManagerStack;
  template: Template;
  /** The template's Resources, frozen: a test that changed them would change them for every file after it. */
  resources: Readonly<Record<string, any>>;
}

let synthesized: SynthesizedStack | undefined;

export function defaultStack(): SynthesizedStack {
  if (!synthesized) {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new IncidentManagerStack(app, 'Test');
    const template = Template.fromStack(stack);
    synthesized = { stack, template, resources: deepFreeze(template.toJSON().Resources) };
  }
  return synthesized;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
