/**
 * `npm run trigger` sends a sample as a NEW delivery unless --exact: for every form the intake reads, the fresh copy
 * is a different delivery to the intake (another delivery key) about the same alarm or event (same trigger ARN),
 * while the file itself replays as the same delivery.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { triggersOf } from '#adapters/triggers/deliveries.ts';
import { deliveryFor, freshDelivery } from '../../local/trigger-delivery.ts';

const sample = (name: string): unknown => JSON.parse(readFileSync(`samples/events/${name}`, 'utf8'));
const triggerOf = (content: unknown) => {
  const [trigger] = triggersOf(deliveryFor(content, { responsePlanName: 'checkout' }), 'aws');
  return trigger!;
};

describe('fresh deliveries of the samples', () => {
  it.each([
    'alarm-eventbridge.json',
    'alarm-eventbridge-composite.json',
    'alarm-sns.json',
    'alarm-lambda-action.json',
    'event-guardduty-finding.json',
  ])('%s: a fresh copy is another delivery of the same trigger; the file replays as itself', (name) => {
    // Prepare
    const content = sample(name);
    let id = 0;
    const newId = () => `fresh-${++id}`;

    // Act
    const exact = [triggerOf(content), triggerOf(content)];
    const fresh = [triggerOf(freshDelivery(content, Date.UTC(2026, 11, 1, 9), newId))];
    fresh.push(triggerOf(freshDelivery(content, Date.UTC(2026, 11, 1, 9, 0, 0, 1), newId)));

    // Assess
    expect(exact[0]!.deliveryKey).toBe(exact[1]!.deliveryKey);
    expect(fresh[0]!.deliveryKey).not.toBe(exact[0]!.deliveryKey);
    expect(fresh[1]!.deliveryKey).not.toBe(fresh[0]!.deliveryKey);
    expect(fresh.map((t) => t.triggerArn)).toEqual([exact[0]!.triggerArn, exact[0]!.triggerArn]);
  });

  it('an alarm sent fresh changed state now (its trigger timestamp), the rest of the alarm untouched', () => {
    const now = Date.UTC(2026, 11, 1, 9, 30);
    const trigger = triggerOf(freshDelivery(sample('alarm-sns.json'), now));
    expect(trigger.timestamp).toBe(now);
    expect(trigger.alarm?.state).toBe('ALARM');
  });
});
