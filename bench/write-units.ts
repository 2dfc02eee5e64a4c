/**
 * Write request units a DynamoDB write costs in AWS, estimated from the request itself by DynamoDB's published
 * rules, because DynamoDB Local's ConsumedCapacity is unreliable exactly where cost hides: it reports nothing for a
 * write whose condition failed (AWS charges it) and under-reports some transactions.
 *
 * Rules applied: a write costs 1 unit per started KB of the item (attribute names and values: strings and binaries
 * by their bytes, numbers about 1 byte per 2 digits + 1, lists and maps 3 bytes + 1 per element + their contents);
 * each index the item is written to costs the same for its projected part; a transactional write costs double. What
 * the request alone cannot tell is assumed and said: an Update, Delete or ConditionCheck is counted as one item of
 * at most 1 KB, and what it changes in indexes is not counted (the storm's repeated triggers send none of them).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { INDEXES, LOCAL_INDEXES, TABLE_KEYS } from '#runtime/table-schema.ts';

type Marshalled = Record<string, AttributeValue>;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

export function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return bytes(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\.|e.*$/gi, '').replace(/^0+/, '').length / 2) + 1;
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.L !== undefined) return 3 + value.L.reduce((sum, v) => sum + 1 + valueSize(v), 0);
  if (value.M !== undefined)
    return 3 + Object.entries(value.M).reduce((sum, [name, v]) => sum + 1 + bytes(name) + valueSize(v), 0);
  if (value.SS !== undefined) return value.SS.reduce((sum, v) => sum + bytes(v), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, v) => sum + valueSize({ N: v }), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, v) => sum + v.byteLength, 0);
  return 0;
}

export const itemSize = (item: Marshalled, only?: ReadonlySet<string>) =>
  Object.entries(item)
    .filter(([name]) => !only || only.has(name))
    .reduce((sum, [name, value]) => sum + bytes(name) + valueSize(value), 0);

const units = (size: number) => Math.max(1, Math.ceil(size / 1024));

/** The units of putting `item`: the table, and every index it has the keys of (its projection only). */
export function putUnits(item: Marshalled): number {
  let total = units(itemSize(item));
  if (item[LOCAL_INDEXES.timelineByTime.sortKey]) total += units(itemSize(item));
  for (const index of Object.values(INDEXES)) {
    if (!item[index.partitionKey] || !item[index.sortKey]) continue;
    const projected =
      index.projection.type === 'ALL'
        ? undefined
        : new Set<string>([
            ...index.projection.attributes,
            TABLE_KEYS.partitionKey,
            TABLE_KEYS.sortKey,
            index.partitionKey,
            index.sortKey,
          ]);
    total += units(itemSize(item, projected));
  }
  return total;
}

interface TransactItem {
  Put?: { Item?: Marshalled };
  Update?: unknown;
  Delete?: unknown;
  ConditionCheck?: unknown;
}

/** Estimated write units of one request (0 for reads). */
export function estimateWriteUnits(command: string, input: { Item?: Marshalled; TransactItems?: TransactItem[] }) {
  switch (command) {
    case 'PutItem':
      return input.Item ? putUnits(input.Item) : 1;
    case 'UpdateItem':
    case 'DeleteItem':
      return 1;
    case 'TransactWriteItems':
      return (
        2 * (input.TransactItems ?? []).reduce((sum, item) => sum + (item.Put?.Item ? putUnits(item.Put.Item) : 1), 0)
      );
    default:
      return 0;
  }
}
