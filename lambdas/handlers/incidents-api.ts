/**
 * The Lambda behind every ssm-incidents route of the HTTP API (and, locally, behind the local server).
 * It adapts the API Gateway event into an operation call and the result into the modelled HTTP response.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createDynamoDbIncidentsStore } from '#adapters/dynamodb/store.ts';
import { EXTENSION_OPERATIONS, INCIDENTS_OPERATIONS } from '#core/incidents/api.ts';
import type { Dependencies } from '#core/incidents/operation.ts';
import type { AutomationService } from '#core/runbooks/model.ts';
import { ValidationError } from '#core/shared/errors.ts';
import type { ServiceContext } from '#core/shared/service-context.ts';
import { jsonHeaders } from '#http/aws-errors.ts';
import { awsErrorResponses } from '#http/error-middleware.ts';
import { callerOf, operationInput, requestPath } from '#http/request.ts';
import { INCIDENTS_FUNCTION_ROUTES, matchRoute } from '#http/routes.ts';
import { loadConfig, type RuntimeConfig } from '#runtime/config.ts';
import { createDynamoDbClient } from '#runtime/dynamodb-client.ts';
import { type EngagementOptions, incidentPagingFromConfig, NO_MESSAGES } from '#runtime/engagements.ts';
import { ssmAutomationService } from '#runtime/runbooks.ts';

export type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export function createIncidentsApiHandler(deps: Dependencies, service: ServiceContext): ApiHandler {
  const dispatch = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const method = event.requestContext.http.method;
    const path = requestPath(event);
    const route = matchRoute(method, path, INCIDENTS_FUNCTION_ROUTES);
    if (!route) throw new ValidationError(`No ssm-incidents operation is bound to ${method} ${path}.`);
    const operation = INCIDENTS_OPERATIONS[route.spec.operation] ?? EXTENSION_OPERATIONS[route.spec.operation];
    if (!operation) throw new Error(`Route ${route.spec.operation} has no operation`);
    const input = operationInput(event, route);
    const ctx = { ...service, caller: callerOf(event), now: Date.now() };
    const output = await operation(deps, ctx, input);
    const requestId = event.requestContext.requestId;
    if (route.spec.successCode === 204) return { statusCode: 204, headers: jsonHeaders(requestId), body: '' };
    return { statusCode: route.spec.successCode, headers: jsonHeaders(requestId), body: JSON.stringify(output ?? {}) };
  };
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>().use(awsErrorResponses()).handler(dispatch);
}

export interface IncidentsApiOptions {
  /** Paging (StartIncident engages the plan's contacts): the workflow runner and time scale; default Step Functions. */
  engagements?: EngagementOptions;
  /** SSM for the runbook view (GetIncidentRunbooks); default: @aws-sdk/client-ssm in the function's Region. */
  automation?: AutomationService;
}

/** Builds the handler from configuration; the local runtime and the benchmarks pass their own DynamoDB client. */
export function incidentsApiFromConfig(
  config: RuntimeConfig,
  client: DynamoDBClient = createDynamoDbClient(config),
  options: IncidentsApiOptions = {},
): ApiHandler {
  const store = createDynamoDbIncidentsStore({
    client,
    tableName: config.tableName,
    idempotencyWindowSeconds: config.idempotencyWindowSeconds,
  });
  const paging = incidentPagingFromConfig(config, client, NO_MESSAGES, options.engagements);
  const automation = options.automation ?? ssmAutomationService(config);
  return createIncidentsApiHandler(
    { store, paging, automation },
    { accountId: config.accountId, region: config.region, partition: config.partition },
  );
}

let fromEnvironment: ApiHandler | undefined;

/** The deployed entry point: configuration is read and clients are built once per execution environment. */
export const handler: ApiHandler = (event, context) => {
  fromEnvironment ??= incidentsApiFromConfig(loadConfig());
  return fromEnvironment(event, context);
};
