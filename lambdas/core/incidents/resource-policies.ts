/** PutResourcePolicy, GetResourcePolicies, DeleteResourcePolicy: stored and returned, as RAM sharing would use them. */
import { ResourceNotFoundError, ValidationError } from '#core/shared/errors.ts';
import { newId } from '#core/shared/ids.ts';
import { compact } from '#core/shared/operation.ts';
import { optional, required, string, struct } from '#core/shared/validation.ts';
import type { Operation } from './operation.ts';
import { loadResponsePlan } from './response-plans.ts';
import { arnString, maxResults, nextToken } from './shapes.ts';

const putInput = struct({ resourceArn: required(arnString()), policy: required(string({ min: 1, max: 4000 })) });

export const putResourcePolicy = (async (deps, ctx, raw) => {
  const input = putInput.parse(raw, '');
  try {
    JSON.parse(input.policy);
  } catch {
    throw new ValidationError("Value at 'policy' must be a JSON policy document.", 'policy');
  }
  const { record } = await loadResponsePlan(deps, ctx, input.resourceArn, 'resourceArn');
  const policyId = newId();
  await deps.store.putResourcePolicy(record.name, {
    policyId,
    policyDocument: input.policy,
    ramResourceShareRegion: ctx.region,
  });
  return { policyId };
}) satisfies Operation<'PutResourcePolicy'>;

const getInput = struct({
  resourceArn: required(arnString()),
  maxResults: optional(maxResults()),
  nextToken: optional(nextToken),
});

export const getResourcePolicies = (async (deps, ctx, raw) => {
  const input = getInput.parse(raw, '');
  const { record } = await loadResponsePlan(deps, ctx, input.resourceArn, 'resourceArn');
  const page = await deps.store.listResourcePolicies(record.name, input.maxResults ?? 100, input.nextToken);
  return compact({ resourcePolicies: page.items, nextToken: page.nextToken });
}) satisfies Operation<'GetResourcePolicies'>;

const deleteInput = struct({ resourceArn: required(arnString()), policyId: required(string({ min: 1, max: 256 })) });

export const deleteResourcePolicy = (async (deps, ctx, raw) => {
  const input = deleteInput.parse(raw, '');
  const { record } = await loadResponsePlan(deps, ctx, input.resourceArn, 'resourceArn');
  const deleted = await deps.store.deleteResourcePolicy(record.name, input.policyId);
  if (!deleted)
    throw new ResourceNotFoundError(
      `Resource policy ${input.policyId} does not exist.`,
      'RESOURCE_POLICY',
      input.policyId,
    );
  return undefined;
}) satisfies Operation<'DeleteResourcePolicy'>;
