/**
 * The Slack command's building blocks: signature verification (valid, wrong secret, stale, tampered, malformed,
 * rotation), the command grammar, and the authorization configuration (a mistake is an error, never an "allow").
 */
import { describe, expect, it } from 'vitest';
import { isAllowedResponseUrl } from '#adapters/chat/response-url.ts';
import { signingSecretsOf } from '#adapters/chat/signing-secrets.ts';
import { authorize, parseChatAuthorization } from '#core/chat/authorization.ts';
import { ChatUsageError, parseChatCommand } from '#core/chat/commands.ts';
import { slackSignature, verifySlackSignature } from '#http/slack-signature.ts';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const NOW = 1_800_000_000_000;
const TS = String(NOW / 1000);
const BODY = 'token=x&team_id=T0001&user_id=U0042&command=%2Fincident&text=resolve+3f2a9c1e';

const check = (overrides: Partial<Parameters<typeof verifySlackSignature>[0]> = {}) =>
  verifySlackSignature({
    secrets: [SECRET],
    timestamp: TS,
    signature: slackSignature(SECRET, TS, BODY),
    body: BODY,
    now: NOW,
    ...overrides,
  });

describe('Slack signature verification', () => {
  it('accepts a request signed with the signing secret over v0:timestamp:body', () => {
    expect(check()).toEqual({ ok: true });
    // The documented example: https://api.slack.com/authentication/verifying-requests-from-slack
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(slackSignature('8f742231b10e8888abcd99yyyzzz85a5', '1531420618', body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });

  it('refuses a signature made with another secret', () => {
    expect(check({ signature: slackSignature('another-secret', TS, BODY) })).toEqual({
      ok: false,
      reason: 'the signature does not match',
    });
  });

  it('refuses a request older (or newer) than five minutes, even when correctly signed', () => {
    const old = String(NOW / 1000 - 301);
    expect(check({ timestamp: old, signature: slackSignature(SECRET, old, BODY) }).ok).toBe(false);
    const future = String(NOW / 1000 + 301);
    expect(check({ timestamp: future, signature: slackSignature(SECRET, future, BODY) }).ok).toBe(false);
    const recent = String(NOW / 1000 - 299);
    expect(check({ timestamp: recent, signature: slackSignature(SECRET, recent, BODY) }).ok).toBe(true);
  });

  it('refuses a tampered body or timestamp', () => {
    expect(check({ body: BODY.replace('resolve', 'start') }).ok).toBe(false);
    expect(check({ timestamp: String(NOW / 1000 - 1) }).ok).toBe(false);
  });

  it('refuses unsigned and malformed requests, and everything when no secret is configured', () => {
    expect(check({ signature: undefined })).toEqual({ ok: false, reason: 'the request is not signed' });
    expect(check({ timestamp: undefined }).ok).toBe(false);
    expect(check({ timestamp: '17e8' }).ok).toBe(false);
    expect(check({ signature: 'v1=abc' }).ok).toBe(false);
    expect(check({ signature: `${slackSignature(SECRET, TS, BODY)}00` }).ok).toBe(false);
    expect(check({ secrets: [] })).toEqual({ ok: false, reason: 'no signing secret is configured' });
  });

  it('accepts either secret while one is being rotated', () => {
    const secrets = signingSecretsOf(JSON.stringify({ signingSecret: 'new-secret', previousSigningSecret: SECRET }));
    expect(secrets).toEqual(['new-secret', SECRET]);
    expect(check({ secrets }).ok).toBe(true);
    expect(signingSecretsOf(` ${SECRET}\n`)).toEqual([SECRET]);
  });

  it('posts follow-ups to Slack only (and to loopback only locally)', () => {
    expect(isAllowedResponseUrl('https://hooks.slack.com/commands/T1/2/x', false)).toBe(true);
    expect(isAllowedResponseUrl('https://hooks.slack.com.evil.example/commands', false)).toBe(false);
    expect(isAllowedResponseUrl('http://hooks.slack.com/commands', false)).toBe(false);
    expect(isAllowedResponseUrl('http://127.0.0.1:9/x', false)).toBe(false);
    expect(isAllowedResponseUrl('http://127.0.0.1:9/x', true)).toBe(true);
    expect(isAllowedResponseUrl('http://169.254.169.254/latest', true)).toBe(false);
  });
});

describe('the command grammar', () => {
  it('reads every command, with or without an incident reference', () => {
    expect(parseChatCommand('')).toEqual({ name: 'help' });
    expect(parseChatCommand('LIST')).toEqual({ name: 'list' });
    expect(parseChatCommand('show 3f2a9c1e')).toEqual({ name: 'show', ref: '3f2a9c1e' });
    expect(parseChatCommand('ack')).toEqual({ name: 'ack' });
    expect(parseChatCommand('impact 3f2a9c1e 1')).toEqual({ name: 'impact', ref: '3f2a9c1e', impact: 1 });
    expect(parseChatCommand('impact 2')).toEqual({ name: 'impact', impact: 2 });
    expect(parseChatCommand('title  Database   down')).toEqual({ name: 'title', text: 'Database   down' });
    expect(parseChatCommand('note 3f2a9c1e-5b7d rolled back\nto v41')).toEqual({
      name: 'note',
      ref: '3f2a9c1e-5b7d',
      text: 'rolled back\nto v41',
    });
    expect(parseChatCommand('resolve arn:aws:ssm-incidents::1:incident-record/p/x')).toEqual({
      name: 'resolve',
      ref: 'arn:aws:ssm-incidents::1:incident-record/p/x',
    });
    expect(parseChatCommand('start checkout Payments are failing')).toEqual({
      name: 'start',
      plan: 'checkout',
      title: 'Payments are failing',
    });
    expect(parseChatCommand('start checkout')).toEqual({ name: 'start', plan: 'checkout' });
  });

  it('explains what is wrong, with the usage', () => {
    expect(() => parseChatCommand('impact 7')).toThrow(/1 to 5.*Usage: impact/);
    expect(() => parseChatCommand('title')).toThrow(ChatUsageError);
    expect(() => parseChatCommand('start')).toThrow(/response plan is missing/);
    expect(() => parseChatCommand('resolve now please')).toThrow(/not an incident id/);
    expect(() => parseChatCommand('reboot prod')).toThrow(/Unknown command `reboot`/);
  });
});

describe('authorization', () => {
  const config = parseChatAuthorization(
    JSON.stringify({
      apiAppId: 'A0APP',
      workspaces: ['T0001'],
      users: ['U0ALICE', 'U0BOB'],
      commands: { resolve: { users: ['U0ALICE'] }, start: { channels: ['C0INCIDENTS'] } },
      contacts: { U0ALICE: 'alice' },
    }),
  );
  const alice = { apiAppId: 'A0APP', teamId: 'T0001', channelId: 'C0GENERAL', userId: 'U0ALICE' };

  it('allows what is configured and refuses the rest, saying why', () => {
    expect(authorize(config, alice, 'resolve')).toEqual({ allowed: true });
    expect(authorize(config, { ...alice, userId: 'U0BOB' }, 'resolve')).toMatchObject({ allowed: false });
    expect(authorize(config, { ...alice, userId: 'U0BOB' }, 'note')).toEqual({ allowed: true });
    expect(authorize(config, { ...alice, userId: 'U0MALLORY' }, 'list')).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('U0MALLORY'),
    });
    expect(authorize(config, { ...alice, teamId: 'T0OTHER' }, 'help')).toMatchObject({ allowed: false });
    expect(authorize(config, { ...alice, apiAppId: 'A0OTHER' }, 'help')).toMatchObject({ allowed: false });
    expect(authorize(config, alice, 'start')).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('channel'),
    });
    expect(authorize(config, { ...alice, channelId: 'C0INCIDENTS' }, 'start')).toEqual({ allowed: true });
  });

  it('refuses everyone when nothing is configured, and rejects a configuration with mistakes', () => {
    expect(authorize(parseChatAuthorization(undefined), alice, 'help')).toMatchObject({ allowed: false });
    expect(() => parseChatAuthorization('{"workspaces": []}')).toThrow(/workspaces/);
    expect(() => parseChatAuthorization('{"workspaces": ["T1"], "comands": {}}')).toThrow(/unknown.*comands/);
    expect(() => parseChatAuthorization('{"workspaces": ["T1"], "commands": {"reboot": {}}}')).toThrow(/reboot/);
    expect(() => parseChatAuthorization('{"workspaces": ["t-lowercase"]}')).toThrow(/Slack ids/);
    expect(() => parseChatAuthorization('{')).toThrow(/not valid JSON/);
  });
});
