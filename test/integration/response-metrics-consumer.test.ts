/**
 * ResponseMetricsConsumer with the DynamoDB response-facts store on DynamoDB Local: domain events in, Incident
 * Manager's CloudWatch data points out (each once, however often an event is delivered), and the facts that
 * GetResponseMetrics aggregates.
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDynamoDbResponseFactsStore } from '#adapters/dynamodb/analysis-store.ts';
import { type MetricDataPoint, ResponseMetricsConsumer } from '#core/analysis/metrics.ts';
import type { ResponseFactsStore } from '#core/analysis/ports.ts';
import type { PageRecord } from '#core/contacts/engagements/model.ts';
import type { DomainEvent } from '#core/events/domain-events.ts';
import type { IncidentRecord } from '#core/incidents/ports.ts';
import { CTX, freshStore, incident as incidentRecord } from '../support/store.ts';

const T0 = Date.UTC(2026, 10, 2, 9);
const min = (n: number) => T0 + n * 60_000;

let facts: ResponseFactsStore;
let published: MetricDataPoint[];
let consumer: ResponseMetricsConsumer;
let incidentsById: Map<string, IncidentRecord>;

const event = (body: Record<string, unknown>): DomainEvent =>
  ({ id: randomUUID(), time: Date.now(), ...body }) as DomainEvent;
const opened = (i: IncidentRecord) => event({ type: 'IncidentOpened', incident: i });
const resolved = (i: IncidentRecord, at: number) => {
  const incident = { ...i, status: 'RESOLVED' as const, resolvedTime: at };
  return event({ type: 'IncidentResolved', incident, previous: i, changed: ['status', 'resolvedTime'] });
};
const page = (i: IncidentRecord, pageId: string, readTime?: number): PageRecord =>
  ({ pageId, incidentId: i.arn, createdTime: min(1), ...(readTime !== undefined ? { readTime } : {}) }) as PageRecord;
const names = () => published.map((p) => p.name);

beforeEach(async () => {
  const { client, tableName } = await freshStore();
  facts = createDynamoDbResponseFactsStore({ client, tableName, idempotencyWindowSeconds: 3600 });
  published = [];
  incidentsById = new Map();
  consumer = new ResponseMetricsConsumer({
    facts,
    sink: { publish: (point) => void published.push(point) },
    getIncident: async (id) => incidentsById.get(id),
    service: CTX,
  });
});

describe('ResponseMetricsConsumer', () => {
  it("publishes Incident Manager's four metrics for an incident opened, acknowledged and resolved, each once", async () => {
    // Prepare
    const incident = incidentRecord({ creationTime: min(0), responsePlanName: 'checkout', impact: 2 });
    const history = [
      opened(incident),
      event({ type: 'PageCreated', page: page(incident, 'p1') }),
      event({ type: 'PageAcknowledged', page: page(incident, 'p1', min(4)) }),
      resolved(incident, min(30)),
    ];

    // Act: every event delivered twice, as a retried stream batch would.
    for (const e of history) {
      await consumer.handle(e);
      await consumer.handle(e);
    }

    // Assess
    expect(names()).toEqual([
      'NumberOfCreateIncidents',
      'TimeToFirstAcknowledgement',
      'NumberOfResolveIncidents',
      'TimeToResolveIncident',
    ]);
    expect(published[1]).toMatchObject({ unit: 'Seconds', value: 240, timestamp: min(4) });
    expect(published[3]).toMatchObject({ unit: 'Seconds', value: 1800, timestamp: min(30) });
    expect(published[0]?.dimensions).toEqual({
      ResponsePlan: 'checkout',
      Impact: '2',
      Source: 'aws.ssm-incidents.custom',
    });
    expect(await facts.getFacts(incident.id)).toMatchObject({
      creationTime: min(0),
      firstAcknowledgementTime: min(4),
      resolvedTime: min(30),
      pageCount: 1,
    });
  });

  it('counts a second resolution after a reopen, and measures the first acknowledgement only', async () => {
    const incident = incidentRecord({ creationTime: min(0) });
    await consumer.handle(opened(incident));
    await consumer.handle(event({ type: 'PageAcknowledged', page: page(incident, 'p1', min(5)) }));
    await consumer.handle(event({ type: 'PageAcknowledged', page: page(incident, 'p2', min(6)) }));
    await consumer.handle(resolved(incident, min(20)));
    await consumer.handle(event({ type: 'IncidentReopened', incident, previous: incident, changed: ['status'] }));
    await consumer.handle(resolved(incident, min(50)));

    expect(names().filter((n) => n === 'TimeToFirstAcknowledgement')).toHaveLength(1);
    expect(published.filter((p) => p.name === 'TimeToResolveIncident').map((p) => p.value)).toEqual([1200, 3000]);
    expect(names().filter((n) => n === 'NumberOfResolveIncidents')).toHaveLength(2);
  });

  it('learns of an incident opened before the consumer ran from its first page, without counting its creation', async () => {
    const incident = incidentRecord({ creationTime: min(0) });
    incidentsById.set(incident.id, incident);
    await consumer.handle(event({ type: 'PageCreated', page: page(incident, 'p1') }));
    await consumer.handle(event({ type: 'PageAcknowledged', page: page(incident, 'p1', min(3)) }));

    expect(names()).toEqual(['TimeToFirstAcknowledgement']);
    expect((await facts.getFacts(incident.id))?.pageCount).toBe(1);
    // Its IncidentOpened arriving later still counts the creation once.
    await consumer.handle(opened(incident));
    await consumer.handle(opened(incident));
    expect(names()).toEqual(['TimeToFirstAcknowledgement', 'NumberOfCreateIncidents']);
  });

  it('ignores pages of engagements that are not about an incident of this service, and forgets deleted incidents', async () => {
    const incident = incidentRecord({ creationTime: min(0) });
    await consumer.handle(event({ type: 'PageCreated', page: { pageId: 'x', incidentId: 'INC-42 in another tool' } }));
    await consumer.handle(opened(incident));
    await consumer.handle(event({ type: 'IncidentDeleted', incident }));

    expect(names()).toEqual(['NumberOfCreateIncidents']);
    expect(await facts.getFacts(incident.id)).toBeUndefined();
  });

  it('keeps the impact current for the metrics published after an impact change', async () => {
    const incident = incidentRecord({ creationTime: min(0), impact: 3 });
    await consumer.handle(opened(incident));
    const raised = { ...incident, impact: 1 };
    await consumer.handle(
      event({ type: 'IncidentUpdated', incident: raised, previous: incident, changed: ['impact'] }),
    );
    await consumer.handle(event({ type: 'PageAcknowledged', page: page(incident, 'p1', min(2)) }));

    expect(published.at(-1)?.dimensions.Impact).toBe('1');
  });
});
