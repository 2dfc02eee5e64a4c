/**
 * The handler behind every ssm-incidents route of the HTTP API (and, locally, behind the local server). It adapts the
 * API Gateway event into an operation call and the result into the modelled HTTP response.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { EXTENSION_OPERATIONS, INCIDENTS_OPERATIONS } from '#core/incidents/api.ts';
import type { AnyOperation } from '#core/incidents/operation.ts';
import { ValidationError } from '#core/shared/errors.ts';
import { jsonHeaders } from '#http/aws-errors.ts';
import { awsErrorResponses } from '#http/error-middleware.ts';
import { callerOf, operationInput, requestPath } from '#http/request.ts';
import { INCIDENTS_FUNCTION_ROUTES, matchRoute } from '#http/routes.ts';
import type { CompositionRoot } from '#runtime/root.ts';
import { automationOf } from '#runtime/runbooks.ts';

export type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** The operations of every route the function serves, by name. */
const OPERATIONS: Readonly<Record<string, AnyOperation>> = { ...INCIDENTS_OPERATIONS, ...EXTENSION_OPERATIONS };

export function createIncidentsApiHandler(root: CompositionRoot): ApiHandler {
  // The runbook view (GetIncidentRunbooks) reads SSM, loaded on its first call.
  const deps = { ...root.incidents, automation: automationOf(root) };
  const dispatch = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const method = event.requestContext.http.method;
    const path = requestPath(event);
    const route = matchRoute(method, path, INCIDENTS_FUNCTION_ROUTES);
    if (!route) throw new ValidationError(`No ssm-incidents operation is bound to ${method} ${path}.`);
    const operation = OPERATIONS[route.spec.operation];
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
