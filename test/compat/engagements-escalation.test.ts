/**
 * Escalation end to end on the local runtime: an escalation plan's stages engage contacts (each through their own
 * engagement plan) DurationInMinutes apart, an essential acknowledgement stops the escalation, a non-essential one does
 * not, on-call schedules resolve to whoever is on call at that moment, and StopEngagement stops the whole tree.
 * Pages are read from the local outbox; time runs 120 times faster (a plan minute takes 0.5 s).
 */
import {
  AcceptPageCommand,
  CreateContactCommand,
  CreateRotationOverrideCommand,
  DescribeEngagementCommand,
  ListEngagementsCommand,
  ListPageReceiptsCommand,
  ListPageResolutionsCommand,
  ListPagesByEngagementCommand,
  ListRotationShiftsCommand,
  type SSMContactsClient,
  StartEngagementCommand,
  StopEngagementCommand,
} from '@aws-sdk/client-ssm-contacts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { createRotation, uniqueAlias } from './contacts-helpers.ts';
import {
  engagementIdOf,
  eventually,
  type Person,
  pagesIn,
  pagesTo,
  person,
  sleep,
  workflowEnded,
} from './engagements-helpers.ts';

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

/** An escalation plan: per stage, its duration and the contacts it targets (essential or not). */
async function escalation(stages: { minutes: number; targets: { arn: string; essential?: boolean }[] }[]) {
  const alias = uniqueAlias('escalation');
  const { ContactArn } = await client.send(
    new CreateContactCommand({
      Alias: alias,
      Type: 'ESCALATION',
      Plan: {
        Stages: stages.map((s) => ({
          DurationInMinutes: s.minutes,
          Targets: s.targets.map((t) => ({
            ContactTargetInfo: { ContactId: t.arn, IsEssential: t.essential ?? false },
          })),
        })),
      },
    }),
  );
  return { alias, arn: ContactArn! };
}

async function onCallSchedule(rotationArns: string[]) {
  const { ContactArn } = await client.send(
    new CreateContactCommand({
      Alias: uniqueAlias('oncall'),
      Type: 'ONCALL_SCHEDULE',
      Plan: { RotationIds: rotationArns },
    }),
  );
  return ContactArn!;
}

const engage = async (contactArn: string, incidentId?: string) =>
  (
    await client.send(
      new StartEngagementCommand({
        ContactId: contactArn,
        Sender: 'oncall-bot',
        Subject: 'Database down',
        Content: 'Primary is unreachable',
        ...(incidentId ? { IncidentId: incidentId } : {}),
      }),
    )
  ).EngagementArn!;

const firstPageOf = (who: Person) => eventually(() => pagesTo(runtime, who)[0], 10_000, `a page to ${who.alias}`);
const finished = (engagementArn: string) =>
  eventually(
    () => {
      const status = runtime.engagements.execution(engagementIdOf(engagementArn))?.status;
      return status !== undefined && status !== 'RUNNING';
    },
    15_000,
    'the workflow to end',
  );

describe('escalation plans', () => {
  it('engage each stage DurationInMinutes after the previous one, in order, each contact through their own plan', async () => {
    // Prepare
    const [ann, ben, cat] = await Promise.all(
      ['ann', 'ben', 'cat'].map((p) =>
        person(runtime, client, { prefix: p, stages: [{ minutes: 1, channels: ['mail'] }] }),
      ),
    );
    const plan = await escalation([
      { minutes: 1, targets: [{ arn: ann!.arn }] },
      { minutes: 1, targets: [{ arn: ben!.arn }] },
      { minutes: 1, targets: [{ arn: cat!.arn }] },
    ]);
    const incidentId = `escalation-${Date.now()}`;

    // Act
    const started = Date.now();
    const engagementArn = await engage(plan.arn, incidentId);
    await finished(engagementArn);

    // Assess: order and timing of the pages (stage n begins n stage durations after the engagement started)
    const pages = pagesIn(runtime, (m) => [ann!.arn, ben!.arn, cat!.arn].includes(m.contactArn ?? ''));
    expect(pages.map((m) => m.contactArn)).toEqual([ann!.arn, ben!.arn, cat!.arn]);
    const t0 = (await client.send(new DescribeEngagementCommand({ EngagementId: engagementArn }))).StartTime!.getTime();
    expect(t0).toBeGreaterThanOrEqual(started - 1);
    pages.forEach((m, n) => {
      expect(m.createdTime, `stage ${n}`).toBeGreaterThanOrEqual(t0 + n * MINUTE);
      expect(m.createdTime, `stage ${n}`).toBeLessThan(t0 + n * MINUTE + 1500);
    });

    // ... the engagements: the plan's own and one per contact, all with the incident's id
    const listed = (await client.send(new ListEngagementsCommand({ IncidentId: incidentId }))).Engagements!;
    expect(listed.map((e) => e.ContactArn).sort()).toEqual([ann!.arn, ben!.arn, cat!.arn, plan.arn].sort());
    const benEngagement = listed.find((e) => e.ContactArn === ben!.arn)!;
    expect(
      (await client.send(new DescribeEngagementCommand({ EngagementId: benEngagement.EngagementArn }))).Subject,
    ).toBe('Database down');

    // ... the pages of the plan's engagement (all of them) and of one contact's engagement (theirs)
    const ofPlan = (await client.send(new ListPagesByEngagementCommand({ EngagementId: engagementArn }))).Pages!;
    expect(ofPlan.map((p) => p.ContactArn)).toEqual([ann!.arn, ben!.arn, cat!.arn]);
    expect(ofPlan.map((p) => p.EngagementArn)).not.toContain(engagementArn);
    const ofBen = (await client.send(new ListPagesByEngagementCommand({ EngagementId: benEngagement.EngagementArn })))
      .Pages!;
    expect(ofBen.map((p) => p.ContactArn)).toEqual([ben!.arn]);

    // ... and the resolution path of a page: escalation plan > contact, with the stage that engaged them
    const resolutions = await client.send(new ListPageResolutionsCommand({ PageId: pages[1]!.pageArn }));
    expect(resolutions.PageResolutions).toEqual([
      { ContactArn: plan.arn, Type: 'ESCALATION' },
      { ContactArn: ben!.arn, Type: 'PERSONAL', StageIndex: 1 },
    ]);
    expect(runtime.engagements.execution(engagementIdOf(engagementArn))?.status).toBe('SUCCEEDED');
  });

  it("stop at an essential contact's acknowledgement: later stages are never paged", async () => {
    // Prepare
    const [dan, eve] = await Promise.all(
      ['dan', 'eve'].map((p) => person(runtime, client, { prefix: p, stages: [{ minutes: 5, channels: ['mail'] }] })),
    );
    const plan = await escalation([
      { minutes: 1, targets: [{ arn: dan!.arn, essential: true }] },
      { minutes: 1, targets: [{ arn: eve!.arn }] },
    ]);

    // Act
    const engagementArn = await engage(plan.arn);
    const page = await firstPageOf(dan!);
    await client.send(
      new AcceptPageCommand({ PageId: page.pageArn, AcceptType: 'READ', AcceptCode: page.acceptCode! }),
    );
    await finished(engagementArn);
    await sleep(2 * MINUTE);

    // Assess
    expect(pagesTo(runtime, eve!)).toEqual([]);
    expect(pagesTo(runtime, dan!)).toHaveLength(1);
    expect((await client.send(new DescribeEngagementCommand({ EngagementId: engagementArn }))).StopTime).toBeInstanceOf(
      Date,
    );
    expect(runtime.engagements.execution(engagementIdOf(engagementArn))?.status).toBe('SUCCEEDED');
  });

  it('take one step per stage, not one more for each person whose own plan is shorter than their stage', async () => {
    // Prepare: stages of 4 minutes; each person's plan pages once and ends after 1 minute, mid-stage.
    const [hal, ida, jon] = await Promise.all(
      ['hal', 'ida', 'jon'].map((p) =>
        person(runtime, client, { prefix: p, stages: [{ minutes: 1, channels: ['mail'] }] }),
      ),
    );
    const plan = await escalation([
      { minutes: 4, targets: [{ arn: hal!.arn }] },
      { minutes: 4, targets: [{ arn: ida!.arn, essential: true }] },
      { minutes: 4, targets: [{ arn: jon!.arn }] },
    ]);

    // Act: ida acknowledges as soon as she is paged (stage 2).
    const engagementArn = await engage(plan.arn);
    const page = await eventually(() => pagesTo(runtime, ida!)[0], 20_000, 'a page to ida');
    await client.send(
      new AcceptPageCommand({ PageId: page.pageArn, AcceptType: 'READ', AcceptCode: page.acceptCode! }),
    );
    await workflowEnded(runtime, engagementArn, 30_000);

    // Assess: Step, Done?, Wait at stage 1 and at stage 2, then Step, Done?, Finished at stage 3's time: 9, as when
    // the plans last the whole stage (hal's and ida's plan ends are no steps of their own).
    const execution = runtime.engagements.execution(engagementIdOf(engagementArn))!;
    expect(execution.status).toBe('SUCCEEDED');
    expect(pagesTo(runtime, jon!)).toEqual([]);
    expect(execution.transitions).toBe(9);
    expect(execution.workerInvocations).toBe(3);
  });

  it("go on after a non-essential contact's acknowledgement, which ends only that contact's own plan", async () => {
    // Prepare
    const fay = await person(runtime, client, {
      prefix: 'fay',
      channels: [{ name: 'mail' }, { name: 'sms', type: 'SMS' }],
      stages: [
        { minutes: 2, channels: ['mail'] },
        { minutes: 2, channels: ['sms'] },
      ],
    });
    const gus = await person(runtime, client, { prefix: 'gus', stages: [{ minutes: 1, channels: ['mail'] }] });
    const plan = await escalation([
      { minutes: 2, targets: [{ arn: fay.arn, essential: false }] },
      { minutes: 1, targets: [{ arn: gus.arn }] },
    ]);

    // Act
    const engagementArn = await engage(plan.arn);
    const page = await firstPageOf(fay);
    await client.send(
      new AcceptPageCommand({ PageId: page.pageArn, AcceptType: 'READ', AcceptCode: page.acceptCode! }),
    );
    await finished(engagementArn);

    // Assess
    expect(pagesTo(runtime, gus)).toHaveLength(1); // the next stage still engaged gus
    expect(pagesTo(runtime, fay).map((m) => m.channelType)).toEqual(['EMAIL']); // fay's SMS stage never ran
    const fayEngagement = page.engagementArn!;
    expect((await client.send(new DescribeEngagementCommand({ EngagementId: fayEngagement }))).StopTime).toBeInstanceOf(
      Date,
    );
  });

  it('engage a contact already engaged only once; a later essential target makes their acknowledgement end the plan', async () => {
    // Prepare
    const hal = await person(runtime, client, { prefix: 'hal', stages: [{ minutes: 10, channels: ['mail'] }] });
    const ida = await person(runtime, client, { prefix: 'ida', stages: [{ minutes: 10, channels: ['mail'] }] });
    const plan = await escalation([
      { minutes: 1, targets: [{ arn: hal.arn, essential: false }] },
      { minutes: 5, targets: [{ arn: hal.arn, essential: true }, { arn: ida.arn }] },
    ]);

    // Act
    const engagementArn = await engage(plan.arn);
    const page = await firstPageOf(hal);
    await firstPageOf(ida);
    await client.send(
      new AcceptPageCommand({ PageId: page.pageArn, AcceptType: 'READ', AcceptCode: page.acceptCode! }),
    );
    await finished(engagementArn);

    // Assess
    expect(pagesTo(runtime, hal)).toHaveLength(1);
    const idaPage = pagesTo(runtime, ida)[0]!;
    const receipts = (await client.send(new ListPageReceiptsCommand({ PageId: idaPage.pageArn }))).Receipts!;
    expect(receipts.map((r) => r.ReceiptType)).toEqual(['SENT', 'STOP']);
    expect(receipts[1]!.ReceiptInfo).toContain(hal.alias);
  });

  it('StopEngagement on the plan stops every contact it engaged, and their pages get STOP receipts', async () => {
    // Prepare
    const jon = await person(runtime, client, {
      prefix: 'jon',
      channels: [{ name: 'mail' }, { name: 'sms', type: 'SMS' }],
      stages: [
        { minutes: 5, channels: ['mail'] },
        { minutes: 5, channels: ['sms'] },
      ],
    });
    const kay = await person(runtime, client, { prefix: 'kay', stages: [{ minutes: 5, channels: ['mail'] }] });
    // Stages long enough that stage 2 cannot come due before the stop arrives, even on a loaded machine.
    const plan = await escalation([
      { minutes: 5, targets: [{ arn: jon.arn }] },
      { minutes: 5, targets: [{ arn: kay.arn }] },
    ]);

    // Act: without the stop, the workflow would page jon's SMS and kay, then end SUCCEEDED.
    const engagementArn = await engage(plan.arn);
    const page = await firstPageOf(jon);
    await client.send(new StopEngagementCommand({ EngagementId: engagementArn, Reason: 'handled elsewhere' }));
    const status = await workflowEnded(runtime, engagementArn);

    // Assess
    expect(pagesTo(runtime, jon)).toHaveLength(1);
    expect(pagesTo(runtime, kay)).toEqual([]);
    expect(status).toBe('ABORTED');
    const receipts = (await client.send(new ListPageReceiptsCommand({ PageId: page.pageArn }))).Receipts!;
    expect(receipts.map((r) => r.ReceiptType)).toEqual(['SENT', 'STOP']);
    expect(
      (await client.send(new DescribeEngagementCommand({ EngagementId: page.engagementArn }))).StopTime,
    ).toBeInstanceOf(Date);
  });
});

describe('on-call schedules', () => {
  it('resolve to whoever is on call at that moment, overrides included', async () => {
    // Prepare
    const [lee, max] = await Promise.all(
      ['lee', 'max'].map((p) => person(runtime, client, { prefix: p, stages: [{ minutes: 1, channels: ['mail'] }] })),
    );
    const rotation = await createRotation(client, [lee!.arn, max!.arn]);
    const schedule = await onCallSchedule([rotation]);
    const plan = await escalation([{ minutes: 1, targets: [{ arn: schedule, essential: true }] }]);
    const now = new Date();
    const shift = (
      await client.send(
        new ListRotationShiftsCommand({
          RotationId: rotation,
          StartTime: now,
          EndTime: new Date(now.getTime() + 60_000),
        }),
      )
    ).RotationShifts![0]!;
    const [onCall, offCall] = shift.ContactIds![0] === lee!.arn ? [lee!, max!] : [max!, lee!];

    // Act
    const engagementArn = await engage(plan.arn);
    const page = await firstPageOf(onCall);
    await finished(engagementArn);

    // Assess
    expect(pagesTo(runtime, offCall)).toEqual([]);
    const resolutions = await client.send(new ListPageResolutionsCommand({ PageId: page.pageArn }));
    expect(resolutions.PageResolutions).toEqual([
      { ContactArn: plan.arn, Type: 'ESCALATION' },
      { ContactArn: schedule, Type: 'ONCALL_SCHEDULE', StageIndex: 0 },
      { ContactArn: onCall.arn, Type: 'PERSONAL', StageIndex: 0 },
    ]);

    // Act: an override puts the other person on call; engaging the schedule itself now pages them.
    await client.send(
      new CreateRotationOverrideCommand({
        RotationId: rotation,
        NewContactIds: [offCall.arn],
        StartTime: new Date(Date.now() - 60_000),
        EndTime: new Date(Date.now() + 3_600_000),
      }),
    );
    const direct = await engage(schedule);
    const overridden = await firstPageOf(offCall);
    await finished(direct);

    // Assess
    expect(pagesTo(runtime, onCall)).toHaveLength(1);
    expect((await client.send(new ListPageResolutionsCommand({ PageId: overridden.pageArn }))).PageResolutions).toEqual(
      [
        { ContactArn: schedule, Type: 'ONCALL_SCHEDULE' },
        { ContactArn: offCall.arn, Type: 'PERSONAL', StageIndex: 0 },
      ],
    );
  });
});
