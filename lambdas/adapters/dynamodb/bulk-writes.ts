/**
 * Bulk puts and deletes with BatchWriteItem: for many items that need no transaction (an analysis's timeline copy,
 * which nothing reads until the transaction creating the analysis commits; items being deleted). Kept out of
 * table.ts so functions that never write in bulk do not bundle it.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type Item, sleep, type Table, translateWriteError } from './table.ts';

/** One request of a BatchWriteItem (a put or a delete). */
export type BatchRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };

const BATCH_WRITE_LIMIT = 25;
const BATCH_WRITE_RETRIES = 8;

/**
 * Idempotent puts or deletes in BatchWriteItem requests of 25 (DynamoDB's limit), `concurrency` requests at a time,
 * re-sending what DynamoDB leaves unprocessed with back-off. Not atomic.
 */
export async function batchWrite(table: Table, requests: BatchRequest[], concurrency = 4): Promise<void> {
  const chunks: BatchRequest[][] = [];
  for (let i = 0; i < requests.length; i += BATCH_WRITE_LIMIT) chunks.push(requests.slice(i, i + BATCH_WRITE_LIMIT));
  const sendChunk = async (chunk: BatchRequest[]) => {
    let pending = chunk;
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt > 0) {
        if (attempt > BATCH_WRITE_RETRIES) throw new Error(`BatchWriteItem left ${pending.length} items unprocessed`);
        await sleep(Math.random() * Math.min(1000, 25 * 2 ** attempt));
      }
      const result = await table.doc
        .send(new BatchWriteCommand({ RequestItems: { [table.tableName]: pending } }))
        .catch((error: unknown) => {
          throw translateWriteError(error);
        });
      pending = (result.UnprocessedItems?.[table.tableName] ?? []) as BatchRequest[];
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) await sendChunk(chunks[next++] as BatchRequest[]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
}

export const batchPut = (table: Table, items: readonly Item[], concurrency?: number) =>
  batchWrite(
    table,
    items.map((Item) => ({ PutRequest: { Item } })),
    concurrency,
  );

/** Deletes items by their table key (`pk`, `sk`; other attributes are ignored). */
export const deleteKeys = (table: Table, items: readonly Item[], concurrency?: number) =>
  batchWrite(
    table,
    items.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
    concurrency,
  );
