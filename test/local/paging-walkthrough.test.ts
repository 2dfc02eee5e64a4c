/**
 * The README's paging walk-through, as a user does it: the local runtime with a data directory and LOCAL_TIME_SCALE,
 * an engagement started with the AWS CLI, the page printed as an `[outbox] PAGE` line and listed by
 * `npm run outbox -- --json` (local/outbox-cli.ts reading `<data dir>/outbox.jsonl`), and acknowledged with the CLI
 * using the code from the outbox. The CLI steps are skipped when no `aws` is on PATH.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SSMContactsClient } from '@aws-sdk/client-ssm-contacts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { formatOutboxTable, type OutboxRow, outboxRows } from '../../local/outbox-cli.ts';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.ts';
import { eventually, person } from '../compat/engagements-helpers.ts';
import type { TestRuntime } from '../support/local-runtime.ts';

const run = promisify(execFile);
const cliAvailable = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;
const SCALE = 120;

describe('paging walk-through (local runtime, outbox file, npm run outbox, AWS CLI)', () => {
  let runtime: LocalRuntime;
  let dataDir: string;
  let client: SSMContactsClient;
  const printed: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'paging-'));
    runtime = await startLocalRuntime({
      port: 0,
      accountId: '123456789012',
      region: 'us-east-1',
      tableName: `walkthrough-${randomUUID()}`,
      dataDir,
      dynamodbEndpoint: inject('dynamodbEndpoint'),
      timeScale: SCALE,
      printMessage: (line) => printed.push(line),
    });
    client = new SSMContactsClient({
      endpoint: runtime.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'alice', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    client?.destroy();
    await runtime?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const cliEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: 'alice',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
  };
  const ssmContacts = async (...args: string[]) => {
    const { stdout } = await run('aws', ['ssm-contacts', ...args, '--endpoint-url', runtime.url, '--output', 'json'], {
      env: cliEnv,
      timeout: 30_000,
    });
    return stdout.trim() ? (JSON.parse(stdout) as Record<string, any>) : {};
  };
  const outboxJson = async (): Promise<OutboxRow[]> => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'local/outbox-cli.ts', '--json', '--pages'], {
      env: { ...process.env, DATA_DIR: dataDir, IN_MEMORY: '' },
      timeout: 30_000,
    });
    return JSON.parse(stdout) as OutboxRow[];
  };

  it.skipIf(!cliAvailable)(
    'starts an engagement with the CLI, shows the page, lists it with npm run outbox, acknowledges it with the CLI',
    async () => {
      // Prepare: a person whose plan pages email now and SMS 30 minutes later (15 s at this time scale)
      const pat = await person(runtime as TestRuntime, client, {
        prefix: 'pat',
        channels: [{ name: 'mail' }, { name: 'sms', type: 'SMS' }],
        stages: [
          { minutes: 30, channels: ['mail'] },
          { minutes: 2, channels: ['sms'] },
        ],
      });

      // Act
      const started = await ssmContacts(
        'start-engagement',
        '--contact-id',
        pat.arn,
        '--sender',
        'cli',
        '--subject',
        'Disk full',
        '--content',
        'db-1 is at 99%',
      );
      const line = await eventually(
        () => printed.find((l) => l.startsWith(`[outbox] PAGE email to ${pat.alias}`)),
        10_000,
        'the printed page',
      );
      const rows = await outboxJson();
      const row = rows.find((r) => r.contact === pat.alias)!;
      await ssmContacts(
        'accept-page',
        '--page-id',
        row.pageArn!,
        '--accept-type',
        'READ',
        '--accept-code',
        row.code!,
        '--accept-code-validation',
        'ENFORCE',
      );
      const receipts = await ssmContacts('list-page-receipts', '--page-id', row.pageArn!);
      const engagement = await ssmContacts('describe-engagement', '--engagement-id', started.EngagementArn);

      // Assess
      expect(line).toContain(`"Disk full" code ${row.code} page ${row.pageArn}`);
      expect(row).toMatchObject({
        type: 'PAGE',
        channelType: 'EMAIL',
        subject: 'Disk full',
        engagementArn: started.EngagementArn,
        attempt: 1,
      });
      expect(row.code).toMatch(/^\d{6}$/);
      expect(receipts.Receipts.map((r: { ReceiptType: string }) => r.ReceiptType)).toEqual(['SENT', 'READ']);
      expect(engagement.StopTime).toEqual(expect.any(Number)); // acknowledged: the plan (and its SMS stage) ended
      expect(printed.filter((l) => l.includes(`PAGE SMS to ${pat.alias}`))).toEqual([]);
    },
  );

  it('formats the outbox as a table with time, contact, channel, type, subject, code and page ARN', () => {
    // Prepare
    const text = [
      JSON.stringify({
        purpose: 'PAGE',
        channelType: 'VOICE',
        address: '+12065550100',
        contactArn: 'arn:aws:ssm-contacts:us-east-1:123456789012:contact/sam',
        contactChannelArn: 'arn:aws:ssm-contacts:us-east-1:123456789012:contact-channel/sam/c1',
        subject: 'Latency',
        text: '...',
        acceptCode: '246810',
        pageArn: 'arn:aws:ssm-contacts:us-east-1:123456789012:page/sam/p1',
        attempt: 2,
        createdTime: Date.UTC(2026, 0, 1),
      }),
      'not json',
    ].join('\n');

    // Act
    const table = formatOutboxTable(outboxRows(text)).split('\n');

    // Assess
    expect(table[0]).toMatch(/^TIME\s+CONTACT\s+CHANNEL\s+TYPE\s+SUBJECT\s+CODE\s+PAGE ARN$/);
    expect(table[1]).toMatch(
      /^2026-01-01T00:00:00.000Z\s+sam\s+VOICE \+12065550100\s+PAGE#2\s+Latency\s+246810\s+arn:aws:ssm-contacts:.*:page\/sam\/p1$/,
    );
    expect(table).toHaveLength(2);
  });
});
