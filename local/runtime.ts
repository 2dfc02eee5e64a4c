/**
 * The whole system on one machine: DynamoDB Local, the table, and the local HTTP front driving the deployed
 * handlers. `npm start`, the compatibility tests and the benchmarks all start it through this one function.
 */
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { DomainEventConsumer } from '#core/events/domain-events.ts';
import { contactsApiFromConfig } from '#handlers/contacts-api.ts';
import { engagementWorkerFromConfig } from '#handlers/engagement-worker.ts';
import { incidentsApiFromConfig } from '#handlers/incidents-api.ts';
import { runbookEventsFromConfig } from '#handlers/runbook-events.ts';
import { type RunbookWorkerHandler, runbookWorkerFromConfig } from '#handlers/runbook-worker.ts';
import { triggerIntakeFromConfig } from '#handlers/trigger-intake.ts';
import { loadConfig, type RuntimeConfig } from '#runtime/config.ts';
import { createDynamoDbClient } from '#runtime/dynamodb-client.ts';
import { ENV } from '#runtime/environment.ts';
import { runbookStarterFromConfig, ssmAutomationService } from '#runtime/runbooks.ts';
import { automationTableName, createLocalAutomation, type LocalAutomation } from './automation/index.ts';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.ts';
import { LocalEngagementRunner } from './engagement-runner.ts';
import { LocalOutbox } from './outbox.ts';
import { LocalRunbookRunner } from './runbook-runner.ts';
import { startLocalServer } from './server.ts';
import { ensureTable } from './tables.ts';

/** Names of the functions the local runtime serves on the Lambda Invoke API path. */
export const LOCAL_FUNCTIONS = {
  triggerIntake: 'trigger-intake',
  engagementWorker: 'engagement-worker',
  runbookWorker: 'runbook-worker',
  runbookEvents: 'runbook-events',
} as const;

export interface LocalRuntimeOptions {
  port: number;
  host?: string;
  accountId: string;
  region: string;
  tableName: string;
  /** Folder for DynamoDB Local's data; omitted = in memory. */
  dataDir?: string;
  /** Use an already running DynamoDB Local (tests share one per run) instead of starting one. */
  dynamodbEndpoint?: string;
  /** Lets the benchmarks count DynamoDB requests with an SDK middleware. */
  instrumentClient?: (client: DynamoDBClient) => void;
  /** Prints each message the outbox receives (npm start prints to the console; tests read `outbox` instead). */
  printMessage?: (line: string) => void;
  /** Paging and runbooks run this many times faster than real time (LOCAL_TIME_SCALE; default: that variable, else 1). */
  timeScale?: number;
  /** LOCAL_AWS_ENDPOINT_URL: where runbooks' aws:executeAwsApi calls to other AWS services go (e.g. a LocalStack). */
  otherServicesEndpoint?: string;
  /** Sees each SSM status-change event as it is delivered (the benchmarks time runbooks with it). */
  observeAutomationEvent?: (event: Record<string, unknown>) => void;
}

export interface LocalRuntime {
  url: string;
  port: number;
  config: RuntimeConfig;
  dynamodbEndpoint: string;
  tableCreated: boolean;
  /**
   * Where ssm-contacts messages (activation codes) go instead of SMS, voice and email: kept in memory, appended to
   * `<dataDir>/outbox.jsonl` when there is a data directory, and printed with `printMessage`.
   */
  outbox: LocalOutbox;
  /** The outbox file, when messages are written to one. */
  outboxFile?: string;
  /** The paging workflows: the engagement state machine run by aws-local-stepfunctions in this process. */
  engagements: LocalEngagementRunner;
  /** The local Automation engine (SSM's role locally): documents, executions, the `ssm` API on the same endpoint. */
  automation: LocalAutomation;
  /** The runbook workflows: the runbook state machine run by aws-local-stepfunctions in this process. */
  runbooks: LocalRunbookRunner;
  /**
   * The domain-event consumer that starts an incident's runbooks on IncidentOpened. The change-stream carrier calls
   * it; tests may call `handle()` with an IncidentOpened event themselves.
   */
  runbookStarter: DomainEventConsumer;
  stop(): Promise<void>;
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const dynamodb: DynamoDbLocal | undefined = options.dynamodbEndpoint
    ? undefined
    : await startDynamoDbLocal({ dataDir: options.dataDir });
  const endpoint = options.dynamodbEndpoint ?? (dynamodb as DynamoDbLocal).endpoint;
  try {
    // The same configuration loader as in Lambda, fed the values the CDK stack would set.
    const config = loadConfig({
      [ENV.tableName]: options.tableName,
      [ENV.accountId]: options.accountId,
      [ENV.region]: options.region,
      [ENV.dynamodbEndpoint]: endpoint,
      [ENV.idempotencyWindowHours]: process.env[ENV.idempotencyWindowHours],
    });
    const client = createDynamoDbClient(config);
    const created = await ensureTable(client, config.tableName);
    options.instrumentClient?.(client);
    const outboxFile = options.dataDir ? join(options.dataDir, 'outbox.jsonl') : undefined;
    const outbox = new LocalOutbox({ file: outboxFile, print: options.printMessage });
    // Paging: the engagement workflow runs here, every Task handled by the same worker handler as in AWS.
    const worker = engagementWorkerFromConfig(config, client, { messages: outbox });
    const runner = new LocalEngagementRunner({
      worker,
      region: config.region,
      accountId: config.accountId,
      onFailure: (name, error) => console.error(`[paging] engagement ${name} failed: ${error}`),
    });
    const engagements = { runner, ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}) };
    // Runbooks: the local stand-in for Systems Manager Automation, with its own table. Its status-change events go to
    // the same handler the EventBridge rule invokes in AWS.
    let url = '';
    let deliverAutomationEvent: (event: Record<string, unknown>) => Promise<unknown> = async () => undefined;
    const automation = await createLocalAutomation({
      client,
      tableName: automationTableName(config.tableName),
      accountId: config.accountId,
      region: config.region,
      timeScale: options.timeScale ?? 1,
      localEndpoint: () => url,
      ...(options.otherServicesEndpoint ? { otherServicesEndpoint: options.otherServicesEndpoint } : {}),
      deliver: async (event) => {
        options.observeAutomationEvent?.(event);
        await deliverAutomationEvent(event);
      },
      log: (line) => console.error(line),
    });
    // The runbook workflow runs here; its SSM calls (and the handlers') go to this runtime's own endpoint.
    const localEndpoint = () => url;
    const automationService = ssmAutomationService(config, localEndpoint);
    let runbookWorker: RunbookWorkerHandler = async () => {
      throw new Error('The runbook worker is not ready yet.');
    };
    const runbooks = new LocalRunbookRunner({
      worker: (event) => runbookWorker(event),
      ssm: new SSMClient({
        region: config.region,
        endpoint: async () => ({ url: new URL(localEndpoint()) }),
        credentials: { accessKeyId: 'runbook-workflow', secretAccessKey: 'local' },
      }),
      region: config.region,
      accountId: config.accountId,
      journal: automation.store,
      onFailure: (name, error) => console.error(`[runbooks] workflow ${name} failed: ${error}`),
    });
    const runbookOptions = { workflow: runbooks, automation: automationService };
    runbookWorker = runbookWorkerFromConfig(config, client, runbookOptions);
    const runbookEvents = runbookEventsFromConfig(config, client, runbookOptions);
    deliverAutomationEvent = (event) => runbookEvents(event);
    const server = await startLocalServer({
      handlers: {
        incidentsApi: incidentsApiFromConfig(config, client, { engagements, automation: automationService }),
        contactsApi: contactsApiFromConfig(config, client, { messages: outbox, engagements }),
      },
      functions: {
        [LOCAL_FUNCTIONS.triggerIntake]: triggerIntakeFromConfig(config, client, { engagements }),
        [LOCAL_FUNCTIONS.engagementWorker]: worker as never,
        [LOCAL_FUNCTIONS.runbookWorker]: (event) => runbookWorker(event as never),
        [LOCAL_FUNCTIONS.runbookEvents]: (event) => runbookEvents(event as never),
      },
      ssm: (event) => automation.api.handle(event),
      accountId: config.accountId,
      region: config.region,
      port: options.port,
      host: options.host,
    });
    url = server.url;
    // Automations and runbook workflows that were running when the runtime last stopped continue where they were.
    await automation.engine.resume();
    await runbooks.resume();
    return {
      url: server.url,
      port: server.port,
      config,
      dynamodbEndpoint: endpoint,
      tableCreated: created === 'created',
      outbox,
      ...(outboxFile ? { outboxFile } : {}),
      engagements: runner,
      automation,
      runbooks,
      runbookStarter: runbookStarterFromConfig(config, client, runbookOptions),
      async stop() {
        // Running automations and runbook workflows are left as they are (saved) and resume on the next start.
        await runbooks.close();
        await automation.engine.close();
        // Stopping the runtime aborts the paging workflows running in it (they are not resumed on the next start).
        await runner.close();
        await server.close();
        client.destroy();
        await dynamodb?.stop();
      },
    };
  } catch (error) {
    await dynamodb?.stop();
    throw error;
  }
}
