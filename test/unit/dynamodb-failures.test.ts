/**
 * Failure paths that DynamoDB Local cannot be made to produce on demand (transaction conflicts, throttling), driven
 * through aws-sdk-client-mock against the real adapter code.
 */
import { DynamoDBClient, TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { Table } from '#adapters/dynamodb/table.ts';
import { replaceTags } from '#adapters/dynamodb/tags.ts';
import { StaleVersionError } from '#core/shared/errors.ts';

// The adapter sends through the document client, so that is the client to mock.
const dynamodb = mockClient(DynamoDBDocumentClient);
afterEach(() => dynamodb.reset());

const table = () => new Table(new DynamoDBClient({ region: 'us-east-1' }), 'incidents', 3600);
const put = (label: string) => ({ label, write: { Put: { TableName: 'incidents', Item: { pk: label, sk: 'x' } } } });

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('transactions', () => {
  it('retries a transaction that lost a race with another transaction, then succeeds', async () => {
    dynamodb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('TransactionConflict', 'None'))
      .rejectsOnce(cancelled('None', 'TransactionConflict'))
      .resolves({});
    const outcome = await table().transact([put('a'), put('b')]);
    expect(outcome).toEqual({ ok: true });
    expect(dynamodb.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });

  it('reports a failed condition by label with the old item, without retrying', async () => {
    dynamodb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: { incidentId: { S: 'i-1' } } }],
      }),
    );
    const outcome = await table().transact([put('incident'), put('dedupe')]);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.failed.get('dedupe')).toEqual({ incidentId: 'i-1' });
    expect(dynamodb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('lets throttling surface (the edge maps it to a retryable 429) instead of looping', async () => {
    dynamodb.on(TransactWriteCommand).rejects(cancelled('ThrottlingError'));
    await expect(table().transact([put('a')])).rejects.toMatchObject({ name: 'ThrottlingError' });
  });
});

describe('single conditional writes', () => {
  it('treat a transaction holding the item as a stale version, which callers retry', async () => {
    dynamodb.on(UpdateCommand).rejects(new TransactionConflictException({ message: 'conflict', $metadata: {} }));
    await expect(replaceTags(table(), { kind: 'replication-set' }, { a: 'b' }, 3)).rejects.toBeInstanceOf(
      StaleVersionError,
    );
  });
});
