/**
 * Who may call what, by route. API Gateway authorizes each request with IAM (`execute-api:Invoke` on
 * `<api ARN>/$default/<METHOD>/<path>`), so a policy grants operations by granting their routes. Three roles cover
 * the people who use an incident manager; the stack creates one managed policy per role
 * (lib/constructs/access-policies.ts) and docs/security.md shows them as JSON.
 *
 * - viewer: reads everything (incidents, timelines, runbooks, plans, contacts, schedules, pages, analyses), changes
 *   nothing;
 * - responder: a viewer who works incidents: starts and updates incidents, writes the timeline and related items,
 *   pages and acknowledges (StartEngagement, StopEngagement, AcceptPage), arranges on-call cover with rotation
 *   overrides, and writes post-incident analyses and their action items; cannot change plans, contacts, channels,
 *   rotations, policies, analysis templates or the replication set, nor delete an analysis;
 * - admin: every operation, including `POST /`, the route unmodified ssm-contacts clients call (it runs any contacts
 *   operation, so only a role allowed all of them may have it).
 */
import {
  ANALYSIS_ROUTES,
  CONTACTS_OPERATION_NAMES,
  CONTACTS_OPERATION_ROUTES,
  CONTACTS_ROUTE,
  INCIDENTS_FUNCTION_ROUTES,
  type RouteSpec,
} from './routes.ts';

/** The restJson routes, one per operation: ssm-incidents, our extensions and the post-incident analysis API. */
const REST_ROUTES: readonly RouteSpec[] = [...INCIDENTS_FUNCTION_ROUTES, ...ANALYSIS_ROUTES];

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
  'GetIncidentRunbooks',
  'GetAnalysisTemplate',
  'ListAnalysisTemplates',
  'ListAnalysisTemplateVersions',
  'GetAnalysis',
  'ListAnalyses',
  'ListAnalysisTimelineEvents',
  'ExportAnalysis',
  'GetActionItem',
  'ListActionItems',
  'GetIncidentKeyFigures',
  'GetResponseMetrics',
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
  'CreateAnalysis',
  'UpdateAnalysis',
  'UpdateAnalysisSection',
  'CreateAnalysisTimelineEvent',
  'UpdateAnalysisTimelineEvent',
  'DeleteAnalysisTimelineEvent',
  'CreateActionItem',
  'UpdateActionItem',
  'DeleteActionItem',
] as const;

const CONTACTS_RESPONSE: readonly ContactsOperationName[] = [
  'StartEngagement',
  'StopEngagement',
  'AcceptPage',
  'CreateRotationOverride',
  'DeleteRotationOverride',
];

export interface RoleOperations {
  /** restJson operations: ssm-incidents, the extensions and post-incident analysis (one route each). */
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
    incidents: REST_ROUTES.map((r) => r.operation),
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
    ...pick(REST_ROUTES, incidents),
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

/** Every route the API has (API_ROUTES less nothing: `POST /` included), as invoke resource paths. */
const ALL_ROUTE_PATHS = [...REST_ROUTES, ...CONTACTS_OPERATION_ROUTES, CONTACTS_ROUTE].map(invokeResourcePath);

/** Operation-name prefixes that, by the AWS API naming convention, only read (AWS's read-only policies use them). */
const READ_VERB = /^(\$default\/[A-Z]+\/(?:ssm-contacts\/)?)(batchGet|get|list|describe)/i;

/** Whether an IAM resource pattern (`*` matches any characters, `/` included) names a resource path. */
export const iamPatternMatches = (pattern: string, path: string): boolean =>
  new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`).test(path);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The resource paths a role's policy names: every route by name, except that read operations sharing a verb
 * (`$default/POST/ssm-contacts/List*`) are named by that prefix when every route of the API it matches is one the role
 * may call. A managed policy holds 6,144 characters; the responder's 64 routes one by one would not fit. Admin is
 * the whole API.
 */
export function policyResourcePaths(role: AccessRole): string[] {
  if (role === 'admin') return ['$default/*'];
  const allowed = new Set(routesOf(role).map(invokeResourcePath));
  const patterns = new Set<string>();
  for (const path of allowed) {
    const verb = READ_VERB.exec(path);
    if (!verb) continue;
    const pattern = `${verb[1]}${verb[2]}*`;
    const matched = ALL_ROUTE_PATHS.filter((p) => iamPatternMatches(pattern, p));
    if (matched.length > 1 && matched.every((p) => allowed.has(p))) patterns.add(pattern);
  }
  const named = [...allowed].filter((path) => ![...patterns].some((pattern) => iamPatternMatches(pattern, path)));
  return [...[...patterns].sort(), ...named];
}
