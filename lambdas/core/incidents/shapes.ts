/**
 * The ssm-incidents shapes shared by several operations, with the constraints of the Smithy model
 * (see docs/api-compatibility.md and the reference in the repository's docs).
 */

import {
  emptyStruct,
  enumOf,
  type Infer,
  integer,
  list,
  map,
  optional,
  required,
  string,
  struct,
  timestamp,
  union,
} from '#core/shared/validation.ts';
import { GENERIC_ARN } from './arns.ts';

export const arnString = (max = 1000) =>
  string({
    min: 0,
    max,
    pattern: GENERIC_ARN,
    patternText: '^arn:aws(-cn|-us-gov)?:[a-z0-9-]*:[a-z0-9-]*:([0-9]{12})?:.+$',
  });

export const impact = integer({ min: 1, max: 5 });
export const incidentTitle = string({ max: 200 });
export const incidentSummary = string({ max: 8000 });
export const dedupeString = string({ max: 1000 });
export const clientToken = string({ max: 128 });
export const nextToken = string({ max: 2000 });
export const maxResults = (max = 100) => integer({ min: 1, max });

export const TAG_KEY = string({
  min: 1,
  max: 128,
  pattern: /^(?!aws:)[A-Za-z0-9 _=@:.+\-/]+$/,
  patternText: '^(?!aws:)[A-Za-z0-9 _=@:.+-/]+$',
});
export const TAG_VALUE = string({ max: 256 });
export const tagMap = (min = 1) => map(TAG_KEY, TAG_VALUE, { min, max: 50 });

export const notificationTarget = union({ snsTopicArn: arnString() });
export type NotificationTarget = Infer<typeof notificationTarget>;
export const notificationTargets = list(notificationTarget, { max: 10 });

export const chatChannel = union({
  empty: emptyStruct(),
  chatbotSns: list(arnString(), { min: 1, max: 5 }),
});
export type ChatChannel = Infer<typeof chatChannel>;

export const incidentTemplate = struct({
  title: required(incidentTitle),
  impact: required(impact),
  summary: optional(incidentSummary),
  dedupeString: optional(dedupeString),
  notificationTargets: optional(notificationTargets),
  incidentTags: optional(tagMap(1)),
});
export type IncidentTemplate = Infer<typeof incidentTemplate>;

const CONTACT_ARN = /^arn:aws(-cn|-us-gov)?:ssm-contacts:[a-z0-9-]*:([0-9]{12}):contact\/[a-z0-9_-]+$/;
export const engagements = list(string({ max: 2048, pattern: CONTACT_ARN, patternText: CONTACT_ARN.source }), {
  max: 5,
});

const parameterName = string({ min: 1, max: 50 });
export const ssmAutomation = struct({
  roleArn: required(arnString()),
  documentName: required(
    string({ max: 128, pattern: /^[a-zA-Z0-9_\-.:/]{3,128}$/, patternText: '^[a-zA-Z0-9_\\-.:/]{3,128}$' }),
  ),
  documentVersion: optional(string({ max: 128 })),
  targetAccount: optional(enumOf(['RESPONSE_PLAN_OWNER_ACCOUNT', 'IMPACTED_ACCOUNT'] as const)),
  parameters: optional(map(parameterName, list(string({ max: 10000 }), { max: 100 }), { min: 1, max: 200 })),
  dynamicParameters: optional(
    map(parameterName, union({ variable: enumOf(['INCIDENT_RECORD_ARN', 'INVOLVED_RESOURCES'] as const) }), {
      min: 1,
      max: 200,
    }),
  ),
});
export const action = union({ ssmAutomation });
export type Action = Infer<typeof action>;
export const actions = list(action, { max: 1 });

export const integration = union({
  pagerDutyConfiguration: struct({
    name: required(string({ min: 1, max: 200 })),
    secretId: required(string({ min: 1, max: 512 })),
    pagerDutyIncidentConfiguration: required(struct({ serviceId: required(string({ min: 1, max: 200 })) })),
  }),
});
export type Integration = Infer<typeof integration>;
export const integrations = list(integration, { max: 1 });

export const ITEM_TYPES = [
  'ANALYSIS',
  'INCIDENT',
  'METRIC',
  'PARENT',
  'ATTACHMENT',
  'OTHER',
  'AUTOMATION',
  'INVOLVED_RESOURCE',
  'TASK',
] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

export const itemValue = union({
  arn: arnString(),
  url: string({ min: 0, max: 1000 }),
  metricDefinition: string({ max: 4000 }),
  pagerDutyIncidentDetail: struct({
    id: required(string({ min: 1, max: 200 })),
    autoResolve: optional({ parse: (v, p) => (typeof v === 'boolean' ? v : integer().parse(v, p) === 1) }),
    secretId: optional(string({ min: 1, max: 512 })),
  }),
});
export type ItemValue = Infer<typeof itemValue>;

export const itemIdentifier = struct({
  type: required(enumOf(ITEM_TYPES)),
  value: required(itemValue),
});
export type ItemIdentifier = Infer<typeof itemIdentifier>;

export const relatedItemInput = struct({
  identifier: required(itemIdentifier),
  title: optional(string({ max: 200 })),
  // generatedId is set by the server; a client may echo it back, it is ignored.
});
export type RelatedItemInput = Infer<typeof relatedItemInput>;

export const triggerDetails = struct({
  source: required(string({ max: 50 })),
  timestamp: required(timestamp()),
  triggerArn: optional(arnString()),
  rawData: optional(string({ max: 10000 })),
});
export type TriggerDetails = Infer<typeof triggerDetails>;

export const eventReference = union({
  resource: arnString(),
  relatedItemId: string({ max: 200 }),
});
export type EventReference = Infer<typeof eventReference>;
export const eventReferences = list(eventReference, { max: 10 });

/** ListIncidentRecords / ListTimelineEvents filter. */
export const filter = struct({
  key: required(string({ max: 50 })),
  condition: required(
    union({
      before: timestamp(),
      after: timestamp(),
      equals: union({
        stringValues: list(string({ max: 1000 }), { max: 100 }),
        integerValues: list(integer(), { max: 100 }),
      }),
    }),
  ),
});
export type Filter = Infer<typeof filter>;
export const filters = list(filter, { max: 5 });
