/**
 * The engagement operations of ssm-contacts: StartEngagement, StopEngagement, DescribeEngagement, DescribePage,
 * AcceptPage, ListEngagements, ListPagesByContact, ListPagesByEngagement, ListPageReceipts, ListPageResolutions.
 * Paging itself happens in the workflow's steps (engine.ts); these operations start and stop it and read its records.
 */
import { timingSafeEqual } from 'node:crypto';
import { ValidationError } from '#core/shared/errors.ts';
import { newId } from '#core/shared/ids.ts';
import { compact, idempotent, seconds } from '#core/shared/operation.ts';
import type { RequestContext } from '#core/shared/service-context.ts';
import type { IdempotencyKey } from '#core/shared/storage.ts';
import { enumOf, optional, required, string, struct } from '#core/shared/validation.ts';
import { expectContactsArn, notFoundAs } from '../arns.ts';
import { loadContact } from '../contacts.ts';
import { type ContactsOperation, contactsIdempotencyKey } from '../operation.ts';
import {
  activationCode as acceptCodeShape,
  contactsArn,
  dateTime,
  idempotencyToken,
  maxResults,
  pageSize,
  paginationToken,
} from '../shapes.ts';
import { type AcknowledgementOutcome, acknowledge, stopEngagement as stopTree } from './endings.ts';
import { type EngagementDependencies, newEngagement, rootStages, withEngagements } from './engine.ts';
import type {
  EngagementMessage,
  EngagementRecord,
  IncidentFacts,
  PageRecord,
  PageSummary,
  ReceiptRecord,
} from './model.ts';
import { acceptCodeHash } from './schedule.ts';

const text = (max: number, min = 1) => string({ min, max });
const incidentId = text(1024);
const receiptInfo = text(2048);

// ---- loading -------------------------------------------------------------------------------------------------------

export const loadEngagement = async (deps: EngagementDependencies, ctx: RequestContext, arn: string, field: string) => {
  const { alias, engagementId } = expectContactsArn(ctx, 'engagement', arn, field);
  const found = await deps.engagements.store.getEngagement(engagementId);
  if (!found || found.contactAlias !== alias) throw notFoundAs('engagement', arn);
  return found;
};

export const loadPage = async (deps: EngagementDependencies, ctx: RequestContext, arn: string, field: string) => {
  const { alias, pageId } = expectContactsArn(ctx, 'page', arn, field);
  const found = await deps.engagements.store.getPage(pageId);
  if (!found || found.contactAlias !== alias) throw notFoundAs('page', arn);
  return found;
};

// ---- views ---------------------------------------------------------------------------------------------------------

const engagementSummary = (e: EngagementRecord) =>
  compact({
    EngagementArn: e.arn,
    ContactArn: e.contactArn,
    Sender: e.sender,
    IncidentId: e.incidentId,
    StartTime: seconds(e.startTime),
    StopTime: seconds(e.stopTime),
  });

const pageSummary = (p: PageSummary) =>
  compact({
    PageArn: p.arn,
    EngagementArn: p.engagementArn,
    ContactArn: p.contactArn,
    Sender: p.sender,
    IncidentId: p.incidentId,
    SentTime: seconds(p.sentTime),
    DeliveryTime: seconds(p.deliveryTime),
    ReadTime: seconds(p.readTime),
  });

const receiptView = (r: ReceiptRecord) =>
  compact({
    ContactChannelArn: r.contactChannelArn,
    ReceiptType: r.receiptType,
    ReceiptInfo: r.receiptInfo,
    ReceiptTime: seconds(r.receiptTime),
  });

// ---- StartEngagement / StopEngagement ------------------------------------------------------------------------------

const startInput = struct({
  ContactId: required(contactsArn),
  Sender: required(text(255)),
  Subject: required(text(2048)),
  Content: required(text(8192)),
  PublicSubject: optional(text(2048)),
  PublicContent: optional(text(8192)),
  IncidentId: optional(incidentId),
  IdempotencyToken: optional(idempotencyToken),
});

/**
 * Creates a root engagement for a contact (PERSONAL, ESCALATION or ONCALL_SCHEDULE) and starts its workflow. A
 * repeated idempotency token returns the first engagement and starts its workflow again, which does nothing when it
 * runs (executions are named by engagement id) and makes up for a start lost to a crash after the write.
 */
export async function beginEngagement(
  deps: EngagementDependencies,
  ctx: RequestContext,
  contactId: string,
  message: EngagementMessage,
  idempotency: IdempotencyKey | undefined,
): Promise<{ arn: string; engagementId: string; replayed: boolean }> {
  const { record: contact } = await loadContact(deps, ctx, contactId, 'ContactId');
  const incident = message.incident ?? (await incidentFacts(deps, message.incidentId));
  const engagement = newEngagement(
    ctx,
    contact,
    { ...message, ...(incident ? { incident } : {}) },
    await rootStages(deps, contact),
    deps.engagements.minuteMs,
    { engagementId: newId() },
  );
  const created = await deps.engagements.store.createEngagement(engagement, idempotency, ctx.now);
  await deps.engagements.runner.start(created.engagementId);
  return created;
}

/** What the pages say about IncidentId when it is an incident of this service (best effort: pages go out anyway). */
async function incidentFacts(
  deps: EngagementDependencies,
  incidentId: string | undefined,
): Promise<IncidentFacts | undefined> {
  if (!incidentId || !deps.engagements.incidents) return undefined;
  try {
    return await deps.engagements.incidents.facts(incidentId);
  } catch (error) {
    deps.engagements.warn?.("could not read the incident a page is for; pages carry the caller's text only", {
      incidentId,
      error: String(error),
    });
    return undefined;
  }
}

export const startEngagement = (async (raw, ctx, body) => {
  const deps = withEngagements(raw);
  const input = startInput.parse(body, '');
  const key = contactsIdempotencyKey('StartEngagement', input);
  const begin = () =>
    beginEngagement(
      deps,
      ctx,
      input.ContactId,
      compact({
        sender: input.Sender,
        subject: input.Subject,
        content: input.Content,
        publicSubject: input.PublicSubject,
        publicContent: input.PublicContent,
        incidentId: input.IncidentId,
      }),
      key,
    );
  // A retry after the contact was deleted still answers with the engagement it started (and starts its workflow
  // again, which does nothing when it runs: executions are named by engagement id).
  const replay = async (stored: unknown) => {
    const first = stored as { engagementId: string; arn: string };
    await deps.engagements.runner.start(first.engagementId);
    return first;
  };
  const { arn } = await idempotent(deps.store, key, ctx.now, begin, replay);
  return { EngagementArn: arn };
}) satisfies ContactsOperation<'StartEngagement'>;

const stopInput = struct({ EngagementId: required(contactsArn), Reason: optional(text(255, 0)) });

export const stopEngagement = (async (raw, ctx, body) => {
  const deps = withEngagements(raw);
  const input = stopInput.parse(body, '');
  const engagement = await loadEngagement(deps, ctx, input.EngagementId, 'EngagementId');
  await stopTree(
    deps,
    engagement,
    input.Reason || `Stopped by ${ctx.caller.principalArn}`,
    ctx.now,
    ctx.caller.principalArn,
  );
  return {};
}) satisfies ContactsOperation<'StopEngagement'>;

// ---- Describe ------------------------------------------------------------------------------------------------------

const engagementIdInput = struct({ EngagementId: required(contactsArn) });

export const describeEngagement = (async (raw, ctx, body) => {
  const deps = withEngagements(raw);
  const input = engagementIdInput.parse(body, '');
  const e = await loadEngagement(deps, ctx, input.EngagementId, 'EngagementId');
  return compact({
    ContactArn: e.contactArn,
    EngagementArn: e.arn,
    Sender: e.sender,
    Subject: e.subject,
    Content: e.content,
    PublicSubject: e.publicSubject,
    PublicContent: e.publicContent,
    IncidentId: e.incidentId,
    StartTime: seconds(e.startTime),
    StopTime: seconds(e.stopTime),
  });
}) satisfies ContactsOperation<'DescribeEngagement'>;

const pageIdInput = struct({ PageId: required(contactsArn) });

export const describePage = (async (raw, ctx, body) => {
  const deps = withEngagements(raw);
  const input = pageIdInput.parse(body, '');
  const p = await loadPage(deps, ctx, input.PageId, 'PageId');
  return compact({
    PageArn: p.arn,
    EngagementArn: p.engagementArn,
    ContactArn: p.contactArn,
    Sender: p.sender,
    Subject: p.subject,
    Content: p.content,
    PublicSubject: p.publicSubject,
    PublicContent: p.publicContent,
    IncidentId: p.incidentId,
    SentTime: seconds(p.sentTime),
    ReadTime: seconds(p.readTime),
    DeliveryTime: seconds(p.deliveryTime),
  });
}) satisfies ContactsOperation<'DescribePage'>;

// ---- AcceptPage ----------------------------------------------------------------------------------------------------

const acceptInput = struct({
  PageId: required(contactsArn),
  ContactChannelId: optional(contactsArn),
  AcceptType: required(enumOf(['DELIVERED', 'READ'] as const)),
  Note: optional(receiptInfo),
  AcceptCode: required(acceptCodeShape),
  AcceptCodeValidation: optional(enumOf(['IGNORE', 'ENFORCE'] as const)),
});

const codeMatches = (page: PageRecord, code: string) => {
  const given = Buffer.from(acceptCodeHash(page.arn, code), 'hex');
  // Compare with every code sent (one per delivery attempt), each in constant time.
  return page.acceptCodeHashes.map((h) => timingSafeEqual(given, Buffer.from(h, 'hex'))).includes(true);
};

/**
 * Records a READ or DELIVERED receipt. READ acknowledges: the page's engagement stops paging, and so does its
 * escalation plan when the contact is essential there. AcceptCodeValidation defaults to IGNORE (any code), as the
 * model describes ENFORCE as the optional stricter mode; ENFORCE with a code that was not sent for this page is a
 * ValidationException naming AcceptCode and records nothing.
 */
export const acceptPage = (async (raw, ctx, body) => {
  const deps = withEngagements(raw);
  const input = acceptInput.parse(body, '');
  const page = await loadPage(deps, ctx, input.PageId, 'PageId');
  if (input.ContactChannelId !== undefined)
    expectContactsArn(ctx, 'contact-channel', input.ContactChannelId, 'ContactChannelId');
  if ((input.AcceptCodeValidation ?? 'IGNORE') === 'ENFORCE' && !codeMatches(page, input.AcceptCode))
    throw new ValidationError(
      "1 validation error detected: Value at 'AcceptCode' failed to satisfy constraint: The code is not one sent with this page",
      'AcceptCode',
    );
  await acceptPageAs(deps, ctx, page, {
    acceptType: input.AcceptType,
    via: 'with AcceptPage',
    ...(input.Note !== undefined ? { note: input.Note } : {}),
    ...(input.ContactChannelId !== undefined ? { contactChannelArn: input.ContactChannelId } : {}),
  });
  return {};
}) satisfies ContactsOperation<'AcceptPage'>;

/**
 * AcceptPage's core, shared by the API, SMS replies and acknowledge links: the receipt (READ or DELIVERED), the
 * page's read or delivery time, and for READ the acknowledgement (endings.ts). `onlyIfUnread` makes a second READ of
 * the page (a link clicked twice, a reply sent twice) record nothing: `recorded` is then false.
 */
export async function acceptPageAs(
  deps: EngagementDependencies,
  ctx: RequestContext,
  page: PageRecord,
  options: {
    acceptType: 'READ' | 'DELIVERED';
    via: string;
    note?: string;
    contactChannelArn?: string;
    onlyIfUnread?: boolean;
  },
): Promise<{ recorded: boolean; outcome?: AcknowledgementOutcome }> {
  const receipt: ReceiptRecord = compact({
    pageId: page.pageId,
    receiptType: options.acceptType,
    receiptTime: ctx.now,
    contactChannelArn: options.contactChannelArn ?? page.contactChannelArn,
    receiptInfo: options.note,
    sequence: `accept-${newId().slice(0, 8)}`,
  });
  const recorded = await deps.engagements.store.recordAcceptance(
    page,
    receipt,
    options.acceptType === 'READ' ? 'readTime' : 'deliveryTime',
    { onlyIfUnread: options.onlyIfUnread ?? false },
  );
  if (!recorded) return { recorded };
  if (options.acceptType !== 'READ') return { recorded };
  return { recorded, outcome: await acknowledge(deps, page, ctx.now, options.via) };
}

// ---- lists ---------------------------------------------------------------------------------------------------------

const listEngagementsInput = struct({
  NextToken: optional(paginationToken),
  MaxResults: optional(maxResults),
  IncidentId: optional(incidentId),
  TimeRangeValue: optional(struct({ StartTime: optional(dateTime), EndTime: optional(dateTime) })),
});

/** Newest first; with IncidentId only that incident's engagements; TimeRangeValue bounds StartTime (inclusive). */
export const listEngagements = (async (raw, _ctx, body) => {
  const deps = withEngagements(raw);
  const input = listEngagementsInput.parse(body, '');
  const range = input.TimeRangeValue;
  if (range?.StartTime !== undefined && range.EndTime !== undefined && range.EndTime < range.StartTime)
    throw new ValidationError(
      "1 validation error detected: Value at 'TimeRangeValue.EndTime' failed to satisfy constraint: EndTime must not be before StartTime",
      'TimeRangeValue.EndTime',
    );
  const page = await deps.engagements.store.listEngagements(
    compact({ incidentId: input.IncidentId, startedFrom: range?.StartTime, startedTo: range?.EndTime }),
    pageSize(input.MaxResults),
    input.NextToken,
  );
  return compact({ Engagements: page.items.map(engagementSummary), NextToken: page.nextToken });
}) satisfies ContactsOperation<'ListEngagements'>;

const pagesByContactInput = struct({
  ContactId: required(contactsArn),
  NextToken: optional(paginationToken),
  MaxResults: optional(maxResults),
});

export const listPagesByContact = (async (raw, ctx, body) => {
  const deps = withEngagements(raw);
  const input = pagesByContactInput.parse(body, '');
  const { record } = await loadContact(deps, ctx, input.ContactId, 'ContactId');
  const page = await deps.engagements.store.listPagesByContact(
    record.alias,
    pageSize(input.MaxResults),
    input.NextToken,
  );
  return compact({ Pages: page.items.map(pageSummary), NextToken: page.nextToken });
}) satisfies ContactsOperation<'ListPagesByContact'>;

const pagesByEngagementInput = struct({
  EngagementId: required(contactsArn),
  NextToken: optional(paginationToken),
  MaxResults: optional(maxResults),
});

/** An escalation plan's engagement lists the pages of every contact it engaged; a contact's engagement its own. */
export const listPagesByEngagement = (async (raw, ctx, body) => {
  const deps = withEngagements(raw);
  const input = pagesByEngagementInput.parse(body, '');
  const e = await loadEngagement(deps, ctx, input.EngagementId, 'EngagementId');
  const isRoot = e.rootEngagementId === e.engagementId;
  const page = await deps.engagements.store.listPagesByEngagement(
    e.rootEngagementId,
    isRoot ? undefined : e.engagementId,
    pageSize(input.MaxResults),
    input.NextToken,
  );
  return compact({ Pages: page.items.map(pageSummary), NextToken: page.nextToken });
}) satisfies ContactsOperation<'ListPagesByEngagement'>;

const receiptsInput = struct({
  PageId: required(contactsArn),
  NextToken: optional(paginationToken),
  MaxResults: optional(maxResults),
});

export const listPageReceipts = (async (raw, ctx, body) => {
  const deps = withEngagements(raw);
  const input = receiptsInput.parse(body, '');
  const p = await loadPage(deps, ctx, input.PageId, 'PageId');
  const page = await deps.engagements.store.listReceipts(p.pageId, pageSize(input.MaxResults), input.NextToken);
  return compact({ Receipts: page.items.map(receiptView), NextToken: page.nextToken });
}) satisfies ContactsOperation<'ListPageReceipts'>;

const resolutionsInput = struct({ PageId: required(contactsArn), NextToken: optional(paginationToken) });

/** The path escalation plan > on-call schedule > contact, in one page (at most three entries). */
export const listPageResolutions = (async (raw, ctx, body) => {
  const deps = withEngagements(raw);
  const input = resolutionsInput.parse(body, '');
  const p = await loadPage(deps, ctx, input.PageId, 'PageId');
  // Every resolution fits in the first page, so no NextToken is ever issued and none is valid.
  if (input.NextToken) throw new ValidationError('The NextToken is not valid for this request.', 'NextToken');
  return {
    PageResolutions: p.resolution.map((r) =>
      compact({ ContactArn: r.contactArn, Type: r.type, StageIndex: r.stageIndex }),
    ),
  };
}) satisfies ContactsOperation<'ListPageResolutions'>;
