/**
 * Message delivery in the IncidentManager stack, read from the synthesized template: with the cdk context keys set,
 * the contacts function is told the SES / End User Messaging identities and may send as exactly those (one statement
 * per action, named ARNs, no wildcard); without them it gets neither and writes messages to its log. cdk-nag stays
 * clean both ways, and identities IAM cannot name (an E.164 number, a bare sender ID) fail synth with the reason.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { MESSAGE_DELIVERY_CONTEXT_KEYS, type MessageDeliveryProps } from '../../lib/constructs/message-delivery.ts';
import { IncidentManagerStack } from '../../lib/incident-manager-stack.ts';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
type Resource = { Type: string; Properties: Record<string, any> };

const PHONE_ID = 'phone-0123456789abcdef0123456789abcdef';
const POOL_ID = 'pool-fedcba9876543210fedcba9876543210';
const FULL_CONTEXT = {
  emailFromAddress: 'Incident Manager <pager@example.com>',
  emailConfigurationSet: 'mail-events',
  smsOriginationIdentity: POOL_ID,
  voiceOriginationNumber: PHONE_ID,
  messagingConfigurationSet: 'paging',
};
const MESSAGING_VARIABLES = [
  'EMAIL_FROM_ADDRESS',
  'EMAIL_IDENTITY_ARN',
  'EMAIL_CONFIGURATION_SET',
  'SMS_ORIGINATION_IDENTITY',
  'VOICE_ORIGINATION_NUMBER',
  'MESSAGING_CONFIGURATION_SET',
];

const build = (context: Record<string, string> = {}, props?: { messageDelivery?: MessageDeliveryProps }) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new IncidentManagerStack(app, 'Test', props);
  return { app, stack };
};

/** A synthesized stack, with ARNs written out (`${AWS::Partition}`, ...) so statements compare as plain strings. */
const synthesized = (stack: IncidentManagerStack) => {
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
  const flat = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(flat);
    if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if ('Fn::Join' in record) {
        const [separator, parts] = record['Fn::Join'] as [string, unknown[]];
        return parts.map((p) => flat(p)).join(separator);
      }
      if ('Ref' in record && String(record.Ref).startsWith('AWS::')) return `\${${record.Ref}}`;
      return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, flat(v)]));
    }
    return value;
  };
  const idOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  /** Statements of the policies attached to a role. */
  const statementsOf = (role: IConstruct): Statement[] =>
    Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${idOf(role)}"`))
      .flatMap((r) => flat(r.Properties.PolicyDocument.Statement) as Statement[]);
  const messagingStatements = (role: IConstruct) =>
    statementsOf(role).filter((s) => [s.Action].flat().some((a) => a.startsWith('ses:') || a.startsWith('sms-voice:')));
  const variablesOf = (fn: IConstruct): Record<string, unknown> =>
    resources[idOf(fn)]!.Properties.Environment?.Variables ?? {};
  const messagingVariables = (fn: IConstruct) =>
    Object.fromEntries(Object.entries(variablesOf(fn)).filter(([name]) => MESSAGING_VARIABLES.includes(name)));
  const allStatements = () =>
    Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((r) => flat(r.Properties.PolicyDocument.Statement) as Statement[]);
  return { resources, messagingStatements, messagingVariables, allStatements };
};

const arn = (service: string, resource: string) =>
  `arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${resource}`;

describe('with the cdk context keys set', () => {
  const { stack } = build(FULL_CONTEXT);
  const template = synthesized(stack);
  const contacts = stack.api.contactsHandler;

  it('tells the contacts function each identity through the shared environment variable names', () => {
    expect(template.messagingVariables(contacts.function)).toEqual({
      EMAIL_FROM_ADDRESS: 'Incident Manager <pager@example.com>',
      EMAIL_CONFIGURATION_SET: 'mail-events',
      SMS_ORIGINATION_IDENTITY: POOL_ID,
      VOICE_ORIGINATION_NUMBER: PHONE_ID,
      MESSAGING_CONFIGURATION_SET: 'paging',
    });
  });

  it('grants exactly one send action per channel type, on the named identities and configuration sets', () => {
    expect(template.messagingStatements(contacts.role)).toEqual([
      {
        Effect: 'Allow',
        Action: 'ses:SendEmail',
        // The address identity and its domain identity: SES authorizes whichever of the two is verified.
        Resource: [
          arn('ses', 'identity/pager@example.com'),
          arn('ses', 'identity/example.com'),
          arn('ses', 'configuration-set/mail-events'),
        ],
      },
      {
        Effect: 'Allow',
        Action: 'sms-voice:SendTextMessage',
        Resource: [arn('sms-voice', `pool/${POOL_ID}`), arn('sms-voice', 'configuration-set/paging')],
      },
      {
        Effect: 'Allow',
        Action: 'sms-voice:SendVoiceMessage',
        Resource: [arn('sms-voice', `phone-number/${PHONE_ID}`), arn('sms-voice', 'configuration-set/paging')],
      },
    ]);
  });

  it('gives the other functions neither the variables nor the permissions', () => {
    for (const fn of [stack.api.handler, stack.triggerIntake.handler]) {
      expect(template.messagingVariables(fn.function)).toEqual({});
      expect(template.messagingStatements(fn.role)).toEqual([]);
    }
  });

  it('uses no wildcard in any messaging action or resource', () => {
    const statements = template.allStatements().filter((s) => JSON.stringify(s.Action).match(/"(ses|sms-voice):/));
    // One per channel type for the contacts function and the engagement worker, and SMS for the SMS-replies function.
    expect(statements).toHaveLength(7);
    for (const statement of statements)
      expect(JSON.stringify([statement.Action, statement.Resource])).not.toContain('*');
  });
});

describe('without the cdk context keys', () => {
  const { stack } = build();
  const template = synthesized(stack);

  it('sets no delivery variables and grants no messaging permission anywhere (messages go to the log)', () => {
    expect(stack.messageDelivery.configured).toEqual({ email: false, sms: false, voice: false });
    expect(template.messagingVariables(stack.api.contactsHandler.function)).toEqual({});
    const messaging = template.allStatements().filter((s) => JSON.stringify(s.Action).match(/"(ses|sms-voice):/));
    expect(messaging).toEqual([]);
  });
});

describe('identities', () => {
  it('grants only an explicit SES identity ARN (and passes it to the function), e.g. a domain or a shared identity', () => {
    const identity = 'arn:aws:ses:eu-west-1:111122223333:identity/example.com';
    const { stack } = build({ emailFromAddress: 'pager@example.com', emailIdentityArn: identity });
    const template = synthesized(stack);
    expect(template.messagingVariables(stack.api.contactsHandler.function)).toEqual({
      EMAIL_FROM_ADDRESS: 'pager@example.com',
      EMAIL_IDENTITY_ARN: identity,
    });
    expect(template.messagingStatements(stack.api.contactsHandler.role)).toEqual([
      { Effect: 'Allow', Action: 'ses:SendEmail', Resource: identity },
    ]);
  });

  it('accepts origination identities as ARNs (a sender ID only as one) and configures SMS without VOICE', () => {
    const senderId = 'arn:aws:sms-voice:eu-west-1:123456789012:sender-id/ONCALL/DE';
    const { stack } = build({ smsOriginationIdentity: senderId });
    const template = synthesized(stack);
    expect(template.messagingVariables(stack.api.contactsHandler.function)).toEqual({
      SMS_ORIGINATION_IDENTITY: senderId,
    });
    expect(template.messagingStatements(stack.api.contactsHandler.role)).toEqual([
      { Effect: 'Allow', Action: 'sms-voice:SendTextMessage', Resource: senderId },
    ]);
  });

  it('takes stack props over context', () => {
    const { stack } = build(
      { smsOriginationIdentity: POOL_ID },
      { messageDelivery: { voiceOriginationNumber: PHONE_ID } },
    );
    expect(stack.messageDelivery.configured).toEqual({ email: false, sms: false, voice: true });
  });

  it.each([
    [
      { smsOriginationIdentity: '+14255550100' },
      /smsOriginationIdentity must be a phone number ID .* got \+14255550100/,
    ],
    [{ smsOriginationIdentity: 'ONCALL' }, /sender ID ARN/],
    [
      { voiceOriginationNumber: 'arn:aws:sms-voice:eu-west-1:123456789012:sender-id/ONCALL/DE' },
      /voiceOriginationNumber must be an End User Messaging phone-number \/ pool ARN/,
    ],
    [{ voiceOriginationNumber: '+14255550100' }, /voiceOriginationNumber must be a phone number ID/],
    [{ emailIdentityArn: 'arn:aws:ses:eu-west-1:123456789012:identity/example.com' }, /emailFromAddress is required/],
    [{ emailFromAddress: 'pager' }, /emailFromAddress must be an email address/],
    [
      { emailFromAddress: 'pager@example.com', emailIdentityArn: 'arn:aws:ses:eu-west-1:123456789012:identity/*' },
      /emailIdentityArn must be an SES identity ARN/,
    ],
    [{ messagingConfigurationSet: 'paging' }, /only used with smsOriginationIdentity or voiceOriginationNumber/],
    [
      {
        smsOriginationIdentity: POOL_ID,
        messagingConfigurationSet: 'arn:aws:sms-voice:eu-west-1:123456789012:configuration-set/*',
      },
      /configuration set name or ARN/,
    ],
  ])('refuses %j at synth, saying why', (context, message) => {
    expect(() => build(context)).toThrow(message);
  });

  it('uses the context key names the README documents', () => {
    expect(Object.values(MESSAGE_DELIVERY_CONTEXT_KEYS).sort()).toEqual([
      'emailConfigurationSet',
      'emailFromAddress',
      'emailIdentityArn',
      'messagingConfigurationSet',
      'smsOriginationIdentity',
      'voiceOriginationNumber',
    ]);
  });
});

describe('grantTo (for the engagement worker)', () => {
  it('gives another function the same variables and statements in one call', () => {
    const { stack } = build(FULL_CONTEXT);
    const worker = new LambdaFunction(stack, 'Worker', {
      runtime: Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: Code.fromInline('export const handler = () => {};'),
    });
    stack.messageDelivery.grantTo(worker);
    const template = synthesized(stack);
    expect(template.messagingVariables(worker)).toEqual(
      template.messagingVariables(stack.api.contactsHandler.function),
    );
    expect(template.messagingStatements(worker.role!)).toEqual(
      template.messagingStatements(stack.api.contactsHandler.role),
    );
  });
});

describe.each([
  ['with the context keys', FULL_CONTEXT],
  ['without them', {}],
])('cdk-nag AwsSolutions %s', (_label, context) => {
  it('synthesizes with zero findings and no new acknowledgements', () => {
    const { app, stack } = build(context);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const assembly = app.synth(); // throws on any unacknowledged error-level finding
    const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: { violations: { ruleName: string }[] }[];
    };
    expect(report.pluginReports.flatMap((r) => r.violations.map((v) => v.ruleName))).toEqual([]);
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
    const acknowledged = stack.node
      .findAll()
      .filter((c) => c.node.metadata.some((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .map((c) => c.node.path);
    expect(acknowledged.filter((path) => path.includes('MessageDelivery'))).toEqual([]);
    // The X-Ray, log-delivery, executions, runbook-wildcard and dead-letter-queue acknowledgements of cdk-nag.test.ts
    // (the notifier's role and dead-letter queue included, and the access policies; the console's are listed there
    // too), and the acknowledge links' public routes (with an SMS pool: the SMS-replies function's and dead-letter
    // queue's too).
    expect(acknowledged.filter((path) => !/\/Console\//.test(path))).toHaveLength(
      'smsOriginationIdentity' in context ? 24 : 22,
    );
  });
});
