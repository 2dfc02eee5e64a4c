/**
 * Who delivers messages to contact channels (activation codes today, pages next): Amazon SES v2 for EMAIL and AWS End
 * User Messaging SMS and voice v2 for SMS and VOICE, each only when its identity is given (stack props, or cdk context
 * `-c emailFromAddress=... -c smsOriginationIdentity=...`). `grantTo(fn)` sets the function's environment variables
 * AND grants it permission to send as exactly those identities, in one call, so the two never drift apart; a channel
 * type without an identity gets neither, and the function writes its messages to its log (create-sender.ts).
 *
 * The construct creates no AWS resources: verified SES identities, phone numbers, pools and configuration sets are
 * account-level things with their own approval processes (sandbox exit, number registration), made outside the stack.
 *
 * IAM (Service Authorization Reference): `ses:SendEmail` authorizes on the sending identity and the configuration set;
 * `sms-voice:SendTextMessage` on the phone number / pool / sender ID and the configuration set;
 * `sms-voice:SendVoiceMessage` on the phone number / pool and the configuration set. IAM needs ARNs, so an origination
 * identity must be given as an ARN or as a phone number / pool ID (`phone-...`, `pool-...`), never as the bare E.164
 * number or sender ID, which would need a wildcard.
 */
import { Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ENV } from '#runtime/environment.ts';

export interface MessageDeliveryProps {
  /** EMAIL: the From address, `pager@example.com` or `Incident Manager <pager@example.com>`. */
  readonly emailFromAddress?: string;
  /**
   * EMAIL: the SES identity to send as (e.g. `arn:aws:ses:eu-west-1:123456789012:identity/example.com`). Passed to
   * SendEmail and the only identity the grant names. @default the address identity and its domain identity
   */
  readonly emailIdentityArn?: string;
  /** EMAIL: an SES configuration set name (event publishing for deliveries, bounces and complaints). */
  readonly emailConfigurationSet?: string;
  /** SMS: the origination identity: a phone number or pool ID (`phone-...`, `pool-...`) or a phone number, pool or sender ID ARN. */
  readonly smsOriginationIdentity?: string;
  /** VOICE: a voice-capable origination phone number (or pool): ID (`phone-...`, `pool-...`) or ARN. */
  readonly voiceOriginationNumber?: string;
  /** SMS and VOICE: an End User Messaging configuration set, name or ARN. */
  readonly messagingConfigurationSet?: string;
}

/** The cdk context key of each prop (`npx cdk deploy -c emailFromAddress=pager@example.com`). */
export const MESSAGE_DELIVERY_CONTEXT_KEYS: Readonly<Record<keyof MessageDeliveryProps, string>> = {
  emailFromAddress: 'emailFromAddress',
  emailIdentityArn: 'emailIdentityArn',
  emailConfigurationSet: 'emailConfigurationSet',
  smsOriginationIdentity: 'smsOriginationIdentity',
  voiceOriginationNumber: 'voiceOriginationNumber',
  messagingConfigurationSet: 'messagingConfigurationSet',
};

/** The props given as cdk context; empty values count as unset. */
export function messageDeliveryPropsFromContext(scope: Construct): MessageDeliveryProps {
  const props: Record<string, string> = {};
  for (const [prop, key] of Object.entries(MESSAGE_DELIVERY_CONTEXT_KEYS)) {
    const value: unknown = scope.node.tryGetContext(key);
    if (value === undefined || value === null || String(value).trim() === '') continue;
    props[prop] = String(value).trim();
  }
  return props as MessageDeliveryProps;
}

export const SES_SEND_ACTIONS = ['ses:SendEmail'] as const;
export const SMS_SEND_ACTIONS = ['sms-voice:SendTextMessage'] as const;
export const VOICE_SEND_ACTIONS = ['sms-voice:SendVoiceMessage'] as const;

export type OriginationType = 'phone-number' | 'pool' | 'sender-id';

interface Grant {
  readonly actions: readonly string[];
  readonly resources: string[];
}

export class MessageDelivery extends Construct {
  /** The environment variables `grantTo` sets (none when nothing is configured). */
  public readonly environment: Readonly<Record<string, string>>;
  /** Which channel types have a provider. */
  public readonly configured: Readonly<{ email: boolean; sms: boolean; voice: boolean }>;
  private readonly grants: Grant[] = [];
  private smsGrant?: Grant;
  /** What the SMS origination identity is (two-way SMS needs a phone number or pool; a sender ID cannot receive). */
  public smsOriginationType?: OriginationType;

  constructor(scope: Construct, id: string, props: MessageDeliveryProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const environment: Record<string, string> = {};
    const fail = (message: string): never => {
      throw new Error(`MessageDelivery (${this.node.path}): ${message}`);
    };

    // EMAIL (Amazon SES v2)
    const { emailFromAddress, emailIdentityArn, emailConfigurationSet } = props;
    if (!emailFromAddress && (emailIdentityArn || emailConfigurationSet)) {
      fail(
        `${MESSAGE_DELIVERY_CONTEXT_KEYS.emailFromAddress} is required with emailIdentityArn or emailConfigurationSet`,
      );
    }
    if (emailFromAddress) {
      const identities: string[] = [];
      if (emailIdentityArn) {
        if (
          !Token.isUnresolved(emailIdentityArn) &&
          !/^arn:[^:]+:ses:[^:]*:\d{12}:identity\/[^*]+$/.test(emailIdentityArn)
        ) {
          fail(
            `emailIdentityArn must be an SES identity ARN (arn:<partition>:ses:<region>:<account>:identity/<domain or address>), got ${emailIdentityArn}`,
          );
        }
        identities.push(emailIdentityArn);
      } else {
        // Which identity SES authorizes depends on what is verified: the address itself, or only its domain.
        const address = Token.isUnresolved(emailFromAddress) ? undefined : bareAddress(emailFromAddress);
        if (!address)
          fail(
            `emailFromAddress must be an email address (optionally "Name <address>") without wildcards, got ${emailFromAddress}`,
          );
        const domain = address!.slice(address!.lastIndexOf('@') + 1);
        for (const identity of [address!, domain]) {
          identities.push(stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }));
        }
      }
      if (
        emailConfigurationSet &&
        !/^[A-Za-z0-9_-]{1,64}$/.test(emailConfigurationSet) &&
        !Token.isUnresolved(emailConfigurationSet)
      ) {
        fail(`emailConfigurationSet must be an SES configuration set name, got ${emailConfigurationSet}`);
      }
      const configurationSetArns = emailConfigurationSet
        ? [stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: emailConfigurationSet })]
        : [];
      environment[ENV.emailFromAddress] = emailFromAddress;
      if (emailIdentityArn) environment[ENV.emailIdentityArn] = emailIdentityArn;
      if (emailConfigurationSet) environment[ENV.emailConfigurationSet] = emailConfigurationSet;
      this.grants.push({ actions: SES_SEND_ACTIONS, resources: [...identities, ...configurationSetArns] });
    }

    // SMS and VOICE (AWS End User Messaging SMS and voice v2)
    const { smsOriginationIdentity, voiceOriginationNumber, messagingConfigurationSet } = props;
    if (messagingConfigurationSet && !smsOriginationIdentity && !voiceOriginationNumber) {
      fail('messagingConfigurationSet is only used with smsOriginationIdentity or voiceOriginationNumber');
    }
    const smsVoiceArn = (key: string, value: string, allowed: readonly OriginationType[]): string => {
      if (Token.isUnresolved(value)) return value; // a token must resolve to an ARN
      if (value.startsWith('arn:')) {
        const parts = Arn.split(value, ArnFormat.SLASH_RESOURCE_NAME);
        const known = parts.service === 'sms-voice' && allowed.includes(parts.resource as OriginationType);
        if (!known || !parts.resourceName || value.includes('*')) {
          fail(`${key} must be an End User Messaging ${allowed.join(' / ')} ARN, got ${value}`);
        }
        return value;
      }
      const id = /^(phone|pool)-[A-Za-z0-9]+$/.exec(value);
      const resource = id?.[1] === 'phone' ? 'phone-number' : id?.[1] === 'pool' ? 'pool' : undefined;
      if (!resource || !allowed.includes(resource)) {
        const expected = allowed.includes('sender-id')
          ? 'a phone number ID (phone-...), a pool ID (pool-...) or a phone number, pool or sender ID ARN'
          : 'a phone number ID (phone-...), a pool ID (pool-...) or their ARN';
        return fail(
          `${key} must be ${expected}, got ${value}. IAM grants SendTextMessage / SendVoiceMessage on ARNs, and an ` +
            'E.164 number or a bare sender ID has none (`aws pinpoint-sms-voice-v2 describe-phone-numbers` lists ' +
            'PhoneNumberId and PhoneNumberArn).',
        );
      }
      return stack.formatArn({ service: 'sms-voice', resource, resourceName: value });
    };
    if (
      messagingConfigurationSet &&
      !Token.isUnresolved(messagingConfigurationSet) &&
      !/^(arn:[^:]+:sms-voice:[^:]*:\d{12}:configuration-set\/)?[A-Za-z0-9_-]+$/.test(messagingConfigurationSet)
    ) {
      fail(
        `messagingConfigurationSet must be an End User Messaging configuration set name or ARN, got ${messagingConfigurationSet}`,
      );
    }
    const configurationSetArns = messagingConfigurationSet
      ? [
          messagingConfigurationSet.startsWith('arn:') || Token.isUnresolved(messagingConfigurationSet)
            ? messagingConfigurationSet
            : stack.formatArn({
                service: 'sms-voice',
                resource: 'configuration-set',
                resourceName: messagingConfigurationSet,
              }),
        ]
      : [];
    if (smsOriginationIdentity) {
      const origination = smsVoiceArn('smsOriginationIdentity', smsOriginationIdentity, [
        'phone-number',
        'pool',
        'sender-id',
      ]);
      environment[ENV.smsOriginationIdentity] = smsOriginationIdentity;
      this.smsGrant = { actions: SMS_SEND_ACTIONS, resources: [origination, ...configurationSetArns] };
      this.grants.push(this.smsGrant);
      this.smsOriginationType = originationTypeOf(smsOriginationIdentity);
    }
    if (voiceOriginationNumber) {
      const origination = smsVoiceArn('voiceOriginationNumber', voiceOriginationNumber, ['phone-number', 'pool']);
      environment[ENV.voiceOriginationNumber] = voiceOriginationNumber;
      this.grants.push({ actions: VOICE_SEND_ACTIONS, resources: [origination, ...configurationSetArns] });
    }
    if (messagingConfigurationSet) environment[ENV.messagingConfigurationSet] = messagingConfigurationSet;

    this.environment = environment;
    this.configured = { email: !!emailFromAddress, sms: !!smsOriginationIdentity, voice: !!voiceOriginationNumber };
  }

  /**
   * Lets a function deliver messages: sets the delivery environment variables and grants the send actions on the
   * configured identities only, in one call. Nothing is set or granted for a channel type without an identity.
   */
  grantTo(fn: LambdaFunction): void {
    for (const [name, value] of Object.entries(this.environment)) fn.addEnvironment(name, value);
    for (const grant of this.grants) {
      fn.addToRolePolicy(new PolicyStatement({ actions: [...grant.actions], resources: [...grant.resources] }));
    }
  }

  /** Lets a function send SMS only (the SMS-replies function answers replies): SMS variables and SendTextMessage. */
  grantSmsTo(fn: LambdaFunction): void {
    if (!this.smsGrant) return;
    for (const name of [ENV.smsOriginationIdentity, ENV.messagingConfigurationSet]) {
      const value = this.environment[name];
      if (value) fn.addEnvironment(name, value);
    }
    fn.addToRolePolicy(
      new PolicyStatement({ actions: [...this.smsGrant.actions], resources: [...this.smsGrant.resources] }),
    );
  }
}

/** Whether an origination identity (validated ID or ARN) is a phone number, a pool or a sender ID. */
function originationTypeOf(value: string): OriginationType | undefined {
  if (Token.isUnresolved(value)) return undefined;
  if (value.startsWith('arn:')) return Arn.split(value, ArnFormat.SLASH_RESOURCE_NAME).resource as OriginationType;
  return value.startsWith('phone-') ? 'phone-number' : value.startsWith('pool-') ? 'pool' : undefined;
}

/** `pager@example.com` from `pager@example.com` or `Incident Manager <pager@example.com>`; undefined if neither. */
export function bareAddress(from: string): string | undefined {
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from;
  return /^[^\s@<>*"]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/.test(address.trim()) ? address.trim() : undefined;
}
