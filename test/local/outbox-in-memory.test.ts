/**
 * `npm run outbox` with a runtime started in memory (`npm start -- --in-memory`): it lists what that runtime sent,
 * asked from the runtime itself (its messages never reach a file), and when no such runtime answers it says the
 * outbox is off and why instead of showing an old file or nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.ts';
import { createChannel, createContact } from '../compat/contacts-helpers.ts';
import { createPlan, startIncident } from '../compat/helpers.ts';
import { runScript } from '../support/local-process.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

function outbox(port: number, args: string[], script = 'local/outbox-cli.ts') {
  const { DATA_DIR: _ignored, ...env } = process.env;
  return runScript(script, args, { ...env, PORT: String(port), IN_MEMORY: '1' });
}

describe('npm run outbox and npm run events with an in-memory runtime', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime(); // no data folder: the outbox lives in memory only
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('lists the activation code the running in-memory runtime sent', async () => {
    // Prepare
    const contacts = runtime.contactsClient();
    const { arn } = await createContact(contacts);
    const channel = await createChannel(contacts, arn, { DeliveryAddress: { SimpleAddress: 'kim@example.com' } });
    const code = runtime.outbox.latest((m) => m.contactChannelArn === channel)?.activationCode;

    // Act
    const table = await outbox(runtime.port, []);
    const json = await outbox(runtime.port, ['--json']);

    // Assess
    expect(code).toMatch(/^\d{6}$/);
    expect(table.stdout).toMatch(new RegExp(`EMAIL kim@example.com\\s+ACTIVATION\\s+.*${code}`));
    expect(table.stderr).toContain(`the in-memory runtime at http://127.0.0.1:${runtime.port}`);
    expect(JSON.parse(json.stdout)).toContainEqual(expect.objectContaining({ address: 'kim@example.com', code }));
    expect(table.code).toBe(0);
  });

  it('npm run events lists the integration events the in-memory runtime put on its bus', async () => {
    // Prepare
    const plan = await createPlan(runtime.incidentsClient());
    await startIncident(runtime.incidentsClient(), plan.arn, { title: 'Queue backing up' });
    await runtime.changes.caughtUp();

    // Act
    const events = await outbox(runtime.port, [], 'local/events-cli.ts');

    // Assess
    expect(events.stdout).toMatch(/Incident Opened\s+\S+ "Queue backing up"/);
    expect(events.code).toBe(0);
  });

  it('says the outbox is off, and why, when no in-memory runtime answers', async () => {
    const result = await outbox(await freePort(), []);
    expect(result.stderr).toMatch(/The outbox is off: IN_MEMORY is set and no local runtime answers at/);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(1);
  });
});
