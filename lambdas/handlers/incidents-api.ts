/**
 * The handler behind every ssm-incidents route of the HTTP API (and, locally, behind the local server). It adapts the
 * API Gateway event into an operation call and the result into the modelled HTTP response.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { INCIDENTS_OPERATIONS } from '#core/incidents/api.ts';
import { ValidationError } from '#core/shared/errors.ts';
import { jsonHeaders } from '#http/aws-errors.ts';
import { awsErrorResponses } from '#http/error-middleware.ts';
import { callerOf, operationInput, requestPath } from '#http/request.ts';
import { INCIDENTS_ROUTES, matchRoute } from '#http/routes.ts';
import type { CompositionRoot } from '#runtime/root.ts';

export type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export function createIncidentsApiHandler(root: CompositionRoot): ApiHandler {
  const deps = root.incidents;
  const dispatch = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const method = event.requestContext.http.method;
    const path = requestPath(event);
    const route = matchRoute(method, path, INCIDENTS_ROUTES);
    if (!route) throw new ValidationError(`No ssm-incidents operation is bound to ${method} ${path}.`);
    const operation = INCIDENTS_OPERATIONS[route.spec.operation];
    if (!operation) throw new Error(`Route ${route.spec.operation} has no operation`);
    const input = operationInput(event, route);
    const ctx = { ...root.service, caller: callerOf(event), now: Date.now() };
    const output = await operation(deps, ctx, input);
    const requestId = event.requestContext.requestId;
    if (route.spec.successCode === 204) return { statusCode: 204, headers: jsonHeaders(requestId), body: '' };
    return { statusCode: route.spec.successCode, headers: jsonHeaders(requestId), body: JSON.stringify(output ?? {}) };
  };
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(root.observability.middlewares())
    .use(awsErrorResponses())
    .handler(dispatch);
}
