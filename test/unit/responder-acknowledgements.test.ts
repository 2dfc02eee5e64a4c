/** Parsing what responders send (two-way SMS payloads), the `npm run reply` arguments, and the paging settings. */
import { describe, expect, it } from 'vitest';
import { inboundSmsOf } from '#handlers/sms-replies.ts';
import { loadPagingConfig } from '#runtime/config.ts';
import { parseReplyArgs, UsageError } from '../../local/reply.ts';

describe('two-way SMS payloads', () => {
  it('read the sender, the text and the ids End User Messaging sends', () => {
    const message = JSON.stringify({
      originationNumber: '+14255550182',
      destinationNumber: '+12125550101',
      messageKeyword: 'JOIN',
      messageBody: ' 482913 ',
      inboundMessageId: 'cae173d2-66b9-564c-8309-21f858e9fb84',
      previousPublishedMessageId: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    });
    expect(inboundSmsOf(message)).toEqual({
      from: '+14255550182',
      to: '+12125550101',
      body: ' 482913 ',
      messageId: 'cae173d2-66b9-564c-8309-21f858e9fb84',
    });
  });

  it('refuse anything else (not JSON, no E.164 sender, no text)', () => {
    for (const message of [
      'not json',
      '{}',
      '{"originationNumber":"4255550182","messageBody":"1"}',
      '{"originationNumber":"+14255550182"}',
      'null',
    ])
      expect(inboundSmsOf(message)).toBeUndefined();
  });
});

describe('npm run reply arguments', () => {
  it('take the sender and the text', () => {
    expect(parseReplyArgs(['--from', '+15555550100', 'ack', '123456'])).toEqual({
      from: '+15555550100',
      to: '+15555550000',
      body: 'ack 123456',
      json: false,
    });
    expect(parseReplyArgs(['--json', '123456', '--from', '+15555550100', '--to', '+15555550199'])).toMatchObject({
      to: '+15555550199',
      json: true,
    });
    expect(parseReplyArgs(['--from', '+1', '--help'])).toBe('help');
  });

  it('refuse unknown options, a missing sender or text, and numbers that are not E.164', () => {
    for (const argv of [
      ['--from', '+15555550100', '--verbose', '1'],
      ['123456'],
      ['--from', '+15555550100'],
      ['--from', '555-0100', '1'],
    ])
      expect(() => parseReplyArgs(argv)).toThrow(UsageError);
  });
});

describe('paging settings', () => {
  it('read the console URL, acknowledge links and SMS replies', () => {
    expect(
      loadPagingConfig({
        CONSOLE_URL: 'https://console.example.com/',
        ACKNOWLEDGE_LINK_URL: 'https://abc.execute-api.eu-west-1.amazonaws.com',
        ACKNOWLEDGE_LINK_KEY_ARN: 'arn:aws:kms:eu-west-1:111122223333:key/1234',
        SMS_REPLIES_ENABLED: 'true',
      }),
    ).toEqual({
      consoleUrl: 'https://console.example.com',
      acknowledgeLinks: {
        baseUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com',
        keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234',
      },
      smsReplies: true,
    });
    expect(loadPagingConfig({})).toEqual({ smsReplies: false });
  });

  it('refuse a key without a link URL, URLs that are not http(s), and a flag that is not a boolean', () => {
    expect(() => loadPagingConfig({ ACKNOWLEDGE_LINK_KEY_ARN: 'arn:aws:kms:eu-west-1:1:key/1' })).toThrow(
      /ACKNOWLEDGE_LINK_URL/,
    );
    expect(() => loadPagingConfig({ CONSOLE_URL: 'console.example.com' })).toThrow(/CONSOLE_URL/);
    expect(() => loadPagingConfig({ CONSOLE_URL: 'ftp://console.example.com' })).toThrow(/CONSOLE_URL/);
    expect(() => loadPagingConfig({ SMS_REPLIES_ENABLED: 'yes' })).toThrow(/SMS_REPLIES_ENABLED/);
  });
});
