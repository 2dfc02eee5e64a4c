/**
 * Paging never changes what is listed: for every paginated operation of both APIs (every `paginate*` the official
 * clients export), the items collected through the SDK paginator with page sizes 1, 2 and 3 equal those of the largest
 * page size, for inputs with and without filters. The data is built so that page boundaries fall where lists are
 * hard to resume: rotation overrides that cut a shift, end exactly where another begins or span a hand-off, filtered
 * queries whose pages come back short, and engagement trees whose pages and resolutions span several records.
 */

import * as contactsSdk from '@aws-sdk/client-ssm-contacts';
import {
  AcceptPageCommand,
  CreateContactCommand,
  CreateRotationOverrideCommand,
  paginateListContactChannels,
  paginateListContacts,
  paginateListEngagements,
  paginateListPageReceipts,
  paginateListPageResolutions,
  paginateListPagesByContact,
  paginateListPagesByEngagement,
  paginateListPreviewRotationShifts,
  paginateListRotationOverrides,
  paginateListRotationShifts,
  paginateListRotations,
  type SSMContactsClient,
  StartEngagementCommand,
} from '@aws-sdk/client-ssm-contacts';
import * as incidentsSdk from '@aws-sdk/client-ssm-incidents';
import {
  CreateReplicationSetCommand,
  CreateTimelineEventCommand,
  PutResourcePolicyCommand,
  paginateGetResourcePolicies,
  paginateListIncidentFindings,
  paginateListIncidentRecords,
  paginateListRelatedItems,
  paginateListReplicationSets,
  paginateListResponsePlans,
  paginateListTimelineEvents,
  type SSMIncidentsClient,
  UpdateRelatedItemsCommand,
} from '@aws-sdk/client-ssm-incidents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { createContact, createRotation, uniqueAlias } from './contacts-helpers.ts';
import { eventually, type Person, person } from './engagements-helpers.ts';
import { createPlan, startIncident, unique } from './helpers.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** A paginator as the SDK generates them: `paginateX({ client, pageSize }, input)` yields output pages. */
type Paginator = (config: { client: any; pageSize?: number }, input: any) => AsyncIterable<object>;

interface Case {
  /** The operation (the paginator's name without `paginate`). */
  operation: string;
  paginator: Paginator;
  client: 'incidents' | 'contacts';
  /** The output member holding the items. */
  items: string;
  /** The largest page size the operation allows (undefined: it has none). */
  largest?: number;
  inputs: () => Record<string, unknown>[];
}

/** Every item the paginator yields, in order. */
async function collect(paginator: Paginator, client: unknown, key: string, input: unknown, pageSize?: number) {
  const items: unknown[] = [];
  let pages = 0;
  // A copy each time: the SDK paginators write NextToken and the page size into the input they are given.
  for await (const page of paginator({ client, ...(pageSize ? { pageSize } : {}) }, structuredClone(input))) {
    items.push(...((page as Record<string, unknown[]>)[key] ?? []));
    if (++pages > 500) throw new Error('the paginator did not end');
  }
  return items;
}

describe('paging never changes what is listed', () => {
  let runtime: TestRuntime;
  let incidents: SSMIncidentsClient;
  let contacts: SSMContactsClient;
  const data = {} as {
    planArn: string;
    incidentArn: string;
    namePrefix: string;
    aliasPrefix: string;
    someone: Person;
    rotationArn: string;
    rotationNamePrefix: string;
    window: { StartTime: Date; EndTime: Date };
    overrides: { start: number; end: number }[];
    incidentId: string;
    escalationEngagementArn: string;
    escalationPageArn: string;
    receiptPageArn: string;
    day: number;
  };

  beforeAll(async () => {
    runtime = await startTestRuntime({ timeScale: 600 });
    incidents = runtime.incidentsClient();
    contacts = runtime.contactsClient();

    // ssm-incidents: plans, incidents of two impacts, a timeline, related items, policies.
    data.namePrefix = unique('page');
    for (let i = 0; i < 5; i++) await createPlan(incidents, { name: `${data.namePrefix}-${i}` });
    const plan = await createPlan(incidents);
    data.planArn = plan.arn;
    for (let i = 0; i < 7; i++) await startIncident(incidents, plan.arn, { impact: (i % 3) + 1 });
    data.incidentArn = await startIncident(incidents, plan.arn);
    for (let i = 0; i < 6; i++)
      await incidents.send(
        new CreateTimelineEventCommand({
          incidentRecordArn: data.incidentArn,
          // Two events per instant: ties between equal times must page like everything else.
          eventTime: new Date(Date.UTC(2026, 0, 1, 0, Math.floor(i / 2))),
          eventType: i % 2 ? 'Custom Event' : 'Note',
          eventData: `"event ${i}"`,
        }),
      );
    for (let i = 0; i < 5; i++)
      await incidents.send(
        new UpdateRelatedItemsCommand({
          incidentRecordArn: data.incidentArn,
          relatedItemsUpdate: { itemToAdd: { identifier: { type: 'OTHER', value: { url: `https://e.com/${i}` } } } },
        }),
      );
    await incidents.send(new CreateReplicationSetCommand({ regions: { 'us-east-1': {} } }));
    for (let i = 0; i < 4; i++)
      await incidents.send(
        new PutResourcePolicyCommand({
          resourceArn: plan.arn,
          policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: `s${i}`, Effect: 'Allow' }] }),
        }),
      );

    // ssm-contacts: contacts, a person with channels paged by several engagements, an escalation, rotations.
    data.aliasPrefix = uniqueAlias('pg');
    for (let i = 0; i < 5; i++) await createContact(contacts, { Alias: `${data.aliasPrefix}-${i}` });
    data.someone = await person(runtime, contacts, {
      prefix: 'paged',
      channels: [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd', inactive: true }],
      stages: [{ minutes: 0, channels: ['a', 'b', 'c'] }],
    });
    data.incidentId = `incident-${data.namePrefix}`;
    for (let i = 0; i < 3; i++)
      await contacts.send(
        new StartEngagementCommand({
          ContactId: data.someone.arn,
          Sender: 'pager',
          Subject: `s${i}`,
          Content: 'c',
          IncidentId: data.incidentId,
        }),
      );
    const escalation = await contacts.send(
      new CreateContactCommand({
        Alias: uniqueAlias('escalation'),
        Type: 'ESCALATION',
        Plan: {
          Stages: [
            {
              DurationInMinutes: 1,
              Targets: [{ ContactTargetInfo: { ContactId: data.someone.arn, IsEssential: false } }],
            },
          ],
        },
      }),
    );
    const { EngagementArn } = await contacts.send(
      new StartEngagementCommand({ ContactId: escalation.ContactArn, Sender: 'pager', Subject: 'esc', Content: 'c' }),
    );
    data.escalationEngagementArn = EngagementArn!;
    const treePages = await eventually(
      async () => {
        const pages: unknown[] = [];
        for await (const page of paginateListPagesByEngagement({ client: contacts }, { EngagementId: EngagementArn }))
          pages.push(...(page.Pages ?? []));
        return pages.length === 3 && (pages as { PageArn: string }[]);
      },
      20_000,
      'the escalation to page',
    );
    data.escalationPageArn = treePages[0]!.PageArn;
    const receiptPage = treePages[1]!.PageArn;
    data.receiptPageArn = receiptPage;
    for (const AcceptType of ['DELIVERED', 'READ'] as const)
      await contacts.send(
        new AcceptPageCommand({
          PageId: receiptPage,
          AcceptType,
          AcceptCode: '000000',
          AcceptCodeValidation: 'IGNORE',
        }),
      );

    // Rotations: a daily 09:00 UTC hand-off, with overrides that cut shifts in the middle, end where another starts,
    // start at a hand-off and span one.
    data.rotationNamePrefix = `paged ${data.namePrefix}`;
    for (let i = 0; i < 4; i++)
      await createRotation(contacts, [data.someone.arn], { Name: `${data.rotationNamePrefix} ${i}` });
    data.day = Math.ceil(Date.now() / DAY) * DAY + DAY;
    const d = data.day;
    data.rotationArn = await createRotation(contacts, [data.someone.arn], {
      Name: `${data.rotationNamePrefix} shifts`,
      StartTime: new Date(d),
    });
    data.overrides = [
      { start: d + 12 * HOUR, end: d + 15 * HOUR },
      { start: d + 15 * HOUR, end: d + 16 * HOUR },
      { start: d + DAY + 9 * HOUR, end: d + DAY + 10 * HOUR },
      { start: d + 2 * DAY + 20 * HOUR, end: d + 3 * DAY + 11 * HOUR },
      { start: d + 3 * DAY + 11 * HOUR, end: d + 3 * DAY + 12 * HOUR },
      { start: d + 3 * DAY + 18 * HOUR, end: d + 3 * DAY + 19 * HOUR },
    ];
    for (const o of data.overrides)
      await contacts.send(
        new CreateRotationOverrideCommand({
          RotationId: data.rotationArn,
          NewContactIds: [data.someone.arn],
          StartTime: new Date(o.start),
          EndTime: new Date(o.end),
        }),
      );
    data.window = { StartTime: new Date(d), EndTime: new Date(d + 5 * DAY) };
  }, 180_000);
  afterAll(() => runtime?.stop());

  const CASES: Case[] = [
    {
      operation: 'GetResourcePolicies',
      paginator: paginateGetResourcePolicies,
      client: 'incidents',
      items: 'resourcePolicies',
      largest: 100,
      inputs: () => [{ resourceArn: data.planArn }],
    },
    {
      operation: 'ListIncidentFindings',
      paginator: paginateListIncidentFindings,
      client: 'incidents',
      items: 'findings',
      largest: 20,
      inputs: () => [{ incidentRecordArn: data.incidentArn }],
    },
    {
      operation: 'ListIncidentRecords',
      paginator: paginateListIncidentRecords,
      client: 'incidents',
      items: 'incidentRecordSummaries',
      largest: 100,
      inputs: () => [
        {},
        { filters: [{ key: 'status', condition: { equals: { stringValues: ['OPEN'] } } }] },
        // A filter the index cannot serve: pages are filled across reads and may come back short.
        { filters: [{ key: 'impact', condition: { equals: { integerValues: [1, 3] } } }] },
      ],
    },
    {
      operation: 'ListRelatedItems',
      paginator: paginateListRelatedItems,
      client: 'incidents',
      items: 'relatedItems',
      largest: 100,
      inputs: () => [{ incidentRecordArn: data.incidentArn }],
    },
    {
      operation: 'ListReplicationSets',
      paginator: paginateListReplicationSets,
      client: 'incidents',
      items: 'replicationSetArns',
      largest: 100,
      inputs: () => [{}],
    },
    {
      operation: 'ListResponsePlans',
      paginator: paginateListResponsePlans,
      client: 'incidents',
      items: 'responsePlanSummaries',
      largest: 100,
      inputs: () => [{}],
    },
    {
      operation: 'ListTimelineEvents',
      paginator: paginateListTimelineEvents,
      client: 'incidents',
      items: 'eventSummaries',
      largest: 100,
      inputs: () => [
        { incidentRecordArn: data.incidentArn },
        { incidentRecordArn: data.incidentArn, sortOrder: 'ASCENDING' },
        {
          incidentRecordArn: data.incidentArn,
          filters: [{ key: 'eventType', condition: { equals: { stringValues: ['Custom Event'] } } }],
        },
      ],
    },
    {
      operation: 'ListContactChannels',
      paginator: paginateListContactChannels,
      client: 'contacts',
      items: 'ContactChannels',
      largest: 1024,
      inputs: () => [{ ContactId: data.someone.arn }],
    },
    {
      operation: 'ListContacts',
      paginator: paginateListContacts,
      client: 'contacts',
      items: 'Contacts',
      largest: 1024,
      inputs: () => [{}, { AliasPrefix: data.aliasPrefix }, { Type: 'PERSONAL' }],
    },
    {
      operation: 'ListEngagements',
      paginator: paginateListEngagements,
      client: 'contacts',
      items: 'Engagements',
      largest: 1024,
      inputs: () => [{}, { IncidentId: data.incidentId }],
    },
    {
      operation: 'ListPageReceipts',
      paginator: paginateListPageReceipts,
      client: 'contacts',
      items: 'Receipts',
      largest: 1024,
      inputs: () => [{ PageId: data.receiptPageArn }],
    },
    {
      operation: 'ListPageResolutions',
      paginator: paginateListPageResolutions,
      client: 'contacts',
      items: 'PageResolutions',
      inputs: () => [{ PageId: data.escalationPageArn }],
    },
    {
      operation: 'ListPagesByContact',
      paginator: paginateListPagesByContact,
      client: 'contacts',
      items: 'Pages',
      largest: 1024,
      inputs: () => [{ ContactId: data.someone.arn }],
    },
    {
      operation: 'ListPagesByEngagement',
      paginator: paginateListPagesByEngagement,
      client: 'contacts',
      items: 'Pages',
      largest: 1024,
      inputs: () => [{ EngagementId: data.escalationEngagementArn }],
    },
    {
      operation: 'ListPreviewRotationShifts',
      paginator: paginateListPreviewRotationShifts,
      client: 'contacts',
      items: 'RotationShifts',
      largest: 1024,
      inputs: () => [
        {
          RotationStartTime: new Date(data.day),
          ...data.window,
          Members: ['alice', 'bob', 'carol'],
          TimeZoneId: 'UTC',
          Recurrence: {
            NumberOfOnCalls: 1,
            RecurrenceMultiplier: 1,
            DailySettings: [{ HourOfDay: 9, MinuteOfHour: 0 }],
          },
          Overrides: data.overrides.map((o) => ({
            NewMembers: ['bob'],
            StartTime: new Date(o.start),
            EndTime: new Date(o.end),
          })),
        },
      ],
    },
    {
      operation: 'ListRotationOverrides',
      paginator: paginateListRotationOverrides,
      client: 'contacts',
      items: 'RotationOverrides',
      largest: 1024,
      inputs: () => [{ RotationId: data.rotationArn, ...data.window }],
    },
    {
      operation: 'ListRotationShifts',
      paginator: paginateListRotationShifts,
      client: 'contacts',
      items: 'RotationShifts',
      largest: 1024,
      inputs: () => [
        { RotationId: data.rotationArn, ...data.window },
        // A window that starts inside a shift an override has cut, and right where an override ends.
        { RotationId: data.rotationArn, StartTime: new Date(data.day + 15 * HOUR), EndTime: data.window.EndTime },
      ],
    },
    {
      operation: 'ListRotations',
      paginator: paginateListRotations,
      client: 'contacts',
      items: 'Rotations',
      largest: 1024,
      inputs: () => [{}, { RotationNamePrefix: data.rotationNamePrefix }],
    },
  ];

  it('covers every paginator the official clients export', () => {
    const exported = [...Object.keys(incidentsSdk), ...Object.keys(contactsSdk)]
      .filter((name) => name.startsWith('paginate'))
      .map((name) => name.slice('paginate'.length))
      .sort();
    expect(CASES.map((c) => c.operation).sort()).toEqual(exported);
  });

  it.each(CASES.map((c) => [c.operation, c] as const))('%s', async (_operation, c: Case) => {
    const client = c.client === 'incidents' ? incidents : contacts;
    for (const input of c.inputs()) {
      const whole = await collect(c.paginator, client, c.items, input, c.largest);
      expect(whole.length, `${c.operation} ${JSON.stringify(input)} lists something`).toBeGreaterThan(
        c.operation === 'ListIncidentFindings' ? -1 : 0,
      );
      console.log(c.operation, whole.length, JSON.stringify(whole).slice(0, 300));
      for (const pageSize of [1, 2, 3])
        expect(
          await collect(c.paginator, client, c.items, input, pageSize),
          `page size ${pageSize}, ${JSON.stringify(input)}`,
        ).toEqual(whole);
    }
  });

  it('lists rotation shifts without overlaps, with every override', async () => {
    const shifts = (await collect(
      paginateListRotationShifts,
      contacts,
      'RotationShifts',
      { RotationId: data.rotationArn, ...data.window },
      1,
    )) as {
      StartTime: Date;
      EndTime: Date;
      Type: string;
    }[];
    console.log(JSON.stringify(shifts.map((s) => [s.StartTime.toISOString(), s.EndTime.toISOString(), s.Type])));
    for (let i = 1; i < shifts.length; i++)
      expect(shifts[i]!.StartTime.getTime()).toBeGreaterThanOrEqual(shifts[i - 1]!.EndTime.getTime());
    const overridden = shifts
      .filter((s) => s.Type === 'OVERRIDDEN')
      .map((s) => [s.StartTime.getTime(), s.EndTime.getTime()]);
    // The override across the 09:00 hand-off yields one OVERRIDDEN shift per replaced shift.
    expect(overridden).toEqual([
      [data.overrides[0]!.start, data.overrides[0]!.end],
      [data.overrides[1]!.start, data.overrides[1]!.end],
      [data.overrides[2]!.start, data.overrides[2]!.end],
      [data.overrides[3]!.start, data.day + 3 * DAY + 9 * HOUR],
      [data.day + 3 * DAY + 9 * HOUR, data.overrides[3]!.end],
      [data.overrides[4]!.start, data.overrides[4]!.end],
      [data.overrides[5]!.start, data.overrides[5]!.end],
    ]);
  });
});
