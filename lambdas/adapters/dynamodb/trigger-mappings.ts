/** Trigger mappings and dedupe-guard lookups used by the alarm/event intake. */

import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TriggerMapping } from '#core/alerting/contract.ts';
import type { IncidentsStore } from '#core/incidents/ports.ts';
import { keys } from './keys.ts';
import { type StoreFunctions, stripStorageAttributes, type Table } from './table.ts';

export async function getTriggerMapping(table: Table, sourceArn: string): Promise<TriggerMapping | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: keys.triggerMapping(sourceArn) }),
  );
  return Item ? stripStorageAttributes<TriggerMapping>(Item) : undefined;
}

export async function putTriggerMapping(table: Table, mapping: TriggerMapping) {
  await table.doc.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { ...keys.triggerMapping(mapping.sourceArn), entityType: 'TriggerMapping', ...mapping },
    }),
  );
}

export async function deleteTriggerMapping(table: Table, sourceArn: string) {
  await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: keys.triggerMapping(sourceArn) }));
}

export async function getOpenIncidentByDedupeKey(table: Table, dedupeKey: string) {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: keys.dedupeGuard(dedupeKey), ConsistentRead: true }),
  );
  return Item ? { incidentId: String(Item.incidentId), incidentRecordArn: String(Item.incidentRecordArn) } : undefined;
}

/** The IncidentsStore methods of trigger mappings and deduplication, each taking the table first (bound by bindTable). */
export const triggerMappingStoreFunctions = {
  getOpenIncidentByDedupeKey,
  getTriggerMapping,
  putTriggerMapping,
  deleteTriggerMapping,
} satisfies StoreFunctions<IncidentsStore>;
