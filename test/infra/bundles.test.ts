/**
 * Function code as cdk synth builds it (bundling on): every function gets its own bundle, with its handler at
 * `index.handler`, split into chunks, without source maps unless asked for.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { IncidentManagerStack } from '../../lib/incident-manager-stack.ts';

const synth = (context: Record<string, unknown> = {}) => {
  const app = new App({ context });
  const stack = new IncidentManagerStack(app, 'Bundled');
  const template = Template.fromStack(stack);
  const assembly = app.synth();
  const functions = Object.values(template.findResources('AWS::Lambda::Function')).map((fn) => ({
    handler: fn.Properties.Handler as string,
    key: fn.Properties.Code.S3Key as string,
    environment: (fn.Properties.Environment?.Variables ?? {}) as Record<string, unknown>,
  }));
  const assetDir = (key: string) => join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`);
  return { functions, assetDir };
};

describe('function bundles', () => {
  const { functions, assetDir } = synth();

  it('gives every function a bundle of its own, entered at index.handler', () => {
    expect(functions.length).toBeGreaterThanOrEqual(6);
    expect(new Set(functions.map((f) => f.key)).size).toBe(functions.length);
    for (const fn of functions) {
      expect(fn.handler).toBe('index.handler');
      expect(existsSync(join(assetDir(fn.key), 'index.mjs'))).toBe(true);
    }
  });

  it('splits what is loaded on first use into chunks and ships no source maps by default', () => {
    for (const fn of functions) {
      const dir = assetDir(fn.key);
      expect(readdirSync(join(dir, 'chunks')).length).toBeGreaterThan(0);
      expect(readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith('.map'))).toBe(false);
      expect(fn.environment.NODE_OPTIONS).toBeUndefined();
      // A dynamic import of a chunk, e.g. the SDK's credential providers that Lambda never uses.
      expect(readFileSync(join(dir, 'index.mjs'), 'utf8')).toMatch(/import\("\.\/chunks\//);
    }
  });

  it('ships source maps, and turns them on, when asked for', () => {
    const mapped = synth({ sourceMaps: true });
    for (const fn of mapped.functions) {
      expect(existsSync(join(mapped.assetDir(fn.key), 'index.mjs.map'))).toBe(true);
      expect(fn.environment.NODE_OPTIONS).toBe('--enable-source-maps');
    }
  });
});
