/** StartIncident, GetIncidentRecord, UpdateIncidentRecord, DeleteIncidentRecord, ListIncidentRecords. */

import { ResourceNotFoundError } from '#core/shared/errors.ts';
import { newId } from '#core/shared/ids.ts';
import { compact, idempotencyKeyOf, idempotent, retryOnStaleVersion, seconds } from '#core/shared/operation.ts';
import type { RequestContext } from '#core/shared/service-context.ts';
import { changeTime } from '#core/shared/time.ts';
import { enumOf, type Infer, list, optional, required, struct } from '#core/shared/validation.ts';
import { expectIncidentArn, incidentRecordArn } from './arns.ts';
import { EVENT_TYPES, MANUAL_SOURCE, recordUpdateEvent, startEvent, triggerEvent } from './automatic-events.ts';
import { earlierOf, integerValuesOf, intersect, laterOf, readFilters, stringValuesOf, timeBoundOf } from './filters.ts';
import { incidentNotFound } from './not-found.ts';
import type { Dependencies, Operation } from './operation.ts';
import type { IncidentQuery, IncidentRecord, IncidentStatus, RelatedItemRecord, StartIncidentResult } from './ports.ts';
import { generatedIdOf } from './related-item-ids.ts';
import { loadResponsePlan } from './response-plans.ts';
import {
  arnString,
  chatChannel,
  clientToken,
  type Filter,
  filters,
  impact,
  incidentSummary,
  incidentTitle,
  maxResults,
  nextToken,
  notificationTargets,
  relatedItemInput,
  triggerDetails,
} from './shapes.ts';

export { EVENT_TYPES };

const startInput = struct({
  responsePlanArn: required(arnString()),
  clientToken: optional(clientToken),
  title: optional(incidentTitle),
  impact: optional(impact),
  triggerDetails: optional(triggerDetails),
  relatedItems: optional(list(relatedItemInput, { max: 100 })),
});

/**
 * The key under which an open incident absorbs repeated triggers: the template's dedupe string when it has one;
 * otherwise the trigger (alarm or rule) ARN, since Incident Manager dedupes repeated triggers of the same alarm
 * or event without a dedupe string; otherwise nothing (every manual start opens an incident).
 */
export const dedupeKeyFor = (templateDedupeString: string | undefined, triggerArn: string | undefined) =>
  templateDedupeString ? `dedupe:${templateDedupeString}` : triggerArn ? `trigger:${triggerArn}` : undefined;

export type StartIncidentInput = Infer<typeof startInput>;
/** Validates a StartIncident input built in code (by the trigger intake) with the API's own constraints. */
export const parseStartIncidentInput = (value: unknown): StartIncidentInput => startInput.parse(value, '');

export const startIncident = (async (deps, ctx, raw) => {
  const { incidentRecordArn } = await openIncident(deps, ctx, startInput.parse(raw, ''));
  return { incidentRecordArn };
}) satisfies Operation<'StartIncident'>;

/**
 * StartIncident's semantics, for the API and for alarm/event triggers alike. `invokedBy` names the AWS service
 * that delivered a trigger (events.amazonaws.com, sns.amazonaws.com, ...). Returns whether an incident was created
 * or the trigger was recorded on the open incident with the same dedupe key.
 */
export async function openIncident(
  deps: Dependencies,
  ctx: RequestContext,
  input: StartIncidentInput,
  origin: { invokedBy?: string } = {},
): Promise<StartIncidentResult> {
  const key = idempotencyKeyOf('StartIncident', input);
  // A retry whose plan was deleted since (or that now fails otherwise) still gets the incident it created.
  return idempotent(
    deps.store,
    key,
    ctx.now,
    () => createOrDedupe(deps, ctx, input, origin),
    // Nothing to redo for a replay: paging and runbooks react to the incident the first call committed.
    async (stored) => ({ ...(stored as StartIncidentResult), replayed: true }),
  );
}

async function createOrDedupe(
  deps: Dependencies,
  ctx: RequestContext,
  input: StartIncidentInput,
  origin: { invokedBy?: string },
): Promise<StartIncidentResult> {
  const { record: plan } = await loadResponsePlan(deps, ctx, input.responsePlanArn, 'responsePlanArn');
  const template = plan.incidentTemplate;
  const id = newId();
  const arn = incidentRecordArn(ctx, plan.name, id);
  const trigger = input.triggerDetails;

  const incident: IncidentRecord = compact({
    arn,
    id,
    responsePlanName: plan.name,
    title: input.title ?? template.title,
    status: 'OPEN' as const,
    impact: input.impact ?? template.impact,
    summary: template.summary,
    creationTime: ctx.now,
    lastModifiedTime: ctx.now,
    lastModifiedBy: ctx.caller.principalArn,
    incidentRecordSource: compact({
      createdBy: ctx.caller.principalArn,
      source: trigger?.source ?? MANUAL_SOURCE,
      invokedBy: origin.invokedBy,
      resourceArn: trigger?.triggerArn,
    }),
    dedupeString: template.dedupeString || newId(),
    dedupeKey: dedupeKeyFor(template.dedupeString, trigger?.triggerArn),
    automationExecutions: [],
    engagements: plan.engagements?.length ? [...plan.engagements] : undefined,
    chatChannel: plan.chatChannel && 'chatbotSns' in plan.chatChannel ? plan.chatChannel : undefined,
    notificationTargets: template.notificationTargets ?? [],
    tags: template.incidentTags ?? {},
  });

  const relatedItems = new Map<string, RelatedItemRecord>();
  for (const item of input.relatedItems ?? []) {
    const generatedId = generatedIdOf(item.identifier);
    relatedItems.set(
      generatedId,
      compact({ identifier: item.identifier, title: item.title, generatedId, addedTime: ctx.now }),
    );
  }
  const runbook = plan.actions?.[0]?.ssmAutomation ?? {};

  const result = await deps.store.startIncident(
    {
      incident,
      events: [
        triggerEvent(arn, trigger, true, ctx.now),
        startEvent(incident, plan.engagements ?? [], runbook, trigger?.triggerArn, ctx.now),
      ],
      relatedItems: [...relatedItems.values()],
      dedupeKey: incident.dedupeKey,
      duplicateTriggerEvent: (existingArn) => triggerEvent(existingArn, trigger, false, ctx.now),
    },
    idempotencyKeyOf('StartIncident', input),
    ctx.now,
  );
  // Paging the plan's contacts is a reaction to the committed incident (IncidentOpened on the table's stream:
  // core/contacts/engagements/incident-paging.ts), so a failure after this write can never leave it unpaged.
  return result;
}

/** Loads an incident by ARN; an ARN whose plan segment does not match the stored incident names nothing. */
export const loadIncident = async ({ store }: Dependencies, ctx: RequestContext, arn: string, field: string) => {
  const { incidentId } = expectIncidentArn(ctx, arn, field);
  const found = await store.getIncident(incidentId);
  if (!found || found.record.arn !== arn) throw incidentNotFound(arn);
  return found;
};

const incidentView = (incident: IncidentRecord) =>
  compact({
    arn: incident.arn,
    title: incident.title,
    status: incident.status,
    impact: incident.impact,
    summary: incident.summary,
    creationTime: seconds(incident.creationTime),
    lastModifiedTime: seconds(incident.lastModifiedTime),
    lastModifiedBy: incident.lastModifiedBy,
    resolvedTime: seconds(incident.resolvedTime),
    incidentRecordSource: incident.incidentRecordSource,
    dedupeString: incident.dedupeString,
    automationExecutions: incident.automationExecutions,
    chatChannel: incident.chatChannel,
    notificationTargets: incident.notificationTargets,
  });

const arnInput = struct({ arn: required(arnString()) });

export const getIncidentRecord = (async (deps, ctx, raw) => {
  const input = arnInput.parse(raw, '');
  const { record } = await loadIncident(deps, ctx, input.arn, 'arn');
  return { incidentRecord: incidentView(record) };
}) satisfies Operation<'GetIncidentRecord'>;

const updateInput = struct({
  arn: required(arnString()),
  clientToken: optional(clientToken),
  title: optional(incidentTitle),
  summary: optional(incidentSummary),
  impact: optional(impact),
  status: optional(enumOf(['OPEN', 'RESOLVED'] as const)),
  chatChannel: optional(chatChannel),
  notificationTargets: optional(notificationTargets),
});

export const updateIncidentRecord = (async (deps, ctx, raw) => {
  const input = updateInput.parse(raw, '');
  // A partial update: re-read and re-apply when another request changed the record in between. Resolving stops the
  // incident's paging as a reaction to the committed change (IncidentResolved), not here.
  await idempotent(
    deps.store,
    idempotencyKeyOf('UpdateIncidentRecord', input),
    ctx.now,
    () => retryOnStaleVersion(() => applyIncidentUpdate(deps, ctx, input)),
    () => undefined,
  );
  return undefined;
}) satisfies Operation<'UpdateIncidentRecord'>;

const applyIncidentUpdate = async (deps: Dependencies, ctx: RequestContext, input: Infer<typeof updateInput>) => {
  const { record, version } = await loadIncident(deps, ctx, input.arn, 'arn');
  // Taken now, after the read this attempt writes against: see changeTime.
  const at = changeTime(ctx, record.lastModifiedTime);
  const next: IncidentRecord = { ...record };
  const changes: { attributeName: string; newValue: string }[] = [];
  const change = <K extends keyof IncidentRecord>(name: K, value: IncidentRecord[K], shown: string) => {
    if (JSON.stringify(record[name]) === JSON.stringify(value)) return;
    next[name] = value;
    changes.push({ attributeName: name, newValue: shown });
  };
  if (input.title !== undefined) change('title', input.title, input.title);
  if (input.summary !== undefined) change('summary', input.summary, input.summary);
  if (input.impact !== undefined) change('impact', input.impact, String(input.impact));
  if (input.status !== undefined) change('status', input.status, input.status);
  if (input.chatChannel !== undefined) {
    const channel = 'empty' in input.chatChannel ? undefined : input.chatChannel;
    change('chatChannel', channel, JSON.stringify(channel ?? {}));
  }
  if (input.notificationTargets !== undefined)
    change('notificationTargets', input.notificationTargets, JSON.stringify(input.notificationTargets));
  if (changes.length === 0) return undefined;

  const dedupe: { release?: string; claim?: string } = {};
  if (record.status !== next.status) {
    if (next.status === 'RESOLVED') {
      next.resolvedTime = at;
      dedupe.release = record.dedupeKey;
    } else {
      delete next.resolvedTime;
      dedupe.claim = record.dedupeKey;
    }
  }
  next.lastModifiedTime = at;
  next.lastModifiedBy = ctx.caller.principalArn;
  await deps.store.updateIncident(
    compact(next),
    version,
    [recordUpdateEvent(next, ctx.caller.principalArn, changes, at)],
    dedupe,
    idempotencyKeyOf('UpdateIncidentRecord', input),
    ctx.now,
  );
  return undefined;
};

export const deleteIncidentRecord = (async (deps, ctx, raw) => {
  const input = arnInput.parse(raw, '');
  try {
    const { record } = await loadIncident(deps, ctx, input.arn, 'arn');
    await deps.store.deleteIncident(record.id);
  } catch (error) {
    // Deleting what is not there succeeds: the model gives this operation no ResourceNotFound.
    if (!(error instanceof ResourceNotFoundError)) throw error;
  }
  return undefined;
}) satisfies Operation<'DeleteIncidentRecord'>;

const listInput = struct({
  filters: optional(filters),
  maxResults: optional(maxResults()),
  nextToken: optional(nextToken),
});

/** Turns the API's filters (ANDed across filters, ORed within one) into an IncidentQuery. */
export const incidentQueryOf = (list: Filter[] = []): IncidentQuery => {
  const query: IncidentQuery = {};
  // The keys in the order the unsupported-key error lists them.
  readFilters(list, {
    creationTime: (filter) => {
      const bound = timeBoundOf(filter);
      if ('after' in bound) query.createdAfter = laterOf(query.createdAfter, bound.after);
      else query.createdBefore = earlierOf(query.createdBefore, bound.before);
    },
    impact: (filter) => {
      const impacts = integerValuesOf(filter).map((value, i) =>
        impact.parse(value, `${filter.path}.condition.equals.integerValues.${i + 1}`),
      );
      query.impacts = intersect(query.impacts, impacts);
    },
    status: (filter) => {
      const statuses = stringValuesOf(filter).map((value, i) =>
        enumOf(['OPEN', 'RESOLVED'] as const).parse(value, `${filter.path}.condition.equals.stringValues.${i + 1}`),
      );
      query.statuses = intersect<IncidentStatus>(query.statuses, statuses);
    },
    createdBy: (filter) => {
      query.createdBy = intersect(query.createdBy, stringValuesOf(filter));
    },
  });
  return query;
};

export const listIncidentRecords = (async ({ store }, _ctx, raw) => {
  const input = listInput.parse(raw, '');
  const query = incidentQueryOf(input.filters);
  const emptyList = query.impacts?.length === 0 || query.createdBy?.length === 0;
  const page = emptyList ? { items: [] } : await store.listIncidents(query, input.maxResults ?? 100, input.nextToken);
  return compact({
    incidentRecordSummaries: page.items.map((incident) =>
      compact({
        arn: incident.arn,
        title: incident.title,
        status: incident.status,
        impact: incident.impact,
        creationTime: seconds(incident.creationTime),
        resolvedTime: seconds(incident.resolvedTime),
        incidentRecordSource: incident.incidentRecordSource,
      }),
    ),
    nextToken: 'nextToken' in page ? page.nextToken : undefined,
  });
}) satisfies Operation<'ListIncidentRecords'>;
