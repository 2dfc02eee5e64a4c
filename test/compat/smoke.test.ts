import { CreateResponsePlanCommand, GetResponsePlanCommand, ResourceNotFoundException } from '@aws-sdk/client-ssm-incidents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planArnOf, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

describe('local runtime smoke', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime();
  });
  afterAll(() => runtime?.stop());

  it('creates and reads a response plan through the official client', async () => {
    const client = runtime.incidentsClient();
    await client.send(new CreateResponsePlanCommand({ name: 'smoke', incidentTemplate: { title: 'T', impact: 3 } }));
    const plan = await client.send(new GetResponsePlanCommand({ arn: planArnOf('smoke') }));
    expect(plan.incidentTemplate).toEqual({ title: 'T', impact: 3 });
    await expect(client.send(new GetResponsePlanCommand({ arn: planArnOf('nope') }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});
