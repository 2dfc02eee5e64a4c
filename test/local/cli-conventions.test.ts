/**
 * Every `npm run` script that is a command (its package.json entry runs a TypeScript file with tsx) behaves like a
 * CLI: `--help` prints the usage on stdout and exits 0 before doing anything, even before loading the local runtime;
 * an unknown flag prints the usage on stderr, nothing on stdout, and exits 2. The list comes from package.json, so a
 * script added later is held to it. No runtime is needed: both answers come before any work starts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript } from '../support/local-process.ts';

/**
 * `npm run <name>` -> the TypeScript file it runs last (npm start: local/start.ts after the preflight and build) and
 * the variables the command sets for it (`BENCH_ONLY=analysis tsx bench/api.ts`).
 */
const scriptEntries = (): [string, string, Record<string, string>][] => {
  const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  return Object.entries(scripts).flatMap(([name, command]) => {
    const runs = [...command.matchAll(/((?:\w+=\S+ )*)tsx (\S+\.ts)\b/g)];
    const last = runs[runs.length - 1];
    if (!last) return [];
    const env = Object.fromEntries(
      (last[1] ?? '')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map((assignment) => assignment.split('=') as [string, string]),
    );
    return [[name, last[2] as string, env] as [string, string, Record<string, string>]];
  });
};

const run = (file: string, args: string[], env: Record<string, string>) =>
  // A port nothing listens on: a script that wrongly went ahead would fail fast instead of touching a runtime.
  runScript(file, args, { ...process.env, PORT: '9', DATA_DIR: join(process.cwd(), 'no-such-data-dir'), ...env });

const importLogs = mkdtempSync(join(tmpdir(), 'cli-imports-'));
afterAll(() => rmSync(importLogs, { recursive: true, force: true }));
const IMPORT_RECORDER = join(process.cwd(), 'test', 'support', 'import-recorder.mjs');

describe.concurrent('every npm run command behaves like a CLI', () => {
  const entries = scriptEntries();

  it('finds the commands in package.json', () => {
    expect(entries.map(([name]) => name)).toEqual(
      expect.arrayContaining(['start', 'trigger', 'outbox', 'reply', 'events', 'slack', 'runbooks', 'bench']),
    );
    expect(entries.filter(([name]) => name.startsWith('bench')).length).toBeGreaterThanOrEqual(7);
  });

  it.each(entries)(
    'npm run %s (%s): --help exits 0 with the usage on stdout, before loading the runtime',
    async (name, file, env) => {
      const imports = join(importLogs, `${name}.txt`);
      const help = await run(file, ['--help'], {
        ...env,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${IMPORT_RECORDER}`,
        IMPORTS_LOG: imports,
      });
      expect(help.stdout).toMatch(new RegExp(`^Usage: npm (run )?${name}\\b`));
      expect(help.stderr).toBe('');
      expect(help.code).toBe(0);
      // The usage costs a fraction of a second: the local runtime (the handlers, the SDK clients) loads only for work.
      expect(existsSync(imports)).toBe(true);
      expect(
        readFileSync(imports, 'utf8')
          .split('\n')
          .filter((url) => url.endsWith('/local/runtime.ts')),
      ).toEqual([]);
    },
  );

  it.each(entries)('npm run %s (%s): an unknown flag exits 2 with the usage on stderr', async (_name, file, env) => {
    const wrong = await run(file, ['--no-such-flag'], env);
    expect(wrong.stderr).toContain('--no-such-flag');
    expect(wrong.stderr).toContain('Usage: npm ');
    expect(wrong.stdout).toBe('');
    expect(wrong.code).toBe(2);
  });
});
