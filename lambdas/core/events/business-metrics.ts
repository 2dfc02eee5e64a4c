/**
 * Business metrics an operator watches next to the technical ones: how many alarms were absorbed by an open incident,
 * how many messages went out or failed, how many pages were acknowledged. Each is counted where the fact is seen
 * first, without an extra call: acknowledgements from the change stream (this consumer, in the incident reactor),
 * trigger outcomes in the intake, deliveries around the message sender. Incidents opened and resolved, time to first
 * acknowledgement and time to resolve are Incident Manager's own metrics, published once per fact by the response
 * metrics consumer (core/analysis/metrics.ts). Names and dimensions: docs/observability.md.
 */
import type { MessageSender } from '#core/contacts/messaging.ts';
import type { MetricsSink } from '#core/shared/metrics.ts';
import type { DomainEventConsumer } from './domain-events.ts';

export const METRIC = {
  triggers: 'Triggers',
  messagesSent: 'MessagesSent',
  messagesFailed: 'MessagesFailed',
  pagesAcknowledged: 'PagesAcknowledged',
  pageAcknowledgementTime: 'PageAcknowledgementTime',
} as const;

/** Pages acknowledged, by channel type, and how long after their first accepted delivery each was read. */
export const businessMetricsConsumer = (metrics: MetricsSink): DomainEventConsumer => ({
  name: 'business-metrics',
  async handle(event) {
    if (event.type !== 'PageAcknowledged') return;
    const { page } = event;
    metrics.count(METRIC.pagesAcknowledged, { ChannelType: page.channelType });
    const sent = page.sentTime ?? page.createdTime;
    if (page.readTime !== undefined)
      metrics.duration(METRIC.pageAcknowledgementTime, page.readTime - sent, { ChannelType: page.channelType });
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
