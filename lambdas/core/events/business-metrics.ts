/**
 * Business metrics an operator watches next to the technical ones: how many incidents open (by response plan and
 * impact), how many alarms were absorbed by an open incident, how many messages went out or failed, how many pages
 * were acknowledged and how long that took. Each is counted where the fact is seen first, without an extra call:
 * incidents and acknowledgements from the change stream (this consumer, in the incident reactor), trigger outcomes in
 * the intake, deliveries around the message sender. Names and dimensions: docs/observability.md.
 */
import type { MessageSender } from '#core/contacts/messaging.ts';
import type { MetricsSink } from '#core/shared/metrics.ts';
import type { DomainEventConsumer } from './domain-events.ts';

export const METRIC = {
  incidentsOpened: 'IncidentsOpened',
  incidentsResolved: 'IncidentsResolved',
  triggers: 'Triggers',
  messagesSent: 'MessagesSent',
  messagesFailed: 'MessagesFailed',
  pagesAcknowledged: 'PagesAcknowledged',
  timeToAcknowledge: 'TimeToAcknowledge',
} as const;

/** Incidents opened and resolved, pages acknowledged and how long after they were sent. */
export const businessMetricsConsumer = (metrics: MetricsSink): DomainEventConsumer => ({
  name: 'business-metrics',
  async handle(event) {
    if (event.type === 'IncidentOpened') {
      const { incident } = event;
      metrics.count(METRIC.incidentsOpened, {
        ResponsePlan: incident.responsePlanName,
        Impact: String(incident.impact),
      });
    } else if (event.type === 'IncidentResolved') {
      metrics.count(METRIC.incidentsResolved, { ResponsePlan: event.incident.responsePlanName });
    } else if (event.type === 'PageAcknowledged') {
      const { page } = event;
      metrics.count(METRIC.pagesAcknowledged, { ChannelType: page.channelType });
      const sent = page.sentTime ?? page.createdTime;
      if (page.readTime !== undefined) metrics.duration(METRIC.timeToAcknowledge, page.readTime - sent, {});
    }
  },
});

/** Counts every message's outcome by purpose (page, activation code) and channel type, around any sender. */
export const countingSender = (sender: MessageSender, metrics: MetricsSink): MessageSender => ({
  async send(message) {
    const dimensions = { Purpose: message.purpose, ChannelType: message.channelType };
    try {
      const result = await sender.send(message);
      metrics.count(METRIC.messagesSent, dimensions);
      return result;
    } catch (error) {
      metrics.count(METRIC.messagesFailed, dimensions);
      throw error;
    }
  },
});
