/** CreateResponsePlan, GetResponsePlan, UpdateResponsePlan, DeleteResponsePlan, ListResponsePlans. */

import { ResourceNotFoundError } from '#core/shared/errors.ts';
import { compact, idempotencyKeyOf, idempotent, retryOnStaleVersion } from '#core/shared/operation.ts';
import type { RequestContext } from '#core/shared/service-context.ts';
import { changeTime } from '#core/shared/time.ts';
import { type Infer, optional, required, string, struct } from '#core/shared/validation.ts';
import { expectResponsePlanArn, responsePlanArn } from './arns.ts';
import type { Dependencies, Operation } from './operation.ts';
import type { ResponsePlanRecord } from './ports.ts';
import {
  actions,
  arnString,
  chatChannel,
  clientToken,
  dedupeString,
  engagements,
  impact,
  incidentSummary,
  incidentTemplate,
  incidentTitle,
  integrations,
  maxResults,
  nextToken,
  notificationTargets,
  tagMap,
} from './shapes.ts';

const planName = string({ min: 1, max: 200, pattern: /^[a-zA-Z0-9-_]*$/, patternText: '^[a-zA-Z0-9-_]*$' });
const displayName = string({ max: 200 });

const createInput = struct({
  name: required(planName),
  incidentTemplate: required(incidentTemplate),
  clientToken: optional(clientToken),
  displayName: optional(displayName),
  chatChannel: optional(chatChannel),
  engagements: optional(engagements),
  actions: optional(actions),
  tags: optional(tagMap(1)),
  integrations: optional(integrations),
});

export const createResponsePlan = (async ({ store }, ctx, raw) => {
  const input = createInput.parse(raw, '');
  const arn = responsePlanArn(ctx, input.name);
  const plan: ResponsePlanRecord = compact({
    arn,
    name: input.name,
    displayName: input.displayName,
    incidentTemplate: input.incidentTemplate,
    chatChannel: input.chatChannel,
    engagements: input.engagements,
    actions: input.actions,
    integrations: input.integrations,
    tags: input.tags ?? {},
    createdTime: ctx.now,
    lastModifiedTime: ctx.now,
  });
  const key = idempotencyKeyOf('CreateResponsePlan', input);
  await idempotent(
    store,
    key,
    ctx.now,
    () => store.createResponsePlan(plan, key, ctx.now),
    () => undefined,
  );
  return { arn };
}) satisfies Operation<'CreateResponsePlan'>;

export const loadResponsePlan = async ({ store }: Dependencies, ctx: RequestContext, arn: string, field: string) => {
  const { name } = expectResponsePlanArn(ctx, arn, field);
  const found = await store.getResponsePlan(name);
  if (!found) throw new ResourceNotFoundError(`Response plan ${arn} does not exist.`, 'RESPONSE_PLAN', arn);
  return found;
};

const planView = (plan: ResponsePlanRecord) =>
  compact({
    arn: plan.arn,
    name: plan.name,
    displayName: plan.displayName,
    incidentTemplate: plan.incidentTemplate,
    chatChannel: plan.chatChannel,
    engagements: plan.engagements,
    actions: plan.actions,
    integrations: plan.integrations,
  });

const getInput = struct({ arn: required(arnString()) });

export const getResponsePlan = (async (deps, ctx, raw) => {
  const input = getInput.parse(raw, '');
  const { record } = await loadResponsePlan(deps, ctx, input.arn, 'arn');
  return planView(record);
}) satisfies Operation<'GetResponsePlan'>;

const updateInput = struct({
  arn: required(arnString()),
  clientToken: optional(clientToken),
  displayName: optional(displayName),
  incidentTemplateTitle: optional(incidentTitle),
  incidentTemplateImpact: optional(impact),
  incidentTemplateSummary: optional(incidentSummary),
  incidentTemplateDedupeString: optional(dedupeString),
  incidentTemplateNotificationTargets: optional(notificationTargets),
  chatChannel: optional(chatChannel),
  engagements: optional(engagements),
  actions: optional(actions),
  incidentTemplateTags: optional(tagMap(0)),
  integrations: optional(integrations),
});

export const updateResponsePlan = (async (deps, ctx, raw) => {
  const input = updateInput.parse(raw, '');
  // A partial update: re-read and re-apply when another request (TagResource, say) changed the plan in between.
  return idempotent(
    deps.store,
    idempotencyKeyOf('UpdateResponsePlan', input),
    ctx.now,
    () => retryOnStaleVersion(() => applyPlanUpdate(deps, ctx, input)),
    () => undefined,
  );
}) satisfies Operation<'UpdateResponsePlan'>;

const applyPlanUpdate = async (deps: Dependencies, ctx: RequestContext, input: Infer<typeof updateInput>) => {
  const { record, version } = await loadResponsePlan(deps, ctx, input.arn, 'arn');
  const template = { ...record.incidentTemplate };
  if (input.incidentTemplateTitle !== undefined) template.title = input.incidentTemplateTitle;
  if (input.incidentTemplateImpact !== undefined) template.impact = input.incidentTemplateImpact;
  // Empty strings clear optional template members, as the console does.
  if (input.incidentTemplateSummary !== undefined) template.summary = input.incidentTemplateSummary || undefined;
  if (input.incidentTemplateDedupeString !== undefined)
    template.dedupeString = input.incidentTemplateDedupeString || undefined;
  if (input.incidentTemplateNotificationTargets !== undefined)
    template.notificationTargets = input.incidentTemplateNotificationTargets;
  if (input.incidentTemplateTags !== undefined)
    template.incidentTags = Object.keys(input.incidentTemplateTags).length ? input.incidentTemplateTags : undefined;

  const next: ResponsePlanRecord = compact({
    ...record,
    displayName: input.displayName !== undefined ? input.displayName || undefined : record.displayName,
    incidentTemplate: compact(template),
    // `{"empty":{}}` removes the chat channel.
    chatChannel:
      input.chatChannel === undefined
        ? record.chatChannel
        : 'empty' in input.chatChannel
          ? undefined
          : input.chatChannel,
    engagements: input.engagements ?? record.engagements,
    actions: input.actions ?? record.actions,
    integrations: input.integrations ?? record.integrations,
    lastModifiedTime: changeTime(ctx, record.lastModifiedTime),
  });
  await deps.store.replaceResponsePlan(next, version, idempotencyKeyOf('UpdateResponsePlan', input), ctx.now);
  return undefined;
};

export const deleteResponsePlan = (async ({ store }, ctx, raw) => {
  const input = getInput.parse(raw, '');
  const { name } = expectResponsePlanArn(ctx, input.arn, 'arn');
  await store.deleteResponsePlan(name);
  return undefined;
}) satisfies Operation<'DeleteResponsePlan'>;

const listInput = struct({ maxResults: optional(maxResults()), nextToken: optional(nextToken) });

export const listResponsePlans = (async ({ store }, _ctx, raw) => {
  const input = listInput.parse(raw, '');
  const page = await store.listResponsePlans(input.maxResults ?? 100, input.nextToken);
  return compact({
    responsePlanSummaries: page.items.map((plan) =>
      compact({ arn: plan.arn, name: plan.name, displayName: plan.displayName }),
    ),
    nextToken: page.nextToken,
  });
}) satisfies Operation<'ListResponsePlans'>;
