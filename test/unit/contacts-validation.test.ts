/**
 * ssm-contacts validation without a database: every rejection names the wire member (PascalCase, 1-based list
 * positions) and happens before the store is touched; ARNs, tags, recurrence conversion, paging cursors, idempotency
 * keys, reference bookkeeping and the awsJson1_1 edge (operation names, bodies, error rendering).
 */
import * as contactsSdk from '@aws-sdk/client-ssm-contacts';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { CONTACTS_OPERATIONS } from '#core/contacts/api.ts';
import { contactArn, contactChannelArn, parseContactsArn, rotationArn } from '#core/contacts/arns.ts';
import { createContactChannel } from '#core/contacts/channels.ts';
import { createContact } from '#core/contacts/contacts.ts';
import { decodeCursor, encodeCursor } from '#core/contacts/cursor.ts';
import type { MessageSender } from '#core/contacts/messaging.ts';
import { type ContactsDependencies, contactsIdempotencyKey } from '#core/contacts/operation.ts';
import type { ContactsStore } from '#core/contacts/ports.ts';
import { dependentEntities, referenceChanges } from '#core/contacts/references.ts';
import {
  createRotation,
  createRotationOverride,
  listPreviewRotationShifts,
} from '#core/contacts/rotation-operations.ts';
import { checkTimeZone, recurrenceOf } from '#core/contacts/rotation-shapes.ts';
import { pageSize, tagsOf, tagsView } from '#core/contacts/shapes.ts';
import {
  ConflictError,
  ResourceNotFoundError,
  ServiceQuotaExceededError,
  ValidationError,
} from '#core/shared/errors.ts';
import { errorResponse } from '#http/aws-errors.ts';
import { contactsErrorResponse, contactsInput, contactsOperationName } from '#http/contacts-protocol.ts';
import { API_ROUTES, INCIDENTS_ROUTES, matchRoute } from '#http/routes.ts';

const service = { accountId: '111122223333', region: 'eu-west-1', partition: 'aws' };
const ctx = {
  ...service,
  caller: { principalArn: 'arn:aws:iam::111122223333:user/t' },
  now: Date.parse('2026-11-21T12:00:00Z'),
};

/** A store and sender that fail the test if anything reaches them: validation must come first. */
const untouched: ContactsDependencies = {
  store: new Proxy({} as ContactsStore, {
    get: (_t, name) => () => {
      throw new Error(`store.${String(name)} was called`);
    },
  }),
  messages: { send: () => Promise.reject(new Error('a message was sent')) } satisfies MessageSender,
};

const rejection = async (promise: Promise<unknown>): Promise<ValidationError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
};

describe('ARNs', () => {
  it('are regional and name contacts by alias, channels under their contact, rotations by id', () => {
    expect(contactArn(service, 'alice')).toBe('arn:aws:ssm-contacts:eu-west-1:111122223333:contact/alice');
    expect(contactChannelArn(service, 'alice', 'c1')).toBe(
      'arn:aws:ssm-contacts:eu-west-1:111122223333:contact-channel/alice/c1',
    );
    expect(rotationArn(service, 'r1')).toBe('arn:aws:ssm-contacts:eu-west-1:111122223333:rotation/r1');
    expect(parseContactsArn(service, contactChannelArn(service, 'alice', 'c1'), 'f')).toEqual({
      kind: 'contact-channel',
      alias: 'alice',
      channelId: 'c1',
    });
  });

  it('treat another account, Region or resource kind as not found, and a non-ARN as invalid (naming the field)', () => {
    for (const arn of [
      'arn:aws:ssm-contacts:eu-west-1:999999999999:contact/alice',
      'arn:aws:ssm-contacts:us-east-1:111122223333:contact/alice',
      'arn:aws:ssm-contacts:eu-west-1:111122223333:escalation/alice/e1',
      'arn:aws:ssm-contacts:eu-west-1:111122223333:contact/Alice',
    ])
      expect(() => parseContactsArn(service, arn, 'ContactId'), arn).toThrow(ResourceNotFoundError);
    // Engagements and pages are resource kinds of their own (engagement/<alias>/<id>, page/<alias>/<id>).
    expect(
      parseContactsArn(service, 'arn:aws:ssm-contacts:eu-west-1:111122223333:engagement/alice/e1', 'EngagementId'),
    ).toEqual({
      kind: 'engagement',
      alias: 'alice',
      engagementId: 'e1',
    });
    expect(parseContactsArn(service, 'arn:aws:ssm-contacts:eu-west-1:111122223333:page/alice/p1', 'PageId')).toEqual({
      kind: 'page',
      alias: 'alice',
      pageId: 'p1',
    });
    expect(() => parseContactsArn(service, 'alice', 'ContactId')).toThrow(
      expect.objectContaining({ field: 'ContactId' }),
    );
    expect(() => parseContactsArn(service, 'arn:aws:ssm-incidents::111122223333:response-plan/p', 'ContactId')).toThrow(
      ValidationError,
    );
  });

  it('are checked in linear time, even for a 2 KB near-miss (the model pattern nests quantifiers)', () => {
    const started = performance.now();
    expect(() =>
      parseContactsArn(service, `arn:aws:ssm-contacts:eu-west-1:111122223333:${'a:'.repeat(1000)}!`, 'f'),
    ).toThrow(ValidationError);
    expect(performance.now() - started).toBeLessThan(100);
  });
});

describe('CreateContact validation (before any read or write)', () => {
  const valid = { Alias: 'alice', Type: 'PERSONAL', Plan: { Stages: [] } };
  const cases: [object, string][] = [
    [{ ...valid, Alias: 'a b' }, 'Alias'],
    [{ ...valid, Type: 'personal' }, 'Type'],
    [{ ...valid, DisplayName: 'x'.repeat(256) }, 'DisplayName'],
    [{ ...valid, Plan: { Stages: [{ DurationInMinutes: -1, Targets: [] }] } }, 'Plan.Stages.1.DurationInMinutes'],
    [{ ...valid, Plan: { Stages: [{ DurationInMinutes: 1 }] } }, 'Plan.Stages.1.Targets'],
    [{ ...valid, Plan: { Stages: [{ DurationInMinutes: 1, Targets: [{}] }] } }, 'Plan.Stages.1.Targets.1'],
    [
      { ...valid, Plan: { RotationIds: Array.from({ length: 26 }, (_, i) => rotationArn(service, `r${i}`)) } },
      'Plan.RotationIds',
    ],
    [{ ...valid, Tags: [{ Key: 'ok', Value: '' }] }, 'Tags.1.Value'],
    [{ ...valid, Tags: [{ Key: 'aws:x', Value: 'v' }] }, 'Tags.1.Key'],
    [{ ...valid, IdempotencyToken: 'has spaces' }, 'IdempotencyToken'],
    [
      {
        ...valid,
        Plan: {
          Stages: [
            {
              DurationInMinutes: 1,
              Targets: [{ ChannelTargetInfo: { ContactChannelId: contactChannelArn(service, 'alice', 'c') } }],
            },
          ],
        },
      },
      'Plan.Stages.1.Targets.1.ChannelTargetInfo.ContactChannelId',
    ],
    [
      {
        ...valid,
        Type: 'ONCALL_SCHEDULE',
        Plan: { Stages: [{ DurationInMinutes: 1, Targets: [] }], RotationIds: [rotationArn(service, 'r')] },
      },
      'Plan.Stages',
    ],
  ];
  for (const [input, field] of cases) {
    it(`names ${field}`, async () => {
      const error = await rejection(createContact(untouched, ctx, input));
      expect(error.field).toBe(field);
      expect(error.message).toContain(`'${field}'`);
    });
  }
});

describe('CreateContactChannel address formats', () => {
  const input = (Type: string, SimpleAddress: string) => ({
    ContactId: contactArn(service, 'alice'),
    Name: 'n',
    Type,
    DeliveryAddress: { SimpleAddress },
  });
  it('wants E.164 numbers for SMS and VOICE and an email address for EMAIL', async () => {
    for (const [type, address] of [
      ['SMS', '+1 206 555 0100'],
      ['SMS', '+12065550100999999'],
      ['VOICE', 'alice@example.com'],
      ['EMAIL', '+12065550100'],
      ['EMAIL', '@example.com'],
    ] as const) {
      const error = await rejection(createContactChannel(untouched, ctx, input(type, address)));
      expect(error.field, `${type} ${address}`).toBe('DeliveryAddress.SimpleAddress');
    }
    const tooLong = await rejection(
      createContactChannel(untouched, ctx, input('EMAIL', `${'a'.repeat(320)}@example.com`)),
    );
    expect(tooLong.field).toBe('DeliveryAddress.SimpleAddress');
  });
});

describe('rotation validation', () => {
  it('converts RecurrenceSettings to the engine model, HandOffTime members defaulting to 0', () => {
    expect(
      recurrenceOf(
        {
          NumberOfOnCalls: 1,
          RecurrenceMultiplier: 2,
          MonthlySettings: [{ DayOfMonth: 31, HandOffTime: { HourOfDay: 8 } }],
          DailySettings: [],
          ShiftCoverages: { FRI: [{ Start: {}, End: { HourOfDay: 12, MinuteOfHour: 30 } }] },
        },
        'Recurrence',
      ),
    ).toEqual({
      numberOfOnCalls: 1,
      recurrenceMultiplier: 2,
      monthlySettings: [{ dayOfMonth: 31, handOffTime: { hourOfDay: 8, minuteOfHour: 0 } }],
      shiftCoverages: { FRI: [{ start: { hourOfDay: 0, minuteOfHour: 0 }, end: { hourOfDay: 12, minuteOfHour: 30 } }] },
    });
  });

  it("reports the engine's semantic problems with wire member names", () => {
    const error = (() => {
      try {
        recurrenceOf({ NumberOfOnCalls: 3, RecurrenceMultiplier: 1, WeeklySettings: [] }, 'Recurrence', 2);
      } catch (e) {
        return e as ValidationError;
      }
      throw new Error('expected a ValidationError');
    })();
    expect(error.field).toBe('Recurrence.NumberOfOnCalls');
    expect(error.message).toContain('Recurrence.NumberOfOnCalls');
    expect(error.message).toContain('DailySettings, WeeklySettings or MonthlySettings');
    expect(error.message).not.toMatch(/numberOfOnCalls|dailySettings/);
  });

  it('refuses time-zone designators and unknown zones, naming the field', () => {
    expect(checkTimeZone('America/Los_Angeles', 'TimeZoneId')).toBe('America/Los_Angeles');
    for (const zone of ['PST', 'EST', 'america/new_york', 'Nowhere/City'])
      expect(() => checkTimeZone(zone, 'TimeZoneId'), zone).toThrow(expect.objectContaining({ field: 'TimeZoneId' }));
  });

  it('checks CreateRotation and ListPreviewRotationShifts input before reading anything', async () => {
    const members = [contactArn(service, 'a')];
    const rotation = {
      Name: 'r',
      ContactIds: members,
      TimeZoneId: 'UTC',
      Recurrence: { NumberOfOnCalls: 1, RecurrenceMultiplier: 1 },
    };
    expect((await rejection(createRotation(untouched, ctx, rotation))).field).toBe('Recurrence');
    expect((await rejection(createRotation(untouched, ctx, { ...rotation, StartTime: 'soon' }))).field).toBe(
      'StartTime',
    );
    const preview = {
      Members: ['a', 'b'],
      TimeZoneId: 'UTC',
      EndTime: Date.parse('2027-01-10T00:00:00Z') / 1000,
      StartTime: Date.parse('2027-01-01T00:00:00Z') / 1000,
      Recurrence: { NumberOfOnCalls: 1, RecurrenceMultiplier: 1, DailySettings: [{ HourOfDay: 9, MinuteOfHour: 0 }] },
    };
    expect(
      (await rejection(listPreviewRotationShifts(untouched, ctx, { ...preview, EndTime: preview.StartTime }))).field,
    ).toBe('EndTime');
    expect(
      (
        await rejection(
          listPreviewRotationShifts(untouched, ctx, {
            ...preview,
            Overrides: [{ StartTime: preview.EndTime, EndTime: preview.StartTime }],
          }),
        )
      ).field,
    ).toBe('Overrides.1.EndTime');
    // The preview needs no store at all: daily 09:00 hand-offs from Jan 1 09:00 to Jan 10 09:00 are 9 shifts.
    const page = (await listPreviewRotationShifts(untouched, ctx, preview)) as { RotationShifts: unknown[] };
    expect(page.RotationShifts).toHaveLength(9);
  });

  it("checks an override's length and horizon before reading the rotation", async () => {
    const base = { RotationId: rotationArn(service, 'r1'), NewContactIds: [], StartTime: ctx.now / 1000 + 3600 };
    expect(
      (await rejection(createRotationOverride(untouched, ctx, { ...base, EndTime: base.StartTime + 1799 }))).field,
    ).toBe('EndTime');
    expect(
      (await rejection(createRotationOverride(untouched, ctx, { ...base, EndTime: base.StartTime + 190 * 86400 })))
        .field,
    ).toBe('EndTime');
    expect(
      (
        await rejection(
          createRotationOverride(untouched, ctx, {
            ...base,
            StartTime: ctx.now / 1000 - 3600,
            EndTime: ctx.now / 1000,
          }),
        )
      ).field,
    ).toBe('StartTime');
  });
});

describe('tags', () => {
  it('turn a {Key, Value} list into a map (a repeated key keeps the last value) and back, sorted by key', () => {
    const map = tagsOf([
      { Key: 'b', Value: '1' },
      { Key: '__proto__', Value: 'x' },
      { Key: 'b', Value: '2' },
      { Key: 'a', Value: '3' },
    ]);
    expect(Object.keys(map)).toEqual(['b', '__proto__', 'a']);
    expect(tagsView(map)).toEqual([
      { Key: '__proto__', Value: 'x' },
      { Key: 'a', Value: '3' },
      { Key: 'b', Value: '2' },
    ]);
  });
});

describe('paging', () => {
  it('treats MaxResults 0 (allowed by the model) like an absent one', () => {
    expect(pageSize(undefined)).toBe(100);
    expect(pageSize(0)).toBe(100);
    expect(pageSize(7)).toBe(7);
  });

  it('issues cursors that fit the NextToken pattern and only work for the request they came from', () => {
    const token = encodeCursor(
      { from: 1_800_000_000_000, anchor: 1_700_000_000_000 },
      { RotationId: 'r', EndTime: 5 },
    )!;
    expect(token).toMatch(/^[\\/a-zA-Z0-9_+=-]*$/);
    expect(decodeCursor(token, { EndTime: 5, RotationId: 'r' })).toEqual({
      from: 1_800_000_000_000,
      anchor: 1_700_000_000_000,
    });
    expect(() => decodeCursor(token, { RotationId: 'other', EndTime: 5 })).toThrow(
      expect.objectContaining({ field: 'NextToken' }),
    );
    expect(() => decodeCursor('bm90IGpzb24', {})).toThrow(ValidationError);
    expect(encodeCursor(undefined, {})).toBeUndefined();
  });
});

describe('idempotency keys', () => {
  it('are scoped to ssm-contacts and the operation, and hash every member but the token', () => {
    const key = contactsIdempotencyKey('CreateContact', { IdempotencyToken: 't', Alias: 'a', Type: 'PERSONAL' });
    expect(key).toMatchObject({ operation: 'ssm-contacts:CreateContact', token: 't' });
    expect(
      contactsIdempotencyKey('CreateContact', { Type: 'PERSONAL', Alias: 'a', IdempotencyToken: 'other' })?.inputHash,
    ).toBe(key?.inputHash);
    expect(
      contactsIdempotencyKey('CreateContact', { IdempotencyToken: 't', Alias: 'b', Type: 'PERSONAL' })?.inputHash,
    ).not.toBe(key?.inputHash);
    expect(contactsIdempotencyKey('CreateRotation', { Name: 'r' })).toBeUndefined();
  });
});

describe('references', () => {
  const referrer = {
    resource: { kind: 'contact' as const, alias: 'plan' },
    arn: 'arn:plan',
    relationType: 'ESCALATION_PLAN_TARGET',
  };
  const target = (alias: string) => ({
    resource: { kind: 'contact' as const, alias },
    unavailable: () => new ValidationError('gone'),
  });

  it('add only new targets (once each) and remove only dropped ones', () => {
    const changes = referenceChanges(
      referrer,
      [
        { kind: 'contact', alias: 'kept' },
        { kind: 'contact', alias: 'dropped' },
      ],
      [target('kept'), target('new'), target('new')],
    );
    expect(changes.add.map((t) => t.resource)).toEqual([{ kind: 'contact', alias: 'new' }]);
    expect(changes.remove).toEqual([{ kind: 'contact', alias: 'dropped' }]);
  });

  it('group dependents by relation, at most 25 ids each', () => {
    const dependents = [
      ...Array.from({ length: 30 }, (_, i) => ({
        relationType: 'ROTATION_MEMBER',
        referrerArn: `arn:r${String(i).padStart(2, '0')}`,
      })),
      { relationType: 'ESCALATION_PLAN_TARGET', referrerArn: 'arn:e' },
    ];
    const entities = dependentEntities(dependents);
    expect(entities.map((e) => e.relationType)).toEqual(['ROTATION_MEMBER', 'ESCALATION_PLAN_TARGET']);
    expect(entities[0]!.dependentResourceIds).toHaveLength(25);
  });
});

describe('awsJson1_1 edge', () => {
  const event = (headers: Record<string, string>, body?: string, method = 'POST'): APIGatewayProxyEventV2 =>
    ({
      version: '2.0',
      rawPath: '/',
      headers,
      body,
      isBase64Encoded: false,
      requestContext: { http: { method, path: '/' }, requestId: 'r1' },
    }) as unknown as APIGatewayProxyEventV2;
  const known = { GetContact: true };

  it('reads the operation from X-Amz-Target (any header case) and refuses others with Reason UNKNOWN_OPERATION', () => {
    expect(contactsOperationName(event({ 'X-Amz-Target': 'SSMContacts.GetContact' }), known)).toBe('GetContact');
    for (const e of [
      event({ 'x-amz-target': 'SSMContacts.StartEngagement' }),
      event({ 'x-amz-target': 'SSMContacts.toString' }),
      event({}),
      event({ 'x-amz-target': 'SSMContacts.GetContact' }, undefined, 'GET'),
    ])
      expect(() => contactsOperationName(e, known)).toThrow(expect.objectContaining({ reason: 'UNKNOWN_OPERATION' }));
  });

  it('reads the body as the input; unreadable bodies are Reason CANNOT_PARSE', () => {
    expect(contactsInput(event({ 'content-type': 'application/x-amz-json-1.1' }, '{"A":1}'))).toEqual({ A: 1 });
    expect(contactsInput(event({}, ''))).toEqual({});
    for (const e of [event({}, '{'), event({}, '[]'), event({ 'content-type': 'text/xml' }, '{}')])
      expect(() => contactsInput(e)).toThrow(expect.objectContaining({ reason: 'CANNOT_PARSE' }));
  });

  it('renders errors in ssm-contacts casing with the namespaced __type', () => {
    const validation = contactsErrorResponse(new ValidationError('bad alias', 'Alias'), 'r1');
    expect(validation.statusCode).toBe(400);
    expect(validation.headers?.['x-amzn-errortype']).toBe('ValidationException');
    expect(JSON.parse(validation.body!)).toEqual({
      __type: 'com.amazonaws.ssmcontacts#ValidationException',
      Message: 'bad alias',
      Reason: 'FIELD_VALIDATION_FAILED',
      Fields: [{ Name: 'Alias', Message: 'bad alias' }],
    });
    expect(JSON.parse(contactsErrorResponse(new ValidationError('odd'), 'r1').body!)).toMatchObject({
      Reason: 'OTHER',
    });
    const conflict = new ConflictError('in use', 'CONTACT', 'arn:c', [
      { relationType: 'ROTATION_MEMBER', dependentResourceIds: ['arn:r'] },
    ]);
    expect(JSON.parse(contactsErrorResponse(conflict, 'r1').body!)).toEqual({
      __type: 'com.amazonaws.ssmcontacts#ConflictException',
      Message: 'in use',
      ResourceId: 'arn:c',
      ResourceType: 'CONTACT',
      DependentEntities: [{ RelationType: 'ROTATION_MEMBER', DependentResourceIds: ['arn:r'] }],
    });
    const quota = contactsErrorResponse(
      new ServiceQuotaExceededError('too many', 'tags-per-resource', 'ROTATION', 'arn:r'),
      'r1',
    );
    expect(quota.statusCode).toBe(402);
    expect(JSON.parse(quota.body!)).toMatchObject({
      QuotaCode: 'tags-per-resource',
      ServiceCode: 'ssm-contacts',
      ResourceId: 'arn:r',
    });
    const internal = contactsErrorResponse(new TypeError('boom'), 'r1');
    expect(internal.statusCode).toBe(500);
    expect(JSON.parse(internal.body!)).toMatchObject({ __type: 'com.amazonaws.ssmcontacts#InternalServerException' });
  });

  it('leaves the ssm-incidents error shapes as they were (no contacts members leak into them)', () => {
    const conflict = new ConflictError('in use', 'RESPONSE_PLAN', 'arn:p', [
      { relationType: 'X', dependentResourceIds: [] },
    ]);
    expect(JSON.parse(errorResponse(conflict, 'r1').body!)).toEqual({
      __type: 'ConflictException',
      message: 'in use',
      resourceType: 'RESPONSE_PLAN',
      resourceIdentifier: 'arn:p',
    });
    expect(JSON.parse(errorResponse(new ValidationError('bad', 'x', 'CANNOT_PARSE'), 'r1').body!)).toEqual({
      __type: 'ValidationException',
      message: 'bad',
    });
  });
});

describe('dispatch table and route', () => {
  const ENGAGEMENT_OPERATIONS = [
    'AcceptPage',
    'DescribeEngagement',
    'DescribePage',
    'ListEngagements',
    'ListPageReceipts',
    'ListPageResolutions',
    'ListPagesByContact',
    'ListPagesByEngagement',
    'StartEngagement',
    'StopEngagement',
  ];
  const sdkOperations = Object.keys(contactsSdk)
    .filter((name) => name.endsWith('Command') && name !== '$Command')
    .map((name) => name.slice(0, -'Command'.length))
    .sort();

  it('serves every ssm-contacts operation of the SDK, the 10 engagement ones included (39 of 39)', () => {
    expect(sdkOperations).toHaveLength(39);
    expect(Object.keys(CONTACTS_OPERATIONS).sort()).toEqual(sdkOperations);
    for (const op of ENGAGEMENT_OPERATIONS) expect(CONTACTS_OPERATIONS, op).toHaveProperty(op);
  });

  it('routes POST / to the contacts function and leaves every ssm-incidents route where it was', () => {
    expect(matchRoute('POST', '/', API_ROUTES)?.spec).toMatchObject({
      function: 'contactsApi',
      path: '/',
      method: 'POST',
    });
    expect(matchRoute('POST', '/', INCIDENTS_ROUTES)).toBeUndefined();
    expect(matchRoute('GET', '/', API_ROUTES)).toBeUndefined();
    for (const spec of INCIDENTS_ROUTES) expect(spec.function).toBe('incidentsApi');
    expect(API_ROUTES.filter((r) => r.function === 'contactsApi')).toHaveLength(1);
  });
});
