/**
 * The ssm-contacts wire protocol (awsJson1_1) as AWS serves it, checked with raw requests and with the official
 * client: `POST /` + `X-Amz-Target`, 200 + JSON, namespaced `__type` with `Message` and `x-amzn-errortype`,
 * ValidationException reasons (UNKNOWN_OPERATION, CANNOT_PARSE, FIELD_VALIDATION_FAILED), epoch-second timestamps,
 * and the ssm-incidents routes on the same endpoint left as they were.
 */
import {
  AcceptPageCommand,
  DescribeEngagementCommand,
  DescribePageCommand,
  ListEngagementsCommand,
  ListPageReceiptsCommand,
  ListPageResolutionsCommand,
  ListPagesByContactCommand,
  ListPagesByEngagementCommand,
  ResourceNotFoundException,
  type SSMContactsClient,
  StartEngagementCommand,
  StopEngagementCommand,
} from '@aws-sdk/client-ssm-contacts';
import { ListResponsePlansCommand } from '@aws-sdk/client-ssm-incidents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactArnOf, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { contactsRequest, createContact, createRotation, errorOf, uniqueAlias } from './contacts-helpers.ts';
import { itemCount, rawRequest } from './helpers.ts';

describe('ssm-contacts wire protocol', () => {
  let runtime: TestRuntime;
  let client: SSMContactsClient;
  beforeAll(async () => {
    runtime = await startTestRuntime();
    client = runtime.contactsClient();
  });
  afterAll(() => runtime?.stop());

  it('answers POST / with X-Amz-Target with 200, application/x-amz-json-1.1 and a request id', async () => {
    // Act
    const response = await contactsRequest(runtime, 'SSMContacts.ListContacts', {});

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.json).toHaveProperty('Contacts');
  });

  it('answers {} for operations with an empty output, and takes an empty body as an empty input', async () => {
    // Prepare
    const { arn } = await createContact(client);

    // Act
    const updated = await contactsRequest(runtime, 'SSMContacts.UpdateContact', { ContactId: arn, DisplayName: 'Raw' });
    const listed = await contactsRequest(runtime, 'SSMContacts.ListRotations', '');

    // Assess
    expect(updated.status).toBe(200);
    expect(updated.json).toEqual({});
    expect(listed.status).toBe(200);
  });

  it('takes and sends timestamps as epoch seconds (JSON numbers, fractions kept)', async () => {
    // Prepare
    const { arn } = await createContact(client);
    const sdkRotation = await createRotation(client, [arn], { StartTime: new Date('2027-01-04T09:00:00Z') });
    const created = await contactsRequest(runtime, 'SSMContacts.CreateRotation', {
      Name: 'raw',
      ContactIds: [arn],
      TimeZoneId: 'UTC',
      StartTime: 1799053200.25,
      Recurrence: { NumberOfOnCalls: 1, RecurrenceMultiplier: 1, DailySettings: [{ HourOfDay: 9, MinuteOfHour: 0 }] },
    });

    // Act
    const fromSdk = await contactsRequest(runtime, 'SSMContacts.GetRotation', { RotationId: sdkRotation });
    const fromRaw = await contactsRequest(runtime, 'SSMContacts.GetRotation', {
      RotationId: created.json?.RotationArn,
    });

    // Assess
    expect(fromSdk.json?.StartTime).toBe(1799053200);
    expect(fromRaw.json?.StartTime).toBe(1799053200.25);
  });

  describe('errors', () => {
    it('renders a ValidationException with the namespaced __type, Message, Reason, Fields and x-amzn-errortype', async () => {
      // Act
      const response = await contactsRequest(runtime, 'SSMContacts.CreateContact', {
        Alias: 5,
        Type: 'PERSONAL',
        Plan: {},
      });

      // Assess
      expect(response.status).toBe(400);
      expect(response.headers.get('x-amzn-errortype')).toBe('ValidationException');
      expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
      expect(response.json).toEqual({
        __type: 'com.amazonaws.ssmcontacts#ValidationException',
        Message: expect.stringContaining("'Alias'"),
        Reason: 'FIELD_VALIDATION_FAILED',
        Fields: [{ Name: 'Alias', Message: expect.stringContaining('string') }],
      });
    });

    it('answers an unknown or missing X-Amz-Target with a ValidationException, Reason UNKNOWN_OPERATION', async () => {
      // Act
      const unknown = await contactsRequest(runtime, 'SSMContacts.DoSomething', {});
      // (AmazonSSM.* is the local Automation engine's target locally, so another service's target stands in here.)
      const otherService = await contactsRequest(runtime, 'Logs_20140328.DescribeLogGroups', {});
      const missing = await contactsRequest(runtime, undefined, {});
      const prototype = await contactsRequest(runtime, 'SSMContacts.constructor', {});

      // Assess
      for (const response of [unknown, otherService, missing, prototype]) {
        expect(response.status).toBe(400);
        expect(response.json).toMatchObject({
          __type: 'com.amazonaws.ssmcontacts#ValidationException',
          Reason: 'UNKNOWN_OPERATION',
        });
      }
    });

    it('answers a body that is not a JSON object, or not JSON, with Reason CANNOT_PARSE, and writes nothing', async () => {
      // Prepare
      const before = await itemCount(runtime);

      // Act
      const responses = await Promise.all([
        contactsRequest(runtime, 'SSMContacts.CreateContact', '{"Alias": "x",'),
        contactsRequest(runtime, 'SSMContacts.CreateContact', '[1,2]'),
        contactsRequest(runtime, 'SSMContacts.CreateContact', '"text"'),
        contactsRequest(runtime, 'SSMContacts.CreateContact', '{}', { 'content-type': 'text/plain' }),
      ]);

      // Assess
      for (const response of responses) {
        expect(response.status).toBe(400);
        expect(response.json).toMatchObject({
          __type: 'com.amazonaws.ssmcontacts#ValidationException',
          Reason: 'CANNOT_PARSE',
        });
      }
      expect(await itemCount(runtime)).toBe(before);
    });

    it('renders ResourceNotFoundException (404) with ResourceId and ResourceType', async () => {
      // Prepare
      const missing = contactArnOf(uniqueAlias('ghost'));

      // Act
      const response = await contactsRequest(runtime, 'SSMContacts.GetContact', { ContactId: missing });

      // Assess
      expect(response.status).toBe(404);
      expect(response.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
      expect(response.json).toEqual({
        __type: 'com.amazonaws.ssmcontacts#ResourceNotFoundException',
        Message: expect.any(String),
        ResourceId: missing,
        ResourceType: 'CONTACT',
      });
    });

    it('renders ConflictException (409) with DependentEntities', async () => {
      // Prepare
      const { arn } = await createContact(client);
      const rotation = await createRotation(client, [arn]);

      // Act
      const response = await contactsRequest(runtime, 'SSMContacts.DeleteContact', { ContactId: arn });

      // Assess
      expect(response.status).toBe(409);
      expect(response.json).toEqual({
        __type: 'com.amazonaws.ssmcontacts#ConflictException',
        Message: expect.any(String),
        ResourceId: arn,
        ResourceType: 'CONTACT',
        DependentEntities: [{ RelationType: 'ROTATION_MEMBER', DependentResourceIds: [rotation] }],
      });
    });

    it('never answers 500 for wrong member types', async () => {
      const bodies: [string, object][] = [
        ['SSMContacts.CreateContact', { Alias: 'ok', Type: 'PERSONAL', Plan: { Stages: 'x' } }],
        [
          'SSMContacts.CreateContact',
          { Alias: 'ok', Type: 'PERSONAL', Plan: { Stages: [{ DurationInMinutes: '5', Targets: [] }] } },
        ],
        ['SSMContacts.CreateContact', { Alias: 'ok', Type: 'PERSONAL', Plan: { Stages: [null] } }],
        ['SSMContacts.CreateContact', { Alias: 'ok', Type: 'PERSONAL', Plan: {}, Tags: { team: 'x' } }],
        ['SSMContacts.CreateRotation', { Name: 'r', ContactIds: 'x', TimeZoneId: 'UTC', Recurrence: {} }],
        [
          'SSMContacts.CreateRotation',
          { Name: 'r', ContactIds: [contactArnOf('a')], TimeZoneId: 'UTC', Recurrence: [] },
        ],
        [
          'SSMContacts.CreateRotation',
          {
            Name: 'r',
            ContactIds: [contactArnOf('a')],
            TimeZoneId: 'UTC',
            Recurrence: { NumberOfOnCalls: 1, RecurrenceMultiplier: 1, DailySettings: [{ HourOfDay: 'nine' }] },
          },
        ],
        [
          'SSMContacts.ListRotationShifts',
          { RotationId: 'arn:aws:ssm-contacts:us-east-1:111122223333:rotation/x', EndTime: 'tomorrow' },
        ],
        [
          'SSMContacts.ListPreviewRotationShifts',
          {
            Members: ['a'],
            TimeZoneId: 'UTC',
            EndTime: 1e20,
            Recurrence: { NumberOfOnCalls: 1, RecurrenceMultiplier: 1, DailySettings: [{}] },
          },
        ],
        ['SSMContacts.TagResource', { ResourceARN: contactArnOf('a'), Tags: [{ Key: 'k' }] }],
        ['SSMContacts.ListContacts', { MaxResults: 1025 }],
        ['SSMContacts.ListContacts', { NextToken: 'not a token!' }],
        ['SSMContacts.ListContacts', { NextToken: 'eyJrIjp7fX0' }],
        ['SSMContacts.GetContact', { ContactId: `arn:aws:ssm-contacts:us-east-1:111122223333:${'a:'.repeat(1000)}!` }],
      ];
      for (const [target, body] of bodies) {
        const response = await contactsRequest(runtime, target, body);
        expect(response.status, `${target} ${JSON.stringify(body).slice(0, 80)}`).toBe(400);
        expect(response.json?.__type).toBe('com.amazonaws.ssmcontacts#ValidationException');
      }
    });
  });

  it('serves the engagement operations: ids that name nothing are ResourceNotFoundException, never an unknown operation', async () => {
    // Prepare
    const arn = contactArnOf('someone');
    const commands = [
      new StartEngagementCommand({ ContactId: arn, Sender: 's', Subject: 's', Content: 'c' }),
      new StopEngagementCommand({ EngagementId: arn }),
      new DescribeEngagementCommand({ EngagementId: arn }),
      new DescribePageCommand({ PageId: arn }),
      new AcceptPageCommand({ PageId: arn, AcceptType: 'READ', AcceptCode: '123456' }),
      new ListPagesByContactCommand({ ContactId: arn }),
      new ListPagesByEngagementCommand({ EngagementId: arn }),
      new ListPageReceiptsCommand({ PageId: arn }),
      new ListPageResolutionsCommand({ PageId: arn }),
    ];

    // Act
    const errors = await Promise.all(commands.map((command) => errorOf(client.send(command as any))));

    const listed = await client.send(new ListEngagementsCommand({}));

    // Assess
    for (const error of errors) expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(listed.Engagements).toEqual([]);
  });

  it('leaves the ssm-incidents routes on the same endpoint as they were: its operations, and its unknown-path error', async () => {
    // Act
    const plans = await runtime.incidentsClient().send(new ListResponsePlansCommand({}));
    const unknownPath = await rawRequest(runtime, 'POST', '/notAnOperation', {});
    const rootGet = await rawRequest(runtime, 'GET', '/');

    // Assess
    expect(plans.$metadata.httpStatusCode).toBe(200);
    for (const response of [unknownPath, rootGet]) {
      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({
        __type: 'ValidationException',
        message: expect.stringContaining('No ssm-incidents operation'),
      });
    }
  });
});
