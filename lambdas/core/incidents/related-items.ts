/** UpdateRelatedItems and ListRelatedItems. */

import { compact, idempotencyKeyOf, idempotent } from '#core/shared/operation.ts';
import type { RequestContext } from '#core/shared/service-context.ts';
import { type Infer, optional, required, struct, union } from '#core/shared/validation.ts';
import { expectIncidentArn } from './arns.ts';
import { recordUpdateEvent } from './automatic-events.ts';
import { loadIncident } from './incidents.ts';
import type { Dependencies, Operation } from './operation.ts';
import { generatedIdOf } from './related-item-ids.ts';
import { arnString, clientToken, itemIdentifier, maxResults, nextToken, relatedItemInput } from './shapes.ts';

const updateInput = struct({
  incidentRecordArn: required(arnString()),
  clientToken: optional(clientToken),
  relatedItemsUpdate: required(union({ itemToAdd: relatedItemInput, itemToRemove: itemIdentifier })),
});

export const updateRelatedItems = (async (deps, ctx, raw) => {
  const input = updateInput.parse(raw, '');
  const idempotency = idempotencyKeyOf('UpdateRelatedItems', input);
  return idempotent(
    deps.store,
    idempotency,
    ctx.now,
    () => applyItemUpdate(deps, ctx, input),
    () => undefined,
  );
}) satisfies Operation<'UpdateRelatedItems'>;

const applyItemUpdate = async (deps: Dependencies, ctx: RequestContext, input: Infer<typeof updateInput>) => {
  const idempotency = idempotencyKeyOf('UpdateRelatedItems', input);
  const { record } = await loadIncident(deps, ctx, input.incidentRecordArn, 'incidentRecordArn');
  const update = input.relatedItemsUpdate;
  if ('itemToAdd' in update) {
    const generatedId = generatedIdOf(update.itemToAdd.identifier);
    const item = compact({ ...update.itemToAdd, generatedId, addedTime: ctx.now });
    const event = recordUpdateEvent(
      record,
      ctx.caller.principalArn,
      [{ attributeName: 'relatedItems', newValue: JSON.stringify({ itemToAdd: item }) }],
      ctx.now,
      [{ resource: record.arn }, { relatedItemId: generatedId }],
    );
    await deps.store.addRelatedItem(record.id, item, event, idempotency, ctx.now);
  } else {
    const generatedId = generatedIdOf(update.itemToRemove);
    const event = recordUpdateEvent(
      record,
      ctx.caller.principalArn,
      [{ attributeName: 'relatedItems', newValue: JSON.stringify({ itemToRemove: update.itemToRemove }) }],
      ctx.now,
    );
    // Removing an item that is not there changes nothing and succeeds.
    await deps.store.removeRelatedItem(record.id, generatedId, event, idempotency, ctx.now);
  }
  return undefined;
};

const listInput = struct({
  incidentRecordArn: required(arnString()),
  maxResults: optional(maxResults()),
  nextToken: optional(nextToken),
});

export const listRelatedItems = (async ({ store }, ctx, raw) => {
  const input = listInput.parse(raw, '');
  const { incidentId } = expectIncidentArn(ctx, input.incidentRecordArn, 'incidentRecordArn');
  const page = await store.listRelatedItems(incidentId, input.maxResults ?? 100, input.nextToken);
  return compact({
    relatedItems: page.items.map((item) =>
      compact({ identifier: item.identifier, title: item.title, generatedId: item.generatedId }),
    ),
    nextToken: page.nextToken,
  });
}) satisfies Operation<'ListRelatedItems'>;
