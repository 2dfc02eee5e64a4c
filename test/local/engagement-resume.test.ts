/**
 * Paging survives `npm start` stopping: an engagement started before a stop (SIGTERM) or a crash (SIGKILL) resumes on
 * the next start from what DynamoDB holds. Every stage is paged exactly once (none skipped, none sent twice), a stage
 * whose time passed while the runtime was down is paged at once, a stage still ahead is paged at its time (not
 * earlier), and the engagement ends when its plan does.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ActivateContactChannelCommand,
  CreateContactChannelCommand,
  CreateContactCommand,
  DescribeEngagementCommand,
  SSMContactsClient,
  StartEngagementCommand,
  UpdateContactCommand,
} from '@aws-sdk/client-ssm-contacts';
import { afterAll, describe, it } from 'vitest';
import type { OutboundMessage } from '#core/contacts/messaging.ts';
import { dynamoDbLocalsOn } from '../../local/data-folder-lock.ts';
import { freePort } from '../../local/dynamodb-local.ts';
import {
  hasProcFs,
  isAlive,
  jvmOf,
  processTree,
  type Started,
  startLocalProcess,
  until,
} from '../support/local-process.ts';

/** LOCAL_TIME_SCALE: a plan minute lasts half a second (stages 15 s apart). */
const SCALE = 120;
const STAGE_MINUTES = 30;
const STAGE_MS = (STAGE_MINUTES * 60_000) / SCALE;

const outbox = (dataDir: string): OutboundMessage[] => {
  const file = join(dataDir, 'outbox.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as OutboundMessage);
};

describe('engagements resume after npm start stops', () => {
  const folders: string[] = [];
  const running: Started[] = [];
  afterAll(() => {
    for (const started of running)
      for (const pid of hasProcFs() ? processTree(started.child.pid!).reverse() : [started.child.pid!])
        if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    for (const folder of folders) {
      for (const pid of dynamoDbLocalsOn(folder)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      rmSync(folder, { recursive: true, force: true });
    }
  });

  // The two cases run side by side (own data folder, own port): each spends its minute waiting for stages to come due.
  it.for(['SIGTERM', 'SIGKILL'] as const)(
    'after %s: every stage pages once, an overdue stage at once, the next one on time, then it ends',
    { concurrent: true, timeout: 300_000 },
    async (signal, { expect }) => {
      // Prepare: a person whose plan pages one channel in three stages, STAGE_MS apart.
      const dataDir = mkdtempSync(join(tmpdir(), 'incident-manager-resume-'));
      folders.push(dataDir);
      const port = await freePort();
      const env = { PORT: String(port), DATA_DIR: dataDir, LOCAL_TIME_SCALE: String(SCALE) };
      const first = startLocalProcess(env);
      running.push(first);
      await first.waitFor('is running at');
      const client = new SSMContactsClient({
        endpoint: `http://127.0.0.1:${port}`,
        region: 'us-east-1',
        credentials: { accessKeyId: 'alice', secretAccessKey: 'local' },
      });
      const { ContactArn } = await client.send(
        new CreateContactCommand({ Alias: 'resumed', Type: 'PERSONAL', Plan: { Stages: [] } }),
      );
      const { ContactChannelArn } = await client.send(
        new CreateContactChannelCommand({
          ContactId: ContactArn,
          Name: 'mail',
          Type: 'EMAIL',
          DeliveryAddress: { SimpleAddress: 'resumed@example.com' },
        }),
      );
      const code = outbox(dataDir).find((m) => m.contactChannelArn === ContactChannelArn)!.activationCode!;
      await client.send(
        new ActivateContactChannelCommand({ ContactChannelId: ContactChannelArn, ActivationCode: code }),
      );
      const stage = {
        DurationInMinutes: STAGE_MINUTES,
        Targets: [{ ChannelTargetInfo: { ContactChannelId: ContactChannelArn } }],
      };
      await client.send(new UpdateContactCommand({ ContactId: ContactArn, Plan: { Stages: [stage, stage, stage] } }));
      const pages = () => outbox(dataDir).filter((m) => m.purpose === 'PAGE');

      // Act: the engagement pages its first stage, then the runtime stops.
      const { EngagementArn } = await client.send(
        new StartEngagementCommand({ ContactId: ContactArn, Sender: 'test', Subject: 'Disk full', Content: 'c' }),
      );
      const started = (await client.send(new DescribeEngagementCommand({ EngagementId: EngagementArn }))).StartTime!;
      const t0 = started.getTime();
      await until(() => pages().length === 1, 30_000, 'the first page');
      const jvm = jvmOf(dataDir)!.pid;
      const server = hasProcFs()
        ? processTree(first.child.pid!).find((pid) => pid !== first.child.pid && pid !== jvm)!
        : first.child.pid!;
      process.kill(server, signal);
      await until(() => !isAlive(jvm) && !isAlive(server), 30_000, 'the runtime and its DynamoDB Local to stop');
      // Down until the second stage is overdue.
      await until(() => Date.now() > t0 + STAGE_MS + 2000, 2 * STAGE_MS, 'the second stage to be due');
      const second = startLocalProcess(env);
      running.push(second);
      await second.waitFor('Resumed 1 engagement that was running');
      const resumedAt = Date.now();
      await until(
        async () =>
          (await client.send(new DescribeEngagementCommand({ EngagementId: EngagementArn }))).StopTime !== undefined,
        6 * STAGE_MS,
        'the engagement to end',
      );
      second.child.kill('SIGTERM');
      await second.exited;
      client.destroy();

      // Assess
      const paged = pages().filter((m) => m.engagementArn === EngagementArn);
      expect(paged).toHaveLength(3);
      expect(new Set(paged.map((m) => m.pageArn)).size).toBe(3);
      const [one, two, three] = paged.map((m) => m.createdTime) as [number, number, number];
      expect(one).toBeLessThan(t0 + STAGE_MS);
      // Overdue while down: paged as soon as the runtime was back, well before the third stage was due.
      expect(two).toBeGreaterThanOrEqual(t0 + STAGE_MS);
      expect(two).toBeLessThan(Math.max(resumedAt, t0 + STAGE_MS) + 5000);
      // Still ahead at the restart: paged at its time, not earlier.
      expect(three).toBeGreaterThanOrEqual(t0 + 2 * STAGE_MS);
    },
  );
});
