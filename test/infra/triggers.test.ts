/**
 * The trigger constructs as a user's own stack synthesizes them, with the intake imported by ARN from the deployed
 * IncidentManager stack: the rules and subscriptions, what they send, where failures go, which permissions they
 * create (all in the user's stack, each scoped to one rule or topic), and a clean cdk-nag run next to our stack.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Alarm, AlarmRule, CompositeAlarm, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { type IFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { eventBridgeInputTemplate, TRIGGER_MAPPING_RESOURCE_TYPE } from '#core/alerting/contract.ts';
import { DEFAULT_RUNBOOK_ROLE_PREFIX, runbookWildcards } from '../../lib/constructs/runbook-workflow.ts';
import { IncidentManagerStack } from '../../lib/incident-manager-stack.ts';
import { AlarmLambdaActionTrigger, AlarmTrigger, EventTrigger, SnsTopicTrigger } from '../../lib/index.ts';

const INTAKE_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:IncidentManager-TriggerIntakeFunction-AbC123';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:ops-alarms';

type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Principal?: any; Condition?: unknown };

/** A user's stack (environment-agnostic, like most) with the intake imported the way the README shows. */
function userStack(app = new App()) {
  const stack = new Stack(app, 'Checkout');
  const intake: IFunction = LambdaFunction.fromFunctionArn(stack, 'Intake', INTAKE_ARN);
  const alarm = new Alarm(stack, 'Errors', {
    metric: new Metric({ namespace: 'Checkout', metricName: 'Errors' }),
    threshold: 1,
    evaluationPeriods: 1,
  });
  return { app, stack, intake, alarm };
}

/** The logical id of a construct's CloudFormation resource (an L1 itself, or an L2's default child). */
const logicalIdOf = (construct: IConstruct): string =>
  Stack.of(construct).getLogicalId(
    CfnElement.isCfnElement(construct) ? construct : (construct.node.defaultChild as CfnElement),
  );

const synth = (stack: Stack) => {
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const idOf = (construct: IConstruct) => logicalIdOf(construct);
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const queuePolicyOf = (queue: IConstruct): Statement[] =>
    ofType('AWS::SQS::QueuePolicy')
      .filter(([, r]) => JSON.stringify(r.Properties.Queues) === JSON.stringify([{ Ref: idOf(queue) }]))
      .flatMap(([, r]) => r.Properties.PolicyDocument.Statement as Statement[]);
  return { template, resources, idOf, ofType, queuePolicyOf };
};

const TLS_ONLY = expect.objectContaining({
  Effect: 'Deny',
  Action: 'sqs:*',
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});
const RETRY_FOR_A_DAY = { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 };

describe('AlarmTrigger', () => {
  const build = (onOk?: 'ignore' | 'timeline') => {
    const user = userStack();
    const trigger = new AlarmTrigger(user.stack, 'ErrorsOpenIncidents', {
      alarm: user.alarm,
      responsePlanName: 'checkout',
      intake: user.intake,
      onOk,
    });
    return { ...user, trigger, ...synth(user.stack) };
  };

  it("matches only its own alarm's ALARM state changes", () => {
    const { resources, idOf, trigger, alarm } = build();
    expect(resources[idOf(trigger.rule)]!.Properties.EventPattern).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      resources: [{ 'Fn::GetAtt': [idOf(alarm), 'Arn'] }],
      detail: { state: { value: ['ALARM'] } },
    });
    expect(resources[idOf(trigger.rule)]!.Properties.EventBusName).toBeUndefined();
  });

  it('sends the intake exactly the contract template, naming the plan', () => {
    const { resources, idOf, trigger } = build();
    const [target] = resources[idOf(trigger.rule)]!.Properties.Targets;
    expect(target.Arn).toBe(INTAKE_ARN);
    expect(target.InputTransformer).toEqual({
      InputTemplate: eventBridgeInputTemplate({ responsePlanName: 'checkout' }),
    });
    // Not JSON-quoted by CDK: the event placeholder stands unquoted, so the intake receives the event as an object.
    expect(target.InputTransformer.InputTemplate).toMatch(
      /^\{"intake":"eventbridge","responsePlanName":"checkout","ruleArn":"<aws\.events\.rule-arn>","event":<aws\.events\.event(\.json)?>\}$/,
    );
  });

  it('passes the whole event, detail included (EventBridge\'s <aws.events.event> omits "detail"; <aws.events.event.json> has it)', () => {
    const { resources, idOf, trigger } = build();
    const [target] = resources[idOf(trigger.rule)]!.Properties.Targets;
    expect(target.InputTransformer.InputTemplate).toContain('"event":<aws.events.event.json>');
  });

  it("with onOk 'timeline', also forwards OK state changes and says so in the input", () => {
    const { resources, idOf, trigger } = build('timeline');
    const rule = resources[idOf(trigger.rule)]!.Properties;
    expect(rule.EventPattern.detail).toEqual({ state: { value: ['ALARM', 'OK'] } });
    expect(rule.Targets[0].InputTransformer.InputTemplate).toBe(
      eventBridgeInputTemplate({ responsePlanName: 'checkout', onOk: 'timeline' }),
    );
    expect(rule.Targets[0].InputTransformer.InputTemplate).toContain('"onOk":"timeline"');
  });

  it('retries for a day, then parks undeliverable events in an encrypted, TLS-only queue only this rule may write to', () => {
    const { resources, idOf, trigger, queuePolicyOf } = build();
    const [target] = resources[idOf(trigger.rule)]!.Properties.Targets;
    expect(target.RetryPolicy).toEqual(RETRY_FOR_A_DAY);
    expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [idOf(trigger.deadLetterQueue), 'Arn'] } });
    expect(resources[idOf(trigger.deadLetterQueue)]!.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
    const statements = queuePolicyOf(trigger.deadLetterQueue);
    expect(statements).toContainEqual(TLS_ONLY);
    expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([
      {
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Principal: { Service: 'events.amazonaws.com' },
        Resource: { 'Fn::GetAtt': [idOf(trigger.deadLetterQueue), 'Arn'] },
        Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [idOf(trigger.rule), 'Arn'] } } },
      },
    ]);
  });

  it("creates the invoke permission in the user's stack, for this rule only, although the intake is imported", () => {
    const { ofType, idOf, trigger } = build();
    expect(ofType('AWS::Lambda::Permission').map(([, r]) => r.Properties)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: INTAKE_ARN,
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [idOf(trigger.rule), 'Arn'] },
      },
    ]);
  });

  it('shares a dead-letter queue when given one', () => {
    const user = userStack();
    const first = new AlarmTrigger(user.stack, 'A', {
      alarm: user.alarm,
      responsePlanName: 'checkout',
      intake: user.intake,
    });
    new AlarmTrigger(user.stack, 'B', {
      alarm: user.alarm,
      responsePlanName: 'payments',
      intake: user.intake,
      deadLetterQueue: first.deadLetterQueue,
    });
    const { ofType, queuePolicyOf } = synth(user.stack);
    expect(ofType('AWS::SQS::Queue')).toHaveLength(1);
    expect(queuePolicyOf(first.deadLetterQueue).filter((s) => s.Effect === 'Allow')).toHaveLength(2);
  });

  it('refuses a response plan name Incident Manager would reject, at synth time', () => {
    const user = userStack();
    expect(
      () =>
        new AlarmTrigger(user.stack, 'Bad', { alarm: user.alarm, responsePlanName: 'check out', intake: user.intake }),
    ).toThrow(/responsePlanName/);
  });
});

describe('EventTrigger', () => {
  it('routes any event pattern on any bus to the intake, with the plan in the input, a DLQ and a retry policy', () => {
    const user = userStack();
    const bus = new EventBus(user.stack, 'Orders');
    const eventPattern = {
      source: ['checkout.orders'],
      detailType: ['Payment Failed'],
      detail: { severity: ['HIGH'] },
    };
    const trigger = new EventTrigger(user.stack, 'PaymentsFailing', {
      eventPattern,
      eventBus: bus,
      responsePlanName: 'payments',
      intake: user.intake,
    });
    const { resources, idOf, ofType, queuePolicyOf } = synth(user.stack);
    const rule = resources[idOf(trigger.rule)]!.Properties;
    expect(rule.EventBusName).toEqual({ Ref: idOf(bus) });
    expect(rule.EventPattern).toEqual({
      source: ['checkout.orders'],
      'detail-type': ['Payment Failed'],
      detail: { severity: ['HIGH'] },
    });
    expect(rule.Targets[0]).toMatchObject({
      Arn: INTAKE_ARN,
      InputTransformer: { InputTemplate: eventBridgeInputTemplate({ responsePlanName: 'payments' }) },
      RetryPolicy: RETRY_FOR_A_DAY,
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [idOf(trigger.deadLetterQueue), 'Arn'] } },
    });
    expect(queuePolicyOf(trigger.deadLetterQueue)).toContainEqual(TLS_ONLY);
    expect(ofType('AWS::Lambda::Permission').map(([, r]) => r.Properties)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: INTAKE_ARN,
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [idOf(trigger.rule), 'Arn'] },
      },
    ]);
  });
});

describe('SnsTopicTrigger', () => {
  const build = () => {
    const user = userStack();
    const topic = Topic.fromTopicArn(user.stack, 'AlarmTopic', TOPIC_ARN);
    const trigger = new SnsTopicTrigger(user.stack, 'OpsAlarms', {
      topic,
      responsePlanName: 'checkout',
      intake: user.intake,
      onOk: 'timeline',
    });
    return { ...user, trigger, ...synth(user.stack) };
  };

  it('subscribes the intake to the topic with a dead-letter queue', () => {
    const { resources, idOf, trigger } = build();
    expect(resources[idOf(trigger.subscription)]!.Properties).toEqual({
      Protocol: 'lambda',
      Endpoint: INTAKE_ARN,
      TopicArn: TOPIC_ARN,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [idOf(trigger.deadLetterQueue), 'Arn'] } },
    });
  });

  it('lets only this topic write to the dead-letter queue, over TLS, encrypted at rest', () => {
    const { resources, idOf, trigger, queuePolicyOf } = build();
    expect(resources[idOf(trigger.deadLetterQueue)]!.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
    const statements = queuePolicyOf(trigger.deadLetterQueue);
    expect(statements).toContainEqual(TLS_ONLY);
    expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([
      {
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Principal: { Service: 'sns.amazonaws.com' },
        Resource: { 'Fn::GetAtt': [idOf(trigger.deadLetterQueue), 'Arn'] },
        Condition: { ArnEquals: { 'aws:SourceArn': TOPIC_ARN } },
      },
    ]);
  });

  it("lets SNS invoke the intake for this topic only, from the user's stack", () => {
    const { ofType } = build();
    expect(ofType('AWS::Lambda::Permission').map(([, r]) => r.Properties)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: INTAKE_ARN,
        Principal: 'sns.amazonaws.com',
        SourceArn: TOPIC_ARN,
      },
    ]);
  });

  it('registers the topic → plan mapping through the intake, before the subscription delivers anything', () => {
    const { resources, idOf, trigger } = build();
    const mappingId = logicalIdOf(trigger.mapping);
    expect(resources[mappingId]).toMatchObject({
      Type: TRIGGER_MAPPING_RESOURCE_TYPE,
      Properties: { ServiceToken: INTAKE_ARN, SourceArn: TOPIC_ARN, ResponsePlanName: 'checkout', OnOk: 'timeline' },
    });
    expect(resources[idOf(trigger.subscription)]!.DependsOn).toEqual(
      expect.arrayContaining([mappingId, idOf(trigger.invokePermission)]),
    );
  });
});

describe('AlarmLambdaActionTrigger', () => {
  const build = (onOk?: 'timeline') => {
    const user = userStack();
    const trigger = new AlarmLambdaActionTrigger(user.stack, 'ErrorsAction', {
      alarm: user.alarm,
      responsePlanName: 'checkout',
      intake: user.intake,
      onOk,
    });
    return { ...user, trigger, ...synth(user.stack) };
  };

  it('makes the intake the alarm action, and the OK action only with onOk timeline', () => {
    const plain = build();
    expect(plain.resources[plain.idOf(plain.alarm)]!.Properties.AlarmActions).toEqual([INTAKE_ARN]);
    expect(plain.resources[plain.idOf(plain.alarm)]!.Properties.OKActions).toBeUndefined();
    const timeline = build('timeline');
    expect(timeline.resources[timeline.idOf(timeline.alarm)]!.Properties.OKActions).toEqual([INTAKE_ARN]);
  });

  it('registers the alarm → plan mapping, keyed by the alarm ARN', () => {
    const { resources, idOf, alarm, trigger } = build('timeline');
    expect(resources[logicalIdOf(trigger.mapping)]).toMatchObject({
      Type: TRIGGER_MAPPING_RESOURCE_TYPE,
      Properties: {
        ServiceToken: INTAKE_ARN,
        SourceArn: { 'Fn::GetAtt': [idOf(alarm), 'Arn'] },
        ResponsePlanName: 'checkout',
        OnOk: 'timeline',
      },
    });
  });

  it("adds no permission of its own: the intake's stack lets this account's alarms invoke it", () => {
    const { ofType } = build();
    expect(ofType('AWS::Lambda::Permission')).toEqual([]);
  });

  it('works on composite alarms too', () => {
    const user = userStack();
    const composite = new CompositeAlarm(user.stack, 'CheckoutDown', { alarmRule: AlarmRule.anyOf(user.alarm) });
    new AlarmLambdaActionTrigger(user.stack, 'CompositeAction', {
      alarm: composite,
      responsePlanName: 'checkout',
      intake: user.intake,
    });
    const { resources, idOf } = synth(user.stack);
    expect(resources[idOf(composite)]!.Properties.AlarmActions).toEqual([INTAKE_ARN]);
  });
});

/** The README's setup: every construct in a user's stack, the intake imported by ARN, next to our own stack. */
function everyConstruct(app: App) {
  const user = userStack(app);
  const topic = Topic.fromTopicArn(user.stack, 'AlarmTopic', TOPIC_ARN);
  new AlarmTrigger(user.stack, 'AlarmTrigger', {
    alarm: user.alarm,
    responsePlanName: 'checkout',
    intake: user.intake,
    onOk: 'timeline',
  });
  new EventTrigger(user.stack, 'EventTrigger', {
    eventPattern: { source: ['aws.guardduty'], detailType: ['GuardDuty Finding'] },
    responsePlanName: 'security',
    intake: user.intake,
  });
  new SnsTopicTrigger(user.stack, 'SnsTopicTrigger', { topic, responsePlanName: 'checkout', intake: user.intake });
  const actionAlarm = new Alarm(user.stack, 'Latency', {
    metric: new Metric({ namespace: 'Checkout', metricName: 'Latency' }),
    threshold: 2000,
    evaluationPeriods: 3,
  });
  new AlarmLambdaActionTrigger(user.stack, 'AlarmLambdaActionTrigger', {
    alarm: actionAlarm,
    responsePlanName: 'checkout',
    intake: user.intake,
  });
  return user;
}

describe('every construct with an imported intake', () => {
  it('synthesizes without warnings (nothing silently skipped for the imported function)', () => {
    const { stack } = everyConstruct(new App());
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
  });

  it('grants only service principals, each tied to one source ARN', () => {
    const { stack } = everyConstruct(new App());
    const { ofType } = synth(stack);
    for (const [, permission] of ofType('AWS::Lambda::Permission')) {
      expect(permission.Properties.Principal).toMatch(/^(events|sns)\.amazonaws\.com$/);
      expect(permission.Properties.SourceArn).toBeDefined();
    }
    for (const [, policy] of ofType('AWS::SQS::QueuePolicy')) {
      for (const statement of policy.Properties.PolicyDocument.Statement as Statement[]) {
        if (statement.Effect === 'Deny') continue; // the TLS-only statement denies everyone
        expect(statement.Principal).toEqual({ Service: expect.stringMatching(/^(events|sns)\.amazonaws\.com$/) });
        expect(statement.Condition).toEqual({ ArnEquals: { 'aws:SourceArn': expect.anything() } });
      }
    }
  });

  it('gives every EventBridge target and SNS subscription a dead-letter queue', () => {
    const { stack } = everyConstruct(new App());
    const { ofType } = synth(stack);
    const targets = ofType('AWS::Events::Rule').flatMap(([, r]) => r.Properties.Targets as Record<string, unknown>[]);
    expect(targets).toHaveLength(2);
    for (const target of targets)
      expect(target).toMatchObject({ DeadLetterConfig: { Arn: expect.anything() }, RetryPolicy: RETRY_FOR_A_DAY });
    for (const [, subscription] of ofType('AWS::SNS::Subscription'))
      expect(subscription.Properties.RedrivePolicy).toBeDefined();
    for (const [, queue] of ofType('AWS::SQS::Queue')) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
  });
});

/** Every `Validations.of(x).acknowledge(...)` under a scope: construct path and rule id. */
const acknowledgements = (root: IConstruct) =>
  root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          path: c.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );

describe('cdk-nag AwsSolutions over our stack and a user stack using every construct', () => {
  const appWithNag = () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    // Without the web console, whose acknowledgements test/infra/cdk-nag.test.ts lists.
    const ours = new IncidentManagerStack(app, 'IncidentManager', { console: false });
    const user = everyConstruct(app);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    return { app, ours, user };
  };

  it('synthesizes with zero unacknowledged findings', () => {
    const { app } = appWithNag();
    const assembly = app.synth(); // throws on any unacknowledged error-level finding
    const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; violations: { ruleName: string; severity: string }[] }[];
    };
    expect(report.pluginReports.flatMap((r) => r.violations.map((v) => `${v.ruleName} (${v.severity})`))).toEqual([]);
    expect(new AwsSolutionsChecks().validateScope(app).violations.map((v) => v.ruleName)).toEqual([]);
  });

  it('acknowledges only SQS3 on dead-letter queues (and X-Ray on the function roles), each with its reason', () => {
    const { app } = appWithNag();
    const acks = acknowledgements(app);
    for (const ack of acks.filter((a) => a.id === 'AwsSolutions-SQS3')) {
      expect(ack.path).toMatch(/\/DeadLetterQueue$/);
      expect(ack.reason).toMatch(/dead-letter queue/);
    }
    expect(acks.filter((a) => a.path.startsWith('Checkout/')).map((a) => a.id)).toEqual([
      'AwsSolutions-SQS3',
      'AwsSolutions-SQS3',
      'AwsSolutions-SQS3',
    ]);
    // Besides those: StopExecution on the paging state machine's executions (lib/constructs/engagement-workflow.ts),
    // the access policies' execute-api routes (lib/constructs/access-policies.ts) and the acknowledge links' two
    // public routes (lib/constructs/acknowledge-links.ts).
    const executions =
      /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<Engagements\w+\.Name>:\*\]$/;
    // And the runbook workflow's run-time wildcards (lib/constructs/runbook-workflow.ts).
    const runbooks = new Set(
      Object.values(runbookWildcards(DEFAULT_RUNBOOK_ROLE_PREFIX)).map((r) => `AwsSolutions-IAM5[Resource::${r}]`),
    );
    const accessPolicies = /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:execute-api:/;
    expect(
      new Set(
        acks.map((a) => a.id).filter((id) => !executions.test(id) && !runbooks.has(id) && !accessPolicies.test(id)),
      ),
    ).toEqual(new Set(['AwsSolutions-SQS3', 'AwsSolutions-IAM5[Resource::*]', 'AwsSolutions-APIG4']));
    for (const ack of acks.filter((a) => a.id === 'AwsSolutions-APIG4'))
      expect(ack.path).toMatch(/\/AcknowledgeLinks\/(GET|POST)Route$/);
  });
});
