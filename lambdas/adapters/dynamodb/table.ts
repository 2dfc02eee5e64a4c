/**
 * The DynamoDB plumbing every repository shares: transactions that report which item's condition failed (with the
 * old item, so no read-before-write is needed), clientToken idempotency records written inside the same transaction
 * as the change they guard, and page collection for Query with opaque, validated nextTokens.
 */
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, ValidationError } from '#core/shared/errors.ts';
import { canonicalJson, sha256Hex } from '#core/shared/ids.ts';
import type { IdempotencyKey, Page } from '#core/shared/storage.ts';
import { KEY_ATTRIBUTES, TABLE_KEYS, TTL_ATTRIBUTE } from '#runtime/table-schema.ts';
import { escapeMapKeysOf, unmarshallItem } from './map-keys.ts';

export type Item = Record<string, unknown>;
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A transaction item with a label, so a cancelled transaction can say which condition failed. */
export interface LabelledWrite {
  label: string;
  write: TransactItem;
}

export type TransactionOutcome = { ok: true } | { ok: false; failed: Map<string, Item | undefined> };

const TRANSACTION_CONFLICT_RETRIES = 12;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Attributes that are storage detail (every key attribute of the schema, and bookkeeping), never part of a record. */
const STORAGE_ATTRIBUTES = new Set<string>([...KEY_ATTRIBUTES, 'entityType', 'version', TTL_ATTRIBUTE]);

export const stripStorageAttributes = <T>(item: Item): T =>
  Object.fromEntries(Object.entries(item).filter(([k]) => !STORAGE_ATTRIBUTES.has(k))) as T;

/** A Query read page by page (the table, the page size and the start key are the paging's). */
export type PageQueryInput = Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>;

/** The paging of a list request. */
export interface PageRequest {
  /** The key attributes of the index read (what a nextToken may hold). */
  keyAttributes: readonly string[];
  /** What the token is bound to: the list and its filters. */
  tokenQuery: unknown;
  maxResults: number;
  nextToken: string | undefined;
  /** The input member named by a ValidationException for a bad token (`NextToken` in ssm-contacts). */
  tokenField?: string;
}

export class Table {
  readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    readonly tableName: string,
    private readonly idempotencyWindowSeconds: number,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
    // Every command this table sends stores map keys such as `__proto__` and `constructor` safely (map-keys.ts).
    const send = this.doc.send.bind(this.doc);
    this.doc.send = ((command: Parameters<typeof send>[0], ...rest: unknown[]) => {
      escapeMapKeysOf(command);
      return (send as (...args: unknown[]) => unknown)(command, ...rest);
    }) as typeof send;
  }

  /**
   * Runs a transaction. Transaction conflicts (another transaction touching the same item right now) are retried
   * with jittered back-off; failed conditions are returned by label with the item as it was, never thrown.
   */
  async transact(writes: LabelledWrite[]): Promise<TransactionOutcome> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: writes.map((w) => w.write) }));
        return { ok: true };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw translateWriteError(error);
        const reasons = error.CancellationReasons ?? [];
        const failed = new Map<string, Item | undefined>();
        let conflicted = false;
        reasons.forEach((reason, index) => {
          if (reason.Code === 'ConditionalCheckFailed') {
            const label = writes[index]?.label ?? String(index);
            failed.set(label, reason.Item ? unmarshallItem(reason.Item) : undefined);
          } else if (reason.Code === 'TransactionConflict') conflicted = true;
          else if (reason.Code && reason.Code !== 'None') {
            throw translateWriteError(Object.assign(new Error(reason.Message ?? reason.Code), { name: reason.Code }));
          }
        });
        if (failed.size > 0) return { ok: false, failed };
        if (!conflicted || attempt >= TRANSACTION_CONFLICT_RETRIES) throw error;
        await sleep(Math.random() * Math.min(400, 10 * 2 ** attempt));
      }
    }
  }

  /**
   * A conditional single-item write; returns false (with the old item, when DynamoDB sends it) when the condition
   * fails, or when a transaction holds the item right now, which is the same "changed under you" for the caller.
   */
  async conditionalWrite(send: () => Promise<unknown>): Promise<{ ok: true } | { ok: false; old?: Item }> {
    try {
      await send();
      return { ok: true };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        return { ok: false, old: error.Item ? unmarshallItem(error.Item) : undefined };
      if (error instanceof TransactionConflictException) return { ok: false };
      throw translateWriteError(error);
    }
  }

  /** A put that succeeds only while the stored item still has `expectedVersion` (optimistic locking). */
  versionedPut(label: string, item: Item, expectedVersion: number): LabelledWrite {
    return {
      label,
      write: {
        Put: {
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
    };
  }

  // ---- clientToken idempotency ------------------------------------------------------------------------------

  /** The record that remembers a clientToken's input and result, written in the same transaction as the change. */
  idempotencyWrite(key: IdempotencyKey, result: unknown, now: number): LabelledWrite {
    const nowSeconds = Math.floor(now / 1000);
    return {
      label: 'idempotency',
      write: {
        Put: {
          TableName: this.tableName,
          Item: {
            pk: idempotencyPk(key),
            sk: 'TOKEN',
            entityType: 'IdempotencyRecord',
            inputHash: key.inputHash,
            result: result ?? null,
            [TTL_ATTRIBUTE]: nowSeconds + this.idempotencyWindowSeconds,
          },
          // DynamoDB's TTL deletes lazily, so an expired record counts as absent.
          ConditionExpression: 'attribute_not_exists(pk) OR #expiresAt < :now',
          ExpressionAttributeNames: { '#expiresAt': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':now': nowSeconds },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    };
  }

  /** After a transaction failed on the idempotency record: the first call's result, or a conflict. */
  replayOrConflict<T>(key: IdempotencyKey, old: Item | undefined): T {
    if (old && old.inputHash === key.inputHash) return (old.result ?? undefined) as T;
    throw new ConflictError(
      `The clientToken ${key.token} was already used with different parameters for ${key.operation}.`,
    );
  }

  /**
   * A clientToken's stored result, outside a transaction: undefined when the token is new or expired, the first
   * result when the input matches, else a conflict. Used by operations that read before they write (and should not
   * redo that work on a retry) and by `idempotent` in the core's shared operation helpers; the write that follows
   * must still carry the idempotency record, which settles concurrent first calls.
   */
  async recordedResult<T = unknown>(key: IdempotencyKey, now: number): Promise<{ result: T } | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: idempotencyPk(key), sk: 'TOKEN' }, ConsistentRead: true }),
    );
    // The same expiry rule as the conditional write: an expired record counts as absent.
    if (!Item || Number(Item[TTL_ATTRIBUTE]) < Math.floor(now / 1000)) return undefined;
    return { result: this.replayOrConflict<T>(key, Item) };
  }

  /** Runs writes guarded by an optional idempotency key, returning the stored result on a replay. */
  async transactIdempotent<T>(
    writes: LabelledWrite[],
    idempotency: IdempotencyKey | undefined,
    result: T,
    now: number,
  ): Promise<{ replayed: true; result: T } | { replayed: false; outcome: TransactionOutcome }> {
    const all = idempotency ? [...writes, this.idempotencyWrite(idempotency, result, now)] : writes;
    const outcome = await this.transact(all);
    if (!outcome.ok && idempotency && outcome.failed.has('idempotency'))
      return { replayed: true, result: this.replayOrConflict<T>(idempotency, outcome.failed.get('idempotency')) };
    return { replayed: false, outcome };
  }

  // ---- paging ------------------------------------------------------------------------------------------------

  /**
   * One page of an item collection: the items of partition `pk` whose sort key starts with `prefix`, in sort-key
   * order, read consistently. `tokenQuery` binds the nextToken to this collection.
   */
  listCollection<T>(
    pk: string,
    prefix: string,
    tokenQuery: unknown,
    maxResults: number,
    nextToken: string | undefined,
    tokenField = 'nextToken',
  ): Promise<Page<T>> {
    return this.queryPage<T>(
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
        ConsistentRead: true,
      },
      { keyAttributes: [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey], tokenQuery, maxResults, nextToken, tokenField },
    );
  }

  /**
   * One page of a list operation: the request's nextToken decoded (a token issued for another query, or for keys
   * that are not this index's, is a ValidationException naming `tokenField`), up to `maxResults` items of the Query
   * with the storage attributes removed, and the token of the next page, bound to `tokenQuery`.
   */
  async queryPage<T>(input: PageQueryInput, page: PageRequest): Promise<Page<T>> {
    const { keyAttributes, tokenQuery, maxResults, nextToken, tokenField = 'nextToken' } = page;
    const startKey = decodeNextToken(nextToken, tokenQuery, keyAttributes, tokenField);
    const { items, lastKey } = await this.collect(input, maxResults, keyAttributes, startKey);
    return {
      items: items.map((item) => stripStorageAttributes<T>(item)),
      nextToken: encodeNextToken(lastKey, tokenQuery),
    };
  }

  /**
   * Collects up to `limit` items from a Query, following DynamoDB pages while a FilterExpression drops items.
   * The returned `lastKey` is the key of the last item returned (not of the last item read), so the next page
   * starts exactly after it. At most `maxReads` Query calls are made; a short page with a token is valid paging.
   */
  async collect(
    input: PageQueryInput,
    limit: number,
    keyAttributes: readonly string[],
    startKey: Item | undefined,
    maxReads = 10,
  ): Promise<{ items: Item[]; lastKey?: Item }> {
    const filtered = Boolean(input.FilterExpression);
    const items: Item[] = [];
    let exclusiveStartKey = startKey;
    for (let reads = 0; reads < maxReads; reads++) {
      const wanted = limit - items.length;
      const page = await this.doc.send(
        new QueryCommand({
          ...input,
          TableName: this.tableName,
          ExclusiveStartKey: exclusiveStartKey,
          // One extra item tells whether another page exists without a second round trip.
          Limit: filtered ? Math.max(wanted + 1, 100) : wanted + 1,
        }),
      );
      items.push(...((page.Items ?? []) as Item[]));
      if (items.length > limit) {
        const kept = items.slice(0, limit);
        return { items: kept, lastKey: pick(kept[kept.length - 1] as Item, keyAttributes) };
      }
      if (!page.LastEvaluatedKey) return { items };
      exclusiveStartKey = page.LastEvaluatedKey as Item;
    }
    // Read budget spent: resume from where DynamoDB stopped reading.
    return { items, lastKey: exclusiveStartKey };
  }
}

/**
 * Binds each value to a placeholder `:<prefix><i>` in `values` and returns the placeholders joined by `separator`,
 * for `IN (...)` lists and OR-ed `contains(...)` conditions in filter expressions.
 */
export const bindValues = (
  values: Record<string, unknown>,
  prefix: string,
  list: readonly unknown[],
  render: (placeholder: string) => string = (placeholder) => placeholder,
  separator = ', ',
): string =>
  list
    .map((value, i) => {
      const placeholder = `:${prefix}${i}`;
      values[placeholder] = value;
      return render(placeholder);
    })
    .join(separator);

const idempotencyPk = (key: IdempotencyKey) => `TOKEN#${key.operation}#${sha256Hex(key.token)}`;

const pick = (item: Item, attributes: readonly string[]): Item =>
  Object.fromEntries(attributes.filter((a) => item[a] !== undefined).map((a) => [a, item[a]]));

/**
 * Translates DynamoDB errors caused by the request's content into validation errors (never a 500), and leaves
 * everything else (throttling, outages) to surface as it is.
 */
export const translateWriteError = (error: unknown): unknown => {
  const name = (error as { name?: string })?.name;
  const message = (error as { message?: string })?.message ?? '';
  if (name === 'ValidationException' && /size/i.test(message))
    return new ValidationError(`The request makes a stored item too large: ${message}`);
  if (name === 'ItemCollectionSizeLimitExceededException')
    return new ValidationError('The incident holds too much data (timeline and related items exceed 10 GB).');
  return error;
};

// ---- binding adapter functions to the table ---------------------------------------------------------------------

/**
 * An adapter module's functions that implement methods of `Port`: each takes the table, then the method's
 * arguments. A module exports them as one object declared `satisfies StoreFunctions<Port>`, which checks each against
 * the port's method and refuses a function the port does not have.
 */
export type StoreFunctions<Port> = {
  [Method in keyof Port]?: Port[Method] extends (...args: infer Args) => infer Result
    ? (table: Table, ...args: Args) => Result
    : never;
};

/** The functions with the table bound: the port's methods. */
export type BoundToTable<Functions> = {
  [Name in keyof Functions]: Functions[Name] extends (table: Table, ...args: infer Args) => infer Result
    ? (...args: Args) => Result
    : never;
};

/**
 * Binds the table to each of an adapter module's store functions, so a store is composed as
 * `{ ...bindTable(table, timelineStoreFunctions), ... } satisfies IncidentsStore` instead of one forwarding lambda
 * per method.
 */
export const bindTable = <Functions extends Record<string, (table: Table, ...args: never[]) => unknown>>(
  table: Table,
  functions: Functions,
): BoundToTable<Functions> =>
  Object.fromEntries(
    Object.entries(functions).map(([name, fn]) => [name, (...args: never[]) => fn(table, ...args)]),
  ) as BoundToTable<Functions>;

// ---- nextToken --------------------------------------------------------------------------------------------------

/**
 * nextToken = base64url(JSON {k: lastKey, q: hash of the query}). The hash binds a token to the filters it was
 * issued for, and the key's attributes are checked, so a forged or stale token is a ValidationException, not a
 * DynamoDB error.
 */
export const encodeNextToken = (lastKey: Item | undefined, query: unknown): string | undefined =>
  lastKey
    ? Buffer.from(JSON.stringify({ k: lastKey, q: sha256Hex(canonicalJson(query)).slice(0, 16) })).toString('base64url')
    : undefined;

export const decodeNextToken = (
  token: string | undefined,
  query: unknown,
  keyAttributes: readonly string[],
  field = 'nextToken',
): Item | undefined => {
  if (token === undefined) return undefined;
  const invalid = () => new ValidationError(`The ${field} is not valid for this request.`, field);
  let decoded: { k?: unknown; q?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const key = decoded?.k;
  if (!key || typeof key !== 'object' || Array.isArray(key)) throw invalid();
  if (decoded.q !== sha256Hex(canonicalJson(query)).slice(0, 16)) throw invalid();
  const entries = Object.entries(key);
  const allowed = new Set(keyAttributes);
  if (entries.length === 0 || entries.some(([k, v]) => !allowed.has(k) || typeof v !== 'string')) throw invalid();
  return key as Item;
};
