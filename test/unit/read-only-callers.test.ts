/**
 * The console's viewer role may invoke `POST /` (every ssm-contacts operation shares it), so the contacts function
 * itself refuses that role everything but reads.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createContactsApiHandler } from '#handlers/contacts-api.ts';
import { loadConfig } from '#runtime/config.ts';
import { localObservability } from '#runtime/observability.ts';
import { CompositionRoot } from '#runtime/root.ts';

const VIEWER =
  'arn:aws:sts::111122223333:assumed-role/IncidentManager-ConsoleViewerRole-AbC/CognitoIdentityCredentials';
const RESPONDER =
  'arn:aws:sts::111122223333:assumed-role/IncidentManager-ConsoleResponderRole-XyZ/CognitoIdentityCredentials';

const request = (operation: string, userArn: string): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'POST /',
    rawPath: '/',
    rawQueryString: '',
    headers: { 'x-amz-target': `SSMContacts.${operation}`, 'content-type': 'application/x-amz-json-1.1' },
    body: '{}',
    isBase64Encoded: false,
    requestContext: { requestId: 'r1', http: { method: 'POST', path: '/' }, authorizer: { iam: { userArn } } },
  }) as unknown as APIGatewayProxyEventV2;

const called: string[] = [];
const operations = {
  ListContacts: async () => {
    called.push('ListContacts');
    return { Contacts: [] };
  },
  CreateContact: async () => {
    called.push('CreateContact');
    return { ContactArn: 'arn:aws:ssm-contacts:us-east-1:111122223333:contact/a' };
  },
};
const root = new CompositionRoot(
  loadConfig({
    TABLE_NAME: 'unused',
    ACCOUNT_ID: '111122223333',
    AWS_REGION: 'us-east-1',
    READ_ONLY_ROLE_NAMES: 'IncidentManager-ConsoleViewerRole-AbC',
  }),
  { observability: localObservability() },
);
const handler = createContactsApiHandler(root, operations as never);
const invoke = (operation: string, userArn: string) =>
  handler(request(operation, userArn), {} as never) as Promise<any>;

describe('read-only roles on ssm-contacts', () => {
  it('lets the viewer role read, refuses it a write with AccessDeniedException, and lets other roles write', async () => {
    // Act
    const read = await invoke('ListContacts', VIEWER);
    const write = await invoke('CreateContact', VIEWER);
    const responderWrite = await invoke('CreateContact', RESPONDER);

    // Assess
    expect(read.statusCode).toBe(200);
    expect(write.statusCode).toBe(403);
    expect(JSON.parse(write.body).__type).toMatch(/AccessDeniedException/);
    expect(responderWrite.statusCode).toBe(200);
    expect(called).toEqual(['ListContacts', 'CreateContact']);
  });
});
