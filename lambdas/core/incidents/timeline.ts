/** CreateTimelineEvent, GetTimelineEvent, UpdateTimelineEvent, DeleteTimelineEvent, ListTimelineEvents. */

import { ResourceNotFoundError, ValidationError } from '#core/shared/errors.ts';
import { newId } from '#core/shared/ids.ts';
import { compact, idempotencyKeyOf, idempotent, seconds } from '#core/shared/operation.ts';
import type { RequestContext } from '#core/shared/service-context.ts';
import { changeTime } from '#core/shared/time.ts';
import { enumOf, type Infer, optional, required, string, struct, timestamp } from '#core/shared/validation.ts';
import { expectIncidentArn } from './arns.ts';
import { EVENT_TYPES, USER_EVENT_TYPES } from './automatic-events.ts';
import { earlierOf, intersect, laterOf, readFilters, stringValuesOf, timeBoundOf } from './filters.ts';
import { loadIncident } from './incidents.ts';
import type { Dependencies, Operation } from './operation.ts';
import type { TimelineEventRecord, TimelineEventSummary, TimelineQuery } from './ports.ts';
import { arnString, clientToken, eventReferences, type Filter, filters, maxResults, nextToken } from './shapes.ts';

const eventId = string({ max: 50 });
const eventType = string({ max: 100 });
const eventData = string({ max: 12000 });

const requireUserEventType = (type: string, field: string) => {
  if (!USER_EVENT_TYPES.includes(type))
    throw new ValidationError(
      `Value at '${field}' must be one of [${USER_EVENT_TYPES.join(', ')}]; other event types are written by the service.`,
      field,
    );
};

const createInput = struct({
  incidentRecordArn: required(arnString()),
  clientToken: optional(clientToken),
  eventTime: required(timestamp()),
  eventType: required(eventType),
  eventData: required(eventData),
  eventReferences: optional(eventReferences),
});

export const createTimelineEvent = (async (deps, ctx, raw) => {
  const input = createInput.parse(raw, '');
  requireUserEventType(input.eventType, 'eventType');
  const key = idempotencyKeyOf('CreateTimelineEvent', input);
  const replay = (stored: unknown) => ({
    incidentRecordArn: input.incidentRecordArn,
    eventId: (stored as { eventId: string }).eventId,
  });
  return idempotent(deps.store, key, ctx.now, () => addEvent(deps, ctx, input), replay);
}) satisfies Operation<'CreateTimelineEvent'>;

const addEvent = async (deps: Dependencies, ctx: RequestContext, input: Infer<typeof createInput>) => {
  const { record } = await loadIncident(deps, ctx, input.incidentRecordArn, 'incidentRecordArn');
  const event: TimelineEventRecord = compact({
    incidentRecordArn: record.arn,
    eventId: newId(),
    eventTime: input.eventTime,
    eventUpdatedTime: ctx.now,
    eventType: input.eventType,
    eventData: input.eventData,
    eventReferences: input.eventReferences?.length ? input.eventReferences : undefined,
  });
  const { eventId: created } = await deps.store.createTimelineEvent(
    record.id,
    event,
    idempotencyKeyOf('CreateTimelineEvent', input),
    ctx.now,
  );
  return { incidentRecordArn: record.arn, eventId: created };
};

/** An EventSummary (ListTimelineEvents): the event without its data. */
const eventSummaryView = (event: TimelineEventSummary) =>
  compact({
    incidentRecordArn: event.incidentRecordArn,
    eventId: event.eventId,
    eventTime: seconds(event.eventTime),
    eventUpdatedTime: seconds(event.eventUpdatedTime),
    eventType: event.eventType,
    eventReferences: event.eventReferences ?? [],
  });

/** A TimelineEvent (GetTimelineEvent): the summary and the event's data. */
const eventView = (event: TimelineEventRecord) => compact({ ...eventSummaryView(event), eventData: event.eventData });

const eventKeyInput = struct({ incidentRecordArn: required(arnString()), eventId: required(eventId) });

const loadEvent = async (deps: Dependencies, ctx: RequestContext, arn: string, id: string) => {
  const { record } = await loadIncident(deps, ctx, arn, 'incidentRecordArn');
  const event = await deps.store.getTimelineEvent(record.id, id);
  if (!event) throw new ResourceNotFoundError(`Timeline event ${id} does not exist.`, 'TIMELINE_EVENT', id);
  return { incident: record, event };
};

export const getTimelineEvent = (async (deps, ctx, raw) => {
  const input = eventKeyInput.parse(raw, '');
  const { event } = await loadEvent(deps, ctx, input.incidentRecordArn, input.eventId);
  return { event: eventView(event) };
}) satisfies Operation<'GetTimelineEvent'>;

const updateInput = struct({
  incidentRecordArn: required(arnString()),
  eventId: required(eventId),
  clientToken: optional(clientToken),
  eventTime: optional(timestamp()),
  eventType: optional(eventType),
  eventData: optional(eventData),
  eventReferences: optional(eventReferences),
});

export const updateTimelineEvent = (async (deps, ctx, raw) => {
  const input = updateInput.parse(raw, '');
  if (input.eventType !== undefined) requireUserEventType(input.eventType, 'eventType');
  const key = idempotencyKeyOf('UpdateTimelineEvent', input);
  return idempotent(
    deps.store,
    key,
    ctx.now,
    () => editEvent(deps, ctx, input),
    () => undefined,
  );
}) satisfies Operation<'UpdateTimelineEvent'>;

const editEvent = async (deps: Dependencies, ctx: RequestContext, input: Infer<typeof updateInput>) => {
  const { incident, event } = await loadEvent(deps, ctx, input.incidentRecordArn, input.eventId);
  requireUserEventType(event.eventType, 'eventId');
  const next: TimelineEventRecord = compact({
    ...event,
    eventTime: input.eventTime ?? event.eventTime,
    eventType: input.eventType ?? event.eventType,
    eventData: input.eventData ?? event.eventData,
    // eventReferences replaces the whole list when given.
    eventReferences: input.eventReferences
      ? input.eventReferences.length
        ? input.eventReferences
        : undefined
      : event.eventReferences,
    eventUpdatedTime: changeTime(ctx, event.eventUpdatedTime),
  });
  await deps.store.replaceTimelineEvent(
    incident.id,
    event,
    next,
    idempotencyKeyOf('UpdateTimelineEvent', input),
    ctx.now,
  );
  return undefined;
};

export const deleteTimelineEvent = (async (deps, ctx, raw) => {
  const input = eventKeyInput.parse(raw, '');
  try {
    const { incident, event } = await loadEvent(deps, ctx, input.incidentRecordArn, input.eventId);
    await deps.store.deleteTimelineEvent(incident.id, event);
  } catch (error) {
    // Idempotent delete: the model gives this operation no ResourceNotFound.
    if (!(error instanceof ResourceNotFoundError)) throw error;
  }
  return undefined;
}) satisfies Operation<'DeleteTimelineEvent'>;

const listInput = struct({
  incidentRecordArn: required(arnString()),
  filters: optional(filters),
  sortBy: optional(enumOf(['EVENT_TIME'] as const)),
  sortOrder: optional(enumOf(['ASCENDING', 'DESCENDING'] as const)),
  maxResults: optional(maxResults()),
  nextToken: optional(nextToken),
});

export const timelineQueryOf = (list: Filter[] = [], ascending: boolean): TimelineQuery => {
  const query: TimelineQuery = { ascending };
  // The keys in the order the unsupported-key error lists them.
  readFilters(list, {
    eventTime: (filter) => {
      const bound = timeBoundOf(filter);
      if ('after' in bound) query.after = laterOf(query.after, bound.after);
      else query.before = earlierOf(query.before, bound.before);
    },
    eventType: (filter) => {
      query.eventTypes = intersect(query.eventTypes, stringValuesOf(filter));
    },
    eventReference: (filter) => {
      // Each eventReference filter is its own set of alternatives (ANDed with the others).
      query.eventReferences = [...(query.eventReferences ?? []), stringValuesOf(filter)];
    },
  });
  return query;
};

export const listTimelineEvents = (async (deps, ctx, raw) => {
  const input = listInput.parse(raw, '');
  const { incidentId } = expectIncidentArn(ctx, input.incidentRecordArn, 'incidentRecordArn');
  // Newest first unless asked otherwise, as the service answers.
  const query = timelineQueryOf(input.filters, input.sortOrder === 'ASCENDING');
  const nothing =
    query.eventTypes?.length === 0 || query.eventReferences?.some((alternatives) => alternatives.length === 0);
  const page = nothing
    ? { items: [], nextToken: undefined }
    : await deps.store.listTimelineEvents(incidentId, query, input.maxResults ?? 100, input.nextToken);
  return compact({ eventSummaries: page.items.map(eventSummaryView), nextToken: page.nextToken });
}) satisfies Operation<'ListTimelineEvents'>;

export { EVENT_TYPES };
