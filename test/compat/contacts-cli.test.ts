/**
 * The AWS CLI (botocore: a second, independent client of the ssm-contacts model) against the local runtime: a
 * contact, a channel activated with the code from the outbox, a rotation and its shifts, and an error.
 * Skipped when no `aws` is on PATH; nothing is installed for it.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactArnOf, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { uniqueAlias } from './contacts-helpers.ts';

const run = promisify(execFile);
const cliAvailable = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;

describe('AWS CLI: ssm-contacts', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    if (cliAvailable) runtime = await startTestRuntime();
  });
  afterAll(() => runtime?.stop());

  async function ssmContacts(...args: string[]): Promise<Record<string, unknown>> {
    const { stdout } = await run(
      'aws',
      ['ssm-contacts', ...args, '--endpoint-url', runtime.url, '--region', 'us-east-1', '--output', 'json'],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ACCESS_KEY_ID: 'cli-user',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_CONFIG_FILE: '/nonexistent/aws-config',
          AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_PAGER: '',
          AWS_MAX_ATTEMPTS: '1',
        },
        timeout: 30_000,
      },
    );
    return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
  }

  it.skipIf(!cliAvailable)("creates a contact and a channel, activates it, and lists a rotation's shifts", async () => {
    // Prepare
    const alias = uniqueAlias('cli');

    // Act
    const contact = await ssmContacts(
      'create-contact',
      '--alias',
      alias,
      '--type',
      'PERSONAL',
      '--plan',
      '{"Stages":[]}',
    );
    const channel = await ssmContacts(
      'create-contact-channel',
      '--contact-id',
      contactArnOf(alias),
      '--name',
      'phone',
      '--type',
      'SMS',
      '--delivery-address',
      'SimpleAddress=+12065550100',
    );
    const code = runtime.outbox.latest((m) => m.contactChannelArn === channel.ContactChannelArn)?.activationCode;
    await ssmContacts(
      'activate-contact-channel',
      '--contact-channel-id',
      String(channel.ContactChannelArn),
      '--activation-code',
      String(code),
    );
    const got = await ssmContacts('get-contact-channel', '--contact-channel-id', String(channel.ContactChannelArn));
    const rotation = await ssmContacts(
      'create-rotation',
      '--name',
      'cli rotation',
      '--contact-ids',
      contactArnOf(alias),
      '--time-zone-id',
      'Europe/London',
      '--start-time',
      '2027-03-20T09:00:00Z',
      '--recurrence',
      '{"NumberOfOnCalls":1,"RecurrenceMultiplier":1,"DailySettings":[{"HourOfDay":9,"MinuteOfHour":0}]}',
    );
    const shifts = await ssmContacts(
      'list-rotation-shifts',
      '--rotation-id',
      String(rotation.RotationArn),
      '--start-time',
      '2027-03-27T00:00:00Z',
      '--end-time',
      '2027-03-29T00:00:00Z',
    );

    // Assess
    expect(contact.ContactArn).toBe(contactArnOf(alias));
    expect(got).toMatchObject({ Name: 'phone', Type: 'SMS', ActivationStatus: 'ACTIVATED' });
    // London springs forward on 2027-03-28: 09:00 GMT (09:00Z), then 09:00 BST (08:00Z).
    // botocore prints timestamps as epoch seconds (numbers) in JSON output, or ISO strings with some settings.
    const instant = (value: string | number) =>
      new Date(typeof value === 'number' ? value * 1000 : value).toISOString();
    expect((shifts.RotationShifts as { StartTime: string | number }[]).map((s) => instant(s.StartTime))).toEqual([
      '2027-03-26T09:00:00.000Z',
      '2027-03-27T09:00:00.000Z',
      '2027-03-28T08:00:00.000Z',
    ]);
  });

  it.skipIf(!cliAvailable)('prints the ValidationException with the field, and exits non-zero', async () => {
    const failure = await ssmContacts(
      'create-contact',
      '--alias',
      'Not Valid',
      '--type',
      'PERSONAL',
      '--plan',
      '{}',
    ).catch((error: { stderr?: string; code?: number }) => error);
    // AWS CLI v1 exits 255 on a service error, v2 exits 254.
    expect([254, 255]).toContain((failure as { code?: number }).code);
    expect((failure as { stderr: string }).stderr).toMatch(/ValidationException.*Alias/);
  });
});
