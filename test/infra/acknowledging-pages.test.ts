/**
 * Acknowledging pages in AWS, read from the synthesized template: the acknowledge links' public routes, their KMS
 * HMAC key (the worker may only sign, the link function only verify) and capped function; and, when SMS pages go out
 * from a phone number or pool, the two-way SMS topic (encrypted, publishable by End User Messaging of this account
 * only), its function (SMS answers as the paging identity only) and dead-letter queue.
 */
import { App, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { IncidentManagerStack } from '../../lib/incident-manager-stack.ts';

const PHONE_ID = 'phone-0123456789abcdef0123456789abcdef';
const POOL_ID = 'pool-fedcba9876543210fedcba9876543210';

const build = (context: Record<string, string> = {}) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new IncidentManagerStack(app, 'Test');
  return { stack, template: Template.fromStack(stack) };
};

const idOf = (stack: Stack, construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

/** Every action granted to a role, with the resources. */
const statementsOf = (template: Template, stack: Stack, role: IConstruct): Statement[] =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${idOf(stack, role)}"`))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
const actionsOf = (template: Template, stack: Stack, role: IConstruct) =>
  statementsOf(template, stack, role).flatMap((s) => [s.Action].flat());
const variablesOf = (template: Template, stack: Stack, fn: IConstruct): Record<string, unknown> =>
  template.toJSON().Resources[idOf(stack, fn)].Properties.Environment.Variables;

describe('acknowledge links', () => {
  const { stack, template } = build({ consoleUrl: 'https://console.example.com' });
  const links = stack.acknowledgeLinks;
  const keyRef = { 'Fn::GetAtt': [idOf(stack, links.key), 'Arn'] };

  it('are served by GET and POST /ack without SigV4; every other route keeps IAM authorization', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    const open = routes.filter((r) => r.Properties.AuthorizationType === 'NONE').map((r) => r.Properties.RouteKey);
    expect(open.sort()).toEqual(['GET /ack', 'POST /ack']);
    expect(
      routes
        .filter((r) => r.Properties.AuthorizationType !== 'NONE')
        .every((r) => r.Properties.AuthorizationType === 'AWS_IAM'),
    ).toBe(true);
  });

  it('are signed with a KMS HMAC key that the worker may only sign with and the link function only verify with', () => {
    template.hasResourceProperties('AWS::KMS::Key', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const worker = stack.engagements.worker;
    const kms = (role: IConstruct) =>
      statementsOf(template, stack, role).filter((s) => [s.Action].flat().some((a) => a.startsWith('kms:')));
    expect(kms(worker.role)).toEqual([{ Effect: 'Allow', Action: 'kms:GenerateMac', Resource: keyRef }]);
    expect(kms(links.handler.role)).toEqual([{ Effect: 'Allow', Action: 'kms:VerifyMac', Resource: keyRef }]);
    for (const fn of [worker.function, links.handler.function])
      expect(variablesOf(template, stack, fn)).toMatchObject({
        ACKNOWLEDGE_LINK_KEY_ARN: keyRef,
        ACKNOWLEDGE_LINK_URL: expect.objectContaining({ 'Fn::Join': expect.anything() }),
        CONSOLE_URL: 'https://console.example.com',
      });
  });

  it('run in a capped function that can read pages, record acknowledgements and stop paging, never start it', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Acknowledge links'),
      ReservedConcurrentExecutions: 10,
    });
    const actions = actionsOf(template, stack, links.handler.role);
    expect(actions).toContain('states:StopExecution');
    expect(actions).not.toContain('states:StartExecution');
    expect(actions.filter((a) => /^(ses|sms-voice):/.test(a))).toEqual([]);
  });

  it('leave SMS replies out when no SMS identity is configured', () => {
    expect(stack.smsReplies).toBeUndefined();
    template.resourceCountIs('AWS::SNS::Topic', 0);
    expect(variablesOf(template, stack, stack.engagements.worker.function).SMS_REPLIES_ENABLED).toBeUndefined();
  });
});

describe('SMS replies (two-way SMS)', () => {
  const { stack, template } = build({ smsOriginationIdentity: PHONE_ID });
  const replies = stack.smsReplies!;

  it('arrive on an encrypted, TLS-only topic that End User Messaging of this account alone may publish to', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [idOf(stack, replies.key), 'Arn'] },
    });
    const sourceConditions = {
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: { 'aws:SourceArn': Match.anyValue() },
    };
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'sms-voice.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: sourceConditions,
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'sms-voice.amazonaws.com' },
            Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
            Condition: sourceConditions,
          }),
        ]),
      },
    });
  });

  it('invoke a function that answers as the paging number only, retries twice, then parks the reply with its failure', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: idOf(stack, replies.topic) },
      RedrivePolicy: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [idOf(stack, replies.deadLetterQueue), 'Arn'] } },
      },
    });
    const messaging = statementsOf(template, stack, replies.handler.role).filter((s) =>
      [s.Action].flat().some((a) => /^(ses|sms-voice):/.test(a)),
    );
    expect(messaging).toHaveLength(1);
    expect(messaging[0]!.Action).toBe('sms-voice:SendTextMessage');
    expect(JSON.stringify(messaging[0]!.Resource)).toContain(`phone-number/${PHONE_ID}`);
    const actions = actionsOf(template, stack, replies.handler.role);
    expect(actions).toContain('states:StopExecution');
    expect(actions).not.toContain('states:StartExecution');
    expect(variablesOf(template, stack, replies.handler.function)).toMatchObject({
      SMS_ORIGINATION_IDENTITY: PHONE_ID,
    });
  });

  it('tell the worker that replies reach the stack, and say how to switch two-way SMS on for the number', () => {
    expect(variablesOf(template, stack, stack.engagements.worker.function).SMS_REPLIES_ENABLED).toBe('true');
    const outputs = template.findOutputs('*');
    const command = Object.entries(outputs).find(([id]) => id.includes('TwoWaySmsCommand'))![1].Value;
    expect(JSON.stringify(command)).toContain(
      `aws pinpoint-sms-voice-v2 update-phone-number --phone-number-id ${PHONE_ID} --two-way-enabled --two-way-channel-arn `,
    );
  });

  it('use update-pool for a pool, and are left out for a sender ID, which cannot receive replies', () => {
    const pool = build({ smsOriginationIdentity: POOL_ID });
    const command = Object.entries(pool.template.findOutputs('*')).find(([id]) => id.includes('TwoWaySmsCommand'))![1];
    expect(JSON.stringify(command.Value)).toContain(`update-pool --pool-id ${POOL_ID}`);
    const senderId = build({
      smsOriginationIdentity: 'arn:aws:sms-voice:eu-west-1:111122223333:sender-id/PAGER/GB',
    });
    expect(senderId.stack.smsReplies).toBeUndefined();
    senderId.template.resourceCountIs('AWS::SNS::Topic', 0);
  });
});
