/**
 * A small typed client for the post-incident analysis API, so scripts need no hand-written HTTP. It signs every
 * request with SigV4 (service `execute-api`, what API Gateway's IAM authorization checks; locally any credentials
 * do), sends it as the route table (lambdas/http/routes.ts) binds it, turns instants into `Date`s, fills a
 * clientToken on the operations that take one (so its own retries of throttled or failed calls never apply twice)
 * and throws AWS-shaped errors (`ValidationException`, `ConflictException` with `currentVersion`, ...).
 *
 *   const client = new AnalysisClient({ endpoint: 'http://127.0.0.1:4750', region: 'us-east-1' });
 *   const { analysisArn } = await client.createAnalysis({ incidentRecordArn });
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { AnalysisOperations } from './analysis-operations.ts';
import type { SignedRestClientConfig } from './signed-rest-client.ts';

export { AnalysisApiError } from './signed-rest-client.ts';

export interface AnalysisClientConfig extends Omit<SignedRestClientConfig, 'credentials'> {
  /** Default: the AWS SDK's default chain (environment, profile, SSO, container and instance roles). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

export class AnalysisClient extends AnalysisOperations {
  constructor(config: AnalysisClientConfig) {
    super({ ...config, credentials: config.credentials ?? defaultProvider() });
  }
}
