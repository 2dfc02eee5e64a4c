/**
 * ssm-contacts rotations through the official client: CRUD with recurrence validation in wire names, overrides, the
 * shifts of a stored rotation across a DST change (ListRotationShifts) and of an unsaved one
 * (ListPreviewRotationShifts), paginators, tags, and the on-call schedules that keep a rotation from being deleted.
 */
import {
  ConflictException,
  CreateRotationCommand,
  CreateRotationOverrideCommand,
  DeleteRotationCommand,
  DeleteRotationOverrideCommand,
  GetRotationCommand,
  GetRotationOverrideCommand,
  ListPreviewRotationShiftsCommand,
  ListRotationShiftsCommand,
  ListTagsForResourceCommand,
  paginateListPreviewRotationShifts,
  paginateListRotationOverrides,
  paginateListRotationShifts,
  paginateListRotations,
  ResourceNotFoundException,
  type RotationShift,
  type SSMContactsClient,
  TagResourceCommand,
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
import { createContact, createRotation, dailyAt, errorOf, uniqueAlias } from './contacts-helpers.ts';
import { itemCount } from './helpers.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const iso = (date: Date | undefined) => date?.toISOString();
const shiftSummary = (s: RotationShift) => ({
  start: iso(s.StartTime),
  end: iso(s.EndTime),
  members: s.ContactIds,
  type: s.Type,
  ...(s.ShiftDetails ? { replaced: s.ShiftDetails.OverriddenContactIds } : {}),
});
/** The next UTC midnight at least a day away, so overrides built on it are in the future. */
const nextDay = () => new Date(Math.ceil((Date.now() + DAY) / DAY) * DAY);

describe('ssm-contacts rotations', () => {
  let runtime: TestRuntime;
  let client: SSMContactsClient;
  let members: string[];
  beforeAll(async () => {
    runtime = await startTestRuntime();
    client = runtime.contactsClient();
    members = [];
    for (const name of ['ann', 'bob', 'cat'])
      members.push((await createContact(client, { Alias: uniqueAlias(name) })).arn);
  });
  afterAll(() => runtime?.stop());

  it('creates a rotation and reads back its members, start, zone and recurrence (epoch-second timestamps)', async () => {
    // Prepare
    const recurrence = {
      NumberOfOnCalls: 2,
      RecurrenceMultiplier: 1,
      WeeklySettings: [
        { DayOfWeek: 'MON' as const, HandOffTime: { HourOfDay: 9, MinuteOfHour: 30 } },
        { DayOfWeek: 'THU' as const, HandOffTime: { HourOfDay: 17, MinuteOfHour: 0 } },
      ],
      ShiftCoverages: { MON: [{ Start: { HourOfDay: 8, MinuteOfHour: 0 }, End: { HourOfDay: 18, MinuteOfHour: 0 } }] },
    };

    // Act
    const { RotationArn } = await client.send(
      new CreateRotationCommand({
        Name: 'Primary on-call 1.0',
        ContactIds: members,
        TimeZoneId: 'America/Los_Angeles',
        StartTime: new Date('2027-01-04T17:30:00Z'),
        Recurrence: recurrence,
      }),
    );
    const got = await client.send(new GetRotationCommand({ RotationId: RotationArn }));

    // Assess
    expect(RotationArn).toMatch(
      new RegExp(`^arn:aws:ssm-contacts:${TEST_REGION}:${TEST_ACCOUNT}:rotation/[0-9a-f-]{36}$`),
    );
    expect(got).toMatchObject({
      RotationArn,
      Name: 'Primary on-call 1.0',
      ContactIds: members,
      TimeZoneId: 'America/Los_Angeles',
      StartTime: new Date('2027-01-04T17:30:00Z'),
      Recurrence: recurrence,
    });
  });

  describe('rejects bad input with a ValidationException naming the field, and writes nothing', () => {
    const base = () => ({ Name: 'r', ContactIds: members, TimeZoneId: 'UTC', Recurrence: dailyAt(9) });
    const cases: [string, () => Promise<Record<string, unknown>>, string][] = [
      ['a name with symbols', async () => ({ ...base(), Name: 'on-call!' }), 'Name'],
      ['no members', async () => ({ ...base(), ContactIds: [] }), 'ContactIds'],
      [
        '31 members',
        async () => ({ ...base(), ContactIds: Array.from({ length: 31 }, () => members[0]) }),
        'ContactIds',
      ],
      ['a time-zone designator', async () => ({ ...base(), TimeZoneId: 'PST' }), 'TimeZoneId'],
      ['an unknown time zone', async () => ({ ...base(), TimeZoneId: 'Mars/Olympus_Mons' }), 'TimeZoneId'],
      ['no recurrence', async () => ({ ...base(), Recurrence: undefined }), 'Recurrence'],
      [
        'daily and weekly settings at once',
        async () => ({
          ...base(),
          Recurrence: {
            ...dailyAt(9),
            WeeklySettings: [{ DayOfWeek: 'MON', HandOffTime: { HourOfDay: 9, MinuteOfHour: 0 } }],
          },
        }),
        'Recurrence.WeeklySettings',
      ],
      [
        'more people on call than members',
        async () => ({ ...base(), ContactIds: [members[0]], Recurrence: { ...dailyAt(9), NumberOfOnCalls: 2 } }),
        'Recurrence.NumberOfOnCalls',
      ],
      ['an hour of 24', async () => ({ ...base(), Recurrence: dailyAt(24) }), 'Recurrence.DailySettings.1.HourOfDay'],
      [
        'hand-offs 10 minutes apart',
        async () => ({
          ...base(),
          Recurrence: {
            NumberOfOnCalls: 1,
            RecurrenceMultiplier: 1,
            DailySettings: [
              { HourOfDay: 9, MinuteOfHour: 0 },
              { HourOfDay: 9, MinuteOfHour: 10 },
            ],
          },
        }),
        'Recurrence.DailySettings.2',
      ],
      [
        'a multiplier of 0',
        async () => ({ ...base(), Recurrence: { ...dailyAt(9), RecurrenceMultiplier: 0 } }),
        'Recurrence.RecurrenceMultiplier',
      ],
      [
        'a 10-minute coverage window',
        async () => ({
          ...base(),
          Recurrence: {
            ...dailyAt(9),
            ShiftCoverages: {
              TUE: [{ Start: { HourOfDay: 9, MinuteOfHour: 0 }, End: { HourOfDay: 9, MinuteOfHour: 10 } }],
            },
          },
        }),
        'Recurrence.ShiftCoverages.TUE.1.End',
      ],
      [
        'an escalation plan as a member',
        async () => ({ ...base(), ContactIds: [(await createContact(client, { Type: 'ESCALATION' })).arn] }),
        'ContactIds.1',
      ],
    ];
    for (const [what, input, field] of cases) {
      it(what, async () => {
        // Prepare
        const request = await input();
        const before = await itemCount(runtime);

        // Act
        const error = await errorOf(client.send(new CreateRotationCommand(request as any)));

        // Assess
        expect(error).toBeInstanceOf(ValidationException);
        expect((error.Fields as { Name: string }[])[0]?.Name).toBe(field);
        expect(await itemCount(runtime)).toBe(before);
      });
    }

    it('a member that does not exist is ResourceNotFoundException (modelled for CreateRotation)', async () => {
      const error = await errorOf(createRotation(client, [members[0]!, contactArnOf(uniqueAlias('ghost'))]));
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect(error.ResourceType).toBe('CONTACT');
    });
  });

  it('lists rotations by name prefix through the paginator', async () => {
    // Prepare
    const prefix = `Team ${uniqueAlias('x')}`;
    const arns = [];
    for (const suffix of ['a', 'b', 'c'])
      arns.push(await createRotation(client, members, { Name: `${prefix} ${suffix}` }));

    // Act
    const names: string[] = [];
    for await (const page of paginateListRotations({ client, pageSize: 2 }, { RotationNamePrefix: prefix }))
      names.push(...(page.Rotations ?? []).map((r) => r.Name!));

    // Assess
    expect(names).toEqual([`${prefix} a`, `${prefix} b`, `${prefix} c`]);
  });

  it('updates members, zone and recurrence (Recurrence is required even on update)', async () => {
    // Prepare
    const rotation = await createRotation(client, members);

    // Act
    await client.send(
      new UpdateRotationCommand({
        RotationId: rotation,
        ContactIds: [members[2]!, members[0]!],
        TimeZoneId: 'Asia/Kathmandu',
        Recurrence: dailyAt(7, 45),
      }),
    );
    const got = await client.send(new GetRotationCommand({ RotationId: rotation }));
    const missing = await errorOf(client.send(new UpdateRotationCommand({ RotationId: rotation } as any)));
    const unknown = await errorOf(
      client.send(
        new UpdateRotationCommand({
          RotationId: rotation.replace(/rotation\/.*/, 'rotation/00000000-0000-0000-0000-000000000000'),
          Recurrence: dailyAt(9),
        }),
      ),
    );

    // Assess
    expect(got).toMatchObject({
      ContactIds: [members[2], members[0]],
      TimeZoneId: 'Asia/Kathmandu',
      Recurrence: dailyAt(7, 45),
    });
    expect(missing).toBeInstanceOf(ValidationException);
    expect((missing.Fields as { Name: string }[])[0]?.Name).toBe('Recurrence');
    expect(unknown).toBeInstanceOf(ResourceNotFoundException);
    expect(unknown.ResourceType).toBe('ROTATION');
  });

  it('lists the shifts of a daily 09:00 New York rotation across the spring-forward change (a 23-hour shift), page by page', async () => {
    // Prepare: hand-offs at 09:00 local, 14:00Z before 2027-03-14 and 13:00Z after.
    const rotation = await createRotation(client, members, {
      TimeZoneId: 'America/New_York',
      StartTime: new Date('2027-03-10T14:00:00Z'),
      Recurrence: dailyAt(9),
    });
    const [ann, bob, cat] = members;

    // Act
    const shifts: RotationShift[] = [];
    let pages = 0;
    for await (const page of paginateListRotationShifts(
      { client, pageSize: 4 },
      { RotationId: rotation, StartTime: new Date('2027-03-12T00:00:00Z'), EndTime: new Date('2027-03-17T00:00:00Z') },
    )) {
      pages++;
      shifts.push(...(page.RotationShifts ?? []));
    }

    // Assess
    expect(pages).toBe(2);
    expect(shifts.map(shiftSummary)).toEqual([
      { start: '2027-03-11T14:00:00.000Z', end: '2027-03-12T14:00:00.000Z', members: [bob], type: 'REGULAR' },
      { start: '2027-03-12T14:00:00.000Z', end: '2027-03-13T14:00:00.000Z', members: [cat], type: 'REGULAR' },
      { start: '2027-03-13T14:00:00.000Z', end: '2027-03-14T13:00:00.000Z', members: [ann], type: 'REGULAR' },
      { start: '2027-03-14T13:00:00.000Z', end: '2027-03-15T13:00:00.000Z', members: [bob], type: 'REGULAR' },
      { start: '2027-03-15T13:00:00.000Z', end: '2027-03-16T13:00:00.000Z', members: [cat], type: 'REGULAR' },
      { start: '2027-03-16T13:00:00.000Z', end: '2027-03-17T13:00:00.000Z', members: [ann], type: 'REGULAR' },
    ]);
  });

  it('starts ListRotationShifts at the time of the request when StartTime is omitted', async () => {
    // Prepare
    const rotation = await createRotation(client, members, { StartTime: new Date('2026-01-01T09:00:00Z') });
    const now = Date.now();

    // Act
    const { RotationShifts = [] } = await client.send(
      new ListRotationShiftsCommand({ RotationId: rotation, EndTime: new Date(now + 2 * DAY) }),
    );

    // Assess
    expect(RotationShifts[0]!.StartTime!.getTime()).toBeLessThanOrEqual(now);
    expect(RotationShifts[0]!.EndTime!.getTime()).toBeGreaterThan(now);
    expect(RotationShifts.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a window longer than 400 days or ending before it starts, naming EndTime', async () => {
    const rotation = await createRotation(client, members);
    const tooLong = await errorOf(
      client.send(
        new ListRotationShiftsCommand({
          RotationId: rotation,
          StartTime: new Date('2027-01-01T00:00:00Z'),
          EndTime: new Date('2028-03-01T00:00:00Z'),
        }),
      ),
    );
    const backwards = await errorOf(
      client.send(
        new ListRotationShiftsCommand({
          RotationId: rotation,
          StartTime: new Date('2027-01-02T00:00:00Z'),
          EndTime: new Date('2027-01-01T00:00:00Z'),
        }),
      ),
    );
    for (const error of [tooLong, backwards]) {
      expect(error).toBeInstanceOf(ValidationException);
      expect((error.Fields as { Name: string }[])[0]?.Name).toBe('EndTime');
    }
  });

  describe('overrides', () => {
    it('replaces the scheduled member for the override window: ListRotationShifts shows an OVERRIDDEN shift with the replaced members', async () => {
      // Prepare
      const rotation = await createRotation(client, members, { StartTime: new Date('2026-01-05T09:00:00Z') });
      const day = nextDay();
      const start = new Date(day.getTime() + 10 * HOUR);
      const end = new Date(day.getTime() + 12 * HOUR);
      const before = await client.send(
        new ListRotationShiftsCommand({
          RotationId: rotation,
          StartTime: new Date(day.getTime() + 10 * HOUR),
          EndTime: new Date(day.getTime() + 11 * HOUR),
        }),
      );
      const scheduled = before.RotationShifts![0]!.ContactIds!;
      const substitute = members.find((m) => !scheduled.includes(m))!;

      // Act
      const { RotationOverrideId } = await client.send(
        new CreateRotationOverrideCommand({
          RotationId: rotation,
          NewContactIds: [substitute],
          StartTime: start,
          EndTime: end,
        }),
      );
      const got = await client.send(new GetRotationOverrideCommand({ RotationId: rotation, RotationOverrideId }));
      const { RotationShifts = [] } = await client.send(
        new ListRotationShiftsCommand({
          RotationId: rotation,
          StartTime: new Date(day.getTime() + 9.5 * HOUR),
          EndTime: new Date(day.getTime() + 13 * HOUR),
        }),
      );

      // Assess
      expect(RotationOverrideId).toMatch(/^[0-9a-f-]{36}$/);
      expect(got).toMatchObject({
        RotationOverrideId,
        RotationArn: rotation,
        NewContactIds: [substitute],
        StartTime: start,
        EndTime: end,
      });
      expect(got.CreateTime).toBeInstanceOf(Date);
      expect(RotationShifts.map(shiftSummary)).toEqual([
        { start: iso(new Date(day.getTime() + 9 * HOUR)), end: iso(start), members: scheduled, type: 'REGULAR' },
        { start: iso(start), end: iso(end), members: [substitute], type: 'OVERRIDDEN', replaced: scheduled },
        { start: iso(end), end: iso(new Date(day.getTime() + 33 * HOUR)), members: scheduled, type: 'REGULAR' },
      ]);
    });

    it('lists overrides overlapping a window through the paginator, and deletes them', async () => {
      // Prepare
      const rotation = await createRotation(client, members);
      const day = nextDay().getTime();
      const ids: string[] = [];
      for (const offset of [0, 1, 2]) {
        const { RotationOverrideId } = await client.send(
          new CreateRotationOverrideCommand({
            RotationId: rotation,
            NewContactIds: [members[0]!],
            StartTime: new Date(day + offset * DAY),
            EndTime: new Date(day + offset * DAY + HOUR),
          }),
        );
        ids.push(RotationOverrideId!);
      }

      // Act
      const listed: string[] = [];
      for await (const page of paginateListRotationOverrides(
        { client, pageSize: 1 },
        { RotationId: rotation, StartTime: new Date(day + 30 * 60_000), EndTime: new Date(day + 2 * DAY) },
      ))
        listed.push(...(page.RotationOverrides ?? []).map((o) => o.RotationOverrideId!));
      await client.send(new DeleteRotationOverrideCommand({ RotationId: rotation, RotationOverrideId: ids[0] }));
      const gone = await errorOf(
        client.send(new GetRotationOverrideCommand({ RotationId: rotation, RotationOverrideId: ids[0] })),
      );
      const again = await errorOf(
        client.send(new DeleteRotationOverrideCommand({ RotationId: rotation, RotationOverrideId: ids[0] })),
      );

      // Assess
      expect(listed).toEqual([ids[0], ids[1]]);
      expect(gone).toBeInstanceOf(ResourceNotFoundException);
      expect(gone).toMatchObject({ ResourceType: 'ROTATION_OVERRIDE', ResourceId: ids[0] });
      expect(again).toBeInstanceOf(ResourceNotFoundException);
    });

    describe('rejects overrides that break the rules, naming the field', () => {
      const cases: [string, (rotation: string, day: number, outsider: string) => Record<string, unknown>, string][] = [
        [
          'shorter than 30 minutes',
          (r, d) => ({ RotationId: r, NewContactIds: [], StartTime: new Date(d), EndTime: new Date(d + 29 * 60_000) }),
          'EndTime',
        ],
        [
          'starting in the past',
          (r, d) => ({ RotationId: r, NewContactIds: [], StartTime: new Date(d - 3 * DAY), EndTime: new Date(d) }),
          'StartTime',
        ],
        [
          'ending more than 6 months ahead',
          (r, d) => ({ RotationId: r, NewContactIds: [], StartTime: new Date(d), EndTime: new Date(d + 200 * DAY) }),
          'EndTime',
        ],
        [
          'with someone outside the rotation',
          (r, d, o) => ({ RotationId: r, NewContactIds: [o], StartTime: new Date(d), EndTime: new Date(d + HOUR) }),
          'NewContactIds.1',
        ],
      ];
      for (const [what, input, field] of cases) {
        it(what, async () => {
          const rotation = await createRotation(client, [members[0]!, members[1]!]);
          const error = await errorOf(
            client.send(new CreateRotationOverrideCommand(input(rotation, nextDay().getTime(), members[2]!) as any)),
          );
          expect(error).toBeInstanceOf(ValidationException);
          expect((error.Fields as { Name: string }[])[0]?.Name).toBe(field);
        });
      }
    });
  });

  it('previews the shifts of an unsaved weekly Berlin rotation across the fall-back change, with an override, page by page', async () => {
    // Prepare: Mondays 09:00 local = 07:00Z in summer time, 08:00Z in winter time (from 2027-10-31).
    const input = {
      Members: ['alice', 'bob'],
      TimeZoneId: 'Europe/Berlin',
      RotationStartTime: new Date('2027-10-18T07:00:00Z'),
      StartTime: new Date('2027-10-18T07:00:00Z'),
      EndTime: new Date('2027-11-08T08:00:00Z'),
      Recurrence: {
        NumberOfOnCalls: 1,
        RecurrenceMultiplier: 1,
        WeeklySettings: [{ DayOfWeek: 'MON' as const, HandOffTime: { HourOfDay: 9, MinuteOfHour: 0 } }],
      },
      Overrides: [
        {
          NewMembers: ['carol'],
          StartTime: new Date('2027-10-20T00:00:00Z'),
          EndTime: new Date('2027-10-21T00:00:00Z'),
        },
      ],
    };

    // Act
    const shifts: RotationShift[] = [];
    for await (const page of paginateListPreviewRotationShifts({ client, pageSize: 2 }, input))
      shifts.push(...(page.RotationShifts ?? []));

    // Assess
    expect(shifts.map(shiftSummary)).toEqual([
      { start: '2027-10-18T07:00:00.000Z', end: '2027-10-20T00:00:00.000Z', members: ['alice'], type: 'REGULAR' },
      {
        start: '2027-10-20T00:00:00.000Z',
        end: '2027-10-21T00:00:00.000Z',
        members: ['carol'],
        type: 'OVERRIDDEN',
        replaced: ['alice'],
      },
      { start: '2027-10-21T00:00:00.000Z', end: '2027-10-25T07:00:00.000Z', members: ['alice'], type: 'REGULAR' },
      { start: '2027-10-25T07:00:00.000Z', end: '2027-11-01T08:00:00.000Z', members: ['bob'], type: 'REGULAR' },
      { start: '2027-11-01T08:00:00.000Z', end: '2027-11-08T08:00:00.000Z', members: ['alice'], type: 'REGULAR' },
    ]);
  });

  it('rejects a preview with bad members, recurrence or overrides, naming the field', async () => {
    const base = {
      Members: ['alice'],
      TimeZoneId: 'UTC',
      EndTime: new Date('2027-02-01T00:00:00Z'),
      Recurrence: dailyAt(9),
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, Members: [] }, 'Members'],
      [{ ...base, Members: [' '] }, 'Members.1'],
      [{ ...base, Recurrence: { ...dailyAt(9), NumberOfOnCalls: 2 } }, 'Recurrence.NumberOfOnCalls'],
      [{ ...base, TimeZoneId: 'EST' }, 'TimeZoneId'],
      [
        { ...base, Overrides: [{ NewMembers: ['bob'], StartTime: new Date('2027-01-10T00:00:00Z') }] },
        'Overrides.1.EndTime',
      ],
    ];
    for (const [input, field] of cases) {
      const error = await errorOf(client.send(new ListPreviewRotationShiftsCommand(input as any)));
      expect(error, field).toBeInstanceOf(ValidationException);
      expect((error.Fields as { Name: string }[])[0]?.Name, field).toBe(field);
    }
  });

  it('refuses to delete a rotation an on-call schedule lists (ConflictException with DependentEntities), then deletes it with its overrides', async () => {
    // Prepare
    const rotation = await createRotation(client, members);
    const spare = await createRotation(client, members);
    const schedule = await createContact(client, { Type: 'ONCALL_SCHEDULE', Plan: { RotationIds: [rotation] } });
    const day = nextDay().getTime();
    const { RotationOverrideId } = await client.send(
      new CreateRotationOverrideCommand({
        RotationId: rotation,
        NewContactIds: [],
        StartTime: new Date(day),
        EndTime: new Date(day + HOUR),
      }),
    );

    // Act
    const refused = await errorOf(client.send(new DeleteRotationCommand({ RotationId: rotation })));
    await client.send(new UpdateContactCommand({ ContactId: schedule.arn, Plan: { RotationIds: [spare] } }));
    const before = await itemCount(runtime);
    const deleted = await client.send(new DeleteRotationCommand({ RotationId: rotation }));
    const after = await itemCount(runtime);
    const gone = await errorOf(client.send(new GetRotationCommand({ RotationId: rotation })));
    const overrideGone = await errorOf(
      client.send(new GetRotationOverrideCommand({ RotationId: rotation, RotationOverrideId })),
    );

    // Assess
    expect(refused).toBeInstanceOf(ConflictException);
    expect(refused).toMatchObject({
      ResourceId: rotation,
      ResourceType: 'ROTATION',
      DependentEntities: [{ RelationType: 'ONCALL_SCHEDULE_ROTATION', DependentResourceIds: [schedule.arn] }],
    });
    expect(deleted.$metadata.httpStatusCode).toBe(200);
    // The rotation, its override, and the member references it held in the three contacts' collections.
    expect(after).toBe(before - 2 - members.length);
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    expect(overrideGone).toBeInstanceOf(ResourceNotFoundException);
  });

  it('tags rotations', async () => {
    const rotation = await createRotation(client, members, { Tags: [{ Key: 'team', Value: 'payments' }] });
    await client.send(new TagResourceCommand({ ResourceARN: rotation, Tags: [{ Key: 'tier', Value: '1' }] }));
    const { Tags } = await client.send(new ListTagsForResourceCommand({ ResourceARN: rotation }));
    expect(Tags).toEqual([
      { Key: 'team', Value: 'payments' },
      { Key: 'tier', Value: '1' },
    ]);
  });
});
