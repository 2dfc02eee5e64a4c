/**
 * The consumer that tells people: each incident change that is news (opened, title/summary/impact/chat channel/
 * notification targets changed, resolved, reopened, a note added to the timeline, a page acknowledged) goes to every
 * SNS topic of the incident's `notificationTargets` and `chatChannel.chatbotSns`, as an Amazon Q Developer custom
 * notification (incident-notification.ts).
 *
 * Once per change: the stream delivers a change again after a failure, so each topic that accepted the message is
 * marked (the ledger, keyed by the domain event id) and skipped on the next delivery. Marks are written AFTER the
 * publish: a crash between the two re-sends to that topic once (at-least-once), never loses a message.
 *
 * A failing topic (missing, publish denied, throttled) does not stop the others: every topic is tried, those that
 * accepted are marked, and the failures are logged with topic and incident and thrown, so the stream retries the
 * change (reaching only the topics that failed) and, after its retries, parks it in the on-failure destination.
 */
import type { DomainEvent, DomainEventConsumer } from '#core/events/domain-events.ts';
import { EVENT_TYPES } from '#core/incidents/automatic-events.ts';
import type { IncidentRecord } from '#core/incidents/ports.ts';
import type { ServiceContext } from '#core/shared/service-context.ts';
import {
  NOTIFIED_FIELDS,
  type NotificationCause,
  notificationTopics,
  renderNotification,
} from './incident-notification.ts';
import type { IncidentReader, NotificationLedger, NotificationPublisher } from './ports.ts';

export interface IncidentNotifierDependencies {
  publisher: NotificationPublisher;
  ledger: NotificationLedger;
  incidents: IncidentReader;
  service: ServiceContext;
  /** The web console's URL (resolved per message: the local runtime knows its port only once it listens). */
  consoleUrl: () => string | undefined;
  chatCommand: string;
  /** Reports a topic that refused a message (the log, in Lambda). */
  error: (message: string, fields: Record<string, unknown>) => void;
  now?: () => number;
}

/** Some topics refused the message; the change is to be delivered again (those that accepted it are marked). */
export class NotificationDeliveryError extends Error {
  override readonly name = 'NotificationDeliveryError';
  constructor(
    readonly incidentArn: string,
    readonly failedTopics: readonly string[],
  ) {
    super(`${failedTopics.length} notification target(s) of ${incidentArn} failed: ${failedTopics.join(', ')}`);
  }
}

/** The timeline event types people add themselves (CreateTimelineEvent accepts only these). */
const NOTE_TYPES: readonly string[] = [EVENT_TYPES.custom, EVENT_TYPES.note];

const INCIDENT_ARN = /^arn:[^:]+:ssm-incidents::(\d{12}):incident-record\/[^/]+\/([^/]+)$/;

/** The dedup key of a change for this consumer (event ids are stable across stream redeliveries). */
export const notificationDedupKey = (event: DomainEvent) => `notify|${event.id}`;

export function incidentNotifier(deps: IncidentNotifierDependencies): DomainEventConsumer {
  const now = deps.now ?? Date.now;

  const incidentById = async (incidentId: string): Promise<IncidentRecord | undefined> =>
    (await deps.incidents.getIncident(incidentId))?.record;

  /** The incident and why to notify, or undefined when this change is not news. */
  const whatHappened = async (
    event: DomainEvent,
  ): Promise<{ incident: IncidentRecord; cause: NotificationCause; previous?: IncidentRecord } | undefined> => {
    switch (event.type) {
      case 'IncidentOpened':
        return { incident: event.incident, cause: { kind: 'opened' } };
      case 'IncidentUpdated': {
        // Tags, automation executions and internal bookkeeping change silently.
        if (!event.changed.some((field) => NOTIFIED_FIELDS.includes(field))) return undefined;
        const { incident, previous, changed } = event;
        return { incident, previous, cause: { kind: 'updated', previous, changed } };
      }
      case 'IncidentResolved':
      case 'IncidentReopened': {
        const { incident, previous, changed } = event;
        const kind = event.type === 'IncidentResolved' ? 'resolved' : 'reopened';
        return { incident, previous, cause: { kind, previous, changed } };
      }
      case 'TimelineEventAdded': {
        if (!NOTE_TYPES.includes(event.event.eventType)) return undefined;
        const incident = await incidentById(event.incidentId);
        return incident ? { incident, cause: { kind: 'note', event: event.event } } : undefined;
      }
      case 'PageAcknowledged': {
        // Pages carry the IncidentId StartEngagement was given: the incident's ARN when an incident paged.
        const match = INCIDENT_ARN.exec(event.page.incidentId ?? '');
        if (!match || match[1] !== deps.service.accountId) return undefined;
        const incident = await incidentById(match[2]!);
        if (!incident || incident.arn !== event.page.incidentId) return undefined;
        return { incident, cause: { kind: 'page-acknowledged', page: event.page } };
      }
      default:
        return undefined;
    }
  };

  return {
    name: 'incident-notifications',
    async handle(event) {
      const found = await whatHappened(event);
      if (!found) return;
      const { incident, cause, previous } = found;
      const topics = notificationTopics(incident, previous);
      if (topics.length === 0) return;

      const key = notificationDedupKey(event);
      const alreadySent = await deps.ledger.sentTo(key);
      const pending = topics.filter((topic) => !alreadySent.has(topic));
      if (pending.length === 0) return;

      const message = renderNotification(incident, cause, event.id, {
        service: deps.service,
        consoleUrl: deps.consoleUrl(),
        chatCommand: deps.chatCommand,
        now: now(),
      });
      const outcomes = await Promise.allSettled(pending.map((topic) => deps.publisher.publish(topic, message)));
      const sent = pending.filter((_, i) => outcomes[i]?.status === 'fulfilled');
      if (sent.length) await deps.ledger.recordSent(key, sent, now());

      const failed = pending.filter((_, i) => outcomes[i]?.status === 'rejected');
      if (failed.length === 0) return;
      failed.forEach((topic) => {
        const outcome = outcomes[pending.indexOf(topic)] as PromiseRejectedResult;
        deps.error('a notification target refused the message; the change will be delivered again', {
          topicArn: topic,
          incidentArn: incident.arn,
          eventType: event.type,
          eventId: event.id,
          error: String(outcome.reason),
        });
      });
      throw new NotificationDeliveryError(incident.arn, failed);
    },
  };
}
