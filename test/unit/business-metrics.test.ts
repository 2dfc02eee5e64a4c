/** Business metrics counted where each fact is first seen: the change stream and the message sender. */
import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '#core/contacts/messaging.ts';
import { businessMetricsConsumer, countingSender, METRIC } from '#core/events/business-metrics.ts';
import type { DomainEvent } from '#core/events/domain-events.ts';
import type { MetricDimensions, MetricsSink } from '#core/shared/metrics.ts';
import { incident } from '../support/store.ts';

const recorder = () => {
  const points: { name: string; value: number; dimensions?: MetricDimensions }[] = [];
  const sink: MetricsSink = {
    count: (name, dimensions, value = 1) => points.push({ name, value, ...(dimensions ? { dimensions } : {}) }),
    duration: (name, value, dimensions) => points.push({ name, value, ...(dimensions ? { dimensions } : {}) }),
  };
  return { points, sink };
};

describe('business metrics', () => {
  it('counts an opened incident by response plan and impact, and a resolved one by plan', async () => {
    const { points, sink } = recorder();
    const opened = incident({ responsePlanName: 'checkout', impact: 1 });
    const consumer = businessMetricsConsumer(sink);
    await consumer.handle({ type: 'IncidentOpened', id: 'e1', time: 1, incident: opened });
    await consumer.handle({
      type: 'IncidentResolved',
      id: 'e2',
      time: 2,
      incident: { ...opened, status: 'RESOLVED' },
      previous: opened,
      changed: ['status'],
    });
    expect(points).toEqual([
      { name: METRIC.incidentsOpened, value: 1, dimensions: { ResponsePlan: 'checkout', Impact: '1' } },
      { name: METRIC.incidentsResolved, value: 1, dimensions: { ResponsePlan: 'checkout' } },
    ]);
  });

  it('counts an acknowledgement and the time from sending the page to reading it', async () => {
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
      { name: METRIC.timeToAcknowledge, value: 60_000, dimensions: {} },
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
