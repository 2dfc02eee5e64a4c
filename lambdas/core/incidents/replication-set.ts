/**
 * The replication set. There is one region here (the deployment's own, replicated by DynamoDB itself if the
 * operator makes the table global), but the API answers as Incident Manager does so that Terraform, CloudFormation
 * and onboarding scripts that create or wait for an ACTIVE replication set keep working.
 */

import { ResourceNotFoundError, ValidationError } from '#core/shared/errors.ts';
import { newId } from '#core/shared/ids.ts';
import { compact, idempotencyKeyOf, idempotent, seconds } from '#core/shared/operation.ts';
import type { RequestContext } from '#core/shared/service-context.ts';
import { changeTime } from '#core/shared/time.ts';
import {
  boolean,
  defineEntry,
  type Infer,
  list,
  map,
  optional,
  required,
  string,
  struct,
  union,
} from '#core/shared/validation.ts';
import { parseIncidentsArn, replicationSetArn } from './arns.ts';
import type { Dependencies, Operation } from './operation.ts';
import type { ReplicationSetRecord } from './ports.ts';
import { arnString, clientToken, maxResults, nextToken, tagMap } from './shapes.ts';

const regionName = string({ max: 20 });
const regionOptions = struct({ sseKmsKeyId: optional(string({ max: 2048 })) });

const loadSet = async (deps: Dependencies, ctx: RequestContext, arn: string) => {
  const resource = parseIncidentsArn(ctx, arn, 'arn');
  const found = await deps.store.getReplicationSet();
  if (resource.kind !== 'replication-set' || !found || found.record.arn !== arn)
    throw new ResourceNotFoundError(`Replication set ${arn} does not exist.`, 'REPLICATION_SET', arn);
  return found;
};

const createInput = struct({
  regions: required(map(regionName, regionOptions, { min: 1, max: 3 })),
  clientToken: optional(clientToken),
  tags: optional(tagMap(1)),
});

export const createReplicationSet = (async (deps, ctx, raw) => {
  const input = createInput.parse(raw, '');
  const set: ReplicationSetRecord = {
    arn: replicationSetArn(ctx, newId()),
    regionMap: Object.fromEntries(
      Object.entries(input.regions).map(([region, options]) => [
        region,
        compact({ sseKmsKeyId: options.sseKmsKeyId, status: 'ACTIVE' as const, statusUpdateDateTime: ctx.now }),
      ]),
    ),
    deletionProtected: false,
    createdTime: ctx.now,
    createdBy: ctx.caller.principalArn,
    lastModifiedTime: ctx.now,
    lastModifiedBy: ctx.caller.principalArn,
    tags: input.tags ?? {},
  };
  const key = idempotencyKeyOf('CreateReplicationSet', input);
  return idempotent(
    deps.store,
    key,
    ctx.now,
    () => deps.store.createReplicationSet(set, key, ctx.now),
    (stored) => stored as { arn: string },
  );
}) satisfies Operation<'CreateReplicationSet'>;

const arnInput = struct({ arn: required(arnString()) });

export const getReplicationSet = (async (deps, ctx, raw) => {
  const input = arnInput.parse(raw, '');
  const { record } = await loadSet(deps, ctx, input.arn);
  return {
    replicationSet: {
      arn: record.arn,
      regionMap: Object.fromEntries(
        Object.entries(record.regionMap).map(([region, info]) => [
          region,
          compact({
            ...info,
            sseKmsKeyId: info.sseKmsKeyId ?? 'DefaultKey',
            statusUpdateDateTime: seconds(info.statusUpdateDateTime),
          }),
        ]),
      ),
      status: 'ACTIVE',
      deletionProtected: record.deletionProtected,
      createdTime: seconds(record.createdTime),
      createdBy: record.createdBy,
      lastModifiedTime: seconds(record.lastModifiedTime),
      lastModifiedBy: record.lastModifiedBy,
    },
  };
}) satisfies Operation<'GetReplicationSet'>;

const listInput = struct({ maxResults: optional(maxResults()), nextToken: optional(nextToken) });

export const listReplicationSets = (async (deps, _ctx, raw) => {
  const input = listInput.parse(raw, '');
  // There is at most one replication set, so no nextToken is ever issued: a token sent back cannot be one of ours.
  if (input.nextToken !== undefined)
    throw new ValidationError('The nextToken is not valid for this request.', 'nextToken');
  const found = await deps.store.getReplicationSet();
  return { replicationSetArns: found ? [found.record.arn] : [] };
}) satisfies Operation<'ListReplicationSets'>;

const updateInput = struct({
  arn: required(arnString()),
  actions: required(
    list(
      union({
        addRegionAction: struct({ regionName: required(regionName), sseKmsKeyId: optional(string({ max: 2048 })) }),
        deleteRegionAction: struct({ regionName: required(regionName) }),
      }),
      { min: 1, max: 1 },
    ),
  ),
  clientToken: optional(clientToken),
});

export const updateReplicationSet = (async (deps, ctx, raw) => {
  const input = updateInput.parse(raw, '');
  const key = idempotencyKeyOf('UpdateReplicationSet', input);
  // A retry of an add or delete that went through finds its Region already added or gone: it gets the first answer.
  return idempotent(
    deps.store,
    key,
    ctx.now,
    () => applyRegionAction(deps, ctx, input),
    () => undefined,
  );
}) satisfies Operation<'UpdateReplicationSet'>;

const applyRegionAction = async (deps: Dependencies, ctx: RequestContext, input: Infer<typeof updateInput>) => {
  const { record, version } = await loadSet(deps, ctx, input.arn);
  // Region names are the caller's strings: own-property checks and defineEntry keep `constructor` or `__proto__` an
  // ordinary (if unusual) region name instead of a built-in of Object.prototype.
  const regionMap = { ...record.regionMap };
  const has = (region: string) => Object.hasOwn(regionMap, region);
  const [action] = input.actions;
  if (action && 'addRegionAction' in action) {
    const { regionName: region, sseKmsKeyId } = action.addRegionAction;
    if (has(region))
      throw new ValidationError(
        `Region ${region} is already in the replication set.`,
        'actions.1.addRegionAction.regionName',
      );
    if (Object.keys(regionMap).length >= 3)
      throw new ValidationError('A replication set has at most 3 Regions.', 'actions.1.addRegionAction.regionName');
    defineEntry(regionMap, region, compact({ sseKmsKeyId, status: 'ACTIVE' as const, statusUpdateDateTime: ctx.now }));
  } else if (action && 'deleteRegionAction' in action) {
    const region = action.deleteRegionAction.regionName;
    if (!has(region))
      throw new ValidationError(
        `Region ${region} is not in the replication set.`,
        'actions.1.deleteRegionAction.regionName',
      );
    if (Object.keys(regionMap).length === 1)
      throw new ValidationError(
        'The last Region cannot be removed; delete the replication set instead.',
        'actions.1.deleteRegionAction.regionName',
      );
    delete regionMap[region];
  }
  await deps.store.replaceReplicationSet(
    {
      ...record,
      regionMap,
      lastModifiedTime: changeTime(ctx, record.lastModifiedTime),
      lastModifiedBy: ctx.caller.principalArn,
    },
    version,
    idempotencyKeyOf('UpdateReplicationSet', input),
    ctx.now,
  );
  return undefined;
};

const protectionInput = struct({
  arn: required(arnString()),
  deletionProtected: required(boolean()),
  clientToken: optional(clientToken),
});

export const updateDeletionProtection = (async (deps, ctx, raw) => {
  const input = protectionInput.parse(raw, '');
  const key = idempotencyKeyOf('UpdateDeletionProtection', input);
  const apply = async () => {
    const { record, version } = await loadSet(deps, ctx, input.arn);
    await deps.store.replaceReplicationSet(
      {
        ...record,
        deletionProtected: input.deletionProtected,
        lastModifiedTime: changeTime(ctx, record.lastModifiedTime),
        lastModifiedBy: ctx.caller.principalArn,
      },
      version,
      key,
      ctx.now,
    );
    return undefined;
  };
  return idempotent(deps.store, key, ctx.now, apply, () => undefined);
}) satisfies Operation<'UpdateDeletionProtection'>;

/**
 * Deletes the replication set record. Unlike Incident Manager, no incident data is deleted with it: the data lives
 * in the deployment's table, which only the stack's owner removes.
 */
export const deleteReplicationSet = (async (deps, ctx, raw) => {
  const input = arnInput.parse(raw, '');
  const { record } = await loadSet(deps, ctx, input.arn);
  if (record.deletionProtected)
    throw new ValidationError('Deletion protection is enabled on this replication set; disable it first.', 'arn');
  await deps.store.deleteReplicationSet();
  return undefined;
}) satisfies Operation<'DeleteReplicationSet'>;
