/**
 * The Notifications construct, read from the synthesized template: the notifier's stream subscription with its
 * on-failure destination, publish scoped to the allowed topics and the one bus, the Slack command's public URL
 * (signature-verified, not IAM) and its access to exactly its secret; cdk-nag clean with the command enabled.
 */
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { TABLE_LOGICAL_ID } from '../../lib/constructs/data-table.ts';
import { IncidentManagerStack } from '../../lib/incident-manager-stack.ts';
import { defaultStack } from '../support/default-stack.ts';

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:incident-chat';
const PATTERN = 'arn:aws:sns:*:111122223333:incident-*';
const SLACK = { workspaces: ['T0ACME'], contacts: { U0ALICE: 'alice' } };

const synth = (context: Record<string, unknown>) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new IncidentManagerStack(app, 'Test');
  return { app, stack, template: Template.fromStack(stack) };
};

const policyStatements = (template: Template) =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
  );
const statementsWith = (template: Template, action: string) =>
  policyStatements(template).filter((s) => [s.Action].flat().includes(action));

describe('the notifier', () => {
  const { template } = synth({
    notificationTopicArns: `${TOPIC},${PATTERN}`,
    slackCommands: JSON.stringify(SLACK),
  });

  it('is the stream s second reader, with batch item failures, bisection, retries and an on-failure destination', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [TABLE_LOGICAL_ID, 'StreamArn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      ParallelizationFactor: 4,
      // A first deploy does not announce the last 24 hours of changes again.
      StartingPosition: 'LATEST',
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              dynamodb: {
                NewImage: {
                  entityType: { S: ['Incident', 'TimelineEvent', 'RelatedItem', 'Engagement', 'Page', 'ActionItem'] },
                },
              },
            }),
          },
          {
            Pattern: JSON.stringify({
              dynamodb: {
                OldImage: {
                  entityType: { S: ['Incident', 'TimelineEvent', 'RelatedItem', 'Engagement', 'Page', 'ActionItem'] },
                },
              },
            }),
          },
        ],
      },
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NotificationsNotifierDeadLetterQueue'), 'Arn'] },
        },
      },
    });
  });

  it('may publish only to the allowed topics, and put events only on its bus', () => {
    const publish = statementsWith(template, 'sns:Publish');
    expect(publish).toHaveLength(1);
    expect(publish[0]).toMatchObject({ Action: 'sns:Publish', Resource: [TOPIC, PATTERN] });
    const put = statementsWith(template, 'events:PutEvents');
    expect(put).toHaveLength(1);
    expect(JSON.stringify(put[0]!.Resource)).toContain('event-bus/default');
    for (const statement of policyStatements(template))
      for (const action of [statement.Action].flat()) expect(action).not.toMatch(/\*/);
  });

  it("knows its bus and the console URL (the stack's web console by default)", () => {
    const [notifier] = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Description: Match.stringLikeRegexp('^Tells the world') },
      }),
    );
    expect(Object.keys(notifier?.Properties.Environment.Variables)).toEqual(
      expect.arrayContaining(['EVENT_BUS_NAME', 'CONSOLE_URL', 'TABLE_NAME']),
    );
  });

  it('grants no publish at all when no topic is allowed, and says so', () => {
    const { template: bare, stack } = defaultStack();
    expect(statementsWith(bare, 'sns:Publish')).toEqual([]);
    const warnings = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data)));
    expect(warnings.some((w) => w.includes('notificationTopicArns'))).toBe(true);
    // No Slack configuration: no public endpoint at all.
    bare.resourceCountIs('AWS::Lambda::Url', 0);
  });

  it('can put events on a bus of its own', () => {
    const { template: own } = synth({ eventBus: 'create' });
    own.resourceCountIs('AWS::Events::EventBus', 1);
    const [put] = statementsWith(own, 'events:PutEvents');
    expect(JSON.stringify(put?.Resource)).toContain('NotificationsBus');
  });

  it('refuses a topic setting that is not an SNS ARN', () => {
    expect(() => synth({ notificationTopicArns: 'arn:aws:sqs:us-east-1:111122223333:queue' })).toThrow(/SNS topic/);
  });
});

describe('the Slack command', () => {
  const { template } = synth({ slackCommands: JSON.stringify(SLACK), notificationTopicArns: TOPIC });

  it('is served by a public function URL (requests are verified with the signing secret, not IAM)', () => {
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
    // Since October 2025 a public URL needs both permissions; InvokeFunction only through the URL.
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunctionUrl',
      FunctionUrlAuthType: 'NONE',
      Principal: '*',
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      InvokedViaFunctionUrl: true,
      Principal: '*',
    });
  });

  it('reads exactly its signing secret, named by ARN (never the value) in its environment', () => {
    const secrets = template.findResources('AWS::SecretsManager::Secret');
    const [secretId] = Object.keys(secrets);
    const reads = statementsWith(template, 'secretsmanager:GetSecretValue');
    expect(reads).toHaveLength(1);
    expect(reads[0]!.Resource).toEqual({ Ref: secretId });
    const [fn] = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Description: Match.stringLikeRegexp('^Slack slash command') },
      }),
    );
    const variables = fn?.Properties.Environment.Variables;
    expect(variables.SLACK_SIGNING_SECRET_ARN).toEqual({ Ref: secretId });
    expect(JSON.parse(variables.SLACK_COMMANDS_CONFIG)).toEqual(SLACK);
    expect(Object.keys(variables).some((k) => /SIGNING_SECRET$/.test(k))).toBe(false);
  });

  it('may invoke itself (deferred commands) and no other function', () => {
    const invokes = statementsWith(template, 'lambda:InvokeFunction').filter((s) =>
      JSON.stringify(s.Resource).includes('NotificationsSlackCommands'),
    );
    expect(invokes).toEqual([
      expect.objectContaining({
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^NotificationsSlackCommandsHandler/), 'Arn'] },
      }),
    ]);
    const selfInvoke = Object.values(template.findResources('AWS::IAM::Policy')).find((p) =>
      JSON.stringify(p).includes(
        '"lambda:InvokeFunction","Effect":"Allow","Resource":{"Fn::GetAtt":["NotificationsSlackCommandsHandler',
      ),
    );
    expect(JSON.stringify(selfInvoke?.Properties.Roles)).toMatch(/NotificationsSlackCommandsRole/);
  });

  it('refuses a Slack configuration with mistakes at synth time', () => {
    expect(() => synth({ slackCommands: '{"workspaces": []}' })).toThrow(/workspaces/);
  });

  it('synthesizes cdk-nag clean, acknowledging only what has a reason', () => {
    const app = new App({
      context: {
        'aws:cdk:bundling-stacks': [],
        slackCommands: JSON.stringify(SLACK),
        notificationTopicArns: `${TOPIC},${PATTERN}`,
        eventBus: 'create',
      },
    });
    new IncidentManagerStack(app, 'NagNotify');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(new AwsSolutionsChecks().validateScope(app).violations.map((v) => v.ruleName)).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });
});
