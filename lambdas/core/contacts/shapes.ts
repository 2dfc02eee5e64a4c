/**
 * The ssm-contacts shapes with the constraints of its Smithy model (lengths, ranges, patterns, enums), in the wire
 * casing (PascalCase), so validation messages name members exactly as the caller sent them
 * ("Value at 'Plan.Stages.1.DurationInMinutes' failed to satisfy constraint: ..."). Plus the conversions between the
 * wire shapes and the camelCase records of ports.ts and the rotation engine.
 */
import { ValidationError } from '#core/shared/errors.ts';
import type { Tags } from '#core/shared/storage.ts';
import {
  boolean,
  enumOf,
  type Infer,
  integer,
  list,
  optional,
  required,
  type Schema,
  string,
  struct,
  timestamp,
} from '#core/shared/validation.ts';
import { CONTACTS_ARN_PATTERN, CONTACTS_ARN_PATTERN_TEXT } from './arns.ts';
import { CHANNEL_TYPES, CONTACT_TYPES, type Plan, type PlanTarget } from './ports.ts';

const TOKEN_PATTERN = /^[\\/a-zA-Z0-9_+=-]*$/;
const TOKEN_PATTERN_TEXT = '^[\\\\\\/a-zA-Z0-9_+=\\-]*$';

export const contactsArn = string({
  min: 1,
  max: 2048,
  pattern: CONTACTS_ARN_PATTERN,
  patternText: CONTACTS_ARN_PATTERN_TEXT,
});
export const alias = string({ min: 1, max: 255, pattern: /^[a-z0-9_-]*$/, patternText: '^[a-z0-9_\\-]*$' });
/** ContactName and ChannelName: letters, separators, digits, `_`, `.` and `-`. */
const NAME_PATTERN = /^[\p{L}\p{Z}\p{N}_.-]*$/u;
const NAME_PATTERN_TEXT = '^[\\p{L}\\p{Z}\\p{N}_.\\-]*$';
export const contactName = string({ min: 0, max: 255, pattern: NAME_PATTERN, patternText: NAME_PATTERN_TEXT });
export const channelName = string({ min: 1, max: 255, pattern: NAME_PATTERN, patternText: NAME_PATTERN_TEXT });
export const contactType = enumOf(CONTACT_TYPES);
export const channelType = enumOf(CHANNEL_TYPES);
export const deliveryAddress = struct({ SimpleAddress: required(string({ min: 1, max: 320 })) });
export const idempotencyToken = string({ min: 0, max: 2048, pattern: TOKEN_PATTERN, patternText: TOKEN_PATTERN_TEXT });
export const paginationToken = string({ min: 0, max: 2048, pattern: TOKEN_PATTERN, patternText: TOKEN_PATTERN_TEXT });
export const maxResults = integer({ min: 0, max: 1024 });
export const activationCode = string({ min: 6, max: 10, pattern: /^[0-9]*$/, patternText: '^[0-9]*$' });
export const policy = string({ min: 1, max: 395000, pattern: /\S/, patternText: '\\S' });
export const rotationName = string({
  min: 1,
  max: 255,
  pattern: /^[a-zA-Z0-9_\-\s.]*$/,
  patternText: '^[a-zA-Z0-9_\\-\\s\\.]*$',
});
export const timeZoneId = string({
  min: 1,
  max: 255,
  pattern: /^[:a-zA-Z0-9_\-\s.\\/]*$/,
  patternText: '^[:a-zA-Z0-9_\\-\\s\\.\\\\/]*$',
});
export const uuid = string({
  min: 36,
  max: 39,
  pattern: /^([a-fA-Z0-9]{8,11}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}){1}$/,
  patternText: '^([a-fA-Z0-9]{8,11}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}){1}$',
});
/** ListPreviewRotationShifts members: any non-blank name (they need not be contacts yet). */
export const previewMember = string({ min: 1, max: 512, pattern: /\S/, patternText: '\\S' });
export const dateTime = timestamp();

/** The page size when MaxResults is absent or 0 (the model allows 0; a page of 0 items would never end). */
export const DEFAULT_PAGE_SIZE = 100;
export const pageSize = (value: number | undefined) => (value === undefined || value === 0 ? DEFAULT_PAGE_SIZE : value);

// ---- tags ------------------------------------------------------------------------------------------------------

export const tagKey = string({ min: 1, max: 128, pattern: TOKEN_PATTERN, patternText: TOKEN_PATTERN_TEXT });
const tagValue = string({
  min: 1,
  max: 256,
  pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
  patternText: '^[\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*$',
});
export const tagsList = list(struct({ Key: required(tagKey), Value: required(tagValue) }), { max: 50 });
export const tagKeyList = list(tagKey, { max: 50 });

/** A tag list becomes a map (a repeated key keeps its last value). */
export const tagsOf = (tags: Infer<typeof tagsList> | undefined): Tags => {
  const result: Tags = {};
  for (const { Key, Value } of tags ?? [])
    Object.defineProperty(result, Key, { value: Value, enumerable: true, writable: true, configurable: true });
  return result;
};

/** Tags as the wire's list, by key (DynamoDB keeps no order in a map). */
export const tagsView = (tags: Tags) =>
  Object.entries(tags)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([Key, Value]) => ({ Key, Value }));

// ---- plans -----------------------------------------------------------------------------------------------------

/** A Smithy structure whose members are all optional but of which exactly one must be set (Target). */
const exactlyOne = <T extends object>(schema: Schema<T>, members: readonly string[]): Schema<T> => ({
  parse(value, path) {
    const parsed = schema.parse(value, path);
    const set = members.filter((m) => (parsed as Record<string, unknown>)[m] !== undefined);
    if (set.length !== 1)
      throw new ValidationError(
        `1 validation error detected: Value at '${path}' failed to satisfy constraint: Member must have exactly one of [${members.join(', ')}] set`,
        path,
      );
    return parsed;
  },
});

const target = exactlyOne(
  struct({
    ChannelTargetInfo: optional(
      struct({
        ContactChannelId: required(contactsArn),
        RetryIntervalInMinutes: optional(integer({ min: 0, max: 60 })),
      }),
    ),
    ContactTargetInfo: optional(struct({ ContactId: optional(contactsArn), IsEssential: required(boolean()) })),
  }),
  ['ChannelTargetInfo', 'ContactTargetInfo'],
);

const stage = struct({
  DurationInMinutes: required(integer({ min: 0, max: 30 })),
  Targets: required(list(target)),
});

export const plan = struct({
  Stages: optional(list(stage)),
  RotationIds: optional(list(contactsArn, { max: 25 })),
});
export type WirePlan = Infer<typeof plan>;

export const planOf = (wire: WirePlan): Plan => ({
  stages: (wire.Stages ?? []).map((s) => ({
    durationInMinutes: s.DurationInMinutes,
    targets: s.Targets.map(
      (t): PlanTarget =>
        t.ChannelTargetInfo
          ? {
              channelTargetInfo: {
                contactChannelId: t.ChannelTargetInfo.ContactChannelId,
                ...(t.ChannelTargetInfo.RetryIntervalInMinutes !== undefined
                  ? { retryIntervalInMinutes: t.ChannelTargetInfo.RetryIntervalInMinutes }
                  : {}),
              },
            }
          : {
              contactTargetInfo: {
                contactId: t.ContactTargetInfo?.ContactId ?? '',
                isEssential: t.ContactTargetInfo?.IsEssential ?? false,
              },
            },
    ),
  })),
  ...(wire.RotationIds?.length ? { rotationIds: wire.RotationIds } : {}),
});

export const planView = (domain: Plan) => ({
  Stages: domain.stages.map((s) => ({
    DurationInMinutes: s.durationInMinutes,
    Targets: s.targets.map((t) =>
      t.channelTargetInfo
        ? {
            ChannelTargetInfo: {
              ContactChannelId: t.channelTargetInfo.contactChannelId,
              ...(t.channelTargetInfo.retryIntervalInMinutes !== undefined
                ? { RetryIntervalInMinutes: t.channelTargetInfo.retryIntervalInMinutes }
                : {}),
            },
          }
        : {
            ContactTargetInfo: {
              ContactId: t.contactTargetInfo?.contactId,
              IsEssential: t.contactTargetInfo?.isEssential ?? false,
            },
          },
    ),
  })),
  ...(domain.rotationIds?.length ? { RotationIds: domain.rotationIds } : {}),
});
