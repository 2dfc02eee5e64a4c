/**
 * Brings items written by an earlier version to the current layout (docs/data-model.md, "Upgrading a deployed
 * table"): the index keys added since (incidents: by impact and by creator; pages: by their own engagement) and
 * the timeline's index entries (by type, by reference; an older trigger's entry in the triggers' range).
 *
 * An operator's one-off run, not a request path, so it may Scan. It is idempotent and safe while the stack serves
 * requests: an incident is rewritten only if its version is still the one read (else it was rewritten by an update,
 * with its keys), a page only gets keys it lacks, and an index entry is only created where none exists.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { IncidentRecord } from '#core/incidents/ports.ts';
import { INDEXES, LOCAL_INDEXES } from '#runtime/table-schema.ts';
import { incidentItem } from './incidents.ts';
import { keys } from './keys.ts';
import { type Item, stripStorageAttributes } from './table.ts';
import { ENTITY, timelineEntries, timelineSummaryOf } from './timeline-items.ts';

export interface BackfillCounts {
  scanned: number;
  incidents: number;
  pages: number;
  timelineEntries: number;
}

const ignoringFailedCondition = async (write: () => Promise<unknown>): Promise<boolean> => {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

export async function backfillIndexKeys(
  client: DynamoDBClient,
  tableName: string,
  progress: (counts: BackfillCounts) => void = () => undefined,
): Promise<BackfillCounts> {
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const counts: BackfillCounts = { scanned: 0, incidents: 0, pages: 0, timelineEntries: 0 };
  const migrate = async (item: Item) => {
    if (item.entityType === 'Incident' && item[INDEXES.byImpact.partitionKey] === undefined) {
      const version = Number(item.version);
      const written = await ignoringFailedCondition(() =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: incidentItem(stripStorageAttributes<IncidentRecord>(item), version),
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': version },
          }),
        ),
      );
      if (written) counts.incidents++;
    } else if (item.entityType === 'Page' && item[INDEXES.byOwner.partitionKey] === undefined) {
      const { gsi4pk, gsi4sk } = keys.pageOfEngagement(
        String(item.engagementId),
        Number(item.createdTime),
        String(item.pageId),
      );
      const written = await ignoringFailedCondition(() =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: 'SET #pk = :pk, #sk = :sk',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#pk': INDEXES.byOwner.partitionKey, '#sk': INDEXES.byOwner.sortKey },
            ExpressionAttributeValues: { ':pk': gsi4pk, ':sk': gsi4sk },
          }),
        ),
      );
      if (written) counts.pages++;
    } else if (item.entityType === ENTITY.event && item[LOCAL_INDEXES.timelineByTime.sortKey] !== undefined) {
      // Every event an earlier version wrote is in the local index (triggers included); its entries may be missing.
      const incidentId = String(item.pk).slice('INC#'.length);
      for (const entry of timelineEntries(incidentId, { ...timelineSummaryOf(item), eventData: '' })) {
        const written = await ignoringFailedCondition(() =>
          doc.send(
            new PutCommand({ TableName: tableName, Item: entry, ConditionExpression: 'attribute_not_exists(pk)' }),
          ),
        );
        if (written) counts.timelineEntries++;
      }
    }
  };
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) await migrate(item);
    counts.scanned += page.Items?.length ?? 0;
    progress(counts);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return counts;
}
