/**
 * Paging from incidents, through the official ssm-incidents and ssm-contacts clients: StartIncident engages the
 * response plan's `engagements` with the incident's id, the timeline records `SSM Contacts Page for Incident` and
 * `SSM Contacts Page Acknowledgement for Incident`, a retried StartIncident engages nobody twice, and resolving the
 * incident stops its paging. Time runs 120 times faster (a plan minute takes 0.5 s).
 */
import {
  AcceptPageCommand,
  CreateContactCommand,
  ListEngagementsCommand,
  ListPageReceiptsCommand,
  type SSMContactsClient,
} from '@aws-sdk/client-ssm-contacts';
import {
  GetTimelineEventCommand,
  type SSMIncidentsClient,
  UpdateIncidentRecordCommand,
} from '@aws-sdk/client-ssm-incidents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactArnOf, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { uniqueAlias } from './contacts-helpers.ts';
import { engagementIdOf, eventually, type Person, pagesTo, person, sleep } from './engagements-helpers.ts';
import { allTimelineEvents, createPlan, startIncident } from './helpers.ts';

const SCALE = 120;
const MINUTE = 60_000 / SCALE;

let runtime: TestRuntime;
let contacts: SSMContactsClient;
let incidents: SSMIncidentsClient;

beforeAll(async () => {
  runtime = await startTestRuntime({ timeScale: SCALE });
  contacts = runtime.contactsClient();
  incidents = runtime.incidentsClient();
});

afterAll(async () => {
  await runtime?.stop();
});

/**
 * A response plan whose engagement is an escalation plan: `first` (essential) at once, `second` `firstStageMinutes`
 * later (long enough, at this time scale, for the test to act before the second stage, even on a loaded machine).
 */
async function pagingPlan(first: Person, second: Person, firstStageMinutes = 1) {
  const { ContactArn } = await contacts.send(
    new CreateContactCommand({
      Alias: uniqueAlias('escalation'),
      Type: 'ESCALATION',
      Plan: {
        Stages: [
          {
            DurationInMinutes: firstStageMinutes,
            Targets: [{ ContactTargetInfo: { ContactId: first.arn, IsEssential: true } }],
          },
          { DurationInMinutes: 1, Targets: [{ ContactTargetInfo: { ContactId: second.arn, IsEssential: false } }] },
        ],
      },
    }),
  );
  const plan = await createPlan(incidents, { engagements: [ContactArn!] });
  return { escalationArn: ContactArn!, planArn: plan.arn };
}

const people = async () =>
  Promise.all(
    ['oncall', 'backup'].map((prefix) =>
      person(runtime, contacts, { prefix, stages: [{ minutes: 5, channels: ['mail'] }] }),
    ),
  );

const eventsOfType = async (incidentArn: string, eventType: string) => {
  const summaries = await allTimelineEvents(incidents, {
    incidentRecordArn: incidentArn,
    filters: [{ key: 'eventType', condition: { equals: { stringValues: [eventType] } } }],
  });
  return Promise.all(
    summaries.map(
      async (s) =>
        (await incidents.send(new GetTimelineEventCommand({ incidentRecordArn: incidentArn, eventId: s.eventId })))
          .event!,
    ),
  );
};

describe('paging from incidents', () => {
  it('StartIncident engages the response plan engagements with the incident id; the timeline records the page and the acknowledgement', async () => {
    // Prepare
    const [oncall, backup] = await people();
    const { escalationArn, planArn } = await pagingPlan(oncall!, backup!, 10);

    // Act
    const incidentArn = await startIncident(incidents, planArn, { title: 'Checkout is failing', impact: 1 });
    const page = await eventually(() => pagesTo(runtime, oncall!)[0], 10_000, 'the page');
    // Acknowledge before the next stage would engage the backup.
    await contacts.send(
      new AcceptPageCommand({ PageId: page.pageArn, AcceptType: 'READ', AcceptCode: page.acceptCode! }),
    );
    const engaged = (await contacts.send(new ListEngagementsCommand({ IncidentId: incidentArn }))).Engagements!;
    const pageEvents = await eventually(async () => {
      const found = await eventsOfType(incidentArn, 'SSM Contacts Page for Incident');
      return found.length > 0 && found;
    });
    const ackEvents = await eventsOfType(incidentArn, 'SSM Contacts Page Acknowledgement for Incident');
    const rootId = engagementIdOf(engaged.find((e) => e.ContactArn === escalationArn)!.EngagementArn!);
    await eventually(() => runtime.engagements.execution(rootId)?.status === 'SUCCEEDED');

    // Assess
    expect(page).toMatchObject({ incidentId: incidentArn, subject: expect.stringContaining('Checkout is failing') });
    expect(page.text).toContain(incidentArn);
    expect(engaged.map((e) => e.ContactArn).sort()).toEqual([escalationArn, oncall!.arn].sort());
    for (const e of engaged) expect(e).toMatchObject({ IncidentId: incidentArn, Sender: 'Incident Manager' });
    expect(pageEvents).toHaveLength(1);
    expect(JSON.parse(pageEvents[0]!.eventData!)).toEqual({
      contactArn: oncall!.arn,
      engagementArn: page.engagementArn,
      summary: `Paged ${oncall!.alias} (EMAIL).`,
    });
    expect(pageEvents[0]!.eventReferences).toEqual(expect.arrayContaining([{ resource: oncall!.arn }]));
    expect(ackEvents).toHaveLength(1);
    expect(JSON.parse(ackEvents[0]!.eventData!)).toEqual({
      contactArn: oncall!.arn,
      engagementArn: page.engagementArn,
      pageArn: page.pageArn,
      via: 'with AcceptPage',
      summary: `${oncall!.alias} acknowledged with AcceptPage.`,
    });
    expect(pagesTo(runtime, backup!)).toEqual([]); // the essential acknowledgement ended the escalation
  });

  it('a retried StartIncident (same clientToken) engages nobody twice', async () => {
    // Prepare
    const [oncall, backup] = await people();
    const { escalationArn, planArn } = await pagingPlan(oncall!, backup!);
    const clientToken = `incident-retry-${Date.now()}`;

    // Act
    const first = await startIncident(incidents, planArn, { clientToken });
    const again = await startIncident(incidents, planArn, { clientToken });
    await eventually(() => pagesTo(runtime, oncall!).length > 0);
    await sleep(MINUTE / 2);

    // Assess
    expect(again).toBe(first);
    expect(pagesTo(runtime, oncall!)).toHaveLength(1);
    const engaged = (await contacts.send(new ListEngagementsCommand({ IncidentId: first }))).Engagements!;
    expect(engaged.filter((e) => e.ContactArn === escalationArn)).toHaveLength(1);
    expect(engaged.filter((e) => e.ContactArn === oncall!.arn)).toHaveLength(1);
    await incidents.send(new UpdateIncidentRecordCommand({ arn: first, status: 'RESOLVED' }));
  });

  it('resolving the incident stops its paging: later stages never page, pages get STOP receipts', async () => {
    // Prepare
    const [oncall, backup] = await people();
    const { planArn } = await pagingPlan(oncall!, backup!, 10);
    const incidentArn = await startIncident(incidents, planArn);
    const page = await eventually(() => pagesTo(runtime, oncall!)[0], 10_000, 'the page');
    const root = (await contacts.send(new ListEngagementsCommand({ IncidentId: incidentArn }))).Engagements!.find(
      (e) => e.ContactArn !== oncall!.arn,
    )!;

    // Act: the resolution stops the paging workflow (a reaction to the committed change on the table's stream)
    await incidents.send(new UpdateIncidentRecordCommand({ arn: incidentArn, status: 'RESOLVED' }));
    await runtime.changes.caughtUp();
    await eventually(() => runtime.engagements.execution(engagementIdOf(root.EngagementArn!))?.status !== 'RUNNING');

    // Assess
    expect(pagesTo(runtime, backup!)).toEqual([]);
    expect(runtime.engagements.execution(engagementIdOf(root.EngagementArn!))?.status).toBe('ABORTED');
    const receipts = (await contacts.send(new ListPageReceiptsCommand({ PageId: page.pageArn }))).Receipts!;
    expect(receipts.map((r) => r.ReceiptType)).toEqual(['SENT', 'STOP']);
    expect(receipts[1]!.ReceiptInfo).toContain('resolved');
  });

  it('opens the incident when a plan engagement names a contact that does not exist (paging the others)', async () => {
    // Prepare
    const [oncall] = await people();
    const plan = await createPlan(incidents, { engagements: [contactArnOf('deleted-long-ago'), oncall!.arn] });

    // Act
    const incidentArn = await startIncident(incidents, plan.arn);
    const page = await eventually(() => pagesTo(runtime, oncall!)[0], 10_000, 'the page');

    // Assess
    expect(page.incidentId).toBe(incidentArn);
    await incidents.send(new UpdateIncidentRecordCommand({ arn: incidentArn, status: 'RESOLVED' }));
  });
});
