/**
 * `npm run trigger` says what happened to the alarm: the incident it CREATED (and who was paged, or why nobody), the
 * open incident it JOINED (and how to open a new one), or that an `--exact` replay was ALREADY RECORDED; by default
 * each run is a fresh delivery of the sample. It reports every failure with its real reason and exits non-zero: a file over the size limit, a
 * file nested deeper than any delivery, a file that is not JSON or not there, a runtime that is not running, and a
 * rejection by the intake. A file that works opens an incident and exits 0. The intake itself rejects (never retries
 * as transient) deliveries that are too deep or too large, and the local Invoke API answers an oversized request as
 * Lambda does.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SSMIncidentsClient,
  type SSMIncidentsClientConfig,
  UpdateIncidentRecordCommand,
} from '@aws-sdk/client-ssm-incidents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { triggersOf } from '#adapters/triggers/deliveries.ts';
import { TriggerRejected } from '#core/alerting/intake.ts';
import { LOCAL_FUNCTIONS } from '../../local/settings.ts';
import { parseStrictCredentials } from '../../local/sigv4.ts';
import { person } from '../compat/engagements-helpers.ts';
import { createPlan, unique } from '../compat/helpers.ts';
import { captureErrorLogs } from '../support/error-logs.ts';
import { runScript } from '../support/local-process.ts';
import { startTestRuntime, TEST_REGION, type TestRuntime } from '../support/local-runtime.ts';

const trigger = (port: number, args: string[], env: Record<string, string> = {}) =>
  runScript('local/trigger.ts', args, { ...process.env, PORT: String(port), ...env });

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
    expect(result.stdout).toContain('CREATED incident arn:aws:ssm-incidents::');
    expect(result.code).toBe(0);
  });

  /** A plan of its own (its own dedupe string, so no other test's incident is joined) engaging these contacts. */
  const planEngaging = async (engagements: string[]) =>
    (
      await createPlan(runtime.incidentsClient(), {
        incidentTemplate: { title: 'Checkout is failing', impact: 2, dedupeString: unique('dedupe') },
        engagements,
      })
    ).name;
  const incidentArnIn = (stdout: string) => /incident (arn:aws:ssm-incidents::\S+)/.exec(stdout)?.[1];

  it('names who was paged, and replays the same sample as a new delivery that joins the open incident', async () => {
    // Prepare
    const alice = await person(runtime, runtime.contactsClient(), { prefix: 'alice' });
    const plan = await planEngaging([alice.arn]);
    const sample = ['--response-plan', plan, 'samples/events/alarm-eventbridge.json'];

    // Act
    const first = await trigger(runtime.port, sample);
    const second = await trigger(runtime.port, sample);
    await runtime
      .incidentsClient()
      .send(new UpdateIncidentRecordCommand({ arn: incidentArnIn(first.stdout), status: 'RESOLVED' }));
    const afterResolve = await trigger(runtime.port, sample);

    // Assess
    const opened = incidentArnIn(first.stdout);
    expect(first.stdout).toMatch(/^CREATED incident arn:aws:ssm-incidents::\d{12}:incident-record\//);
    expect(first.stdout).toContain(`Paged ${alice.alias} (EMAIL).`);
    expect(first.code).toBe(0);
    expect(second.stdout).toContain(`JOINED the open incident ${opened}`);
    expect(second.stdout).toContain(`update-incident-record --arn ${opened} --status RESOLVED`);
    expect(second.stdout).toContain('--incident-template-dedupe-string');
    expect(second.code).toBe(0);
    expect(afterResolve.stdout).toMatch(/^CREATED incident/);
    expect(incidentArnIn(afterResolve.stdout)).not.toBe(opened);
  });

  it('with --exact replays the file byte for byte: the second run is recognised as the same delivery', async () => {
    // Prepare
    const plan = await planEngaging([]);
    const exact = ['--exact', '--response-plan', plan, 'samples/events/alarm-sns.json'];

    // Act
    const first = await trigger(runtime.port, exact);
    const again = await trigger(runtime.port, exact);

    // Assess
    expect(first.stdout).toMatch(/^CREATED incident/);
    expect(again.stdout).toContain(
      `ALREADY RECORDED: this exact delivery was seen before (incident ${incidentArnIn(first.stdout)})`,
    );
    expect(again.code).toBe(0);
  });

  it('says why nobody was paged: a plan that engages no one, a contact with no activated channel', async () => {
    // Prepare
    const unengaged = await planEngaging([]);
    const bob = await person(runtime, runtime.contactsClient(), {
      prefix: 'bob',
      channels: [{ name: 'mail', inactive: true }],
    });
    const unreachable = await planEngaging([bob.arn]);

    // Act
    const noEngagements = await trigger(runtime.port, [
      '--response-plan',
      unengaged,
      'samples/events/alarm-lambda-action.json',
    ]);
    const noChannel = await trigger(runtime.port, [
      '--response-plan',
      unreachable,
      'samples/events/alarm-lambda-action.json',
    ]);

    // Assess
    expect(noEngagements.stdout).toContain(`Nobody was paged: response plan ${unengaged} engages no contact.`);
    expect(noEngagements.stdout).toContain(`update-response-plan --arn arn:aws:ssm-incidents::`);
    expect(noChannel.stdout).toContain('Nobody was paged.');
    expect(noChannel.stdout).toMatch(new RegExp(`Not paged: .*${bob.alias}.*not activated`));
    expect(noChannel.code).toBe(0);
  });

  it('with --json prints one JSON object per alarm: the outcome, the incident, who was paged and who not', async () => {
    // Prepare
    const carol = await person(runtime, runtime.contactsClient(), { prefix: 'carol' });
    const dave = await person(runtime, runtime.contactsClient(), {
      prefix: 'dave',
      channels: [{ name: 'mail', inactive: true }],
    });
    const plan = await planEngaging([carol.arn, dave.arn]);

    // Act
    const result = await trigger(runtime.port, ['--json', '--response-plan', plan, 'samples/events/alarm-sns.json']);

    // Assess
    const printed = JSON.parse(result.stdout);
    expect(printed).toMatchObject({
      outcome: 'created',
      responsePlanName: plan,
      incident: { title: 'Checkout is failing', impact: 2, status: 'OPEN' },
      paging: { planContacts: [carol.arn, dave.arn], paged: [`Paged ${carol.alias} (EMAIL).`], timedOut: false },
    });
    expect(printed.paging.notPaged).toEqual([expect.stringMatching(new RegExp(`${dave.alias}.*not activated`))]);
    expect(result.code).toBe(0);
  });

  it('refuses an unknown flag or a missing FILE with the usage (exit 2)', async () => {
    const unknownFlag = await trigger(runtime.port, ['--plan', 'x', 'samples/events/alarm-sns.json']);
    const noFile = await trigger(runtime.port, ['--response-plan', 'x']);
    expect(unknownFlag.stderr).toContain("Unknown option '--plan'");
    expect(unknownFlag.stderr).toContain('Usage: npm run trigger');
    expect(unknownFlag.code).toBe(2);
    expect(noFile.stderr).toMatch(/FILE is required[\s\S]*Usage: npm run trigger/);
    expect(noFile.code).toBe(2);
  });

  // The last column: the error lines the intake logs (only a delivery that reaches it and is rejected logs one).
  it.each<[string, () => string, RegExp, string[]]>([
    [
      'over the size limit',
      () => file('big.json', JSON.stringify({ detail: 'x'.repeat(2 * 1024 * 1024) })),
      /more than the 1048576 bytes/,
      [],
    ],
    ['nested too deep', () => file('deep.json', deeplyNested(100_000)), /nested more than 100 levels deep/, []],
    ['not JSON', () => file('broken.json', '{"detail-type": '), /is not valid JSON/, []],
    ['missing', () => join(folder, 'missing.json'), /Cannot read .*missing\.json/, []],
    [
      'rejected by the intake (no plan)',
      () => 'samples/events/alarm-eventbridge.json',
      /Rejected \(TriggerRejected\): No response plan/,
      ['trigger rejected'],
    ],
  ])('prints the reason and exits 1 for a file %s', async (_what, path, reason, logged) => {
    const errors = captureErrorLogs();
    const result = await trigger(runtime.port, [path()]);
    expect(result.stderr).toMatch(reason);
    expect(result.stderr).not.toContain('is not running');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(1);
    expect(errors.map((line) => line.message)).toEqual(logged);
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

describe('npm run trigger against a runtime in strict SigV4 mode', () => {
  let runtime: TestRuntime;
  let admin: SSMIncidentsClient;
  beforeAll(async () => {
    runtime = await startTestRuntime({
      strictSigV4: parseStrictCredentials('AKIDADMIN:admin-secret,AKIDVIEW:view-secret:viewer'),
    });
    admin = new SSMIncidentsClient({
      endpoint: runtime.url,
      region: TEST_REGION,
      credentials: { accessKeyId: 'AKIDADMIN', secretAccessKey: 'admin-secret' },
      signingName: 'execute-api',
      maxAttempts: 1,
    } as SSMIncidentsClientConfig);
  });
  afterAll(async () => {
    admin?.destroy();
    await runtime?.stop();
  });

  it('reads the incident back with credentials the runtime accepts; without them it still says what opened', async () => {
    // Prepare
    const signed = (await createPlan(admin)).name;
    const unsigned = (await createPlan(admin)).name;
    const viewer = { AWS_ACCESS_KEY_ID: 'AKIDVIEW', AWS_SECRET_ACCESS_KEY: 'view-secret' };
    const stranger = { AWS_ACCESS_KEY_ID: 'AKIDNOBODY', AWS_SECRET_ACCESS_KEY: 'nope' };

    // Act
    const withViewer = await trigger(
      runtime.port,
      ['--response-plan', signed, 'samples/events/alarm-sns.json'],
      viewer,
    );
    const withStranger = await trigger(
      runtime.port,
      ['--response-plan', unsigned, 'samples/events/alarm-lambda-action.json'],
      stranger,
    );

    // Assess
    expect(withViewer.stdout).toContain(`Nobody was paged: response plan ${signed} engages no contact.`);
    expect(withViewer.code).toBe(0);
    expect(withStranger.stdout).toMatch(/^CREATED incident arn:aws:ssm-incidents::/);
    expect(withStranger.stderr).toContain('Could not read the incident back through the API');
    expect(withStranger.code).toBe(0);
  });
});
