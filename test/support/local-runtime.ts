/**
 * Starts the real local runtime (HTTP front + deployed handlers) for a test file on a free loopback port, against
 * the run's shared DynamoDB Local with a table of its own, and hands out official SDK clients pointed at it.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SSMContactsClient } from '@aws-sdk/client-ssm-contacts';
import { SSMIncidentsClient } from '@aws-sdk/client-ssm-incidents';
import { inject } from 'vitest';
import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from '../../local/runtime.ts';
import type { StrictCredentials } from '../../local/sigv4.ts';

export const TEST_ACCOUNT = '111122223333';
export const TEST_REGION = 'us-east-1';

export interface TestRuntime extends LocalRuntime {
  /** An ssm-incidents client whose access key becomes the caller's principal (`user/<accessKeyId>`). */
  incidentsClient(accessKeyId?: string): SSMIncidentsClient;
  /** An ssm-contacts client (awsJson1_1, `POST /` on the same endpoint), signed with the given access key. */
  contactsClient(accessKeyId?: string): SSMContactsClient;
  /** An ssm client (awsJson1_1, `POST /` with `AmazonSSM.*` targets): the local Automation engine. */
  ssmClient(accessKeyId?: string): SSMClient;
  /** A DynamoDB client on the runtime's DynamoDB Local, for asserting what was (not) written. */
  dynamodb: DynamoDBClient;
  tableName: string;
}

export interface TestRuntimeOptions {
  /** Paging runs this many times faster than real time (a 5-minute stage takes 5 min / timeScale). */
  timeScale?: number;
  /** Receives what npm start would print (outbox lines, `[paging]` notices). */
  printMessage?: (line: string) => void;
  /** Reuse this table (a restart test starts a second runtime on the first one's data). */
  tableName?: string;
  /** The Slack slash command's signing secret and configuration. */
  slack?: LocalRuntimeOptions['slack'];
  /** Topics that refuse notifications. */
  refuseTopic?: LocalRuntimeOptions['refuseTopic'];
  /** Strict mode: SigV4 verified as API Gateway does, against these credentials (local/sigv4.ts). */
  strictSigV4?: StrictCredentials;
}

export async function startTestRuntime(options: TestRuntimeOptions = {}): Promise<TestRuntime> {
  const tableName = options.tableName ?? `test-${randomUUID()}`;
  const runtime = await startLocalRuntime({
    port: 0,
    accountId: TEST_ACCOUNT,
    region: TEST_REGION,
    tableName,
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
    ...(options.printMessage ? { printMessage: options.printMessage } : {}),
    ...(options.slack ? { slack: options.slack } : {}),
    ...(options.refuseTopic ? { refuseTopic: options.refuseTopic } : {}),
    ...(options.strictSigV4 ? { strictSigV4: options.strictSigV4 } : {}),
  });
  const clients: { destroy(): void }[] = [];
  const dynamodb = new DynamoDBClient({
    endpoint: runtime.dynamodbEndpoint,
    region: TEST_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    ...runtime,
    tableName,
    dynamodb,
    incidentsClient(accessKeyId = 'tester') {
      const client = new SSMIncidentsClient({
        endpoint: runtime.url,
        region: TEST_REGION,
        credentials: { accessKeyId, secretAccessKey: 'local' },
        maxAttempts: 1,
      });
      clients.push(client);
      return client;
    },
    ssmClient(accessKeyId = 'tester') {
      const client = new SSMClient({
        endpoint: runtime.url,
        region: TEST_REGION,
        credentials: { accessKeyId, secretAccessKey: 'local' },
        maxAttempts: 1,
      });
      clients.push(client);
      return client;
    },
    contactsClient(accessKeyId = 'tester') {
      const client = new SSMContactsClient({
        endpoint: runtime.url,
        region: TEST_REGION,
        credentials: { accessKeyId, secretAccessKey: 'local' },
        maxAttempts: 1,
      });
      clients.push(client);
      return client;
    },
    async stop() {
      for (const client of clients) client.destroy();
      dynamodb.destroy();
      await runtime.stop();
    },
  };
}

export const principalOf = (accessKeyId: string) => `arn:aws:iam::${TEST_ACCOUNT}:user/${accessKeyId}`;
export const planArnOf = (name: string) => `arn:aws:ssm-incidents::${TEST_ACCOUNT}:response-plan/${name}`;
export const contactArnOf = (alias: string) => `arn:aws:ssm-contacts:${TEST_REGION}:${TEST_ACCOUNT}:contact/${alias}`;
