/**
 * The route table of the management API: each ssm-incidents operation's HTTP binding as the Smithy model declares
 * it (method, path, success code, members bound to the query string or a path label). The CDK stack creates one
 * API Gateway route per entry and the handler dispatches by the same table, so the two cannot disagree.
 */
export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** The deployed function that serves a route (one Lambda per API surface). */
export type ApiFunction = 'incidentsApi' | 'contactsApi' | 'analysisApi';

export interface RouteSpec {
  operation: string;
  method: HttpMethod;
  /** Path as the SDK sends it. `{resourceArn}` is a label holding a percent-encoded ARN. */
  path: string;
  successCode: 200 | 201 | 204;
  /** Input members bound to the query string. Lists (`tagKeys`) come as repeated keys. */
  query?: readonly string[];
  queryLists?: readonly string[];
  function: ApiFunction;
}

const route = (
  operation: string,
  method: HttpMethod,
  path: string,
  successCode: RouteSpec['successCode'],
  binding: Pick<RouteSpec, 'query' | 'queryLists'> = {},
  fn: ApiFunction = 'incidentsApi',
): RouteSpec => ({ operation, method, path, successCode, ...binding, function: fn });

export const INCIDENTS_ROUTES: readonly RouteSpec[] = [
  route('BatchGetIncidentFindings', 'POST', '/batchGetIncidentFindings', 200),
  route('CreateReplicationSet', 'POST', '/createReplicationSet', 201),
  route('CreateResponsePlan', 'POST', '/createResponsePlan', 201),
  route('CreateTimelineEvent', 'POST', '/createTimelineEvent', 201),
  route('DeleteIncidentRecord', 'POST', '/deleteIncidentRecord', 204),
  route('DeleteReplicationSet', 'POST', '/deleteReplicationSet', 204, { query: ['arn'] }),
  route('DeleteResourcePolicy', 'POST', '/deleteResourcePolicy', 200),
  route('DeleteResponsePlan', 'POST', '/deleteResponsePlan', 204),
  route('DeleteTimelineEvent', 'POST', '/deleteTimelineEvent', 204),
  route('GetIncidentRecord', 'GET', '/getIncidentRecord', 200, { query: ['arn'] }),
  route('GetReplicationSet', 'GET', '/getReplicationSet', 200, { query: ['arn'] }),
  route('GetResourcePolicies', 'POST', '/getResourcePolicies', 200, { query: ['resourceArn'] }),
  route('GetResponsePlan', 'GET', '/getResponsePlan', 200, { query: ['arn'] }),
  route('GetTimelineEvent', 'GET', '/getTimelineEvent', 200, { query: ['incidentRecordArn', 'eventId'] }),
  route('ListIncidentFindings', 'POST', '/listIncidentFindings', 200),
  route('ListIncidentRecords', 'POST', '/listIncidentRecords', 200),
  route('ListRelatedItems', 'POST', '/listRelatedItems', 200),
  route('ListReplicationSets', 'POST', '/listReplicationSets', 200),
  route('ListResponsePlans', 'POST', '/listResponsePlans', 200),
  route('ListTagsForResource', 'GET', '/tags/{resourceArn}', 200),
  route('ListTimelineEvents', 'POST', '/listTimelineEvents', 200),
  route('PutResourcePolicy', 'POST', '/putResourcePolicy', 200),
  route('StartIncident', 'POST', '/startIncident', 200),
  route('TagResource', 'POST', '/tags/{resourceArn}', 204),
  route('UntagResource', 'DELETE', '/tags/{resourceArn}', 204, { queryLists: ['tagKeys'] }),
  route('UpdateDeletionProtection', 'POST', '/updateDeletionProtection', 204),
  route('UpdateIncidentRecord', 'POST', '/updateIncidentRecord', 204),
  route('UpdateRelatedItems', 'POST', '/updateRelatedItems', 204),
  route('UpdateReplicationSet', 'POST', '/updateReplicationSet', 204),
  route('UpdateResponsePlan', 'POST', '/updateResponsePlan', 204),
  route('UpdateTimelineEvent', 'POST', '/updateTimelineEvent', 204),
];

/**
 * The post-incident analysis API: an extension on the same endpoint in the ssm-incidents style (restJson, one path
 * per operation, the same error shapes, nextToken/maxResults, clientToken), served by its own function so the
 * incidents function's bundle does not carry it. Reference: docs/post-incident-analysis.md.
 */
const analysisRoute = (
  operation: string,
  method: HttpMethod,
  successCode: RouteSpec['successCode'],
  query?: readonly string[],
): RouteSpec =>
  route(
    operation,
    method,
    `/${operation[0]?.toLowerCase()}${operation.slice(1)}`,
    successCode,
    query ? { query } : {},
    'analysisApi',
  );

export const ANALYSIS_ROUTES: readonly RouteSpec[] = [
  analysisRoute('CreateAnalysisTemplate', 'POST', 201),
  analysisRoute('GetAnalysisTemplate', 'GET', 200, ['name', 'templateVersion']),
  analysisRoute('UpdateAnalysisTemplate', 'POST', 200),
  analysisRoute('DeleteAnalysisTemplate', 'POST', 204),
  analysisRoute('ListAnalysisTemplates', 'POST', 200),
  analysisRoute('ListAnalysisTemplateVersions', 'POST', 200),
  analysisRoute('CreateAnalysis', 'POST', 201),
  analysisRoute('GetAnalysis', 'GET', 200, ['arn']),
  analysisRoute('ListAnalyses', 'POST', 200),
  analysisRoute('UpdateAnalysis', 'POST', 204),
  analysisRoute('UpdateAnalysisSection', 'POST', 200),
  analysisRoute('DeleteAnalysis', 'POST', 204),
  analysisRoute('ListAnalysisTimelineEvents', 'POST', 200),
  analysisRoute('CreateAnalysisTimelineEvent', 'POST', 201),
  analysisRoute('UpdateAnalysisTimelineEvent', 'POST', 204),
  analysisRoute('DeleteAnalysisTimelineEvent', 'POST', 204),
  analysisRoute('ExportAnalysis', 'GET', 200, ['arn', 'format']),
  analysisRoute('CreateActionItem', 'POST', 201),
  analysisRoute('GetActionItem', 'GET', 200, ['arn']),
  analysisRoute('UpdateActionItem', 'POST', 204),
  analysisRoute('DeleteActionItem', 'POST', 204),
  analysisRoute('ListActionItems', 'POST', 200),
  analysisRoute('GetIncidentKeyFigures', 'GET', 200, ['incidentRecordArn']),
  analysisRoute('GetResponseMetrics', 'POST', 200),
];

/**
 * Operations of this service that Incident Manager does not have, in the same restJson style (POST, JSON body, 200),
 * served by the incidents function and IAM-authorized like every route: `GetIncidentRunbooks` (the runbook view, see
 * docs/runbooks.md). SDK clients do not know them; call them with a signed HTTP request (the console does).
 */
export const EXTENSION_ROUTES: readonly RouteSpec[] = [
  route('GetIncidentRunbooks', 'POST', '/getIncidentRunbooks', 200),
];

/** Every route the incidents function serves: the model's operations and the extensions. */
export const INCIDENTS_FUNCTION_ROUTES: readonly RouteSpec[] = [...INCIDENTS_ROUTES, ...EXTENSION_ROUTES];

/**
 * ssm-contacts (awsJson1_1) on the same endpoint: every operation is `POST /`, named by `X-Amz-Target:
 * SSMContacts.<Operation>`, so one route reaches the contacts function, which dispatches by that header
 * (lambdas/http/contacts-protocol.ts). Its `operation` is the protocol's target prefix, not a single operation.
 */
export const CONTACTS_ROUTE: RouteSpec = {
  operation: 'SSMContacts',
  method: 'POST',
  path: '/',
  successCode: 200,
  function: 'contactsApi',
};

/** Every route of the HTTP API, whichever function serves it (the CDK stack and the local server use this). */
export const API_ROUTES: readonly RouteSpec[] = [...INCIDENTS_FUNCTION_ROUTES, ...ANALYSIS_ROUTES, CONTACTS_ROUTE];

const LABEL = '{resourceArn}';

/**
 * The route as API Gateway must declare it. The SDK percent-encodes the whole ARN (including `/` as `%2F`), which
 * API Gateway may decode before matching, so the label is greedy there.
 */
export const apiGatewayPath = (spec: RouteSpec) => spec.path.replace(LABEL, '{resourceArn+}');

export interface MatchedRoute {
  spec: RouteSpec;
  /** The decoded path label, for `/tags/{resourceArn}`. */
  label?: string;
}

/** Finds the route for a request; `undefined` when no operation has this method and path. */
export const matchRoute = (
  method: string,
  path: string,
  routes: readonly RouteSpec[] = INCIDENTS_ROUTES,
): MatchedRoute | undefined => {
  for (const spec of routes) {
    if (spec.method !== method) continue;
    const labelAt = spec.path.indexOf(LABEL);
    if (labelAt === -1) {
      if (spec.path === path) return { spec };
      continue;
    }
    const prefix = spec.path.slice(0, labelAt);
    if (path.startsWith(prefix) && path.length > prefix.length) return { spec, label: path.slice(prefix.length) };
  }
  return undefined;
};
