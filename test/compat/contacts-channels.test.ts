/**
 * ssm-contacts contact channels through the official client: create / get / list / update / delete, address formats
 * per type, and activation with the 6-digit code that the local outbox (the MessageSender locally) received.
 */
import {
  ActivateContactChannelCommand,
  CreateContactChannelCommand,
  DeactivateContactChannelCommand,
  DeleteContactChannelCommand,
  GetContactChannelCommand,
  paginateListContactChannels,
  ResourceNotFoundException,
  SendActivationCodeCommand,
  ServiceQuotaExceededException,
  type SSMContactsClient,
  UpdateContactChannelCommand,
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
import { activationCodeOf, createChannel, createContact, errorOf, uniqueAlias } from './contacts-helpers.ts';
import { itemCount } from './helpers.ts';

const statusOf = async (client: SSMContactsClient, channel: string) =>
  (await client.send(new GetContactChannelCommand({ ContactChannelId: channel }))).ActivationStatus;

describe('ssm-contacts contact channels', () => {
  let runtime: TestRuntime;
  let client: SSMContactsClient;
  beforeAll(async () => {
    runtime = await startTestRuntime();
    client = runtime.contactsClient();
  });
  afterAll(() => runtime?.stop());

  it('creates a channel, sends a 6-digit activation code to its address, and activates it with that code', async () => {
    // Prepare
    const { alias, arn } = await createContact(client);

    // Act
    const channel = await createChannel(client, arn, {
      Name: 'mobile',
      Type: 'SMS',
      DeliveryAddress: { SimpleAddress: '+447700900123' },
    });
    const before = await client.send(new GetContactChannelCommand({ ContactChannelId: channel }));
    const message = runtime.outbox.latest((m) => m.contactChannelArn === channel);
    await client.send(
      new ActivateContactChannelCommand({ ContactChannelId: channel, ActivationCode: message!.activationCode! }),
    );

    // Assess
    expect(channel).toMatch(
      new RegExp(`^arn:aws:ssm-contacts:${TEST_REGION}:${TEST_ACCOUNT}:contact-channel/${alias}/[0-9a-f-]{36}$`),
    );
    expect(before).toMatchObject({
      ContactArn: arn,
      ContactChannelArn: channel,
      Name: 'mobile',
      Type: 'SMS',
      DeliveryAddress: { SimpleAddress: '+447700900123' },
      ActivationStatus: 'NOT_ACTIVATED',
    });
    expect(message).toMatchObject({
      purpose: 'ACTIVATION_CODE',
      channelType: 'SMS',
      address: '+447700900123',
      contactArn: arn,
    });
    expect(message!.activationCode).toMatch(/^\d{6}$/);
    expect(message!.text).toContain(message!.activationCode);
    expect(await statusOf(client, channel)).toBe('ACTIVATED');
  });

  it('refuses a wrong activation code with a ValidationException naming ActivationCode, and stays NOT_ACTIVATED', async () => {
    // Prepare
    const { arn } = await createContact(client);
    const channel = await createChannel(client, arn);
    const code = activationCodeOf(runtime, channel)!;
    const wrong = code === '000000' ? '111111' : '000000';

    // Act
    const error = await errorOf(
      client.send(new ActivateContactChannelCommand({ ContactChannelId: channel, ActivationCode: wrong })),
    );
    const malformed = await errorOf(
      client.send(new ActivateContactChannelCommand({ ContactChannelId: channel, ActivationCode: '12ab56' })),
    );

    // Assess
    expect(error).toBeInstanceOf(ValidationException);
    expect((error.Fields as { Name: string }[])[0]?.Name).toBe('ActivationCode');
    expect(malformed).toBeInstanceOf(ValidationException);
    expect(await statusOf(client, channel)).toBe('NOT_ACTIVATED');
  });

  it('sends nothing with DeferActivation until SendActivationCode, and only the latest code activates', async () => {
    // Prepare
    const { arn } = await createContact(client);
    const channel = await createChannel(client, arn, { DeferActivation: true });
    const sentAtCreation = runtime.outbox.latest((m) => m.contactChannelArn === channel);
    const tooEarly = await errorOf(
      client.send(new ActivateContactChannelCommand({ ContactChannelId: channel, ActivationCode: '123456' })),
    );

    // Act
    await client.send(new SendActivationCodeCommand({ ContactChannelId: channel }));
    const first = activationCodeOf(runtime, channel)!;
    await client.send(new SendActivationCodeCommand({ ContactChannelId: channel }));
    const second = activationCodeOf(runtime, channel)!;
    const withOld =
      first === second
        ? undefined
        : await errorOf(
            client.send(new ActivateContactChannelCommand({ ContactChannelId: channel, ActivationCode: first })),
          );
    await client.send(new ActivateContactChannelCommand({ ContactChannelId: channel, ActivationCode: second }));

    // Assess
    expect(sentAtCreation).toBeUndefined();
    expect(tooEarly).toBeInstanceOf(ValidationException);
    if (withOld) expect(withOld).toBeInstanceOf(ValidationException);
    expect(await statusOf(client, channel)).toBe('ACTIVATED');
  });

  it('deactivates a channel; re-activation needs a new code', async () => {
    // Prepare
    const { arn } = await createContact(client);
    const channel = await createChannel(client, arn);
    await client.send(
      new ActivateContactChannelCommand({
        ContactChannelId: channel,
        ActivationCode: activationCodeOf(runtime, channel)!,
      }),
    );

    // Act
    await client.send(new DeactivateContactChannelCommand({ ContactChannelId: channel }));
    const deactivated = await statusOf(client, channel);
    await client.send(new SendActivationCodeCommand({ ContactChannelId: channel }));
    await client.send(
      new ActivateContactChannelCommand({
        ContactChannelId: channel,
        ActivationCode: activationCodeOf(runtime, channel)!,
      }),
    );

    // Assess
    expect(deactivated).toBe('NOT_ACTIVATED');
    expect(await statusOf(client, channel)).toBe('ACTIVATED');
  });

  it('refuses SendActivationCode for an activated channel, and past 5 codes an hour with ServiceQuotaExceededException (402)', async () => {
    // Prepare
    const { arn } = await createContact(client);
    const activated = await createChannel(client, arn);
    await client.send(
      new ActivateContactChannelCommand({
        ContactChannelId: activated,
        ActivationCode: activationCodeOf(runtime, activated)!,
      }),
    );
    const pending = await createChannel(client, arn, { Name: 'pending' }); // 1 code sent
    for (let i = 0; i < 4; i++) await client.send(new SendActivationCodeCommand({ ContactChannelId: pending }));

    // Act
    const alreadyActive = await errorOf(client.send(new SendActivationCodeCommand({ ContactChannelId: activated })));
    const overQuota = await errorOf(client.send(new SendActivationCodeCommand({ ContactChannelId: pending })));

    // Assess
    expect(alreadyActive).toBeInstanceOf(ValidationException);
    expect(overQuota).toBeInstanceOf(ServiceQuotaExceededException);
    expect(overQuota).toMatchObject({
      ServiceCode: 'ssm-contacts',
      ResourceType: 'CONTACT_CHANNEL',
      ResourceId: pending,
    });
    expect(runtime.outbox.messages().filter((m) => m.contactChannelArn === pending)).toHaveLength(5);
  });

  describe('rejects addresses that do not fit the channel type, naming DeliveryAddress.SimpleAddress, writing and sending nothing', () => {
    const cases: [string, 'SMS' | 'VOICE' | 'EMAIL', string][] = [
      ['an SMS number without +', 'SMS', '2065550100'],
      ['an SMS number with letters', 'SMS', '+1206CALLNOW'],
      ['a VOICE number starting with +0', 'VOICE', '+0123456789'],
      ['a VOICE number longer than E.164 allows', 'VOICE', '+1234567890123456'],
      ['an EMAIL address without @', 'EMAIL', 'alice.example.com'],
      ['an EMAIL address with a space', 'EMAIL', 'alice smith@example.com'],
      ['an EMAIL address without a domain dot', 'EMAIL', 'alice@localhost'],
    ];
    for (const [what, type, address] of cases) {
      it(what, async () => {
        // Prepare
        const { arn } = await createContact(client);
        const before = await itemCount(runtime);
        const sent = runtime.outbox.messages().length;

        // Act
        const error = await errorOf(
          createChannel(client, arn, { Type: type, DeliveryAddress: { SimpleAddress: address } }),
        );

        // Assess
        expect(error).toBeInstanceOf(ValidationException);
        expect((error.Fields as { Name: string }[])[0]?.Name).toBe('DeliveryAddress.SimpleAddress');
        expect(await itemCount(runtime)).toBe(before);
        expect(runtime.outbox.messages()).toHaveLength(sent);
      });
    }
  });

  it('rejects a channel for a contact that does not exist or is not PERSONAL, naming ContactId', async () => {
    // Prepare
    const escalation = await createContact(client, { Type: 'ESCALATION' });

    // Act
    const missing = await errorOf(createChannel(client, contactArnOf(uniqueAlias('ghost'))));
    const notPersonal = await errorOf(createChannel(client, escalation.arn));
    const badName = await errorOf(createChannel(client, escalation.arn, { Name: 'mail<script>' }));

    // Assess
    for (const error of [missing, notPersonal]) {
      expect(error).toBeInstanceOf(ValidationException);
      expect((error.Fields as { Name: string }[])[0]?.Name).toBe('ContactId');
    }
    expect((badName.Fields as { Name: string }[])[0]?.Name).toBe('Name');
  });

  it('renames a channel without touching its activation; a new address deactivates it and sends a code there', async () => {
    // Prepare
    const { arn } = await createContact(client);
    const channel = await createChannel(client, arn);
    await client.send(
      new ActivateContactChannelCommand({
        ContactChannelId: channel,
        ActivationCode: activationCodeOf(runtime, channel)!,
      }),
    );

    // Act
    await client.send(new UpdateContactChannelCommand({ ContactChannelId: channel, Name: 'renamed' }));
    const renamed = await client.send(new GetContactChannelCommand({ ContactChannelId: channel }));
    const invalid = await errorOf(
      client.send(
        new UpdateContactChannelCommand({
          ContactChannelId: channel,
          DeliveryAddress: { SimpleAddress: '+12065550100' },
        }),
      ),
    );
    await client.send(
      new UpdateContactChannelCommand({
        ContactChannelId: channel,
        DeliveryAddress: { SimpleAddress: 'new@example.com' },
      }),
    );
    const moved = await client.send(new GetContactChannelCommand({ ContactChannelId: channel }));
    const message = runtime.outbox.latest((m) => m.contactChannelArn === channel);

    // Assess
    expect(renamed).toMatchObject({ Name: 'renamed', ActivationStatus: 'ACTIVATED' });
    expect(invalid).toBeInstanceOf(ValidationException);
    expect(moved).toMatchObject({
      Name: 'renamed',
      DeliveryAddress: { SimpleAddress: 'new@example.com' },
      ActivationStatus: 'NOT_ACTIVATED',
    });
    expect(message?.address).toBe('new@example.com');
  });

  it("lists a contact's channels in creation order through the paginator", async () => {
    // Prepare
    const { arn } = await createContact(client);
    const channels: string[] = [];
    for (const name of ['one', 'two', 'three'])
      channels.push(await createChannel(client, arn, { Name: name, DeferActivation: true }));

    // Act
    const listed: { ContactChannelArn?: string; Name?: string; ActivationStatus?: string }[] = [];
    let pages = 0;
    for await (const page of paginateListContactChannels({ client, pageSize: 2 }, { ContactId: arn })) {
      pages++;
      listed.push(...(page.ContactChannels ?? []));
    }

    // Assess
    expect(listed.map((c) => c.ContactChannelArn)).toEqual(channels);
    expect(listed.map((c) => c.Name)).toEqual(['one', 'two', 'three']);
    expect(pages).toBe(2);
  });

  it('deletes a channel; getting, updating or deleting it again is ResourceNotFoundException', async () => {
    // Prepare
    const { arn } = await createContact(client);
    const channel = await createChannel(client, arn);

    // Act
    const deleted = await client.send(new DeleteContactChannelCommand({ ContactChannelId: channel }));
    const errors = await Promise.all([
      errorOf(client.send(new GetContactChannelCommand({ ContactChannelId: channel }))),
      errorOf(client.send(new DeleteContactChannelCommand({ ContactChannelId: channel }))),
      errorOf(client.send(new UpdateContactChannelCommand({ ContactChannelId: channel, Name: 'x' }))),
      errorOf(client.send(new SendActivationCodeCommand({ ContactChannelId: channel }))),
      errorOf(client.send(new ActivateContactChannelCommand({ ContactChannelId: channel, ActivationCode: '123456' }))),
      errorOf(client.send(new DeactivateContactChannelCommand({ ContactChannelId: channel }))),
    ]);

    // Assess
    expect(deleted.$metadata.httpStatusCode).toBe(200);
    for (const error of errors) {
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect(error).toMatchObject({ ResourceId: channel, ResourceType: 'CONTACT_CHANNEL' });
    }
  });

  it('replays CreateContactChannel with the same IdempotencyToken: same ARN, one channel, one code', async () => {
    // Prepare
    const { arn } = await createContact(client);
    const input = {
      ContactId: arn,
      Name: 'mail',
      Type: 'EMAIL' as const,
      DeliveryAddress: { SimpleAddress: 'idem@example.com' },
      IdempotencyToken: uniqueAlias('token'),
    };

    // Act
    const first = await client.send(new CreateContactChannelCommand(input));
    const again = await client.send(new CreateContactChannelCommand(input));

    // Assess
    expect(again.ContactChannelArn).toBe(first.ContactChannelArn);
    expect(runtime.outbox.messages().filter((m) => m.contactChannelArn === first.ContactChannelArn)).toHaveLength(1);
  });
});
