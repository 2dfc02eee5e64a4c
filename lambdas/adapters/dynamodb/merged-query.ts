/**
 * One page from several key ranges read in parallel and merged in one order: how a filter with alternatives (two
 * impacts, an incident's triggers beside its other events) is answered from keys instead of a FilterExpression.
 *
 * Each stream is one Query whose items come back in the page's order (its sort key sorts like `orderKey`). Every
 * stream is read once per page, at most `readLimit` items, so a page costs exactly one request per stream whatever
 * the table holds. The merge returns items in order up to the first point where a stream might still hold an unread
 * item that sorts earlier (its horizon), so no item is ever skipped; the nextToken keeps, per stream, the key of the
 * last item taken from it. A residual filter (`accept`) drops items that no key could select: such a page may come
 * back short, with a nextToken (valid paging; the reads stay bounded).
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '#core/shared/errors.ts';
import { canonicalJson, sha256Hex } from '#core/shared/ids.ts';
import type { Item, Table } from './table.ts';

export interface QueryStream {
  /** The Query, without TableName, Limit and ExclusiveStartKey. */
  query: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>;
  /** The key attributes of this stream's items (table keys plus the index's), which a resume position holds. */
  keyAttributes: readonly string[];
}

/** Per stream: undefined = from the start, null = read to the end, an item key = resume after that item. */
export type StreamPositions = (Item | null | undefined)[];

export interface MergedPageRequest {
  streams: QueryStream[];
  /** Where an item sorts; every stream must return its items in this order (ascending or descending). */
  orderKey: (item: Item) => string;
  descending: boolean;
  limit: number;
  /** A filter no key expresses; items it rejects are read (and paid for) but not returned. */
  accept?: (item: Item) => boolean;
  /** Items read per stream; default limit + 1 (one extra tells whether more exist without another request). */
  readLimit?: number;
  positions?: StreamPositions;
}

export interface MergedPage {
  items: Item[];
  /** Undefined when every stream was read to its end. */
  positions?: StreamPositions;
}

const pick = (item: Item, attributes: readonly string[]): Item =>
  Object.fromEntries(attributes.filter((a) => item[a] !== undefined).map((a) => [a, item[a]]));

export async function readMergedPage(table: Table, request: MergedPageRequest): Promise<MergedPage> {
  const { streams, orderKey, limit } = request;
  const readLimit = request.readLimit ?? limit + 1;
  const start = request.positions ?? streams.map(() => undefined);
  const batches = await Promise.all(
    streams.map(async (stream, s) => {
      if (start[s] === null) return { items: [] as Item[], more: false };
      const page = await table.doc.send(
        new QueryCommand({
          ...stream.query,
          TableName: table.tableName,
          Limit: readLimit,
          ExclusiveStartKey: start[s] ?? undefined,
        }),
      );
      return { items: (page.Items ?? []) as Item[], more: page.LastEvaluatedKey !== undefined };
    }),
  );
  // Earlier in the page's order is "before"; a sign flip makes descending pages compare like ascending ones.
  const sign = request.descending ? -1 : 1;
  const compare = (a: string, b: string) => sign * (a < b ? -1 : a > b ? 1 : 0);
  // A stream that may hold more items limits how far the merge can go: past its last item read, an unread item of
  // that stream could sort earlier than the candidate.
  let horizon: string | undefined;
  for (const batch of batches) {
    if (!batch.more) continue;
    const last = batch.items[batch.items.length - 1];
    // Cannot happen without a FilterExpression (a Query that stops early returned at least one item).
    if (!last) return { items: [], positions: start };
    const key = orderKey(last);
    if (horizon === undefined || compare(key, horizon) < 0) horizon = key;
  }
  const candidates = batches
    .flatMap((batch, s) => batch.items.map((item, index) => ({ item, s, index, key: orderKey(item) })))
    .sort((a, b) => compare(a.key, b.key) || a.s - b.s);

  const positions: StreamPositions = [...start];
  const taken = batches.map(() => 0);
  const items: Item[] = [];
  let lastKey: string | undefined;
  for (const candidate of candidates) {
    if (horizon !== undefined && compare(candidate.key, horizon) > 0) break;
    // The same item found through two alternatives (an event referencing both values) counts once; once the page is
    // full, only such repeats of its last item are still taken, so the next page never returns it again.
    const repeat = candidate.key === lastKey;
    if (items.length === limit && !repeat) break;
    positions[candidate.s] = pick(candidate.item, streams[candidate.s]!.keyAttributes);
    taken[candidate.s]!++;
    if (!repeat && (request.accept?.(candidate.item) ?? true)) items.push(candidate.item);
    lastKey = candidate.key;
  }
  batches.forEach((batch, s) => {
    if (!batch.more && taken[s] === batch.items.length) positions[s] = null;
  });
  return { items, ...(positions.every((p) => p === null) ? {} : { positions }) };
}

// ---- nextToken ----------------------------------------------------------------------------------------------------

const hashOf = (query: unknown) => sha256Hex(canonicalJson(query)).slice(0, 16);

/** nextToken = base64url(JSON {p: positions, q: hash of the query}): bound to the filters it was issued for. */
export const encodePositions = (positions: StreamPositions | undefined, query: unknown): string | undefined =>
  positions
    ? Buffer.from(JSON.stringify({ p: positions.map((p) => p ?? (p === null ? 0 : 1)), q: hashOf(query) })).toString(
        'base64url',
      )
    : undefined;

/**
 * Reads a nextToken back into positions for these streams. A token for other filters, of another shape, or holding
 * attributes the streams do not key on is a ValidationException naming the field, never a DynamoDB error.
 */
export function decodePositions(
  token: string | undefined,
  query: unknown,
  streams: readonly QueryStream[],
  field = 'nextToken',
): StreamPositions | undefined {
  if (token === undefined) return undefined;
  const invalid = () => new ValidationError(`The ${field} is not valid for this request.`, field);
  let decoded: { p?: unknown; q?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (decoded?.q !== hashOf(query) || !Array.isArray(decoded.p) || decoded.p.length !== streams.length) throw invalid();
  return decoded.p.map((position: unknown, s) => {
    if (position === 0) return null;
    if (position === 1) return undefined;
    if (!position || typeof position !== 'object' || Array.isArray(position)) throw invalid();
    const allowed = new Set(streams[s]!.keyAttributes);
    const entries = Object.entries(position);
    if (entries.length === 0 || entries.some(([k, v]) => !allowed.has(k) || typeof v !== 'string')) throw invalid();
    return position as Item;
  });
}
