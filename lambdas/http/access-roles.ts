/**
 * Who may call what, by route. API Gateway authorizes each request with IAM (`execute-api:Invoke` on
 * `<api ARN>/$default/<METHOD>/<path>`), so a policy grants operations by granting their routes. Three roles cover
 * the people who use an incident manager; the stack creates one managed policy per role
 * (lib/constructs/access-policies.ts) and docs/security.md shows them as JSON.
 *
 * - viewer: reads everything (incidents, timelines, plans, contacts, schedules, pages), changes nothing;
 * - responder: a viewer who works incidents: starts and updates incidents, writes the timeline and related items,
 *   pages and acknowledges (StartEngagement, StopEngagement, AcceptPage), and arranges on-call cover with rotation
 *   overrides; cannot change plans, contacts, channels, rotations, policies or the replication set;
 * - admin: every operation, including `POST /`, the route unmodified ssm-contacts clients call (it runs any contacts
 *   operation, so only a role allowed all of them may have it).
 */
import {
  CONTACTS_OPERATION_NAMES,
  CONTACTS_OPERATION_ROUTES,
  CONTACTS_ROUTE,
  INCIDENTS_ROUTES,
  type RouteSpec,
} from './routes.ts';

export type AccessRole = 'viewer' | 'responder' | 'admin';
type ContactsOperationName = (typeof CONTACTS_OPERATION_NAMES)[number];

const INCIDENTS_READS = [
  'BatchGetIncidentFindings',
  'GetIncidentRecord',
  'GetReplicationSet',
  'GetResourcePolicies',
  'GetResponsePlan',
  'GetTimelineEvent',
  'ListIncidentFindings',
  'ListIncidentRecords',
  'ListRelatedItems',
  'ListReplicationSets',
  'ListResponsePlans',
  'ListTagsForResource',
  'ListTimelineEvents',
] as const;

const CONTACTS_READS: readonly ContactsOperationName[] = [
  'DescribeEngagement',
  'DescribePage',
  'GetContact',
  'GetContactChannel',
  'GetContactPolicy',
  'GetRotation',
  'GetRotationOverride',
  'ListContactChannels',
  'ListContacts',
  'ListEngagements',
  'ListPageReceipts',
  'ListPageResolutions',
  'ListPagesByContact',
  'ListPagesByEngagement',
  'ListPreviewRotationShifts',
  'ListRotationOverrides',
  'ListRotationShifts',
  'ListRotations',
  'ListTagsForResource',
];

const INCIDENTS_RESPONSE = [
  'StartIncident',
  'UpdateIncidentRecord',
  'CreateTimelineEvent',
  'UpdateTimelineEvent',
  'DeleteTimelineEvent',
  'UpdateRelatedItems',
] as const;

const CONTACTS_RESPONSE: readonly ContactsOperationName[] = [
  'StartEngagement',
  'StopEngagement',
  'AcceptPage',
  'CreateRotationOverride',
  'DeleteRotationOverride',
];

export interface RoleOperations {
  /** ssm-incidents operations (one route each). */
  incidents: readonly string[];
  /** ssm-contacts operations (their per-operation routes). */
  contacts: readonly string[];
  /** Whether `POST /` (every contacts operation, for unmodified clients) is allowed. */
  contactsRoute: boolean;
}

export const ROLE_OPERATIONS: Readonly<Record<AccessRole, RoleOperations>> = {
  viewer: { incidents: INCIDENTS_READS, contacts: CONTACTS_READS, contactsRoute: false },
  responder: {
    incidents: [...INCIDENTS_READS, ...INCIDENTS_RESPONSE],
    contacts: [...CONTACTS_READS, ...CONTACTS_RESPONSE],
    contactsRoute: false,
  },
  admin: {
    incidents: INCIDENTS_ROUTES.map((r) => r.operation),
    contacts: [...CONTACTS_OPERATION_NAMES],
    contactsRoute: true,
  },
};

/** The routes a role may call. */
export function routesOf(role: AccessRole): RouteSpec[] {
  const { incidents, contacts, contactsRoute } = ROLE_OPERATIONS[role];
  const pick = (routes: readonly RouteSpec[], names: readonly string[]) =>
    names.map((name) => {
      const found = routes.find((r) => r.operation === name);
      if (!found) throw new Error(`No route for ${name}`);
      return found;
    });
  return [
    ...pick(INCIDENTS_ROUTES, incidents),
    ...pick(CONTACTS_OPERATION_ROUTES, contacts),
    ...(contactsRoute ? [CONTACTS_ROUTE] : []),
  ];
}

/**
 * The `execute-api:Invoke` resource path of a route under its API (`$default/<METHOD>/<path>`): a path label becomes
 * `*` (the tag routes take any resource ARN), and `POST /` is the empty path.
 */
export const invokeResourcePath = (spec: RouteSpec): string =>
  `$default/${spec.method}${spec.path.replace(/\{[^}]+\}/g, '*')}`;
