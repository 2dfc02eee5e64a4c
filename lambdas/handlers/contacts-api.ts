/**
 * The handler behind the ssm-contacts route (`POST /`) of the HTTP API (and, locally, behind the local server). It
 * reads the operation from `X-Amz-Target`, runs it, and renders the result or error in the awsJson1_1 protocol.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { CONTACTS_OPERATIONS } from '#core/contacts/api.ts';
import type { AnyContactsOperation } from '#core/contacts/operation.ts';
import {
  contactsErrorResponse,
  contactsHeaders,
  contactsInput,
  contactsOperationName,
} from '#http/contacts-protocol.ts';
import { awsErrorResponses } from '#http/error-middleware.ts';
import { callerOf } from '#http/request.ts';
import { contactsOf } from '#runtime/paging.ts';
import type { CompositionRoot } from '#runtime/root.ts';
import type { ApiHandler } from './incidents-api.ts';

export function createContactsApiHandler(
  root: CompositionRoot,
  operations: Readonly<Record<string, AnyContactsOperation>> = CONTACTS_OPERATIONS,
): ApiHandler {
  const deps = contactsOf(root);
  const dispatch = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const caller = callerOf(event);
    const name = contactsOperationName(event, operations);
    const operation = operations[name];
    if (!operation) throw new Error('unreachable: the operation name was checked against the table');
    const input = contactsInput(event);
    const output = await operation(deps, { ...root.service, caller, now: Date.now() }, input);
    return {
      statusCode: 200,
      headers: contactsHeaders(event.requestContext.requestId),
      body: JSON.stringify(output ?? {}),
    };
  };
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(root.observability.middlewares())
    .use(awsErrorResponses(contactsErrorResponse))
    .handler(dispatch);
}
