/**
 * The ssm-contacts wire protocol (awsJson1_1) on API Gateway: every call is `POST /` with
 * `X-Amz-Target: SSMContacts.<Operation>` and the whole input as a JSON body; every success is 200 with a JSON body
 * (`{}` when the output is empty). Errors carry `__type` (namespaced, as AWS sends it), `Message`, the
 * `x-amzn-errortype` header and the error's modelled members in PascalCase: ValidationException's Reason and Fields,
 * ResourceNotFoundException's ResourceId and ResourceType, ConflictException's DependentEntities,
 * ServiceQuotaExceededException's QuotaCode and ServiceCode.
 *
 * Status codes: the ssm-contacts model gives its error shapes no `@httpError`, so the awsJson1_1 default applies:
 * 400 for every client error (ValidationException, ResourceNotFoundException, ConflictException,
 * ServiceQuotaExceededException, AccessDeniedException, ThrottlingException, DataEncryptionException) and 500 for
 * InternalServerException, the one server fault. The SDKs find the error by `__type`; their retries key on the name
 * (ThrottlingException), not on the status. (ssm-incidents, restJson1, models 404/409/402/429 and uses them.)
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { CONTACTS_TARGET_PREFIX } from '#core/contacts/api.ts';
import {
  AccessDeniedError,
  ConflictError,
  isDomainError,
  ResourceNotFoundError,
  ServiceQuotaExceededError,
  ValidationError,
} from '#core/shared/errors.ts';
import { MAX_BODY_BYTES, requestPath } from './request.ts';
import { CONTACTS_OPERATION_PREFIX } from './routes.ts';

export const CONTACTS_CONTENT_TYPE = 'application/x-amz-json-1.1';
const NAMESPACE = 'com.amazonaws.ssmcontacts';
/** awsJson1_1's status for a client error without `@httpError` (all of ssm-contacts' client errors). */
export const CONTACTS_CLIENT_ERROR_STATUS = 400;
const SERVICE_CODE = 'ssm-contacts';

export const contactsHeaders = (requestId: string) => ({
  'content-type': CONTACTS_CONTENT_TYPE,
  'x-amzn-requestid': requestId,
  date: new Date().toUTCString(),
});

const header = (event: APIGatewayProxyEventV2, name: string): string | undefined => {
  const headers = event.headers ?? {};
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
};

/**
 * The operation to run: on a per-operation route (`POST /ssm-contacts/<Operation>`) the one the path names, which
 * is what IAM authorized (an `X-Amz-Target` naming another operation is refused, never followed); on `POST /` the
 * one `X-Amz-Target` names. Anything else is a ValidationException with Reason UNKNOWN_OPERATION.
 */
export function contactsOperationName(event: APIGatewayProxyEventV2, known: Readonly<Record<string, unknown>>): string {
  const target = header(event, 'x-amz-target');
  const method = event.requestContext.http.method;
  const fromTarget = target?.startsWith(CONTACTS_TARGET_PREFIX)
    ? target.slice(CONTACTS_TARGET_PREFIX.length)
    : undefined;
  const path = requestPath(event);
  const fromPath = path.startsWith(CONTACTS_OPERATION_PREFIX)
    ? path.slice(CONTACTS_OPERATION_PREFIX.length)
    : undefined;
  const unknown = (message: string) => new ValidationError(message, undefined, 'UNKNOWN_OPERATION');
  if (method !== 'POST') throw unknown(`ssm-contacts operations are POST requests, not ${method}.`);
  if (fromPath !== undefined) {
    if (!Object.hasOwn(known, fromPath))
      throw unknown(`Unknown operation: ${path} names no ssm-contacts operation this service implements.`);
    if (target !== undefined && fromTarget !== fromPath)
      throw unknown(
        `X-Amz-Target ${target} does not match the route ${path}: a per-operation route runs only its own operation.`,
      );
    return fromPath;
  }
  if (!fromTarget || !Object.hasOwn(known, fromTarget))
    throw unknown(
      target
        ? `Unknown operation: ${target} is not an ssm-contacts operation this service implements.`
        : 'Missing X-Amz-Target header: ssm-contacts requests name their operation as SSMContacts.<Operation>.',
    );
  return fromTarget;
}

/** The request body as the operation's input; anything unreadable is a ValidationException with Reason CANNOT_PARSE. */
export function contactsInput(event: APIGatewayProxyEventV2): unknown {
  const cannotParse = (message: string) => new ValidationError(message, undefined, 'CANNOT_PARSE');
  const contentType = header(event, 'content-type');
  if (contentType !== undefined && !/json/i.test(contentType))
    throw cannotParse(`Content-Type must be ${CONTACTS_CONTENT_TYPE}, not ${contentType}.`);
  if (!event.body) return {};
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES)
    throw cannotParse(`The request body is larger than ${MAX_BODY_BYTES} bytes.`);
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw cannotParse(`The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw cannotParse('The request body must be a JSON object.');
  return parsed;
}

const defined = (members: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(members).filter(([, v]) => v !== undefined));

/** The error's modelled members in ssm-contacts casing. */
const membersOf = (error: unknown): Record<string, unknown> => {
  if (error instanceof ValidationError)
    return {
      Reason: error.reason ?? (error.field ? 'FIELD_VALIDATION_FAILED' : 'OTHER'),
      ...(error.field ? { Fields: [{ Name: error.field, Message: error.message }] } : {}),
    };
  if (error instanceof ConflictError)
    return defined({
      ResourceId: error.resourceIdentifier,
      ResourceType: error.resourceType,
      DependentEntities: error.dependentEntities?.map((d) => ({
        RelationType: d.relationType,
        DependentResourceIds: d.dependentResourceIds,
      })),
    });
  if (error instanceof ResourceNotFoundError)
    return defined({ ResourceId: error.resourceIdentifier, ResourceType: error.resourceType });
  if (error instanceof ServiceQuotaExceededError)
    return defined({
      QuotaCode: error.quotaCode,
      ServiceCode: SERVICE_CODE,
      ResourceId: error.resourceIdentifier,
      ResourceType: error.resourceType,
    });
  if (error instanceof AccessDeniedError) return {};
  return {};
};

const response = (
  status: number,
  name: string,
  message: string,
  members: Record<string, unknown>,
  requestId: string,
  extraHeaders: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => ({
  statusCode: status,
  headers: { ...contactsHeaders(requestId), 'x-amzn-errortype': name, ...extraHeaders },
  body: JSON.stringify({ __type: `${NAMESPACE}#${name}`, Message: message, ...members }),
});

export function contactsErrorResponse(error: unknown, requestId: string): APIGatewayProxyStructuredResultV2 {
  if (isDomainError(error)) {
    if (error.name === 'ThrottlingException')
      return response(
        CONTACTS_CLIENT_ERROR_STATUS,
        error.name,
        error.message,
        { ServiceCode: SERVICE_CODE, QuotaCode: 'throttling' },
        requestId,
        {
          'retry-after': '1',
        },
      );
    return response(CONTACTS_CLIENT_ERROR_STATUS, error.name, error.message, membersOf(error), requestId);
  }
  const name = (error as { name?: string })?.name;
  if (
    name === 'ProvisionedThroughputExceededException' ||
    name === 'ThrottlingException' ||
    name === 'RequestLimitExceeded'
  )
    return response(
      CONTACTS_CLIENT_ERROR_STATUS,
      'ThrottlingException',
      'The request was throttled; retry with back-off.',
      { ServiceCode: SERVICE_CODE, QuotaCode: 'throttling', RetryAfterSeconds: 1 },
      requestId,
      { 'retry-after': '1' },
    );
  return response(
    500,
    'InternalServerException',
    `The service could not complete the request (request id ${requestId}).`,
    {},
    requestId,
  );
}
