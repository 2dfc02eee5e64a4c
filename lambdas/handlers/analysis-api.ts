/**
 * The Lambda behind the post-incident analysis routes of the HTTP API (and, locally, behind the local server): the
 * restJson binding of lambdas/http/routes.ts (ANALYSIS_ROUTES), errors rendered as the ssm-incidents API renders them.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ANALYSIS_OPERATIONS } from '#core/analysis/api.ts';
import type { AnalysisOperation } from '#core/analysis/operation.ts';
import { ValidationError } from '#core/shared/errors.ts';
import { jsonHeaders } from '#http/aws-errors.ts';
import { awsErrorResponses } from '#http/error-middleware.ts';
import { callerOf, operationInput, requestPath } from '#http/request.ts';
import { ANALYSIS_ROUTES, matchRoute } from '#http/routes.ts';
import { analysisOf } from '#runtime/analysis.ts';
import type { CompositionRoot } from '#runtime/root.ts';
import type { ApiHandler } from './incidents-api.ts';

/** The operations by route name. */
const OPERATIONS: Readonly<Record<string, AnalysisOperation>> = ANALYSIS_OPERATIONS;

export function createAnalysisApiHandler(root: CompositionRoot): ApiHandler {
  const deps = analysisOf(root);
  const service = root.service;
  const dispatch = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const method = event.requestContext.http.method;
    const path = requestPath(event);
    const route = matchRoute(method, path, ANALYSIS_ROUTES);
    if (!route) throw new ValidationError(`No analysis operation is bound to ${method} ${path}.`);
    const operation = OPERATIONS[route.spec.operation];
    if (!operation) throw new Error(`Route ${route.spec.operation} has no operation`);
    const input = operationInput(event, route);
    const output = await operation(deps, { ...service, caller: callerOf(event), now: Date.now() }, input);
    const requestId = event.requestContext.requestId;
    if (route.spec.successCode === 204) return { statusCode: 204, headers: jsonHeaders(requestId), body: '' };
    return { statusCode: route.spec.successCode, headers: jsonHeaders(requestId), body: JSON.stringify(output ?? {}) };
  };
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(root.observability.middlewares())
    .use(awsErrorResponses())
    .handler(dispatch);
}
