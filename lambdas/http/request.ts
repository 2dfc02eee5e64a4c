/**
 * Reads an API Gateway HTTP API (payload v2) event into an operation's input: the JSON body, the query-string
 * members and the path label merged, as the restJson1 binding declares them. Anything unreadable is a
 * ValidationException that says what was wrong with the request.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { AccessDeniedError, ValidationError } from '#core/shared/errors.ts';
import type { Caller } from '#core/shared/service-context.ts';
import type { MatchedRoute } from './routes.ts';

/** API Gateway's own payload limit is 10 MB; nothing in this API needs more than a few hundred KB. */
export const MAX_BODY_BYTES = 1024 * 1024;

const decodeLabel = (raw: string) => {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ValidationError("Value at 'resourceArn' (the path label) is not valid percent-encoding.", 'resourceArn');
  }
};

export const requestPath = (event: APIGatewayProxyEventV2): string => event.rawPath || event.requestContext.http.path;

export function parseBody(event: APIGatewayProxyEventV2): Record<string, unknown> {
  if (!event.body) return {};
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES)
    throw new ValidationError(`The request body is larger than ${MAX_BODY_BYTES} bytes.`);
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ValidationError('The request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

export function operationInput(event: APIGatewayProxyEventV2, route: MatchedRoute): Record<string, unknown> {
  const input: Record<string, unknown> = { ...parseBody(event) };
  const query = new URLSearchParams(event.rawQueryString ?? '');
  for (const member of route.spec.query ?? []) {
    const value = query.get(member);
    if (value !== null) input[member] = value;
  }
  for (const member of route.spec.queryLists ?? []) {
    const values = query.getAll(member);
    if (values.length) input[member] = values;
  }
  if (route.label !== undefined) input.resourceArn = decodeLabel(route.label);
  return input;
}

/** The IAM principal API Gateway authenticated (locally: the one the local server derived from the signature). */
export function callerOf(event: APIGatewayProxyEventV2): Caller {
  const iam = (event.requestContext as { authorizer?: { iam?: { userArn?: string } } }).authorizer?.iam;
  if (!iam?.userArn) throw new AccessDeniedError('The request carries no authenticated IAM principal.');
  return { principalArn: iam.userArn };
}
