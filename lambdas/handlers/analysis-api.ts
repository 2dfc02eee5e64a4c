/**
 * The Lambda behind the post-incident analysis routes of the HTTP API (and, locally, behind the local server): the
 * restJson binding of lambdas/http/routes.ts (ANALYSIS_ROUTES), errors rendered as the ssm-incidents API renders them.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createDynamoDbAnalysisStore, createDynamoDbResponseFactsStore } from '#adapters/dynamodb/analysis-store.ts';
import { createDynamoDbEngagementStore } from '#adapters/dynamodb/contacts-store.ts';
import { createDynamoDbIncidentsStore } from '#adapters/dynamodb/store.ts';
import { ANALYSIS_OPERATIONS } from '#core/analysis/api.ts';
import type { AnalysisDependencies } from '#core/analysis/operation.ts';
import { ValidationError } from '#core/shared/errors.ts';
import type { ServiceContext } from '#core/shared/service-context.ts';
import { jsonHeaders } from '#http/aws-errors.ts';
import { awsErrorResponses } from '#http/error-middleware.ts';
import { callerOf, operationInput, requestPath } from '#http/request.ts';
import { ANALYSIS_ROUTES, matchRoute } from '#http/routes.ts';
import { loadConfig, type RuntimeConfig } from '#runtime/config.ts';
import { createDynamoDbClient } from '#runtime/dynamodb-client.ts';
import type { ApiHandler } from './incidents-api.ts';

export function createAnalysisApiHandler(deps: AnalysisDependencies, service: ServiceContext): ApiHandler {
  const dispatch = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const method = event.requestContext.http.method;
    const path = requestPath(event);
    const route = matchRoute(method, path, ANALYSIS_ROUTES);
    if (!route) throw new ValidationError(`No analysis operation is bound to ${method} ${path}.`);
    const operation = ANALYSIS_OPERATIONS[route.spec.operation];
    if (!operation) throw new Error(`Route ${route.spec.operation} has no operation`);
    const input = operationInput(event, route);
    const output = await operation(deps, { ...service, caller: callerOf(event), now: Date.now() }, input);
    const requestId = event.requestContext.requestId;
    if (route.spec.successCode === 204) return { statusCode: 204, headers: jsonHeaders(requestId), body: '' };
    return { statusCode: route.spec.successCode, headers: jsonHeaders(requestId), body: JSON.stringify(output ?? {}) };
  };
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>().use(awsErrorResponses()).handler(dispatch);
}

/** Builds the handler from configuration; the local runtime and the benchmarks pass their own DynamoDB client. */
export function analysisApiFromConfig(
  config: RuntimeConfig,
  client: DynamoDBClient = createDynamoDbClient(config),
): ApiHandler {
  const storeOptions = {
    client,
    tableName: config.tableName,
    idempotencyWindowSeconds: config.idempotencyWindowSeconds,
  };
  return createAnalysisApiHandler(
    {
      store: createDynamoDbAnalysisStore(storeOptions),
      incidents: createDynamoDbIncidentsStore(storeOptions),
      engagements: createDynamoDbEngagementStore(storeOptions),
      facts: createDynamoDbResponseFactsStore(storeOptions),
    },
    { accountId: config.accountId, region: config.region, partition: config.partition },
  );
}

let fromEnvironment: ApiHandler | undefined;

/** The deployed entry point: configuration is read and clients are built once per execution environment. */
export const handler: ApiHandler = (event, context) => {
  fromEnvironment ??= analysisApiFromConfig(loadConfig());
  return fromEnvironment(event, context);
};
