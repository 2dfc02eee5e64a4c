/**
 * triggerDetails.rawData: the event as JSON within 10,000 characters. An oversized event is trimmed by dropping its
 * bulkiest optional parts (reason data, previous state, tags, description) while it stays valid JSON a runbook can
 * read; only as a last resort is it cut, and then the JSON says so. It never throws.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_RAW_DATA, rawDataOf } from '#core/alerting/raw-data.ts';
import { triggerDetails } from '#core/incidents/shapes.ts';

type Json = Record<string, any>;
const sample = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`../../samples/events/${name}.json`, import.meta.url), 'utf8')) as Json;

/** What the API itself accepts as rawData (its length counts characters). */
const acceptedByTheApi = (rawData: string) =>
  triggerDetails.parse({ source: 'aws.cloudwatch', timestamp: 1, rawData }, 'triggerDetails');

const bulk = (size: number) => 'x'.repeat(size);

describe('rawData', () => {
  it('is the event as JSON when it fits', () => {
    const event = sample('alarm-eventbridge');

    expect(rawDataOf(event)).toBe(JSON.stringify(event));
    expect(MAX_RAW_DATA).toBe(10_000);
  });

  it('keeps an event of exactly 10,000 characters whole', () => {
    const event = sample('event-guardduty-finding');
    event.detail.description = '';
    event.detail.description = bulk(MAX_RAW_DATA - JSON.stringify(event).length);

    expect(JSON.stringify(event)).toHaveLength(MAX_RAW_DATA);
    expect(rawDataOf(event)).toBe(JSON.stringify(event));
  });

  it('drops the bulky reason data first and keeps everything else', () => {
    const event = sample('alarm-eventbridge');
    event.detail.state.reasonData = bulk(12_000);

    const raw = rawDataOf(event);

    expect(raw.length).toBeLessThanOrEqual(MAX_RAW_DATA);
    const { state, ...rest } = JSON.parse(raw).detail;
    const { reasonData: _dropped, ...keptState } = event.detail.state;
    expect(state).toEqual(keptState);
    const { state: _s, ...originalRest } = event.detail;
    expect(rest).toEqual(originalRest);
    expect(JSON.parse(raw).resources).toEqual(event.resources);
  });

  it("drops the previous state's reason data before the current state's", () => {
    const event = sample('alarm-eventbridge');
    event.detail.previousState.reasonData = bulk(6_000);
    event.detail.state.reasonData = bulk(3_000);

    const parsed = JSON.parse(rawDataOf(event));

    expect(parsed.detail.previousState).not.toHaveProperty('reasonData');
    expect(parsed.detail.state.reasonData).toBe(event.detail.state.reasonData);
  });

  it('then the previous state, then the tags, then the description: never the metrics and dimensions', () => {
    const event = sample('alarm-eventbridge-tagged');
    event.detail.previousState.reason = bulk(1_000);
    event.detail.alarmTags.notes = bulk(1_000);
    event.detail.configuration.description = bulk(9_500);

    const parsed = JSON.parse(rawDataOf(event));

    expect(parsed.detail).not.toHaveProperty('previousState');
    expect(parsed.detail).not.toHaveProperty('alarmTags');
    expect(parsed.detail.configuration).not.toHaveProperty('description');
    expect(parsed.detail.configuration.metrics).toEqual(event.detail.configuration.metrics);
    expect(parsed.detail.state).toEqual(event.detail.state);
  });

  it('drops the tags before the description', () => {
    const event = sample('alarm-eventbridge-tagged');
    event.detail.alarmTags.notes = bulk(6_000);
    event.detail.configuration.description = bulk(5_000);

    const parsed = JSON.parse(rawDataOf(event));

    expect(parsed.detail).not.toHaveProperty('alarmTags');
    expect(parsed.detail.configuration.description).toBe(event.detail.configuration.description);
  });

  it('stops dropping as soon as the event fits', () => {
    const event = sample('alarm-eventbridge-tagged');
    event.detail.previousState.reason = bulk(9_500);

    const parsed = JSON.parse(rawDataOf(event));

    expect(parsed.detail).not.toHaveProperty('previousState');
    expect(parsed.detail.alarmTags).toEqual(event.detail.alarmTags);
  });

  it("trims a Lambda alarm action's alarmData the same way", () => {
    const payload = sample('alarm-lambda-action');
    payload.alarmData.state.reasonData = bulk(12_000);

    const parsed = JSON.parse(rawDataOf(payload));

    expect(parsed.alarmData.state).not.toHaveProperty('reasonData');
    expect(parsed.alarmArn).toBe(payload.alarmArn);
  });

  it('as a last resort, cuts the event and says so, in valid JSON within the limit', () => {
    const event = sample('event-guardduty-finding');
    event.detail.service = { evidence: Array.from({ length: 2_000 }, (_, i) => ({ ip: `10.0.${i >> 8}.${i & 255}` })) };
    const original = JSON.stringify(event);

    const raw = rawDataOf(event);

    expect(raw.length).toBeLessThanOrEqual(MAX_RAW_DATA);
    const parsed = JSON.parse(raw) as { truncated: boolean; originalLength: number; prefix: string };
    expect(parsed.truncated).toBe(true);
    expect(parsed.originalLength).toBe(original.length);
    expect(original.startsWith(parsed.prefix)).toBe(true);
    // A substantial part of the event, not a token stub (its quotes cost an escape each inside the prefix).
    expect(parsed.prefix.length).toBeGreaterThan(5_000);
    expect(() => acceptedByTheApi(raw)).not.toThrow();
  });

  it("the cut reports the event's original length even after optional parts were dropped", () => {
    const event = sample('alarm-eventbridge');
    event.detail.state.reasonData = bulk(5_000);
    event.detail.configuration.metrics = Array.from({ length: 200 }, () => event.detail.configuration.metrics[0]);

    const parsed = JSON.parse(rawDataOf(event)) as { truncated: boolean; originalLength: number };

    expect(parsed.truncated).toBe(true);
    expect(parsed.originalLength).toBe(JSON.stringify(event).length);
  });

  it('when escaping makes the cut longer (quotes, backslashes, control characters), it still fits', () => {
    const event = sample('event-guardduty-finding');
    event.detail.description = '"\\\n\u0001'.repeat(5_000);

    const raw = rawDataOf(event);

    expect(raw.length).toBeLessThanOrEqual(MAX_RAW_DATA);
    const parsed = JSON.parse(raw) as { truncated: boolean; prefix: string };
    expect(parsed.truncated).toBe(true);
    expect(JSON.stringify(event).startsWith(parsed.prefix)).toBe(true);
  });

  it('counts characters as the API does: an event of emoji within the limit is accepted', () => {
    const event = sample('event-guardduty-finding');
    event.detail.title = '🚨'.repeat(6_000);

    const raw = rawDataOf(event);

    expect(() => acceptedByTheApi(raw)).not.toThrow();
    expect(() => JSON.parse(raw)).not.toThrow();
  });

  it.each([
    ['a huge array', Array.from({ length: 5_000 }, (_, i) => i)],
    ['a huge string', bulk(50_000)],
    ['null', null],
  ])('never throws, whatever it is given: %s', (_name, value) => {
    const raw = rawDataOf(value);

    expect(raw.length).toBeLessThanOrEqual(MAX_RAW_DATA);
    expect(() => JSON.parse(raw)).not.toThrow();
  });
});
