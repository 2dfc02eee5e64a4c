/**
 * `npm run trigger` wraps a sample file as the delivery AWS would send for its form (`deliveryFor`), and the intake
 * reads every delivery form into triggers (`triggersOf`, at the edge): source, trigger ARN, state-change time, who invoked it,
 * the plan it names, and the key that recognises a redelivery.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { triggersOf } from '#adapters/triggers/deliveries.ts';
import { eventBridgeInputTemplate } from '#core/alerting/contract.ts';
import { TriggerRejected } from '#core/alerting/intake.ts';
import { deliveryFor } from '#local/trigger-delivery.ts';

type Json = Record<string, any>;
const sample = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`../../samples/events/${name}.json`, import.meta.url), 'utf8')) as Json;
const snsMessageOf = (event: Json): Json => JSON.parse(event.Records[0].Sns.Message as string) as Json;
const ALARM = (name: string) => `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`;

describe('deliveryFor (npm run trigger)', () => {
  it("wraps an EventBridge event as a rule target's input transformer does", () => {
    const event = sample('alarm-eventbridge');

    const delivery = deliveryFor(event, { responsePlanName: 'checkout', onOk: 'timeline' });

    // The same shape as the CDK's input template produces for this plan and rule.
    const ruleArn = 'arn:aws:events:us-east-1:123456789012:rule/npm-run-trigger';
    const template = eventBridgeInputTemplate({ responsePlanName: 'checkout', onOk: 'timeline' })
      .replace('<aws.events.rule-arn>', ruleArn)
      .replace('<aws.events.event.json>', () => JSON.stringify(event));
    expect(delivery).toEqual(JSON.parse(template));
  });

  it('leaves the plan out when none is given (the alarm tag names it)', () => {
    const delivery = deliveryFor(sample('alarm-eventbridge-tagged'), {}) as Json;

    expect(delivery).not.toHaveProperty('responsePlanName');
    expect(delivery).not.toHaveProperty('onOk');
    expect(delivery.intake).toBe('eventbridge');
  });

  it("takes the rule's region and account from the event", () => {
    const event = { ...sample('event-guardduty-finding'), region: 'eu-west-1', account: '111122223333' };

    expect((deliveryFor(event, {}) as Json).ruleArn).toBe('arn:aws:events:eu-west-1:111122223333:rule/npm-run-trigger');
  });

  it('passes an SNS event through unchanged, or inside a local override when a plan is given', () => {
    const event = sample('alarm-sns');

    expect(deliveryFor(event, {})).toEqual(event);
    expect(deliveryFor(event, { responsePlanName: 'orders' })).toEqual({
      intake: 'local',
      responsePlanName: 'orders',
      payload: event,
    });
  });

  it('delivers a bare alarm notification as SNS would: one record whose message is the notification', () => {
    const message = snsMessageOf(sample('alarm-sns'));

    const delivery = deliveryFor(message, {}) as Json;

    expect(delivery.Records).toHaveLength(1);
    expect(delivery.Records[0]).toMatchObject({ EventSource: 'aws:sns', Sns: { Type: 'Notification' } });
    expect(JSON.parse(delivery.Records[0].Sns.Message as string)).toEqual(message);
    expect(delivery.Records[0].Sns.TopicArn).toMatch(/^arn:aws:sns:[a-z0-9-]+:\d{12}:npm-run-trigger$/);
  });

  it('passes a Lambda alarm-action payload through, or inside a local override', () => {
    const payload = sample('alarm-lambda-action');

    expect(deliveryFor(payload, {})).toEqual(payload);
    expect(deliveryFor(payload, { onOk: 'timeline' })).toEqual({ intake: 'local', onOk: 'timeline', payload });
  });

  it('refuses a file that is not a JSON object', () => {
    expect(() => deliveryFor([sample('alarm-eventbridge')], {})).toThrow('JSON object');
    expect(() => deliveryFor('text', {})).toThrow('JSON object');
  });

  it.each([
    ['alarm-eventbridge', 'events.amazonaws.com'],
    ['alarm-eventbridge-metric-math', 'events.amazonaws.com'],
    ['alarm-eventbridge-anomaly', 'events.amazonaws.com'],
    ['alarm-eventbridge-composite', 'events.amazonaws.com'],
    ['alarm-sns', 'sns.amazonaws.com'],
    ['alarm-lambda-action', 'cloudwatch.amazonaws.com'],
  ])('what it builds from %s is read by the intake as an alarm trigger for the named plan', (name, invokedBy) => {
    const [trigger, ...more] = triggersOf(deliveryFor(sample(name), { responsePlanName: 'checkout' }), 'aws');

    expect(more).toEqual([]);
    expect(trigger).toMatchObject({ source: 'aws.cloudwatch', invokedBy, responsePlanName: 'checkout' });
    expect(trigger!.triggerArn).toBe(trigger!.alarm!.alarmArn);
  });
});

describe('triggersOf: reading deliveries', () => {
  it('EventBridge alarm: the alarm ARN is the trigger, the state change time its timestamp, the event its rawData', () => {
    const event = sample('alarm-eventbridge');

    const [trigger] = triggersOf(
      { intake: 'eventbridge', responsePlanName: 'p', ruleArn: 'arn:aws:events:us-east-1:123456789012:rule/r', event },
      'aws',
    );

    expect(trigger).toMatchObject({
      source: 'aws.cloudwatch',
      triggerArn: ALARM('checkout-cpu-high'),
      timestamp: Date.parse('2026-11-21T17:04:40.989Z'),
      invokedBy: 'events.amazonaws.com',
      responsePlanName: 'p',
      mappingKeys: [ALARM('checkout-cpu-high')],
    });
    expect(JSON.parse(trigger!.rawData)).toEqual(event);
  });

  it("another service's event: its source, the rule ARN, its time, its resources", () => {
    const event = sample('event-guardduty-finding');
    const ruleArn = 'arn:aws:events:us-east-1:123456789012:rule/guardduty-high';

    const [trigger] = triggersOf({ intake: 'eventbridge', ruleArn, event }, 'aws');

    expect(trigger).toMatchObject({
      source: 'aws.guardduty',
      triggerArn: ruleArn,
      timestamp: Date.parse('2026-11-21T18:00:00Z'),
      invokedBy: 'events.amazonaws.com',
      relatedItems: [{ identifier: { type: 'INVOLVED_RESOURCE', value: { arn: event.resources[0] } } }],
    });
  });

  it('a raw EventBridge event without an envelope: its first resource stands in for the rule', () => {
    const event = sample('event-guardduty-finding');

    const [trigger] = triggersOf(event, 'aws');

    expect(trigger!.triggerArn).toBe(event.resources[0]);
    expect(trigger!.responsePlanName).toBeUndefined();
  });

  it('SNS: a mapping of the alarm is looked up before a mapping of the topic', () => {
    const [trigger] = triggersOf(sample('alarm-sns'), 'aws');

    expect(trigger).toMatchObject({
      invokedBy: 'sns.amazonaws.com',
      timestamp: Date.parse('2026-11-21T17:50:12.345Z'),
      mappingKeys: [ALARM('orders-db-cpu'), 'arn:aws:sns:us-east-1:123456789012:ops-alarms'],
    });
  });

  it('recognises a redelivery: the same state change by the same path has the same key; a new one does not', () => {
    const event = sample('alarm-eventbridge');
    const later = sample('alarm-eventbridge');
    later.detail.state.timestamp = '2026-11-21T17:09:40.989+0000';
    const keyOf = (payload: unknown) => triggersOf(payload, 'aws')[0]!.deliveryKey;
    const envelope = (e: Json) => ({ intake: 'eventbridge', responsePlanName: 'p', event: e });

    expect(keyOf(envelope(event))).toBe(keyOf(envelope(sample('alarm-eventbridge'))));
    expect(keyOf(envelope(later))).not.toBe(keyOf(envelope(event)));
    // The same change by SNS is another delivery (recorded as a deduplicated trigger, not dropped).
    const viaSns = sample('alarm-sns');
    const message = snsMessageOf(viaSns);
    message.AlarmArn = ALARM('checkout-cpu-high');
    message.StateChangeTime = event.detail.state.timestamp;
    viaSns.Records[0].Sns.Message = JSON.stringify(message);
    expect(keyOf(viaSns)).not.toBe(keyOf(envelope(event)));
  });

  it('only "timeline" is an onOk behaviour', () => {
    const event = sample('alarm-eventbridge-ok');

    expect(triggersOf({ intake: 'eventbridge', onOk: 'timeline', event }, 'aws')[0]!.onOk).toBe('timeline');
    expect(triggersOf({ intake: 'eventbridge', onOk: 'resolve', event }, 'aws')[0]!.onOk).toBeUndefined();
  });

  it('an SNS event with several records gives one trigger per record', () => {
    const event = sample('alarm-sns');
    event.Records.push(structuredClone(event.Records[0]));

    expect(triggersOf(event, 'aws')).toHaveLength(2);
  });

  it.each([
    ['not an object', 'hello'],
    ['an unknown shape', { foo: 'bar' }],
    ['an envelope without an event', { intake: 'eventbridge' }],
    ['a local override of nothing', { intake: 'local', responsePlanName: 'p' }],
  ])('rejects %s with TriggerRejected', (_name, payload) => {
    expect(() => triggersOf(payload, 'aws')).toThrow(TriggerRejected);
  });
});
