/**
 * The console's SDK clients sign as API Gateway's IAM authorizer expects in AWS (`execute-api`), both the
 * ssm-incidents client and the older ssm-contacts one, and as the services themselves otherwise (locally); contacts
 * calls take the per-operation routes, which the viewer policy can allow one by one (`POST /` it never allows).
 */
import { createServer } from 'node:http';
import { SendAutomationSignalCommand } from '@aws-sdk/client-ssm';
import { ListContactsCommand } from '@aws-sdk/client-ssm-contacts';
import { ListIncidentRecordsCommand } from '@aws-sdk/client-ssm-incidents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients } from '../../console/src/api/clients.ts';
import { EXTENSION_ROUTES } from '../../lambdas/http/routes.ts';

const authorizations: string[] = [];
const paths: string[] = [];
const server = createServer((req, res) => {
  authorizations.push(req.headers.authorization ?? '');
  paths.push(req.url ?? '');
  res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
});
let endpoint: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => {
  server.close();
});

const credentialScopes = async (signAsExecuteApi: boolean) => {
  authorizations.length = 0;
  const clients = createClients({
    endpoint,
    region: 'eu-west-1',
    credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' }),
    signAsExecuteApi,
    withCloudWatch: false,
  });
  await clients.incidents.send(new ListIncidentRecordsCommand({}));
  await clients.contacts.send(new ListContactsCommand({}));
  return authorizations.map((header) => /Credential=[^/]+\/\d+\/([^,]+),/.exec(header)?.[1]);
};

describe('console SDK clients', () => {
  it('sign as execute-api for API Gateway, and as the services locally', async () => {
    // Act
    const deployed = await credentialScopes(true);
    const local = await credentialScopes(false);

    // Assess
    expect(deployed).toEqual(['eu-west-1/execute-api/aws4_request', 'eu-west-1/execute-api/aws4_request']);
    expect(local).toEqual(['eu-west-1/ssm-incidents/aws4_request', 'eu-west-1/ssm-contacts/aws4_request']);
    expect(paths.filter((path) => path.startsWith('/ssm-contacts/'))).toEqual([
      '/ssm-contacts/ListContacts',
      '/ssm-contacts/ListContacts',
    ]);
  });
});

describe('console clients of runbook signals and of the API routes no SDK knows', () => {
  it('signs SSM signals as ssm (to the given endpoint) and the runbook view and analysis calls as execute-api', async () => {
    // Arrange
    authorizations.length = 0;
    paths.length = 0;
    const clients = createClients({
      endpoint,
      region: 'eu-west-1',
      credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' }),
      signAsExecuteApi: true,
      withCloudWatch: false,
      ssmEndpoint: endpoint,
    });

    // Act
    await clients.ssm.send(new SendAutomationSignalCommand({ AutomationExecutionId: 'e-1', SignalType: 'Resume' }));
    const { extensions, analysis } = await clients.rest();
    const runbooks = EXTENSION_ROUTES.find((r) => r.operation === 'GetIncidentRunbooks')!;
    await extensions.call(runbooks, { incidentRecordArn: 'arn:aws:ssm-incidents::1:incident-record/p/i' });
    await analysis.getAnalysis({ arn: 'arn:aws:ssm-incidents::1:analysis/a' });

    // Assess
    expect(authorizations.map((header) => /Credential=[^/]+\/\d+\/([^,]+),/.exec(header)?.[1])).toEqual([
      'eu-west-1/ssm/aws4_request',
      'eu-west-1/execute-api/aws4_request',
      'eu-west-1/execute-api/aws4_request',
    ]);
    expect(paths).toEqual([
      '/',
      '/getIncidentRunbooks',
      `/getAnalysis?arn=${encodeURIComponent('arn:aws:ssm-incidents::1:analysis/a')}`,
    ]);
  });
});
