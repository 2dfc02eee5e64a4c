/**
 * Wire details and errors: the modelled success code of every one of the 31 operations, AWS error shapes as the
 * official client parses them, and bad input of every kind (malformed JSON, unknown routes, wrong types,
 * out-of-range values, oversized strings, forged nextTokens) answered with a ValidationException that names the
 * field, never a 500, and with nothing written.
 */
import * as sdk from '@aws-sdk/client-ssm-incidents';
import {
  BatchGetIncidentFindingsCommand,
  ConflictException,
  CreateReplicationSetCommand,
  CreateResponsePlanCommand,
  CreateTimelineEventCommand,
  DeleteIncidentRecordCommand,
  DeleteReplicationSetCommand,
  DeleteResourcePolicyCommand,
  DeleteResponsePlanCommand,
  DeleteTimelineEventCommand,
  GetIncidentRecordCommand,
  GetReplicationSetCommand,
  GetResourcePoliciesCommand,
  GetResponsePlanCommand,
  GetTimelineEventCommand,
  ListIncidentFindingsCommand,
  ListIncidentRecordsCommand,
  ListRelatedItemsCommand,
  ListReplicationSetsCommand,
  ListResponsePlansCommand,
  ListTagsForResourceCommand,
  ListTimelineEventsCommand,
  PutResourcePolicyCommand,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  type SSMIncidentsClient,
  SSMIncidentsServiceException,
  StartIncidentCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateDeletionProtectionCommand,
  UpdateIncidentRecordCommand,
  UpdateRelatedItemsCommand,
  UpdateReplicationSetCommand,
  UpdateResponsePlanCommand,
  UpdateTimelineEventCommand,
  ValidationException,
} from '@aws-sdk/client-ssm-incidents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planArnOf, startTestRuntime, TEST_ACCOUNT, type TestRuntime } from '../support/local-runtime.ts';
import { createPlan, itemCount, rawRequest, startIncident, unique } from './helpers.ts';

/** Every ssm-incidents HTTP binding, from the Smithy model (reference §2), independent of the implementation's table. */
const BINDINGS: readonly [operation: string, method: string, path: string][] = [
  ['BatchGetIncidentFindings', 'POST', '/batchGetIncidentFindings'],
  ['CreateReplicationSet', 'POST', '/createReplicationSet'],
  ['CreateResponsePlan', 'POST', '/createResponsePlan'],
  ['CreateTimelineEvent', 'POST', '/createTimelineEvent'],
  ['DeleteIncidentRecord', 'POST', '/deleteIncidentRecord'],
  ['DeleteReplicationSet', 'POST', '/deleteReplicationSet'],
  ['DeleteResourcePolicy', 'POST', '/deleteResourcePolicy'],
  ['DeleteResponsePlan', 'POST', '/deleteResponsePlan'],
  ['DeleteTimelineEvent', 'POST', '/deleteTimelineEvent'],
  ['GetIncidentRecord', 'GET', '/getIncidentRecord'],
  ['GetReplicationSet', 'GET', '/getReplicationSet'],
  ['GetResourcePolicies', 'POST', '/getResourcePolicies'],
  ['GetResponsePlan', 'GET', '/getResponsePlan'],
  ['GetTimelineEvent', 'GET', '/getTimelineEvent'],
  ['ListIncidentFindings', 'POST', '/listIncidentFindings'],
  ['ListIncidentRecords', 'POST', '/listIncidentRecords'],
  ['ListRelatedItems', 'POST', '/listRelatedItems'],
  ['ListReplicationSets', 'POST', '/listReplicationSets'],
  ['ListResponsePlans', 'POST', '/listResponsePlans'],
  ['ListTagsForResource', 'GET', `/tags/${encodeURIComponent(planArnOf('fuzz'))}`],
  ['ListTimelineEvents', 'POST', '/listTimelineEvents'],
  ['PutResourcePolicy', 'POST', '/putResourcePolicy'],
  ['StartIncident', 'POST', '/startIncident'],
  ['TagResource', 'POST', `/tags/${encodeURIComponent(planArnOf('fuzz'))}`],
  ['UntagResource', 'DELETE', `/tags/${encodeURIComponent(planArnOf('fuzz'))}`],
  ['UpdateDeletionProtection', 'POST', '/updateDeletionProtection'],
  ['UpdateIncidentRecord', 'POST', '/updateIncidentRecord'],
  ['UpdateRelatedItems', 'POST', '/updateRelatedItems'],
  ['UpdateReplicationSet', 'POST', '/updateReplicationSet'],
  ['UpdateResponsePlan', 'POST', '/updateResponsePlan'],
  ['UpdateTimelineEvent', 'POST', '/updateTimelineEvent'],
];

const sdkOperations = () =>
  Object.keys(sdk)
    .filter((name) => name.endsWith('Command') && name !== '$Command')
    .map((name) => name.slice(0, -'Command'.length))
    .sort();

/** What a ValidationException must look like on the wire, and that its message names the field. */
function expectValidationResponse(response: Awaited<ReturnType<typeof rawRequest>>, field?: string) {
  expect(response.status).toBe(400);
  expect(response.headers.get('x-amzn-errortype')).toBe('ValidationException');
  expect(response.headers.get('content-type')).toContain('application/json');
  expect(response.headers.get('x-amzn-requestid')).toBeTruthy();
  expect(response.json?.__type).toBe('ValidationException');
  expect(typeof response.json?.message).toBe('string');
  if (field) expect(response.json?.message).toContain(field);
}

describe('wire details and errors', () => {
  let runtime: TestRuntime;
  let client: SSMIncidentsClient;
  beforeAll(async () => {
    runtime = await startTestRuntime();
    client = runtime.incidentsClient();
  });
  afterAll(() => runtime?.stop());

  describe('success codes of every operation', () => {
    /** Makes sure the account has a replication set and returns its ARN. */
    const ensureReplicationSet = async () => {
      const { replicationSetArns } = await client.send(new ListReplicationSetsCommand({}));
      if (replicationSetArns?.[0]) return replicationSetArns[0];
      return (await client.send(new CreateReplicationSetCommand({ regions: { 'us-east-1': {} } }))).arn!;
    };
    const removeReplicationSet = async () => {
      const { replicationSetArns } = await client.send(new ListReplicationSetsCommand({}));
      for (const arn of replicationSetArns ?? []) await client.send(new DeleteReplicationSetCommand({ arn }));
    };
    const newIncident = async () => startIncident(client, (await createPlan(client)).arn);
    const newEvent = async () => {
      const incidentRecordArn = await newIncident();
      const { eventId } = await client.send(
        new CreateTimelineEventCommand({ incidentRecordArn, eventTime: new Date(), eventType: 'Note', eventData: 'n' }),
      );
      return { incidentRecordArn, eventId: eventId! };
    };
    const policy = '{"Version":"2012-10-17","Statement":[]}';

    const OPERATIONS: Record<
      string,
      { code: number; run: () => Promise<{ $metadata: { httpStatusCode?: number; requestId?: string } }> }
    > = {
      BatchGetIncidentFindings: {
        code: 200,
        run: async () =>
          client.send(
            new BatchGetIncidentFindingsCommand({ incidentRecordArn: await newIncident(), findingIds: ['f-1'] }),
          ),
      },
      CreateReplicationSet: {
        code: 201,
        run: async () => {
          await removeReplicationSet();
          return client.send(new CreateReplicationSetCommand({ regions: { 'us-east-1': {} } }));
        },
      },
      CreateResponsePlan: {
        code: 201,
        run: () =>
          client.send(
            new CreateResponsePlanCommand({ name: unique('p'), incidentTemplate: { title: 't', impact: 1 } }),
          ),
      },
      CreateTimelineEvent: {
        code: 201,
        run: async () =>
          client.send(
            new CreateTimelineEventCommand({
              incidentRecordArn: await newIncident(),
              eventTime: new Date(),
              eventType: 'Custom Event',
              eventData: 'x',
            }),
          ),
      },
      DeleteIncidentRecord: {
        code: 204,
        run: async () => client.send(new DeleteIncidentRecordCommand({ arn: await newIncident() })),
      },
      DeleteReplicationSet: {
        code: 204,
        run: async () => client.send(new DeleteReplicationSetCommand({ arn: await ensureReplicationSet() })),
      },
      DeleteResourcePolicy: {
        code: 200,
        run: async () => {
          const { arn } = await createPlan(client);
          const { policyId } = await client.send(new PutResourcePolicyCommand({ resourceArn: arn, policy }));
          return client.send(new DeleteResourcePolicyCommand({ resourceArn: arn, policyId }));
        },
      },
      DeleteResponsePlan: {
        code: 204,
        run: async () => client.send(new DeleteResponsePlanCommand({ arn: (await createPlan(client)).arn })),
      },
      DeleteTimelineEvent: {
        code: 204,
        run: async () => client.send(new DeleteTimelineEventCommand(await newEvent())),
      },
      GetIncidentRecord: {
        code: 200,
        run: async () => client.send(new GetIncidentRecordCommand({ arn: await newIncident() })),
      },
      GetReplicationSet: {
        code: 200,
        run: async () => client.send(new GetReplicationSetCommand({ arn: await ensureReplicationSet() })),
      },
      GetResourcePolicies: {
        code: 200,
        run: async () => client.send(new GetResourcePoliciesCommand({ resourceArn: (await createPlan(client)).arn })),
      },
      GetResponsePlan: {
        code: 200,
        run: async () => client.send(new GetResponsePlanCommand({ arn: (await createPlan(client)).arn })),
      },
      GetTimelineEvent: { code: 200, run: async () => client.send(new GetTimelineEventCommand(await newEvent())) },
      ListIncidentFindings: {
        code: 200,
        run: async () => client.send(new ListIncidentFindingsCommand({ incidentRecordArn: await newIncident() })),
      },
      ListIncidentRecords: { code: 200, run: () => client.send(new ListIncidentRecordsCommand({})) },
      ListRelatedItems: {
        code: 200,
        run: async () => client.send(new ListRelatedItemsCommand({ incidentRecordArn: await newIncident() })),
      },
      ListReplicationSets: { code: 200, run: () => client.send(new ListReplicationSetsCommand({})) },
      ListResponsePlans: { code: 200, run: () => client.send(new ListResponsePlansCommand({})) },
      ListTagsForResource: {
        code: 200,
        run: async () => client.send(new ListTagsForResourceCommand({ resourceArn: (await createPlan(client)).arn })),
      },
      ListTimelineEvents: {
        code: 200,
        run: async () => client.send(new ListTimelineEventsCommand({ incidentRecordArn: await newIncident() })),
      },
      PutResourcePolicy: {
        code: 200,
        run: async () =>
          client.send(new PutResourcePolicyCommand({ resourceArn: (await createPlan(client)).arn, policy })),
      },
      StartIncident: {
        code: 200,
        run: async () => client.send(new StartIncidentCommand({ responsePlanArn: (await createPlan(client)).arn })),
      },
      TagResource: {
        code: 204,
        run: async () =>
          client.send(new TagResourceCommand({ resourceArn: (await createPlan(client)).arn, tags: { k: 'v' } })),
      },
      UntagResource: {
        code: 204,
        run: async () =>
          client.send(new UntagResourceCommand({ resourceArn: (await createPlan(client)).arn, tagKeys: ['k'] })),
      },
      UpdateDeletionProtection: {
        code: 204,
        run: async () =>
          client.send(
            new UpdateDeletionProtectionCommand({ arn: await ensureReplicationSet(), deletionProtected: false }),
          ),
      },
      UpdateIncidentRecord: {
        code: 204,
        run: async () => client.send(new UpdateIncidentRecordCommand({ arn: await newIncident(), title: 'changed' })),
      },
      UpdateRelatedItems: {
        code: 204,
        run: async () =>
          client.send(
            new UpdateRelatedItemsCommand({
              incidentRecordArn: await newIncident(),
              relatedItemsUpdate: {
                itemToAdd: { identifier: { type: 'OTHER', value: { url: 'https://example.com' } } },
              },
            }),
          ),
      },
      UpdateReplicationSet: {
        code: 204,
        run: async () => {
          const arn = await ensureReplicationSet();
          const { replicationSet } = await client.send(new GetReplicationSetCommand({ arn }));
          const region = ['eu-west-1', 'eu-west-2', 'eu-west-3'].find((r) => !replicationSet!.regionMap![r])!;
          return client.send(
            new UpdateReplicationSetCommand({ arn, actions: [{ addRegionAction: { regionName: region } }] }),
          );
        },
      },
      UpdateResponsePlan: {
        code: 204,
        run: async () =>
          client.send(new UpdateResponsePlanCommand({ arn: (await createPlan(client)).arn, displayName: 'd' })),
      },
      UpdateTimelineEvent: {
        code: 204,
        run: async () => client.send(new UpdateTimelineEventCommand({ ...(await newEvent()), eventData: 'edited' })),
      },
    };

    it('covers exactly the operations of the official client (31)', () => {
      expect(Object.keys(OPERATIONS).sort()).toEqual(sdkOperations());
      expect(BINDINGS.map(([op]) => op).sort()).toEqual(sdkOperations());
      expect(sdkOperations()).toHaveLength(31);
    });

    it.each(Object.entries(OPERATIONS).map(([name, spec]) => [name, spec.code, spec.run] as const))(
      '%s succeeds with HTTP %i and a request id',
      async (_name, code, run) => {
        // Prepare (inside run: each operation creates what it acts on)
        // Act
        const output = await run();

        // Assess
        expect(output.$metadata.httpStatusCode).toBe(code);
        expect(output.$metadata.requestId).toBeTruthy();
      },
    );

    it('sends 204 responses with an empty body and 200/201 responses with a JSON object', async () => {
      // Prepare
      const { arn } = await createPlan(client);

      // Act
      const noContent = await rawRequest(runtime, 'POST', '/updateResponsePlan', { arn, displayName: 'raw' });
      const created = await rawRequest(runtime, 'POST', '/createResponsePlan', {
        name: unique('raw'),
        incidentTemplate: { title: 't', impact: 2 },
      });
      const ok = await rawRequest(runtime, 'GET', `/getResponsePlan?arn=${encodeURIComponent(arn)}`);

      // Assess
      expect(noContent.status).toBe(204);
      expect(noContent.text).toBe('');
      expect(created.status).toBe(201);
      expect(created.json).toEqual({
        arn: expect.stringMatching(/^arn:aws:ssm-incidents::111122223333:response-plan\//),
      });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toContain('application/json');
      expect(ok.json).toMatchObject({ arn, displayName: 'raw' });
    });

    it('sends timestamps as epoch seconds (JSON numbers)', async () => {
      // Prepare
      const arn = await newIncident();

      // Act
      const response = await rawRequest(runtime, 'GET', `/getIncidentRecord?arn=${encodeURIComponent(arn)}`);

      // Assess
      const record = response.json!.incidentRecord as Record<string, unknown>;
      expect(typeof record.creationTime).toBe('number');
      expect(Math.abs((record.creationTime as number) - Date.now() / 1000)).toBeLessThan(60);
    });
  });

  describe('AWS error shapes', () => {
    it('sends ResourceNotFoundException as 404 with x-amzn-errortype, __type, message and modelled members', async () => {
      // Prepare
      const arn = planArnOf(unique('gone'));

      // Act
      const raw = await rawRequest(runtime, 'GET', `/getResponsePlan?arn=${encodeURIComponent(arn)}`);
      const error = await client.send(new GetResponsePlanCommand({ arn })).catch((e: unknown) => e);

      // Assess
      expect(raw.status).toBe(404);
      expect(raw.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
      expect(raw.headers.get('x-amzn-requestid')).toBeTruthy();
      expect(raw.json).toMatchObject({
        __type: 'ResourceNotFoundException',
        message: expect.any(String),
        resourceType: 'RESPONSE_PLAN',
        resourceIdentifier: arn,
      });
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect(error).toBeInstanceOf(SSMIncidentsServiceException);
      const notFound = error as ResourceNotFoundException;
      expect(notFound.name).toBe('ResourceNotFoundException');
      expect(notFound.$fault).toBe('client');
      expect(notFound.$metadata.httpStatusCode).toBe(404);
      expect(notFound.$metadata.requestId).toBeTruthy();
    });

    it('gives each error its modelled status: 400 Validation, 404 NotFound, 409 Conflict, 402 Quota', async () => {
      // Prepare
      const { name, arn } = await createPlan(client, {
        tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`t${i}`, 'v'])),
      });

      // Act
      const validation = await client
        .send(new CreateResponsePlanCommand({ name: 'has spaces', incidentTemplate: { title: 't', impact: 1 } }))
        .catch((e: unknown) => e);
      const notFound = await client
        .send(new GetResponsePlanCommand({ arn: planArnOf(unique('none')) }))
        .catch((e: unknown) => e);
      const conflict = await client
        .send(new CreateResponsePlanCommand({ name, incidentTemplate: { title: 't', impact: 1 } }))
        .catch((e: unknown) => e);
      const quota = await client
        .send(new TagResourceCommand({ resourceArn: arn, tags: { extra: 'x' } }))
        .catch((e: unknown) => e);

      // Assess
      expect(validation).toBeInstanceOf(ValidationException);
      expect(notFound).toBeInstanceOf(ResourceNotFoundException);
      expect(conflict).toBeInstanceOf(ConflictException);
      expect(quota).toBeInstanceOf(ServiceQuotaExceededException);
      const codes = [validation, notFound, conflict, quota].map(
        (e) => (e as SSMIncidentsServiceException).$metadata.httpStatusCode,
      );
      expect(codes).toEqual([400, 404, 409, 402]);
      for (const e of [validation, notFound, conflict, quota])
        expect((e as SSMIncidentsServiceException).$metadata.requestId).toBeTruthy();
    });

    it('answers an ARN of another account or another resource kind with ResourceNotFoundException', async () => {
      // Prepare
      const { name } = await createPlan(client);

      // Act
      const otherAccount = await client
        .send(new GetResponsePlanCommand({ arn: `arn:aws:ssm-incidents::999999999999:response-plan/${name}` }))
        .catch((e: unknown) => e);
      const wrongKind = await client
        .send(new GetIncidentRecordCommand({ arn: planArnOf(name) }))
        .catch((e: unknown) => e);

      // Assess
      expect(otherAccount).toBeInstanceOf(ResourceNotFoundException);
      expect(wrongKind).toBeInstanceOf(ResourceNotFoundException);
    });
  });

  describe('bad input', () => {
    it('rejects malformed JSON with ValidationException and writes nothing', async () => {
      // Prepare
      const before = await itemCount(runtime);

      // Act
      const responses = await Promise.all([
        rawRequest(runtime, 'POST', '/createResponsePlan', '{"name": "broken", "incidentTemplate": {'),
        rawRequest(runtime, 'POST', '/startIncident', 'not json at all'),
        rawRequest(runtime, 'POST', '/createResponsePlan', '["name", "x"]'),
        rawRequest(runtime, 'POST', '/createResponsePlan', 'null'),
      ]);

      // Assess
      for (const response of responses) expectValidationResponse(response);
      expect(responses[0]!.json!.message).toMatch(/JSON/);
      expect(await itemCount(runtime)).toBe(before);
    });

    it('rejects a path or method no operation is bound to with ValidationException naming the path', async () => {
      // Prepare
      const before = await itemCount(runtime);

      // Act
      const unknownPath = await rawRequest(runtime, 'POST', '/createIncident', { title: 'x' });
      const wrongMethod = await rawRequest(runtime, 'GET', '/startIncident');
      const rootGet = await rawRequest(runtime, 'GET', '/');
      // `POST /` is ssm-contacts' route (awsJson1_1): without an X-Amz-Target it names no operation of either API,
      // and the answer is still a ValidationException (in the contacts protocol's casing).
      const rootPost = await rawRequest(runtime, 'POST', '/', {});

      // Assess
      expectValidationResponse(unknownPath, '/createIncident');
      expectValidationResponse(wrongMethod, '/startIncident');
      expectValidationResponse(rootGet, '/');
      expect(rootPost.status).toBe(400);
      expect(rootPost.headers.get('x-amzn-errortype')).toBe('ValidationException');
      expect(rootPost.json).toMatchObject({
        __type: 'com.amazonaws.ssmcontacts#ValidationException',
        Reason: 'UNKNOWN_OPERATION',
      });
      expect(await itemCount(runtime)).toBe(before);
    });

    it.each([
      [
        'a number for a string',
        '/createResponsePlan',
        { name: 123, incidentTemplate: { title: 't', impact: 1 } },
        'name',
      ],
      [
        'a string for an integer',
        '/createResponsePlan',
        { name: 'n', incidentTemplate: { title: 't', impact: 'high' } },
        'incidentTemplate.impact',
      ],
      [
        'a fraction for an integer',
        '/createResponsePlan',
        { name: 'n', incidentTemplate: { title: 't', impact: 2.5 } },
        'incidentTemplate.impact',
      ],
      [
        'a list for a map',
        '/createResponsePlan',
        { name: 'n', incidentTemplate: { title: 't', impact: 1 }, tags: ['a'] },
        'tags',
      ],
      [
        'a string for a structure',
        '/createResponsePlan',
        { name: 'n', incidentTemplate: 'template' },
        'incidentTemplate',
      ],
      ['a string for a list', '/listIncidentRecords', { filters: 'status=OPEN' }, 'filters'],
      [
        'a word for a timestamp',
        '/createTimelineEvent',
        {
          incidentRecordArn: 'arn:aws:ssm-incidents::111122223333:incident-record/p/i',
          eventTime: 'yesterday',
          eventType: 'Note',
          eventData: 'x',
        },
        'eventTime',
      ],
      [
        'a string for a boolean',
        '/updateDeletionProtection',
        { arn: 'arn:aws:ssm-incidents::111122223333:replication-set/x', deletionProtected: 'yes' },
        'deletionProtected',
      ],
      [
        'a union with two members',
        '/createResponsePlan',
        {
          name: 'n',
          incidentTemplate: { title: 't', impact: 1 },
          chatChannel: { empty: {}, chatbotSns: ['arn:aws:sns:us-east-1:111122223333:t'] },
        },
        'chatChannel',
      ],
      [
        'an unknown union member',
        '/createResponsePlan',
        { name: 'n', incidentTemplate: { title: 't', impact: 1 }, chatChannel: { slack: 'x' } },
        'chatChannel',
      ],
      [
        'an unknown enum value',
        '/updateIncidentRecord',
        { arn: 'arn:aws:ssm-incidents::111122223333:incident-record/p/i', status: 'CLOSED' },
        'status',
      ],
      ['a missing required member', '/createResponsePlan', { name: 'n' }, 'incidentTemplate'],
      [
        'a missing nested required member',
        '/createResponsePlan',
        { name: 'n', incidentTemplate: { impact: 1 } },
        'incidentTemplate.title',
      ],
      [
        'a name breaking the pattern',
        '/createResponsePlan',
        { name: 'has spaces', incidentTemplate: { title: 't', impact: 1 } },
        'name',
      ],
      ['a string that is not an ARN', '/startIncident', { responsePlanArn: 'my-plan' }, 'responsePlanArn'],
      ['a null list element', '/listIncidentRecords', { filters: [null] }, 'filters'],
    ])('rejects %s with ValidationException naming the field, writing nothing', async (_case, path, body, field) => {
      // Prepare
      const before = await itemCount(runtime);

      // Act
      const response = await rawRequest(runtime, 'POST', path, body);

      // Assess
      expectValidationResponse(response, field);
      expect(await itemCount(runtime)).toBe(before);
    });

    it('rejects out-of-range numbers sent by the official client with ValidationException naming the field', async () => {
      // Prepare
      const { arn: planArn } = await createPlan(client);
      const incidentArn = await startIncident(client, planArn);
      const before = await itemCount(runtime);
      const attempts: [Promise<unknown>, string][] = [
        [client.send(new StartIncidentCommand({ responsePlanArn: planArn, impact: 6 })), 'impact'],
        [client.send(new StartIncidentCommand({ responsePlanArn: planArn, impact: 0 })), 'impact'],
        [client.send(new UpdateIncidentRecordCommand({ arn: incidentArn, impact: -1 })), 'impact'],
        [client.send(new ListIncidentRecordsCommand({ maxResults: 0 })), 'maxResults'],
        [client.send(new ListIncidentRecordsCommand({ maxResults: 101 })), 'maxResults'],
        [client.send(new ListResponsePlansCommand({ maxResults: 1000 })), 'maxResults'],
        [
          client.send(new ListIncidentFindingsCommand({ incidentRecordArn: incidentArn, maxResults: 21 })),
          'maxResults',
        ],
        [
          client.send(
            new BatchGetIncidentFindingsCommand({
              incidentRecordArn: incidentArn,
              findingIds: Array.from({ length: 21 }, (_, i) => `f${i}`),
            }),
          ),
          'findingIds',
        ],
        [
          client.send(
            new CreateReplicationSetCommand({
              regions: { 'us-east-1': {}, 'us-east-2': {}, 'us-west-1': {}, 'us-west-2': {} },
            }),
          ),
          'regions',
        ],
      ];

      // Act
      const errors = await Promise.all(attempts.map(([attempt]) => attempt.catch((e: unknown) => e)));

      // Assess
      errors.forEach((error, i) => {
        expect(error).toBeInstanceOf(ValidationException);
        expect((error as ValidationException).$metadata.httpStatusCode).toBe(400);
        expect((error as ValidationException).message).toContain(attempts[i]![1]);
      });
      expect(await itemCount(runtime)).toBe(before);
    });

    it('rejects oversized strings and lists with ValidationException naming the field, writing nothing', async () => {
      // Prepare
      const { arn: planArn } = await createPlan(client);
      const incidentArn = await startIncident(client, planArn);
      const before = await itemCount(runtime);
      const long = (n: number) => 'x'.repeat(n);
      const topics = (n: number) =>
        Array.from({ length: n }, (_, i) => ({ snsTopicArn: `arn:aws:sns:us-east-1:${TEST_ACCOUNT}:t${i}` }));
      const attempts: [Promise<unknown>, string][] = [
        [client.send(new StartIncidentCommand({ responsePlanArn: planArn, title: long(201) })), 'title'],
        [
          client.send(
            new StartIncidentCommand({
              responsePlanArn: planArn,
              triggerDetails: { source: 'com.example', timestamp: new Date(), rawData: long(10001) },
            }),
          ),
          'triggerDetails.rawData',
        ],
        [
          client.send(
            new StartIncidentCommand({
              responsePlanArn: planArn,
              triggerDetails: { source: long(51), timestamp: new Date() },
            }),
          ),
          'triggerDetails.source',
        ],
        [client.send(new UpdateIncidentRecordCommand({ arn: incidentArn, summary: long(8001) })), 'summary'],
        [
          client.send(new UpdateIncidentRecordCommand({ arn: incidentArn, notificationTargets: topics(11) })),
          'notificationTargets',
        ],
        [
          client.send(new CreateResponsePlanCommand({ name: long(201), incidentTemplate: { title: 't', impact: 1 } })),
          'name',
        ],
        [
          client.send(
            new CreateResponsePlanCommand({
              name: unique('p'),
              incidentTemplate: { title: 't', impact: 1, dedupeString: long(1001) },
            }),
          ),
          'incidentTemplate.dedupeString',
        ],
        [
          client.send(
            new CreateTimelineEventCommand({
              incidentRecordArn: incidentArn,
              eventTime: new Date(),
              eventType: 'Note',
              eventData: long(12001),
            }),
          ),
          'eventData',
        ],
        [
          client.send(
            new CreateTimelineEventCommand({
              incidentRecordArn: incidentArn,
              eventTime: new Date(),
              eventType: 'Note',
              eventData: 'x',
              eventReferences: Array.from({ length: 11 }, () => ({ resource: incidentArn })),
            }),
          ),
          'eventReferences',
        ],
        [client.send(new TagResourceCommand({ resourceArn: planArn, tags: { [long(129)]: 'v' } })), 'tags'],
        [client.send(new TagResourceCommand({ resourceArn: planArn, tags: { k: long(257) } })), 'tags'],
        [
          client.send(new PutResourcePolicyCommand({ resourceArn: planArn, policy: `{"a":"${long(4000)}"}` })),
          'policy',
        ],
      ];

      // Act
      const errors = await Promise.all(attempts.map(([attempt]) => attempt.catch((e: unknown) => e)));

      // Assess
      errors.forEach((error, i) => {
        expect(error, attempts[i]![1]).toBeInstanceOf(ValidationException);
        expect((error as ValidationException).message).toContain(attempts[i]![1]);
      });
      expect(await itemCount(runtime)).toBe(before);
    });

    it('accepts strings at exactly their maximum length', async () => {
      // Prepare
      const { arn: planArn } = await createPlan(client);

      // Act
      const arn = await startIncident(client, planArn, { title: 'T'.repeat(200) });
      await client.send(new UpdateIncidentRecordCommand({ arn, summary: 'S'.repeat(8000) }));
      const { incidentRecord } = await client.send(new GetIncidentRecordCommand({ arn }));

      // Assess
      expect(incidentRecord!.title).toHaveLength(200);
      expect(incidentRecord!.summary).toHaveLength(8000);
    });

    it('measures string lengths in characters (code points), not UTF-16 units or bytes', async () => {
      // Prepare
      const { arn: planArn } = await createPlan(client);
      const emoji = '\u{1F525}'; // two UTF-16 units, four UTF-8 bytes

      // Act
      const arn = await startIncident(client, planArn, { title: emoji.repeat(200) });
      const tooLong = await startIncident(client, planArn, { title: emoji.repeat(201) }).catch((e: unknown) => e);
      const { incidentRecord } = await client.send(new GetIncidentRecordCommand({ arn }));

      // Assess
      expect(incidentRecord!.title).toBe(emoji.repeat(200));
      expect(tooLong).toBeInstanceOf(ValidationException);
    });

    it('rejects unsupported filter keys and wrong filter conditions with ValidationException naming the filter', async () => {
      // Prepare
      const incidentArn = await startIncident(client, (await createPlan(client)).arn);

      // Act
      const unknownKey = await client
        .send(
          new ListIncidentRecordsCommand({
            filters: [{ key: 'title', condition: { equals: { stringValues: ['x'] } } }],
          }),
        )
        .catch((e: unknown) => e);
      const wrongCondition = await client
        .send(new ListIncidentRecordsCommand({ filters: [{ key: 'impact', condition: { after: new Date() } }] }))
        .catch((e: unknown) => e);
      const badStatus = await client
        .send(
          new ListIncidentRecordsCommand({
            filters: [{ key: 'status', condition: { equals: { stringValues: ['DONE'] } } }],
          }),
        )
        .catch((e: unknown) => e);
      const timelineKey = await client
        .send(
          new ListTimelineEventsCommand({
            incidentRecordArn: incidentArn,
            filters: [{ key: 'status', condition: { equals: { stringValues: ['OPEN'] } } }],
          }),
        )
        .catch((e: unknown) => e);
      const tooManyFilters = await client
        .send(
          new ListIncidentRecordsCommand({
            filters: Array.from({ length: 6 }, () => ({
              key: 'status',
              condition: { equals: { stringValues: ['OPEN'] } },
            })),
          }),
        )
        .catch((e: unknown) => e);

      // Assess
      for (const error of [unknownKey, wrongCondition, badStatus, timelineKey, tooManyFilters]) {
        expect(error).toBeInstanceOf(ValidationException);
        expect((error as ValidationException).message).toContain('filters');
      }
    });

    it('rejects a forged or garbage nextToken with ValidationException on every paged list', async () => {
      // Prepare
      const planArn = (await createPlan(client)).arn;
      const incidentArn = await startIncident(client, planArn);
      const forged = Buffer.from(
        JSON.stringify({ k: { pk: 'REPLICATION_SET', sk: 'REPLICATION_SET' }, q: 'x' }),
      ).toString('base64url');
      const tokens = ['garbage', forged, '!!!', 'eyJrIjp7fX0'];

      // Act
      const errors: unknown[] = [];
      for (const nextToken of tokens) {
        errors.push(
          await client.send(new ListIncidentRecordsCommand({ nextToken })).catch((e: unknown) => e),
          await client.send(new ListResponsePlansCommand({ nextToken })).catch((e: unknown) => e),
          await client
            .send(new ListTimelineEventsCommand({ incidentRecordArn: incidentArn, nextToken }))
            .catch((e: unknown) => e),
          await client
            .send(new ListRelatedItemsCommand({ incidentRecordArn: incidentArn, nextToken }))
            .catch((e: unknown) => e),
          await client
            .send(new GetResourcePoliciesCommand({ resourceArn: planArn, nextToken }))
            .catch((e: unknown) => e),
        );
      }

      // Assess
      for (const error of errors) {
        expect(error).toBeInstanceOf(ValidationException);
        expect((error as ValidationException).message).toContain('nextToken');
      }
    });

    it('rejects a nextToken on the lists that never issue one (replication sets, findings) with ValidationException', async () => {
      // Prepare
      const incidentArn = await startIncident(client, (await createPlan(client)).arn);

      // Act
      const errors = await Promise.all([
        client.send(new ListReplicationSetsCommand({ nextToken: 'garbage' })).catch((e: unknown) => e),
        client
          .send(new ListIncidentFindingsCommand({ incidentRecordArn: incidentArn, nextToken: 'garbage' }))
          .catch((e: unknown) => e),
      ]);

      // Assess
      for (const error of errors) {
        expect(error).toBeInstanceOf(ValidationException);
        expect((error as ValidationException).message).toContain('nextToken');
      }
    });

    it('rejects a nextToken issued for other filters with ValidationException', async () => {
      // Prepare
      const caller = unique('token-owner');
      const owner = runtime.incidentsClient(caller);
      const planArn = (await createPlan(owner)).arn;
      await startIncident(owner, planArn);
      await startIncident(owner, planArn);
      const createdBy = {
        key: 'createdBy',
        condition: { equals: { stringValues: [`arn:aws:iam::${TEST_ACCOUNT}:user/${caller}`] } },
      };
      const { nextToken } = await owner.send(new ListIncidentRecordsCommand({ filters: [createdBy], maxResults: 1 }));

      // Act
      const error = await owner
        .send(
          new ListIncidentRecordsCommand({
            filters: [createdBy, { key: 'status', condition: { equals: { stringValues: ['RESOLVED'] } } }],
            maxResults: 1,
            nextToken,
          }),
        )
        .catch((e: unknown) => e);

      // Assess
      expect(nextToken).toBeTruthy();
      expect(error).toBeInstanceOf(ValidationException);
    });

    it('rejects an oversized request body with ValidationException', async () => {
      // Prepare
      const before = await itemCount(runtime);
      const body = JSON.stringify({
        name: unique('big'),
        incidentTemplate: { title: 't', impact: 1 },
        padding: 'x'.repeat(2 * 1024 * 1024),
      });

      // Act
      const response = await rawRequest(runtime, 'POST', '/createResponsePlan', body);

      // Assess
      expectValidationResponse(response);
      expect(await itemCount(runtime)).toBe(before);
    });

    it('never answers bad input to any operation with a 500, and writes nothing', async () => {
      // Prepare
      const before = await itemCount(runtime);
      const garbage: (string | object)[] = [
        '{',
        '[]',
        '"text"',
        '42',
        {},
        { arn: 42, resourceArn: [], incidentRecordArn: {}, responsePlanArn: null, name: { x: 1 } },
        {
          arn: 'arn:aws:ssm-incidents::111122223333:incident-record/p/i',
          eventId: 7,
          tags: 'x',
          regions: [],
          filters: [{}],
        },
        { incidentTemplate: { title: 't'.repeat(300), impact: 1e308 }, name: 'ok', maxResults: -5, nextToken: 12 },
        {
          eventTime: -1,
          eventType: 'Note',
          eventData: 'x',
          incidentRecordArn: 'arn:aws:ssm-incidents::111122223333:incident-record/p/i',
        },
        {
          eventTime: 1e15,
          eventType: 'Note',
          eventData: 'x',
          incidentRecordArn: 'arn:aws:ssm-incidents::111122223333:incident-record/p/i',
        },
        {
          relatedItemsUpdate: { itemToAdd: { identifier: { type: 'NOPE', value: {} } } },
          incidentRecordArn: 'arn:aws:x',
        },
        { actions: [{ addRegionAction: {} }, {}], arn: 'arn:aws:ssm-incidents::111122223333:replication-set/x' },
        { findingIds: [1, 2], incidentRecordArn: 'arn:aws:ssm-incidents::111122223333:incident-record/p/i' },
      ];

      // Act
      const failures: string[] = [];
      for (const [operation, method, path] of BINDINGS) {
        for (const body of garbage) {
          const withQuery = method === 'GET' ? `${path}${path.includes('?') ? '&' : '?'}arn=%E0%A4%A&eventId=` : path;
          const response = await rawRequest(runtime, method, withQuery, method === 'GET' ? undefined : body);
          if (response.status >= 500 || (response.status >= 400 && !response.headers.get('x-amzn-errortype')))
            failures.push(
              `${operation} ${JSON.stringify(body).slice(0, 60)} → ${response.status} ${response.text.slice(0, 120)}`,
            );
        }
      }

      // Assess
      expect(failures).toEqual([]);
      expect(await itemCount(runtime)).toBe(before);
    });
  });
});
