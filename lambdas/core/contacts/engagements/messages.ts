/**
 * The message a page delivers, per channel type, as the engagement's fields intend: Subject and Content for EMAIL
 * and VOICE (the "secure" fields), PublicSubject and PublicContent for SMS (falling back to Subject and Content when
 * the caller gave none). Every message carries the page's acknowledgement code and says how to use it.
 */
import type { OutboundMessage } from '../messaging.ts';
import type { PageRecord } from './model.ts';

const spell = (code: string) => code.split('').join(' ');

export const pageMessage = (page: PageRecord, code: string, attempt: number, now: number): OutboundMessage => {
  const sms = page.channelType === 'SMS';
  const subject = sms ? (page.publicSubject ?? page.subject) : page.subject;
  const content = sms ? (page.publicContent ?? page.content) : page.content;
  const acknowledge =
    page.channelType === 'VOICE'
      ? `To acknowledge, use the code ${spell(code)}. Again: ${spell(code)}.`
      : `Acknowledge with code ${code} (aws ssm-contacts accept-page --page-id ${page.arn} --accept-type READ --accept-code ${code}).`;
  const text =
    page.channelType === 'EMAIL'
      ? `${content}\n\nSender: ${page.sender}${page.incidentId ? `\nIncident: ${page.incidentId}` : ''}\n\n${acknowledge}`
      : page.channelType === 'SMS'
        ? `${subject}: ${content} ${acknowledge}`
        : `Incident Manager page from ${page.sender}. ${subject}. ${content}. ${acknowledge}`;
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
    attempt,
    createdTime: now,
  };
};
