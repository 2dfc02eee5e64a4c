/**
 * `npm run trigger` reports every failure with its real reason and exits non-zero: a file over the size limit, a
 * file nested deeper than any delivery, a file that is not JSON or not there, a runtime that is not running, and a
 * rejection by the intake. A file that works opens an incident and exits 0. The intake itself rejects (never retries
 * as transient) deliveries that are too deep or too large, and the local Invoke API answers an oversized request as
 * Lambda does.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { triggersOf } from '#adapters/triggers/deliveries.ts';
import { TriggerRejected } from '#core/alerting/intake.ts';
import { LOCAL_FUNCTIONS } from '../../local/runtime.ts';
import { createPlan } from '../compat/helpers.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');

function trigger(port: number, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(TSX, ['local/trigger.ts', ...args], {
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const deeplyNested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('npm run trigger', () => {
  let runtime: TestRuntime;
  let folder: string;
  let planName: string;
  const file = (name: string, content: string) => {
    const path = join(folder, name);
    writeFileSync(path, content);
    return path;
  };

  beforeAll(async () => {
    runtime = await startTestRuntime();
    folder = mkdtempSync(join(tmpdir(), 'trigger-cli-'));
    planName = (await createPlan(runtime.incidentsClient())).name;
  });
  afterAll(async () => {
    await runtime?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('opens an incident from a sample and exits 0', async () => {
    const result = await trigger(runtime.port, ['--response-plan', planName, 'samples/events/alarm-eventbridge.json']);
    expect(result.stdout).toContain('Opened arn:aws:ssm-incidents::');
    expect(result.code).toBe(0);
  });

  it.each([
    [
      'over the size limit',
      () => file('big.json', JSON.stringify({ detail: 'x'.repeat(2 * 1024 * 1024) })),
      /more than the 1048576 bytes/,
    ],
    ['nested too deep', () => file('deep.json', deeplyNested(100_000)), /nested more than 100 levels deep/],
    ['not JSON', () => file('broken.json', '{"detail-type": '), /is not valid JSON/],
    ['missing', () => join(folder, 'missing.json'), /Cannot read .*missing\.json/],
    [
      'rejected by the intake (no plan)',
      () => 'samples/events/alarm-eventbridge.json',
      /Rejected \(TriggerRejected\): No response plan/,
    ],
  ])('prints the reason and exits 1 for a file %s', async (_what, path, reason) => {
    const result = await trigger(runtime.port, [path()]);
    expect(result.stderr).toMatch(reason);
    expect(result.stderr).not.toContain('is not running');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(1);
  });

  it('says the runtime is not running only when nothing answers', async () => {
    const closed = await (await import('../../local/dynamodb-local.ts')).freePort();
    const result = await trigger(closed, ['samples/events/alarm-eventbridge.json']);
    expect(result.stderr).toContain(`The local Incident Manager is not running at http://127.0.0.1:${closed}`);
    expect(result.code).toBe(1);
  });

  it('the intake rejects too deep and too large deliveries (no retry can help), and Invoke answers 413 as Lambda does', async () => {
    // Act
    const deep = JSON.parse(deeplyNested(5000));
    const large = { 'detail-type': 'x', detail: 'x'.repeat(1024 * 1024) };
    const reject = (payload: unknown) => {
      try {
        return triggersOf(payload, 'aws');
      } catch (error) {
        return error;
      }
    };
    const oversized = await fetch(`${runtime.url}/2015-03-31/functions/${LOCAL_FUNCTIONS.triggerIntake}/invocations`, {
      method: 'POST',
      body: 'x'.repeat(7 * 1024 * 1024),
    });

    // Assess
    expect(reject(deep)).toBeInstanceOf(TriggerRejected);
    expect(reject(large)).toBeInstanceOf(TriggerRejected);
    expect(oversized.status).toBe(413);
    expect(oversized.headers.get('x-amzn-errortype')).toBe('RequestTooLargeException');
  });
});
