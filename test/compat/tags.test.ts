/**
 * Tags through the official client on response plans and incident records: TagResource (POST /tags/{arn}),
 * UntagResource (DELETE /tags/{arn}?tagKeys=a&tagKeys=b) and ListTagsForResource (GET /tags/{arn}), where the
 * SDK percent-encodes the whole ARN into the path; the tag quota and the reserved `aws:` prefix.
 */
import {
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  type SSMIncidentsClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateIncidentRecordCommand,
  UpdateResponsePlanCommand,
  ValidationException,
} from '@aws-sdk/client-ssm-incidents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planArnOf, startTestRuntime, TEST_ACCOUNT, type TestRuntime } from '../support/local-runtime.ts';
import { createPlan, itemCount, rawRequest, startIncident, unique } from './helpers.ts';

const tagsOf = async (client: SSMIncidentsClient, resourceArn: string) =>
  (await client.send(new ListTagsForResourceCommand({ resourceArn }))).tags;

const manyTags = (count: number, prefix: string) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, `v${i}`]));

describe('tags', () => {
  let runtime: TestRuntime;
  let client: SSMIncidentsClient;
  beforeAll(async () => {
    runtime = await startTestRuntime();
    client = runtime.incidentsClient();
  });
  afterAll(() => runtime?.stop());

  const resources = {
    'a response plan': async () => (await createPlan(client, { tags: { origin: 'create' } })).arn,
    'an incident record': async () =>
      startIncident(
        client,
        (await createPlan(client, { incidentTemplate: { title: 't', impact: 3, incidentTags: { origin: 'create' } } }))
          .arn,
      ),
  };

  for (const [kind, make] of Object.entries(resources)) {
    describe(`on ${kind}`, () => {
      it('adds tags (204), overwrites values of existing keys, and lists them all (200)', async () => {
        // Prepare
        const arn = await make();

        // Act
        const tagged = await client.send(
          new TagResourceCommand({
            resourceArn: arn,
            tags: { origin: 'overwritten', 'team:name': 'sre', 'cost center': '7' },
          }),
        );
        const listed = await client.send(new ListTagsForResourceCommand({ resourceArn: arn }));

        // Assess
        expect(tagged.$metadata.httpStatusCode).toBe(204);
        expect(listed.$metadata.httpStatusCode).toBe(200);
        expect(listed.tags).toEqual({ origin: 'overwritten', 'team:name': 'sre', 'cost center': '7' });
      });

      it('removes several keys in one UntagResource (204) and ignores keys that are not there', async () => {
        // Prepare
        const arn = await make();
        await client.send(new TagResourceCommand({ resourceArn: arn, tags: { a: '1', b: '2', c: '3' } }));

        // Act
        const untagged = await client.send(
          new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a', 'c', 'absent'] }),
        );

        // Assess
        expect(untagged.$metadata.httpStatusCode).toBe(204);
        expect(await tagsOf(client, arn)).toEqual({ origin: 'create', b: '2' });
      });

      it('rejects going over 50 tags with ServiceQuotaExceededException (402) and keeps the tags as they were', async () => {
        // Prepare
        const arn = await make();
        await client.send(new TagResourceCommand({ resourceArn: arn, tags: manyTags(40, 'first') }));
        const before = await tagsOf(client, arn);

        // Act
        const error = await client
          .send(new TagResourceCommand({ resourceArn: arn, tags: manyTags(20, 'second') }))
          .catch((e: unknown) => e);

        // Assess
        expect(error).toBeInstanceOf(ServiceQuotaExceededException);
        const quota = error as ServiceQuotaExceededException;
        expect(quota.$metadata.httpStatusCode).toBe(402);
        expect(quota.serviceCode).toBe('ssm-incidents');
        expect(quota.quotaCode).toBeTruthy();
        expect(Object.keys(before!)).toHaveLength(41);
        expect(await tagsOf(client, arn)).toEqual(before);
      });

      it('accepts exactly 50 tags', async () => {
        // Prepare
        const arn = await make();

        // Act
        await client.send(new TagResourceCommand({ resourceArn: arn, tags: manyTags(49, 'k') }));

        // Assess
        expect(Object.keys((await tagsOf(client, arn))!)).toHaveLength(50);
      });

      it('rejects a tag key starting with aws: with ValidationException and writes nothing', async () => {
        // Prepare
        const arn = await make();
        const before = await itemCount(runtime);

        // Act
        const error = await client
          .send(new TagResourceCommand({ resourceArn: arn, tags: { 'aws:reserved': 'x', fine: 'y' } }))
          .catch((e: unknown) => e);

        // Assess
        expect(error).toBeInstanceOf(ValidationException);
        expect((error as ValidationException).$metadata.httpStatusCode).toBe(400);
        expect((error as ValidationException).message).toContain('tags');
        expect(await tagsOf(client, arn)).toEqual({ origin: 'create' });
        expect(await itemCount(runtime)).toBe(before);
      });
    });
  }

  it('keeps the tags of an incident and of a plan through UpdateIncidentRecord and UpdateResponsePlan', async () => {
    // Prepare
    const { arn: planArn } = await createPlan(client, { tags: { plan: 'tag' } });
    const incidentArn = await startIncident(client, planArn);
    await client.send(new TagResourceCommand({ resourceArn: incidentArn, tags: { incident: 'tag' } }));

    // Act
    await client.send(new UpdateIncidentRecordCommand({ arn: incidentArn, title: 'renamed', status: 'RESOLVED' }));
    await client.send(
      new UpdateResponsePlanCommand({ arn: planArn, displayName: 'renamed', incidentTemplateTitle: 'x' }),
    );

    // Assess
    expect(await tagsOf(client, incidentArn)).toEqual({ incident: 'tag' });
    expect(await tagsOf(client, planArn)).toEqual({ plan: 'tag' });
  });

  it('applies concurrent TagResource calls with different keys on one resource, none failing with a conflict', async () => {
    // Prepare
    const { arn: planArn } = await createPlan(client);
    const incidentArn = await startIncident(client, planArn);
    const keys = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];

    // Act
    const results = await Promise.allSettled([
      ...keys.map((key) => client.send(new TagResourceCommand({ resourceArn: incidentArn, tags: { [key]: key } }))),
      // An incident update changes the same record meanwhile.
      client.send(new UpdateIncidentRecordCommand({ arn: incidentArn, title: 'concurrently renamed' })),
      ...keys.map((key) => client.send(new TagResourceCommand({ resourceArn: planArn, tags: { [key]: key } }))),
      client.send(new UpdateResponsePlanCommand({ arn: planArn, displayName: 'concurrently renamed' })),
    ]);

    // Assess
    expect(
      results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason?.name),
    ).toEqual([]);
    const expected = Object.fromEntries(keys.map((key) => [key, key]));
    expect(await tagsOf(client, incidentArn)).toEqual(expected);
    expect(await tagsOf(client, planArn)).toEqual(expected);
  });

  it('untags keys with spaces, plus signs, slashes and other allowed characters sent as repeated query keys', async () => {
    // Prepare
    const keys = ['with space', 'a+b', 'path/like', 'k=v', 'team:name', '@handle', 'dot.ted', 'under_score'];
    const { arn } = await createPlan(client, {
      tags: { ...Object.fromEntries(keys.map((k) => [k, 'x'])), keep: 'me' },
    });

    // Act
    await client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: keys }));

    // Assess
    expect(await tagsOf(client, arn)).toEqual({ keep: 'me' });
  });

  it('answers tag operations on a missing resource with ResourceNotFoundException', async () => {
    // Prepare
    const planArn = planArnOf(unique('nothing'));
    const { name } = await createPlan(client);
    const incidentArn = `arn:aws:ssm-incidents::${TEST_ACCOUNT}:incident-record/${name}/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee`;

    // Act
    const errors = await Promise.all([
      client.send(new ListTagsForResourceCommand({ resourceArn: planArn })).catch((e: unknown) => e),
      client.send(new TagResourceCommand({ resourceArn: planArn, tags: { a: 'b' } })).catch((e: unknown) => e),
      client.send(new UntagResourceCommand({ resourceArn: planArn, tagKeys: ['a'] })).catch((e: unknown) => e),
      client.send(new ListTagsForResourceCommand({ resourceArn: incidentArn })).catch((e: unknown) => e),
    ]);

    // Assess
    for (const error of errors) {
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect((error as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
    }
  });

  it('rejects a path label that is not valid percent-encoding with ValidationException naming resourceArn', async () => {
    // Prepare
    const before = await itemCount(runtime);

    // Act
    const responses = await Promise.all([
      rawRequest(runtime, 'GET', '/tags/arn%ZZaws'),
      rawRequest(runtime, 'POST', '/tags/%E0%A4%A', { tags: { a: 'b' } }),
    ]);

    // Assess
    for (const response of responses) {
      expect(response.status).toBe(400);
      expect(response.headers.get('x-amzn-errortype')).toBe('ValidationException');
      expect(response.json?.message).toContain('resourceArn');
    }
    expect(await itemCount(runtime)).toBe(before);
  });

  it('reads the ARN from the percent-encoded path and repeated tagKeys query keys on the wire', async () => {
    // Prepare
    const arn = await createPlan(client, { tags: { x: '1', y: '2', z: '3' } }).then((p) => p.arn);
    const encoded = encodeURIComponent(arn);

    // Act
    const listed = await rawRequest(runtime, 'GET', `/tags/${encoded}`);
    const untagged = await rawRequest(runtime, 'DELETE', `/tags/${encoded}?tagKeys=x&tagKeys=z`);
    const after = await rawRequest(runtime, 'GET', `/tags/${encoded}`);

    // Assess
    expect(encoded).toContain('%2F');
    expect(listed.status).toBe(200);
    expect(listed.json).toEqual({ tags: { x: '1', y: '2', z: '3' } });
    expect(untagged.status).toBe(204);
    expect(untagged.text).toBe('');
    expect(after.json).toEqual({ tags: { y: '2' } });
  });
});
