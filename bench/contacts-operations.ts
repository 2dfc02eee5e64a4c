/**
 * Phase 4 of `npm run bench`: what the ssm-contacts API costs per call in DynamoDB requests and capacity units (and
 * its latency), as phase 1 does for ssm-incidents; plus resolving an incident that engaged contacts, which stops its
 * paging. Paging runs for real (the local runtime's workflow and worker), in real time: after its first step, no
 * workflow step runs while a measured call is in flight; each call is counted alone (measure.ts `measureEach`).
 */
import {
  AcceptPageCommand,
  ActivateContactChannelCommand,
  CreateContactChannelCommand,
  CreateContactCommand,
  DescribeEngagementCommand,
  DescribePageCommand,
  GetContactCommand,
  ListContactChannelsCommand,
  ListContactsCommand,
  ListEngagementsCommand,
  ListPageReceiptsCommand,
  ListPagesByContactCommand,
  ListPagesByEngagementCommand,
  type SSMContactsClient,
  StartEngagementCommand,
  StopEngagementCommand,
  UpdateContactCommand,
} from '@aws-sdk/client-ssm-contacts';
import {
  CreateResponsePlanCommand,
  StartIncidentCommand,
  UpdateIncidentRecordCommand,
} from '@aws-sdk/client-ssm-incidents';
import type { OutboundMessage } from '#core/contacts/messaging.ts';
import type { BenchRuntime } from './bench-runtime.ts';
import { type Measurement, type MeasureOptions, measureEach } from './measure.ts';
import { watchPages } from './outbox-watch.ts';

export type ContactsResults = Record<string, Measurement>;

/** Real time (no time scale): a stage lasts far longer than the phase, so the only workflow step is the first one. */
const STAGE_MINUTES = 30;

const activatedPerson = async (bench: BenchRuntime, alias: string) => {
  const contacts = bench.contacts;
  const { ContactArn } = await contacts.send(
    new CreateContactCommand({ Alias: alias, Type: 'PERSONAL', Plan: { Stages: [] } }),
  );
  const { ContactChannelArn } = await contacts.send(
    new CreateContactChannelCommand({
      ContactId: ContactArn,
      Name: 'mail',
      Type: 'EMAIL',
      DeliveryAddress: { SimpleAddress: `${alias}@example.com` },
    }),
  );
  const code = bench.runtime.outbox.latest((m) => m.contactChannelArn === ContactChannelArn)?.activationCode;
  await contacts.send(new ActivateContactChannelCommand({ ContactChannelId: ContactChannelArn, ActivationCode: code }));
  await contacts.send(
    new UpdateContactCommand({
      ContactId: ContactArn,
      Plan: {
        Stages: [
          {
            DurationInMinutes: STAGE_MINUTES,
            Targets: [{ ChannelTargetInfo: { ContactChannelId: ContactChannelArn } }],
          },
        ],
      },
    }),
  );
  return { arn: ContactArn!, channelArn: ContactChannelArn! };
};

export async function benchmarkContactsOperations(
  bench: BenchRuntime,
  options: MeasureOptions,
  log: (line: string) => void,
): Promise<ContactsResults> {
  const contacts: SSMContactsClient = bench.contacts;
  const { counter } = bench;
  const nextPage = watchPages(bench.runtime);
  const results: ContactsResults = {};
  /** Measures with `options` under `name` (which also names its progress line on stderr). */
  const record = async (name: string, measuring: (labelled: MeasureOptions) => Promise<Measurement>) => {
    results[name] = await measuring({ ...options, label: name });
    log(`measured ${name}`);
  };
  /** Each call's reactions (the stream consumers, and what they write in turn) have run. */
  const settled = async () => {
    for (let round = 0; round < 2; round++) {
      await bench.runtime.changes.caughtUp();
      await counter.quiet();
    }
  };
  let serial = 0;
  const alias = (prefix: string) => `${prefix}-${++serial}`;

  // ---- contacts and channels ---------------------------------------------------------------------------------
  await record('CreateContact (PERSONAL)', (labelled) =>
    measureEach(
      async (i) => alias(`new-${i}`),
      (Alias) => contacts.send(new CreateContactCommand({ Alias, Type: 'PERSONAL', Plan: { Stages: [] } })),
      counter,
      labelled,
      settled,
    ),
  );
  const responders = [
    await activatedPerson(bench, 'essential'),
    await activatedPerson(bench, 'second'),
    await activatedPerson(bench, 'third'),
  ];
  const [essential] = responders as [(typeof responders)[number]];
  await record('GetContact', (labelled) =>
    measureEach(
      async () => essential.arn,
      (ContactId) => contacts.send(new GetContactCommand({ ContactId })),
      counter,
      labelled,
      settled,
    ),
  );
  await record('ListContacts', (labelled) =>
    measureEach(
      async () => undefined,
      () => contacts.send(new ListContactsCommand({})),
      counter,
      labelled,
      settled,
    ),
  );
  await record('CreateContactChannel (EMAIL)', (labelled) =>
    measureEach(
      async (i) =>
        (
          await contacts.send(
            new CreateContactCommand({ Alias: alias(`channel-${i}`), Type: 'PERSONAL', Plan: { Stages: [] } }),
          )
        ).ContactArn!,
      (ContactId, i) =>
        contacts.send(
          new CreateContactChannelCommand({
            ContactId,
            Name: 'mail',
            Type: 'EMAIL',
            DeliveryAddress: { SimpleAddress: `c${i}@example.com` },
          }),
        ),
      counter,
      labelled,
      settled,
    ),
  );
  await record('ListContactChannels', (labelled) =>
    measureEach(
      async () => essential.arn,
      (ContactId) => contacts.send(new ListContactChannelsCommand({ ContactId })),
      counter,
      labelled,
      settled,
    ),
  );

  // ---- paging through an incident ---------------------------------------------------------------------------
  const { ContactArn: escalation } = await contacts.send(
    new CreateContactCommand({
      Alias: 'first-responders',
      Type: 'ESCALATION',
      Plan: {
        Stages: [
          {
            DurationInMinutes: STAGE_MINUTES,
            Targets: responders.map((r, i) => ({ ContactTargetInfo: { ContactId: r.arn, IsEssential: i === 0 } })),
          },
        ],
      },
    }),
  );
  const { arn: responsePlanArn } = await bench.incidents.send(
    new CreateResponsePlanCommand({
      name: 'bench-paging',
      incidentTemplate: { title: 'Checkout is failing', impact: 2 },
      engagements: [escalation!],
    }),
  );
  /** An incident whose escalation plan has paged its three contacts (one child engagement each). */
  const pagedIncident = async () => {
    const { incidentRecordArn } = await bench.incidents.send(new StartIncidentCommand({ responsePlanArn }));
    const ofIncident = (m: OutboundMessage) => m.incidentId === incidentRecordArn;
    const pages = await Promise.all(responders.map(() => nextPage(ofIncident)));
    const pageOf = (contactArn: string) => pages.find((p) => p.message.contactArn === contactArn)!.message;
    const { Engagements } = await contacts.send(new ListEngagementsCommand({ IncidentId: incidentRecordArn }));
    const root = Engagements!.find((e) => e.ContactArn === escalation)!.EngagementArn!;
    return { incidentRecordArn: incidentRecordArn!, essentialPage: pageOf(essential.arn), root };
  };

  const sample = await pagedIncident();
  await counter.quiet();
  const child = sample.essentialPage.engagementArn!;
  const page = sample.essentialPage.pageArn!;
  const reads: [string, () => Promise<unknown>][] = [
    ['DescribeEngagement', () => contacts.send(new DescribeEngagementCommand({ EngagementId: child }))],
    ['DescribePage', () => contacts.send(new DescribePageCommand({ PageId: page }))],
    [
      'ListEngagements (IncidentId)',
      () => contacts.send(new ListEngagementsCommand({ IncidentId: sample.incidentRecordArn })),
    ],
    [
      'ListPagesByEngagement (escalation plan)',
      () => contacts.send(new ListPagesByEngagementCommand({ EngagementId: sample.root })),
    ],
    [
      'ListPagesByEngagement (one contact of it)',
      () => contacts.send(new ListPagesByEngagementCommand({ EngagementId: child })),
    ],
    ['ListPagesByContact', () => contacts.send(new ListPagesByContactCommand({ ContactId: essential.arn }))],
    ['ListPageReceipts', () => contacts.send(new ListPageReceiptsCommand({ PageId: page }))],
  ];
  for (const [name, call] of reads)
    await record(name, (labelled) => measureEach(async () => undefined, call, counter, labelled, settled));

  await record('AcceptPage DELIVERED', (labelled) =>
    measureEach(
      async () => (await pagedIncident()).essentialPage,
      (m) =>
        contacts.send(new AcceptPageCommand({ PageId: m.pageArn, AcceptType: 'DELIVERED', AcceptCode: m.acceptCode })),
      counter,
      labelled,
      settled,
    ),
  );
  await record('AcceptPage READ (essential contact: ends the escalation, stops 2 others)', (labelled) =>
    measureEach(
      async () => (await pagedIncident()).essentialPage,
      (m) => contacts.send(new AcceptPageCommand({ PageId: m.pageArn, AcceptType: 'READ', AcceptCode: m.acceptCode })),
      counter,
      labelled,
      settled,
    ),
  );
  await record('UpdateIncidentRecord RESOLVED (stops an escalation and its 3 contacts)', (labelled) =>
    measureEach(
      async () => (await pagedIncident()).incidentRecordArn,
      (arn) => bench.incidents.send(new UpdateIncidentRecordCommand({ arn, status: 'RESOLVED' })),
      counter,
      labelled,
      settled,
    ),
  );

  // ---- StartEngagement / StopEngagement without their workflow ------------------------------------------------
  // The workflow's first step would run while StartEngagement is answered and be counted with it; with the paging
  // runner closed, StartEngagement does exactly its own work (the start of the execution is a no-op).
  await bench.runtime.engagements.close();
  const engaged: string[] = [];
  await record('StartEngagement (PERSONAL, workflow not counted)', (labelled) =>
    measureEach(
      async () => undefined,
      async () => {
        const { EngagementArn } = await contacts.send(
          new StartEngagementCommand({ ContactId: essential.arn, Sender: 'bench', Subject: 'Disk full', Content: 'x' }),
        );
        engaged.push(EngagementArn!);
      },
      counter,
      labelled,
      settled,
    ),
  );
  await record('StopEngagement (PERSONAL)', (labelled) =>
    measureEach(
      async (i) => engaged[i]!,
      (EngagementId) => contacts.send(new StopEngagementCommand({ EngagementId })),
      counter,
      labelled,
      settled,
    ),
  );
  return results;
}
