/**
 * ssm-contacts contacts through the official client (awsJson1_1 on the same endpoint as ssm-incidents):
 * CreateContact / GetContact / ListContacts / UpdateContact / DeleteContact for the three contact types, plan
 * validation per type, dependents on delete, idempotency, the contact policy and tags.
 */
import {
  ConflictException,
  CreateContactCommand,
  DeleteContactCommand,
  GetContactCommand,
  GetContactPolicyCommand,
  ListContactChannelsCommand,
  ListContactsCommand,
  ListTagsForResourceCommand,
  PutContactPolicyCommand,
  paginateListContacts,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  type SSMContactsClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateContactCommand,
  UpdateRotationCommand,
  ValidationException,
} from '@aws-sdk/client-ssm-contacts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contactArnOf,
  startTestRuntime,
  TEST_ACCOUNT,
  TEST_REGION,
  type TestRuntime,
} from '../support/local-runtime.ts';
import { createChannel, createContact, createRotation, dailyAt, errorOf, uniqueAlias } from './contacts-helpers.ts';
import { itemCount } from './helpers.ts';

describe('ssm-contacts contacts', () => {
  let runtime: TestRuntime;
  let client: SSMContactsClient;
  beforeAll(async () => {
    runtime = await startTestRuntime();
    client = runtime.contactsClient();
  });
  afterAll(() => runtime?.stop());

  it('creates a PERSONAL contact with a regional ARN and reads it back with PascalCase members', async () => {
    // Prepare
    const alias = uniqueAlias('alice');

    // Act
    const created = await client.send(
      new CreateContactCommand({
        Alias: alias,
        DisplayName: 'Alice Ó Súilleabháin',
        Type: 'PERSONAL',
        Plan: { Stages: [] },
      }),
    );
    const got = await client.send(new GetContactCommand({ ContactId: created.ContactArn }));

    // Assess
    expect(created.$metadata.httpStatusCode).toBe(200);
    expect(created.ContactArn).toBe(`arn:aws:ssm-contacts:${TEST_REGION}:${TEST_ACCOUNT}:contact/${alias}`);
    expect(got).toMatchObject({
      ContactArn: created.ContactArn,
      Alias: alias,
      DisplayName: 'Alice Ó Súilleabháin',
      Type: 'PERSONAL',
      Plan: { Stages: [] },
    });
  });

  it('refuses a second contact with the same alias with ConflictException naming it, and writes nothing', async () => {
    // Prepare
    const { alias, arn } = await createContact(client);
    const before = await itemCount(runtime);

    // Act
    const error = await errorOf(
      client.send(new CreateContactCommand({ Alias: alias, Type: 'ESCALATION', Plan: { Stages: [] } })),
    );

    // Assess
    expect(error).toBeInstanceOf(ConflictException);
    expect(error).toMatchObject({ ResourceId: arn, ResourceType: 'CONTACT' });
    expect((error as unknown as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(400);
    expect(await itemCount(runtime)).toBe(before);
    expect((await client.send(new GetContactCommand({ ContactId: arn }))).Type).toBe('PERSONAL');
  });

  describe('rejects bad input with a ValidationException naming the field, and writes nothing', () => {
    const stage = (targets: object[], DurationInMinutes = 5) => ({ DurationInMinutes, Targets: targets });
    const cases: [string, () => Promise<Record<string, unknown>>, string][] = [
      ['an alias with upper-case letters', async () => ({ Alias: 'Alice', Type: 'PERSONAL', Plan: {} }), 'Alias'],
      ['an alias longer than 255', async () => ({ Alias: 'a'.repeat(256), Type: 'PERSONAL', Plan: {} }), 'Alias'],
      ['an empty alias', async () => ({ Alias: '', Type: 'PERSONAL', Plan: {} }), 'Alias'],
      ['an unknown type', async () => ({ Alias: uniqueAlias('x'), Type: 'TEAM', Plan: {} }), 'Type'],
      [
        'a display name with symbols',
        async () => ({ Alias: uniqueAlias('x'), DisplayName: 'A<b>', Type: 'PERSONAL', Plan: {} }),
        'DisplayName',
      ],
      ['no plan', async () => ({ Alias: uniqueAlias('x'), Type: 'PERSONAL' }), 'Plan'],
      [
        'a stage longer than 30 minutes',
        async () => ({ Alias: uniqueAlias('x'), Type: 'ESCALATION', Plan: { Stages: [stage([], 31)] } }),
        'Plan.Stages.1.DurationInMinutes',
      ],
      [
        'a 0-minute stage without targets',
        async () => ({ Alias: uniqueAlias('x'), Type: 'ESCALATION', Plan: { Stages: [stage([], 0)] } }),
        'Plan.Stages.1.DurationInMinutes',
      ],
      [
        'a channel retry interval over 60 minutes',
        async () => ({
          Alias: uniqueAlias('x'),
          Type: 'PERSONAL',
          Plan: {
            Stages: [
              stage([
                { ChannelTargetInfo: { ContactChannelId: `${contactArnOf('x')}-channel`, RetryIntervalInMinutes: 61 } },
              ]),
            ],
          },
        }),
        'Plan.Stages.1.Targets.1.ChannelTargetInfo.RetryIntervalInMinutes',
      ],
      [
        'a target with both a channel and a contact',
        async () => ({
          Alias: uniqueAlias('x'),
          Type: 'ESCALATION',
          Plan: {
            Stages: [
              stage([
                {
                  ChannelTargetInfo: { ContactChannelId: contactArnOf('a') },
                  ContactTargetInfo: { ContactId: contactArnOf('a'), IsEssential: true },
                },
              ]),
            ],
          },
        }),
        'Plan.Stages.1.Targets.1',
      ],
      [
        "a personal plan targeting a channel at creation (a new contact has no channels; another contact's channel never qualifies)",
        async () => {
          const other = await createContact(client);
          const channel = await createChannel(client, other.arn);
          return {
            Alias: uniqueAlias('x'),
            Type: 'PERSONAL',
            Plan: { Stages: [stage([{ ChannelTargetInfo: { ContactChannelId: channel } }])] },
          };
        },
        'Plan.Stages.1.Targets.1.ChannelTargetInfo.ContactChannelId',
      ],
      [
        'an escalation plan targeting a contact that does not exist',
        async () => ({
          Alias: uniqueAlias('x'),
          Type: 'ESCALATION',
          Plan: {
            Stages: [stage([{ ContactTargetInfo: { ContactId: contactArnOf('nobody-here'), IsEssential: true } }])],
          },
        }),
        'Plan.Stages.1.Targets.1.ContactTargetInfo.ContactId',
      ],
      [
        'an escalation plan targeting another escalation plan',
        async () => {
          const other = await createContact(client, { Type: 'ESCALATION' });
          return {
            Alias: uniqueAlias('x'),
            Type: 'ESCALATION',
            Plan: { Stages: [stage([{ ContactTargetInfo: { ContactId: other.arn, IsEssential: false } }])] },
          };
        },
        'Plan.Stages.1.Targets.1.ContactTargetInfo.ContactId',
      ],
      [
        'an escalation target without IsEssential',
        async () => ({
          Alias: uniqueAlias('x'),
          Type: 'ESCALATION',
          Plan: { Stages: [stage([{ ContactTargetInfo: { ContactId: contactArnOf('someone') } }])] },
        }),
        'Plan.Stages.1.Targets.1.ContactTargetInfo.IsEssential',
      ],
      [
        'an escalation plan with a channel target',
        async () => ({
          Alias: uniqueAlias('x'),
          Type: 'ESCALATION',
          Plan: { Stages: [stage([{ ChannelTargetInfo: { ContactChannelId: contactArnOf('someone') } }])] },
        }),
        'Plan.Stages.1.Targets.1.ChannelTargetInfo',
      ],
      [
        'an on-call schedule without rotations',
        async () => ({ Alias: uniqueAlias('x'), Type: 'ONCALL_SCHEDULE', Plan: {} }),
        'Plan.RotationIds',
      ],
      [
        'an on-call schedule naming a rotation that does not exist',
        async () => ({
          Alias: uniqueAlias('x'),
          Type: 'ONCALL_SCHEDULE',
          Plan: {
            RotationIds: [
              `arn:aws:ssm-contacts:${TEST_REGION}:${TEST_ACCOUNT}:rotation/00000000-0000-0000-0000-000000000000`,
            ],
          },
        }),
        'Plan.RotationIds.1',
      ],
      [
        'a personal contact with rotations',
        async () => ({
          Alias: uniqueAlias('x'),
          Type: 'PERSONAL',
          Plan: { RotationIds: [`arn:aws:ssm-contacts:${TEST_REGION}:${TEST_ACCOUNT}:rotation/r1`] },
        }),
        'Plan.RotationIds',
      ],
      [
        'a contact id that is not an ssm-contacts ARN',
        async () => ({
          Alias: uniqueAlias('x'),
          Type: 'ESCALATION',
          Plan: { Stages: [stage([{ ContactTargetInfo: { ContactId: 'alice', IsEssential: true } }])] },
        }),
        'Plan.Stages.1.Targets.1.ContactTargetInfo.ContactId',
      ],
      [
        '51 tags',
        async () => ({
          Alias: uniqueAlias('x'),
          Type: 'PERSONAL',
          Plan: {},
          Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })),
        }),
        'Tags',
      ],
      [
        'a tag key with spaces',
        async () => ({
          Alias: uniqueAlias('x'),
          Type: 'PERSONAL',
          Plan: {},
          Tags: [{ Key: 'cost center', Value: 'v' }],
        }),
        'Tags.1.Key',
      ],
    ];
    for (const [what, input, field] of cases) {
      it(what, async () => {
        // Prepare
        const request = await input();
        const before = await itemCount(runtime);

        // Act
        const error = await errorOf(client.send(new CreateContactCommand(request as any)));

        // Assess
        expect(error).toBeInstanceOf(ValidationException);
        expect(error.Reason).toBe('FIELD_VALIDATION_FAILED');
        expect((error.Fields as { Name: string }[])[0]?.Name).toBe(field);
        expect(error.message).toContain(field);
        expect(await itemCount(runtime)).toBe(before);
      });
    }
  });

  it("sets a personal engagement plan with UpdateContact once the channels exist, and refuses another contact's channel", async () => {
    // Prepare
    const { arn } = await createContact(client);
    const sms = await createChannel(client, arn, {
      Name: 'mobile',
      Type: 'SMS',
      DeliveryAddress: { SimpleAddress: '+12065550100' },
    });
    const mail = await createChannel(client, arn);
    const other = await createContact(client);
    const foreign = await createChannel(client, other.arn);
    const plan = {
      Stages: [
        {
          DurationInMinutes: 5,
          Targets: [{ ChannelTargetInfo: { ContactChannelId: sms, RetryIntervalInMinutes: 1 } }],
        },
        { DurationInMinutes: 0, Targets: [{ ChannelTargetInfo: { ContactChannelId: mail } }] },
      ],
    };

    // Act
    const updated = await client.send(new UpdateContactCommand({ ContactId: arn, Plan: plan }));
    const got = await client.send(new GetContactCommand({ ContactId: arn }));
    const refused = await errorOf(
      client.send(
        new UpdateContactCommand({
          ContactId: arn,
          Plan: { Stages: [{ DurationInMinutes: 1, Targets: [{ ChannelTargetInfo: { ContactChannelId: foreign } }] }] },
        }),
      ),
    );

    // Assess
    expect(updated.$metadata.httpStatusCode).toBe(200);
    expect(got.Plan).toEqual(plan);
    expect(refused).toBeInstanceOf(ValidationException);
    expect((refused.Fields as { Name: string }[])[0]?.Name).toBe(
      'Plan.Stages.1.Targets.1.ChannelTargetInfo.ContactChannelId',
    );
    expect((await client.send(new GetContactCommand({ ContactId: arn }))).Plan).toEqual(plan);
  });

  it('creates an escalation plan over a person and an on-call schedule, and an on-call schedule over rotations', async () => {
    // Prepare
    const person = await createContact(client);
    const rotation = await createRotation(client, [person.arn]);
    const schedule = await client.send(
      new CreateContactCommand({
        Alias: uniqueAlias('schedule'),
        Type: 'ONCALL_SCHEDULE',
        Plan: { RotationIds: [rotation] },
      }),
    );
    const plan = {
      Stages: [
        {
          DurationInMinutes: 10,
          Targets: [{ ContactTargetInfo: { ContactId: schedule.ContactArn, IsEssential: true } }],
        },
        { DurationInMinutes: 15, Targets: [{ ContactTargetInfo: { ContactId: person.arn, IsEssential: false } }] },
      ],
    };

    // Act
    const escalation = await client.send(
      new CreateContactCommand({ Alias: uniqueAlias('escalation'), Type: 'ESCALATION', Plan: plan }),
    );

    // Assess
    expect((await client.send(new GetContactCommand({ ContactId: escalation.ContactArn }))).Plan).toEqual(plan);
    expect((await client.send(new GetContactCommand({ ContactId: schedule.ContactArn }))).Plan).toMatchObject({
      RotationIds: [rotation],
    });
  });

  it('refuses more than 8 rotations in an on-call schedule with ServiceQuotaExceededException (402)', async () => {
    // Prepare
    const person = await createContact(client);
    const rotations = await Promise.all(Array.from({ length: 9 }, () => createRotation(client, [person.arn])));

    // Act
    const error = await errorOf(
      client.send(
        new CreateContactCommand({
          Alias: uniqueAlias('big'),
          Type: 'ONCALL_SCHEDULE',
          Plan: { RotationIds: rotations },
        }),
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(ServiceQuotaExceededException);
    expect(error).toMatchObject({ ServiceCode: 'ssm-contacts', QuotaCode: 'rotations-per-on-call-schedule' });
    expect((error as unknown as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(400);
  });

  it('lists contacts by alias prefix and by type through the paginator, in alias order', async () => {
    // Prepare
    const prefix = uniqueAlias('team');
    const aliases = ['a', 'b', 'c', 'd', 'e'].map((s) => `${prefix}-${s}`);
    for (const [i, alias] of aliases.entries())
      await createContact(client, {
        Alias: alias,
        Type: i % 2 ? 'ESCALATION' : 'PERSONAL',
        DisplayName: `Member ${i}`,
      });

    // Act
    const all: string[] = [];
    let pages = 0;
    for await (const page of paginateListContacts({ client, pageSize: 2 }, { AliasPrefix: prefix })) {
      pages++;
      all.push(...(page.Contacts ?? []).map((c) => c.Alias!));
    }
    const personal: { Alias?: string; Type?: string; DisplayName?: string; ContactArn?: string }[] = [];
    for await (const page of paginateListContacts({ client, pageSize: 1 }, { AliasPrefix: prefix, Type: 'PERSONAL' }))
      personal.push(...(page.Contacts ?? []));

    // Assess
    expect(all).toEqual(aliases);
    expect(pages).toBe(3);
    expect(personal.map((c) => c.Alias)).toEqual([aliases[0], aliases[2], aliases[4]]);
    expect(personal[0]).toEqual({
      ContactArn: contactArnOf(aliases[0]!),
      Alias: aliases[0],
      Type: 'PERSONAL',
      DisplayName: 'Member 0',
    });
  });

  it('rejects a NextToken from another listing with ValidationException', async () => {
    // Prepare
    const prefix = uniqueAlias('tok');
    for (const s of ['a', 'b']) await createContact(client, { Alias: `${prefix}-${s}` });
    const first = await client.send(new ListContactsCommand({ AliasPrefix: prefix, MaxResults: 1 }));

    // Act
    const error = await errorOf(
      client.send(new ListContactsCommand({ AliasPrefix: 'other', NextToken: first.NextToken })),
    );

    // Assess
    expect(first.NextToken).toMatch(/^[\\/a-zA-Z0-9_+=-]+$/);
    expect(error).toBeInstanceOf(ValidationException);
    expect((error.Fields as { Name: string }[])[0]?.Name).toBe('NextToken');
  });

  it('updates the display name, clears it with an empty string, and leaves the plan alone', async () => {
    // Prepare
    const { arn } = await createContact(client, { DisplayName: 'Before' });

    // Act
    await client.send(new UpdateContactCommand({ ContactId: arn, DisplayName: 'After' }));
    const renamed = await client.send(new GetContactCommand({ ContactId: arn }));
    await client.send(new UpdateContactCommand({ ContactId: arn, DisplayName: '' }));
    const cleared = await client.send(new GetContactCommand({ ContactId: arn }));

    // Assess
    expect(renamed).toMatchObject({ DisplayName: 'After', Plan: { Stages: [] } });
    expect(cleared.DisplayName).toBeUndefined();
  });

  it('answers ResourceNotFoundException with ResourceId and ResourceType for a contact that does not exist', async () => {
    // Prepare
    const missing = contactArnOf(uniqueAlias('ghost'));
    const otherAccount = `arn:aws:ssm-contacts:${TEST_REGION}:999999999999:contact/someone`;

    // Act
    const errors = await Promise.all([
      errorOf(client.send(new GetContactCommand({ ContactId: missing }))),
      errorOf(client.send(new UpdateContactCommand({ ContactId: missing, DisplayName: 'x' }))),
      errorOf(client.send(new DeleteContactCommand({ ContactId: missing }))),
      errorOf(client.send(new GetContactCommand({ ContactId: otherAccount }))),
      errorOf(client.send(new ListContactChannelsCommand({ ContactId: missing }))),
    ]);

    // Assess
    for (const error of errors) {
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect(error.ResourceType).toBe('CONTACT');
    }
    expect(errors[0]).toMatchObject({ ResourceId: missing });
  });

  it('refuses to delete a contact that escalation plans and rotations reference (ConflictException with DependentEntities), then deletes it once they are gone', async () => {
    // Prepare
    const person = await createContact(client);
    const spare = await createContact(client);
    const escalation = await createContact(client, {
      Type: 'ESCALATION',
      Plan: {
        Stages: [
          { DurationInMinutes: 5, Targets: [{ ContactTargetInfo: { ContactId: person.arn, IsEssential: true } }] },
        ],
      },
    });
    const rotation = await createRotation(client, [person.arn, spare.arn]);

    // Act
    const refused = await errorOf(client.send(new DeleteContactCommand({ ContactId: person.arn })));
    const stillThere = await client.send(new GetContactCommand({ ContactId: person.arn }));
    await client.send(new UpdateContactCommand({ ContactId: escalation.arn, Plan: { Stages: [] } }));
    await client.send(
      new UpdateRotationCommand({ RotationId: rotation, ContactIds: [spare.arn], Recurrence: dailyAt(9) }),
    );
    const deleted = await client.send(new DeleteContactCommand({ ContactId: person.arn }));
    const gone = await errorOf(client.send(new GetContactCommand({ ContactId: person.arn })));

    // Assess
    expect(refused).toBeInstanceOf(ConflictException);
    expect(refused).toMatchObject({ ResourceId: person.arn, ResourceType: 'CONTACT' });
    expect((refused.DependentEntities as unknown[]) ?? []).toEqual(
      expect.arrayContaining([
        { RelationType: 'ESCALATION_PLAN_TARGET', DependentResourceIds: [escalation.arn] },
        { RelationType: 'ROTATION_MEMBER', DependentResourceIds: [rotation] },
      ]),
    );
    expect(stillThere.Alias).toBe(person.alias);
    expect(deleted.$metadata.httpStatusCode).toBe(200);
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
  });

  it('refuses to delete an on-call schedule an escalation plan targets, and deletes an escalation plan (releasing its targets)', async () => {
    // Prepare
    const person = await createContact(client);
    const rotation = await createRotation(client, [person.arn]);
    const schedule = await createContact(client, { Type: 'ONCALL_SCHEDULE', Plan: { RotationIds: [rotation] } });
    const escalation = await createContact(client, {
      Type: 'ESCALATION',
      Plan: {
        Stages: [
          { DurationInMinutes: 1, Targets: [{ ContactTargetInfo: { ContactId: schedule.arn, IsEssential: true } }] },
        ],
      },
    });

    // Act
    const refused = await errorOf(client.send(new DeleteContactCommand({ ContactId: schedule.arn })));
    await client.send(new DeleteContactCommand({ ContactId: escalation.arn }));
    await client.send(new DeleteContactCommand({ ContactId: schedule.arn }));

    // Assess
    expect(refused).toBeInstanceOf(ConflictException);
    expect(refused.DependentEntities).toEqual([
      { RelationType: 'ESCALATION_PLAN_TARGET', DependentResourceIds: [escalation.arn] },
    ]);
    expect(await errorOf(client.send(new GetContactCommand({ ContactId: schedule.arn })))).toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('never lets a delete and a new reference both succeed: concurrent DeleteContact and CreateRotation', async () => {
    for (let round = 0; round < 8; round++) {
      // Prepare
      const person = await createContact(client);

      // Act
      const [deleted, rotation] = await Promise.allSettled([
        client.send(new DeleteContactCommand({ ContactId: person.arn })),
        createRotation(client, [person.arn]),
      ]);

      // Assess: exactly one wins; the loser says why.
      if (deleted.status === 'fulfilled') {
        expect(rotation.status, `round ${round}`).toBe('rejected');
        expect((rotation as PromiseRejectedResult).reason).toBeInstanceOf(ResourceNotFoundException);
      } else {
        expect(rotation.status, `round ${round}`).toBe('fulfilled');
        expect(deleted.reason).toBeInstanceOf(ConflictException);
        expect((await client.send(new GetContactCommand({ ContactId: person.arn }))).Alias).toBe(person.alias);
      }
    }
  });

  it('never leaves a channel behind when CreateContactChannel races DeleteContact', async () => {
    for (let round = 0; round < 8; round++) {
      // Prepare
      const person = await createContact(client);

      // Act
      const [deleted, channel] = await Promise.allSettled([
        client.send(new DeleteContactCommand({ ContactId: person.arn })),
        createChannel(client, person.arn, { DeferActivation: true }),
      ]);
      await createContact(client, { Alias: person.alias }).catch(() => undefined);
      const { ContactChannels = [] } = await client.send(new ListContactChannelsCommand({ ContactId: person.arn }));

      // Assess: a channel survives only if the delete did not happen (and then the delete failed, not the channel).
      expect(deleted.status, `round ${round}`).toBe('fulfilled');
      expect(ContactChannels.length, `round ${round}`).toBe(
        channel.status === 'fulfilled' && deleted.status !== 'fulfilled' ? 1 : 0,
      );
    }
  });

  it('deletes a contact with its channels, so a new contact with the same alias starts without them', async () => {
    // Prepare
    const { alias, arn } = await createContact(client);
    await createChannel(client, arn);
    await createChannel(client, arn, { Name: 'second', DeferActivation: true });
    const before = await itemCount(runtime);

    // Act
    await client.send(new DeleteContactCommand({ ContactId: arn }));
    const after = await itemCount(runtime);
    await createContact(client, { Alias: alias });
    const channels = await client.send(new ListContactChannelsCommand({ ContactId: arn }));

    // Assess
    expect(after).toBe(before - 3);
    expect(channels.ContactChannels).toEqual([]);
  });

  it('replays a repeated IdempotencyToken (same input) without writing, and refuses it with different input', async () => {
    // Prepare
    const alias = uniqueAlias('idem');
    const token = `token-${alias}`;
    const input = { Alias: alias, Type: 'PERSONAL' as const, Plan: { Stages: [] }, IdempotencyToken: token };
    const first = await client.send(new CreateContactCommand(input));
    const before = await itemCount(runtime);

    // Act
    const again = await client.send(new CreateContactCommand(input));
    const different = await errorOf(client.send(new CreateContactCommand({ ...input, DisplayName: 'Changed' })));

    // Assess
    expect(again.ContactArn).toBe(first.ContactArn);
    expect(await itemCount(runtime)).toBe(before);
    expect(different).toBeInstanceOf(ConflictException);
  });

  it('stores and returns a contact policy, and refuses a policy that is not JSON', async () => {
    // Prepare
    const { arn } = await createContact(client);
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: '999999999999' }, Action: 'ssm-contacts:GetContact', Resource: arn },
      ],
    });

    // Act
    const empty = await client.send(new GetContactPolicyCommand({ ContactArn: arn }));
    await client.send(new PutContactPolicyCommand({ ContactArn: arn, Policy: policy }));
    const stored = await client.send(new GetContactPolicyCommand({ ContactArn: arn }));
    const invalid = await errorOf(client.send(new PutContactPolicyCommand({ ContactArn: arn, Policy: 'not json' })));
    const missing = await errorOf(
      client.send(new GetContactPolicyCommand({ ContactArn: contactArnOf(uniqueAlias('none')) })),
    );

    // Assess
    expect(empty).toMatchObject({ ContactArn: arn });
    expect(empty.Policy).toBeUndefined();
    expect(stored).toMatchObject({ ContactArn: arn, Policy: policy });
    expect(invalid).toBeInstanceOf(ValidationException);
    expect((invalid.Fields as { Name: string }[])[0]?.Name).toBe('Policy');
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
  });

  describe('tags', () => {
    it('keeps CreateContact tags and adds, overwrites, removes and lists them as {Key, Value} lists', async () => {
      // Prepare
      const { arn } = await createContact(client, {
        Tags: [
          { Key: 'team', Value: 'sre' },
          { Key: 'tier', Value: '1' },
        ],
      });

      // Act
      await client.send(
        new TagResourceCommand({
          ResourceARN: arn,
          Tags: [
            { Key: 'tier', Value: '2' },
            { Key: 'owner', Value: 'alice@example.com' },
          ],
        }),
      );
      await client.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['team', 'absent'] }));
      const listed = await client.send(new ListTagsForResourceCommand({ ResourceARN: arn }));

      // Assess
      expect(listed.Tags).toEqual(
        expect.arrayContaining([
          { Key: 'tier', Value: '2' },
          { Key: 'owner', Value: 'alice@example.com' },
        ]),
      );
      expect(listed.Tags).toHaveLength(2);
    });

    it('refuses going over 50 tags with ServiceQuotaExceededException (402) and keeps the tags as they were', async () => {
      // Prepare
      const { arn } = await createContact(client, {
        Tags: Array.from({ length: 40 }, (_, i) => ({ Key: `first${i}`, Value: 'v' })),
      });

      // Act
      const error = await errorOf(
        client.send(
          new TagResourceCommand({
            ResourceARN: arn,
            Tags: Array.from({ length: 11 }, (_, i) => ({ Key: `more${i}`, Value: 'v' })),
          }),
        ),
      );
      const listed = await client.send(new ListTagsForResourceCommand({ ResourceARN: arn }));

      // Assess
      expect(error).toBeInstanceOf(ServiceQuotaExceededException);
      expect(error).toMatchObject({
        ServiceCode: 'ssm-contacts',
        QuotaCode: 'tags-per-resource',
        ResourceId: arn,
        ResourceType: 'CONTACT',
      });
      expect(listed.Tags).toHaveLength(40);
    });

    it('answers ResourceNotFoundException for an unknown contact and ValidationException for a non-ARN', async () => {
      // Act
      const missing = await errorOf(
        client.send(new ListTagsForResourceCommand({ ResourceARN: contactArnOf(uniqueAlias('none')) })),
      );
      const invalid = await errorOf(
        client.send(new TagResourceCommand({ ResourceARN: 'alice', Tags: [{ Key: 'a', Value: 'b' }] })),
      );

      // Assess
      expect(missing).toBeInstanceOf(ResourceNotFoundException);
      expect(invalid).toBeInstanceOf(ValidationException);
      expect((invalid.Fields as { Name: string }[])[0]?.Name).toBe('ResourceARN');
    });
  });
});
