/**
 * The official SDK clients, as any script would use them, pointed at this deployment's API. Locally: the console's
 * own origin, with the responder's name as access key (the local server accepts any signature and records the key
 * as the caller). In AWS: the HTTP API, signed with SigV4 as `execute-api` with the signed-in user's credentials.
 *
 * The incident list needs only ssm-incidents, so the ssm-contacts, ssm and CloudWatch clients and the signed client
 * of the API's own routes are loaded on first use (their code is in chunks of their own): the list's first render
 * does not parse them.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { SSMContactsClient, SSMContactsClientConfig } from '@aws-sdk/client-ssm-contacts';
import { SSMIncidentsClient, type SSMIncidentsClientConfig } from '@aws-sdk/client-ssm-incidents';
import { usePerOperationRoutes } from '../../../lambdas/http/contacts-route-middleware.ts';
import type { AnalysisOperations } from '../../../lib/client/analysis-operations.ts';
import type { SignedRestClient } from '../../../lib/client/signed-rest-client.ts';

/** What the views use of a client: `send(command)`. */
export type Sender<Client extends { send: unknown }> = Pick<Client, 'send'>;

export interface ApiClients {
  incidents: SSMIncidentsClient;
  contacts: Sender<SSMContactsClient>;
  /** CloudWatch for metric graphs; absent locally (there is no CloudWatch on this machine). */
  cloudwatch?: Sender<CloudWatchClient>;
  /**
   * Systems Manager, for the runbook tab's Resume / Approve / Reject (SendAutomationSignal): in AWS the real SSM of
   * the Region with the user's credentials (the responder role allows only that, on this account's automation
   * executions); locally the local Automation engine, served on the console's own origin.
   */
  ssm: Sender<SSMClient>;
  /** The API's routes that no SDK client knows: the runbook view (GetIncidentRunbooks) and the analysis API. */
  rest: () => Promise<{ extensions: SignedRestClient; analysis: AnalysisOperations }>;
}

export interface ClientOptions {
  endpoint: string;
  region: string;
  credentials: NonNullable<SSMIncidentsClientConfig['credentials']>;
  /** API Gateway's IAM authorizer checks SigV4 for the `execute-api` service, not ssm-incidents/ssm-contacts. */
  signAsExecuteApi: boolean;
  withCloudWatch: boolean;
  /** Where SSM is: locally the console's origin; in AWS absent (the SDK's regional endpoint). */
  ssmEndpoint?: string;
}

/** A value built on first use (a module import, typically), kept once built; a failed build is retried next time. */
function onFirstUse<Value>(build: () => Promise<Value>): () => Promise<Value> {
  let value: Promise<Value> | undefined;
  return () => {
    value ??= build().catch((error) => {
      value = undefined; // a failed chunk download may succeed on the next try
      throw error;
    });
    return value;
  };
}

/** A client whose module is imported, and which is built, when its first command is sent. */
function loadedOnFirstUse<Client extends { send: unknown }>(load: () => Promise<Client>): Sender<Client> {
  const client = onFirstUse(load);
  const send = async (command: unknown) => ((await client()).send as (command: unknown) => Promise<unknown>)(command);
  return { send } as unknown as Sender<Client>;
}

export function createClients(options: ClientOptions): ApiClients {
  const common = {
    endpoint: options.endpoint,
    region: options.region,
    credentials: options.credentials,
    // A person is waiting: fail fast and say so rather than retry for long.
    maxAttempts: 2,
    // Not in the clients' TypeScript config types, but honoured by their SigV4 signer.
    ...(options.signAsExecuteApi ? { signingName: 'execute-api' } : {}),
  };
  return {
    incidents: new SSMIncidentsClient(common),
    contacts: loadedOnFirstUse(async () => {
      const { SSMContactsClient } = await import('@aws-sdk/client-ssm-contacts');
      // client-ssm-contacts 3.523 has its own copy of the credential types; the values are the same at run time.
      // Per-operation routes (POST /ssm-contacts/<Operation>): the viewer policy allows those of reads, never `POST /`.
      return usePerOperationRoutes(new SSMContactsClient(common as SSMContactsClientConfig));
    }),
    ssm: loadedOnFirstUse(async () => {
      const { SSMClient } = await import('@aws-sdk/client-ssm');
      return new SSMClient({
        region: options.region,
        credentials: options.credentials,
        maxAttempts: 2,
        ...(options.ssmEndpoint ? { endpoint: options.ssmEndpoint } : {}),
      });
    }),
    rest: onFirstUse(async () => {
      const [{ SignedRestClient }, { AnalysisOperations }] = await Promise.all([
        import('../../../lib/client/signed-rest-client.ts'),
        import('../../../lib/client/analysis-operations.ts'),
      ]);
      const config = {
        endpoint: options.endpoint,
        region: options.region,
        credentials: options.credentials,
        // Locally the server checks no signature (or, in strict mode, any service name): one name for both.
        signingName: 'execute-api',
        maxAttempts: 2,
      };
      return { extensions: new SignedRestClient(config), analysis: new AnalysisOperations(config) };
    }),
    ...(options.withCloudWatch
      ? {
          cloudwatch: loadedOnFirstUse(async () => {
            const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
            return new CloudWatchClient({ region: options.region, credentials: options.credentials, maxAttempts: 2 });
          }),
        }
      : {}),
  };
}
