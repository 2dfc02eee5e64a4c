/**
 * The local runtime's DynamoDB Local, as `npm start` runs it:
 * - nothing it starts listens beyond loopback (checked on the listening sockets of its whole process tree);
 * - one DynamoDB Local per data folder: a second start on a folder in use is refused; a killed runtime takes its JVM
 *   with it; a JVM left on the folder by an earlier run (no owner) is stopped, with a log line;
 * - DynamoDB Local dying is noticed: it is restarted on the same data, with a log line, and the data is still there;
 *   when it cannot be restarted the runtime exits with the reason instead of answering 500 forever;
 * - a transaction is answered only once it is committed, so a JVM killed right after the answer keeps it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ScanCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { CreateResponsePlanCommand, ListResponsePlansCommand, SSMIncidentsClient } from '@aws-sdk/client-ssm-incidents';
import { afterAll, describe, expect, it } from 'vitest';
import { dynamoDbLocalsOn } from '../../local/data-folder-lock.ts';
import { freePort, startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import {
  dynamoDbLocalHome,
  launcherClasses,
  PREBUILT_LAUNCHER,
  prebuiltLauncherIsCurrent,
  sqliteNativeLibrary,
} from '../../local/java-launcher.ts';
import {
  hasProcFs,
  isAlive,
  isLoopback,
  jvmOf,
  listeningSockets,
  processTree,
  type Started,
  startLocalProcess,
  until,
} from '../support/local-process.ts';

const clientFor = (port: number) =>
  new SSMIncidentsClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'alice', secretAccessKey: 'local' },
  });

describe('DynamoDB Local under npm start', () => {
  const folders: string[] = [];
  const running: Started[] = [];
  const newFolder = () => {
    const folder = mkdtempSync(join(tmpdir(), 'incident-manager-ddb-'));
    folders.push(folder);
    return folder;
  };
  const start = (env: Record<string, string>) => {
    const started = startLocalProcess(env);
    running.push(started);
    return started;
  };
  afterAll(async () => {
    for (const started of running) {
      for (const pid of hasProcFs() ? processTree(started.child.pid!).reverse() : [started.child.pid!])
        if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    for (const folder of folders) {
      for (const pid of dynamoDbLocalsOn(folder)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it.skipIf(!hasProcFs())(
    'listens on loopback only, HTTP front and DynamoDB Local alike',
    async () => {
      // Prepare
      const dataDir = newFolder();
      const port = await freePort();
      const runtime = start({ PORT: String(port), DATA_DIR: dataDir });
      await runtime.waitFor('is running at');

      // Act
      const sockets = listeningSockets(processTree(runtime.child.pid!));

      // Assess
      const jvm = jvmOf(dataDir)!;
      expect(sockets.map((s) => s.port)).toEqual(expect.arrayContaining([port, jvm.port]));
      expect(sockets.filter((s) => !isLoopback(s.address))).toEqual([]);
      runtime.child.kill('SIGTERM');
      expect(await runtime.exited).toBe(0);
    },
    240_000,
  );

  it('keeps one DynamoDB Local per data folder: in use is refused, a killed runtime takes its JVM along, an orphan is stopped', async () => {
    // Prepare
    const dataDir = newFolder();
    const first = start({ PORT: String(await freePort()), DATA_DIR: dataDir });
    await first.waitFor('is running at');
    const firstJvm = jvmOf(dataDir)!;

    // Act: a second runtime on the same folder (another port).
    const second = start({ PORT: String(await freePort()), DATA_DIR: dataDir });
    const secondCode = await second.exited;

    // Assess
    expect(secondCode).toBe(1);
    expect(second.output()).toContain(`The data folder ${dataDir} is in use by another local Incident Manager`);
    expect(dynamoDbLocalsOn(dataDir)).toEqual([firstJvm.pid]);

    // Act: SIGKILL the runtime itself (the node process serving local/start.ts, not the tsx wrapper).
    const server = hasProcFs()
      ? processTree(first.child.pid!).find((pid) => pid !== first.child.pid && pid !== firstJvm.pid)!
      : first.child.pid!;
    process.kill(server, 'SIGKILL');

    // Assess: its DynamoDB Local notices and exits by itself.
    await until(() => !isAlive(firstJvm.pid), 30_000, 'the JVM of the killed runtime to exit');

    // Prepare: an orphan as earlier versions left them (the bare jar on the folder, no owner, no lock entry).
    const home = dynamoDbLocalHome();
    const orphan = spawn(
      'java',
      [
        `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
        '-jar',
        join(home, 'DynamoDBLocal.jar'),
        '-dbPath',
        dataDir,
        '-port',
        String(await freePort()),
        '-sharedDb',
      ],
      { stdio: 'ignore', detached: true },
    );
    orphan.unref();
    await until(() => dynamoDbLocalsOn(dataDir).includes(orphan.pid!), 30_000, 'the orphan to run');

    // Act
    const third = start({ PORT: String(await freePort()), DATA_DIR: dataDir });
    await third.waitFor('is running at');

    // Assess
    expect(third.output()).toContain(`Stopping DynamoDB Local (process ${orphan.pid}) left running on ${dataDir}`);
    expect(isAlive(orphan.pid!)).toBe(false);
    expect(dynamoDbLocalsOn(dataDir)).toEqual([jvmOf(dataDir)!.pid]);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  }, 360_000);

  it('restarts DynamoDB Local on the same data when it dies, and exits with the reason when it cannot', async () => {
    // Prepare
    const dataDir = newFolder();
    const port = await freePort();
    const runtime = start({ PORT: String(port), DATA_DIR: dataDir });
    await runtime.waitFor('is running at');
    const client = clientFor(port);
    await client.send(new CreateResponsePlanCommand({ name: 'survives', incidentTemplate: { title: 'T', impact: 3 } }));
    const jvm = jvmOf(dataDir)!;

    // Act: DynamoDB Local dies.
    process.kill(jvm.pid, 'SIGKILL');
    await runtime.waitFor('[dynamodb] DynamoDB Local is back');
    const plans = await client.send(new ListResponsePlansCommand({}));

    // Assess
    expect(runtime.output()).toContain(
      `[dynamodb] DynamoDB Local (process ${jvm.pid}) stopped unexpectedly (killed by SIGKILL); restarting it on port ${jvm.port} with the same data (${dataDir})`,
    );
    expect(plans.responsePlanSummaries?.map((p) => p.name)).toEqual(['survives']);

    // Act: it dies again, and its port is taken before it can come back.
    const restarted = jvmOf(dataDir)!;
    process.kill(restarted.pid, 'SIGKILL');
    let squatter: Server | undefined;
    await until(
      () =>
        new Promise<boolean>((resolve) => {
          const server = createServer();
          server.once('error', () => resolve(false));
          server.listen(restarted.port, '127.0.0.1', () => {
            squatter = server;
            resolve(true);
          });
        }),
      30_000,
      'the port to be free',
    );
    const code = await runtime.exited;
    squatter?.close();
    client.destroy();

    // Assess
    expect(code).toBe(1);
    expect(runtime.output()).toContain('could not be restarted');
    expect(runtime.output()).toContain('The local Incident Manager cannot work without DynamoDB Local: stopping.');
  }, 360_000);
});

describe('the DynamoDB Local launcher', () => {
  it('answers a transaction only once it is committed: one acknowledged just before a SIGKILL is there after a restart', async () => {
    // Prepare: DynamoDB Local on its own data folder. (DynamoDB Local's own main class answers TransactWriteItems
    // while its COMMIT still waits in the SQLite queue; with it, the last transaction below was lost every time.)
    const dataDir = mkdtempSync(join(tmpdir(), 'incident-manager-ddb-tx-'));
    const port = await freePort();
    let db = await startDynamoDbLocal({ dataDir, port });
    const client = new DynamoDBClient({
      endpoint: db.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      await client.send(
        new CreateTableCommand({
          TableName: 'acknowledged',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        }),
      );
      const acknowledged: string[] = [];
      const lost: string[] = [];

      // Act: transactions one after the other, and the JVM killed as soon as the last one is answered (three times:
      // the window is a few milliseconds wide).
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 10; i++) {
          const keys = [`plan-${round}-${i}`, `idempotency-${round}-${i}`];
          await client.send(
            new TransactWriteItemsCommand({
              TransactItems: keys.map((pk) => ({ Put: { TableName: 'acknowledged', Item: { pk: { S: pk } } } })),
            }),
          );
          acknowledged.push(...keys);
        }
        db.expectStop();
        process.kill(db.pid, 'SIGKILL');
        await until(() => !isAlive(db.pid), 30_000, 'the killed JVM to exit');
        db = await startDynamoDbLocal({ dataDir, port });
        const { Items = [] } = await client.send(new ScanCommand({ TableName: 'acknowledged', ConsistentRead: true }));
        const kept = new Set(Items.map((item) => item.pk?.S));
        lost.push(...acknowledged.filter((pk) => !kept.has(pk) && !lost.includes(pk)));
      }

      // Assess
      expect(lost).toEqual([]);
    } finally {
      client.destroy();
      await db.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('ships compiled from the current source, so a Java runtime without a compiler is enough', async () => {
    // Act
    const classes = await launcherClasses();

    // Assess: a failure here means the launcher source changed without `npm run build:launcher`.
    expect(prebuiltLauncherIsCurrent()).toBe(true);
    expect(classes).toBe(PREBUILT_LAUNCHER);
    // Java 11 bytecode (class file major version 55), so any Java that DynamoDB Local runs on can load it.
    const header = readFileSync(join(PREBUILT_LAUNCHER, 'LoopbackDynamoDbLocal.class'));
    expect(header.readUInt32BE(0)).toBe(0xcafebabe);
    expect(header.readUInt16BE(6)).toBe(55);
  });

  const sqliteLibrary = sqliteNativeLibrary(join(dynamoDbLocalHome(), 'DynamoDBLocal_lib'));
  it.skipIf(!hasProcFs() || !sqliteLibrary)(
    "loads SQLite from DynamoDB Local's own folder, so a killed JVM leaves no copy of it in the temp folder",
    async () => {
      // Act
      const db = await startDynamoDbLocal();
      let mapped: string[];
      try {
        mapped = readFileSync(`/proc/${db.pid}/maps`, 'utf8')
          .split('\n')
          .map((line) => line.split(/\s+/).at(-1) ?? '')
          .filter((file) => file.includes('sqlite'));
      } finally {
        await db.stop();
      }

      // Assess: DynamoDB Local's default copies it to the temp folder at each start and removes it only on a normal
      // exit (every JVM killed left about 1 MB behind).
      expect(new Set(mapped)).toEqual(new Set([sqliteLibrary]));
    },
  );
});
