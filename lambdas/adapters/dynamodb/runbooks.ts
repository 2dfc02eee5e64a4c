/**
 * Runbook records (`RUNBOOK#<execution id>`), and the writes that put a runbook's progress on its incident: each in
 * one transaction with the record's optimistic version and a check that the incident still exists, so a timeline
 * event is written exactly once even when several status-change events are handled at the same time.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { IncidentRecord, RelatedItemRecord, TimelineEventRecord } from '#core/incidents/ports.ts';
import type { RegisterResult, RunbookRecord, RunbookStore } from '#core/runbooks/model.ts';
import { incidentItem } from './incidents.ts';
import { keys } from './keys.ts';
import { relatedItemItem } from './related-items.ts';
import { type Item, type LabelledWrite, stripStorageAttributes, type Table } from './table.ts';
import { timelineEventWrites } from './timeline.ts';

const REGISTER_ATTEMPTS = 8;

const runbookItem = (record: RunbookRecord, version: number): Item => ({
  ...keys.runbook(record.executionId),
  entityType: 'Runbook',
  version,
  ...record,
});

const put = (table: Table, label: string, item: Item): LabelledWrite => ({
  label,
  write: { Put: { TableName: table.tableName, Item: item } },
});

export function createDynamoDbRunbookStore(table: Table): RunbookStore {
  return {
    async get(executionId) {
      const { Item } = await table.doc.send(
        new GetCommand({ TableName: table.tableName, Key: keys.runbook(executionId), ConsistentRead: true }),
      );
      return Item ? { record: stripStorageAttributes<RunbookRecord>(Item), version: Number(Item.version) } : undefined;
    },

    async register(record, relatedItem: RelatedItemRecord, startEvent: TimelineEventRecord): Promise<RegisterResult> {
      for (let attempt = 1; ; attempt++) {
        const { Item } = await table.doc.send(
          new GetCommand({ TableName: table.tableName, Key: keys.incident(record.incidentId), ConsistentRead: true }),
        );
        if (!Item) return 'incident-gone';
        const incident = stripStorageAttributes<IncidentRecord>(Item);
        const version = Number(Item.version);
        const executions = incident.automationExecutions ?? [];
        const next: IncidentRecord = executions.some((e) => e.ssmExecutionArn === record.executionArn)
          ? incident
          : { ...incident, automationExecutions: [...executions, { ssmExecutionArn: record.executionArn }] };
        const outcome = await table.transact([
          {
            label: 'runbook',
            write: {
              Put: {
                TableName: table.tableName,
                Item: runbookItem(record, 1),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          },
          table.versionedPut('incident', incidentItem(next, version + 1), version),
          put(table, 'relatedItem', relatedItemItem(record.incidentId, relatedItem)),
          ...timelineEventWrites(table, record.incidentId, startEvent),
        ]);
        if (outcome.ok) return 'registered';
        if (outcome.failed.has('runbook')) return 'exists';
        if (attempt >= REGISTER_ATTEMPTS) throw new Error(`Incident ${record.incidentArn} kept changing; retry.`);
      }
    },

    async setTaskToken(executionId, taskToken) {
      await table.doc.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: keys.runbook(executionId),
          UpdateExpression: 'SET taskToken = :token, tokenSettled = :false, version = version + :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':token': taskToken, ':false': false, ':one': 1 },
        }),
      );
    },

    async recordProgress(record, expectedVersion, events) {
      const outcome = await table.transact([
        {
          label: 'incident',
          write: {
            ConditionCheck: {
              TableName: table.tableName,
              Key: keys.incident(record.incidentId),
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
        },
        table.versionedPut('runbook', runbookItem(record, expectedVersion + 1), expectedVersion),
        ...events.flatMap((event, i) => timelineEventWrites(table, record.incidentId, event, `event${i}`)),
      ]);
      if (outcome.ok) return 'ok';
      return outcome.failed.has('incident') ? 'incident-gone' : 'stale';
    },
  };
}
