/**
 * The AWS CLI (botocore, a second independent client of the same Smithy model) against the local runtime:
 * create-response-plan, start-incident and list-incident-records with --endpoint-url, checking the JSON it prints.
 * Skipped when no `aws` is on PATH; nothing is installed for it.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planArnOf, principalOf, startTestRuntime, TEST_ACCOUNT, type TestRuntime } from '../support/local-runtime.ts';
import { unique } from './helpers.ts';

const run = promisify(execFile);

const cli = spawnSync('aws', ['--version'], { encoding: 'utf8' });
const cliAvailable = cli.status === 0;
const cliVersion = `${cli.stdout ?? ''}${cli.stderr ?? ''}`.trim();

describe('AWS CLI', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    if (cliAvailable) runtime = await startTestRuntime();
  });
  afterAll(() => runtime?.stop());

  /** Runs `aws ssm-incidents <args>` asynchronously (the server lives in this process) and parses its JSON output. */
  async function ssmIncidents(accessKeyId: string, ...args: string[]): Promise<Record<string, unknown>> {
    const { stdout } = await run(
      'aws',
      ['ssm-incidents', ...args, '--endpoint-url', runtime.url, '--region', 'us-east-1', '--output', 'json'],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ACCESS_KEY_ID: accessKeyId,
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_CONFIG_FILE: '/nonexistent/aws-config',
          AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_PAGER: '',
        },
        timeout: 30_000,
      },
    );
    return JSON.parse(stdout) as Record<string, unknown>;
  }

  it.skipIf(!cliAvailable)(
    `creates a plan, starts an incident and lists it with the aws CLI (${cliAvailable ? cliVersion.split(' ')[0] : 'no aws on PATH'})`,
    async () => {
      // Prepare
      const caller = unique('cli-user');
      const name = unique('cli-plan');

      // Act
      const created = await ssmIncidents(
        caller,
        'create-response-plan',
        '--name',
        name,
        '--incident-template',
        JSON.stringify({ title: 'CLI incident', impact: 2, incidentTags: { via: 'cli' } }),
      );
      const started = await ssmIncidents(
        caller,
        'start-incident',
        '--response-plan-arn',
        String(created.arn),
        '--title',
        'Started from the CLI',
      );
      const listed = await ssmIncidents(
        caller,
        'list-incident-records',
        '--filters',
        JSON.stringify([{ key: 'createdBy', condition: { equals: { stringValues: [principalOf(caller)] } } }]),
      );

      // Assess
      expect(created).toEqual({ arn: planArnOf(name) });
      expect(String(started.incidentRecordArn)).toMatch(
        new RegExp(`^arn:aws:ssm-incidents::${TEST_ACCOUNT}:incident-record/${name}/`),
      );
      const summaries = listed.incidentRecordSummaries as Record<string, unknown>[];
      expect(summaries).toHaveLength(1);
      expect(summaries[0]).toMatchObject({
        arn: started.incidentRecordArn,
        title: 'Started from the CLI',
        status: 'OPEN',
        impact: 2,
        incidentRecordSource: { createdBy: principalOf(caller), source: 'aws.ssm-incidents.custom' },
      });
      // CLI v1 prints the epoch seconds as received; v2 prints an ISO 8601 date. Either way it is the creation time.
      const printed = summaries[0]!.creationTime;
      const creationTime = typeof printed === 'number' ? printed * 1000 : Date.parse(String(printed));
      expect(Math.abs(creationTime - Date.now())).toBeLessThan(5 * 60_000);
    },
  );

  it.skipIf(!cliAvailable)('prints the service error type and exits non-zero for a missing plan', async () => {
    // Prepare
    const arn = planArnOf(unique('cli-missing'));

    // Act
    const failure = await ssmIncidents('cli-user', 'get-response-plan', '--arn', arn).catch(
      (e: { code?: number; stderr?: string }) => e,
    );

    // Assess
    expect((failure as { code?: number }).code).not.toBe(0);
    expect((failure as { stderr?: string }).stderr).toContain('ResourceNotFoundException');
  });
});
