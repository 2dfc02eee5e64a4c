/** Business metrics counted where each fact is first seen: the change stream and the message sender. */
import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '#core/contacts/messaging.ts';
import { businessMetricsConsumer, countingSender, METRIC } from '#core/events/business-metrics.ts';
import type { DomainEvent } from '#core/events/domain-events.ts';
import type { MetricDimensions, MetricsSink } from '#core/shared/metrics.ts';

const recorder = () => {
  const points: { name: string; value: number; dimensions?: MetricDimensions }[] = [];
  const sink: MetricsSink = {
    count: (name, dimensions, value = 1) => points.push({ name, value, ...(dimensions ? { dimensions } : {}) }),
    duration: (name, value, dimensions) => points.push({ name, value, ...(dimensions ? { dimensions } : {}) }),
  };
  return { points, sink };
};

describe('business metrics', () => {
  it('counts an acknowledgement and the time from sending the page to reading it, by channel type', async () => {
    const { points, sink } = recorder();
    const page = { channelType: 'SMS', createdTime: 1_000, sentTime: 2_000, readTime: 62_000 };
    await businessMetricsConsumer(sink).handle({
      type: 'PageAcknowledged',
      id: 'e',
      time: 62_000,
      page,
    } as DomainEvent);
    expect(points).toEqual([
      { name: METRIC.pagesAcknowledged, value: 1, dimensions: { ChannelType: 'SMS' } },
      { name: METRIC.pageAcknowledgementTime, value: 60_000, dimensions: { ChannelType: 'SMS' } },
    ]);
  });

  it('counts each message as sent or failed, by purpose and channel type, and passes failures on', async () => {
    const { points, sink } = recorder();
    const message = { purpose: 'PAGE', channelType: 'EMAIL' } as OutboundMessage;
    const ok = countingSender({ send: async () => ({ provider: 'log', providerMessageId: 'm' }) }, sink);
    const failing = countingSender(
      {
        send: async () => {
          throw new Error('SES throttled');
        },
      },
      sink,
    );
    await ok.send(message);
    await expect(failing.send(message)).rejects.toThrow('SES throttled');
    expect(points).toEqual([
      { name: METRIC.messagesSent, value: 1, dimensions: { Purpose: 'PAGE', ChannelType: 'EMAIL' } },
      { name: METRIC.messagesFailed, value: 1, dimensions: { Purpose: 'PAGE', ChannelType: 'EMAIL' } },
    ]);
  });
});
