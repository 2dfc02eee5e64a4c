/**
 * Puts integration events on an Amazon EventBridge bus (the default bus or the stack's own). PutEvents reports
 * per-entry failures in a 200 response, so a failed entry is turned into an error here: the stream then retries the
 * change, and dead-letters it after its retries.
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { IntegrationEvent, IntegrationEventPublisher } from '#core/notifications/ports.ts';

export class EventNotAcceptedError extends Error {
  override readonly name = 'EventNotAcceptedError';
}

export function eventBridgePublisher(client: EventBridgeClient, eventBusName: string): IntegrationEventPublisher {
  return {
    async put(event: IntegrationEvent) {
      const result = await client.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: eventBusName,
              Source: event.source,
              DetailType: event.detailType,
              Time: new Date(event.time),
              Resources: event.resources,
              Detail: JSON.stringify(event.detail),
            },
          ],
        }),
      );
      const entry = result.Entries?.[0];
      if ((result.FailedEntryCount ?? 0) > 0 || entry?.ErrorCode)
        throw new EventNotAcceptedError(
          `EventBridge did not accept the ${event.detailType} event on ${eventBusName}: ${entry?.ErrorCode} ${entry?.ErrorMessage ?? ''}`.trim(),
        );
    },
  };
}
