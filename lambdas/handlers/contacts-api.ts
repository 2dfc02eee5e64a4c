/**
 * The Lambda behind the ssm-contacts route (`POST /`) of the HTTP API (and, locally, behind the local server). It
 * reads the operation from `X-Amz-Target`, runs it, and renders the result or error in the awsJson1_1 protocol.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createDynamoDbContactsStore } from '#adapters/dynamodb/contacts-store.ts';
import { createMessageSenderFromEnvironment } from '#adapters/messaging/create-sender.ts';
import { CONTACTS_OPERATIONS } from '#core/contacts/api.ts';
import type { MessageSender } from '#core/contacts/messaging.ts';
import type { ContactsDependencies } from '#core/contacts/operation.ts';
import type { ServiceContext } from '#core/shared/service-context.ts';
import {
  contactsErrorResponse,
  contactsHeaders,
  contactsInput,
  contactsOperationName,
} from '#http/contacts-protocol.ts';
import { awsErrorResponses } from '#http/error-middleware.ts';
import { assertMayCall } from '#http/read-only-callers.ts';
import { callerOf } from '#http/request.ts';
import { loadConfig, type RuntimeConfig } from '#runtime/config.ts';
import { createDynamoDbClient } from '#runtime/dynamodb-client.ts';
import { type EngagementOptions, engagementDependenciesFromConfig } from '#runtime/engagements.ts';
import type { ApiHandler } from './incidents-api.ts';

export function createContactsApiHandler(
  deps: ContactsDependencies,
  service: ServiceContext,
  operations = CONTACTS_OPERATIONS,
  readOnlyRoleNames: readonly string[] = [],
): ApiHandler {
  const dispatch = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const caller = callerOf(event);
    const name = contactsOperationName(event, operations);
    assertMayCall(name, caller.principalArn, readOnlyRoleNames);
    const operation = operations[name];
    if (!operation) throw new Error('unreachable: the operation name was checked against the table');
    const input = contactsInput(event);
    const output = await operation(deps, { ...service, caller, now: Date.now() }, input);
    return {
      statusCode: 200,
      headers: contactsHeaders(event.requestContext.requestId),
      body: JSON.stringify(output ?? {}),
    };
  };
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(awsErrorResponses(contactsErrorResponse))
    .handler(dispatch);
}

export interface ContactsApiOptions {
  /**
   * Where activation codes (and later pages) go. Deployed: SES / End User Messaging per channel type as configured
   * (lib/constructs/message-delivery.ts), the function's log for the others.
   */
  messages?: MessageSender;
  /** Paging: the workflow runner and time scale (the local runtime passes its own); default Step Functions. */
  engagements?: EngagementOptions;
}

/** Builds the handler from configuration; the local runtime passes its DynamoDB client and its outbox. */
export function contactsApiFromConfig(
  config: RuntimeConfig,
  client: DynamoDBClient = createDynamoDbClient(config),
  options: ContactsApiOptions = {},
): ApiHandler {
  const store = createDynamoDbContactsStore({
    client,
    tableName: config.tableName,
    idempotencyWindowSeconds: config.idempotencyWindowSeconds,
  });
  const messages = options.messages ?? createMessageSenderFromEnvironment(process.env, { region: config.region });
  const { engagements } = engagementDependenciesFromConfig(config, client, messages, options.engagements);
  return createContactsApiHandler(
    { store, messages, engagements },
    { accountId: config.accountId, region: config.region, partition: config.partition },
    CONTACTS_OPERATIONS,
    config.readOnlyRoleNames ?? [],
  );
}

let fromEnvironment: ApiHandler | undefined;

/** The deployed entry point: configuration is read and clients are built once per execution environment. */
export const handler: ApiHandler = (event, context) => {
  fromEnvironment ??= contactsApiFromConfig(loadConfig());
  return fromEnvironment(event, context);
};
