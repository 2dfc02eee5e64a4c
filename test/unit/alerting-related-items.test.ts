/**
 * What an alarm or event adds to its incident: involved-resource ARNs named by metric dimensions (per namespace)
 * or by an event's `resources`, the graph-ready CloudWatch metric-widget definition, and composite alarms' children.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromEventBridgeAlarmEvent } from '#adapters/triggers/alarm-payloads.ts';
import type { AlarmStateChange } from '#core/alerting/alarm.ts';
import { alarmRelatedItems, eventRelatedItems, metricWidgetOf, resourceArnsOf } from '#core/alerting/related-items.ts';
import { relatedItemInput } from '#core/incidents/shapes.ts';

type Json = Record<string, any>;
const sample = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`../../samples/events/${name}.json`, import.meta.url), 'utf8')) as Json;
const alarmOf = (name: string): AlarmStateChange => fromEventBridgeAlarmEvent(sample(name))!;

const AT = { partition: 'aws', region: 'eu-west-1', accountId: '111122223333' };
const P = 'arn:aws';
const R = 'eu-west-1:111122223333';

describe('involved resources named by metric dimensions', () => {
  it.each([
    ['AWS/EC2', { InstanceId: 'i-0abc1234def567890' }, [`${P}:ec2:${R}:instance/i-0abc1234def567890`]],
    ['AWS/EC2', { ImageId: 'ami-0123456789abcdef0' }, [`${P}:ec2:eu-west-1::image/ami-0123456789abcdef0`]],
    ['AWS/Lambda', { FunctionName: 'checkout' }, [`${P}:lambda:${R}:function:checkout`]],
    [
      'AWS/Lambda',
      { FunctionName: 'checkout', Resource: 'checkout:live' },
      [`${P}:lambda:${R}:function:checkout:live`],
    ],
    ['AWS/DynamoDB', { TableName: 'orders' }, [`${P}:dynamodb:${R}:table/orders`]],
    [
      'AWS/DynamoDB',
      { TableName: 'orders', GlobalSecondaryIndexName: 'by-customer' },
      [`${P}:dynamodb:${R}:table/orders`, `${P}:dynamodb:${R}:table/orders/index/by-customer`],
    ],
    ['AWS/RDS', { DBInstanceIdentifier: 'orders-db-1' }, [`${P}:rds:${R}:db:orders-db-1`]],
    ['AWS/RDS', { DBClusterIdentifier: 'orders' }, [`${P}:rds:${R}:cluster:orders`]],
    ['AWS/S3', { BucketName: 'invoices', StorageType: 'StandardStorage' }, [`${P}:s3:::invoices`]],
    ['AWS/SQS', { QueueName: 'payments' }, [`${P}:sqs:${R}:payments`]],
    ['AWS/SNS', { TopicName: 'ops' }, [`${P}:sns:${R}:ops`]],
    ['AWS/Kinesis', { StreamName: 'clicks' }, [`${P}:kinesis:${R}:stream/clicks`]],
    [
      'AWS/ApplicationELB',
      { LoadBalancer: 'app/orders/50dc6c495c0c9188', TargetGroup: 'targetgroup/orders/73e2d6bc24d8a067' },
      [
        `${P}:elasticloadbalancing:${R}:loadbalancer/app/orders/50dc6c495c0c9188`,
        `${P}:elasticloadbalancing:${R}:targetgroup/orders/73e2d6bc24d8a067`,
      ],
    ],
    [
      'AWS/NetworkELB',
      { LoadBalancer: 'net/edge/1a2b3c4d5e6f7a8b' },
      [`${P}:elasticloadbalancing:${R}:loadbalancer/net/edge/1a2b3c4d5e6f7a8b`],
    ],
    ['AWS/ECS', { ClusterName: 'prod', ServiceName: 'checkout' }, [`${P}:ecs:${R}:service/prod/checkout`]],
    ['AWS/ECS', { ClusterName: 'prod' }, [`${P}:ecs:${R}:cluster/prod`]],
    ['AWS/ApiGateway', { ApiId: 'a1b2c3d4e5' }, [`${P}:apigateway:eu-west-1::/apis/a1b2c3d4e5`]],
    [
      'AWS/States',
      { StateMachineArn: 'arn:aws:states:eu-west-1:111122223333:stateMachine:orders' },
      ['arn:aws:states:eu-west-1:111122223333:stateMachine:orders'],
    ],
    ['Custom/Checkout', { Service: 'checkout' }, []],
    ['AWS/EC2', { AutoScalingGroupName: 'web' }, []],
  ])('%s %j → %j', (namespace, dimensions, expected) => {
    expect(resourceArnsOf(namespace, dimensions, AT)).toEqual(expected);
  });

  it('builds ARNs in the partition of the alarm', () => {
    expect(
      resourceArnsOf(
        'AWS/SQS',
        { QueueName: 'q' },
        { partition: 'aws-cn', region: 'cn-north-1', accountId: '111122223333' },
      ),
    ).toEqual(['arn:aws-cn:sqs:cn-north-1:111122223333:q']);
  });
});

describe('the metric graph (CloudWatch metric-widget JSON)', () => {
  it('single metric: one line with namespace, name, dimension pairs and its stat and period; the alarm annotated', () => {
    const widget = JSON.parse(metricWidgetOf(alarmOf('alarm-eventbridge'))!);

    expect(widget).toEqual({
      title: 'checkout-cpu-high',
      region: 'us-east-1',
      view: 'timeSeries',
      metrics: [
        [
          'AWS/EC2',
          'CPUUtilization',
          'InstanceId',
          'i-0abc1234def567890',
          { id: '30b6c6b2-a864-43a2-4877-c09a1afc3b87', stat: 'Average', period: 300 },
        ],
      ],
      annotations: { alarms: ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-cpu-high'] },
    });
  });

  it('metric math: the expression is drawn, its inputs are kept (by id) but hidden', () => {
    const { metrics } = JSON.parse(metricWidgetOf(alarmOf('alarm-eventbridge-metric-math'))!) as {
      metrics: unknown[][];
    };

    expect(metrics).toEqual([
      [{ expression: '100 * errors / invocations', id: 'e1', label: 'Error rate (%)' }],
      ['AWS/Lambda', 'Errors', 'FunctionName', 'checkout', { id: 'errors', visible: false, stat: 'Sum', period: 60 }],
      [
        'AWS/Lambda',
        'Invocations',
        'FunctionName',
        'checkout',
        { id: 'invocations', visible: false, stat: 'Sum', period: 60 },
      ],
    ]);
  });

  it('anomaly detection: the metric and the band it is compared with', () => {
    const { metrics } = JSON.parse(metricWidgetOf(alarmOf('alarm-eventbridge-anomaly'))!) as { metrics: unknown[][] };

    expect(metrics).toEqual([
      [
        'AWS/ApplicationELB',
        'TargetResponseTime',
        'LoadBalancer',
        'app/orders/50dc6c495c0c9188',
        { id: 'm1', stat: 'p99', period: 300 },
      ],
      [{ expression: 'ANOMALY_DETECTION_BAND(m1, 2)', id: 'ad1', label: 'TargetResponseTime (expected)' }],
    ]);
  });

  it('composite alarm: no graph', () => {
    expect(metricWidgetOf(alarmOf('alarm-eventbridge-composite'))).toBeUndefined();
  });

  it('stays within the 4,000-character metricDefinition limit: annotations and title go first, then the graph', () => {
    const alarm = alarmOf('alarm-eventbridge');
    const query = alarm.metrics[0]!;
    const many = (count: number): AlarmStateChange => ({
      ...alarm,
      alarmName: 'x'.repeat(200),
      metrics: Array.from({ length: count }, (_, i) => ({ ...query, id: `m${i}` })),
    });
    const widget = (n: number) => metricWidgetOf(many(n));

    // 30 lines fit with everything; 35 only once the annotation and the long title are dropped.
    expect(Object.keys(JSON.parse(widget(30)!) as object)).toEqual([
      'title',
      'region',
      'view',
      'metrics',
      'annotations',
    ]);
    const trimmed = widget(35)!;
    expect(trimmed.length).toBeLessThanOrEqual(4000);
    expect(JSON.parse(trimmed)).toEqual({ region: 'us-east-1', view: 'timeSeries', metrics: expect.any(Array) });
    expect((JSON.parse(trimmed) as { metrics: unknown[] }).metrics).toHaveLength(35);
    // Far too many lines: no graph rather than a broken one.
    expect(metricWidgetOf(many(60))).toBeUndefined();
  });
});

describe('related items of an alarm', () => {
  it('one METRIC item (the graph) and one INVOLVED_RESOURCE per resource, each valid API input', () => {
    const items = alarmRelatedItems(alarmOf('alarm-eventbridge-metric-math'), 'aws');

    expect(items.map((item) => item.identifier.type)).toEqual(['METRIC', 'INVOLVED_RESOURCE']);
    expect(items[0]!.title).toBe('checkout-error-rate metrics');
    // Both queries name the same function: it is involved once.
    expect(items[1]).toEqual({
      identifier: {
        type: 'INVOLVED_RESOURCE',
        value: { arn: 'arn:aws:lambda:us-east-1:123456789012:function:checkout' },
      },
      title: 'checkout',
    });
    for (const item of items) expect(() => relatedItemInput.parse(item, 'relatedItems')).not.toThrow();
  });

  it('composite alarm: its child alarms, as alarm ARNs in its own region and account', () => {
    const items = alarmRelatedItems(alarmOf('alarm-eventbridge-composite'), 'aws');

    expect(items.map((item) => item.identifier)).toEqual([
      {
        type: 'INVOLVED_RESOURCE',
        value: { arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-cpu-high' },
      },
      {
        type: 'INVOLVED_RESOURCE',
        value: { arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-error-rate' },
      },
    ]);
  });

  it('composite alarm referring to a child by ARN keeps that ARN', () => {
    const alarm = {
      ...alarmOf('alarm-eventbridge-composite'),
      alarmRule: 'ALARM(arn:aws:cloudwatch:eu-west-1:111122223333:alarm:remote)',
    };

    expect(alarmRelatedItems(alarm, 'aws').map((item) => item.identifier.value)).toEqual([
      { arn: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:remote' },
    ]);
  });

  it('titles are at most 200 characters', () => {
    const alarm = { ...alarmOf('alarm-eventbridge'), alarmName: 'n'.repeat(300) };

    for (const item of alarmRelatedItems(alarm, 'aws')) expect([...(item.title ?? '')].length).toBeLessThanOrEqual(200);
  });
});

describe('related items of an EventBridge event', () => {
  it('every ARN in resources, once; what is not an ARN is left out', () => {
    const instance = 'arn:aws:ec2:us-east-1:123456789012:instance/i-0abc1234def567890';

    expect(eventRelatedItems([instance, 'i-0abc1234def567890', instance, 42])).toEqual([
      { identifier: { type: 'INVOLVED_RESOURCE', value: { arn: instance } } },
    ]);
    expect(eventRelatedItems(undefined)).toEqual([]);
  });
});
