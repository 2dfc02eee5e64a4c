/**
 * Response plans through the official client: Create/Get/List/Update/Delete with every member the model has,
 * and the errors a caller sees (duplicate name, missing plan).
 */
import {
  ConflictException,
  CreateResponsePlanCommand,
  type CreateResponsePlanCommandInput,
  DeleteResponsePlanCommand,
  GetIncidentRecordCommand,
  GetResponsePlanCommand,
  ListTagsForResourceCommand,
  paginateListResponsePlans,
  ResourceNotFoundException,
  type ResponsePlanSummary,
  UpdateResponsePlanCommand,
} from '@aws-sdk/client-ssm-incidents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planArnOf, startTestRuntime, TEST_ACCOUNT, type TestRuntime } from '../support/local-runtime.ts';
import { createPlan, startIncident, unique } from './helpers.ts';

const contact = (alias: string) => `arn:aws:ssm-contacts:us-east-1:${TEST_ACCOUNT}:contact/${alias}`;
const topic = (name: string) => `arn:aws:sns:us-east-1:${TEST_ACCOUNT}:${name}`;

/** A plan input with every optional member set. */
const fullPlan = (name: string): CreateResponsePlanCommandInput => ({
  name,
  displayName: `Display ${name}`,
  incidentTemplate: {
    title: 'Database unavailable',
    impact: 2,
    summary: 'The orders database refuses connections.',
    dedupeString: `dedupe-${name}`,
    notificationTargets: [{ snsTopicArn: topic('incident-notices') }],
    incidentTags: { team: 'storage', severity: 'high' },
  },
  chatChannel: { chatbotSns: [topic('chat-1'), topic('chat-2')] },
  engagements: [contact('alice'), contact('on-call-escalation')],
  actions: [
    {
      ssmAutomation: {
        roleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/IncidentRunbookRole`,
        documentName: 'AWSIncidents-CriticalIncidentRunbookTemplate',
        documentVersion: '$DEFAULT',
        targetAccount: 'RESPONSE_PLAN_OWNER_ACCOUNT',
        parameters: { Environment: ['prod'], Regions: ['us-east-1', 'eu-west-1'] },
        dynamicParameters: {
          IncidentArn: { variable: 'INCIDENT_RECORD_ARN' },
          Resources: { variable: 'INVOLVED_RESOURCES' },
        },
      },
    },
  ],
  integrations: [
    {
      pagerDutyConfiguration: {
        name: 'pd-orders',
        secretId: 'pagerduty/orders',
        pagerDutyIncidentConfiguration: { serviceId: 'PSERVICE1' },
      },
    },
  ],
  tags: { owner: 'platform', cost: '42' },
});

describe('response plans', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime();
  });
  afterAll(() => runtime?.stop());

  it('creates a plan with every member and returns it unchanged from GetResponsePlan (tags only via ListTagsForResource)', async () => {
    // Prepare
    const client = runtime.incidentsClient();
    const name = unique('full');
    const input = fullPlan(name);

    // Act
    const created = await client.send(new CreateResponsePlanCommand(input));
    const plan = await client.send(new GetResponsePlanCommand({ arn: created.arn }));
    const tags = await client.send(new ListTagsForResourceCommand({ resourceArn: created.arn }));

    // Assess
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.arn).toBe(planArnOf(name));
    expect(plan.$metadata.httpStatusCode).toBe(200);
    expect(plan).toMatchObject({
      arn: planArnOf(name),
      name,
      displayName: input.displayName,
      incidentTemplate: input.incidentTemplate,
      chatChannel: input.chatChannel,
      engagements: input.engagements,
      actions: input.actions,
      integrations: input.integrations,
    });
    expect(plan).not.toHaveProperty('tags');
    expect(tags.tags).toEqual(input.tags);
  });

  it('rejects a second plan with the same name with ConflictException (409) and keeps the first', async () => {
    // Prepare
    const client = runtime.incidentsClient();
    const { name, arn } = await createPlan(client, { incidentTemplate: { title: 'first', impact: 1 } });

    // Act
    const error = await client
      .send(new CreateResponsePlanCommand({ name, incidentTemplate: { title: 'second', impact: 5 } }))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ConflictException);
    expect((error as ConflictException).$metadata.httpStatusCode).toBe(409);
    const plan = await client.send(new GetResponsePlanCommand({ arn }));
    expect(plan.incidentTemplate).toEqual({ title: 'first', impact: 1 });
  });

  it('answers a CreateResponsePlan retried with the same clientToken with the same ARN instead of a conflict', async () => {
    // Prepare
    const client = runtime.incidentsClient();
    const name = unique('retried');
    const input = { name, clientToken: unique('token'), incidentTemplate: { title: 'retry me', impact: 2 } };
    const first = await client.send(new CreateResponsePlanCommand(input));

    // Act
    const retried = await client.send(new CreateResponsePlanCommand(input));
    const otherToken = await client
      .send(new CreateResponsePlanCommand({ ...input, clientToken: unique('token') }))
      .catch((e: unknown) => e);

    // Assess
    expect(retried.arn).toBe(first.arn);
    expect(otherToken).toBeInstanceOf(ConflictException);
  });

  it('answers GetResponsePlan of a missing plan with ResourceNotFoundException (404) naming the plan', async () => {
    // Prepare
    const client = runtime.incidentsClient();
    const arn = planArnOf(unique('missing'));

    // Act
    const error = await client.send(new GetResponsePlanCommand({ arn })).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    const notFound = error as ResourceNotFoundException;
    expect(notFound.$metadata.httpStatusCode).toBe(404);
    expect(notFound.resourceType).toBe('RESPONSE_PLAN');
    expect(notFound.resourceIdentifier).toBe(arn);
    expect(notFound.message).toContain(arn);
  });

  it('lists plan summaries (arn, name, displayName) across pages of the SDK paginator without duplicates', async () => {
    // Prepare
    const client = runtime.incidentsClient();
    const prefix = unique('listed');
    const names = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`, `${prefix}-d`, `${prefix}-e`];
    for (const name of names) await createPlan(client, { name, displayName: `Shown ${name}` });

    // Act
    const summaries: ResponsePlanSummary[] = [];
    let pages = 0;
    for await (const page of paginateListResponsePlans({ client, pageSize: 2 }, {})) {
      pages++;
      expect(page.responsePlanSummaries!.length).toBeLessThanOrEqual(2);
      summaries.push(...page.responsePlanSummaries!);
    }

    // Assess
    const arns = summaries.map((s) => s.arn);
    expect(new Set(arns).size).toBe(arns.length);
    expect(pages).toBeGreaterThanOrEqual(3);
    const mine = summaries.filter((s) => s.name!.startsWith(prefix));
    expect(mine).toEqual(names.map((name) => ({ arn: planArnOf(name), name, displayName: `Shown ${name}` })));
  });

  it('updates the flattened template members, displayName, engagements, actions and integrations, keeping the rest', async () => {
    // Prepare
    const client = runtime.incidentsClient();
    const name = unique('update');
    const input = fullPlan(name);
    await client.send(new CreateResponsePlanCommand(input));
    const arn = planArnOf(name);
    const newAction = {
      ssmAutomation: {
        roleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/OtherRole`,
        documentName: 'My-Runbook',
        parameters: { Mode: ['fast'] },
      },
    };

    // Act
    const updated = await client.send(
      new UpdateResponsePlanCommand({
        arn,
        displayName: 'Renamed',
        incidentTemplateTitle: 'Orders degraded',
        incidentTemplateImpact: 4,
        incidentTemplateSummary: 'Slow responses',
        incidentTemplateDedupeString: 'orders-slow',
        incidentTemplateNotificationTargets: [{ snsTopicArn: topic('other-notices') }],
        incidentTemplateTags: { team: 'orders' },
        engagements: [contact('bob')],
        actions: [newAction],
        integrations: [
          {
            pagerDutyConfiguration: {
              name: 'pd-2',
              secretId: 'pagerduty/other',
              pagerDutyIncidentConfiguration: { serviceId: 'PSERVICE2' },
            },
          },
        ],
      }),
    );
    const plan = await client.send(new GetResponsePlanCommand({ arn }));

    // Assess
    expect(updated.$metadata.httpStatusCode).toBe(204);
    expect(plan.displayName).toBe('Renamed');
    expect(plan.incidentTemplate).toEqual({
      title: 'Orders degraded',
      impact: 4,
      summary: 'Slow responses',
      dedupeString: 'orders-slow',
      notificationTargets: [{ snsTopicArn: topic('other-notices') }],
      incidentTags: { team: 'orders' },
    });
    expect(plan.engagements).toEqual([contact('bob')]);
    expect(plan.actions).toEqual([newAction]);
    expect(plan.integrations![0]!.pagerDutyConfiguration!.name).toBe('pd-2');
    // Not named in the update: unchanged.
    expect(plan.chatChannel).toEqual(input.chatChannel);
    const tags = await client.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    expect(tags.tags).toEqual(input.tags);
  });

  it('clears the template incidentTags with an empty incidentTemplateTags map', async () => {
    // Prepare
    const client = runtime.incidentsClient();
    const { arn } = await createPlan(client, { incidentTemplate: { title: 't', impact: 3, incidentTags: { a: '1' } } });

    // Act
    await client.send(new UpdateResponsePlanCommand({ arn, incidentTemplateTags: {} }));
    const plan = await client.send(new GetResponsePlanCommand({ arn }));
    const incidentArn = await startIncident(client, arn);

    // Assess
    expect(plan.incidentTemplate?.incidentTags).toBeUndefined();
    expect((await client.send(new ListTagsForResourceCommand({ resourceArn: incidentArn }))).tags).toEqual({});
  });

  it('removes the chat channel when UpdateResponsePlan sends chatChannel {empty:{}}', async () => {
    // Prepare
    const client = runtime.incidentsClient();
    const { arn } = await createPlan(client, { chatChannel: { chatbotSns: [topic('chat-room')] } });
    const before = await client.send(new GetResponsePlanCommand({ arn }));

    // Act
    await client.send(new UpdateResponsePlanCommand({ arn, chatChannel: { empty: {} } }));
    const after = await client.send(new GetResponsePlanCommand({ arn }));

    // Assess
    expect(before.chatChannel).toEqual({ chatbotSns: [topic('chat-room')] });
    expect(after.chatChannel?.chatbotSns).toBeUndefined();
  });

  it('uses the updated template for incidents started after the update', async () => {
    // Prepare
    const client = runtime.incidentsClient();
    const { arn } = await createPlan(client, { incidentTemplate: { title: 'old title', impact: 5 } });
    await client.send(
      new UpdateResponsePlanCommand({ arn, incidentTemplateTitle: 'new title', incidentTemplateImpact: 1 }),
    );

    // Act
    const incidentArn = await startIncident(client, arn);
    const { incidentRecord } = await client.send(new GetIncidentRecordCommand({ arn: incidentArn }));

    // Assess
    expect(incidentRecord).toMatchObject({ title: 'new title', impact: 1 });
  });

  it('answers UpdateResponsePlan of a missing plan with ResourceNotFoundException', async () => {
    // Prepare
    const client = runtime.incidentsClient();

    // Act
    const error = await client
      .send(new UpdateResponsePlanCommand({ arn: planArnOf(unique('ghost')), displayName: 'x' }))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });

  it('deletes a plan (204) so it can no longer be read, listed or used, and deleting it again succeeds', async () => {
    // Prepare
    const client = runtime.incidentsClient();
    const { name, arn } = await createPlan(client);

    // Act
    const deleted = await client.send(new DeleteResponsePlanCommand({ arn }));
    const deletedAgain = await client.send(new DeleteResponsePlanCommand({ arn }));

    // Assess
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(deletedAgain.$metadata.httpStatusCode).toBe(204);
    await expect(client.send(new GetResponsePlanCommand({ arn }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(startIncident(client, arn)).rejects.toBeInstanceOf(ResourceNotFoundException);
    const listed: string[] = [];
    for await (const page of paginateListResponsePlans({ client }, {}))
      listed.push(...page.responsePlanSummaries!.map((s) => s.name!));
    expect(listed).not.toContain(name);
  });

  it('succeeds on DeleteResponsePlan of a plan that never existed', async () => {
    // Prepare
    const client = runtime.incidentsClient();

    // Act
    const result = await client.send(new DeleteResponsePlanCommand({ arn: planArnOf(unique('never')) }));

    // Assess
    expect(result.$metadata.httpStatusCode).toBe(204);
  });

  it('lets a name be reused after its plan was deleted', async () => {
    // Prepare
    const client = runtime.incidentsClient();
    const { name, arn } = await createPlan(client, { incidentTemplate: { title: 'first life', impact: 2 } });
    await client.send(new DeleteResponsePlanCommand({ arn }));

    // Act
    await createPlan(client, { name, incidentTemplate: { title: 'second life', impact: 4 } });
    const plan = await client.send(new GetResponsePlanCommand({ arn }));

    // Assess
    expect(plan.incidentTemplate).toEqual({ title: 'second life', impact: 4 });
  });
});
