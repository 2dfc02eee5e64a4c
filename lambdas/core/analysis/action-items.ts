/**
 * Action items: CreateActionItem, GetActionItem, UpdateActionItem, DeleteActionItem, ListActionItems (across
 * analyses by status, or one analysis's). They stay editable after the analysis is published: the work they track
 * goes on. Each change is a committed item the table's change stream carries, which is where integration events
 * (an EventBridge "Action Item Changed") will come from once the event bus exists.
 */
import { ResourceNotFoundError, ServiceQuotaExceededError } from '#core/shared/errors.ts';
import { newId } from '#core/shared/ids.ts';
import { compact, idempotencyKeyOf, retryOnStaleVersion } from '#core/shared/operation.ts';
import { enumOf, list, optional, required, struct, timestamp } from '#core/shared/validation.ts';
import { loadAnalysisRecord } from './analyses.ts';
import { actionItemArn, expectActionItemArn, expectAnalysisArn } from './arns.ts';
import type { AnalysisOperation } from './operation.ts';
import type { ActionItemRecord, ActionItemStatus } from './ports.ts';
import {
  actionItemDescription,
  actionItemPriority,
  actionItemStatus,
  actionItemTitle,
  arnString,
  clientToken,
  contactArn,
  maxResults,
  nextToken,
  trackingLink,
} from './shapes.ts';
import { actionItemView } from './views.ts';

export const MAX_ACTION_ITEMS_PER_ANALYSIS = 200;

const CLOSED: readonly ActionItemStatus[] = ['DONE', 'DISMISSED'];

const createInput = struct({
  analysisArn: required(arnString()),
  title: required(actionItemTitle),
  description: optional(actionItemDescription),
  owner: optional(contactArn),
  priority: optional(actionItemPriority),
  dueDate: optional(timestamp()),
  status: optional(actionItemStatus),
  trackingLink: optional(trackingLink),
  clientToken: optional(clientToken),
});

export const createActionItem = (async (deps, ctx, raw) => {
  const input = createInput.parse(raw, '');
  const idempotency = idempotencyKeyOf('CreateActionItem', input);
  const replay = idempotency ? await deps.store.previousResult<{ arn: string }>(idempotency, ctx.now) : undefined;
  if (replay) return { actionItemArn: replay.arn };
  const { record: analysis } = await loadAnalysisRecord(deps, ctx, input.analysisArn, 'analysisArn');
  if ((await deps.store.countActionItems(analysis.analysisId)) >= MAX_ACTION_ITEMS_PER_ANALYSIS)
    throw new ServiceQuotaExceededError(
      `An analysis holds at most ${MAX_ACTION_ITEMS_PER_ANALYSIS} action items.`,
      'action-items-per-analysis',
      undefined,
      analysis.arn,
    );
  const itemId = newId();
  const status = input.status ?? 'OPEN';
  const item: ActionItemRecord = compact({
    arn: actionItemArn(ctx, analysis.analysisId, itemId),
    actionItemId: itemId,
    analysisArn: analysis.arn,
    analysisId: analysis.analysisId,
    incidentRecordArn: analysis.incidentRecordArn,
    title: input.title,
    description: input.description,
    owner: input.owner,
    priority: input.priority ?? 'MEDIUM',
    dueDate: input.dueDate,
    status,
    trackingLink: input.trackingLink,
    createdTime: ctx.now,
    createdBy: ctx.caller.principalArn,
    lastModifiedTime: ctx.now,
    lastModifiedBy: ctx.caller.principalArn,
    closedTime: CLOSED.includes(status) ? ctx.now : undefined,
  });
  const created = await deps.store.createActionItem(item, idempotency, ctx.now);
  return { actionItemArn: created.arn };
}) satisfies AnalysisOperation;

const loadItem = async (deps: Parameters<AnalysisOperation>[0], ctx: Parameters<AnalysisOperation>[1], arn: string) => {
  const { analysisId, itemId } = expectActionItemArn(ctx, arn, 'arn');
  const found = await deps.store.getActionItem(analysisId, itemId);
  if (!found || found.record.arn !== arn)
    throw new ResourceNotFoundError(`Action item ${arn} does not exist.`, undefined, arn);
  return found;
};

const arnInput = struct({ arn: required(arnString()) });

export const getActionItem = (async (deps, ctx, raw) => {
  const input = arnInput.parse(raw, '');
  return { actionItem: actionItemView((await loadItem(deps, ctx, input.arn)).record) };
}) satisfies AnalysisOperation;

const CLEARABLE = ['description', 'owner', 'dueDate', 'trackingLink'] as const;

const updateInput = struct({
  arn: required(arnString()),
  title: optional(actionItemTitle),
  description: optional(actionItemDescription),
  owner: optional(contactArn),
  priority: optional(actionItemPriority),
  dueDate: optional(timestamp()),
  status: optional(actionItemStatus),
  trackingLink: optional(trackingLink),
  /** Members to remove (an owner who left, a due date no longer planned). */
  clearFields: optional(list(enumOf(CLEARABLE), { min: 1, max: CLEARABLE.length })),
  clientToken: optional(clientToken),
});

export const updateActionItem = (async (deps, ctx, raw) => {
  const input = updateInput.parse(raw, '');
  const idempotency = idempotencyKeyOf('UpdateActionItem', input);
  // A partial update: re-read and re-apply when another request changed the item in between.
  await retryOnStaleVersion(async () => {
    const { record, version } = await loadItem(deps, ctx, input.arn);
    const next: ActionItemRecord = { ...record };
    for (const field of input.clearFields ?? []) delete next[field];
    if (input.title !== undefined) next.title = input.title;
    if (input.description !== undefined) next.description = input.description;
    if (input.owner !== undefined) next.owner = input.owner;
    if (input.priority !== undefined) next.priority = input.priority;
    if (input.dueDate !== undefined) next.dueDate = input.dueDate;
    if (input.trackingLink !== undefined) next.trackingLink = input.trackingLink;
    if (input.status !== undefined && input.status !== record.status) {
      next.status = input.status;
      if (CLOSED.includes(input.status)) next.closedTime = ctx.now;
      else delete next.closedTime;
    }
    if (JSON.stringify(next) === JSON.stringify(record)) return;
    next.lastModifiedTime = ctx.now;
    next.lastModifiedBy = ctx.caller.principalArn;
    await deps.store.replaceActionItem(next, version, idempotency, ctx.now);
  });
  return undefined;
}) satisfies AnalysisOperation;

export const deleteActionItem = (async (deps, ctx, raw) => {
  const input = arnInput.parse(raw, '');
  const { analysisId, itemId } = expectActionItemArn(ctx, input.arn, 'arn');
  await deps.store.deleteActionItem(analysisId, itemId);
  return undefined;
}) satisfies AnalysisOperation;

const listInput = struct({
  status: optional(actionItemStatus),
  analysisArn: optional(arnString()),
  owner: optional(contactArn),
  maxResults: optional(maxResults()),
  nextToken: optional(nextToken),
});

/**
 * By status across every analysis (one index query, ordered by due date, undated last), or every item of one
 * analysis; `owner` narrows either.
 */
export const listActionItems = (async (deps, ctx, raw) => {
  const input = listInput.parse(raw, '');
  const analysisId = input.analysisArn
    ? expectAnalysisArn(ctx, input.analysisArn, 'analysisArn').analysisId
    : undefined;
  const page = await deps.store.listActionItems(
    compact({ status: input.status, analysisId, owner: input.owner }),
    input.maxResults ?? 100,
    input.nextToken,
  );
  return compact({ actionItems: page.items.map(actionItemView), nextToken: page.nextToken });
}) satisfies AnalysisOperation;
