/**
 * What a page says, per channel type. Every page says what is wrong (for an incident of this service: its title and
 * impact in words, as Incident Manager names impacts), how long ago it began, and how to acknowledge:
 *
 * - SMS: one GSM-7 segment (160 characters, sms-text.ts): "Incident, impact 2 (High): <title>, opened 4 min ago.
 *   Reply 482913 to acknowledge." (with two-way SMS; otherwise "Ack code 482913 (console).").
 *   PublicSubject/PublicContent (the "insecure" fields) stand in for the incident for other engagements.
 * - EMAIL: Subject and Content (the "secure" fields), then when it began, the acknowledge link (signed, single use,
 *   expiring: ack-links.ts), the console link, the AcceptPage command, and the incident's ARN, once.
 * - VOICE: read aloud, so no ARNs (an ARN in the caller's text is read as its resource name) and the code digit by
 *   digit, twice; it says where to acknowledge (the SMS reply, the email link, the console).
 */

import { incidentPageUrl } from '#core/shared/console-links.ts';
import type { OutboundMessage } from '../messaging.ts';
import type { PageContentSettings, PageRecord } from './model.ts';
import { oneSegment } from './sms-text.ts';

/** Incident Manager's impact codes, in words (UpdateIncidentRecord's documentation). */
export const IMPACT_WORDS: Readonly<Record<number, string>> = {
  1: 'Critical',
  2: 'High',
  3: 'Medium',
  4: 'Low',
  5: 'No impact',
};

export const impactWords = (impact: number) => IMPACT_WORDS[impact] ?? `impact ${impact}`;

/** "just now", "4 min ago", "1 h 5 min ago", "2 days ago". */
export function ago(ms: number): string {
  const minutes = Math.floor(Math.max(ms, 0) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''} ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/** The same, spoken: "4 minutes ago". */
const agoSpoken = (ms: number) =>
  ago(ms)
    .replace(/(\d+) min\b/, (_m, n: string) => `${n} minute${n === '1' ? '' : 's'}`)
    .replace(/(\d+) h\b/, (_m, n: string) => `${n} hour${n === '1' ? '' : 's'}`);

const spell = (code: string) => code.split('').join(', ');

/** An ARN read aloud is noise: read its resource name instead. */
const withoutArns = (text: string) =>
  text.replace(/arn:[A-Za-z0-9-]+:[A-Za-z0-9-]+:[^\s,;)]*/g, (arn) =>
    arn.slice(Math.max(arn.lastIndexOf('/'), arn.lastIndexOf(':')) + 1),
  );

export interface PageContent extends PageContentSettings {
  /** EMAIL: the signed acknowledge link of this delivery attempt. */
  acknowledgeLink?: string;
}

/** The console's page of an incident (the console routes `/incident?arn=...`). */
/** The incident's page in the web console (core/shared/console-links.ts). */
export const consoleIncidentUrl = (consoleUrl: string, incidentArn: string) =>
  incidentPageUrl(consoleUrl, { arn: incidentArn }) as string;

function smsText(page: PageRecord, code: string, now: number, content: PageContent): string {
  const how = content.smsReplies ? `Reply ${code} to acknowledge.` : `Ack code ${code} (console).`;
  const incident = page.incident;
  if (incident) {
    const head = `Incident, impact ${incident.impact} (${impactWords(incident.impact)}): ${incident.title}`;
    // The title is cut first; when it began and how to acknowledge always fit.
    return oneSegment(head, `- opened ${ago(now - incident.creationTime)}. ${how}`);
  }
  const subject = page.publicSubject ?? page.subject;
  const body = page.publicContent ?? page.content;
  const since = page.createdTime < now - 60_000 ? ` (first sent ${ago(now - page.createdTime)})` : '';
  return oneSegment(`${subject}: ${body}`, `${since}. ${how}`.replace(/^\. /, '- '));
}

function emailText(page: PageRecord, code: string, attempt: number, now: number, content: PageContent): string {
  const incident = page.incident;
  const lines = [page.content, ''];
  if (incident)
    lines.push(
      `Opened ${ago(now - incident.creationTime)} (${new Date(incident.creationTime).toISOString().slice(0, 16).replace('T', ' ')} UTC). Impact ${incident.impact}: ${impactWords(incident.impact)}.`,
      '',
    );
  lines.push('To acknowledge:');
  if (content.acknowledgeLink)
    lines.push(
      `- open this link and confirm (it works once${content.linkMinutes ? `, for ${content.linkMinutes} minutes` : ''}):`,
      `  ${content.acknowledgeLink}`,
    );
  if (content.consoleUrl && page.incidentId)
    lines.push(`- or enter code ${code} in the console: ${consoleIncidentUrl(content.consoleUrl, page.incidentId)}`);
  else lines.push(`- or use code ${code}`);
  lines.push(`- or: aws ssm-contacts accept-page --page-id ${page.arn} --accept-type READ --accept-code ${code}`, '');
  if (page.incidentId) lines.push(`Incident: ${page.incidentId}`);
  lines.push(`Sent by ${page.sender}${attempt > 1 ? ` (delivery attempt ${attempt})` : ''}.`);
  return lines.join('\n');
}

function voiceText(page: PageRecord, code: string, now: number, content: PageContent): string {
  const incident = page.incident;
  const what = incident
    ? `Incident, impact ${incident.impact}, ${impactWords(incident.impact)}: ${incident.title}. It began ${agoSpoken(now - incident.creationTime)}.`
    : `${withoutArns(page.subject)}. ${withoutArns(page.content)}.`;
  const where = [
    ...(content.smsReplies ? ['reply to the text message with the code'] : []),
    ...(content.acknowledgeLinks ? ['use the link in the email'] : []),
    'enter the code in the console',
  ];
  const how = where.length > 1 ? `${where.slice(0, -1).join(', ')}, or ${where.at(-1)}` : where[0];
  return `This is a page from ${withoutArns(page.sender)}. ${what} To acknowledge, ${how}. The code is ${spell(code)}. Again: ${spell(code)}.`;
}

export const pageMessage = (
  page: PageRecord,
  code: string,
  attempt: number,
  now: number,
  content: PageContent = { smsReplies: false },
): OutboundMessage => {
  const sms = page.channelType === 'SMS';
  const subject = sms ? (page.publicSubject ?? page.subject) : page.subject;
  const text =
    page.channelType === 'EMAIL'
      ? emailText(page, code, attempt, now, content)
      : sms
        ? smsText(page, code, now, content)
        : voiceText(page, code, now, content);
  return {
    purpose: 'PAGE',
    channelType: page.channelType,
    address: page.address,
    contactArn: page.contactArn,
    contactChannelArn: page.contactChannelArn,
    subject,
    text,
    acceptCode: code,
    pageArn: page.arn,
    engagementArn: page.engagementArn,
    ...(page.incidentId ? { incidentId: page.incidentId } : {}),
    ...(content.acknowledgeLink ? { acknowledgeLink: content.acknowledgeLink } : {}),
    attempt,
    createdTime: now,
  };
};
