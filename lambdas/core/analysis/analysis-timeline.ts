/**
 * The analysis's own copy of the incident timeline: ListAnalysisTimelineEvents, CreateAnalysisTimelineEvent,
 * UpdateAnalysisTimelineEvent, DeleteAnalysisTimelineEvent. Any point can be edited or removed (the copy, not the
 * incident's timeline, which stays as it was); nothing changes once the analysis is published.
 */
import { eventReferences } from '#core/incidents/shapes.ts';
import { ConflictError, ResourceNotFoundError } from '#core/shared/errors.ts';
import { newId } from '#core/shared/ids.ts';
import { compact, idempotencyKeyOf } from '#core/shared/operation.ts';
import { enumOf, optional, required, string, struct, timestamp } from '#core/shared/validation.ts';
import { loadAnalysisRecord } from './analyses.ts';
import { expectAnalysisArn } from './arns.ts';
import { readOnlyAnalysis } from './errors.ts';
import type { AnalysisOperation } from './operation.ts';
import type { AnalysisTimelineEventRecord, SectionWrite } from './ports.ts';
import { arnString, clientToken, eventData, eventType, maxResults, nextToken } from './shapes.ts';
import { timelineEventView } from './views.ts';

const eventId = string({ min: 1, max: 50 });

const listInput = struct({
  analysisArn: required(arnString()),
  sortOrder: optional(enumOf(['ASCENDING', 'DESCENDING'] as const)),
  maxResults: optional(maxResults()),
  nextToken: optional(nextToken),
});

export const listAnalysisTimelineEvents = (async (deps, ctx, raw) => {
  const input = listInput.parse(raw, '');
  const { analysisId } = expectAnalysisArn(ctx, input.analysisArn, 'analysisArn');
  if (!input.nextToken && !(await deps.store.getAnalysisRecord(analysisId)))
    throw new ResourceNotFoundError(`Analysis ${input.analysisArn} does not exist.`, undefined, input.analysisArn);
  // Oldest first by default: an analysis reads as a story.
  const page = await deps.store.listTimeline(
    analysisId,
    input.sortOrder !== 'DESCENDING',
    input.maxResults ?? 100,
    input.nextToken,
  );
  return compact({ events: page.items.map(timelineEventView), nextToken: page.nextToken });
}) satisfies AnalysisOperation;

const createInput = struct({
  analysisArn: required(arnString()),
  eventTime: required(timestamp()),
  eventType: required(eventType),
  eventData: required(eventData),
  eventReferences: optional(eventReferences),
  clientToken: optional(clientToken),
});

const outcomeOf = (arn: string, outcome: SectionWrite, what: string) => {
  if (outcome.ok) return;
  if (outcome.reason === 'published') throw readOnlyAnalysis(arn);
  throw new ConflictError(`${what} was modified by another request; read it again.`, undefined, arn);
};

export const createAnalysisTimelineEvent = (async (deps, ctx, raw) => {
  const input = createInput.parse(raw, '');
  const { record } = await loadAnalysisRecord(deps, ctx, input.analysisArn, 'analysisArn');
  if (record.status === 'PUBLISHED') throw readOnlyAnalysis(record.arn);
  const event: AnalysisTimelineEventRecord = compact({
    eventId: newId(),
    eventTime: input.eventTime,
    eventUpdatedTime: ctx.now,
    eventType: input.eventType,
    eventData: input.eventData,
    eventReferences: input.eventReferences?.length ? input.eventReferences : undefined,
    origin: 'ANALYSIS' as const,
  });
  const idempotency = idempotencyKeyOf('CreateAnalysisTimelineEvent', input);
  const replay = idempotency ? await deps.store.previousResult<{ eventId: string }>(idempotency, ctx.now) : undefined;
  if (replay) return { analysisArn: record.arn, eventId: replay.eventId };
  outcomeOf(
    record.arn,
    await deps.store.putTimelineEvent(record.analysisId, event, undefined, idempotency, ctx.now),
    'The analysis',
  );
  return { analysisArn: record.arn, eventId: event.eventId };
}) satisfies AnalysisOperation;

const updateInput = struct({
  analysisArn: required(arnString()),
  eventId: required(eventId),
  eventTime: optional(timestamp()),
  eventType: optional(eventType),
  eventData: optional(eventData),
  eventReferences: optional(eventReferences),
  clientToken: optional(clientToken),
});

export const updateAnalysisTimelineEvent = (async (deps, ctx, raw) => {
  const input = updateInput.parse(raw, '');
  const { record } = await loadAnalysisRecord(deps, ctx, input.analysisArn, 'analysisArn');
  if (record.status === 'PUBLISHED') throw readOnlyAnalysis(record.arn);
  const previous = await deps.store.getTimelineEvent(record.analysisId, input.eventId);
  if (!previous)
    throw new ResourceNotFoundError(
      `Analysis ${record.arn} has no timeline event ${input.eventId}.`,
      'TIMELINE_EVENT',
      input.eventId,
    );
  const next: AnalysisTimelineEventRecord = compact({
    ...previous,
    eventTime: input.eventTime ?? previous.eventTime,
    eventType: input.eventType ?? previous.eventType,
    eventData: input.eventData ?? previous.eventData,
    eventReferences:
      input.eventReferences !== undefined
        ? input.eventReferences.length
          ? input.eventReferences
          : undefined
        : previous.eventReferences,
    eventUpdatedTime: Math.max(ctx.now, previous.eventUpdatedTime + 1),
  });
  const idempotency = idempotencyKeyOf('UpdateAnalysisTimelineEvent', input);
  const outcome = await deps.store.putTimelineEvent(record.analysisId, next, previous, idempotency, ctx.now);
  outcomeOf(record.arn, outcome, `Timeline event ${input.eventId}`);
  return undefined;
}) satisfies AnalysisOperation;

const deleteInput = struct({ analysisArn: required(arnString()), eventId: required(eventId) });

export const deleteAnalysisTimelineEvent = (async (deps, ctx, raw) => {
  const input = deleteInput.parse(raw, '');
  const { record } = await loadAnalysisRecord(deps, ctx, input.analysisArn, 'analysisArn');
  if (record.status === 'PUBLISHED') throw readOnlyAnalysis(record.arn);
  // Deleting an event that is not there succeeds, like DeleteTimelineEvent.
  outcomeOf(record.arn, await deps.store.deleteTimelineEvent(record.analysisId, input.eventId), 'The analysis');
  return undefined;
}) satisfies AnalysisOperation;
