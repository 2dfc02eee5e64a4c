/**
 * Incident timelines through the official client: the events the service writes by itself (trigger, start, record
 * update) with JSON eventData, and Create/Get/List/Update/DeleteTimelineEvent with filters, sort order and paging.
 */
import {
  CreateTimelineEventCommand,
  DeleteTimelineEventCommand,
  GetTimelineEventCommand,
  ListTimelineEventsCommand,
  ResourceNotFoundException,
  type SSMIncidentsClient,
  UpdateIncidentRecordCommand,
  UpdateTimelineEventCommand,
  ValidationException,
} from '@aws-sdk/client-ssm-incidents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalOf, startTestRuntime, TEST_ACCOUNT, type TestRuntime } from '../support/local-runtime.ts';
import { allTimelineEvents, createPlan, eventDataOf, itemCount, startIncident, unique } from './helpers.ts';

const contact = (alias: string) => `arn:aws:ssm-contacts:us-east-1:${TEST_ACCOUNT}:contact/${alias}`;
const alarm = (name: string) => `arn:aws:cloudwatch:us-east-1:${TEST_ACCOUNT}:alarm:${name}`;

const ofType = (eventType: string) => ({ key: 'eventType', condition: { equals: { stringValues: [eventType] } } });

/** Adds a user event at a given time and returns its id. */
async function addEvent(
  client: SSMIncidentsClient,
  incidentRecordArn: string,
  eventTime: Date,
  eventData: string,
  extra: { eventType?: string; eventReferences?: { resource?: string; relatedItemId?: string }[] } = {},
): Promise<string> {
  const { eventId } = await client.send(
    new CreateTimelineEventCommand({
      incidentRecordArn,
      eventTime,
      eventType: extra.eventType ?? 'Custom Event',
      eventData,
      eventReferences: extra.eventReferences as any,
    }),
  );
  return eventId!;
}

async function getEvent(client: SSMIncidentsClient, incidentRecordArn: string, eventId: string) {
  const { event } = await client.send(new GetTimelineEventCommand({ incidentRecordArn, eventId }));
  return event!;
}

describe('timeline events', () => {
  let runtime: TestRuntime;
  let client: SSMIncidentsClient;
  beforeAll(async () => {
    runtime = await startTestRuntime();
    client = runtime.incidentsClient();
  });
  afterAll(() => runtime?.stop());

  /** A fresh incident on a fresh plan. */
  const newIncident = async () => startIncident(client, (await createPlan(client)).arn);

  describe('automatic events', () => {
    it('records an SSM Incident Trigger event with the trigger details as JSON eventData', async () => {
      // Prepare
      const { arn: planArn } = await createPlan(client);
      const timestamp = new Date('2026-03-04T05:06:07.250Z');
      const triggerArn = alarm(unique('Cpu'));

      // Act
      const arn = await startIncident(client, planArn, {
        triggerDetails: { source: 'aws.cloudwatch', timestamp, triggerArn, rawData: '{"detail":{"state":"ALARM"}}' },
      });
      const [summary] = await allTimelineEvents(client, {
        incidentRecordArn: arn,
        filters: [ofType('SSM Incident Trigger')],
      });
      const event = await getEvent(client, arn, summary!.eventId!);

      // Assess
      expect(event.eventTime).toEqual(timestamp);
      expect(eventDataOf(event.eventData)).toEqual({
        createdIncident: true,
        incidentSource: 'aws.cloudwatch',
        triggerArn,
        rawData: '{"detail":{"state":"ALARM"}}',
      });
      expect(event.eventReferences).toEqual([{ resource: triggerArn }]);
    });

    it('records an SSM Incident Start event naming the title, engaged contacts and runbook', async () => {
      // Prepare
      const { arn: planArn } = await createPlan(client, {
        incidentTemplate: { title: 'payments failing', impact: 1 },
        engagements: [contact('alice')],
        actions: [
          {
            ssmAutomation: {
              roleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/Runbook`,
              documentName: 'Payments-Runbook',
              documentVersion: '3',
            },
          },
        ],
      });

      // Act
      const arn = await startIncident(client, planArn);
      const [summary] = await allTimelineEvents(client, {
        incidentRecordArn: arn,
        filters: [ofType('SSM Incident Start')],
      });
      const event = await getEvent(client, arn, summary!.eventId!);

      // Assess
      expect(event.incidentRecordArn).toBe(arn);
      expect(event.eventTime).toBeInstanceOf(Date);
      expect(event.eventUpdatedTime).toBeInstanceOf(Date);
      expect(eventDataOf(event.eventData)).toMatchObject({
        incidentTitle: 'payments failing',
        contactsEngage: [{ contactArn: contact('alice'), contactName: 'alice' }],
        ssmDocumentName: 'Payments-Runbook',
        ssmDocumentVersion: '3',
      });
    });

    it('records an SSM Incident Record Update event with modifiedBy and modifiedAttributes after UpdateIncidentRecord', async () => {
      // Prepare
      const arn = await newIncident();
      const editor = unique('editor');

      // Act
      await runtime
        .incidentsClient(editor)
        .send(new UpdateIncidentRecordCommand({ arn, status: 'RESOLVED', impact: 5 }));
      const updates = await allTimelineEvents(client, {
        incidentRecordArn: arn,
        filters: [ofType('SSM Incident Record Update')],
      });
      const event = await getEvent(client, arn, updates[0]!.eventId!);

      // Assess
      expect(updates).toHaveLength(1);
      const data = eventDataOf(event.eventData);
      expect(data.modifiedBy).toBe(principalOf(editor));
      expect(data.modifiedAttributes).toEqual(
        expect.arrayContaining([
          { attributeName: 'status', newValue: 'RESOLVED' },
          { attributeName: 'impact', newValue: '5' },
        ]),
      );
      expect(event.eventReferences).toContainEqual({ resource: arn });
    });
  });

  describe('user events', () => {
    it('creates (201), reads, updates (204) and deletes (204) a Custom Event', async () => {
      // Prepare
      const arn = await newIncident();
      const eventTime = new Date('2026-05-01T10:00:00.500Z');

      // Act
      const created = await client.send(
        new CreateTimelineEventCommand({
          incidentRecordArn: arn,
          eventTime,
          eventType: 'Custom Event',
          eventData: 'rolled back deployment 42',
          eventReferences: [{ resource: `arn:aws:lambda:us-east-1:${TEST_ACCOUNT}:function:orders` }],
        }),
      );
      const read = await getEvent(client, arn, created.eventId!);
      const updated = await client.send(
        new UpdateTimelineEventCommand({
          incidentRecordArn: arn,
          eventId: created.eventId,
          eventTime: new Date('2026-05-01T10:05:00Z'),
          eventType: 'Note',
          eventData: 'rollback confirmed',
          eventReferences: [{ resource: arn }],
        }),
      );
      const reread = await getEvent(client, arn, created.eventId!);
      const deleted = await client.send(
        new DeleteTimelineEventCommand({ incidentRecordArn: arn, eventId: created.eventId }),
      );
      const afterDelete = await client
        .send(new GetTimelineEventCommand({ incidentRecordArn: arn, eventId: created.eventId }))
        .catch((e: unknown) => e);

      // Assess
      expect(created.$metadata.httpStatusCode).toBe(201);
      expect(created.incidentRecordArn).toBe(arn);
      expect(created.eventId).toBeTruthy();
      expect(read).toMatchObject({
        incidentRecordArn: arn,
        eventId: created.eventId,
        eventTime,
        eventType: 'Custom Event',
        eventData: 'rolled back deployment 42',
        eventReferences: [{ resource: `arn:aws:lambda:us-east-1:${TEST_ACCOUNT}:function:orders` }],
      });
      expect(read.eventUpdatedTime).toBeInstanceOf(Date);
      expect(updated.$metadata.httpStatusCode).toBe(204);
      expect(reread).toMatchObject({
        eventTime: new Date('2026-05-01T10:05:00Z'),
        eventType: 'Note',
        eventData: 'rollback confirmed',
        eventReferences: [{ resource: arn }],
      });
      expect(reread.eventUpdatedTime!.getTime()).toBeGreaterThanOrEqual(read.eventUpdatedTime!.getTime());
      expect(deleted.$metadata.httpStatusCode).toBe(204);
      expect(afterDelete).toBeInstanceOf(ResourceNotFoundException);
    });

    it('keeps members an update does not name', async () => {
      // Prepare
      const arn = await newIncident();
      const eventTime = new Date('2026-06-01T00:00:00Z');
      const eventId = await addEvent(client, arn, eventTime, 'original text', { eventType: 'Note' });

      // Act
      await client.send(new UpdateTimelineEventCommand({ incidentRecordArn: arn, eventId, eventData: 'edited text' }));
      const event = await getEvent(client, arn, eventId);

      // Assess
      expect(event).toMatchObject({ eventTime, eventType: 'Note', eventData: 'edited text' });
    });

    it.each(['SSM Incident Start', 'SSM Incident Trigger', 'Something Else'])(
      'rejects creating an event of type %j with ValidationException and writes nothing',
      async (eventType) => {
        // Prepare
        const arn = await newIncident();
        const before = await itemCount(runtime);

        // Act
        const error = await client
          .send(
            new CreateTimelineEventCommand({
              incidentRecordArn: arn,
              eventTime: new Date(),
              eventType,
              eventData: 'x',
            }),
          )
          .catch((e: unknown) => e);

        // Assess
        expect(error).toBeInstanceOf(ValidationException);
        expect((error as ValidationException).message).toContain('eventType');
        expect(await itemCount(runtime)).toBe(before);
      },
    );

    it('rejects changing a user event to a service event type, and editing a service-written event', async () => {
      // Prepare
      const arn = await newIncident();
      const eventId = await addEvent(client, arn, new Date(), 'mine');
      const [start] = await allTimelineEvents(client, {
        incidentRecordArn: arn,
        filters: [ofType('SSM Incident Start')],
      });

      // Act
      const retype = await client
        .send(new UpdateTimelineEventCommand({ incidentRecordArn: arn, eventId, eventType: 'SSM Incident Start' }))
        .catch((e: unknown) => e);
      const editService = await client
        .send(new UpdateTimelineEventCommand({ incidentRecordArn: arn, eventId: start!.eventId, eventData: 'forged' }))
        .catch((e: unknown) => e);

      // Assess
      expect(retype).toBeInstanceOf(ValidationException);
      expect(editService).toBeInstanceOf(ValidationException);
      expect((await getEvent(client, arn, eventId)).eventType).toBe('Custom Event');
      expect((await getEvent(client, arn, start!.eventId!)).eventData).not.toBe('forged');
    });

    it('answers CreateTimelineEvent on an unknown incident with ResourceNotFoundException', async () => {
      // Prepare
      const { name } = await createPlan(client);
      const arn = `arn:aws:ssm-incidents::${TEST_ACCOUNT}:incident-record/${name}/99999999-9999-9999-9999-999999999999`;

      // Act
      const error = await client
        .send(
          new CreateTimelineEventCommand({
            incidentRecordArn: arn,
            eventTime: new Date(),
            eventType: 'Note',
            eventData: 'x',
          }),
        )
        .catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(ResourceNotFoundException);
    });

    it('answers GetTimelineEvent of an unknown event with ResourceNotFoundException and lets DeleteTimelineEvent of it succeed', async () => {
      // Prepare
      const arn = await newIncident();

      // Act
      const getError = await client
        .send(new GetTimelineEventCommand({ incidentRecordArn: arn, eventId: 'no-such-event' }))
        .catch((e: unknown) => e);
      const deleted = await client.send(
        new DeleteTimelineEventCommand({ incidentRecordArn: arn, eventId: 'no-such-event' }),
      );

      // Assess
      expect(getError).toBeInstanceOf(ResourceNotFoundException);
      expect((getError as ResourceNotFoundException).resourceType).toBe('TIMELINE_EVENT');
      expect(deleted.$metadata.httpStatusCode).toBe(204);
    });
  });

  describe('ListTimelineEvents', () => {
    /** An incident with three custom events one minute apart, far in the past so they sort before the automatic ones. */
    async function incidentWithEvents() {
      const arn = await newIncident();
      const t1 = new Date('2025-01-01T00:01:00Z');
      const t2 = new Date('2025-01-01T00:02:00Z');
      const t3 = new Date('2025-01-01T00:03:00Z');
      const e1 = await addEvent(client, arn, t1, 'first', { eventType: 'Note', eventReferences: [{ resource: arn }] });
      const e2 = await addEvent(client, arn, t2, 'second', {
        eventReferences: [{ resource: `arn:aws:ec2:us-east-1:${TEST_ACCOUNT}:instance/i-0abc` }],
      });
      const e3 = await addEvent(client, arn, t3, 'third', { eventType: 'Note' });
      return { arn, t1, t2, t3, e1, e2, e3 };
    }

    it('lists newest first by default, and in either order on request', async () => {
      // Prepare
      const { arn } = await incidentWithEvents();

      // Act
      const byDefault = await client.send(new ListTimelineEventsCommand({ incidentRecordArn: arn }));
      const ascending = await client.send(
        new ListTimelineEventsCommand({ incidentRecordArn: arn, sortBy: 'EVENT_TIME', sortOrder: 'ASCENDING' }),
      );
      const descending = await client.send(
        new ListTimelineEventsCommand({ incidentRecordArn: arn, sortBy: 'EVENT_TIME', sortOrder: 'DESCENDING' }),
      );

      // Assess
      const times = (events: typeof byDefault.eventSummaries) => events!.map((e) => e.eventTime!.getTime());
      expect(byDefault.$metadata.httpStatusCode).toBe(200);
      expect(byDefault.eventSummaries!.length).toBe(5); // trigger, start, three custom events
      expect(times(byDefault.eventSummaries)).toEqual([...times(byDefault.eventSummaries)].sort((a, b) => b - a));
      expect(times(ascending.eventSummaries)).toEqual([...times(ascending.eventSummaries)].sort((a, b) => a - b));
      expect(descending.eventSummaries!.map((e) => e.eventId)).toEqual(byDefault.eventSummaries!.map((e) => e.eventId));
      expect(ascending.eventSummaries!.map((e) => e.eventId)).toEqual(
        [...byDefault.eventSummaries!].reverse().map((e) => e.eventId),
      );
      expect(byDefault.eventSummaries![0]).not.toHaveProperty('eventData');
    });

    it('filters on eventTime after and before', async () => {
      // Prepare
      const { arn, t1, t3, e2 } = await incidentWithEvents();

      // Act
      const between = await allTimelineEvents(client, {
        incidentRecordArn: arn,
        filters: [
          { key: 'eventTime', condition: { after: t1 } },
          { key: 'eventTime', condition: { before: t3 } },
        ],
      });
      const beforeT3 = await allTimelineEvents(client, {
        incidentRecordArn: arn,
        filters: [{ key: 'eventTime', condition: { before: t3 } }],
      });

      // Assess
      expect(between.map((e) => e.eventId)).toEqual([e2]);
      expect(beforeT3).toHaveLength(2);
    });

    it('filters on eventType (values ORed) and on eventReference', async () => {
      // Prepare
      const { arn, e1, e2, e3 } = await incidentWithEvents();

      // Act
      const notes = await allTimelineEvents(client, { incidentRecordArn: arn, filters: [ofType('Note')] });
      const notesOrCustom = await allTimelineEvents(client, {
        incidentRecordArn: arn,
        filters: [{ key: 'eventType', condition: { equals: { stringValues: ['Note', 'Custom Event'] } } }],
      });
      const aboutInstance = await allTimelineEvents(client, {
        incidentRecordArn: arn,
        filters: [
          {
            key: 'eventReference',
            condition: { equals: { stringValues: [`arn:aws:ec2:us-east-1:${TEST_ACCOUNT}:instance/i-0abc`] } },
          },
        ],
      });
      const notesAboutIncident = await allTimelineEvents(client, {
        incidentRecordArn: arn,
        filters: [ofType('Note'), { key: 'eventReference', condition: { equals: { stringValues: [arn] } } }],
      });

      // Assess
      expect(notes.map((e) => e.eventId)).toEqual([e3, e1]);
      expect(new Set(notesOrCustom.map((e) => e.eventId))).toEqual(new Set([e1, e2, e3]));
      expect(aboutInstance.map((e) => e.eventId)).toEqual([e2]);
      expect(notesAboutIncident.map((e) => e.eventId)).toEqual([e1]);
    });

    it('pages through the whole timeline with paginateListTimelineEvents and a small pageSize', async () => {
      // Prepare
      const arn = await newIncident();
      const base = Date.parse('2025-02-01T00:00:00Z');
      const created = new Set<string>();
      for (let i = 0; i < 8; i++) created.add(await addEvent(client, arn, new Date(base + i * 1000), `event ${i}`));
      const expected = await allTimelineEvents(client, { incidentRecordArn: arn });

      // Act
      const paged = await allTimelineEvents(client, { incidentRecordArn: arn, sortOrder: 'ASCENDING' }, 3);

      // Assess
      expect(expected).toHaveLength(10);
      expect(paged.map((e) => e.eventId)).toEqual([...expected].reverse().map((e) => e.eventId));
      expect(new Set(paged.map((e) => e.eventId)).size).toBe(10);
      for (const id of created) expect(paged.map((e) => e.eventId)).toContain(id);
    });

    it('returns only the page size per page and a nextToken that continues after the last item', async () => {
      // Prepare
      const { arn, e1, e2, e3 } = await incidentWithEvents();

      // Act
      const first = await client.send(
        new ListTimelineEventsCommand({ incidentRecordArn: arn, sortOrder: 'ASCENDING', maxResults: 2 }),
      );
      const second = await client.send(
        new ListTimelineEventsCommand({
          incidentRecordArn: arn,
          sortOrder: 'ASCENDING',
          maxResults: 2,
          nextToken: first.nextToken,
        }),
      );

      // Assess
      expect(first.eventSummaries!.map((e) => e.eventId)).toEqual([e1, e2]);
      expect(second.eventSummaries![0]!.eventId).toBe(e3);
      expect(first.nextToken).toBeTruthy();
    });
  });
});
