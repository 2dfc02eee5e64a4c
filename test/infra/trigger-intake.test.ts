/**
 * The trigger intake in the IncidentManager stack, read from the synthesized template: what opens incidents from
 * tagged alarms, what lets Lambda alarm actions through, and where failed deliveries wait instead of being lost.
 */
import { readFileSync } from 'node:fs';
import type { CfnElement } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventBridgeInputTemplate, RESPONSE_PLAN_TAG } from '#core/alerting/contract.ts';
import { TABLE_LOGICAL_ID } from '../../lib/constructs/data-table.ts';
import type { IncidentManagerStack } from '../../lib/incident-manager-stack.ts';
import { defaultStack } from '../support/default-stack.ts';

type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };
type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
};

let stack: IncidentManagerStack;
let template: Template;
let resources: Record<string, Resource>;

/** The logical id of an L2 construct's CloudFormation resource. */
const idOf = (construct: IConstruct): string => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const sample = (name: string) =>
  JSON.parse(readFileSync(`samples/events/${name}.json`, 'utf8')) as Record<string, unknown>;

/** EventBridge's matching for the pattern features these rules use: value lists, `exists`, nested objects. */
const matches = (pattern: Record<string, unknown>, event: unknown): boolean =>
  Object.entries(pattern).every(([key, rule]) => {
    const value = (event as Record<string, unknown> | undefined)?.[key];
    if (!Array.isArray(rule))
      return typeof value === 'object' && value !== null && matches(rule as Record<string, unknown>, value);
    return rule.some((option) => {
      if (typeof option === 'object' && option !== null && 'exists' in option)
        return (value !== undefined) === option.exists;
      return asList(value).includes(option);
    });
  });

beforeAll(() => {
  ({ stack, template, resources } = defaultStack());
});

const intakeId = () => idOf(stack.triggerIntake.handler.function);
const intakeQueueId = () => idOf(stack.triggerIntake.deadLetterQueue);
const tagRuleId = () => idOf(stack.triggerIntake.tagRule.rule);
const tagRuleQueueId = () => idOf(stack.triggerIntake.tagRule.deadLetterQueue);
const queuePolicyOf = (queueId: string): Statement[] =>
  ofType('AWS::SQS::QueuePolicy')
    .filter(([, r]) => JSON.stringify(r.Properties.Queues) === JSON.stringify([{ Ref: queueId }]))
    .flatMap(([, r]) => r.Properties.PolicyDocument.Statement as Statement[]);
const permissionsOf = (principal: string) =>
  ofType('AWS::Lambda::Permission')
    .map(([, r]) => r.Properties)
    .filter((p) => p.Principal === principal && JSON.stringify(p.FunctionName).includes(intakeId()));

describe('intake function', () => {
  it('runs the trigger-intake handler on Node.js 24/ARM64, told the table, account and partition', () => {
    const fn = resources[intakeId()]!;
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
    });
    expect(fn.Properties.Environment.Variables).toMatchObject({
      TABLE_NAME: { Ref: TABLE_LOGICAL_ID },
      ACCOUNT_ID: { Ref: 'AWS::AccountId' },
      AWS_PARTITION: { Ref: 'AWS::Partition' },
    });
  });

  it('may use the table only with the actions the adapter needs (no Scan, no wildcard)', () => {
    const roleId = idOf(stack.triggerIntake.handler.role);
    const statements = ofType('AWS::IAM::Policy')
      .filter(([, r]) => JSON.stringify(r.Properties.Roles).includes(roleId))
      .flatMap(([, r]) => r.Properties.PolicyDocument.Statement as Statement[]);
    const tableActions = statements
      .filter((s) => JSON.stringify(s.Resource).includes(TABLE_LOGICAL_ID))
      .flatMap((s) => asList(s.Action));
    expect(new Set(tableActions)).toEqual(
      new Set([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:Query',
      ]),
    );
    for (const statement of statements)
      for (const action of asList(statement.Action)) expect(action).not.toContain('*');
  });
});

describe('failed deliveries', () => {
  it('are retried twice for up to 6 hours, then sent with their error to the intake dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: intakeId() },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [intakeQueueId(), 'Arn'] } } },
    });
  });

  it('wait 14 days in encrypted, TLS-only queues', () => {
    for (const queueId of [intakeQueueId(), tagRuleQueueId()]) {
      expect(resources[queueId]!.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      expect(queuePolicyOf(queueId)).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sqs:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('raise an alarm as soon as one message waits in either dead-letter queue', () => {
    for (const queueId of [intakeQueueId(), tagRuleQueueId()]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        TreatMissingData: 'notBreaching',
      });
    }
  });
});

describe('CloudWatch Lambda alarm action', () => {
  it("lets this account's alarms (and only CloudWatch alarms) invoke the intake", () => {
    const permissions = permissionsOf('lambda.alarms.cloudwatch.amazonaws.com');
    expect(permissions).toHaveLength(1);
    expect(permissions[0]).toEqual({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [intakeId(), 'Arn'] },
      Principal: 'lambda.alarms.cloudwatch.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':cloudwatch:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':alarm:*',
          ],
        ],
      },
    });
  });
});

describe('alarm tag rule', () => {
  const rule = () => resources[tagRuleId()]!.Properties;
  const target = () => rule().Targets[0];

  it('listens on the default bus for ALARM state changes of alarms carrying the response-plan tag', () => {
    expect(rule().EventBusName).toBeUndefined();
    expect(rule().EventPattern).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      detail: { state: { value: ['ALARM'] }, alarmTags: { [RESPONSE_PLAN_TAG]: [{ exists: true }] } },
    });
  });

  it('matches a tagged alarm going into ALARM, and nothing else', () => {
    const tagged = sample('alarm-eventbridge-tagged');
    const pattern = rule().EventPattern;
    expect(matches(pattern, tagged)).toBe(true);
    expect(matches(pattern, sample('alarm-eventbridge'))).toBe(false); // untagged
    expect(matches(pattern, sample('alarm-eventbridge-ok'))).toBe(false); // OK never opens anything
    expect(matches(pattern, sample('event-guardduty-finding'))).toBe(false);
    const taggedOk = structuredClone(tagged) as { detail: { state: { value: string } } };
    taggedOk.detail.state.value = 'OK';
    expect(matches(pattern, taggedOk)).toBe(false);
    const otherTags = structuredClone(tagged) as { detail: { alarmTags: Record<string, string> } };
    otherTags.detail.alarmTags = { team: 'payments' };
    expect(matches(pattern, otherTags)).toBe(false);
  });

  it('sends the intake the contract template verbatim, with no plan name (the intake reads the tag)', () => {
    expect(target().Arn).toEqual({ 'Fn::GetAtt': [intakeId(), 'Arn'] });
    expect(target().InputTransformer).toEqual({ InputTemplate: eventBridgeInputTemplate({}) });
    expect(target().InputTransformer.InputTemplate).not.toContain('responsePlanName');
  });

  it('retries for a day, then parks the event in its own dead-letter queue, which only this rule may write to', () => {
    expect(target().RetryPolicy).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 });
    expect(target().DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [tagRuleQueueId(), 'Arn'] } });
    expect(queuePolicyOf(tagRuleQueueId()).filter((s) => s.Effect === 'Allow')).toEqual([
      {
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Principal: { Service: 'events.amazonaws.com' },
        Resource: { 'Fn::GetAtt': [tagRuleQueueId(), 'Arn'] },
        Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [tagRuleId(), 'Arn'] } } },
      },
    ]);
  });

  it('is the only rule EventBridge may invoke the intake for', () => {
    expect(permissionsOf('events.amazonaws.com')).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [intakeId(), 'Arn'] },
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [tagRuleId(), 'Arn'] },
      },
    ]);
  });
});

describe('stack outputs', () => {
  it('give the intake ARN for Function.fromFunctionArn and the dead-letter queue URLs, next to the existing outputs', () => {
    const outputs = template.toJSON().Outputs;
    expect(outputs.TriggerIntakeFunctionArn.Value).toEqual({ 'Fn::GetAtt': [intakeId(), 'Arn'] });
    expect(outputs.TriggerDeadLetterQueueUrl.Value).toEqual({ Ref: intakeQueueId() });
    expect(outputs.TagRuleDeadLetterQueueUrl.Value).toEqual({ Ref: tagRuleQueueId() });
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['ApiEndpoint', 'ExecuteApiArn', 'TableName']));
  });
});
