/**
 * The stored record and its timeline agree on the order of changes: after concurrent UpdateIncidentRecord calls
 * (which re-read and re-apply on a version conflict), the incident's title is the one set by its newest "record
 * update" timeline event, whose time is the record's lastModifiedTime, and no two updates share a time.
 */
import {
  GetIncidentRecordCommand,
  GetTimelineEventCommand,
  type SSMIncidentsClient,
  UpdateIncidentRecordCommand,
} from '@aws-sdk/client-ssm-incidents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { allTimelineEvents, createPlan, startIncident } from './helpers.ts';

describe('timestamps follow the order in which changes were committed', () => {
  let runtime: TestRuntime;
  let client: SSMIncidentsClient;

  beforeAll(async () => {
    runtime = await startTestRuntime();
    client = runtime.incidentsClient();
  });
  afterAll(() => runtime?.stop());

  it('concurrent incident updates: the newest update event is the record as stored', async () => {
    for (let round = 0; round < 3; round++) {
      // Prepare
      const plan = await createPlan(client);
      const arn = await startIncident(client, plan.arn);

      // Act: concurrent partial updates of one record, each retried by the service on a version conflict.
      const titles = Array.from({ length: 10 }, (_, i) => `title ${round}.${i}`);
      const results = await Promise.allSettled(
        titles.map((title) => client.send(new UpdateIncidentRecordCommand({ arn, title }))),
      );
      const { incidentRecord } = await client.send(new GetIncidentRecordCommand({ arn }));
      const summaries = await allTimelineEvents(client, {
        incidentRecordArn: arn,
        filters: [{ key: 'eventType', condition: { equals: { stringValues: ['SSM Incident Record Update'] } } }],
      });
      const updates = await Promise.all(
        summaries.map(async (s) => {
          const { event } = await client.send(
            new GetTimelineEventCommand({ incidentRecordArn: arn, eventId: s.eventId }),
          );
          const data = JSON.parse(event!.eventData!) as {
            modifiedAttributes: { attributeName: string; newValue: string }[];
          };
          return {
            time: event!.eventTime!.getTime(),
            title: data.modifiedAttributes.find((a) => a.attributeName === 'title')?.newValue,
          };
        }),
      );
      updates.sort((a, b) => a.time - b.time);

      // Assess
      const applied = results.filter((r) => r.status === 'fulfilled').length;
      expect(updates).toHaveLength(applied);
      expect(new Set(updates.map((u) => u.time)).size).toBe(updates.length);
      expect(updates.at(-1)!.title).toBe(incidentRecord!.title);
      expect(incidentRecord!.lastModifiedTime!.getTime()).toBe(updates.at(-1)!.time);
    }
  });
});
