/**
 * Every filter of ListIncidentRecords and ListTimelineEvents, alone and combined, paged with several page sizes
 * against DynamoDB Local: the pages together hold exactly the matching items in the API's order (no repeat, no gap),
 * and a page never costs more than two Queries.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES, recordUpdateEvent, triggerEvent } from '#core/incidents/automatic-events.ts';
import type {
  IncidentQuery,
  IncidentRecord,
  IncidentsStore,
  TimelineEventRecord,
  TimelineQuery,
} from '#core/incidents/ports.ts';
import { freshStore, incident } from '../support/store.ts';

const PAGE_SIZES = [1, 3, 7, 100];

/** Counts the Query requests the store makes, per store call. */
function queryCounter(client: DynamoDBClient) {
  let queries = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'QueryCommand') queries++;
      return next(args);
    },
    { step: 'initialize', name: 'countQueries' },
  );
  return {
    async during<T>(call: () => Promise<T>): Promise<{ result: T; queries: number }> {
      const before = queries;
      const result = await call();
      return { result, queries: queries - before };
    },
  };
}

async function pageThrough<T>(
  list: (pageSize: number, token: string | undefined) => Promise<{ items: T[]; nextToken?: string }>,
  pageSize: number,
  counter: ReturnType<typeof queryCounter>,
): Promise<{ items: T[]; maxQueries: number }> {
  const items: T[] = [];
  let token: string | undefined;
  let maxQueries = 0;
  for (let pages = 0; pages < 500; pages++) {
    const { result, queries } = await counter.during(() => list(pageSize, token));
    maxQueries = Math.max(maxQueries, queries);
    items.push(...result.items);
    token = result.nextToken;
    if (!token) return { items, maxQueries };
  }
  throw new Error('paging did not end');
}

describe('ListIncidentRecords filters', () => {
  let store: IncidentsStore;
  let counter: ReturnType<typeof queryCounter>;
  const creators = ['alice', 'bob', 'intake'].map((name) => `arn:aws:iam::111122223333:role/${name}`);
  const stored: IncidentRecord[] = [];
  const base = Date.UTC(2026, 0, 1);

  beforeAll(async () => {
    const fresh = await freshStore();
    store = fresh.store;
    counter = queryCounter(fresh.client);
    for (let i = 0; i < 60; i++) {
      const createdBy = creators[i % 7 === 0 ? 0 : i % 5 === 0 ? 1 : 2]!;
      const record = incident({
        // Pairs of incidents share a creation time: ties are ordered by id.
        creationTime: base + Math.floor(i / 2) * 60_000,
        status: i % 3 === 0 ? 'OPEN' : 'RESOLVED',
        impact: (i % 5) + 1,
        incidentRecordSource: { createdBy, source: 'aws.ssm-incidents.custom' },
      });
      stored.push(record);
      await store.startIncident(
        {
          incident: record,
          events: [triggerEvent(record.arn, undefined, true, record.creationTime)],
          relatedItems: [],
          duplicateTriggerEvent: () => {
            throw new Error('no dedupe in this data set');
          },
        },
        undefined,
        Date.now(),
      );
    }
  });

  const expected = (query: IncidentQuery) =>
    stored
      .filter(
        (i) =>
          (!query.statuses || query.statuses.includes(i.status)) &&
          (!query.impacts || query.impacts.includes(i.impact)) &&
          (!query.createdBy || query.createdBy.includes(i.incidentRecordSource.createdBy)) &&
          (query.createdAfter === undefined || i.creationTime > query.createdAfter) &&
          (query.createdBefore === undefined || i.creationTime < query.createdBefore),
      )
      .sort((a, b) => b.creationTime - a.creationTime || (b.id < a.id ? -1 : 1))
      .map((i) => i.id);

  const window = { createdAfter: base + 5 * 60_000, createdBefore: base + 24 * 60_000 };
  const cases: [string, IncidentQuery][] = [
    ['no filter', {}],
    ['status OPEN', { statuses: ['OPEN'] }],
    ['both statuses', { statuses: ['OPEN', 'RESOLVED'] }],
    ['impact 2', { impacts: [2] }],
    ['impact 2, OPEN', { impacts: [2], statuses: ['OPEN'] }],
    ['impacts 1 and 2, OPEN', { impacts: [1, 2], statuses: ['OPEN'] }],
    ['impacts 1 and 2 (checked on a bounded read)', { impacts: [1, 2] }],
    ['three impacts, RESOLVED (checked on a bounded read)', { impacts: [1, 3, 5], statuses: ['RESOLVED'] }],
    ['createdBy', { createdBy: [creators[0]!] }],
    ['createdBy, OPEN', { createdBy: [creators[1]!], statuses: ['OPEN'] }],
    ['two creators, RESOLVED', { createdBy: [creators[0]!, creators[1]!], statuses: ['RESOLVED'] }],
    ['two creators (checked on a bounded read)', { createdBy: [creators[0]!, creators[2]!] }],
    ['createdBy and impact', { createdBy: [creators[2]!], impacts: [3] }],
    ['creation-time window', window],
    ['creation-time window, impact 4, OPEN', { ...window, impacts: [4], statuses: ['OPEN'] }],
    ['creation-time window, createdBy', { ...window, createdBy: [creators[2]!] }],
  ];

  it.each(cases)('%s: every match once, newest first, at most two Queries a page', async (_name, query) => {
    const want = expected(query);
    expect(want.length).toBeGreaterThan(0);
    for (const pageSize of PAGE_SIZES) {
      const { items, maxQueries } = await pageThrough(
        (size, token) => store.listIncidents(query, size, token),
        pageSize,
        counter,
      );
      expect(
        items.map((i) => i.id),
        `page size ${pageSize}`,
      ).toEqual(want);
      expect(maxQueries).toBeLessThanOrEqual(2);
    }
  });

  it('returns the summary members and nothing stored only for the service', async () => {
    const { items } = await store.listIncidents({ impacts: [1], statuses: ['OPEN'] }, 1, undefined);
    expect(Object.keys(items[0]!).sort()).toEqual(
      ['arn', 'creationTime', 'id', 'impact', 'incidentRecordSource', 'status', 'title'].sort(),
    );
  });

  it('rejects a nextToken issued for other filters', async () => {
    const { nextToken } = await store.listIncidents({ impacts: [2] }, 1, undefined);
    await expect(store.listIncidents({ impacts: [3] }, 1, nextToken)).rejects.toThrow(/nextToken/);
  });
});

describe('ListTimelineEvents filters', () => {
  let store: IncidentsStore;
  let counter: ReturnType<typeof queryCounter>;
  const record = incident();
  const events: TimelineEventRecord[] = [];
  const alarmA = 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:cpu';
  const alarmB = 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:disk';
  const runbook = 'related-item-runbook';
  const base = Date.UTC(2026, 0, 1);

  /** Reads back every event of the incident in full, keyed by id. */
  const stored = async () => {
    const all: TimelineEventRecord[] = [];
    let token: string | undefined;
    do {
      const page = await store.listTimelineEvents(record.id, { ascending: true }, 100, token);
      for (const summary of page.items) all.push((await store.getTimelineEvent(record.id, summary.eventId))!);
      token = page.nextToken;
    } while (token);
    return all;
  };

  beforeAll(async () => {
    const fresh = await freshStore();
    store = fresh.store;
    counter = queryCounter(fresh.client);
    const dedupeKey = `dedupe:${randomUUID()}`;
    const trigger = (arn: string, minute: number, created: boolean) =>
      triggerEvent(
        record.arn,
        { source: 'aws.cloudwatch', timestamp: base + minute * 60_000, triggerArn: arn, rawData: '{}' },
        created,
        base,
      );
    await store.startIncident(
      {
        incident: { ...record, dedupeKey },
        events: [trigger(alarmA, 0, true)],
        relatedItems: [],
        dedupeKey,
        duplicateTriggerEvent: () => trigger(alarmA, 0, false),
      },
      undefined,
      Date.now(),
    );
    // Repeated triggers of two alarms (the incident's dedupe string joins them), user events and record updates,
    // interleaved in time; a few share an instant.
    for (let minute = 1; minute <= 30; minute++) {
      const arn = minute % 4 === 0 ? alarmB : alarmA;
      await store.startIncident(
        {
          incident: { ...incident(), dedupeKey },
          events: [],
          relatedItems: [],
          dedupeKey,
          duplicateTriggerEvent: () => trigger(arn, minute, false),
        },
        { operation: 'StartIncident', token: randomUUID(), inputHash: 'h' },
        Date.now(),
      );
      const at = base + minute * 60_000;
      if (minute % 3 === 0) {
        const type = minute % 2 === 0 ? EVENT_TYPES.note : EVENT_TYPES.custom;
        const references =
          minute % 9 === 0
            ? [{ resource: alarmA }, { relatedItemId: runbook }]
            : minute % 2 === 0
              ? [{ resource: record.arn }]
              : [];
        await store.createTimelineEvent(
          record.id,
          {
            incidentRecordArn: record.arn,
            eventId: randomUUID(),
            eventTime: at,
            eventUpdatedTime: Date.now(),
            eventType: type,
            eventData: `note ${minute}`,
            ...(references.length ? { eventReferences: references } : {}),
          },
          undefined,
          Date.now(),
        );
      }
      if (minute % 10 === 0) {
        const current = await store.getIncident(record.id);
        const update = recordUpdateEvent({ ...record, title: `t${minute}` }, 'me', [], at);
        await store.updateIncident(
          { ...current!.record, title: `t${minute}` },
          current!.version,
          [update],
          {},
          undefined,
          Date.now(),
        );
      }
    }
    events.push(...(await stored()));
  });

  const valuesOf = (e: TimelineEventRecord) =>
    (e.eventReferences ?? []).map((r) => ('resource' in r ? r.resource : r.relatedItemId));
  const expected = (query: TimelineQuery) =>
    events
      .filter(
        (e) =>
          (!query.eventTypes || query.eventTypes.includes(e.eventType)) &&
          (query.eventReferences ?? []).every((alternatives) => valuesOf(e).some((v) => alternatives.includes(v))) &&
          (query.after === undefined || e.eventTime > query.after) &&
          (query.before === undefined || e.eventTime < query.before),
      )
      .sort((a, b) => (a.eventTime - b.eventTime || (a.eventId < b.eventId ? -1 : 1)) * (query.ascending ? 1 : -1))
      .map((e) => e.eventId);

  const T = EVENT_TYPES;
  const cases: [string, Omit<TimelineQuery, 'ascending'>][] = [
    ['no filter', {}],
    ['triggers', { eventTypes: [T.trigger] }],
    ['notes', { eventTypes: [T.note] }],
    ['notes and custom events', { eventTypes: [T.note, T.custom] }],
    ['triggers and notes', { eventTypes: [T.trigger, T.note] }],
    ['three types (checked on a bounded read)', { eventTypes: [T.note, T.custom, T.recordUpdate] }],
    ['a type no event has', { eventTypes: [T.start] }],
    ['one reference', { eventReferences: [[record.arn]] }],
    ['a trigger ARN (triggers and a note reference it)', { eventReferences: [[alarmA]] }],
    ['either of two references', { eventReferences: [[alarmB, runbook]] }],
    ['either of two references that one note both has', { eventReferences: [[alarmA, runbook]] }],
    ['two references, both required', { eventReferences: [[alarmA], [runbook]] }],
    ['a type and a reference', { eventTypes: [T.trigger], eventReferences: [[alarmB]] }],
    ['a time window', { after: base + 7 * 60_000, before: base + 22 * 60_000 }],
    ['a time window and a type', { after: base + 7 * 60_000, before: base + 22 * 60_000, eventTypes: [T.custom] }],
  ];

  for (const ascending of [false, true]) {
    it.each(cases)(
      `%s (${ascending ? 'oldest' : 'newest'} first): every match once, at most two Queries a page`,
      async (_name, filter) => {
        const query = { ...filter, ascending };
        const want = expected(query);
        for (const pageSize of PAGE_SIZES) {
          const { items, maxQueries } = await pageThrough(
            (size, token) => store.listTimelineEvents(record.id, query, size, token),
            pageSize,
            counter,
          );
          expect(
            items.map((e) => e.eventId),
            `page size ${pageSize}`,
          ).toEqual(want);
          expect(maxQueries).toBeLessThanOrEqual(2);
        }
      },
    );
  }

  it('lists summaries, and GetTimelineEvent reads each trigger with its full eventData', async () => {
    const { items } = await store.listTimelineEvents(
      record.id,
      { ascending: true, eventTypes: [T.trigger] },
      2,
      undefined,
    );
    expect(items[0]).not.toHaveProperty('eventData');
    const first = await store.getTimelineEvent(record.id, items[0]!.eventId);
    expect(JSON.parse(first!.eventData)).toMatchObject({ createdIncident: true, triggerArn: alarmA, rawData: '{}' });
  });
});

describe('timeline index entries follow edits and deletes', () => {
  it('lists an edited event under its new type and references only, and a deleted one nowhere', async () => {
    // Prepare
    const { store } = await freshStore();
    const record = incident();
    await store.startIncident(
      {
        incident: record,
        events: [],
        relatedItems: [],
        duplicateTriggerEvent: () => {
          throw new Error('unused');
        },
      },
      undefined,
      Date.now(),
    );
    const note: TimelineEventRecord = {
      incidentRecordArn: record.arn,
      eventId: randomUUID(),
      eventTime: Date.UTC(2026, 0, 1),
      eventUpdatedTime: 1,
      eventType: EVENT_TYPES.note,
      eventData: 'first words',
      eventReferences: [{ resource: 'arn:aws:s3:::old' }],
    };
    await store.createTimelineEvent(record.id, note, undefined, Date.now());
    const ids = async (query: Omit<TimelineQuery, 'ascending'>) =>
      (await store.listTimelineEvents(record.id, { ...query, ascending: true }, 10, undefined)).items.map(
        (e) => e.eventId,
      );

    // Act: the note becomes a custom event with another reference, at another time.
    const edited = {
      ...note,
      eventType: EVENT_TYPES.custom,
      eventTime: note.eventTime + 1000,
      eventUpdatedTime: 2,
      eventReferences: [{ resource: 'arn:aws:s3:::new' }],
    };
    await store.replaceTimelineEvent(record.id, note, edited, undefined, Date.now());

    // Assess
    expect(await ids({ eventTypes: [EVENT_TYPES.note] })).toEqual([]);
    expect(await ids({ eventTypes: [EVENT_TYPES.custom] })).toEqual([note.eventId]);
    expect(await ids({ eventReferences: [['arn:aws:s3:::old']] })).toEqual([]);
    expect(await ids({ eventReferences: [['arn:aws:s3:::new']] })).toEqual([note.eventId]);
    expect(await ids({ after: note.eventTime })).toEqual([note.eventId]);

    // Act: delete it.
    await store.deleteTimelineEvent(record.id, edited);

    // Assess
    expect(await ids({})).toEqual([]);
    expect(await ids({ eventTypes: [EVENT_TYPES.custom] })).toEqual([]);
    expect(await ids({ eventReferences: [['arn:aws:s3:::new']] })).toEqual([]);
  });
});
