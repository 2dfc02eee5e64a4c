/**
 * `npm start` as a user runs it: a separate process that prints its endpoint, keeps data on disk across restarts,
 * stops DynamoDB Local and exits 0 on SIGTERM, and refuses a busy port with a clear message.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateResponsePlanCommand, ListResponsePlansCommand, SSMIncidentsClient } from '@aws-sdk/client-ssm-incidents';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.ts';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `ownGroup`: in a process group of its own, as a terminal runs it (Ctrl-C signals the whole group). */
function startProcess(env: Record<string, string>, ownGroup = false): Started {
  const child = spawn(TSX, ['local/start.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: ownGroup,
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(started: Started, text: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (!started.output().includes(text)) {
    if (started.child.exitCode !== null) throw new Error(`process exited early:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}":\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const dynamoDbLocalRunningFor = (dataDir: string) =>
  spawnSync('pgrep', ['-f', `DynamoDBLocal.jar.*${dataDir}`]).status === 0;

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'incident-manager-start-'));
  const running: Started[] = [];
  const groupDataDir = mkdtempSync(join(tmpdir(), 'incident-manager-group-'));
  afterAll(() => {
    for (const started of running) started.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(groupDataDir, { recursive: true, force: true });
  });

  it('keeps data across a restart, stops cleanly on SIGTERM and refuses a busy port', async () => {
    // Prepare
    const port = await freePort();
    const env = { PORT: String(port), DATA_DIR: dataDir, ACCOUNT_ID: '210987654321' };
    const client = new SSMIncidentsClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'alice', secretAccessKey: 'local' },
    });

    // Act: first run writes a plan, a second process on the same port is refused, then SIGTERM.
    const first = startProcess(env);
    running.push(first);
    await waitFor(first, 'is running at');
    await client.send(
      new CreateResponsePlanCommand({ name: 'persisted', incidentTemplate: { title: 'T', impact: 3 } }),
    );
    const consolePage = await fetch(`http://127.0.0.1:${port}/`, { headers: { accept: 'text/html' } });
    const consoleHtml = await consolePage.text();
    const second = startProcess(env);
    running.push(second);
    const secondCode = await second.exited;
    first.child.kill('SIGTERM');
    const firstCode = await first.exited;

    // Assess
    expect(first.output()).toContain(`http://127.0.0.1:${port}`);
    // The web console's address comes first, and the root serves it with its security headers.
    const banner = first.output();
    expect(banner.indexOf(`Web console:  http://127.0.0.1:${port}/`)).toBeGreaterThan(-1);
    expect(banner.indexOf('Web console:')).toBeLessThan(banner.indexOf('is running at'));
    expect(consolePage.headers.get('content-type')).toContain('text/html');
    expect(consolePage.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(consoleHtml).toMatch(/<script type="module" src="\/app-[A-Z0-9]+\.js">/);
    expect(first.output()).toContain('aws ssm-incidents');
    expect(secondCode).toBe(1);
    expect(second.output()).toContain(`Port ${port} is already in use`);
    expect(firstCode).toBe(0);
    expect(dynamoDbLocalRunningFor(dataDir)).toBe(false);

    // Act: a restart on the same data folder still has the plan.
    const restarted = startProcess(env);
    running.push(restarted);
    await waitFor(restarted, 'is running at');
    const plans = await client.send(new ListResponsePlansCommand({}));
    restarted.child.kill('SIGINT');
    const restartedCode = await restarted.exited;
    client.destroy();

    // Assess
    expect(plans.responsePlanSummaries?.map((p) => p.arn)).toEqual([
      'arn:aws:ssm-incidents::210987654321:response-plan/persisted',
    ]);
    expect(restartedCode).toBe(0);
  }, 240_000);

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'stops on a %s to its process group (Ctrl-C, kill -- -pgid), which reaches DynamoDB Local too, without restarting it or leaving it running',
    async (signal) => {
      // Prepare: npm start in a process group of its own, as a terminal runs it.
      const env = { PORT: String(await freePort()), DATA_DIR: groupDataDir };
      const first = startProcess(env, true);
      running.push(first);
      await waitFor(first, 'is running at');

      // Act: the signal reaches the whole group, the JVM included; then a restart on the same folder.
      process.kill(-(first.child.pid as number), signal);
      const code = await first.exited;
      const leftRunning = dynamoDbLocalRunningFor(groupDataDir);
      const restarted = startProcess({ ...env, PORT: String(await freePort()) });
      running.push(restarted);
      await waitFor(restarted, 'is running at');
      restarted.child.kill('SIGTERM');
      await restarted.exited;

      // Assess: the JVM's exit was expected (no restart), nothing outlived the runtime, the restart found nothing to stop.
      expect(code).toBe(0);
      expect(first.output()).not.toContain('stopped unexpectedly');
      expect(leftRunning).toBe(false);
      expect(restarted.output()).not.toContain('left running');
    },
    240_000,
  );
});
