/**
 * The incident reactor's stream subscription and the stack's own alarms, read from the synthesized template.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { TABLE_LOGICAL_ID } from '../../lib/constructs/data-table.ts';
import { IncidentManagerStack } from '../../lib/incident-manager-stack.ts';
import { defaultStack } from '../support/default-stack.ts';

const synth = (context: Record<string, unknown> = {}, withTopic = false) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new IncidentManagerStack(app, 'Test', {
    ...(withTopic
      ? { alarmTopic: Topic.fromTopicArn(new Stack(app, 'Ops'), 'Topic', 'arn:aws:sns:us-east-1:111122223333:ops') }
      : {}),
  });
  return Template.fromStack(stack);
};

describe('the incident reactor', () => {
  const { template } = defaultStack();

  it('reads the table stream with old and new images, incident and page items only, reporting batch item failures', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    // Two readers of the stream: this reactor and the notifier (test/infra/notifications.test.ts).
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [TABLE_LOGICAL_ID, 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      FilterCriteria: {
        Filters: [
          { Pattern: JSON.stringify({ dynamodb: { NewImage: { entityType: { S: ['Incident', 'Page'] } } } }) },
          { Pattern: JSON.stringify({ dynamodb: { OldImage: { entityType: { S: ['Incident', 'Page'] } } } }) },
        ],
      },
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IncidentReactorDeadLetterQueue'), 'Arn'] },
        },
      },
    });
  });

  it('runs the reactor entry point, with the paging workflow bound', () => {
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp('Reacts to committed incident changes') },
    });
    const [reactor] = Object.values(functions);
    expect(reactor?.Properties.Environment.Variables).toMatchObject({
      STATE_MACHINE_ARN: { Ref: expect.stringMatching(/^EngagementsStateMachine/) },
      TABLE_NAME: { Ref: TABLE_LOGICAL_ID },
      LOG_LEVEL: 'INFO',
    });
  });
});

describe('operational alarms', () => {
  it('watch every function, the paging workflow, the API, the dead-letter queues and the stream lag', () => {
    const { template } = defaultStack();
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const metricNames = alarms.map((a) => a.Properties.MetricName ?? 'expression');
    // One Errors and one Throttles alarm per function of the stack.
    const functions = Object.keys(template.findResources('AWS::Lambda::Function')).length;
    expect(functions).toBeGreaterThanOrEqual(10);
    for (const name of ['Errors', 'Throttles']) expect(metricNames.filter((m) => m === name)).toHaveLength(functions);
    expect(metricNames).toContain('IteratorAge');
    expect(metricNames).toContain('5xx');
    expect(metricNames.filter((m) => m === 'ApproximateNumberOfMessagesVisible')).toHaveLength(5);
    const expressions = alarms.filter((a) => a.Properties.Metrics).map((a) => JSON.stringify(a.Properties.Metrics));
    expect(expressions.some((m) => m.includes('ExecutionsFailed') && m.includes('ExecutionsTimedOut'))).toBe(true);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toBeUndefined();
  });

  it('notify the operator topic, on ALARM and OK, when one is given (prop or alarmTopicArn context)', () => {
    for (const template of [synth({}, true), synth({ alarmTopicArn: 'arn:aws:sns:us-east-1:111122223333:ops' })]) {
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
      expect(alarms.length).toBeGreaterThan(15);
      for (const alarm of alarms) {
        expect(alarm.Properties.AlarmActions).toEqual(['arn:aws:sns:us-east-1:111122223333:ops']);
        expect(alarm.Properties.OKActions).toEqual(['arn:aws:sns:us-east-1:111122223333:ops']);
      }
    }
  });
});
