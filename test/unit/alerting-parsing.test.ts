/**
 * Reading CloudWatch alarm state changes in their three delivery shapes (EventBridge event, SNS notification,
 * Lambda alarm action) into one AlarmStateChange: single-metric, metric-math, anomaly-detection and composite
 * alarms, CloudWatch's `+0000` timestamps, and alarm tags as a map or as a list of pairs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  fromEventBridgeAlarmEvent,
  fromLambdaAlarmAction,
  fromSnsAlarmMessage,
  parseCloudWatchTime,
} from '#adapters/triggers/alarm-payloads.ts';
import { childAlarmsOf, parseAlarmArn } from '#core/alerting/alarm.ts';

type Json = Record<string, any>;
const sample = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`../../samples/events/${name}.json`, import.meta.url), 'utf8')) as Json;
const snsMessageOf = (event: Json): Json => JSON.parse(event.Records[0].Sns.Message as string) as Json;
const ALARM = (name: string) => `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`;

describe('CloudWatch timestamps', () => {
  it.each([
    ['2026-11-21T17:04:40.989+0000', '2026-11-21T17:04:40.989Z'],
    ['2026-11-21T12:04:40.989-0500', '2026-11-21T17:04:40.989Z'],
    ['2026-11-21T19:04:40.989+0200', '2026-11-21T17:04:40.989Z'],
    ['2026-11-21T17:04:40.989+00:00', '2026-11-21T17:04:40.989Z'],
    ['2026-11-21T17:04:40Z', '2026-11-21T17:04:40.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseCloudWatchTime(text)).toBe(Date.parse(iso));
  });

  it.each([['yesterday'], [''], [1_700_000_000], [undefined]])(
    'gives up on %j instead of inventing a time',
    (value) => {
      expect(parseCloudWatchTime(value)).toBeUndefined();
    },
  );
});

describe('alarm ARNs', () => {
  it('splits region, account and name (names may hold colons and spaces)', () => {
    expect(
      parseAlarmArn('arn:aws:cloudwatch:eu-west-1:111122223333:alarm:TargetTracking-table/orders:AlarmHigh'),
    ).toEqual({
      region: 'eu-west-1',
      accountId: '111122223333',
      alarmName: 'TargetTracking-table/orders:AlarmHigh',
    });
    expect(parseAlarmArn('arn:aws-cn:cloudwatch:cn-north-1:111122223333:alarm:Checkout errors')?.alarmName).toBe(
      'Checkout errors',
    );
  });

  it.each([['arn:aws:sns:us-east-1:123456789012:topic'], ['arn:aws:cloudwatch:us-east-1:1234:alarm:x'], [42]])(
    'refuses %j',
    (value) => {
      expect(parseAlarmArn(value)).toBeUndefined();
    },
  );
});

describe('EventBridge "CloudWatch Alarm State Change" events', () => {
  it('single-metric alarm: identity, states, reason, description, the metric and the +0000 state time', () => {
    const alarm = fromEventBridgeAlarmEvent(sample('alarm-eventbridge'));

    expect(alarm).toEqual({
      alarmArn: ALARM('checkout-cpu-high'),
      alarmName: 'checkout-cpu-high',
      region: 'us-east-1',
      accountId: '123456789012',
      state: 'ALARM',
      previousState: 'OK',
      stateTimestamp: Date.parse('2026-11-21T17:04:40.989Z'),
      reason: expect.stringContaining('was greater than the threshold (80.0)'),
      description: 'Checkout hosts are saturated',
      metrics: [
        {
          id: '30b6c6b2-a864-43a2-4877-c09a1afc3b87',
          returnData: true,
          metricStat: {
            metric: { namespace: 'AWS/EC2', name: 'CPUUtilization', dimensions: { InstanceId: 'i-0abc1234def567890' } },
            period: 300,
            stat: 'Average',
          },
        },
      ],
      tags: {},
    });
  });

  it('metric-math alarm: the expression and its hidden inputs', () => {
    const alarm = fromEventBridgeAlarmEvent(sample('alarm-eventbridge-metric-math'))!;

    expect(alarm.metrics).toEqual([
      { id: 'e1', expression: '100 * errors / invocations', label: 'Error rate (%)', returnData: true },
      expect.objectContaining({
        id: 'errors',
        returnData: false,
        metricStat: expect.objectContaining({ stat: 'Sum', period: 60 }),
      }),
      expect.objectContaining({ id: 'invocations', returnData: false }),
    ]);
    expect(alarm.metrics[1]!.metricStat!.metric).toEqual({
      namespace: 'AWS/Lambda',
      name: 'Errors',
      dimensions: { FunctionName: 'checkout' },
    });
  });

  it('anomaly-detection alarm: the metric and the band expression', () => {
    const alarm = fromEventBridgeAlarmEvent(sample('alarm-eventbridge-anomaly'))!;

    expect(alarm.metrics.map((m) => m.expression ?? m.metricStat?.metric.name)).toEqual([
      'TargetResponseTime',
      'ANOMALY_DETECTION_BAND(m1, 2)',
    ]);
    expect(alarm.metrics[0]!.metricStat!.stat).toBe('p99');
  });

  it('composite alarm: the rule, no metrics', () => {
    const alarm = fromEventBridgeAlarmEvent(sample('alarm-eventbridge-composite'))!;

    expect(alarm.alarmRule).toBe('ALARM("checkout-cpu-high") AND ALARM("checkout-error-rate")');
    expect(alarm.metrics).toEqual([]);
    expect(alarm.stateTimestamp).toBe(Date.parse('2026-11-21T17:40:00.213Z'));
    expect(alarm.description).toBe('Checkout is degraded: hosts saturated and errors rising');
  });

  it('OK state change', () => {
    const alarm = fromEventBridgeAlarmEvent(sample('alarm-eventbridge-ok'))!;

    expect([alarm.state, alarm.previousState]).toEqual(['OK', 'ALARM']);
  });

  it('tags as a map (propagated alarm tags)', () => {
    expect(fromEventBridgeAlarmEvent(sample('alarm-eventbridge-tagged'))!.tags).toEqual({
      'incident-manager:response-plan': 'checkout',
      team: 'payments',
    });
  });

  it('tags as a list of {key, value} or {Key, Value} pairs; entries that are not string pairs are skipped', () => {
    const event = sample('alarm-eventbridge-tagged');
    event.detail.alarmTags = [
      { key: 'incident-manager:response-plan', value: 'checkout' },
      { Key: 'team', Value: 'payments' },
      { key: 'cost-centre', value: 42 },
      'stray',
    ];

    expect(fromEventBridgeAlarmEvent(event)!.tags).toEqual({
      'incident-manager:response-plan': 'checkout',
      team: 'payments',
    });
  });

  it("uses the event's time when the state carries none", () => {
    const event = sample('alarm-eventbridge');
    delete event.detail.state.timestamp;

    expect(fromEventBridgeAlarmEvent(event)!.stateTimestamp).toBe(Date.parse('2026-11-21T17:04:40Z'));
  });

  it.each([
    ['another source', (e: Json) => (e.source = 'aws.guardduty')],
    ['another detail-type', (e: Json) => (e['detail-type'] = 'CloudWatch Alarm Configuration Change')],
    ['no detail', (e: Json) => delete e.detail],
    ['no alarm ARN', (e: Json) => (e.resources = [])],
    ['an unknown state', (e: Json) => (e.detail.state.value = 'ALRM')],
  ])('is not an alarm state change with %s', (_name, change) => {
    const event = sample('alarm-eventbridge');
    change(event);

    expect(fromEventBridgeAlarmEvent(event)).toBeUndefined();
  });
});

describe('SNS alarm notifications', () => {
  it('single-metric notification: PascalCase fields, upper-case statistic, +0000 state time', () => {
    const alarm = fromSnsAlarmMessage(snsMessageOf(sample('alarm-sns')))!;

    expect(alarm).toMatchObject({
      alarmArn: ALARM('orders-db-cpu'),
      alarmName: 'orders-db-cpu',
      region: 'us-east-1',
      accountId: '123456789012',
      state: 'ALARM',
      previousState: 'OK',
      stateTimestamp: Date.parse('2026-11-21T17:50:12.345Z'),
      description: 'Orders database CPU is high',
      reason: expect.stringContaining('greater than the threshold (90.0)'),
    });
    expect(alarm.metrics).toHaveLength(1);
    expect(alarm.metrics[0]!.metricStat).toMatchObject({
      metric: { namespace: 'AWS/RDS', name: 'CPUUtilization' },
      period: 60,
      stat: 'Average',
    });
  });

  // BUG (alarm-state-change.ts, readSnsMetrics → readTags): SNS lists dimensions as [{"name","value"}], which
  // readTags does not read (it takes key/Key only). Flip to it() once fixed.
  it('dimensions listed as [{name, value}] are read', () => {
    const message = snsMessageOf(sample('alarm-sns'));
    const alarm = fromSnsAlarmMessage(message)!;

    expect(alarm.metrics[0]!.metricStat!.metric.dimensions).toEqual({ DBInstanceIdentifier: 'orders-db-1' });
  });

  it.each([
    ['SAMPLE_COUNT', undefined, 'SampleCount'],
    ['MAXIMUM', undefined, 'Maximum'],
    [undefined, 'p99.9', 'p99.9'],
  ])('statistic %s / extended statistic %s is graphed as %s', (statistic, extended, expected) => {
    const message = snsMessageOf(sample('alarm-sns'));
    message.Trigger = { ...message.Trigger, Statistic: statistic, ExtendedStatistic: extended };

    expect(fromSnsAlarmMessage(message)!.metrics[0]!.metricStat!.stat).toBe(expected);
  });

  it('metric-math notification: Trigger.Metrics in PascalCase', () => {
    const message = snsMessageOf(sample('alarm-sns'));
    message.Trigger = {
      Metrics: [
        { Id: 'e1', Expression: 'm1 / m2 * 100', Label: 'Error %', ReturnData: true },
        {
          Id: 'm1',
          ReturnData: false,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/Lambda',
              MetricName: 'Errors',
              Dimensions: [{ value: 'checkout', name: 'FunctionName' }],
            },
            Period: 60,
            Stat: 'Sum',
          },
        },
      ],
    };

    const alarm = fromSnsAlarmMessage(message)!;

    expect(alarm.metrics).toEqual([
      { id: 'e1', expression: 'm1 / m2 * 100', label: 'Error %', returnData: true },
      {
        id: 'm1',
        returnData: false,
        // dimensions: see the BUG below
        metricStat: {
          metric: { namespace: 'AWS/Lambda', name: 'Errors', dimensions: expect.any(Object) },
          period: 60,
          stat: 'Sum',
        },
      },
    ]);
  });

  it('composite notification: the rule, no metrics', () => {
    const message = snsMessageOf(sample('alarm-sns'));
    delete message.Trigger;
    message.AlarmRule = 'ALARM(db-cpu) OR ALARM(db-connections)';

    const alarm = fromSnsAlarmMessage(message)!;

    expect(alarm.alarmRule).toBe('ALARM(db-cpu) OR ALARM(db-connections)');
    expect(alarm.metrics).toEqual([]);
  });

  it.each([
    ['no alarm ARN', (m: Json) => delete m.AlarmArn],
    ['an unknown state', (m: Json) => (m.NewStateValue = 'BROKEN')],
  ])('is not a notification with %s', (_name, change) => {
    const message = snsMessageOf(sample('alarm-sns'));
    change(message);

    expect(fromSnsAlarmMessage(message)).toBeUndefined();
  });
});

describe('Lambda alarm-action payloads', () => {
  it('the alarm ARN from the payload, the rest from alarmData, the +0000 state time', () => {
    const alarm = fromLambdaAlarmAction(sample('alarm-lambda-action'))!;

    expect(alarm).toMatchObject({
      alarmArn: ALARM('payments-queue-backlog'),
      alarmName: 'payments-queue-backlog',
      state: 'ALARM',
      stateTimestamp: Date.parse('2026-11-21T17:55:00.000Z'),
      description: 'Payments queue is backing up',
    });
    expect(alarm.metrics[0]!.metricStat!.metric).toEqual({
      namespace: 'AWS/SQS',
      name: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: 'payments' },
    });
  });

  it('is not an alarm action without alarmData or from another source', () => {
    const payload = sample('alarm-lambda-action');
    expect(fromLambdaAlarmAction({ ...payload, source: 'my.app' })).toBeUndefined();
    expect(fromLambdaAlarmAction({ ...payload, alarmData: undefined })).toBeUndefined();
  });
});

describe('child alarms of a composite rule', () => {
  it('reads quoted, single-quoted, bare and ARN references, each once, for every state function', () => {
    const rule =
      'ALARM("cpu-high") AND (ALARM(\'error rate\') OR OK(disk-ok)) AND NOT INSUFFICIENT_DATA( arn:aws:cloudwatch:us-east-1:123456789012:alarm:latency ) OR ALARM("cpu-high")';

    expect(childAlarmsOf(rule)).toEqual([
      'cpu-high',
      'error rate',
      'disk-ok',
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:latency',
    ]);
  });

  it('has none without a rule, or with constants only', () => {
    expect(childAlarmsOf(undefined)).toEqual([]);
    expect(childAlarmsOf('TRUE')).toEqual([]);
  });
});
