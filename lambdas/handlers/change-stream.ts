/**
 * A consumer of the table's change stream: DynamoDB Streams invokes it in AWS (an event source mapping per consumer
 * function, with batch item failures, bisection, retries and an on-failure destination), and the local runtime's
 * stream reader invokes the very same handler with the same event shape (local/change-stream.ts).
 *
 * Records are handled one after another, in stream order, and the first failure ends the batch: its sequence number is
 * reported as the batch item failure, so the stream delivers it (and everything after it) again. Handling records
 * after a failed one would let a later change of the same item overtake an earlier one, which ordering forbids; this
 * is also why Powertools' BatchProcessor (which goes on past failures) is not used here.
 */
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { domainEventsOf } from '#adapters/dynamodb/change-events.ts';
import { Table } from '#adapters/dynamodb/table.ts';
import { readPayload } from '#adapters/dynamodb/timeline.ts';
import type { DomainEvent, DomainEventConsumer } from '#core/events/domain-events.ts';
import { logger } from '#runtime/logger.ts';
import type { CompositionRoot } from '#runtime/root.ts';

export type ChangeStreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;

export function createChangeStreamHandler(
  root: CompositionRoot,
  consumers: readonly DomainEventConsumer[],
): ChangeStreamHandler {
  const table = new Table(root.dynamodb, root.config.tableName, root.config.idempotencyWindowSeconds);
  const payloads = (incidentId: string, payloadKey: string) => readPayload(table, incidentId, payloadKey);
  const consume = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    for (const record of event.Records ?? []) {
      const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
      let domainEvents: DomainEvent[];
      try {
        domainEvents = await domainEventsOf(record, payloads);
      } catch (error) {
        logger.error('a change could not be read; it will be delivered again', {
          sequenceNumber,
          error: String(error),
        });
        return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
      }
      for (const domainEvent of domainEvents) {
        for (const consumer of consumers) {
          try {
            await consumer.handle(domainEvent);
          } catch (error) {
            logger.error('a change-stream consumer failed; the change will be delivered again', {
              consumer: consumer.name,
              eventType: domainEvent.type,
              eventId: domainEvent.id,
              sequenceNumber,
              error: String(error),
              stack: (error as Error)?.stack,
            });
            return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
          }
        }
      }
    }
    return { batchItemFailures: [] };
  };
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>().use(root.observability.middlewares()).handler(consume);
}
