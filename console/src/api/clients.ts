/**
 * The official SDK clients, as any script would use them, pointed at this deployment's API. Locally: the console's
 * own origin, with the responder's name as access key (the local server accepts any signature and records the key
 * as the caller). In AWS: the HTTP API, signed with SigV4 as `execute-api` with the signed-in user's credentials.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SSMContactsClient, type SSMContactsClientConfig } from '@aws-sdk/client-ssm-contacts';
import { SSMIncidentsClient, type SSMIncidentsClientConfig } from '@aws-sdk/client-ssm-incidents';

export interface ApiClients {
  incidents: SSMIncidentsClient;
  contacts: SSMContactsClient;
  /** CloudWatch for metric graphs; absent locally (there is no CloudWatch on this machine). */
  cloudwatch?: CloudWatchClient;
}

export interface ClientOptions {
  endpoint: string;
  region: string;
  credentials: NonNullable<SSMIncidentsClientConfig['credentials']>;
  /** API Gateway's IAM authorizer checks SigV4 for the `execute-api` service, not ssm-incidents/ssm-contacts. */
  signAsExecuteApi: boolean;
  withCloudWatch: boolean;
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
    // client-ssm-contacts 3.523 has its own copy of the credential types; the values are the same at run time.
    contacts: new SSMContactsClient(common as SSMContactsClientConfig),
    ...(options.withCloudWatch
      ? {
          cloudwatch: new CloudWatchClient({
            region: options.region,
            credentials: options.credentials,
            maxAttempts: 2,
          }),
        }
      : {}),
  };
}
