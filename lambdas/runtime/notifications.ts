/**
 * The notifications capability of the composition root (root.ts): what the notifier (the table's stream, second
 * reader) runs. SNS notifications run first: when one fails, the change is delivered again before its integration
 * event was put, so no event is duplicated by a notification retry.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { createDynamoDbNotificationLedger } from '#adapters/dynamodb/notification-ledger.ts';
import { eventBridgePublisher } from '#adapters/notifications/eventbridge-publisher.ts';
import { snsPublisherForAnyRegion } from '#adapters/notifications/sns-publisher.ts';
import type { DomainEventConsumer } from '#core/events/domain-events.ts';
import { incidentNotifier } from '#core/notifications/incident-notifier.ts';
import { integrationEventPublisher } from '#core/notifications/integration-events.ts';
import type { IntegrationEventPublisher, NotificationPublisher } from '#core/notifications/ports.ts';
import { logger } from './logger.ts';
import type { CompositionRoot } from './root.ts';

export const notificationPublisherOf = (root: CompositionRoot): NotificationPublisher =>
  root.memo(
    'notifications.publisher',
    () =>
      root.options.notifications ??
      snsPublisherForAnyRegion((region) => root.observability.traceClient(new SNSClient({ region }))),
  );

/** Undefined when no bus is configured (integration events are then not put). */
export const integrationEventPublisherOf = (root: CompositionRoot): IntegrationEventPublisher | undefined =>
  root.memo('notifications.events', () => {
    if (root.options.integrationEvents) return root.options.integrationEvents;
    const bus = root.config.notifications.eventBusName;
    if (!bus) return undefined;
    return eventBridgePublisher(
      root.observability.traceClient(new EventBridgeClient({ region: root.config.region })),
      bus,
    );
  });

export const notifierConsumersOf = (root: CompositionRoot): DomainEventConsumer[] =>
  root.memo('notifications.consumers', () => {
    const consumers: DomainEventConsumer[] = [
      incidentNotifier({
        publisher: notificationPublisherOf(root),
        ledger: createDynamoDbNotificationLedger(root.storeOptions),
        incidents: root.incidentsStore,
        service: root.service,
        consoleUrl: () => root.consoleUrl,
        chatCommand: root.config.notifications.chatCommand,
        error: (message, fields) => logger.error(message, fields),
      }),
    ];
    const events = integrationEventPublisherOf(root);
    if (events) consumers.push(integrationEventPublisher(events, root.incidentsStore, root.service));
    return consumers;
  });
