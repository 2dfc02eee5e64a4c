/**
 * Paging a responder can trust (issue 13), end to end on the local runtime through the official clients: engagement
 * -> outbox -> receipts -> timeline. Nobody is silently unpaged; one person gets one page stream per incident and
 * their acknowledgement counts everywhere; stopping reaches everyone and shows on the timeline; reopening and late
 * acknowledgements are recorded; responders acknowledge by SMS reply (`npm run reply`) and by the email's link.
 * Time runs 120 times faster (a plan minute takes 0.5 s); stages a test must act within last several seconds.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  AcceptPageCommand,
  CreateRotationCommand,
  DescribeEngagementCommand,
  ListEngagementsCommand,
  ListPageReceiptsCommand,
  ListPagesByEngagementCommand,
  type SSMContactsClient,
  StartEngagementCommand,
  StopEngagementCommand,
} from '@aws-sdk/client-ssm-contacts';
import { type SSMIncidentsClient, UpdateIncidentRecordCommand } from '@aws-sdk/client-ssm-incidents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gsm7Septets } from '#core/contacts/engagements/sms-text.ts';
import { engagementsOf as pagingOf } from '#runtime/paging.ts';
import { twoWaySmsEvent } from '../../local/reply.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { createContact, uniqueAlias } from './contacts-helpers.ts';
import {
  engagementIdOf,
  escalationPlan,
  eventually,
  type Person,
  pagesTo,
  person,
  timelineEventsOf,
} from './engagements-helpers.ts';
import { createPlan, startIncident } from './helpers.ts';

const run = promisify(execFile);
const SCALE = 120;
const MINUTE = 60_000 / SCALE;
const EVENT = {
  page: 'SSM Contacts Page for Incident',
  ack: 'SSM Contacts Page Acknowledgement for Incident',
  unreachable: 'SSM Contacts Unreachable for Incident',
  stop: 'SSM Contacts Engagement Stop for Incident',
  reopen: 'SSM Contacts Paging on Reopen for Incident',
};

let runtime: TestRuntime;
let contacts: SSMContactsClient;
let incidents: SSMIncidentsClient;
const printed: string[] = [];

beforeAll(async () => {
  runtime = await startTestRuntime({ timeScale: SCALE, printMessage: (line) => printed.push(line) });
  contacts = runtime.contactsClient();
  incidents = runtime.incidentsClient();
});

afterAll(async () => {
  await runtime?.stop();
});

/** A person whose plan pages their email, `minutes` long. */
const responder = (prefix: string, minutes = 10) =>
  person(runtime, contacts, { prefix, stages: [{ minutes, channels: ['mail'] }] });

const firstPageOf = (who: Person) => eventually(() => pagesTo(runtime, who)[0], 10_000, `a page to ${who.alias}`);

const incidentWith = async (engagements: string[], title = 'Checkout is failing', impact = 2) => {
  const plan = await createPlan(incidents, { engagements, incidentTemplate: { title, impact } });
  return startIncident(incidents, plan.arn);
};

const engagementsOf = async (incidentArn: string) =>
  (await contacts.send(new ListEngagementsCommand({ IncidentId: incidentArn }))).Engagements ?? [];

const stored = (engagementArn: string) => pagingOf(runtime.root).store.getEngagement(engagementIdOf(engagementArn));

/** The workflow of a root engagement has ended: nothing can page through it any more. */
const workflowEnded = (engagementArn: string) =>
  eventually(
    () => {
      const status = runtime.engagements.execution(engagementIdOf(engagementArn))?.status;
      return status !== undefined && status !== 'RUNNING';
    },
    20_000,
    'the workflow to end',
  );

const receiptsOf = async (pageArn: string) =>
  (await contacts.send(new ListPageReceiptsCommand({ PageId: pageArn }))).Receipts ?? [];

const resolve = (incidentArn: string, client = incidents) =>
  client.send(new UpdateIncidentRecordCommand({ arn: incidentArn, status: 'RESOLVED' }));

/** A rotation whose only shift coverage is on a weekday three days from today: nobody is on call now. */
async function scheduleCoveringNobodyNow(member: string) {
  const days = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
  const otherDay = days[(new Date().getUTCDay() + 3) % 7]!;
  const { RotationArn } = await contacts.send(
    new CreateRotationCommand({
      Name: `office hours ${uniqueAlias('r')}`,
      ContactIds: [member],
      TimeZoneId: 'UTC',
      StartTime: new Date('2026-01-05T09:00:00Z'),
      Recurrence: {
        NumberOfOnCalls: 1,
        RecurrenceMultiplier: 1,
        DailySettings: [{ HourOfDay: 9, MinuteOfHour: 0 }],
        ShiftCoverages: {
          [otherDay]: [{ Start: { HourOfDay: 9, MinuteOfHour: 0 }, End: { HourOfDay: 17, MinuteOfHour: 0 } }],
        },
      },
    }),
  );
  const alias = uniqueAlias('office-hours');
  const { arn } = await createContact(contacts, {
    Alias: alias,
    Type: 'ONCALL_SCHEDULE',
    Plan: { RotationIds: [RotationArn!] },
  });
  return { alias, arn };
}

describe('nobody is ever silently unpaged', () => {
  it('a stage that reaches nobody is named on the timeline, printed, and the escalation moves on at once', async () => {
    // Prepare: stage 1 targets a schedule with nobody on call now and a person whose only channel is not activated
    const [member, pat] = await Promise.all([responder('member'), responder('pat')]);
    const schedule = await scheduleCoveringNobodyNow(member.arn);
    const una = await person(runtime, contacts, { prefix: 'una', channels: [{ name: 'mail', inactive: true }] });
    const plan = await escalationPlan(contacts, [
      { minutes: 10, targets: [{ arn: schedule.arn, essential: true }, { arn: una.arn }] },
      { minutes: 10, targets: [{ arn: pat.arn, essential: true }] },
    ]);

    // Act
    const started = Date.now();
    const incidentArn = await incidentWith([plan.arn]);
    const page = await firstPageOf(pat);

    // Assess: stage 2 paged at once instead of 10 plan minutes later (5 s here)
    expect(page.createdTime - started).toBeLessThan(5 * MINUTE);
    const [gap] = await eventually(async () => {
      const found = await timelineEventsOf(incidents, incidentArn, EVENT.unreachable);
      return found.length > 0 && found;
    });
    expect(gap!.data.summary).toBe(
      `Stage 1 of escalation plan ${plan.alias} reached nobody: on-call schedule ${schedule.alias} has nobody on call now; ` +
        `${una.alias} has no activated contact channel (EMAIL channel "mail" not activated). Moved on to stage 2 at once.`,
    );
    expect(gap!.data).toMatchObject({ stageIndex: 0, skipped: true, contactArn: plan.arn });
    expect(gap!.references).toEqual(expect.arrayContaining([schedule.arn, una.arn]));
    expect(printed).toContain(`[paging] ${gap!.data.summary}`);
    expect(pagesTo(runtime, member)).toEqual([]);
    await resolve(incidentArn);
  });

  it('a StartEngagement that can page no one says so: on the timeline, in the output, and in the engagement', async () => {
    // Prepare
    const incidentArn = await incidentWith([]);
    const nia = await person(runtime, contacts, {
      prefix: 'nia',
      channels: [{ name: 'phone', type: 'SMS', inactive: true }],
    });

    // Act
    const { EngagementArn } = await contacts.send(
      new StartEngagementCommand({
        ContactId: nia.arn,
        Sender: 'me',
        Subject: 'Disk full',
        Content: 'db-1 is at 99%',
        IncidentId: incidentArn,
      }),
    );
    await workflowEnded(EngagementArn!);

    // Assess
    const described = await contacts.send(new DescribeEngagementCommand({ EngagementId: EngagementArn }));
    expect(described.StopTime).toBeInstanceOf(Date);
    const record = await stored(EngagementArn!);
    expect(record).toMatchObject({
      status: 'COMPLETED',
      stopReason: `Nobody could be paged: ${nia.alias} has no activated contact channel (SMS channel "phone" not activated).`,
    });
    expect((await contacts.send(new ListPagesByEngagementCommand({ EngagementId: EngagementArn }))).Pages).toEqual([]);
    const [event] = await timelineEventsOf(incidents, incidentArn, EVENT.unreachable);
    expect(event!.data.summary).toBe(`The engagement of ${nia.alias} paged nobody. ${record!.stopReason}`);
    expect(event!.data.engagementArn).toBe(EngagementArn);
    expect(printed).toContain(`[paging] ${event!.data.summary}`);
    await resolve(incidentArn);
  });
  it("a stage of a person's plan whose channel is not activated is named, and their next stage pages at once", async () => {
    // Prepare
    const ada = await person(runtime, contacts, {
      prefix: 'ada',
      channels: [{ name: 'phone', type: 'SMS', inactive: true }, { name: 'mail' }],
      stages: [
        { minutes: 10, channels: ['phone'] },
        { minutes: 10, channels: ['mail'] },
      ],
    });

    // Act
    const started = Date.now();
    const incidentArn = await incidentWith([ada.arn]);
    const page = await firstPageOf(ada);

    // Assess
    expect(page.channelType).toBe('EMAIL');
    expect(page.createdTime - started).toBeLessThan(5 * MINUTE);
    const [gap] = await eventually(async () => {
      const found = await timelineEventsOf(incidents, incidentArn, EVENT.unreachable);
      return found.length > 0 && found;
    });
    expect(gap!.data.summary).toBe(
      `Stage 1 of ${ada.alias}'s engagement plan paged nobody (SMS channel "phone" is not activated); moved on to stage 2 at once.`,
    );
    await resolve(incidentArn);
  });
});

describe('one person, one page stream per incident; an acknowledgement counts everywhere', () => {
  it('a person engaged directly and through an escalation is paged once; acknowledging wakes nobody else', async () => {
    // Prepare: the plan engages pat directly, and an escalation whose stage 2 pages the manager
    const [pat, max] = await Promise.all([responder('pat'), responder('max')]);
    const plan = await escalationPlan(contacts, [
      { minutes: 20, targets: [{ arn: pat.arn, essential: false }] },
      { minutes: 10, targets: [{ arn: max.arn, essential: true }] },
    ]);
    const incidentArn = await incidentWith([pat.arn, plan.arn]);
    const page = await firstPageOf(pat);
    // Both of pat's engagements exist (the escalation's stage 1 ran) before pat answers.
    await eventually(
      async () => (await engagementsOf(incidentArn)).filter((e) => e.ContactArn === pat.arn).length === 2,
    );

    // Act
    await contacts.send(
      new AcceptPageCommand({ PageId: page.pageArn, AcceptType: 'READ', AcceptCode: page.acceptCode! }),
    );
    const root = (await engagementsOf(incidentArn)).find((e) => e.ContactArn === plan.arn)!;
    await workflowEnded(root.EngagementArn!);

    // Assess: one page to pat, none to max; every engagement of pat answered; the escalation stopped and says why
    expect(pagesTo(runtime, pat)).toHaveLength(1);
    expect(pagesTo(runtime, max)).toEqual([]);
    const ofPat = (await engagementsOf(incidentArn)).filter((e) => e.ContactArn === pat.arn);
    for (const e of ofPat) expect((await stored(e.EngagementArn!))?.status).toBe('ACKNOWLEDGED');
    expect(await stored(root.EngagementArn!)).toMatchObject({
      status: 'STOPPED',
      stopReason: `Incident acknowledged by essential contact ${pat.alias}`,
    });
    const acks = await timelineEventsOf(incidents, incidentArn, EVENT.ack);
    expect(acks.map((a) => a.data.engagementArn).sort()).toEqual(ofPat.map((e) => e.EngagementArn).sort());
    const stops = await timelineEventsOf(incidents, incidentArn, EVENT.stop);
    expect(stops).toHaveLength(1);
    expect(stops[0]!.data).toMatchObject({
      engagementArn: root.EngagementArn,
      stoppedBy: pat.arn,
      reason: `Incident acknowledged by essential contact ${pat.alias}`,
    });
    await resolve(incidentArn);
  });

  it('when the engagement paging them is stopped, the other engagement that counts on them pages them from its next stage', async () => {
    // Prepare: jay's plan pages email twice, 3 s apart; the plan engages jay directly and through an escalation
    const jay = await person(runtime, contacts, {
      prefix: 'jay',
      stages: [
        { minutes: 6, channels: ['mail'] },
        { minutes: 6, channels: ['mail'] },
      ],
    });
    const plan = await escalationPlan(contacts, [{ minutes: 30, targets: [{ arn: jay.arn, essential: true }] }]);
    const incidentArn = await incidentWith([jay.arn, plan.arn]);
    const first = await firstPageOf(jay);

    // Act: stop the engagement whose stream reached jay
    await contacts.send(new StopEngagementCommand({ EngagementId: first.engagementArn, Reason: 'wrong person' }));
    const second = await eventually(() => pagesTo(runtime, jay)[1], 15_000, 'the second page');

    // Assess: the other engagement took the stream over at its stage 2, with its own page
    expect(second.engagementArn).not.toBe(first.engagementArn);
    const ofJay = (await engagementsOf(incidentArn))
      .filter((e) => e.ContactArn === jay.arn)
      .map((e) => e.EngagementArn);
    expect(ofJay).toContain(second.engagementArn);
    expect((await receiptsOf(first.pageArn!)).map((r) => r.ReceiptType)).toEqual(['SENT', 'STOP']);
    expect(pagesTo(runtime, jay)).toHaveLength(2);
    await resolve(incidentArn);
  });

  it('an acknowledgement as non-essential counts as essential where a later stage names them essential', async () => {
    // Prepare
    const [ivy, max] = await Promise.all([responder('ivy'), responder('max')]);
    const plan = await escalationPlan(contacts, [
      { minutes: 4, targets: [{ arn: ivy.arn, essential: false }] },
      { minutes: 20, targets: [{ arn: ivy.arn, essential: true }] },
      { minutes: 10, targets: [{ arn: max.arn, essential: true }] },
    ]);
    const { EngagementArn } = await contacts.send(
      new StartEngagementCommand({ ContactId: plan.arn, Sender: 'me', Subject: 'Queue backlog', Content: 'orders' }),
    );

    // Act
    const page = await firstPageOf(ivy);
    await contacts.send(
      new AcceptPageCommand({ PageId: page.pageArn, AcceptType: 'READ', AcceptCode: page.acceptCode! }),
    );
    await workflowEnded(EngagementArn!);

    // Assess: stage 2 names ivy as essential, so her acknowledgement ended the escalation; max is never paged
    expect(pagesTo(runtime, ivy)).toHaveLength(1);
    expect(pagesTo(runtime, max)).toEqual([]);
    expect(await stored(EngagementArn!)).toMatchObject({
      status: 'ACKNOWLEDGED',
      stopReason: `Acknowledged by essential contact ${ivy.alias}`,
    });
  });
});

describe('stopping reaches everyone, and shows', () => {
  it('a contact without a plan of their own stays engaged while the escalation runs; StopEngagement stops their page with the reason', async () => {
    // Prepare: kim has a channel but no engagement plan (one stage paging every channel, of no duration)
    const kim = await person(runtime, contacts, { prefix: 'kim' });
    const max = await responder('max');
    const plan = await escalationPlan(contacts, [
      { minutes: 10, targets: [{ arn: kim.arn }] },
      { minutes: 10, targets: [{ arn: max.arn }] },
    ]);
    const incidentArn = await incidentWith([plan.arn]);
    const page = await firstPageOf(kim);
    const root = (await engagementsOf(incidentArn)).find((e) => e.ContactArn === plan.arn)!;
    // The step that paged kim has finished (her engagement's stage is committed and the page SENT).
    await eventually(async () => (await receiptsOf(page.pageArn!)).length === 1);

    // Act
    const stoppedAt = Date.now();
    await contacts.send(
      new StopEngagementCommand({ EngagementId: root.EngagementArn, Reason: 'Handled in the war room' }),
    );
    await workflowEnded(root.EngagementArn!);

    // Assess
    const receipts = await receiptsOf(page.pageArn!);
    expect(receipts.map((r) => r.ReceiptType)).toEqual(['SENT', 'STOP']);
    expect(receipts[1]!.ReceiptInfo).toBe('Handled in the war room');
    const kimEngagement = await stored(page.engagementArn!);
    expect(kimEngagement).toMatchObject({ status: 'STOPPED', stopReason: 'Handled in the war room' });
    expect(kimEngagement!.stopTime).toBeGreaterThanOrEqual(stoppedAt);
    const stops = await timelineEventsOf(incidents, incidentArn, EVENT.stop);
    expect(stops).toHaveLength(1);
    expect(stops[0]!.data).toMatchObject({
      engagementArn: root.EngagementArn,
      stoppedBy: `arn:aws:iam::111122223333:user/tester`,
      reason: 'Handled in the war room',
      contactsStopped: [kim.arn],
    });
    expect(pagesTo(runtime, max)).toEqual([]);
    await resolve(incidentArn);
  });

  it('resolving stops every page and names the resolver; reopening does not page again and says so; a late acknowledgement is recorded', async () => {
    // Prepare
    const rio = await responder('rio');
    const incidentArn = await incidentWith([rio.arn]);
    const page = await firstPageOf(rio);

    // Act: resolve, reopen, and acknowledge afterwards
    await resolve(incidentArn, runtime.incidentsClient('resolver'));
    await runtime.changes.caughtUp();
    await workflowEnded(page.engagementArn!);
    await incidents.send(new UpdateIncidentRecordCommand({ arn: incidentArn, status: 'OPEN' }));
    await runtime.changes.caughtUp();
    await contacts.send(
      new AcceptPageCommand({ PageId: page.pageArn, AcceptType: 'READ', AcceptCode: page.acceptCode! }),
    );

    // Assess
    const receipts = await receiptsOf(page.pageArn!);
    expect(receipts.map((r) => r.ReceiptType)).toEqual(['SENT', 'STOP', 'READ']);
    expect(receipts[1]!.ReceiptInfo).toBe(`Incident ${incidentArn} was resolved`);
    const [stop] = await timelineEventsOf(incidents, incidentArn, EVENT.stop);
    expect(stop!.data).toMatchObject({
      stoppedBy: 'arn:aws:iam::111122223333:user/resolver',
      reason: `Incident ${incidentArn} was resolved`,
      contactsStopped: [rio.arn],
    });
    const [reopen] = await timelineEventsOf(incidents, incidentArn, EVENT.reopen);
    expect(reopen!.data).toMatchObject({ restarted: false, engagementArns: [page.engagementArn] });
    expect(reopen!.data.summary).toContain('paging was not restarted');
    expect(pagesTo(runtime, rio)).toHaveLength(1);
    const late = (await timelineEventsOf(incidents, incidentArn, EVENT.ack)).find((a) => a.data.late);
    expect(late!.data).toMatchObject({
      engagementArn: page.engagementArn,
      engagementStatus: 'STOPPED',
      pageArn: page.pageArn,
    });
    expect(late!.data.summary).toBe(
      `${rio.alias} acknowledged with AcceptPage after their paging had stopped (Incident ${incidentArn} was resolved).`,
    );
  });
});

describe('acknowledge where the page arrives', () => {
  const reply = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'local/reply.ts', ...args], {
      env: { ...process.env, PORT: String(runtime.port) },
      timeout: 30_000,
    });

  /** The SMS-replies function through the local Lambda Invoke path, as `npm run reply` calls it. */
  const invokeReply = async (from: string, body: string) => {
    const response = await fetch(`${runtime.url}/2015-03-31/functions/sms-replies/invocations`, {
      method: 'POST',
      body: JSON.stringify(twoWaySmsEvent({ from, to: '+15555550000', body, json: true })),
    });
    return ((await response.json()) as { replies: Record<string, unknown>[] }).replies[0];
  };

  it('by SMS reply with the code (npm run reply): one GSM-7 segment in, acknowledged and answered', async () => {
    // Prepare: a long title with characters outside GSM-7
    const number = `+1206555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
    const sam = await person(runtime, contacts, {
      prefix: 'sam',
      channels: [{ name: 'phone', type: 'SMS', address: number }],
      stages: [{ minutes: 10, channels: ['phone'] }],
    });
    const title =
      '“Checkout” is failing — 💥 card payments time out for every EU customer since the 14:02 deploy of payments-api';
    const incidentArn = await incidentWith([sam.arn], title, 1);
    const page = await firstPageOf(sam);

    // Act
    const wrong = await invokeReply(number, 'ack 000000');
    const right = await reply('--from', number, page.acceptCode!);
    const again = await invokeReply(number, page.acceptCode!);

    // Assess: the page fits one segment and says what, when and how
    expect(gsm7Septets(page.text)).toBeLessThanOrEqual(160);
    expect(page.text).toMatch(/^Incident, impact 1 \(Critical\): "Checkout" is failing - \? card payments/);
    expect(page.text).toMatch(new RegExp(`- opened just now\\. Reply ${page.acceptCode} to acknowledge\\.$`));
    expect(wrong).toEqual({
      outcome: 'no-match',
      answer:
        'No page to this number has the code 000000. Reply with the code from the page, or acknowledge in the console.',
      pageArns: [],
    });
    expect(right.stdout.split('\n')[0]).toBe(`acknowledged ${page.pageArn}`);
    expect(right.stdout).toContain('answer: Acknowledged: "Checkout" is failing');
    expect(again).toMatchObject({ outcome: 'already-acknowledged', pageArns: [page.pageArn] });
    const receipts = await receiptsOf(page.pageArn!);
    expect(receipts.map((r) => r.ReceiptType)).toEqual(['SENT', 'READ']);
    expect(receipts[1]!.ReceiptInfo).toBe(`SMS reply from ${number}`);
    expect(await stored(page.engagementArn!)).toMatchObject({ status: 'ACKNOWLEDGED' });
    const [ack] = await timelineEventsOf(incidents, incidentArn, EVENT.ack);
    expect(ack!.data).toMatchObject({ via: 'by SMS reply', pageArn: page.pageArn });
    const answers = runtime.outbox.messages().filter((m) => m.purpose === 'REPLY' && m.address === number);
    expect(answers).toHaveLength(3);
    for (const answer of answers) expect(gsm7Septets(answer.text)).toBeLessThanOrEqual(160);
    await resolve(incidentArn);
  });

  it('by the email link: GET shows a confirmation and changes nothing, the POST acknowledges once', async () => {
    // Prepare
    const lea = await responder('lea');
    const incidentArn = await incidentWith([lea.arn], 'Search is slow', 3);
    const page = await firstPageOf(lea);
    const link = page.acknowledgeLink!;

    // Act
    const shown = await fetch(link);
    const shownHtml = await shown.text();
    const receiptsAfterGet = await receiptsOf(page.pageArn!);
    const token = new URL(link).searchParams.get('t')!;
    const post = () =>
      fetch(new URL('/ack', runtime.url), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ t: token }).toString(),
        redirect: 'manual',
      });
    const posted = await post();
    const outcome = await (await fetch(new URL(posted.headers.get('location')!, runtime.url))).text();
    const postedAgain = await post();
    const again = await (await fetch(new URL(postedAgain.headers.get('location')!, runtime.url))).text();
    const tampered = await fetch(link.replace(/.(?=&|$)/, (c) => (c === 'A' ? 'B' : 'A')));

    // Assess: the email says what, when, how (link, console, CLI) and names the incident's ARN once
    expect(link.startsWith(`${runtime.url}/ack?t=`)).toBe(true);
    expect(page.text).toContain(link);
    expect(page.text).toContain(`${runtime.url}/incident?${new URLSearchParams({ arn: incidentArn })}`);
    expect(page.text.split(incidentArn)).toHaveLength(2);
    expect(page.text).toContain('Impact 3: Medium.');
    expect(shown.status).toBe(200);
    expect(shown.headers.get('cache-control')).toBe('no-store');
    expect(shownHtml).toContain('<form method="post">');
    expect(shownHtml).toContain('Search is slow');
    expect(receiptsAfterGet.map((r) => r.ReceiptType)).toEqual(['SENT']);
    expect(posted.status).toBe(303);
    expect(outcome).toContain('<h1>Acknowledged</h1>');
    expect(postedAgain.status).toBe(303);
    expect(again).toContain('<h1>Already acknowledged</h1>');
    expect(tampered.status).toBe(400);
    const receipts = await receiptsOf(page.pageArn!);
    expect(receipts.map((r) => r.ReceiptType)).toEqual(['SENT', 'READ']);
    expect(receipts[1]!.ReceiptInfo).toBe('Acknowledged with the email link');
    const [ack] = await timelineEventsOf(incidents, incidentArn, EVENT.ack);
    expect(ack!.data).toMatchObject({ via: 'with the email link', engagementArn: page.engagementArn });
    await resolve(incidentArn);
  });
});
