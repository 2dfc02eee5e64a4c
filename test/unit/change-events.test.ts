/**
 * The table's change stream as domain events: which stored change stands for which fact, and how the stream
 * consumer handler reports failures so that nothing is lost and order holds.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { actionItemItem } from '#adapters/dynamodb/action-items.ts';
import { domainEventsOf } from '#adapters/dynamodb/change-events.ts';
import { incidentItem } from '#adapters/dynamodb/incidents.ts';
import { payloadOf, timelineEventItem } from '#adapters/dynamodb/timeline-items.ts';
import type { ActionItemRecord } from '#core/analysis/ports.ts';
import type { DomainEvent, DomainEventConsumer } from '#core/events/domain-events.ts';
import { createChangeStreamHandler } from '#handlers/change-stream.ts';
import { loadConfig } from '#runtime/config.ts';
import { localObservability } from '#runtime/observability.ts';
import { CompositionRoot } from '#runtime/root.ts';
import { incident } from '../support/store.ts';

let sequence = 100;
const record = (
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): DynamoDBRecord => {
  sequence++;
  const image = (item?: Record<string, unknown>) =>
    item ? (marshall(item, { removeUndefinedValues: true }) as never) : undefined;
  return {
    eventID: `event-${sequence}`,
    eventName,
    dynamodb: {
      SequenceNumber: String(sequence),
      ApproximateCreationDateTime: 1_800_000_000,
      ...(before ? { OldImage: image(before) } : {}),
      ...(after ? { NewImage: image(after) } : {}),
    },
  };
};

describe('domainEventsOf', () => {
  it('an inserted incident is IncidentOpened, at its creation time', async () => {
    const opened = incident({ creationTime: 1_800_000_000_123 });
    const [event] = await domainEventsOf(record('INSERT', undefined, incidentItem(opened, 1)));
    expect(event).toMatchObject({ type: 'IncidentOpened', time: 1_800_000_000_123 });
    expect(event?.type === 'IncidentOpened' && event.incident).toEqual(opened);
  });

  it('a status change is IncidentResolved or IncidentReopened, naming every field that changed', async () => {
    const open = incident();
    const resolved = { ...open, status: 'RESOLVED' as const, resolvedTime: open.creationTime + 5, title: 'Fixed' };
    const [resolve] = await domainEventsOf(record('MODIFY', incidentItem(open, 1), incidentItem(resolved, 2)));
    const [reopen] = await domainEventsOf(record('MODIFY', incidentItem(resolved, 2), incidentItem(open, 3)));
    expect(resolve).toMatchObject({ type: 'IncidentResolved' });
    expect(resolve?.type === 'IncidentResolved' && [...resolve.changed].sort()).toEqual([
      'resolvedTime',
      'status',
      'title',
    ]);
    expect(reopen).toMatchObject({ type: 'IncidentReopened' });
  });

  it('a change of bookkeeping fields only is no event', async () => {
    const before = incident();
    const after = { ...before, lastModifiedTime: before.lastModifiedTime + 1, lastModifiedBy: 'someone else' };
    expect(await domainEventsOf(record('MODIFY', incidentItem(before, 1), incidentItem(after, 2)))).toEqual([]);
  });

  it('other changes of an incident are IncidentUpdated', async () => {
    const before = incident();
    const [event] = await domainEventsOf(
      record('MODIFY', incidentItem(before, 1), incidentItem({ ...before, impact: 1 }, 2)),
    );
    expect(event).toMatchObject({ type: 'IncidentUpdated', changed: ['impact'] });
  });

  it('timeline events carry their incident id and record, without storage attributes', async () => {
    const item = timelineEventItem('incident-1', {
      incidentRecordArn: 'arn',
      eventId: 'e-1',
      eventTime: 1,
      eventUpdatedTime: 2,
      eventType: 'Custom Event',
      eventData: '"note"',
      eventReferences: [{ resource: 'arn:aws:s3:::bucket' }],
    });
    const [added] = await domainEventsOf(record('INSERT', undefined, item));
    const [deleted] = await domainEventsOf(record('REMOVE', item, undefined));
    expect(added).toMatchObject({ type: 'TimelineEventAdded', incidentId: 'incident-1' });
    expect(added?.type === 'TimelineEventAdded' && Object.keys(added.event).sort()).toEqual([
      'eventData',
      'eventId',
      'eventReferences',
      'eventTime',
      'eventType',
      'eventUpdatedTime',
      'incidentRecordArn',
    ]);
    expect(deleted).toMatchObject({ type: 'TimelineEventDeleted', incidentId: 'incident-1' });
  });

  it('a page update that sets several times at once is several events with distinct, stable ids', async () => {
    const page = { pk: 'PAGE#p', sk: 'PAGE', entityType: 'Page', pageId: 'p', createdTime: 1, attempts: 1 };
    const changed = record('MODIFY', page, { ...page, readTime: 5, sentTime: 4 });
    const events = await domainEventsOf(changed);
    expect(events.map((e) => e.type)).toEqual(['PageSent', 'PageAcknowledged']);
    expect(new Set(events.map((e) => e.id)).size).toBe(2);
    expect((await domainEventsOf(changed)).map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  it('action items are created, updated and deleted, as stored (without storage attributes)', async () => {
    const item: ActionItemRecord = {
      arn: 'arn:aws:ssm-incidents::111122223333:analysis/a-1/action-item/i-1',
      actionItemId: 'i-1',
      analysisArn: 'arn:aws:ssm-incidents::111122223333:analysis/a-1',
      analysisId: 'a-1',
      incidentRecordArn: 'arn:aws:ssm-incidents::111122223333:incident-record/plan/incident-1',
      title: 'Alarm on 5xx',
      priority: 'HIGH',
      status: 'OPEN',
      createdTime: 10,
      createdBy: 'alice',
      lastModifiedTime: 10,
      lastModifiedBy: 'alice',
    };
    const done = { ...item, status: 'DONE' as const, closedTime: 20, lastModifiedTime: 20 };
    const [created] = await domainEventsOf(record('INSERT', undefined, actionItemItem(item, 1)));
    const [updated] = await domainEventsOf(record('MODIFY', actionItemItem(item, 1), actionItemItem(done, 2)));
    const [deleted] = await domainEventsOf(record('REMOVE', actionItemItem(done, 2), undefined));
    expect(created).toMatchObject({ type: 'ActionItemCreated', time: 10, item });
    expect(created?.type === 'ActionItemCreated' && created.item).toEqual(item);
    expect(updated).toMatchObject({ type: 'ActionItemUpdated', time: 20, item: done, previous: item });
    expect(deleted).toMatchObject({ type: 'ActionItemDeleted', item: done });
  });

  it('a trigger event stored compressed against its incident payload comes back with its data', async () => {
    const event = {
      incidentRecordArn: 'arn',
      eventId: 't000001800000000000aaaaaaaaaaaaaaaaaaaa',
      eventTime: 1,
      eventUpdatedTime: 1,
      eventType: 'SSM Incident Trigger',
      eventData: JSON.stringify({ rawData: 'x'.repeat(2000), createdIncident: false }),
    };
    const payload = payloadOf(event.eventData);
    const item = timelineEventItem('incident-1', event, payload);
    const reads: string[] = [];
    const [added] = await domainEventsOf(record('INSERT', undefined, item), async (incidentId, key) => {
      reads.push(`${incidentId}/${key}`);
      return key === payload.key ? payload.text : undefined;
    });
    expect(added?.type === 'TimelineEventAdded' && added.event.eventData).toBe(event.eventData);
    expect(reads).toEqual([`incident-1/${payload.key}`]);
  });

  it('items that are no domain fact (idempotency records, dedupe guards) yield nothing', async () => {
    expect(
      await domainEventsOf(
        record('INSERT', undefined, { pk: 'TOKEN#x', sk: 'TOKEN', entityType: 'IdempotencyRecord' }),
      ),
    ).toEqual([]);
    expect(
      await domainEventsOf(record('INSERT', undefined, { pk: 'DEDUPE#x', sk: 'DEDUPE', entityType: 'DedupeGuard' })),
    ).toEqual([]);
  });
});

describe('the change-stream handler', () => {
  const root = new CompositionRoot(
    loadConfig({ TABLE_NAME: 't', ACCOUNT_ID: '111122223333', AWS_REGION: 'us-east-1', LOG_LEVEL: 'ERROR' }),
    { observability: localObservability() },
  );
  const context = {} as never;
  const opened = () => record('INSERT', undefined, incidentItem(incident(), 1));

  it('hands every event to every consumer in stream order and reports no failure', async () => {
    const seen: string[] = [];
    const consumer = (name: string): DomainEventConsumer => ({
      name,
      handle: async (event: DomainEvent) => {
        seen.push(`${name}:${event.id}`);
      },
    });
    const records = [opened(), opened()];
    const result = await createChangeStreamHandler(root, [consumer('a'), consumer('b')])({ Records: records }, context);
    expect(result.batchItemFailures).toEqual([]);
    expect(seen).toEqual([
      `a:${records[0]!.eventID}`,
      `b:${records[0]!.eventID}`,
      `a:${records[1]!.eventID}`,
      `b:${records[1]!.eventID}`,
    ]);
  });

  it('stops at the first failure and names its record, so it and every later record are delivered again', async () => {
    const records = [opened(), opened(), opened()];
    const handled: string[] = [];
    const failing: DomainEventConsumer = {
      name: 'failing',
      handle: async (event) => {
        if (event.id === records[1]!.eventID) throw new Error('SNS is down');
        handled.push(event.id);
      },
    };
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const result = await createChangeStreamHandler(root, [failing])({ Records: records }, context);
    const written = stderr.mock.calls.map(([line]) => String(line));
    stderr.mockRestore();
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: records[1]!.dynamodb!.SequenceNumber }]);
    expect(handled).toEqual([records[0]!.eventID]);
    const logged = written.map((line) => JSON.parse(line));
    expect(logged).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        consumer: 'failing',
        eventType: 'IncidentOpened',
        error: 'Error: SNS is down',
      }),
    ]);
  });
});
