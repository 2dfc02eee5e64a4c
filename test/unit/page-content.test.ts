/**
 * What pages say (messages.ts, sms-text.ts): SMS in one GSM-7 segment whatever the title, emails with the console
 * link and the incident's ARN once, voice without ARNs; and the acknowledge links' tokens (ack-links.ts).
 */
import { describe, expect, it } from 'vitest';
import { LocalMacSigner } from '#adapters/signing/local-mac-signer.ts';
import { acknowledgeLinks } from '#core/contacts/engagements/ack-links.ts';
import { ago, pageMessage } from '#core/contacts/engagements/messages.ts';
import type { PageRecord } from '#core/contacts/engagements/model.ts';
import { stageStart } from '#core/contacts/engagements/schedule.ts';
import { gsm7Septets, oneSegment, toGsm7 } from '#core/contacts/engagements/sms-text.ts';

const NOW = Date.UTC(2026, 11, 1, 3, 14);
const INCIDENT = 'arn:aws:ssm-incidents::111122223333:incident-record/checkout/0f1e2d3c-aaaa-bbbb-cccc-111122223333';

const page = (overrides: Partial<PageRecord> = {}): PageRecord => ({
  arn: 'arn:aws:ssm-contacts:us-east-1:111122223333:page/alice/p1',
  pageId: 'p1',
  engagementId: 'e1',
  engagementArn: 'arn:aws:ssm-contacts:us-east-1:111122223333:engagement/alice/e1',
  rootEngagementId: 'e1',
  contactArn: 'arn:aws:ssm-contacts:us-east-1:111122223333:contact/alice',
  contactAlias: 'alice',
  contactChannelArn: 'arn:aws:ssm-contacts:us-east-1:111122223333:contact-channel/alice/c1',
  channelType: 'SMS',
  address: '+15555550100',
  stageIndex: 0,
  targetIndex: 0,
  sender: 'Incident Manager',
  subject: 'Incident (impact 2, High): Checkout is failing',
  content: 'Checkout is failing\nImpact: 2 (High)',
  publicSubject: 'Incident, impact 2',
  publicContent: 'Checkout is failing',
  incidentId: INCIDENT,
  incident: { title: 'Checkout is failing', impact: 2, creationTime: NOW - 4 * 60_000 },
  resolution: [],
  createdTime: NOW,
  attempts: 1,
  acceptCodeHashes: [],
  deliveryState: 'PENDING',
  ...overrides,
});

describe('SMS pages', () => {
  it('say what is wrong, in words, how long ago, and how to acknowledge, in one segment', () => {
    const { text } = pageMessage(page(), '482913', 1, NOW, { smsReplies: true });
    expect(text).toBe(
      'Incident, impact 2 (High): Checkout is failing - opened 4 min ago. Reply 482913 to acknowledge.',
    );
    expect(gsm7Septets(text)).toBeLessThanOrEqual(160);
  });

  it('cut a long title, never the code, and stay GSM-7 whatever characters the title has', () => {
    const title = `€{[“Checkout”]} — 💥 ${'card payments time out for every customer in the EU region '.repeat(4)}`;
    const { text } = pageMessage(
      page({ incident: { title, impact: 1, creationTime: NOW - 65 * 60_000 } }),
      '0048',
      1,
      NOW,
      {
        smsReplies: false,
      },
    );
    expect(gsm7Septets(text)).toBeLessThanOrEqual(160);
    expect(gsm7Septets(text)).toBeGreaterThan(150); // the room is used, not wasted
    expect(text.startsWith('Incident, impact 1 (Critical): €{["Checkout"]} - ? card payments')).toBe(true);
    expect(text.endsWith('... - opened 1 h 5 min ago. Ack code 0048 (console).')).toBe(true);
  });

  it('use PublicSubject and PublicContent when the engagement is not for an incident of this service', () => {
    const { text, subject } = pageMessage(
      page({ incident: undefined, incidentId: undefined, publicSubject: 'Disk', publicContent: 'db-1 at 99%' }),
      '111222',
      1,
      NOW,
      { smsReplies: true },
    );
    expect(subject).toBe('Disk');
    expect(text).toBe('Disk: db-1 at 99% - Reply 111222 to acknowledge.');
  });
});

describe('GSM-7', () => {
  it('counts septets (extension characters twice) and refuses characters outside the alphabet', () => {
    expect(gsm7Septets('Hello @ £ é')).toBe(11);
    expect(gsm7Septets('{x}')).toBe(5);
    expect(gsm7Septets('curly ’')).toBeUndefined();
    expect(gsm7Septets('🔥')).toBeUndefined();
  });

  it('transliterates typography and accents, and replaces the rest', () => {
    expect(toGsm7('“Ça” – l’été… naïve ⚡')).toBe('"Ça" - l\'été... naive ?');
  });

  it('fits head and tail in 160 septets, counting extension characters at the cut', () => {
    const text = oneSegment('[]'.repeat(100), 'Reply 123456 to acknowledge.');
    expect(gsm7Septets(text)).toBeLessThanOrEqual(160);
    expect(text.endsWith('... Reply 123456 to acknowledge.')).toBe(true);
  });
});

describe('email pages', () => {
  it('carry the acknowledge link, the console link, the AcceptPage command and the incident ARN once', () => {
    const { text } = pageMessage(page({ channelType: 'EMAIL', address: 'alice@example.com' }), '482913', 2, NOW, {
      smsReplies: true,
      consoleUrl: 'https://console.example.com/',
      acknowledgeLink: 'https://api.example.com/ack?t=abc.def',
      acknowledgeLinks: true,
      linkMinutes: 60,
    });
    expect(text).toContain('Opened 4 min ago (2026-12-01 03:10 UTC). Impact 2: High.');
    expect(text).toContain(
      'open this link and confirm (it works once, for 60 minutes):\n  https://api.example.com/ack?t=abc.def',
    );
    expect(text).toContain(
      `enter code 482913 in the console: https://console.example.com/incident?${new URLSearchParams({ arn: INCIDENT })}`,
    );
    expect(text).toContain(`accept-page --page-id ${page().arn} --accept-type READ --accept-code 482913`);
    expect(text.split(INCIDENT)).toHaveLength(2);
    expect(text).toContain('(delivery attempt 2)');
  });
});

describe('voice pages', () => {
  it('read what the incident is and where to acknowledge, spell the code twice, and never read an ARN', () => {
    const { text } = pageMessage(page({ channelType: 'VOICE' }), '482913', 1, NOW, {
      smsReplies: true,
      acknowledgeLinks: true,
    });
    expect(text).toBe(
      'This is a page from Incident Manager. Incident, impact 2, High: Checkout is failing. It began 4 minutes ago. ' +
        'To acknowledge, reply to the text message with the code, use the link in the email, or enter the code in the console. ' +
        'The code is 4, 8, 2, 9, 1, 3. Again: 4, 8, 2, 9, 1, 3.',
    );
    const direct = pageMessage(
      page({
        channelType: 'VOICE',
        incident: undefined,
        sender: 'arn:aws:iam::111122223333:role/pager-bot',
        content: `Queue arn:aws:sqs:us-east-1:111122223333:orders is backing up`,
      }),
      '1234',
      1,
      NOW,
      { smsReplies: false },
    ).text;
    expect(direct).not.toMatch(/arn:/);
    expect(direct).toContain('Queue orders is backing up');
    expect(direct).toContain('To acknowledge, enter the code in the console.');
  });
});

describe('how long ago', () => {
  it('reads like a person would say it', () => {
    expect([0, 59_999, 60_000, 3_599_999, 3_600_000, 3_900_000, 49 * 3_600_000].map(ago)).toEqual([
      'just now',
      'just now',
      '1 min ago',
      '59 min ago',
      '1 h ago',
      '1 h 5 min ago',
      '2 days ago',
    ]);
  });
});

describe('a stage that reached nobody', () => {
  it('takes no time: the next stage starts when it did', () => {
    const plan = {
      startTime: 0,
      minuteMs: 60_000,
      stages: [10, 5, 5].map((durationInMinutes) => ({ durationInMinutes, targets: [] })),
      skippedStages: [0],
    };
    expect([1, 2, 3].map((n) => stageStart(plan, n) / 60_000)).toEqual([0, 5, 10]);
  });
});

describe('acknowledge link tokens', () => {
  const links = acknowledgeLinks(new LocalMacSigner(), 'https://api.example.com/', 60);
  const tokenOf = (link: string) => new URL(link).searchParams.get('t')!;

  it('are bound to one page and attempt, and expire', async () => {
    const link = await links.linkFor(page(), 2, NOW);
    expect(link.startsWith('https://api.example.com/ack?t=')).toBe(true);
    expect(await links.check(tokenOf(link), NOW + 59 * 60_000)).toEqual({
      ok: true,
      claims: { pageId: 'p1', attempt: 2, expires: NOW / 1000 + 3600 },
    });
    expect(await links.check(tokenOf(link), NOW + 60 * 60_000)).toEqual({ ok: false, problem: 'expired' });
  });

  it('refuse anything altered, signed with another key, or not canonically encoded', async () => {
    const token = tokenOf(await links.linkFor(page(), 1, NOW));
    const [payload, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ v: 1, p: 'other', a: 1, x: NOW / 1000 + 3600 })).toString('base64url');
    const other = tokenOf(await acknowledgeLinks(new LocalMacSigner(), 'https://x').linkFor(page(), 1, NOW));
    const lastBits = mac.slice(0, -1) + (mac.at(-1) === 'A' ? 'B' : 'A');
    for (const bad of [`${forged}.${mac}`, other, `${payload}.${lastBits}`, payload, `${token}.x`, 'x'.repeat(600), ''])
      expect(await links.check(bad, NOW)).toEqual({ ok: false, problem: 'invalid' });
  });
});
