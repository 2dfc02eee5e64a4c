/**
 * The deployed sender factory (per channel type: the real provider when configured, else the log sender with one
 * warning), the settings it reads from the environment, and the send-result contract every sender keeps: a receipt
 * `{ provider, providerMessageId }` on acceptance, a MessageDeliveryError with `retryable` on refusal.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  SendVoiceMessageCommand,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMessageSender, senderPlan } from '#adapters/messaging/create-sender.ts';
import { classifyProviderError } from '#adapters/messaging/delivery-errors.ts';
import { LogMessageSender } from '#adapters/messaging/log-sender.ts';
import { activationMessage, isRetryableDeliveryFailure, MessageDeliveryError } from '#core/contacts/messaging.ts';
import type { ChannelType } from '#core/contacts/ports.ts';
import { loadMessagingConfig } from '#runtime/config.ts';
import { LocalOutbox } from '../../local/outbox.ts';

const ses = mockClient(SESv2Client);
const smsVoice = mockClient(PinpointSMSVoiceV2Client);
afterEach(() => {
  ses.reset();
  smsVoice.reset();
  vi.restoreAllMocks();
});

const ADDRESS: Record<ChannelType, string> = { EMAIL: 'alice@example.com', SMS: '+14255550123', VOICE: '+14255550124' };
const message = (type: ChannelType) =>
  activationMessage(
    {
      type,
      address: ADDRESS[type],
      contactArn: 'arn:aws:ssm-contacts:eu-west-1:123456789012:contact/alice',
      arn: `arn:aws:ssm-contacts:eu-west-1:123456789012:contact-channel/alice/${type.toLowerCase()}`,
      name: type.toLowerCase(),
    },
    '123456',
    Date.UTC(2026, 0, 1),
  );
const clients = () => ({
  ses: new SESv2Client({ region: 'eu-west-1' }),
  smsVoice: new PinpointSMSVoiceV2Client({ region: 'eu-west-1' }),
});
const TYPES: ChannelType[] = ['EMAIL', 'SMS', 'VOICE'];
/** Captures what the logger writes to stderr (Powertools writes warnings and errors there, one JSON line each). */
const captureStderr = () => vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
/** Log lines the LogMessageSender wrote. */
const logLines = (spy: { mock: { calls: unknown[][] } }): Record<string, unknown>[] =>
  spy.mock.calls
    .flatMap(([chunk]) => String(chunk).split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('createMessageSender', () => {
  it('routes every channel type to its provider when all are configured, and warns about none', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    smsVoice.on(SendTextMessageCommand).resolves({ MessageId: 'sms-1' });
    smsVoice.on(SendVoiceMessageCommand).resolves({ MessageId: 'voice-1' });
    const warn = vi.fn();
    const sender = createMessageSender(
      {
        email: { fromAddress: 'pager@example.com', configurationSet: 'mail-events' },
        sms: { originationIdentity: 'pool-abc', configurationSet: 'paging' },
        voice: { originationIdentity: 'phone-def', configurationSet: 'paging' },
      },
      { clients: clients(), warn },
    );

    expect(await sender.send(message('EMAIL'))).toEqual({ provider: 'ses', providerMessageId: 'ses-1' });
    expect(await sender.send(message('SMS'))).toEqual({ provider: 'sms-voice', providerMessageId: 'sms-1' });
    expect(await sender.send(message('VOICE'))).toEqual({ provider: 'sms-voice', providerMessageId: 'voice-1' });
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input).toMatchObject({
      FromEmailAddress: 'pager@example.com',
      ConfigurationSetName: 'mail-events',
      Destination: { ToAddresses: ['alice@example.com'] },
    });
    expect(smsVoice.commandCalls(SendTextMessageCommand)[0]!.args[0].input).toMatchObject({
      OriginationIdentity: 'pool-abc',
      ConfigurationSetName: 'paging',
      DestinationPhoneNumber: '+14255550123',
    });
    expect(smsVoice.commandCalls(SendVoiceMessageCommand)[0]!.args[0].input).toMatchObject({
      OriginationIdentity: 'phone-def',
      ConfigurationSetName: 'paging',
      DestinationPhoneNumber: '+14255550124',
    });
    expect(warn).not.toHaveBeenCalled();
  });

  it.each(TYPES)(
    'falls back to the log sender for %s alone when only that type is unconfigured, with one warning',
    async (missing) => {
      ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
      smsVoice.on(SendTextMessageCommand).resolves({ MessageId: 'sms-1' });
      smsVoice.on(SendVoiceMessageCommand).resolves({ MessageId: 'voice-1' });
      const config = {
        ...(missing === 'EMAIL' ? {} : { email: { fromAddress: 'pager@example.com' } }),
        ...(missing === 'SMS' ? {} : { sms: { originationIdentity: 'pool-abc' } }),
        ...(missing === 'VOICE' ? {} : { voice: { originationIdentity: 'phone-def' } }),
      };
      const warn = vi.fn();
      const stderr = captureStderr();
      const sender = createMessageSender(config, { clients: clients(), warn });

      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toContain(`no delivery provider is configured for ${missing}`);
      expect(warn.mock.calls[0]![1]).toMatchObject({ channelType: missing });

      for (const type of TYPES) {
        const result = await sender.send(message(type));
        expect(result.provider, type).toBe(type === missing ? 'log' : type === 'EMAIL' ? 'ses' : 'sms-voice');
      }
      // The unconfigured type reached no provider; its message (with the code) is in the function's log.
      const providerCalls = ses.commandCalls(SendEmailCommand).length + smsVoice.calls().length;
      expect(providerCalls).toBe(2);
      const logged = logLines(stderr).filter((line) => line.channelType === missing);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ level: 'WARN', address: ADDRESS[missing], text: message(missing).text });
      expect(String(logged[0]!.text).replace(/ /g, '')).toContain('123456');
      expect(senderPlan(config)[missing]).toBe('log');
    },
  );

  it('sends everything to the log when nothing is configured, warning once per channel type at construction', async () => {
    const warn = vi.fn();
    captureStderr();
    const sender = createMessageSender({}, { warn });
    expect(warn.mock.calls.map(([, fields]) => (fields as { channelType: string }).channelType)).toEqual(TYPES);
    expect(warn.mock.calls.map(([, fields]) => (fields as { configureWith: string }).configureWith)).toEqual([
      'EMAIL_FROM_ADDRESS',
      'SMS_ORIGINATION_IDENTITY',
      'VOICE_ORIGINATION_NUMBER',
    ]);
    await sender.send(message('EMAIL'));
    await sender.send(message('SMS'));
    expect(warn).toHaveBeenCalledTimes(3);
    expect(ses.calls()).toHaveLength(0);
    expect(smsVoice.calls()).toHaveLength(0);
  });

  it('warns through the function log by default (the deployed functions pass no warn)', () => {
    const stderr = captureStderr();
    createMessageSender({});
    const logged = logLines(stderr);
    stderr.mockRestore();
    expect(logged.map((line) => [line.level, line.channelType])).toEqual([
      ['WARN', 'EMAIL'],
      ['WARN', 'SMS'],
      ['WARN', 'VOICE'],
    ]);
  });

  it('reads its settings from the environment variables the CDK construct sets', async () => {
    smsVoice.on(SendTextMessageCommand).resolves({ MessageId: 'sms-1' });
    const warn = vi.fn();
    const sender = createMessageSender(
      loadMessagingConfig({ SMS_ORIGINATION_IDENTITY: 'phone-abc', MESSAGING_CONFIGURATION_SET: 'paging' }),
      { clients: clients(), warn },
    );
    await sender.send(message('SMS'));
    expect(smsVoice.commandCalls(SendTextMessageCommand)[0]!.args[0].input).toMatchObject({
      OriginationIdentity: 'phone-abc',
      ConfigurationSetName: 'paging',
    });
    expect(warn.mock.calls.map(([, fields]) => (fields as { channelType: string }).channelType)).toEqual([
      'EMAIL',
      'VOICE',
    ]);
  });
});

describe('loadMessagingConfig', () => {
  it('is empty without settings, so every channel type falls back to the log', () => {
    expect(loadMessagingConfig({})).toEqual({});
    expect(senderPlan(loadMessagingConfig({}))).toEqual({ EMAIL: 'log', SMS: 'log', VOICE: 'log' });
  });

  it('reads each channel type, sharing the End User Messaging configuration set between SMS and VOICE', () => {
    expect(
      loadMessagingConfig({
        EMAIL_FROM_ADDRESS: 'Incident Manager <pager@example.com>',
        EMAIL_IDENTITY_ARN: 'arn:aws:ses:eu-west-1:123456789012:identity/example.com',
        EMAIL_CONFIGURATION_SET: 'mail-events',
        SMS_ORIGINATION_IDENTITY: 'pool-abc',
        VOICE_ORIGINATION_NUMBER: 'phone-def',
        MESSAGING_CONFIGURATION_SET: 'paging',
      }),
    ).toEqual({
      email: {
        fromAddress: 'Incident Manager <pager@example.com>',
        identityArn: 'arn:aws:ses:eu-west-1:123456789012:identity/example.com',
        configurationSet: 'mail-events',
      },
      sms: { originationIdentity: 'pool-abc', configurationSet: 'paging' },
      voice: { originationIdentity: 'phone-def', configurationSet: 'paging' },
    });
  });

  it('refuses half an email configuration and a From value that is no address', () => {
    expect(() =>
      loadMessagingConfig({ EMAIL_IDENTITY_ARN: 'arn:aws:ses:eu-west-1:123456789012:identity/example.com' }),
    ).toThrow(/EMAIL_FROM_ADDRESS must be set/);
    expect(() => loadMessagingConfig({ EMAIL_FROM_ADDRESS: 'pager' })).toThrow(/must be an email address/);
  });
});

describe('the send result contract of the log sender and the local outbox', () => {
  it('LogMessageSender returns a generated id and logs the message with it', async () => {
    const stderr = captureStderr();
    const first = await new LogMessageSender().send(message('SMS'));
    const second = await new LogMessageSender().send(message('SMS'));
    expect(first).toEqual({ provider: 'log', providerMessageId: expect.stringMatching(/^log-[0-9a-f-]{36}$/) });
    expect(second.providerMessageId).not.toBe(first.providerMessageId);
    expect(logLines(stderr)[0]).toMatchObject({ providerMessageId: first.providerMessageId, channelType: 'SMS' });
  });

  it('LocalOutbox returns a generated id and still keeps, appends and prints the message', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outbox-'));
    try {
      const printed: string[] = [];
      const outbox = new LocalOutbox({ file: join(dir, 'outbox.jsonl'), print: (line) => printed.push(line) });
      const result = await outbox.send(message('EMAIL'));
      expect(result).toEqual({
        provider: 'local-outbox',
        providerMessageId: expect.stringMatching(/^outbox-[0-9a-f-]{36}$/),
      });
      expect(outbox.latest()?.activationCode).toBe('123456');
      expect(JSON.parse(await readFile(join(dir, 'outbox.jsonl'), 'utf8'))).toMatchObject({
        address: 'alice@example.com',
      });
      expect(printed[0]).toMatch(/^\[outbox\] email to alice@example\.com/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('MessageDeliveryError', () => {
  it('takes its retryability from the reason unless told otherwise, and keeps the cause', () => {
    const cause = new Error('boom');
    expect(new MessageDeliveryError({ provider: 'x', reason: 'THROTTLED', message: 'm', cause })).toMatchObject({
      name: 'MessageDeliveryError',
      retryable: true,
      cause,
    });
    expect(new MessageDeliveryError({ provider: 'x', reason: 'OPTED_OUT', message: 'm' }).retryable).toBe(false);
    expect(
      new MessageDeliveryError({ provider: 'x', reason: 'REJECTED', retryable: true, message: 'm' }).retryable,
    ).toBe(true);
  });

  it('classifies errors without a provider mapping by fault, status and network code', () => {
    const classify = (error: unknown) => classifyProviderError('p', error);
    expect(classify({ name: 'Whatever', $fault: 'server', $metadata: { httpStatusCode: 503 } })).toMatchObject({
      reason: 'PROVIDER_UNAVAILABLE',
      retryable: true,
    });
    expect(classify({ name: 'Whatever', $metadata: { httpStatusCode: 429 } })).toMatchObject({
      reason: 'THROTTLED',
      retryable: true,
    });
    expect(classify({ name: 'Whatever', $retryable: { throttling: true }, $metadata: {} })).toMatchObject({
      reason: 'THROTTLED',
    });
    expect(classify(Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' }))).toMatchObject({
      reason: 'NETWORK',
      retryable: true,
    });
    expect(classify({ name: 'TimeoutError', message: 'socket timed out' })).toMatchObject({
      reason: 'NETWORK',
      retryable: true,
    });
    expect(classify({ name: 'SomethingInvalid', $fault: 'client', $metadata: { httpStatusCode: 400 } })).toMatchObject({
      reason: 'REJECTED',
      retryable: false,
    });
    expect(
      classify({ name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 403 } }),
    ).toMatchObject({ reason: 'NOT_AUTHORIZED', retryable: false });
    expect(classify('a string')).toMatchObject({ reason: 'UNKNOWN', retryable: true });
    const already = new MessageDeliveryError({ provider: 'q', reason: 'OPTED_OUT', message: 'm' });
    expect(classify(already)).toBe(already);
  });

  it('lets the engine decide on any error: MessageDeliveryError says, anything else counts as transient', () => {
    expect(
      isRetryableDeliveryFailure(new MessageDeliveryError({ provider: 'x', reason: 'INVALID_ADDRESS', message: 'm' })),
    ).toBe(false);
    expect(
      isRetryableDeliveryFailure(new MessageDeliveryError({ provider: 'x', reason: 'NETWORK', message: 'm' })),
    ).toBe(true);
    expect(isRetryableDeliveryFailure(new Error('unexpected'))).toBe(true);
  });
});
