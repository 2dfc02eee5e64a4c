/**
 * The workflows still running, from the sparse active-workflows index (keys.activeWorkflow): what the local runtime
 * resumes after a restart. Any kind of long-running workflow that writes those keys is listed the same way.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { INDEXES } from '#runtime/table-schema.ts';
import { keys, type WorkflowKind } from './keys.ts';

/** The ids of the running workflows of one kind, oldest first. */
export async function activeWorkflowIds(
  client: DynamoDBClient,
  tableName: string,
  kind: WorkflowKind,
): Promise<string[]> {
  const doc = DynamoDBDocumentClient.from(client);
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: INDEXES.activeWorkflows.name,
        KeyConditionExpression: '#pk = :kind',
        ExpressionAttributeNames: {
          '#pk': INDEXES.activeWorkflows.partitionKey,
          '#sk': INDEXES.activeWorkflows.sortKey,
        },
        ExpressionAttributeValues: { ':kind': keys.activeWorkflowsOf(kind) },
        ProjectionExpression: '#sk',
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const sortKey = String(item[INDEXES.activeWorkflows.sortKey]);
      ids.push(sortKey.slice(sortKey.indexOf('#') + 1));
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return ids;
}
