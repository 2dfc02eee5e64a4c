/**
 * Incident records through the official client: StartIncident from a response plan, reading, listing with filters
 * and the SDK paginator, updating, deleting; deduplication of triggers (also under concurrency) and clientToken
 * idempotency.
 */
import {
  ConflictException,
  CreateTimelineEventCommand,
  DeleteIncidentRecordCommand,
  DeleteResponsePlanCommand,
  GetIncidentRecordCommand,
  GetTimelineEventCommand,
  type IncidentRecordSummary,
  ListIncidentRecordsCommand,
  type ListIncidentRecordsCommandInput,
  ListTagsForResourceCommand,
  paginateListIncidentRecords,
  ResourceNotFoundException,
  type SSMIncidentsClient,
  StartIncidentCommand,
  UpdateIncidentRecordCommand,
} from '@aws-sdk/client-ssm-incidents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planArnOf, principalOf, startTestRuntime, TEST_ACCOUNT, type TestRuntime } from '../support/local-runtime.ts';
import {
  allTimelineEvents,
  clockPasses,
  createPlan,
  eventDataOf,
  itemCount,
  startIncident,
  unique,
} from './helpers.ts';

const topic = (name: string) => `arn:aws:sns:us-east-1:${TEST_ACCOUNT}:${name}`;
const alarm = (name: string) => `arn:aws:cloudwatch:us-east-1:${TEST_ACCOUNT}:alarm:${name}`;

/** Every incident summary the filters select, through the SDK paginator. */
async function listAll(
  client: SSMIncidentsClient,
  input: ListIncidentRecordsCommandInput = {},
  pageSize?: number,
): Promise<IncidentRecordSummary[]> {
  const all: IncidentRecordSummary[] = [];
  for await (const page of paginateListIncidentRecords({ client, ...(pageSize ? { pageSize } : {}) }, input))
    all.push(...(page.incidentRecordSummaries ?? []));
  return all;
}

const createdByFilter = (...accessKeys: string[]) => ({
  key: 'createdBy',
  condition: { equals: { stringValues: accessKeys.map(principalOf) } },
});

describe('incident records', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime();
  });
  afterAll(() => runtime?.stop());

  describe('StartIncident and GetIncidentRecord', () => {
    it('builds the record from the template and the plan, with the call overriding title and impact', async () => {
      // Prepare
      const caller = unique('starter');
      const client = runtime.incidentsClient(caller);
      const dedupeString = unique('dedupe');
      const { name, arn: planArn } = await createPlan(client, {
        incidentTemplate: {
          title: 'template title',
          impact: 4,
          summary: 'template summary',
          dedupeString,
          notificationTargets: [{ snsTopicArn: topic('notices') }],
        },
        chatChannel: { chatbotSns: [topic('chat')] },
      });
      const before = Date.now();

      // Act
      const started = await client.send(
        new StartIncidentCommand({
          responsePlanArn: planArn,
          title: 'call title',
          impact: 1,
          triggerDetails: {
            source: 'com.example.monitor',
            timestamp: new Date('2026-01-02T03:04:05.678Z'),
            triggerArn: alarm('HighCpu'),
            rawData: '{"a":1}',
          },
        }),
      );
      const { incidentRecord: record } = await client.send(
        new GetIncidentRecordCommand({ arn: started.incidentRecordArn }),
      );
      const after = Date.now();

      // Assess
      expect(started.$metadata.httpStatusCode).toBe(200);
      expect(started.incidentRecordArn).toMatch(
        new RegExp(`^arn:aws:ssm-incidents::${TEST_ACCOUNT}:incident-record/${name}/[0-9a-f-]{36}$`),
      );
      expect(record).toMatchObject({
        arn: started.incidentRecordArn,
        title: 'call title',
        impact: 1,
        status: 'OPEN',
        summary: 'template summary',
        dedupeString,
        chatChannel: { chatbotSns: [topic('chat')] },
        notificationTargets: [{ snsTopicArn: topic('notices') }],
        lastModifiedBy: principalOf(caller),
        incidentRecordSource: {
          createdBy: principalOf(caller),
          source: 'com.example.monitor',
          resourceArn: alarm('HighCpu'),
        },
      });
      expect(record!.resolvedTime).toBeUndefined();
      expect(record!.creationTime).toBeInstanceOf(Date);
      expect(record!.lastModifiedTime).toBeInstanceOf(Date);
      expect(record!.creationTime!.getTime()).toBeGreaterThanOrEqual(before);
      expect(record!.creationTime!.getTime()).toBeLessThanOrEqual(after);
    });

    it('takes title and impact from the template when the call omits them, and marks a manual start as aws.ssm-incidents.custom', async () => {
      // Prepare
      const client = runtime.incidentsClient();
      const { arn: planArn } = await createPlan(client, { incidentTemplate: { title: 'from template', impact: 2 } });

      // Act
      const arn = await startIncident(client, planArn);
      const { incidentRecord } = await client.send(new GetIncidentRecordCommand({ arn }));

      // Assess
      expect(incidentRecord).toMatchObject({ title: 'from template', impact: 2, status: 'OPEN' });
      expect(incidentRecord!.incidentRecordSource!.source).toBe('aws.ssm-incidents.custom');
    });

    it('gives each manual incident of a plan without dedupe string its own non-empty dedupeString', async () => {
      // Prepare
      const client = runtime.incidentsClient();
      const { arn: planArn } = await createPlan(client);

      // Act
      const first = await startIncident(client, planArn);
      const second = await startIncident(client, planArn);
      const a = await client.send(new GetIncidentRecordCommand({ arn: first }));
      const b = await client.send(new GetIncidentRecordCommand({ arn: second }));

      // Assess
      expect(first).not.toBe(second);
      expect(a.incidentRecord!.dedupeString).toBeTruthy();
      expect(b.incidentRecord!.dedupeString).toBeTruthy();
      expect(a.incidentRecord!.dedupeString).not.toBe(b.incidentRecord!.dedupeString);
    });

    it("copies the template's incidentTags onto the incident as its tags", async () => {
      // Prepare
      const client = runtime.incidentsClient();
      const incidentTags = { team: 'payments', tier: '1' };
      const { arn: planArn } = await createPlan(client, {
        incidentTemplate: { title: 't', impact: 3, incidentTags },
        tags: { planOnly: 'yes' },
      });

      // Act
      const arn = await startIncident(client, planArn);
      const { tags } = await client.send(new ListTagsForResourceCommand({ resourceArn: arn }));

      // Assess
      expect(tags).toEqual(incidentTags);
    });

    it('accepts the responseplan/<name> ARN form that CloudWatch alarm actions use', async () => {
      // Prepare
      const client = runtime.incidentsClient();
      const { name } = await createPlan(client);

      // Act
      const arn = await startIncident(client, `arn:aws:ssm-incidents::${TEST_ACCOUNT}:responseplan/${name}`);

      // Assess
      expect(arn).toMatch(new RegExp(`:incident-record/${name}/`));
    });

    it('answers StartIncident on a missing plan with ResourceNotFoundException and creates nothing', async () => {
      // Prepare
      const client = runtime.incidentsClient();
      const before = await itemCount(runtime);

      // Act
      const error = await startIncident(client, planArnOf(unique('absent'))).catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect(await itemCount(runtime)).toBe(before);
    });

    it('answers GetIncidentRecord of an unknown incident with ResourceNotFoundException (404)', async () => {
      // Prepare
      const client = runtime.incidentsClient();
      const { name } = await createPlan(client);
      const arn = `arn:aws:ssm-incidents::${TEST_ACCOUNT}:incident-record/${name}/00000000-0000-0000-0000-000000000000`;

      // Act
      const error = await client.send(new GetIncidentRecordCommand({ arn })).catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect((error as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
      expect((error as ResourceNotFoundException).resourceType).toBe('INCIDENT_RECORD');
    });
  });

  describe('ListIncidentRecords', () => {
    it('lists newest first with the summary members', async () => {
      // Prepare
      const caller = unique('lister');
      const client = runtime.incidentsClient(caller);
      const { arn: planArn } = await createPlan(client);
      const started: string[] = [];
      for (let i = 0; i < 4; i++) {
        started.push(await startIncident(client, planArn, { title: `incident ${i}`, impact: 1 + i }));
        await clockPasses();
      }

      // Act
      const { incidentRecordSummaries, $metadata } = await client.send(
        new ListIncidentRecordsCommand({ filters: [createdByFilter(caller)] }),
      );

      // Assess
      expect($metadata.httpStatusCode).toBe(200);
      expect(incidentRecordSummaries!.map((s) => s.arn)).toEqual([...started].reverse());
      const newest = incidentRecordSummaries![0]!;
      expect(newest).toMatchObject({
        arn: started[3],
        title: 'incident 3',
        status: 'OPEN',
        impact: 4,
        incidentRecordSource: { createdBy: principalOf(caller), source: 'aws.ssm-incidents.custom' },
      });
      expect(newest.creationTime).toBeInstanceOf(Date);
    });

    it('ANDs filters across keys and ORs the values within one filter (status, impact, createdBy)', async () => {
      // Prepare
      const alice = unique('alice');
      const bob = unique('bob');
      const carol = unique('carol');
      const aliceClient = runtime.incidentsClient(alice);
      const bobClient = runtime.incidentsClient(bob);
      const carolClient = runtime.incidentsClient(carol);
      const { arn: planArn } = await createPlan(aliceClient);
      const a1 = await startIncident(aliceClient, planArn, { impact: 1 });
      const a2 = await startIncident(aliceClient, planArn, { impact: 2 });
      const a3 = await startIncident(aliceClient, planArn, { impact: 3 });
      const b1 = await startIncident(bobClient, planArn, { impact: 1 });
      const c1 = await startIncident(carolClient, planArn, { impact: 1 });
      await aliceClient.send(new UpdateIncidentRecordCommand({ arn: a2, status: 'RESOLVED' }));

      // Act
      const aliceAndBob = await listAll(aliceClient, { filters: [createdByFilter(alice, bob)] });
      const openImpact1or2 = await listAll(aliceClient, {
        filters: [
          createdByFilter(alice, bob),
          { key: 'status', condition: { equals: { stringValues: ['OPEN'] } } },
          { key: 'impact', condition: { equals: { integerValues: [1, 2] } } },
        ],
      });
      const resolvedOrOpenImpact2or3 = await listAll(aliceClient, {
        filters: [
          createdByFilter(alice),
          { key: 'status', condition: { equals: { stringValues: ['OPEN', 'RESOLVED'] } } },
          { key: 'impact', condition: { equals: { integerValues: [2, 3] } } },
        ],
      });
      const resolvedOnly = await listAll(aliceClient, {
        filters: [
          createdByFilter(alice, bob, carol),
          { key: 'status', condition: { equals: { stringValues: ['RESOLVED'] } } },
        ],
      });

      // Assess
      expect(new Set(aliceAndBob.map((s) => s.arn))).toEqual(new Set([a1, a2, a3, b1]));
      expect(new Set(openImpact1or2.map((s) => s.arn))).toEqual(new Set([a1, b1]));
      expect(new Set(resolvedOrOpenImpact2or3.map((s) => s.arn))).toEqual(new Set([a2, a3]));
      expect(resolvedOnly.map((s) => s.arn)).toEqual([a2]);
      expect(resolvedOnly[0]!.status).toBe('RESOLVED');
      expect(resolvedOnly[0]!.resolvedTime).toBeInstanceOf(Date);
      expect(aliceAndBob.map((s) => s.arn)).not.toContain(c1);
    });

    it('filters on creationTime before and after a point in time', async () => {
      // Prepare
      const caller = unique('timer');
      const client = runtime.incidentsClient(caller);
      const { arn: planArn } = await createPlan(client);
      const early = await startIncident(client, planArn);
      await clockPasses();
      const cut = new Date();
      await clockPasses(cut.getTime());
      const late = await startIncident(client, planArn);

      // Act
      const afterCut = await listAll(client, {
        filters: [createdByFilter(caller), { key: 'creationTime', condition: { after: cut } }],
      });
      const beforeCut = await listAll(client, {
        filters: [createdByFilter(caller), { key: 'creationTime', condition: { before: cut } }],
      });

      // Assess
      expect(afterCut.map((s) => s.arn)).toEqual([late]);
      expect(beforeCut.map((s) => s.arn)).toEqual([early]);
    });

    it('pages through every match with paginateListIncidentRecords and a small pageSize, without duplicates or omissions', async () => {
      // Prepare
      const caller = unique('pager');
      const client = runtime.incidentsClient(caller);
      const { arn: planArn } = await createPlan(client);
      const started = new Set<string>();
      for (let i = 0; i < 7; i++) started.add(await startIncident(client, planArn, { title: `paged ${i}` }));

      // Act
      const pageSizes: number[] = [];
      const collected: string[] = [];
      for await (const page of paginateListIncidentRecords(
        { client, pageSize: 2 },
        { filters: [createdByFilter(caller)] },
      )) {
        pageSizes.push(page.incidentRecordSummaries!.length);
        collected.push(...page.incidentRecordSummaries!.map((s) => s.arn!));
      }

      // Assess
      expect(pageSizes.every((size) => size <= 2)).toBe(true);
      expect(pageSizes.length).toBeGreaterThanOrEqual(4);
      expect(collected).toHaveLength(7);
      expect(new Set(collected)).toEqual(started);
    });

    it('continues a paged listing without duplicates or omissions while new incidents are started', async () => {
      // Prepare
      const caller = unique('moving');
      const client = runtime.incidentsClient(caller);
      const { arn: planArn } = await createPlan(client);
      const existing = new Set<string>();
      for (let i = 0; i < 5; i++) existing.add(await startIncident(client, planArn));
      const filters = [createdByFilter(caller)];
      const first = await client.send(new ListIncidentRecordsCommand({ filters, maxResults: 2 }));

      // Act
      await startIncident(client, planArn);
      const rest: string[] = [];
      let nextToken = first.nextToken;
      while (nextToken) {
        const page = await client.send(new ListIncidentRecordsCommand({ filters, maxResults: 2, nextToken }));
        rest.push(...page.incidentRecordSummaries!.map((s) => s.arn!));
        nextToken = page.nextToken;
      }

      // Assess
      const seen = [...first.incidentRecordSummaries!.map((s) => s.arn!), ...rest];
      expect(seen).toHaveLength(5);
      expect(new Set(seen)).toEqual(existing);
    });

    it('omits nextToken on the last page', async () => {
      // Prepare
      const caller = unique('last-page');
      const client = runtime.incidentsClient(caller);
      const { arn: planArn } = await createPlan(client);
      await startIncident(client, planArn);
      await startIncident(client, planArn);

      // Act
      const first = await client.send(
        new ListIncidentRecordsCommand({ filters: [createdByFilter(caller)], maxResults: 1 }),
      );
      const second = await client.send(
        new ListIncidentRecordsCommand({
          filters: [createdByFilter(caller)],
          maxResults: 1,
          nextToken: first.nextToken,
        }),
      );
      const whole = await client.send(
        new ListIncidentRecordsCommand({ filters: [createdByFilter(caller)], maxResults: 5 }),
      );

      // Assess
      expect(first.nextToken).toBeTruthy();
      expect(second.incidentRecordSummaries).toHaveLength(1);
      expect(whole.incidentRecordSummaries).toHaveLength(2);
      expect(whole.nextToken).toBeUndefined();
    });
  });

  describe('UpdateIncidentRecord and DeleteIncidentRecord', () => {
    it('updates title, summary, impact, chat channel and notification targets, recording the updating caller', async () => {
      // Prepare
      const creator = unique('creator');
      const editor = unique('editor');
      const { arn: planArn } = await createPlan(runtime.incidentsClient(creator));
      const arn = await startIncident(runtime.incidentsClient(creator), planArn);
      const { incidentRecord: before } = await runtime
        .incidentsClient(creator)
        .send(new GetIncidentRecordCommand({ arn }));
      await clockPasses();

      // Act
      const result = await runtime.incidentsClient(editor).send(
        new UpdateIncidentRecordCommand({
          arn,
          title: 'new title',
          summary: 'what we know',
          impact: 2,
          chatChannel: { chatbotSns: [topic('war-room')] },
          notificationTargets: [{ snsTopicArn: topic('pager') }, { snsTopicArn: topic('exec') }],
        }),
      );
      const { incidentRecord: after } = await runtime
        .incidentsClient(creator)
        .send(new GetIncidentRecordCommand({ arn }));

      // Assess
      expect(result.$metadata.httpStatusCode).toBe(204);
      expect(after).toMatchObject({
        title: 'new title',
        summary: 'what we know',
        impact: 2,
        status: 'OPEN',
        chatChannel: { chatbotSns: [topic('war-room')] },
        notificationTargets: [{ snsTopicArn: topic('pager') }, { snsTopicArn: topic('exec') }],
        lastModifiedBy: principalOf(editor),
        incidentRecordSource: { createdBy: principalOf(creator) },
      });
      expect(before!.lastModifiedBy).toBe(principalOf(creator));
      expect(after!.lastModifiedTime!.getTime()).toBeGreaterThan(before!.lastModifiedTime!.getTime());
      expect(after!.creationTime).toEqual(before!.creationTime);
    });

    it('applies concurrent updates of different fields of one incident, none failing with a conflict', async () => {
      // Prepare
      const client = runtime.incidentsClient();
      const { arn: planArn } = await createPlan(client, { incidentTemplate: { title: 'busy', impact: 3 } });
      const arn = await startIncident(client, planArn);

      // Act
      const results = await Promise.allSettled([
        client.send(new UpdateIncidentRecordCommand({ arn, title: 'retitled by the responder' })),
        client.send(new UpdateIncidentRecordCommand({ arn, summary: 'summary from the runbook' })),
        client.send(new UpdateIncidentRecordCommand({ arn, impact: 1 })),
        client.send(new UpdateIncidentRecordCommand({ arn, notificationTargets: [{ snsTopicArn: topic('bot') }] })),
        client.send(new UpdateIncidentRecordCommand({ arn, status: 'RESOLVED' })),
      ]);
      const { incidentRecord } = await client.send(new GetIncidentRecordCommand({ arn }));

      // Assess
      expect(
        results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason?.name),
      ).toEqual([]);
      expect(incidentRecord).toMatchObject({
        title: 'retitled by the responder',
        summary: 'summary from the runbook',
        impact: 1,
        notificationTargets: [{ snsTopicArn: topic('bot') }],
        status: 'RESOLVED',
      });
      const updates = await allTimelineEvents(client, {
        incidentRecordArn: arn,
        filters: [{ key: 'eventType', condition: { equals: { stringValues: ['SSM Incident Record Update'] } } }],
      });
      expect(updates).toHaveLength(5);
    });

    it('sets resolvedTime when the status becomes RESOLVED', async () => {
      // Prepare
      const client = runtime.incidentsClient();
      const { arn: planArn } = await createPlan(client);
      const arn = await startIncident(client, planArn);
      const before = Date.now();

      // Act
      await client.send(new UpdateIncidentRecordCommand({ arn, status: 'RESOLVED' }));
      const { incidentRecord } = await client.send(new GetIncidentRecordCommand({ arn }));

      // Assess
      expect(incidentRecord!.status).toBe('RESOLVED');
      expect(incidentRecord!.resolvedTime).toBeInstanceOf(Date);
      expect(incidentRecord!.resolvedTime!.getTime()).toBeGreaterThanOrEqual(before);
    });

    it('reopens a resolved incident with status OPEN, dropping its resolvedTime', async () => {
      // Prepare
      const client = runtime.incidentsClient();
      const { arn: planArn } = await createPlan(client);
      const arn = await startIncident(client, planArn);
      await client.send(new UpdateIncidentRecordCommand({ arn, status: 'RESOLVED' }));

      // Act
      await client.send(new UpdateIncidentRecordCommand({ arn, status: 'OPEN' }));
      const { incidentRecord } = await client.send(new GetIncidentRecordCommand({ arn }));

      // Assess
      expect(incidentRecord!.status).toBe('OPEN');
      expect(incidentRecord!.resolvedTime).toBeUndefined();
    });

    it('removes the chat channel of an incident with chatChannel {empty:{}}', async () => {
      // Prepare
      const client = runtime.incidentsClient();
      const { arn: planArn } = await createPlan(client, { chatChannel: { chatbotSns: [topic('chat')] } });
      const arn = await startIncident(client, planArn);

      // Act
      await client.send(new UpdateIncidentRecordCommand({ arn, chatChannel: { empty: {} } }));
      const { incidentRecord } = await client.send(new GetIncidentRecordCommand({ arn }));

      // Assess
      expect(incidentRecord!.chatChannel?.chatbotSns).toBeUndefined();
    });

    it('keeps incidents readable and updatable after their response plan is deleted', async () => {
      // Prepare
      const client = runtime.incidentsClient();
      const { arn: planArn } = await createPlan(client, { incidentTemplate: { title: 'orphan', impact: 3 } });
      const arn = await startIncident(client, planArn);
      await client.send(new DeleteResponsePlanCommand({ arn: planArn }));

      // Act
      await client.send(new UpdateIncidentRecordCommand({ arn, status: 'RESOLVED' }));
      const { incidentRecord } = await client.send(new GetIncidentRecordCommand({ arn }));

      // Assess
      expect(incidentRecord).toMatchObject({ arn, title: 'orphan', status: 'RESOLVED' });
    });

    it('answers UpdateIncidentRecord of an unknown incident with ResourceNotFoundException', async () => {
      // Prepare
      const client = runtime.incidentsClient();
      const { name } = await createPlan(client);

      // Act
      const error = await client
        .send(
          new UpdateIncidentRecordCommand({
            arn: `arn:aws:ssm-incidents::${TEST_ACCOUNT}:incident-record/${name}/11111111-2222-3333-4444-555555555555`,
            title: 'x',
          }),
        )
        .catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(ResourceNotFoundException);
    });

    it('deletes an incident (204) so Get finds nothing, and deleting it again succeeds', async () => {
      // Prepare
      const caller = unique('deleter');
      const client = runtime.incidentsClient(caller);
      const { arn: planArn } = await createPlan(client);
      const arn = await startIncident(client, planArn);

      // Act
      const deleted = await client.send(new DeleteIncidentRecordCommand({ arn }));
      const again = await client.send(new DeleteIncidentRecordCommand({ arn }));

      // Assess
      expect(deleted.$metadata.httpStatusCode).toBe(204);
      expect(again.$metadata.httpStatusCode).toBe(204);
      await expect(client.send(new GetIncidentRecordCommand({ arn }))).rejects.toBeInstanceOf(
        ResourceNotFoundException,
      );
      expect(await listAll(client, { filters: [createdByFilter(caller)] })).toEqual([]);
      expect(await allTimelineEvents(client, { incidentRecordArn: arn })).toEqual([]);
    });
  });

  describe('deduplication', () => {
    it('lets the next trigger open a new incident after the open incident holding the dedupe string was deleted', async () => {
      // Prepare
      const client = runtime.incidentsClient();
      const { arn: planArn } = await createPlan(client, {
        incidentTemplate: { title: 'deleted while open', impact: 3, dedupeString: unique('deleted') },
      });
      const first = await startIncident(client, planArn);
      await client.send(new DeleteIncidentRecordCommand({ arn: first }));

      // Act
      const second = await startIncident(client, planArn);

      // Assess
      expect(second).not.toBe(first);
      const { incidentRecord } = await client.send(new GetIncidentRecordCommand({ arn: second }));
      expect(incidentRecord!.status).toBe('OPEN');
    });

    it('returns the open incident with the same dedupe string instead of creating one, and records the trigger on it', async () => {
      // Prepare
      const caller = unique('deduper');
      const client = runtime.incidentsClient(caller);
      const { arn: planArn } = await createPlan(client, {
        incidentTemplate: { title: 'db down', impact: 2, dedupeString: unique('db') },
      });
      const first = await startIncident(client, planArn);

      // Act
      const second = await startIncident(client, planArn, {
        triggerDetails: { source: 'com.example.monitor', timestamp: new Date(), rawData: 'again' },
      });

      // Assess
      expect(second).toBe(first);
      expect(await listAll(client, { filters: [createdByFilter(caller)] })).toHaveLength(1);
      const triggers = await allTimelineEvents(client, {
        incidentRecordArn: first,
        filters: [{ key: 'eventType', condition: { equals: { stringValues: ['SSM Incident Trigger'] } } }],
      });
      expect(triggers).toHaveLength(2);
      const data = await Promise.all(
        triggers.map(async (t) =>
          eventDataOf(
            (await client.send(new GetTimelineEventCommand({ incidentRecordArn: first, eventId: t.eventId }))).event!
              .eventData,
          ),
        ),
      );
      expect(data.map((d) => d.createdIncident).sort()).toEqual([false, true]);
      expect(data.find((d) => d.createdIncident === false)).toMatchObject({
        rawData: 'again',
        incidentSource: 'com.example.monitor',
      });
    });

    it('creates exactly one incident from 50 concurrent StartIncident calls, with 50 trigger events on it', async () => {
      // Prepare
      const caller = unique('storm');
      const client = runtime.incidentsClient(caller);
      const { arn: planArn } = await createPlan(client, {
        incidentTemplate: { title: 'alarm storm', impact: 1, dedupeString: unique('storm') },
      });

      // Act
      const arns = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          startIncident(client, planArn, {
            triggerDetails: { source: 'com.example.storm', timestamp: new Date(), rawData: `trigger ${i}` },
          }),
        ),
      );

      // Assess
      expect(new Set(arns).size).toBe(1);
      const incidents = await listAll(client, { filters: [createdByFilter(caller)] });
      expect(incidents.map((s) => s.arn)).toEqual([arns[0]]);
      const triggers = await allTimelineEvents(client, {
        incidentRecordArn: arns[0]!,
        filters: [{ key: 'eventType', condition: { equals: { stringValues: ['SSM Incident Trigger'] } } }],
      });
      expect(triggers).toHaveLength(50);
      const created = await Promise.all(
        triggers.map(
          async (t) =>
            eventDataOf(
              (await client.send(new GetTimelineEventCommand({ incidentRecordArn: arns[0]!, eventId: t.eventId })))
                .event!.eventData,
            ).createdIncident,
        ),
      );
      expect(created.filter((c) => c === true)).toHaveLength(1);
      expect(created.filter((c) => c === false)).toHaveLength(49);
    });

    it('opens a new incident for the same dedupe string once the first one is resolved', async () => {
      // Prepare
      const caller = unique('reopen');
      const client = runtime.incidentsClient(caller);
      const { arn: planArn } = await createPlan(client, {
        incidentTemplate: { title: 'flapping', impact: 3, dedupeString: unique('flap') },
      });
      const first = await startIncident(client, planArn);
      await client.send(new UpdateIncidentRecordCommand({ arn: first, status: 'RESOLVED' }));

      // Act
      const second = await startIncident(client, planArn);
      const third = await startIncident(client, planArn);

      // Assess
      expect(second).not.toBe(first);
      expect(third).toBe(second);
      const incidents = await listAll(client, { filters: [createdByFilter(caller)] });
      expect(new Set(incidents.map((s) => s.arn))).toEqual(new Set([first, second]));
    });

    it('deduplicates repeated triggers of the same alarm while its incident is open, even without a dedupe string', async () => {
      // Prepare
      const caller = unique('alarm');
      const client = runtime.incidentsClient(caller);
      const { arn: planArn } = await createPlan(client);
      const triggerArn = alarm(unique('Latency'));
      const trigger = () => ({ source: 'aws.cloudwatch', timestamp: new Date(), triggerArn });

      // Act
      const first = await startIncident(client, planArn, { triggerDetails: trigger() });
      const second = await startIncident(client, planArn, { triggerDetails: trigger() });
      const otherAlarm = await startIncident(client, planArn, {
        triggerDetails: { ...trigger(), triggerArn: alarm(unique('Errors')) },
      });

      // Assess
      expect(second).toBe(first);
      expect(otherAlarm).not.toBe(first);
      expect(await listAll(client, { filters: [createdByFilter(caller)] })).toHaveLength(2);
    });
  });

  describe('clientToken idempotency', () => {
    it('returns the first result for a repeated StartIncident clientToken and writes nothing more', async () => {
      // Prepare
      const caller = unique('idem');
      const client = runtime.incidentsClient(caller);
      const { arn: planArn } = await createPlan(client);
      const clientToken = unique('token');
      const first = await startIncident(client, planArn, { clientToken, title: 'once' });
      const countBefore = await itemCount(runtime);

      // Act
      const second = await startIncident(client, planArn, { clientToken, title: 'once' });

      // Assess
      expect(second).toBe(first);
      expect(await itemCount(runtime)).toBe(countBefore);
      expect((await listAll(client, { filters: [createdByFilter(caller)] })).map((s) => s.arn)).toEqual([first]);
    });

    it('rejects a StartIncident clientToken reused with different input with ConflictException (409)', async () => {
      // Prepare
      const caller = unique('idem-conflict');
      const client = runtime.incidentsClient(caller);
      const { arn: planArn } = await createPlan(client);
      const clientToken = unique('token');
      await startIncident(client, planArn, { clientToken, title: 'first' });
      const countBefore = await itemCount(runtime);

      // Act
      const error = await startIncident(client, planArn, { clientToken, title: 'different' }).catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(ConflictException);
      expect((error as ConflictException).$metadata.httpStatusCode).toBe(409);
      expect(await itemCount(runtime)).toBe(countBefore);
    });

    it('returns the first eventId for a repeated CreateTimelineEvent clientToken and keeps one event', async () => {
      // Prepare
      const client = runtime.incidentsClient();
      const { arn: planArn } = await createPlan(client);
      const incidentRecordArn = await startIncident(client, planArn);
      const input = {
        incidentRecordArn,
        clientToken: unique('token'),
        eventTime: new Date(),
        eventType: 'Custom Event',
        eventData: 'only once',
      };
      const first = await client.send(new CreateTimelineEventCommand(input));
      const countBefore = await itemCount(runtime);

      // Act
      const second = await client.send(new CreateTimelineEventCommand(input));
      const conflict = await client
        .send(new CreateTimelineEventCommand({ ...input, eventData: 'something else' }))
        .catch((e: unknown) => e);

      // Assess
      expect(second.eventId).toBe(first.eventId);
      expect(await itemCount(runtime)).toBe(countBefore);
      expect(conflict).toBeInstanceOf(ConflictException);
      const custom = await allTimelineEvents(client, {
        incidentRecordArn,
        filters: [{ key: 'eventType', condition: { equals: { stringValues: ['Custom Event'] } } }],
      });
      expect(custom.map((e) => e.eventId)).toEqual([first.eventId]);
    });

    it('applies a repeated UpdateIncidentRecord clientToken once and rejects it with different input', async () => {
      // Prepare
      const client = runtime.incidentsClient();
      const { arn: planArn } = await createPlan(client);
      const arn = await startIncident(client, planArn);
      const clientToken = unique('token');
      await client.send(new UpdateIncidentRecordCommand({ arn, clientToken, title: 'updated once' }));
      const countBefore = await itemCount(runtime);

      // Act
      const repeated = await client.send(new UpdateIncidentRecordCommand({ arn, clientToken, title: 'updated once' }));
      const conflict = await client
        .send(new UpdateIncidentRecordCommand({ arn, clientToken, title: 'updated twice' }))
        .catch((e: unknown) => e);

      // Assess
      expect(repeated.$metadata.httpStatusCode).toBe(204);
      expect(conflict).toBeInstanceOf(ConflictException);
      expect(await itemCount(runtime)).toBe(countBefore);
      const { incidentRecord } = await client.send(new GetIncidentRecordCommand({ arn }));
      expect(incidentRecord!.title).toBe('updated once');
    });
  });
});
