/**
 * What the notification consumers need from the outside world, in domain words. Adapters: SNS and EventBridge in AWS
 * (lambdas/adapters/notifications), the local outbox and event log locally (local/notification-outbox.ts,
 * local/event-log.ts); the sent-markers live in the table (lambdas/adapters/dynamodb/notification-ledger.ts).
 */
import type { IncidentRecord } from '#core/incidents/ports.ts';

/** One SNS message, exactly as it is published (Subject, Message, MessageAttributes). */
export interface SnsNotification {
  /** Plain text, under 100 characters, no line breaks (SNS's Subject constraints): the email subject. */
  subject: string;
  /** The Message body: an Amazon Q Developer in chat applications custom notification, as JSON. */
  message: string;
  /** Message attributes for subscription filter policies (`impact` is a Number, so numeric rules work). */
  attributes: Record<string, { type: 'String' | 'Number'; value: string }>;
}

export interface NotificationPublisher {
  /** Publishes to one topic; throws when the topic refuses it (missing, publish denied, throttled...). */
  publish(topicArn: string, notification: SnsNotification): Promise<void>;
}

/**
 * Which targets a change was already delivered to, so a change delivered again (stream retries) reaches nobody twice.
 * Marks are written after the publish succeeded (see docs/notifications.md for the at-least-once trade-off).
 */
export interface NotificationLedger {
  sentTo(dedupKey: string): Promise<ReadonlySet<string>>;
  recordSent(dedupKey: string, targets: readonly string[], now: number): Promise<void>;
}

/** An event for integrations, as put on the EventBridge bus. */
export interface IntegrationEvent {
  source: string;
  detailType: string;
  /** When the change was committed, epoch milliseconds. */
  time: number;
  /** ARNs of the resources involved (incident, response plan, engagement, page, contact). */
  resources: string[];
  detail: Record<string, unknown>;
}

export interface IntegrationEventPublisher {
  /** Puts one event on the bus; throws when the bus did not accept it. */
  put(event: IntegrationEvent): Promise<void>;
}

/** Reads the incident a timeline note or a page belongs to (the incidents store satisfies it). */
export interface IncidentReader {
  getIncident(incidentId: string): Promise<{ record: IncidentRecord } | undefined>;
}
