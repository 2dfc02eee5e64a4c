/** A DynamoDB-backed store on a fresh table in the run's shared DynamoDB Local, plus record builders for tests. */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { createDynamoDbIncidentsStore } from '#adapters/dynamodb/store.ts';
import { incidentRecordArn } from '#core/incidents/arns.ts';
import { triggerEvent } from '#core/incidents/automatic-events.ts';
import type { IncidentRecord, IncidentsStore, StartIncidentWrite, TimelineEventRecord } from '#core/incidents/ports.ts';
import { ensureTable } from '../../local/tables.ts';

export const CTX = { accountId: '111122223333', region: 'us-east-1', partition: 'aws' };

export async function freshStore(
  idempotencyWindowSeconds = 3600,
): Promise<{ store: IncidentsStore; client: DynamoDBClient; tableName: string }> {
  const client = new DynamoDBClient({
    endpoint: inject('dynamodbEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const tableName = `store-${randomUUID()}`;
  await ensureTable(client, tableName);
  return { store: createDynamoDbIncidentsStore({ client, tableName, idempotencyWindowSeconds }), client, tableName };
}

export function incident(overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  const id = overrides.id ?? randomUUID();
  return {
    arn: incidentRecordArn(CTX, 'plan', id),
    id,
    responsePlanName: 'plan',
    title: 'Checkout is failing',
    status: 'OPEN',
    impact: 2,
    creationTime: Date.now(),
    lastModifiedTime: Date.now(),
    lastModifiedBy: 'arn:aws:iam::111122223333:user/tester',
    incidentRecordSource: { createdBy: 'arn:aws:iam::111122223333:user/tester', source: 'aws.ssm-incidents.custom' },
    dedupeString: randomUUID(),
    automationExecutions: [],
    notificationTargets: [],
    tags: {},
    ...overrides,
  };
}

export function startWrite(record: IncidentRecord, dedupeKey?: string): StartIncidentWrite {
  return {
    incident: { ...record, dedupeKey },
    events: [triggerEvent(record.arn, undefined, true, record.creationTime)],
    relatedItems: [],
    dedupeKey,
    duplicateTriggerEvent: (existingArn) => triggerEvent(existingArn, undefined, false, Date.now()),
  };
}

/** Every timeline event of an incident, oldest first, in full (each read back with GetTimelineEvent's store call). */
export async function fullTimeline(store: IncidentsStore, incidentId: string): Promise<TimelineEventRecord[]> {
  const events: TimelineEventRecord[] = [];
  let nextToken: string | undefined;
  do {
    const page = await store.listTimelineEvents(incidentId, { ascending: true }, 100, nextToken);
    for (const summary of page.items) {
      const event = await store.getTimelineEvent(incidentId, summary.eventId);
      if (event) events.push(event);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}
