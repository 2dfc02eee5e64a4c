/**
 * TagResource, UntagResource, ListTagsForResource on response plans, incident records, the replication set, and the
 * analysis extension's analyses and templates (so `aws ssm-incidents tag-resource` works on them too).
 */

import { ResourceNotFoundError, ServiceQuotaExceededError } from '#core/shared/errors.ts';
import { retryOnStaleVersion } from '#core/shared/operation.ts';
import type { RequestContext } from '#core/shared/service-context.ts';
import { list, required, struct } from '#core/shared/validation.ts';
import { parseIncidentsArn } from './arns.ts';
import type { Dependencies, Operation } from './operation.ts';
import type { TaggableResource } from './ports.ts';
import { arnString, TAG_KEY, tagMap } from './shapes.ts';

const MAX_TAGS = 50;

const taggable = (ctx: RequestContext, arn: string): TaggableResource => {
  const resource = parseIncidentsArn(ctx, arn, 'resourceArn');
  if (resource.kind === 'response-plan') return { kind: 'response-plan', name: resource.name };
  if (resource.kind === 'incident-record') return { kind: 'incident-record', incidentId: resource.incidentId };
  if (resource.kind === 'analysis' || resource.kind === 'analysis-template') return resource;
  return { kind: 'replication-set' };
};

const loadTags = async (deps: Dependencies, ctx: RequestContext, arn: string) => {
  const resource = taggable(ctx, arn);
  const found = await deps.store.getTags(resource);
  if (!found) throw new ResourceNotFoundError(`Resource ${arn} does not exist.`, undefined, arn);
  return { resource, ...found };
};

const tagInput = struct({ resourceArn: required(arnString()), tags: required(tagMap(1)) });

export const tagResource = (async (deps, ctx, raw) => {
  const input = tagInput.parse(raw, '');
  // Tags of one resource are one map: re-read and merge again when a concurrent change replaced it in between.
  await retryOnStaleVersion(async () => {
    const { resource, record, version } = await loadTags(deps, ctx, input.resourceArn);
    const merged = { ...record, ...input.tags };
    if (Object.keys(merged).length > MAX_TAGS)
      throw new ServiceQuotaExceededError(
        `A resource can have at most ${MAX_TAGS} tags.`,
        'tags-per-resource',
        undefined,
        input.resourceArn,
      );
    await deps.store.replaceTags(resource, merged, version);
  });
  return undefined;
}) satisfies Operation<'TagResource'>;

const untagInput = struct({
  resourceArn: required(arnString()),
  tagKeys: required(list(TAG_KEY, { min: 1, max: 50 })),
});

export const untagResource = (async (deps, ctx, raw) => {
  const input = untagInput.parse(raw, '');
  await retryOnStaleVersion(async () => {
    const { resource, record, version } = await loadTags(deps, ctx, input.resourceArn);
    const remaining = Object.fromEntries(Object.entries(record).filter(([key]) => !input.tagKeys.includes(key)));
    if (Object.keys(remaining).length !== Object.keys(record).length)
      await deps.store.replaceTags(resource, remaining, version);
  });
  return undefined;
}) satisfies Operation<'UntagResource'>;

const listInput = struct({ resourceArn: required(arnString()) });

export const listTagsForResource = (async (deps, ctx, raw) => {
  const input = listInput.parse(raw, '');
  const { record } = await loadTags(deps, ctx, input.resourceArn);
  return { tags: record };
}) satisfies Operation<'ListTagsForResource'>;
