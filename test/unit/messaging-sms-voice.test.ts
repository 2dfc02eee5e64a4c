/**
 * The AWS End User Messaging SMS and voice v2 sender against a mocked client: SendTextMessage (origination identity,
 * TRANSACTIONAL, configuration set, the code in the body) and SendVoiceMessage (origination number, SSML that reads
 * the code digit by digit, a voice), the receipt, and how refusals are classified (opt-out and bad numbers are final,
 * throttling and 5xx are retried).
 */
import {
  ConflictException,
  InternalServerException,
  PinpointSMSVoiceV2Client,
  ResourceNotFoundException,
  SendTextMessageCommand,
  SendVoiceMessageCommand,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_VOICE_ID, SmsVoiceSender, voiceSsml } from '#adapters/messaging/sms-voice-sender.ts';
import { activationMessage, MessageDeliveryError, type OutboundMessage } from '#core/contacts/messaging.ts';

const smsVoice = mockClient(PinpointSMSVoiceV2Client);
afterEach(() => smsVoice.reset());

const CHANNEL_ARN = 'arn:aws:ssm-contacts:eu-west-1:123456789012:contact-channel/alice/0c5d2b7e';
const message = (type: 'SMS' | 'VOICE', code = '305172'): OutboundMessage =>
  activationMessage(
    {
      type,
      address: '+14255550123',
      contactArn: 'arn:aws:ssm-contacts:eu-west-1:123456789012:contact/alice',
      arn: CHANNEL_ARN,
      name: 'phone',
    },
    code,
    Date.UTC(2026, 0, 1),
  );
const PHONE_ARN = 'arn:aws:sms-voice:eu-west-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef';
const sender = (options: Partial<ConstructorParameters<typeof SmsVoiceSender>[0]> = {}) =>
  new SmsVoiceSender({
    smsOriginationIdentity: 'pool-0123456789abcdef0123456789abcdef',
    voiceOriginationIdentity: PHONE_ARN,
    client: new PinpointSMSVoiceV2Client({ region: 'eu-west-1' }),
    ...options,
  });
const meta = { $metadata: { httpStatusCode: 400 } };
const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MessageDeliveryError);
  return error as MessageDeliveryError;
};

describe('SMS', () => {
  it('sends a TRANSACTIONAL text from the origination identity to the channel number, with the code in the body', async () => {
    smsVoice.on(SendTextMessageCommand).resolves({ MessageId: 'sms-message-1' });
    const result = await sender().send(message('SMS'));

    expect(result).toEqual({ provider: 'sms-voice', providerMessageId: 'sms-message-1' });
    expect(smsVoice.commandCalls(SendVoiceMessageCommand)).toHaveLength(0);
    const [call] = smsVoice.commandCalls(SendTextMessageCommand);
    expect(call!.args[0].input).toEqual({
      DestinationPhoneNumber: '+14255550123',
      OriginationIdentity: 'pool-0123456789abcdef0123456789abcdef',
      MessageBody: expect.stringContaining('305172'),
      MessageType: 'TRANSACTIONAL',
      Context: { purpose: 'ACTIVATION_CODE', contactChannelArn: CHANNEL_ARN },
    });
    expect(JSON.stringify(call!.args[0].input.Context)).not.toContain('305172');
  });

  it('tags a page with its ARN in Context, so delivery events can name the page', async () => {
    smsVoice.on(SendTextMessageCommand).resolves({ MessageId: 'sms-message-3' });
    const pageArn = 'arn:aws:ssm-contacts:eu-west-1:123456789012:page/alice/8f9a';
    await sender().send({ ...message('SMS'), purpose: 'PAGE', pageArn });
    expect(smsVoice.commandCalls(SendTextMessageCommand)[0]!.args[0].input.Context).toEqual({
      purpose: 'PAGE',
      contactChannelArn: CHANNEL_ARN,
      pageArn,
    });
  });

  it('names the configuration set when one is configured', async () => {
    smsVoice.on(SendTextMessageCommand).resolves({ MessageId: 'sms-message-2' });
    await sender({ configurationSet: 'paging' }).send(message('SMS'));
    expect(smsVoice.commandCalls(SendTextMessageCommand)[0]!.args[0].input.ConfigurationSetName).toBe('paging');
  });
});

describe('VOICE', () => {
  it('calls from the origination number and speaks SSML that reads the code digit by digit, twice', async () => {
    smsVoice.on(SendVoiceMessageCommand).resolves({ MessageId: 'voice-message-1' });
    const result = await sender({ configurationSet: 'paging' }).send(message('VOICE', '305172'));

    expect(result).toEqual({ provider: 'sms-voice', providerMessageId: 'voice-message-1' });
    const input = smsVoice.commandCalls(SendVoiceMessageCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      DestinationPhoneNumber: '+14255550123',
      OriginationIdentity: PHONE_ARN,
      MessageBodyTextType: 'SSML',
      VoiceId: DEFAULT_VOICE_ID,
      ConfigurationSetName: 'paging',
      Context: { purpose: 'ACTIVATION_CODE', contactChannelArn: CHANNEL_ARN },
    });
    const body = input.MessageBody!;
    expect(body).toMatch(/^<speak>.*<\/speak>$/);
    expect(body.match(/3 0 5 1 7 2/g)).toHaveLength(2);
    expect(body.length).toBeLessThanOrEqual(6000); // SendVoiceMessage's SSML limit
  });

  it('escapes text so that it cannot break the SSML', () => {
    expect(voiceSsml('Checkout <p1> & "payments"')).toBe(
      '<speak><break time="1s"/><prosody rate="90%">Checkout &lt;p1&gt; &amp; &quot;payments&quot;</prosody></speak>',
    );
  });

  it('refuses a type it has no identity for, before calling the provider', async () => {
    await expect(sender({ voiceOriginationIdentity: undefined }).send(message('VOICE'))).rejects.toThrow(
      /no voice origination/,
    );
    await expect(sender().send({ ...message('SMS'), channelType: 'EMAIL' })).rejects.toThrow(/SMS and VOICE/);
    expect(smsVoice.calls()).toHaveLength(0);
  });
});

describe('End User Messaging refusals', () => {
  it.each([
    ['ThrottlingException', () => new ThrottlingException({ message: 'Rate exceeded', ...meta }), 'THROTTLED'],
    [
      'InternalServerException',
      () => new InternalServerException({ message: 'oops', $metadata: { httpStatusCode: 500 } }),
      'PROVIDER_UNAVAILABLE',
    ],
    ['a timeout', () => Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }), 'NETWORK'],
  ])('%s is retryable', async (_label, error, reason) => {
    smsVoice.on(SendTextMessageCommand).rejects(error());
    smsVoice.on(SendVoiceMessageCommand).rejects(error());
    for (const type of ['SMS', 'VOICE'] as const) {
      expect(await failure(sender().send(message(type)))).toMatchObject({
        provider: 'sms-voice',
        reason,
        retryable: true,
      });
    }
  });

  it.each([
    [
      'an opted-out number',
      () => new ConflictException({ message: 'opted out', Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT', ...meta }),
      'OPTED_OUT',
    ],
    [
      'an invalid number',
      () =>
        new ValidationException({
          message: 'invalid',
          Reason: 'INVALID_PARAMETER',
          Fields: [{ Name: 'DestinationPhoneNumber', Message: 'not E.164' }],
          ...meta,
        }),
      'INVALID_ADDRESS',
    ],
    [
      'a blocked destination country',
      () => new ValidationException({ message: 'blocked', Reason: 'DESTINATION_COUNTRY_BLOCKED', ...meta }),
      'INVALID_ADDRESS',
    ],
    [
      'another validation failure',
      () => new ValidationException({ message: 'bad', Reason: 'MAXIMUM_SIZE_EXCEEDED', ...meta }),
      'REJECTED',
    ],
    [
      'an unverified number in the sandbox',
      () =>
        new ConflictException({ message: 'not verified', Reason: 'DESTINATION_PHONE_NUMBER_NOT_VERIFIED', ...meta }),
      'CONFIGURATION',
    ],
    [
      'a number without voice',
      () => new ValidationException({ message: 'no voice', Reason: 'VOICE_CAPABILITY_NOT_AVAILABLE', ...meta }),
      'CONFIGURATION',
    ],
    [
      'a missing origination identity',
      () => new ResourceNotFoundException({ message: 'no such pool', ...meta }),
      'CONFIGURATION',
    ],
    [
      'the monthly spend limit',
      () =>
        new ServiceQuotaExceededException({
          message: 'limit',
          Reason: 'MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT',
          ...meta,
        }),
      'QUOTA_EXCEEDED',
    ],
  ])('%s is not retryable', async (_label, error, reason) => {
    smsVoice.on(SendTextMessageCommand).rejects(error());
    const failed = await failure(sender().send(message('SMS')));
    expect(failed).toMatchObject({ provider: 'sms-voice', reason, retryable: false });
    expect(failed.providerError).toBe(error().name);
  });
});
