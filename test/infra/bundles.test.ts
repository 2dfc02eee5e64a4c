/**
 * Function code as cdk synth builds it (bundling on): every function gets its own bundle, with its handler at
 * `index.handler`, split into chunks, without source maps unless asked for.
 */
import { spawnSync } from 'node:child_process';
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

/** What a function's configuration needs to load (the rest of its environment is optional). */
const LAMBDA_ENVIRONMENT = {
  TABLE_NAME: 'bundles',
  ACCOUNT_ID: '123456789012',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  LOG_LEVEL: 'ERROR',
};

/** The files `file` imports statically (`import ... from "./x.mjs"`), relative to the bundle's folder. */
const staticImports = (dir: string, file: string): string[] =>
  [
    ...readFileSync(join(dir, file), 'utf8').matchAll(/(?:^|[;}\s])import\s*(?:[\w*{}\s,$]+from\s*)?"\.\/([^"]+)"/g),
  ].map((match) => join(file, '..', match[1] as string));

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
      const initCode = staticImports(dir, 'index.mjs').map((file) => readFileSync(join(dir, file), 'utf8'));
      expect(initCode.join('\n')).toMatch(/import\("\.\/[\w-]+\.mjs"\)|import\("\.\/chunks\//);
    }
  });

  it('reads the code of a cold start from two files: index.mjs and the one chunk it imports', () => {
    for (const fn of functions) {
      const dir = assetDir(fn.key);
      const [chunk, ...more] = staticImports(dir, 'index.mjs');
      expect(more, fn.key).toEqual([]);
      expect(chunk, fn.key).toMatch(/^chunks\//);
      expect(staticImports(dir, chunk as string), fn.key).toEqual([]);
    }
  });

  it('links every chunk loaded on first use against the code already loaded (no export missing)', () => {
    for (const fn of functions) {
      const dir = assetDir(fn.key);
      const script = `const m = await import(${JSON.stringify(join(dir, 'index.mjs'))});
        if (typeof m.handler !== 'function') throw new Error('no handler');
        for (const chunk of ${JSON.stringify(readdirSync(join(dir, 'chunks')))}) await import(${JSON.stringify(`${dir}/chunks/`)} + chunk);`;
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        env: { PATH: process.env.PATH, ...LAMBDA_ENVIRONMENT },
        encoding: 'utf8',
      });
      expect(run.status, `${fn.key}: ${run.stderr.slice(-2000)}`).toBe(0);
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
