/**
 * The AWS CLI (botocore, an independent client of the ssm model) against the local Automation engine: the README's
 * walkthrough commands with --endpoint-url (create-document from a YAML file, start-automation-execution,
 * describe-automation-step-executions, send-automation-signal with the shorthand payload, get-automation-execution),
 * and a modelled error as the CLI reports it. Skipped when no `aws` is on PATH.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { eventually, uniqueName } from './runbooks-helpers.ts';

const run = promisify(execFile);
const cliAvailable = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;

describe('aws ssm against the local runtime', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    if (cliAvailable) runtime = await startTestRuntime({ timeScale: 1000 });
  });
  afterAll(() => runtime?.stop());

  const ssm = async (...args: string[]) => {
    const { stdout } = await run(
      'aws',
      ['ssm', ...args, '--endpoint-url', runtime.url, '--region', 'us-east-1', '--output', 'json'],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ACCESS_KEY_ID: 'alice',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_CONFIG_FILE: '/nonexistent/aws-config',
          AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_PAGER: '',
        },
        timeout: 30_000,
      },
    );
    return stdout.trim() ? (JSON.parse(stdout) as Record<string, any>) : {};
  };

  it.skipIf(!cliAvailable)('creates a document, runs it, resumes its pause and reads the result', async () => {
    const name = uniqueName('cli');
    const folder = mkdtempSync(join(tmpdir(), 'ssm-cli-'));
    onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
    const file = join(folder, 'runbook.yaml');
    writeFileSync(file, "schemaVersion: '0.3'\nmainSteps:\n  - name: Triage\n    action: aws:pause\n    inputs: {}\n");
    const created = await ssm(
      'create-document',
      '--name',
      name,
      '--document-type',
      'Automation',
      '--document-format',
      'YAML',
      '--content',
      `file://${file}`,
    );
    expect(created.DocumentDescription).toMatchObject({ Name: name, Status: 'Active', DocumentVersion: '1' });
    const { AutomationExecutionId: id } = await ssm('start-automation-execution', '--document-name', name);
    const steps = await eventually(async () => {
      const found = await ssm('describe-automation-step-executions', '--automation-execution-id', id);
      if (found.StepExecutions[0].StepStatus !== 'Waiting') throw new Error('not waiting yet');
      return found;
    });
    // CLI v1 prints the wire's epoch seconds as they came; v2 prints ISO text. Either way, a real start time.
    expect(
      new Date(
        Number(steps.StepExecutions[0].ExecutionStartTime) * 1000 || steps.StepExecutions[0].ExecutionStartTime,
      ).getTime(),
    ).toBeGreaterThan(Date.UTC(2020, 0));
    await ssm(
      'send-automation-signal',
      '--automation-execution-id',
      id,
      '--signal-type',
      'Resume',
      '--payload',
      'StepName=Triage',
    );
    const done = await eventually(async () => {
      const found = await ssm('get-automation-execution', '--automation-execution-id', id);
      if (found.AutomationExecution.AutomationExecutionStatus !== 'Success') throw new Error('not done yet');
      return found;
    });
    expect(done.AutomationExecution.ExecutedBy).toBe('arn:aws:iam::111122223333:user/alice');
  });

  it.skipIf(!cliAvailable)('reports a modelled error by name', async () => {
    const error = await ssm('get-document', '--name', uniqueName('missing')).then(
      () => undefined,
      (e: { stderr: string }) => e.stderr,
    );
    expect(error).toMatch(
      /\(InvalidDocument\) when calling the GetDocument operation: Document with name .* does not exist/,
    );
  });
});
