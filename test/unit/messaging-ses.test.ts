/**
 * The SES v2 EMAIL sender against a mocked SESv2Client: the SendEmail request it builds (From address, identity ARN,
 * recipient, subject, text body with the code, configuration set), the receipt it returns, and how SES refusals are
 * classified for the paging engine (retry later or give up).
 */
import {
  AccountSuspendedException,
  BadRequestException,
  LimitExceededException,
  MessageRejected,
  SESv2Client,
  SESv2ServiceException,
  SendEmailCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SesEmailSender } from '#adapters/messaging/ses-email-sender.ts';
import { activationMessage, MessageDeliveryError } from '#core/contacts/messaging.ts';

const ses = mockClient(SESv2Client);
afterEach(() => ses.reset());

const CHANNEL_ARN = 'arn:aws:ssm-contacts:eu-west-1:123456789012:contact-channel/alice/0c5d2b7e';
const email = activationMessage(
  {
    type: 'EMAIL',
    address: 'alice@example.com',
    contactArn: 'arn:aws:ssm-contacts:eu-west-1:123456789012:contact/alice',
    arn: CHANNEL_ARN,
    name: 'mail',
  },
  '042917',
  Date.UTC(2026, 0, 1),
);
const sender = (options: Partial<ConstructorParameters<typeof SesEmailSender>[0]> = {}) =>
  new SesEmailSender({
    fromAddress: 'Incident Manager <pager@example.com>',
    client: new SESv2Client({ region: 'eu-west-1' }),
    ...options,
  });

const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MessageDeliveryError);
  return error as MessageDeliveryError;
};
const meta = { $metadata: { httpStatusCode: 400 } };

describe('SendEmail request', () => {
  it('sends a plain-text email from the configured address to the channel address, with the code in the body', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: '0102018f-ses-id' });
    const result = await sender().send(email);

    expect(result).toEqual({ provider: 'ses', providerMessageId: '0102018f-ses-id' });
    const calls = ses.commandCalls(SendEmailCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      FromEmailAddress: 'Incident Manager <pager@example.com>',
      Destination: { ToAddresses: ['alice@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: 'Incident Manager contact channel activation code', Charset: 'UTF-8' },
          Body: { Text: { Data: expect.stringContaining('042917'), Charset: 'UTF-8' } },
        },
      },
    });
  });

  it('sends as the configured identity ARN and through the configuration set when they are set', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'id-2' });
    await sender({
      identityArn: 'arn:aws:ses:eu-west-1:123456789012:identity/example.com',
      configurationSet: 'paging',
    }).send(email);
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input).toMatchObject({
      FromEmailAddressIdentityArn: 'arn:aws:ses:eu-west-1:123456789012:identity/example.com',
      ConfigurationSetName: 'paging',
    });
  });
});

describe('SES refusals', () => {
  it.each([
    [
      'TooManyRequestsException',
      () => new TooManyRequestsException({ message: 'Too many requests', ...meta }),
      'THROTTLED',
    ],
    [
      'a 5xx',
      () =>
        new SESv2ServiceException({
          name: 'InternalFailure',
          $fault: 'server',
          message: 'oops',
          $metadata: { httpStatusCode: 500 },
        }),
      'PROVIDER_UNAVAILABLE',
    ],
    ['a connection reset', () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'NETWORK'],
    [
      'the sending rate',
      () => new LimitExceededException({ message: 'Maximum sending rate exceeded.', ...meta }),
      'THROTTLED',
    ],
  ])('%s is retryable', async (_label, error, reason) => {
    ses.on(SendEmailCommand).rejects(error());
    const failed = await failure(sender().send(email));
    expect(failed).toMatchObject({ provider: 'ses', reason, retryable: true });
  });

  it.each([
    [
      'an invalid address',
      () => new BadRequestException({ message: "Missing final '@domain'", ...meta }),
      'INVALID_ADDRESS',
    ],
    [
      'an unverified identity (sandbox)',
      () =>
        new MessageRejected({
          message:
            'Email address is not verified. The following identities failed the check in region EU-WEST-1: alice@example.com',
          ...meta,
        }),
      'CONFIGURATION',
    ],
    ['a suspended account', () => new AccountSuspendedException({ message: 'suspended', ...meta }), 'CONFIGURATION'],
    [
      'the daily quota',
      () => new LimitExceededException({ message: 'Daily message quota exceeded.', ...meta }),
      'QUOTA_EXCEEDED',
    ],
    [
      'missing permission',
      () =>
        new SESv2ServiceException({
          name: 'AccessDeniedException',
          $fault: 'client',
          message: 'not authorized to perform ses:SendEmail',
          $metadata: { httpStatusCode: 403 },
        }),
      'NOT_AUTHORIZED',
    ],
  ])('%s is not retryable', async (_label, error, reason) => {
    ses.on(SendEmailCommand).rejects(error());
    const failed = await failure(sender().send(email));
    expect(failed).toMatchObject({ provider: 'ses', reason, retryable: false });
    expect(failed.cause).toBeDefined();
    expect(failed.message).toContain(reason);
  });
});
