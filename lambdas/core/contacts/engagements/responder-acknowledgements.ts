/**
 * Acknowledging where the page arrives: an SMS reply with the code, and the email's acknowledge link. Both end in
 * AcceptPage's own core (operations.ts acceptPageAs, READ), so they count exactly as an API acknowledgement does
 * (endings.ts), and both count once (a second reply or click records nothing).
 */
import type { RequestContext } from '#core/shared/service-context.ts';
import type { OutboundMessage } from '../messaging.ts';
import type { AcknowledgeLinks } from './ack-links.ts';
import type { EngagementDependencies } from './engine.ts';
import type { EngagementRecord, PageRecord } from './model.ts';
import { acceptPageAs } from './operations.ts';
import { replyCodeKey } from './schedule.ts';
import { oneSegment } from './sms-text.ts';

/** What a page is about, in a few words (for answers and confirmation pages). */
export const pageTopic = (page: PageRecord) => page.incident?.title ?? page.publicSubject ?? page.subject;

// ---- SMS replies -------------------------------------------------------------------------------------------------

/** An inbound SMS (End User Messaging two-way SMS, delivered through SNS; `npm run reply` locally). */
export interface InboundSms {
  /** The responder's number, E.164 (`originationNumber`). */
  from: string;
  /** Our number that received it (`destinationNumber`). */
  to?: string;
  body: string;
  /** `inboundMessageId`, for the log. */
  messageId?: string;
}

export type ReplyOutcome =
  | 'acknowledged'
  | 'acknowledged-late'
  | 'already-acknowledged'
  | 'no-code'
  | 'no-match'
  /** A keyword End User Messaging answers itself (STOP, HELP...): left alone. */
  | 'keyword';

export interface ReplyResult {
  outcome: ReplyOutcome;
  /** The SMS sent back (none for keywords). */
  answer?: string;
  pageArns: string[];
}

/**
 * Opt-out and help keywords: End User Messaging answers them and opts the number out itself (an opted-out responder
 * can no longer be paged by SMS, which is theirs to decide), so this service never answers them too.
 */
const KEYWORDS = new Set([
  'STOP',
  'ARRET',
  'CANCEL',
  'END',
  'OPT-OUT',
  'OPTOUT',
  'QUIT',
  'REMOVE',
  'TD',
  'UNSUBSCRIBE',
  'HELP',
  'START',
  'UNSTOP',
]);

const CODE = /\b(\d{6,10})\b/;

/**
 * Finds the page an SMS reply answers, by the sender's number and the code it carries (reply-lookup items written
 * with each SMS page), acknowledges it, and answers in one segment. A reply matching nothing gets a short answer
 * saying how to acknowledge.
 */
export async function acknowledgeBySmsReply(
  deps: EngagementDependencies,
  ctx: RequestContext,
  sms: InboundSms,
): Promise<ReplyResult> {
  const body = sms.body.trim();
  if (KEYWORDS.has(body.toUpperCase())) return { outcome: 'keyword', pageArns: [] };
  const code = CODE.exec(body)?.[1];
  const answer = async (outcome: ReplyOutcome, text: string, pages: PageRecord[] = []): Promise<ReplyResult> => {
    await sendAnswer(deps, sms.from, text, pages[0], ctx.now);
    return { outcome, answer: text, pageArns: pages.map((p) => p.arn) };
  };
  if (!code) return answer('no-code', 'To acknowledge a page, reply with the code it carries (6 digits).');
  const pages = await deps.engagements.store.pagesForReply(sms.from, replyCodeKey(sms.from, code), ctx.now);
  if (pages.length === 0)
    return answer(
      'no-match',
      `No page to this number has the code ${code}. Reply with the code from the page, or acknowledge in the console.`,
    );
  let outcome: ReplyOutcome = 'already-acknowledged';
  let late: string | undefined;
  for (const page of pages) {
    const accepted = await acceptPageAs(deps, ctx, page, {
      acceptType: 'READ',
      via: 'by SMS reply',
      note: `SMS reply from ${sms.from}`,
      contactChannelArn: page.contactChannelArn,
      onlyIfUnread: true,
    });
    if (!accepted.recorded) continue;
    if (accepted.outcome?.late) {
      outcome = outcome === 'acknowledged' ? outcome : 'acknowledged-late';
      late = accepted.outcome.stopReason;
    } else outcome = 'acknowledged';
  }
  const topic = pageTopic(pages[0]!);
  if (outcome === 'already-acknowledged')
    return answer(outcome, oneSegment(`Already acknowledged: ${topic}`, '- nothing more to do.'), pages);
  if (outcome === 'acknowledged-late')
    return answer(
      outcome,
      oneSegment(`Noted, but paging for ${topic} had already stopped`, late ? `(${shortReason(late)}).` : '.'),
      pages,
    );
  return answer(outcome, oneSegment(`Acknowledged: ${topic}`, '- you will not be paged again for it.'), pages);
}

/** "Incident arn:... was resolved" reads better as "resolved". */
const shortReason = (reason: string) => reason.replace(/^Incident arn:\S+ was /, '').slice(0, 60);

async function sendAnswer(
  deps: EngagementDependencies,
  to: string,
  text: string,
  page: PageRecord | undefined,
  now: number,
) {
  const message: OutboundMessage = {
    purpose: 'REPLY',
    channelType: 'SMS',
    address: to,
    ...(page ? { contactArn: page.contactArn, contactChannelArn: page.contactChannelArn, pageArn: page.arn } : {}),
    subject: 'Reply',
    text,
    createdTime: now,
  };
  try {
    await deps.messages.send(message);
  } catch (error) {
    // The acknowledgement (if any) is recorded; a lost answer must not make the reply count twice on a retry.
    deps.engagements.warn?.('could not answer an SMS reply', { to, error: String(error) });
  }
}

// ---- acknowledge links -------------------------------------------------------------------------------------------

export type LinkView =
  | { state: 'invalid' | 'expired' | 'not-found' }
  | {
      state: 'confirm' | 'acknowledged' | 'already-acknowledged';
      page: PageRecord;
      engagement?: EngagementRecord;
      /** The page's engagement had stopped before (the acknowledgement is still recorded). */
      stopped: boolean;
    };

async function linkedPage(
  deps: EngagementDependencies,
  links: AcknowledgeLinks,
  token: string,
  now: number,
): Promise<LinkView> {
  const check = await links.check(token, now);
  if (!check.ok) return { state: check.problem };
  const page = await deps.engagements.store.getPage(check.claims.pageId);
  if (!page) return { state: 'not-found' };
  const engagement = await deps.engagements.store.getEngagement(page.engagementId);
  const stopped = engagement?.status === 'STOPPED' || engagement?.status === 'FAILED';
  const base = { page, stopped, ...(engagement ? { engagement } : {}) };
  return page.readTime !== undefined ? { state: 'already-acknowledged', ...base } : { state: 'confirm', ...base };
}

/** GET of a link: what the confirmation page shows. Never changes anything (link scanners open links). */
export const viewAcknowledgeLink = (
  deps: EngagementDependencies,
  links: AcknowledgeLinks,
  token: string,
  now: number,
): Promise<LinkView> => linkedPage(deps, links, token, now);

/** The confirmation's POST: acknowledges the page once. */
export async function acknowledgeByLink(
  deps: EngagementDependencies,
  ctx: RequestContext,
  links: AcknowledgeLinks,
  token: string,
): Promise<LinkView> {
  const view = await linkedPage(deps, links, token, ctx.now);
  if (view.state !== 'confirm') return view;
  const accepted = await acceptPageAs(deps, ctx, view.page, {
    acceptType: 'READ',
    via: 'with the email link',
    note: 'Acknowledged with the email link',
    contactChannelArn: view.page.contactChannelArn,
    onlyIfUnread: true,
  });
  return { ...view, state: accepted.recorded ? 'acknowledged' : 'already-acknowledged' };
}
