/**
 * The console's pure logic, against what the service really stores: the datapoints an alarm event carries, the
 * metric widget the intake writes turned into GetMetricData queries, timeline events in words, API error paths
 * mapped to form fields, and the list's filters.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alarmDatapointsOf } from '../../console/src/metrics/alarm-datapoints.ts';
import { metricDefinitionOf, parseMetricDefinition } from '../../console/src/metrics/metric-definition.ts';
import { principalName } from '../../console/src/ui/format.ts';
import { eventText } from '../../console/src/views/incident/timeline-text.ts';
import { apiFilters } from '../../console/src/views/incidents/list-query.ts';
import { formFieldOf } from '../../console/src/views/plans/plan-form.ts';
import { fromEventBridgeAlarmEvent } from '../../lambdas/adapters/triggers/alarm-payloads.ts';
import { rawDataOf } from '../../lambdas/core/alerting/raw-data.ts';
import { metricWidgetOf } from '../../lambdas/core/alerting/related-items.ts';

const sample = (name: string) => JSON.parse(readFileSync(`samples/events/${name}.json`, 'utf8'));

describe('alarm datapoints for the local Metrics tab', () => {
  it('reads the recent datapoints, their times and the threshold from an EventBridge alarm event as stored', () => {
    // Act
    const points = alarmDatapointsOf(rawDataOf(sample('alarm-eventbridge')));

    // Assess
    expect(points).toEqual({
      alarmName: 'checkout-cpu-high',
      alarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-cpu-high',
      times: [Date.parse('2026-11-21T16:59:00Z') / 1000],
      values: [99.5],
      threshold: 80,
      statistic: 'Average',
      periodSeconds: 300,
    });
  });

  it('has the threshold but no datapoints for an SNS notification, and nothing for a non-alarm event', () => {
    // Prepare
    const sns = JSON.parse(sample('alarm-sns').Records[0].Sns.Message);

    // Act
    const fromSns = alarmDatapointsOf(JSON.stringify(sns));
    const fromFinding = alarmDatapointsOf(rawDataOf(sample('event-guardduty-finding')));

    // Assess
    expect(fromSns).toMatchObject({ alarmName: 'orders-db-cpu', threshold: 90, values: [], periodSeconds: 60 });
    expect(fromFinding).toBeUndefined();
    expect(alarmDatapointsOf('not json')).toBeUndefined();
  });
});

describe('metric definitions', () => {
  it("turns the intake's widget for an alarm into a GetMetricData query with its alarm annotation", () => {
    // Prepare
    const widget = metricWidgetOf(fromEventBridgeAlarmEvent(sample('alarm-eventbridge'))!)!;

    // Act
    const parsed = parseMetricDefinition(widget);

    // Assess
    expect(parsed?.alarmArns).toEqual(['arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-cpu-high']);
    expect(parsed?.queries).toHaveLength(1);
    expect(parsed?.queries[0]).toMatchObject({
      ReturnData: true,
      MetricStat: {
        Metric: {
          Namespace: 'AWS/EC2',
          MetricName: 'CPUUtilization',
          Dimensions: [{ Name: 'InstanceId', Value: 'i-0abc1234def567890' }],
        },
        Period: 300,
        Stat: 'Average',
      },
    });
    expect(parsed?.queries[0]?.Id).toMatch(/^[a-z][a-zA-Z0-9_]*$/);
  });

  it("reads dashboards' expressions and '...' shorthand, and round-trips the console's own form", () => {
    // Act
    const dashboard = parseMetricDefinition(
      JSON.stringify({
        metrics: [
          ['AWS/Lambda', 'Errors', 'FunctionName', 'checkout', { stat: 'Sum' }],
          ['...', 'payments'],
          [{ expression: 'm0 + m1', label: 'All errors' }],
        ],
      }),
    );
    const own = parseMetricDefinition(
      metricDefinitionOf({
        namespace: 'AWS/SQS',
        metricName: 'ApproximateAgeOfOldestMessage',
        dimensions: 'QueueName=orders, Extra = x',
        stat: 'Maximum',
        period: 60,
        region: 'eu-west-1',
        title: 'Queue age',
      }),
    );

    // Assess
    expect(dashboard?.queries.map((q) => q.MetricStat?.Metric?.Dimensions?.[0]?.Value ?? q.Expression)).toEqual([
      'checkout',
      'payments',
      'm0 + m1',
    ]);
    expect(own?.title).toBe('Queue age');
    expect(own?.queries[0]?.MetricStat).toEqual({
      Metric: {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [
          { Name: 'QueueName', Value: 'orders' },
          { Name: 'Extra', Value: 'x' },
        ],
      },
      Period: 60,
      Stat: 'Maximum',
    });
    expect(parseMetricDefinition('{"nothing": 1}')).toBeUndefined();
  });
});

describe('timeline events in words', () => {
  it('says who changed what, who was paged and how the incident started', () => {
    // Act
    const update = eventText(
      'SSM Incident Record Update',
      JSON.stringify({
        modifiedBy: 'arn:aws:iam::123456789012:user/alice',
        modifiedAttributes: [
          { attributeName: 'impact', newValue: '1' },
          { attributeName: 'status', newValue: 'RESOLVED' },
        ],
      }),
    );
    const page = eventText(
      'SSM Contacts Page for Incident',
      JSON.stringify({ contactArn: 'arn:aws:ssm-contacts:us-east-1:123456789012:contact/bob' }),
    );
    const manual = eventText('SSM Incident Trigger', JSON.stringify({ incidentSource: 'aws.ssm-incidents.custom' }));
    const note = eventText('Note', '<b>not markup</b>');

    // Assess
    expect(update).toBe('alice changed impact to 1 Critical, status to Resolved');
    expect(page).toBe('Paged bob');
    expect(manual).toMatch(/started by hand/);
    expect(note).toBe('<b>not markup</b>');
  });

  it('names principals briefly: IAM users, role sessions and functions', () => {
    expect(principalName('arn:aws:iam::123456789012:user/alice')).toBe('alice');
    expect(principalName('arn:aws:sts::123456789012:assumed-role/Responder/CognitoIdentityCredentials')).toBe(
      'CognitoIdentityCredentials',
    );
    expect(principalName('arn:aws:lambda:us-east-1:123456789012:function:trigger-intake')).toBe('trigger-intake');
  });
});

describe('forms and filters', () => {
  it('maps the paths create and update errors name to the same plan field', () => {
    expect(formFieldOf('incidentTemplate.title')).toBe('title');
    expect(formFieldOf('incidentTemplateTitle')).toBe('title');
    expect(formFieldOf('engagements[0]')).toBe('engagements');
    expect(formFieldOf('actions[0].ssmAutomation.documentName')).toBe('runbookDocument');
    expect(formFieldOf('chatChannel.chatbotSns[0]')).toBe('chatTopics');
    expect(formFieldOf('name')).toBe('name');
  });

  it('builds the ListIncidentRecords filters of the list (the plan is not one the API has)', () => {
    // Act
    const filters = apiFilters(
      { status: 'RESOLVED', impact: 2, plan: 'checkout', createdBy: 'arn:aws:iam::1:user/a', withinHours: 24 },
      Date.parse('2026-11-30T12:00:00Z'),
    );

    // Assess
    expect(filters).toEqual([
      { key: 'status', condition: { equals: { stringValues: ['RESOLVED'] } } },
      { key: 'impact', condition: { equals: { integerValues: [2] } } },
      { key: 'createdBy', condition: { equals: { stringValues: ['arn:aws:iam::1:user/a'] } } },
      { key: 'creationTime', condition: { after: new Date('2026-11-29T12:00:00Z') } },
    ]);
  });
});
