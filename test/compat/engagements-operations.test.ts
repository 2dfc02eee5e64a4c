/**
 * The 10 engagement operations of ssm-contacts through the official client, against the local runtime (the same
 * handlers, the same ASL run by aws-local-stepfunctions, DynamoDB Local), for a PERSONAL contact: paging stage by
 * stage, acknowledgement codes, receipts, StopEngagement, idempotency, redelivered steps, re-sends after failures,
 * and the modelled errors. Time runs 120 times faster (a plan minute takes 0.5 s).
 */
import {
  AcceptPageCommand,
  ConflictException,
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
  ValidationException,
} from '@aws-sdk/client-ssm-contacts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageDeliveryError, type OutboundMessage } from '#core/contacts/messaging.ts';
import {
  contactArnOf,
  startTestRuntime,
  TEST_ACCOUNT,
  TEST_REGION,
  type TestRuntime,
} from '../support/local-runtime.ts';
import { contactsRequest, errorOf } from './contacts-helpers.ts';
import { engagementIdOf, eventually, pagesTo, person, sleep, workflowEnded } from './engagements-helpers.ts';

const SCALE = 120;
const MINUTE = 60_000 / SCALE;

let runtime: TestRuntime;
let client: SSMContactsClient;

beforeAll(async () => {
  runtime = await startTestRuntime({ timeScale: SCALE });
  client = runtime.contactsClient();
});

afterAll(async () => {
  await runtime?.stop();
});

const start = (contactArn: string, extra: Partial<ConstructorParameters<typeof StartEngagementCommand>[0]> = {}) =>
  client.send(
    new StartEngagementCommand({
      ContactId: contactArn,
      Sender: 'cli',
      Subject: 'Checkout is down',
      Content: 'Orders fail with 500',
      ...extra,
    }),
  );

const receiptTypes = async (pageArn: string) =>
  ((await client.send(new ListPageReceiptsCommand({ PageId: pageArn }))).Receipts ?? []).map((r) => r.ReceiptType);

describe('StartEngagement on a PERSONAL contact', () => {
  it('pages the first stage of the engagement plan at once, on ACTIVATED channels only, with an acknowledgement code', async () => {
    // Prepare
    const alice = await person(runtime, client, {
      channels: [{ name: 'mail' }, { name: 'off', inactive: true }, { name: 'sms', type: 'SMS' }],
      stages: [
        { minutes: 5, channels: ['mail', 'off'] },
        { minutes: 5, channels: ['sms'] },
      ],
    });

    // Act
    const { EngagementArn } = await start(alice.arn, {
      PublicSubject: 'Page',
      PublicContent: 'Incident',
      IncidentId: 'ticket-42',
    });
    const [page] = await eventually(() => pagesTo(runtime, alice).length > 0 && pagesTo(runtime, alice));

    // Assess
    expect(EngagementArn).toMatch(
      new RegExp(`^arn:aws:ssm-contacts:${TEST_REGION}:${TEST_ACCOUNT}:engagement/${alice.alias}/[0-9a-f-]{36}$`),
    );
    expect(page).toMatchObject({
      purpose: 'PAGE',
      channelType: 'EMAIL',
      contactChannelArn: alice.channels.mail,
      subject: 'Checkout is down',
      engagementArn: EngagementArn,
      incidentId: 'ticket-42',
      attempt: 1,
    });
    expect(page!.acceptCode).toMatch(/^\d{6}$/);
    expect(page!.text).toContain(page!.acceptCode!);
    expect(page!.pageArn).toMatch(new RegExp(`:page/${alice.alias}/[0-9a-f-]{36}$`));
    await sleep(MINUTE);
    expect(pagesTo(runtime, alice)).toHaveLength(1); // the NOT_ACTIVATED channel is never paged; stage 2 is minutes away
    await client.send(new StopEngagementCommand({ EngagementId: EngagementArn }));
  });

  it('describes and lists the engagement, its pages, receipts and resolution path', async () => {
    // Prepare
    const bob = await person(runtime, client, { stages: [{ minutes: 5, channels: ['mail'] }] });
    // The 3.523 client rounds Dates to whole seconds: start the range well before.
    const before = new Date(Date.now() - 2000);
    const { EngagementArn } = await start(bob.arn, { IncidentId: 'incident-list-test', PublicSubject: 'ps' });
    const [message] = await eventually(() => pagesTo(runtime, bob).length > 0 && pagesTo(runtime, bob));
    const pageArn = message!.pageArn!;

    // Act
    const described = await client.send(new DescribeEngagementCommand({ EngagementId: EngagementArn }));
    const all = await client.send(new ListEngagementsCommand({}));
    const ofIncident = await client.send(new ListEngagementsCommand({ IncidentId: 'incident-list-test' }));
    const inRange = await client.send(
      new ListEngagementsCommand({ TimeRangeValue: { StartTime: before, EndTime: new Date(Date.now() + 60_000) } }),
    );
    const beforeRange = await client.send(
      new ListEngagementsCommand({
        TimeRangeValue: { StartTime: new Date('2020-01-01T00:00:00Z'), EndTime: new Date('2020-01-02T00:00:00Z') },
      }),
    );
    const byEngagement = await client.send(new ListPagesByEngagementCommand({ EngagementId: EngagementArn }));
    const byContact = await client.send(new ListPagesByContactCommand({ ContactId: bob.arn }));
    const page = await client.send(new DescribePageCommand({ PageId: pageArn }));
    const receipts = await client.send(new ListPageReceiptsCommand({ PageId: pageArn }));
    const resolutions = await client.send(new ListPageResolutionsCommand({ PageId: pageArn }));

    // Assess
    expect(described).toMatchObject({
      ContactArn: bob.arn,
      EngagementArn,
      Sender: 'cli',
      Subject: 'Checkout is down',
      Content: 'Orders fail with 500',
      PublicSubject: 'ps',
      IncidentId: 'incident-list-test',
    });
    expect(described.StartTime!.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(described.StopTime).toBeUndefined();
    expect(all.Engagements?.[0]?.EngagementArn).toBe(EngagementArn); // newest first
    expect(ofIncident.Engagements).toEqual([
      {
        EngagementArn,
        ContactArn: bob.arn,
        Sender: 'cli',
        IncidentId: 'incident-list-test',
        StartTime: described.StartTime,
      },
    ]);
    expect(inRange.Engagements?.map((e) => e.EngagementArn)).toContain(EngagementArn);
    expect(beforeRange.Engagements).toEqual([]);
    expect(byEngagement.Pages).toEqual([
      expect.objectContaining({
        PageArn: pageArn,
        EngagementArn,
        ContactArn: bob.arn,
        Sender: 'cli',
        IncidentId: 'incident-list-test',
      }),
    ]);
    expect(byEngagement.Pages![0]!.SentTime).toBeInstanceOf(Date);
    expect(byContact.Pages?.map((p) => p.PageArn)).toEqual([pageArn]);
    expect(page).toMatchObject({
      PageArn: pageArn,
      EngagementArn,
      ContactArn: bob.arn,
      Subject: 'Checkout is down',
      Content: 'Orders fail with 500',
    });
    expect(page.ReadTime).toBeUndefined();
    expect(receipts.Receipts).toEqual([
      expect.objectContaining({
        ReceiptType: 'SENT',
        ContactChannelArn: bob.channels.mail,
        ReceiptTime: expect.any(Date),
      }),
    ]);
    expect(resolutions.PageResolutions).toEqual([{ ContactArn: bob.arn, Type: 'PERSONAL' }]);
    await client.send(new StopEngagementCommand({ EngagementId: EngagementArn }));
  });

  it('pages later stages DurationInMinutes after the earlier ones, then completes', async () => {
    // Prepare
    const carol = await person(runtime, client, {
      channels: [{ name: 'mail' }, { name: 'sms', type: 'SMS' }, { name: 'voice', type: 'VOICE' }],
      stages: [
        { minutes: 1, channels: ['mail'] },
        { minutes: 2, channels: ['sms'] },
        { minutes: 1, channels: ['voice'] },
      ],
    });

    // Act
    const started = Date.now();
    const { EngagementArn } = await start(carol.arn);
    await eventually(() => pagesTo(runtime, carol).length === 3, 10_000, 'three pages');
    await eventually(
      () => runtime.engagements.execution(engagementIdOf(EngagementArn!))?.status === 'SUCCEEDED',
      10_000,
      'completion',
    );
    const described = await client.send(new DescribeEngagementCommand({ EngagementId: EngagementArn }));

    // Assess: stage n begins at the engagement's start + the durations of stages 0..n-1 (1, then 1 + 2 minutes)
    const pages = pagesTo(runtime, carol);
    expect(pages.map((m) => m.channelType)).toEqual(['EMAIL', 'SMS', 'VOICE']);
    const t0 = described.StartTime!.getTime();
    expect(t0).toBeGreaterThanOrEqual(started - 1);
    [0, 1, 3].forEach((minutes, n) => {
      expect(pages[n]!.createdTime, `stage ${n}`).toBeGreaterThanOrEqual(t0 + minutes * MINUTE);
      expect(pages[n]!.createdTime, `stage ${n}`).toBeLessThan(t0 + minutes * MINUTE + 1500);
    });
    expect(pages[2]!.text).toContain(pages[2]!.acceptCode!.split('').join(', ')); // VOICE spells the code
    expect(described.StopTime!.getTime() - described.StartTime!.getTime()).toBeGreaterThanOrEqual(4 * MINUTE - 50);
  });
});

describe('AcceptPage', () => {
  it('with ENFORCE refuses a code that was not sent (ValidationException) and records nothing', async () => {
    // Prepare
    const dave = await person(runtime, client, { stages: [{ minutes: 5, channels: ['mail'] }] });
    const { EngagementArn } = await start(dave.arn);
    const [message] = await eventually(() => pagesTo(runtime, dave).length > 0 && pagesTo(runtime, dave));
    const wrong = message!.acceptCode === '000000' ? '111111' : '000000';

    // Act
    const error = await errorOf(
      client.send(
        new AcceptPageCommand({
          PageId: message!.pageArn,
          AcceptType: 'READ',
          AcceptCode: wrong,
          AcceptCodeValidation: 'ENFORCE',
        }),
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.Fields).toEqual([expect.objectContaining({ Name: 'AcceptCode' })]);
    expect(await receiptTypes(message!.pageArn!)).toEqual(['SENT']);
    await client.send(new StopEngagementCommand({ EngagementId: EngagementArn }));
  });

  it('takes any code by default (IGNORE); DELIVERED records delivery and paging goes on, READ acknowledges and stops the plan', async () => {
    // Prepare
    // Stages long enough that stage 3 cannot come due before the acknowledgement arrives, even on a loaded machine.
    const erin = await person(runtime, client, {
      channels: [{ name: 'mail' }, { name: 'sms', type: 'SMS' }],
      stages: [
        { minutes: 5, channels: ['mail'] },
        { minutes: 5, channels: ['sms'] },
        { minutes: 5, channels: ['mail'] },
      ],
    });
    const { EngagementArn } = await start(erin.arn);
    const [first] = await eventually(() => pagesTo(runtime, erin).length > 0 && pagesTo(runtime, erin));

    // Act
    await client.send(
      new AcceptPageCommand({
        PageId: first!.pageArn,
        AcceptType: 'DELIVERED',
        AcceptCode: '999999',
        Note: 'on my phone',
      }),
    );
    const second = await eventually(() => pagesTo(runtime, erin)[1], 10_000, 'the second stage');
    await client.send(
      new AcceptPageCommand({
        PageId: second.pageArn,
        AcceptType: 'READ',
        AcceptCode: second.acceptCode!,
        AcceptCodeValidation: 'ENFORCE',
        ContactChannelId: erin.channels.sms,
      }),
    );
    // Without the acknowledgement stopping the plan, the workflow would page stage 3 before ending.
    await workflowEnded(runtime, EngagementArn!);

    // Assess
    expect(pagesTo(runtime, erin)).toHaveLength(2); // stage 3 never pages
    const firstPage = await client.send(new DescribePageCommand({ PageId: first!.pageArn }));
    const secondPage = await client.send(new DescribePageCommand({ PageId: second.pageArn }));
    expect(firstPage.DeliveryTime).toBeInstanceOf(Date);
    expect(firstPage.ReadTime).toBeUndefined();
    expect(secondPage.ReadTime).toBeInstanceOf(Date);
    const firstReceipts = (await client.send(new ListPageReceiptsCommand({ PageId: first!.pageArn }))).Receipts!;
    // The acknowledgement of the second page stops the first one, which was delivered but never read.
    expect(firstReceipts.map((r) => r.ReceiptType)).toEqual(['SENT', 'DELIVERED', 'STOP']);
    expect(firstReceipts[1]).toMatchObject({ ReceiptInfo: 'on my phone' });
    expect(firstReceipts[2]!.ReceiptInfo).toBe(`Acknowledged by ${erin.alias} with AcceptPage`);
    expect(await receiptTypes(second.pageArn!)).toEqual(['SENT', 'READ']);
    const described = await client.send(new DescribeEngagementCommand({ EngagementId: EngagementArn }));
    expect(described.StopTime).toBeInstanceOf(Date);
    await eventually(() => runtime.engagements.execution(engagementIdOf(EngagementArn!))?.status === 'SUCCEEDED');
  });
});

describe('StopEngagement', () => {
  it('stops paging and the workflow, and gives unread pages a STOP receipt', async () => {
    // Prepare
    // Stages long enough that stage 2 cannot come due before the stop arrives, even on a loaded machine.
    const frank = await person(runtime, client, {
      channels: [{ name: 'mail' }, { name: 'sms', type: 'SMS' }],
      stages: [
        { minutes: 5, channels: ['mail'] },
        { minutes: 5, channels: ['sms'] },
      ],
    });
    const { EngagementArn } = await start(frank.arn);
    const [page] = await eventually(() => pagesTo(runtime, frank).length > 0 && pagesTo(runtime, frank));

    // Act: without the stop, the workflow would page stage 2 and end SUCCEEDED.
    await client.send(new StopEngagementCommand({ EngagementId: EngagementArn, Reason: 'false alarm' }));
    const status = await workflowEnded(runtime, EngagementArn!);

    // Assess
    expect(pagesTo(runtime, frank)).toHaveLength(1);
    expect(status).toBe('ABORTED');
    const receipts = (await client.send(new ListPageReceiptsCommand({ PageId: page!.pageArn }))).Receipts!;
    expect(receipts.map((r) => r.ReceiptType)).toEqual(['SENT', 'STOP']);
    expect(receipts[1]).toMatchObject({ ReceiptInfo: 'false alarm' });
    expect((await client.send(new DescribeEngagementCommand({ EngagementId: EngagementArn }))).StopTime).toBeInstanceOf(
      Date,
    );
    // Stopping again changes nothing (and is not an error).
    await client.send(new StopEngagementCommand({ EngagementId: EngagementArn }));
    expect(await receiptTypes(page!.pageArn!)).toEqual(['SENT', 'STOP']);
  });
});

describe('never paging twice', () => {
  it('a retried StartEngagement (same IdempotencyToken) returns the first engagement and pages once; other input is a ConflictException', async () => {
    // Prepare
    const gina = await person(runtime, client, { stages: [{ minutes: 5, channels: ['mail'] }] });
    const token = `retry-${Date.now()}`;

    // Act
    const first = await start(gina.arn, { IdempotencyToken: token });
    const again = await start(gina.arn, { IdempotencyToken: token });
    const conflict = await errorOf(start(gina.arn, { IdempotencyToken: token, Subject: 'another subject' }));
    await eventually(() => pagesTo(runtime, gina).length > 0);
    await sleep(MINUTE);

    // Assess
    expect(again.EngagementArn).toBe(first.EngagementArn);
    expect(conflict).toBeInstanceOf(ConflictException);
    expect(pagesTo(runtime, gina)).toHaveLength(1);
    const listed = await client.send(new ListPagesByContactCommand({ ContactId: gina.arn }));
    expect(listed.Pages).toHaveLength(1);
    await client.send(new StopEngagementCommand({ EngagementId: first.EngagementArn }));
  });

  it('a redelivered workflow step (the worker invoked again, concurrently) pages nobody twice', async () => {
    // Prepare
    const hank = await person(runtime, client, {
      channels: [{ name: 'mail' }, { name: 'sms', type: 'SMS' }],
      stages: [
        { minutes: 1, channels: ['mail', 'sms'] },
        { minutes: 1, channels: ['mail'] },
      ],
    });
    const { EngagementArn } = await start(hank.arn);
    const engagementId = engagementIdOf(EngagementArn!);
    const invokeStep = () =>
      fetch(`${runtime.url}/2015-03-31/functions/engagement-worker/invocations`, {
        method: 'POST',
        body: JSON.stringify({ action: 'step', engagementId }),
      }).then((r) => r.json());

    // Act: while the workflow runs, the same step is delivered again and again.
    const results = await Promise.all(Array.from({ length: 8 }, invokeStep));
    await sleep(MINUTE);
    await Promise.all(Array.from({ length: 8 }, invokeStep));
    await eventually(() => runtime.engagements.execution(engagementId)?.status === 'SUCCEEDED', 10_000, 'completion');

    // Assess
    for (const result of results) expect(result).toMatchObject({ engagementId });
    const pages = pagesTo(runtime, hank);
    expect(pages.map((m) => m.channelType).sort()).toEqual(['EMAIL', 'EMAIL', 'SMS']);
    expect(new Set(pages.map((m) => m.pageArn)).size).toBe(3);
  });
});

describe('re-sending failed deliveries', () => {
  it('re-sends after RetryIntervalInMinutes while the provider fails transiently, recording ERROR then SENT receipts', async () => {
    // Prepare
    const ivy = await person(runtime, client, { stages: [{ minutes: 5, channels: [{ name: 'mail', retry: 1 }] }] });
    const attempts: OutboundMessage[] = [];
    const original = runtime.outbox.send.bind(runtime.outbox);
    runtime.outbox.send = async (message) => {
      if (message.contactArn !== ivy.arn) return original(message);
      attempts.push(message);
      if (attempts.length === 1) throw new Error('ThrottlingException: Rate exceeded');
      return original(message);
    };
    try {
      // Act
      const started = Date.now();
      const { EngagementArn } = await start(ivy.arn);
      await eventually(() => pagesTo(runtime, ivy).length > 0, 10_000, 'the re-send');

      // Assess
      expect(attempts.map((m) => m.attempt)).toEqual([1, 2]);
      expect(attempts[1]!.createdTime - started).toBeGreaterThanOrEqual(MINUTE - 50);
      expect(attempts[1]!.acceptCode).not.toBe(undefined);
      const pageArn = attempts[0]!.pageArn!;
      expect(attempts[1]!.pageArn).toBe(pageArn); // the same page, a second delivery attempt
      const receipts = (await client.send(new ListPageReceiptsCommand({ PageId: pageArn }))).Receipts!;
      expect(receipts.map((r) => r.ReceiptType)).toEqual(['ERROR', 'SENT']);
      expect(receipts[0]!.ReceiptInfo).toContain('will be re-sent');
      // Either code acknowledges: each attempt's code was kept (as a hash).
      await client.send(
        new AcceptPageCommand({
          PageId: pageArn,
          AcceptType: 'READ',
          AcceptCode: attempts[0]!.acceptCode!,
          AcceptCodeValidation: 'ENFORCE',
        }),
      );
      await client.send(new StopEngagementCommand({ EngagementId: EngagementArn }));
    } finally {
      runtime.outbox.send = original;
    }
  });

  it('does not re-send when the provider says retrying cannot help (MessageDeliveryError, not retryable)', async () => {
    // Prepare
    const jack = await person(runtime, client, { stages: [{ minutes: 1, channels: [{ name: 'mail', retry: 1 }] }] });
    let attempts = 0;
    const original = runtime.outbox.send.bind(runtime.outbox);
    runtime.outbox.send = async (message) => {
      if (message.contactArn !== jack.arn) return original(message);
      attempts++;
      throw new MessageDeliveryError({ provider: 'test', reason: 'OPTED_OUT', message: 'the recipient opted out' });
    };
    try {
      // Act
      const { EngagementArn } = await start(jack.arn);
      await eventually(
        () => runtime.engagements.execution(engagementIdOf(EngagementArn!))?.status === 'SUCCEEDED',
        10_000,
        'completion',
      );

      // Assess
      expect(attempts).toBe(1);
      const [page] = (await client.send(new ListPagesByEngagementCommand({ EngagementId: EngagementArn }))).Pages!;
      expect(page!.SentTime).toBeUndefined();
      const receipts = (await client.send(new ListPageReceiptsCommand({ PageId: page!.PageArn }))).Receipts!;
      expect(receipts).toEqual([
        expect.objectContaining({ ReceiptType: 'ERROR', ReceiptInfo: expect.stringContaining('opted out') }),
      ]);
    } finally {
      runtime.outbox.send = original;
    }
  });
});

describe('errors', () => {
  const missing = {
    engagement: `arn:aws:ssm-contacts:${TEST_REGION}:${TEST_ACCOUNT}:engagement/nobody/2a1d5ac5-3a5b-4b7e-9a55-0d3c2b1a0f00`,
    page: `arn:aws:ssm-contacts:${TEST_REGION}:${TEST_ACCOUNT}:page/nobody/2a1d5ac5-3a5b-4b7e-9a55-0d3c2b1a0f00`,
  };

  it('answers ResourceNotFoundException for contacts, engagements and pages that do not exist', async () => {
    // Act
    const errors = await Promise.all([
      errorOf(start(contactArnOf('nobody-here'))),
      errorOf(client.send(new StopEngagementCommand({ EngagementId: missing.engagement }))),
      errorOf(client.send(new DescribeEngagementCommand({ EngagementId: missing.engagement }))),
      errorOf(client.send(new DescribePageCommand({ PageId: missing.page }))),
      errorOf(client.send(new AcceptPageCommand({ PageId: missing.page, AcceptType: 'READ', AcceptCode: '123456' }))),
      errorOf(client.send(new ListPagesByContactCommand({ ContactId: contactArnOf('nobody-here') }))),
      errorOf(client.send(new ListPagesByEngagementCommand({ EngagementId: missing.engagement }))),
      errorOf(client.send(new ListPageReceiptsCommand({ PageId: missing.page }))),
      errorOf(client.send(new ListPageResolutionsCommand({ PageId: missing.page }))),
      // An engagement ARN where a page is expected names no page.
      errorOf(client.send(new DescribePageCommand({ PageId: missing.engagement }))),
    ]);

    // Assess
    for (const error of errors) expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(errors[2]).toMatchObject({ ResourceType: 'ENGAGEMENT', ResourceId: missing.engagement });
    expect(errors[3]).toMatchObject({ ResourceType: 'PAGE', ResourceId: missing.page });
  });

  it('answers ValidationException naming the member for invalid input, and writes nothing', async () => {
    // Prepare
    const kim = await person(runtime, client, { stages: [{ minutes: 5, channels: ['mail'] }] });
    const cases: [string, object, string][] = [
      ['StartEngagement', { ContactId: kim.arn, Subject: 's', Content: 'c' }, 'Sender'],
      ['StartEngagement', { ContactId: kim.arn, Sender: 'x'.repeat(256), Subject: 's', Content: 'c' }, 'Sender'],
      ['StartEngagement', { ContactId: kim.arn, Sender: 's', Subject: '', Content: 'c' }, 'Subject'],
      ['StartEngagement', { ContactId: kim.arn, Sender: 's', Subject: 's', Content: 'c'.repeat(8193) }, 'Content'],
      ['StartEngagement', { ContactId: 'alice', Sender: 's', Subject: 's', Content: 'c' }, 'ContactId'],
      [
        'StartEngagement',
        { ContactId: kim.arn, Sender: 's', Subject: 's', Content: 'c', IncidentId: 'i'.repeat(1025) },
        'IncidentId',
      ],
      ['AcceptPage', { PageId: missing.page, AcceptType: 'READ', AcceptCode: '12' }, 'AcceptCode'],
      ['AcceptPage', { PageId: missing.page, AcceptType: 'SEEN', AcceptCode: '123456' }, 'AcceptType'],
      [
        'AcceptPage',
        { PageId: missing.page, AcceptType: 'READ', AcceptCode: '123456', AcceptCodeValidation: 'STRICT' },
        'AcceptCodeValidation',
      ],
      ['StopEngagement', { EngagementId: missing.engagement, Reason: 'r'.repeat(256) }, 'Reason'],
      ['ListEngagements', { MaxResults: 2000 }, 'MaxResults'],
      ['ListPageResolutions', { PageId: missing.page, NextToken: '!!' }, 'NextToken'],
    ];

    // Act
    const responses = await Promise.all(cases.map(([op, body]) => contactsRequest(runtime, `SSMContacts.${op}`, body)));

    // Assess
    responses.forEach((response, i) => {
      const [op, , field] = cases[i]!;
      expect(response.status, `${op} ${field}`).toBe(400);
      expect(response.json, `${op} ${field}`).toMatchObject({
        __type: 'com.amazonaws.ssmcontacts#ValidationException',
        Reason: 'FIELD_VALIDATION_FAILED',
        Fields: [expect.objectContaining({ Name: field })],
      });
    });
    expect((await client.send(new ListPagesByContactCommand({ ContactId: kim.arn }))).Pages).toEqual([]);
  });

  it('rejects a ListPageResolutions NextToken it never issued', async () => {
    // Prepare
    const lou = await person(runtime, client, { stages: [{ minutes: 5, channels: ['mail'] }] });
    const { EngagementArn } = await start(lou.arn);
    const [message] = await eventually(() => pagesTo(runtime, lou).length > 0 && pagesTo(runtime, lou));

    // Act
    const error = await errorOf(
      client.send(new ListPageResolutionsCommand({ PageId: message!.pageArn, NextToken: 'abc' })),
    );

    // Assess
    expect(error).toBeInstanceOf(ValidationException);
    await client.send(new StopEngagementCommand({ EngagementId: EngagementArn }));
  });
});
