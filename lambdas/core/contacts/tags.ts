/** TagResource, UntagResource, ListTagsForResource on contacts (of every type) and rotations. Tags are {Key, Value} lists. */
import { ResourceNotFoundError, ServiceQuotaExceededError } from '#core/shared/errors.ts';
import { retryOnStaleVersion } from '#core/shared/operation.ts';
import type { RequestContext } from '#core/shared/service-context.ts';
import { required, string, struct } from '#core/shared/validation.ts';
import { notFoundAs, parseContactsArn } from './arns.ts';
import type { ContactsDependencies, ContactsOperation } from './operation.ts';
import type { ContactsTaggable } from './ports.ts';
import { tagKeyList, tagsList, tagsOf, tagsView } from './shapes.ts';

const MAX_TAGS = 50;
const resourceArn = string({ min: 1, max: 1011 });

const taggable = (ctx: RequestContext, arn: string): { resource: ContactsTaggable; kind: 'contact' | 'rotation' } => {
  const parsed = parseContactsArn(ctx, arn, 'ResourceARN');
  if (parsed.kind === 'contact') return { resource: { kind: 'contact', alias: parsed.alias }, kind: 'contact' };
  if (parsed.kind === 'rotation')
    return { resource: { kind: 'rotation', rotationId: parsed.rotationId }, kind: 'rotation' };
  throw new ResourceNotFoundError(
    `Resource ${arn} has no tags: only contacts and rotations are tagged.`,
    'CONTACT_CHANNEL',
    arn,
  );
};

const loadTags = async ({ store }: ContactsDependencies, ctx: RequestContext, arn: string) => {
  const { resource, kind } = taggable(ctx, arn);
  const found = await store.getTags(resource);
  if (!found) throw notFoundAs(kind, arn);
  return { resource, kind, ...found };
};

const tagInput = struct({ ResourceARN: required(resourceArn), Tags: required(tagsList) });

export const tagResource = (async (deps, ctx, raw) => {
  const input = tagInput.parse(raw, '');
  const tags = tagsOf(input.Tags);
  await retryOnStaleVersion(async () => {
    const { resource, kind, record, version } = await loadTags(deps, ctx, input.ResourceARN);
    const merged = { ...record, ...tags };
    if (Object.keys(merged).length > MAX_TAGS)
      throw new ServiceQuotaExceededError(
        `A resource can have at most ${MAX_TAGS} tags.`,
        'tags-per-resource',
        kind === 'contact' ? 'CONTACT' : 'ROTATION',
        input.ResourceARN,
      );
    if (Object.entries(tags).some(([key, value]) => !Object.hasOwn(record, key) || record[key] !== value))
      await deps.store.replaceTags(resource, merged, version);
  });
  return {};
}) satisfies ContactsOperation<'TagResource'>;

const untagInput = struct({ ResourceARN: required(resourceArn), TagKeys: required(tagKeyList) });

export const untagResource = (async (deps, ctx, raw) => {
  const input = untagInput.parse(raw, '');
  await retryOnStaleVersion(async () => {
    const { resource, record, version } = await loadTags(deps, ctx, input.ResourceARN);
    const remaining = Object.fromEntries(Object.entries(record).filter(([key]) => !input.TagKeys.includes(key)));
    if (Object.keys(remaining).length !== Object.keys(record).length)
      await deps.store.replaceTags(resource, remaining, version);
  });
  return {};
}) satisfies ContactsOperation<'UntagResource'>;

const listInput = struct({ ResourceARN: required(resourceArn) });

export const listTagsForResource = (async (deps, ctx, raw) => {
  const input = listInput.parse(raw, '');
  const { record } = await loadTags(deps, ctx, input.ResourceARN);
  return { Tags: tagsView(record) };
}) satisfies ContactsOperation<'ListTagsForResource'>;
