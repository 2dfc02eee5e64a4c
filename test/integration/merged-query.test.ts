/**
 * The merged reader on its own, with small reads so every edge shows on a few items: several key ranges read in
 * parallel, items found in two ranges, a residual filter dropping most items, both orders, any page size. Paging to
 * the end must return exactly the matching items, each once, in order.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodePositions, encodePositions, type QueryStream, readMergedPage } from '#adapters/dynamodb/merged-query.ts';
import { type Item, Table } from '#adapters/dynamodb/table.ts';
import { seededRandom } from '../../bench/seed.ts';
import { freshStore } from '../support/store.ts';

describe('readMergedPage', () => {
  let table: Table;
  // Each logical item has a position (its order key) and is stored in one or two of the ranges A, B and C.
  const items: { key: string; ranges: string[]; wanted: boolean }[] = [];

  beforeAll(async () => {
    const fresh = await freshStore();
    table = new Table(fresh.client, fresh.tableName, 3600);
    const random = seededRandom(7);
    for (let i = 0; i < 60; i++) {
      const key = String(Math.floor(random() * 1e6)).padStart(7, '0') + String(i).padStart(3, '0');
      const ranges = ['A', 'B', 'C'].filter(() => random() < 0.45);
      if (ranges.length === 0) ranges.push('C');
      items.push({ key, ranges, wanted: random() < 0.4 });
      for (const range of ranges)
        await table.doc.send(
          new PutCommand({
            TableName: fresh.tableName,
            Item: { pk: 'P', sk: `${range}#${key}`, key, wanted: items[i]!.wanted },
          }),
        );
    }
  });

  const stream = (range: string, ascending: boolean): QueryStream => ({
    query: {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :range)',
      ExpressionAttributeValues: { ':pk': 'P', ':range': `${range}#` },
      ScanIndexForward: ascending,
      ConsistentRead: true,
    },
    keyAttributes: ['pk', 'sk'],
  });

  const page = async (ranges: string[], ascending: boolean, limit: number, readLimit: number, filtered: boolean) => {
    const streams = ranges.map((range) => stream(range, ascending));
    const keys: string[] = [];
    let token: string | undefined;
    for (let pages = 0; pages < 1000; pages++) {
      const result = await readMergedPage(table, {
        streams,
        orderKey: (item: Item) => String(item.key),
        descending: !ascending,
        limit,
        readLimit,
        ...(filtered ? { accept: (item: Item) => item.wanted === true } : {}),
        positions: decodePositions(token, { ranges }, streams),
      });
      expect(result.items.length).toBeLessThanOrEqual(limit);
      keys.push(...result.items.map((item) => String(item.key)));
      token = encodePositions(result.positions, { ranges });
      if (!token) return keys;
    }
    throw new Error('paging did not end');
  };

  const expected = (ranges: string[], ascending: boolean, filtered: boolean) =>
    items
      .filter((i) => i.ranges.some((r) => ranges.includes(r)) && (!filtered || i.wanted))
      .map((i) => i.key)
      .sort()
      .map((_, index, sorted) => sorted[ascending ? index : sorted.length - 1 - index]!);

  for (const ranges of [['A'], ['A', 'B'], ['A', 'B', 'C']])
    for (const ascending of [true, false])
      for (const filtered of [false, true])
        it(`ranges ${ranges.join('+')}, ${ascending ? 'ascending' : 'descending'}${filtered ? ', residual filter' : ''}`, async () => {
          const want = expected(ranges, ascending, filtered);
          for (const [limit, readLimit] of [
            [1, 2],
            [2, 2],
            [3, 5],
            [4, 3],
            [50, 51],
          ] as const) {
            expect(
              await page(ranges, ascending, limit, readLimit, filtered),
              `limit ${limit}, read ${readLimit}`,
            ).toEqual(want);
          }
        });

  it('refuses a token for another query or naming attributes the ranges do not key on', () => {
    const streams = [stream('A', true), stream('B', true)];
    const token = encodePositions([{ pk: 'P', sk: 'A#1' }, null], { ranges: ['A', 'B'] });
    expect(decodePositions(token, { ranges: ['A', 'B'] }, streams)).toEqual([{ pk: 'P', sk: 'A#1' }, null]);
    expect(() => decodePositions(token, { ranges: ['A'] }, streams)).toThrow(/nextToken/);
    const forged = encodePositions([{ pk: 'P', gsi1pk: 'X' }, undefined], { ranges: ['A', 'B'] });
    expect(() => decodePositions(forged, { ranges: ['A', 'B'] }, streams)).toThrow(/nextToken/);
    expect(() => decodePositions('not a token', { ranges: ['A', 'B'] }, streams)).toThrow(/nextToken/);
  });
});
