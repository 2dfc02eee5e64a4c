/**
 * A valid input for every operation of both APIs, built against a fixture of real resources, and the raw HTTP
 * request each becomes through the route table (ssm-incidents: method, path, query and path-label bindings) or the
 * awsJson1_1 protocol (ssm-contacts: `POST /` + `X-Amz-Target`). Property tests mutate these inputs (hostile keys,
 * invalid Unicode, foreign ARNs, retried tokens) and check every operation the same way, so an operation added to the
 * operation tables without a sample fails the tests that iterate them.
 */
import { randomUUID } from 'node:crypto';
import {
  ActivateContactChannelCommand,
  CreateRotationOverrideCommand,
  ListPagesByEngagementCommand,
  type SSMContactsClient,
  StartEngagementCommand,
  UpdateContactCommand,
} from '@aws-sdk/client-ssm-contacts';
import {
  CreateReplicationSetCommand,
  CreateTimelineEventCommand,
  ListReplicationSetsCommand,
  PutResourcePolicyCommand,
  type SSMIncidentsClient,
} from '@aws-sdk/client-ssm-incidents';
import { CONTACTS_TARGET_PREFIX } from '#core/contacts/api.ts';
import { INCIDENTS_ROUTES } from '#http/routes.ts';
import {
  activationCodeOf,
  createChannel,
  createContact,
  createRotation,
  uniqueAlias,
} from '../compat/contacts-helpers.ts';
import { eventually } from '../compat/engagements-helpers.ts';
import { createPlan, type RawResponse, readRawResponse, startIncident, unique } from '../compat/helpers.ts';
import { TEST_ACCOUNT, TEST_REGION, type TestRuntime } from './local-runtime.ts';

export type Json = Record<string, unknown>;

/** Resources the samples name. `doomed*` ones exist only to be deleted by the Delete* samples. */
export interface Fixture {
  planArn: string;
  planName: string;
  incidentArn: string;
  eventId: string;
  replicationSetArn: string;
  policyId: string;
  contactArn: string;
  channelArn: string;
  rotationArn: string;
  overrideId: string;
  engagementArn: string;
  pageArn: string;
  /** A NOT_ACTIVATED channel and the code it was sent. */
  pending: { channelArn: string; activationCode: string };
  /** A NOT_ACTIVATED channel for SendActivationCode. */
  codeChannelArn: string;
  doomed: {
    planArn: string;
    incidentArn: string;
    eventId: string;
    policyId: string;
    contactArn: string;
    channelArn: string;
    rotationArn: string;
    overrideId: string;
    engagementArn: string;
  };
}

const policyDocument = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` },
      Action: 'ssm-incidents:*',
      Resource: '*',
    },
  ],
});

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

/** Builds the fixture through the official clients. Pages arrive fast when the runtime runs with a time scale. */
export async function buildFixture(
  runtime: TestRuntime,
  incidents: SSMIncidentsClient,
  contacts: SSMContactsClient,
): Promise<Fixture> {
  // A person with an activated channel and a plan that pages it at once, so engagements create pages.
  const person = await createContact(contacts, { Alias: uniqueAlias('sample') });
  const channelArn = await createChannel(contacts, person.arn);
  await contacts.send(
    new ActivateContactChannelCommand({
      ContactChannelId: channelArn,
      ActivationCode: activationCodeOf(runtime, channelArn)!,
    }),
  );
  await contacts.send(
    new UpdateContactCommand({
      ContactId: person.arn,
      Plan: { Stages: [{ DurationInMinutes: 0, Targets: [{ ChannelTargetInfo: { ContactChannelId: channelArn } }] }] },
    }),
  );
  const rotationArn = await createRotation(contacts, [person.arn]);
  const override = async (rotation: string) =>
    (
      await contacts.send(
        new CreateRotationOverrideCommand({
          RotationId: rotation,
          NewContactIds: [person.arn],
          StartTime: new Date((inAnHour() + 3600) * 1000),
          EndTime: new Date((inAnHour() + 7200) * 1000),
        }),
      )
    ).RotationOverrideId!;
  const engage = async () =>
    (
      await contacts.send(
        new StartEngagementCommand({ ContactId: person.arn, Sender: 'fixture', Subject: 'sample', Content: 'sample' }),
      )
    ).EngagementArn!;
  const engagementArn = await engage();
  const pageArn = await eventually(
    async () =>
      (await contacts.send(new ListPagesByEngagementCommand({ EngagementId: engagementArn }))).Pages?.[0]?.PageArn,
    20_000,
    'the fixture engagement to page',
  );

  const plan = await createPlan(incidents, {
    tags: { team: 'payments' },
    actions: [
      {
        ssmAutomation: {
          roleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/runbook`,
          documentName: 'AWS-RestartEC2Instance',
          parameters: { InstanceId: ['i-1234567890abcdef0'] },
          dynamicParameters: { IncidentArn: { variable: 'INCIDENT_RECORD_ARN' } },
        },
      },
    ],
  });
  const incidentArn = await startIncident(incidents, plan.arn);
  const event = async (incident: string) =>
    (
      await incidents.send(
        new CreateTimelineEventCommand({
          incidentRecordArn: incident,
          eventTime: new Date(),
          eventType: 'Custom Event',
          eventData: '"sample"',
        }),
      )
    ).eventId!;
  const policy = async (planArn: string) =>
    (await incidents.send(new PutResourcePolicyCommand({ resourceArn: planArn, policy: policyDocument }))).policyId!;
  const replicationSetArn =
    (await incidents.send(new ListReplicationSetsCommand({}))).replicationSetArns?.[0] ??
    (await incidents.send(new CreateReplicationSetCommand({ regions: { [TEST_REGION]: {} } }))).arn!;
  // A channel waiting for its activation code, for ActivateContactChannel.
  const pendingChannelArn = await createChannel(contacts, person.arn, { Name: 'pending' });

  const doomedPlan = await createPlan(incidents);
  const doomedIncident = await startIncident(incidents, plan.arn);
  const doomedContact = await createContact(contacts, { Alias: uniqueAlias('doomed') });
  const doomedRotation = await createRotation(contacts, [person.arn]);
  return {
    planArn: plan.arn,
    planName: plan.name,
    incidentArn,
    eventId: await event(incidentArn),
    replicationSetArn,
    policyId: await policy(plan.arn),
    contactArn: person.arn,
    channelArn,
    rotationArn,
    overrideId: await override(rotationArn),
    engagementArn,
    pageArn,
    pending: { channelArn: pendingChannelArn, activationCode: activationCodeOf(runtime, pendingChannelArn)! },
    codeChannelArn: await createChannel(contacts, person.arn, { Name: 'codes' }),
    doomed: {
      planArn: doomedPlan.arn,
      incidentArn: doomedIncident,
      eventId: await event(incidentArn),
      policyId: await policy(plan.arn),
      contactArn: doomedContact.arn,
      channelArn: await createChannel(contacts, person.arn, { Name: 'doomed' }),
      rotationArn: doomedRotation,
      overrideId: await override(rotationArn),
      engagementArn: await engage(),
    },
  };
}

export type Sample = (f: Fixture) => Json;

/**
 * The samples that cannot succeed as they are, and the error they get: the replication set is a singleton (the
 * fixture's exists, so CreateReplicationSet conflicts), and DeleteReplicationSet names another one so that the
 * fixture keeps its own.
 */
export const SAMPLE_ERRORS: Readonly<Record<string, string>> = {
  CreateReplicationSet: 'ConflictException',
  DeleteReplicationSet: 'ResourceNotFoundException',
};

const template = (title = 'Sample incident') => ({
  title,
  impact: 3,
  summary: 'sample summary',
  dedupeString: `dedupe-${randomUUID()}`,
  notificationTargets: [{ snsTopicArn: `arn:aws:sns:${TEST_REGION}:${TEST_ACCOUNT}:topic` }],
  incidentTags: { service: 'checkout' },
});

const planBody = () => ({
  displayName: 'Sample plan',
  chatChannel: { chatbotSns: [`arn:aws:sns:${TEST_REGION}:${TEST_ACCOUNT}:chat`] },
  actions: [
    {
      ssmAutomation: {
        roleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/runbook`,
        documentName: 'AWS-RestartEC2Instance',
        documentVersion: '1',
        targetAccount: 'RESPONSE_PLAN_OWNER_ACCOUNT',
        parameters: { InstanceId: ['i-1234567890abcdef0'] },
        dynamicParameters: { IncidentArn: { variable: 'INCIDENT_RECORD_ARN' } },
      },
    },
  ],
  integrations: [
    {
      pagerDutyConfiguration: {
        name: 'pd',
        secretId: 'pd-secret',
        pagerDutyIncidentConfiguration: { serviceId: 'P123' },
      },
    },
  ],
});

const relatedItem = () => ({
  identifier: { type: 'OTHER', value: { url: `https://example.com/${randomUUID()}` } },
  title: 'Runbook',
});

const filters = () => [
  { key: 'status', condition: { equals: { stringValues: ['OPEN'] } } },
  { key: 'creationTime', condition: { after: 1735689600 } },
];

/** A valid input for every ssm-incidents operation. Creates use fresh names, so a repeated sample creates anew. */
export const INCIDENTS_SAMPLES: Record<string, Sample> = {
  BatchGetIncidentFindings: (f) => ({ incidentRecordArn: f.incidentArn, findingIds: ['finding-1'] }),
  CreateReplicationSet: () => ({
    regions: { [TEST_REGION]: { sseKmsKeyId: 'alias/incidents' } },
    tags: { a: 'b' },
    clientToken: randomUUID(),
  }),
  CreateResponsePlan: () => ({
    name: unique('sample'),
    clientToken: randomUUID(),
    incidentTemplate: template(),
    tags: { team: 'payments' },
    ...planBody(),
  }),
  CreateTimelineEvent: (f) => ({
    incidentRecordArn: f.incidentArn,
    clientToken: randomUUID(),
    eventTime: Date.now() / 1000,
    eventType: 'Custom Event',
    eventData: '"note"',
    eventReferences: [{ resource: f.planArn }, { relatedItemId: 'item-1' }],
  }),
  DeleteIncidentRecord: (f) => ({ arn: f.doomed.incidentArn }),
  DeleteReplicationSet: () => ({ arn: `arn:aws:ssm-incidents::${TEST_ACCOUNT}:replication-set/${randomUUID()}` }),
  DeleteResourcePolicy: (f) => ({ resourceArn: f.planArn, policyId: f.doomed.policyId }),
  DeleteResponsePlan: (f) => ({ arn: f.doomed.planArn }),
  DeleteTimelineEvent: (f) => ({ incidentRecordArn: f.incidentArn, eventId: f.doomed.eventId }),
  GetIncidentRecord: (f) => ({ arn: f.incidentArn }),
  GetReplicationSet: (f) => ({ arn: f.replicationSetArn }),
  GetResourcePolicies: (f) => ({ resourceArn: f.planArn, maxResults: 10 }),
  GetResponsePlan: (f) => ({ arn: f.planArn }),
  GetTimelineEvent: (f) => ({ incidentRecordArn: f.incidentArn, eventId: f.eventId }),
  ListIncidentFindings: (f) => ({ incidentRecordArn: f.incidentArn, maxResults: 10 }),
  ListIncidentRecords: () => ({ filters: filters(), maxResults: 10 }),
  ListRelatedItems: (f) => ({ incidentRecordArn: f.incidentArn, maxResults: 10 }),
  ListReplicationSets: () => ({ maxResults: 10 }),
  ListResponsePlans: () => ({ maxResults: 10 }),
  ListTagsForResource: (f) => ({ resourceArn: f.planArn }),
  ListTimelineEvents: (f) => ({
    incidentRecordArn: f.incidentArn,
    filters: [
      { key: 'eventType', condition: { equals: { stringValues: ['Custom Event'] } } },
      { key: 'eventTime', condition: { before: Date.now() / 1000 + 3600 } },
    ],
    sortBy: 'EVENT_TIME',
    sortOrder: 'ASCENDING',
    maxResults: 10,
  }),
  PutResourcePolicy: (f) => ({ resourceArn: f.planArn, policy: policyDocument }),
  StartIncident: (f) => ({
    responsePlanArn: f.planArn,
    clientToken: randomUUID(),
    title: 'Sample',
    impact: 2,
    triggerDetails: {
      source: 'com.example.monitor',
      timestamp: Date.now() / 1000,
      triggerArn: `arn:aws:cloudwatch:${TEST_REGION}:${TEST_ACCOUNT}:alarm:${randomUUID()}`,
      rawData: '{"a":1}',
    },
    relatedItems: [relatedItem()],
  }),
  TagResource: (f) => ({ resourceArn: f.planArn, tags: { owner: 'sre' } }),
  UntagResource: (f) => ({ resourceArn: f.planArn, tagKeys: ['owner', 'gone'] }),
  UpdateDeletionProtection: (f) => ({ arn: f.replicationSetArn, deletionProtected: false, clientToken: randomUUID() }),
  UpdateIncidentRecord: (f) => ({
    arn: f.incidentArn,
    clientToken: randomUUID(),
    title: `Updated ${randomUUID().slice(0, 8)}`,
    summary: 'sample',
    impact: 2,
    status: 'OPEN',
    chatChannel: { empty: {} },
    notificationTargets: [{ snsTopicArn: `arn:aws:sns:${TEST_REGION}:${TEST_ACCOUNT}:topic` }],
  }),
  UpdateRelatedItems: (f) => ({
    incidentRecordArn: f.incidentArn,
    clientToken: randomUUID(),
    relatedItemsUpdate: { itemToAdd: relatedItem() },
  }),
  UpdateReplicationSet: (f) => ({
    arn: f.replicationSetArn,
    clientToken: randomUUID(),
    actions: [{ addRegionAction: { regionName: 'eu-west-1', sseKmsKeyId: 'alias/incidents' } }],
  }),
  UpdateResponsePlan: (f) => ({
    arn: f.planArn,
    clientToken: randomUUID(),
    incidentTemplateTitle: 'Sample',
    incidentTemplateImpact: 3,
    incidentTemplateTags: { service: 'checkout' },
    ...planBody(),
  }),
  UpdateTimelineEvent: (f) => ({
    incidentRecordArn: f.incidentArn,
    eventId: f.eventId,
    clientToken: randomUUID(),
    eventData: '"edited"',
    eventReferences: [{ resource: f.planArn }],
  }),
};

const recurrence = () => ({
  NumberOfOnCalls: 1,
  RecurrenceMultiplier: 1,
  DailySettings: [{ HourOfDay: 9, MinuteOfHour: 0 }],
  ShiftCoverages: { MON: [{ Start: { HourOfDay: 8, MinuteOfHour: 0 }, End: { HourOfDay: 18, MinuteOfHour: 0 } }] },
});

const window = () => ({ StartTime: inAnHour(), EndTime: inAnHour() + 7 * 86400 });

/** A valid input for every ssm-contacts operation (PascalCase members, the whole input in the body). */
export const CONTACTS_SAMPLES: Record<string, Sample> = {
  AcceptPage: (f) => ({
    PageId: f.pageArn,
    AcceptType: 'DELIVERED',
    AcceptCode: '123456',
    ContactChannelId: f.channelArn,
    Note: 'seen',
    AcceptCodeValidation: 'IGNORE',
  }),
  ActivateContactChannel: (f) => ({
    ContactChannelId: f.pending.channelArn,
    ActivationCode: f.pending.activationCode,
  }),
  CreateContact: () => ({
    Alias: uniqueAlias('sample'),
    DisplayName: 'Sample person',
    Type: 'PERSONAL',
    Plan: { Stages: [] },
    Tags: [{ Key: 'team', Value: 'payments' }],
    IdempotencyToken: randomUUID(),
  }),
  CreateContactChannel: (f) => ({
    ContactId: f.contactArn,
    Name: 'sample',
    Type: 'EMAIL',
    DeliveryAddress: { SimpleAddress: 'sample@example.com' },
    DeferActivation: true,
    IdempotencyToken: randomUUID(),
  }),
  CreateRotation: (f) => ({
    Name: `sample ${randomUUID().slice(0, 8)}`,
    ContactIds: [f.contactArn],
    StartTime: inAnHour(),
    TimeZoneId: 'Europe/Paris',
    Recurrence: recurrence(),
    Tags: [{ Key: 'team', Value: 'payments' }],
    IdempotencyToken: randomUUID(),
  }),
  CreateRotationOverride: (f) => ({
    RotationId: f.rotationArn,
    NewContactIds: [f.contactArn],
    StartTime: inAnHour() + 86400,
    EndTime: inAnHour() + 90000,
    IdempotencyToken: randomUUID(),
  }),
  DeactivateContactChannel: (f) => ({ ContactChannelId: f.doomed.channelArn }),
  DeleteContact: (f) => ({ ContactId: f.doomed.contactArn }),
  DeleteContactChannel: (f) => ({ ContactChannelId: f.doomed.channelArn }),
  DeleteRotation: (f) => ({ RotationId: f.doomed.rotationArn }),
  DeleteRotationOverride: (f) => ({ RotationId: f.rotationArn, RotationOverrideId: f.doomed.overrideId }),
  DescribeEngagement: (f) => ({ EngagementId: f.engagementArn }),
  DescribePage: (f) => ({ PageId: f.pageArn }),
  GetContact: (f) => ({ ContactId: f.contactArn }),
  GetContactChannel: (f) => ({ ContactChannelId: f.channelArn }),
  GetContactPolicy: (f) => ({ ContactArn: f.contactArn }),
  GetRotation: (f) => ({ RotationId: f.rotationArn }),
  GetRotationOverride: (f) => ({ RotationId: f.rotationArn, RotationOverrideId: f.overrideId }),
  ListContactChannels: (f) => ({ ContactId: f.contactArn, MaxResults: 10 }),
  ListContacts: () => ({ AliasPrefix: 'sample', Type: 'PERSONAL', MaxResults: 10 }),
  ListEngagements: () => ({
    MaxResults: 10,
    IncidentId: 'incident-1',
    TimeRangeValue: { StartTime: 1735689600, EndTime: inAnHour() },
  }),
  ListPageReceipts: (f) => ({ PageId: f.pageArn, MaxResults: 10 }),
  ListPageResolutions: (f) => ({ PageId: f.pageArn }),
  ListPagesByContact: (f) => ({ ContactId: f.contactArn, MaxResults: 10 }),
  ListPagesByEngagement: (f) => ({ EngagementId: f.engagementArn, MaxResults: 10 }),
  ListPreviewRotationShifts: () => ({
    RotationStartTime: inAnHour(),
    ...window(),
    Members: ['alice', 'bob'],
    TimeZoneId: 'America/New_York',
    Recurrence: recurrence(),
    Overrides: [{ NewMembers: ['bob'], StartTime: inAnHour() + 86400, EndTime: inAnHour() + 90000 }],
    MaxResults: 10,
  }),
  ListRotationOverrides: (f) => ({ RotationId: f.rotationArn, ...window(), MaxResults: 10 }),
  ListRotationShifts: (f) => ({ RotationId: f.rotationArn, ...window(), MaxResults: 10 }),
  ListRotations: () => ({ RotationNamePrefix: 'rotation', MaxResults: 10 }),
  ListTagsForResource: (f) => ({ ResourceARN: f.contactArn }),
  PutContactPolicy: (f) => ({ ContactArn: f.contactArn, Policy: policyDocument }),
  SendActivationCode: (f) => ({ ContactChannelId: f.codeChannelArn }),
  StartEngagement: (f) => ({
    ContactId: f.contactArn,
    Sender: 'sample',
    Subject: 'sample',
    Content: 'sample',
    PublicSubject: 'public',
    PublicContent: 'public',
    IncidentId: f.incidentArn,
    IdempotencyToken: randomUUID(),
  }),
  StopEngagement: (f) => ({ EngagementId: f.doomed.engagementArn, Reason: 'sample' }),
  TagResource: (f) => ({ ResourceARN: f.contactArn, Tags: [{ Key: 'owner', Value: 'sre' }] }),
  UntagResource: (f) => ({ ResourceARN: f.contactArn, TagKeys: ['owner'] }),
  UpdateContact: (f) => ({ ContactId: f.contactArn, DisplayName: 'Sample person' }),
  UpdateContactChannel: (f) => ({ ContactChannelId: f.channelArn, Name: 'renamed' }),
  UpdateRotation: (f) => ({ RotationId: f.rotationArn, Recurrence: recurrence(), TimeZoneId: 'UTC' }),
};

export type Api = 'ssm-incidents' | 'ssm-contacts';

/** The signature header the local front reads the caller from (any signature is accepted outside strict mode). */
const authorization = (service: Api, accessKeyId: string) =>
  `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/${TEST_REGION}/${service}/aws4_request, SignedHeaders=host, Signature=00`;

export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** The HTTP request an operation's input becomes, as the official clients send it. */
export function requestOf(api: Api, operation: string, input: Json, accessKeyId = 'sampler'): RawRequest {
  if (api === 'ssm-contacts')
    return {
      method: 'POST',
      path: '/',
      headers: {
        authorization: authorization(api, accessKeyId),
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `${CONTACTS_TARGET_PREFIX}${operation}`,
      },
      body: JSON.stringify(input),
    };
  const spec = INCIDENTS_ROUTES.find((r) => r.operation === operation);
  if (!spec) throw new Error(`No route for ${operation}`);
  const body: Json = { ...input };
  const query = new URLSearchParams();
  for (const member of spec.query ?? []) {
    if (body[member] !== undefined) query.append(member, String(body[member]));
    delete body[member];
  }
  for (const member of spec.queryLists ?? []) {
    for (const value of (body[member] as unknown[] | undefined) ?? []) query.append(member, String(value));
    delete body[member];
  }
  let path = spec.path;
  if (path.includes('{resourceArn}')) {
    path = path.replace('{resourceArn}', encodeURIComponent(String(body.resourceArn)));
    delete body.resourceArn;
  }
  const queryString = query.toString();
  const hasBody = spec.method !== 'GET' && Object.keys(body).length > 0;
  return {
    method: spec.method,
    path: queryString ? `${path}?${queryString}` : path,
    headers: {
      authorization: authorization(api, accessKeyId),
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
    },
    ...(hasBody ? { body: JSON.stringify(body) } : {}),
  };
}

export async function send(runtime: TestRuntime, request: RawRequest): Promise<RawResponse> {
  const response = await fetch(`${runtime.url}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
  return readRawResponse(response);
}

/** Both APIs' samples, as (api, operation, sample) rows. */
export const ALL_SAMPLES: readonly { api: Api; operation: string; sample: Sample }[] = [
  ...Object.entries(INCIDENTS_SAMPLES).map(([operation, sample]) => ({
    api: 'ssm-incidents' as const,
    operation,
    sample,
  })),
  ...Object.entries(CONTACTS_SAMPLES).map(([operation, sample]) => ({
    api: 'ssm-contacts' as const,
    operation,
    sample,
  })),
];
