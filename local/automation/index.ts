/**
 * The local Automation engine, assembled: its table in DynamoDB Local, the documents (with the Amazon-owned ones
 * installed), the engine that runs executions and the `ssm` API handler the local server routes `AmazonSSM.*`
 * requests to. It exists only in the local runtime: in AWS, Systems Manager runs runbooks.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SsmApi } from './api.ts';
import { Documents } from './documents.ts';
import { AutomationEngine } from './engine.ts';
import { AutomationStore } from './store.ts';
import { scaledClock } from './timing.ts';

export { SSM_TARGET_PREFIX } from './api.ts';

export interface LocalAutomationOptions {
  client: DynamoDBClient;
  tableName: string;
  accountId: string;
  region: string;
  /** LOCAL_TIME_SCALE: runbook sleeps and waits pass this many times faster. */
  timeScale: number;
  /** The local runtime's URL (known once its server listens). */
  localEndpoint: () => string;
  /** LOCAL_AWS_ENDPOINT_URL, for aws:executeAwsApi calls to services this runtime does not serve. */
  otherServicesEndpoint?: string;
  /** Where status-change events go (the runbook events handler, as EventBridge's rule target in AWS). */
  deliver?: (event: Record<string, unknown>) => Promise<void>;
  log?: (line: string) => void;
}

export interface LocalAutomation {
  api: SsmApi;
  engine: AutomationEngine;
  documents: Documents;
  store: AutomationStore;
}

/** The engine's table name beside the product table's (`<table>-automation`). */
export const automationTableName = (productTable: string) => `${productTable}-automation`;

export async function createLocalAutomation(options: LocalAutomationOptions): Promise<LocalAutomation> {
  const store = new AutomationStore(options.client, options.tableName);
  await store.ensureTable(options.client);
  const service = { accountId: options.accountId, region: options.region };
  const documents = new Documents(store, service);
  await documents.installBuiltins();
  const engine = new AutomationEngine({
    store,
    ...service,
    clock: scaledClock(options.timeScale),
    localEndpoint: options.localEndpoint,
    ...(options.otherServicesEndpoint ? { otherServicesEndpoint: options.otherServicesEndpoint } : {}),
    ...(options.deliver ? { deliver: options.deliver } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  return { api: new SsmApi(documents, engine), engine, documents, store };
}
