/**
 * Idempotency tokens are honoured before anything that depends on the current state: for every operation of both
 * APIs that carries a clientToken or IdempotencyToken, a retry with the same token and input answers exactly as the
 * first call did, and writes nothing, even after everything the request names was deleted in between (so the retry,
 * run afresh, would fail with ResourceNotFound, "already exists", "Region is already in the set", and so on).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTACTS_OPERATIONS } from '#core/contacts/api.ts';
import { INCIDENTS_OPERATIONS } from '#core/incidents/api.ts';
import { startTestRuntime, TEST_REGION, type TestRuntime } from '../support/local-runtime.ts';
import {
  ALL_SAMPLES,
  type Api,
  type Fixture,
  type Json,
  requestOf,
  type Sample,
  send,
} from '../support/operation-samples.ts';
import { createContact, createRotation, uniqueAlias } from './contacts-helpers.ts';
import { createPlan, itemCount, startIncident } from './helpers.ts';

/** The operations whose input has an idempotency token in the Smithy models (reference §7.7, plus the rotations'). */
const MODELLED_TOKEN_OPERATIONS = [
  'CreateReplicationSet',
  'CreateResponsePlan',
  'CreateTimelineEvent',
  'StartIncident',
  'UpdateDeletionProtection',
  'UpdateIncidentRecord',
  'UpdateRelatedItems',
  'UpdateReplicationSet',
  'UpdateResponsePlan',
  'UpdateTimelineEvent',
  'CreateContact',
  'CreateContactChannel',
  'CreateRotation',
  'CreateRotationOverride',
  'StartEngagement',
].sort();

const tokenOf = (input: Json) => input.clientToken ?? input.IdempotencyToken;
const TOKEN_SAMPLES = ALL_SAMPLES.filter(({ sample }) => tokenOf(sample(placeholderFixture())) !== undefined);

function placeholderFixture(): Fixture {
  return new Proxy({} as Fixture, { get: (_t, key) => (key === 'doomed' || key === 'pending' ? {} : 'x') });
}

describe('idempotency tokens come before state-dependent checks', () => {
  let runtime: TestRuntime;
  const call = (api: Api, operation: string, input: Json) => send(runtime, requestOf(api, operation, input));
  const must = async (api: Api, operation: string, input: Json) => {
    const response = await call(api, operation, input);
    if (response.status >= 300) throw new Error(`${operation}: ${response.status} ${response.text}`);
    return response.json ?? {};
  };

  /** The resources a token operation's sample names, created fresh (so deleting them harms no other case). */
  async function freshResources(options: { replicationSet: boolean }): Promise<Fixture> {
    const incidents = runtime.incidentsClient();
    const contacts = runtime.contactsClient();
    const sets = (await must('ssm-incidents', 'ListReplicationSets', {})) as { replicationSetArns: string[] };
    for (const arn of sets.replicationSetArns) await must('ssm-incidents', 'DeleteReplicationSet', { arn });
    const replicationSetArn = options.replicationSet
      ? String((await must('ssm-incidents', 'CreateReplicationSet', { regions: { [TEST_REGION]: {} } })).arn)
      : '';
    const plan = await createPlan(incidents);
    const incidentArn = await startIncident(incidents, plan.arn);
    const { eventId } = (await must('ssm-incidents', 'CreateTimelineEvent', {
      incidentRecordArn: incidentArn,
      eventTime: Date.now() / 1000,
      eventType: 'Custom Event',
      eventData: '"x"',
    })) as { eventId: string };
    const person = await createContact(contacts, { Alias: uniqueAlias('token') });
    const rotationArn = await createRotation(contacts, [person.arn]);
    return {
      planArn: plan.arn,
      planName: plan.name,
      incidentArn,
      eventId,
      replicationSetArn,
      contactArn: person.arn,
      rotationArn,
    } as Fixture;
  }

  /** Deletes every resource of the fixture that the input names (rotations before their members). */
  async function deleteNamed(input: Json, f: Fixture) {
    const named = JSON.stringify(input);
    if (named.includes(f.rotationArn)) await must('ssm-contacts', 'DeleteRotation', { RotationId: f.rotationArn });
    if (named.includes(f.contactArn)) {
      await must('ssm-contacts', 'DeleteRotation', { RotationId: f.rotationArn }).catch(() => undefined);
      await must('ssm-contacts', 'DeleteContact', { ContactId: f.contactArn });
    }
    if (named.includes(f.incidentArn)) await must('ssm-incidents', 'DeleteIncidentRecord', { arn: f.incidentArn });
    if (named.includes(f.planArn)) await must('ssm-incidents', 'DeleteResponsePlan', { arn: f.planArn });
    if (f.replicationSetArn && named.includes(f.replicationSetArn))
      await must('ssm-incidents', 'DeleteReplicationSet', { arn: f.replicationSetArn });
  }

  /** What a create made, when the name is the caller's: deleted too, so a retry that writes would re-create it. */
  async function deleteCreated(operation: string, output: Json) {
    if (operation === 'CreateResponsePlan') await must('ssm-incidents', 'DeleteResponsePlan', { arn: output.arn });
    if (operation === 'CreateReplicationSet') await must('ssm-incidents', 'DeleteReplicationSet', { arn: output.arn });
    if (operation === 'CreateContact') await must('ssm-contacts', 'DeleteContact', { ContactId: output.ContactArn });
    if (operation === 'CreateRotation')
      await must('ssm-contacts', 'DeleteRotation', { RotationId: output.RotationArn });
  }

  beforeAll(async () => {
    runtime = await startTestRuntime({ timeScale: 600 });
  });
  afterAll(() => runtime?.stop());

  it('covers exactly the operations whose model has a token, all of them in the operation tables', () => {
    expect(TOKEN_SAMPLES.map((s) => s.operation).sort()).toEqual(MODELLED_TOKEN_OPERATIONS);
    const served = new Set([...Object.keys(INCIDENTS_OPERATIONS), ...Object.keys(CONTACTS_OPERATIONS)]);
    for (const operation of MODELLED_TOKEN_OPERATIONS) expect(served.has(operation)).toBe(true);
  });

  it.each(TOKEN_SAMPLES.map((s) => [s.operation, s] as const))(
    '%s: a retry after the named resources were deleted gets the first answer and writes nothing',
    async (operation, { api, sample }: { api: Api; sample: Sample }) => {
      // Prepare
      const fixture = await freshResources({ replicationSet: operation !== 'CreateReplicationSet' });
      const input = sample(fixture);
      const first = await call(api, operation, input);
      expect(first.status, first.text).toBeLessThan(300);
      await deleteCreated(operation, first.json ?? {});
      await deleteNamed(input, fixture);
      await runtime.engagements.idle();
      const before = await itemCount(runtime);

      // Act
      const retry = await call(api, operation, input);

      // Assess
      expect({ status: retry.status, body: retry.json }).toEqual({ status: first.status, body: first.json });
      expect(await itemCount(runtime)).toBe(before);
    },
  );

  it('still answers ConflictException when the token comes back with other input after the state changed', async () => {
    // Prepare
    const fixture = await freshResources({ replicationSet: true });
    const clientToken = randomUUID();
    const add = (regionName: string) => ({
      arn: fixture.replicationSetArn,
      clientToken,
      actions: [{ addRegionAction: { regionName } }],
    });
    await must('ssm-incidents', 'UpdateReplicationSet', add('eu-west-1'));

    // Act
    const reused = await call('ssm-incidents', 'UpdateReplicationSet', add('eu-central-1'));
    const retried = await call('ssm-incidents', 'UpdateReplicationSet', add('eu-west-1'));

    // Assess
    expect(reused.headers.get('x-amzn-errortype')).toBe('ConflictException');
    expect(retried.status).toBe(204);
  });
});
