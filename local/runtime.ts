/**
 * The whole system on one machine: DynamoDB Local, the table, and the local HTTP front driving the deployed
 * handlers. `npm start`, the compatibility tests and the benchmarks all start it through this one function.
 */
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { activeWorkflowIds } from '#adapters/dynamodb/active-workflows.ts';
import { contactsApiFromConfig } from '#handlers/contacts-api.ts';
import { engagementWorkerFromConfig } from '#handlers/engagement-worker.ts';
import { incidentsApiFromConfig } from '#handlers/incidents-api.ts';
import { triggerIntakeFromConfig } from '#handlers/trigger-intake.ts';
import { loadConfig, type RuntimeConfig } from '#runtime/config.ts';
import { createDynamoDbClient } from '#runtime/dynamodb-client.ts';
import { ENV } from '#runtime/environment.ts';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.ts';
import { LocalEngagementRunner } from './engagement-runner.ts';
import { LocalOutbox } from './outbox.ts';
import { resumeWorkflows } from './resumable-workflows.ts';
import { startLocalServer } from './server.ts';
import type { StrictCredentials } from './sigv4.ts';
import { ensureTable } from './tables.ts';

/** Names of the functions the local runtime serves on the Lambda Invoke API path. */
export const LOCAL_FUNCTIONS = { triggerIntake: 'trigger-intake', engagementWorker: 'engagement-worker' } as const;

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
  /** Paging runs this many times faster than real time (LOCAL_TIME_SCALE; default: that variable, else 1). */
  timeScale?: number;
  /** Lines about the runtime itself: workflows resumed, DynamoDB Local restarted (npm start prints them). */
  log?: (line: string) => void;
  /**
   * Keep DynamoDB Local running: restart it when it dies, or call this with the reason when it cannot be (npm start
   * then exits). Without it (tests, benchmarks) DynamoDB Local is not supervised.
   */
  onFatal?: (reason: string) => void;
  /** Strict mode: verify SigV4 as API Gateway does, against these test credentials (LOCAL_SIGV4_CREDENTIALS). */
  strictSigV4?: StrictCredentials;
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
  stop(): Promise<void>;
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const log = options.log ?? (() => undefined);
  // Set once the client exists: an in-memory database restarted by the supervisor needs its table again.
  let recreateTable: () => Promise<void> = async () => undefined;
  const onFatal = options.onFatal;
  const dynamodb: DynamoDbLocal | undefined = options.dynamodbEndpoint
    ? undefined
    : await startDynamoDbLocal({
        dataDir: options.dataDir,
        log,
        ...(onFatal ? { supervise: { log, restarted: () => recreateTable(), failed: onFatal } } : {}),
      });
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
    recreateTable = async () => {
      await ensureTable(client, config.tableName);
    };
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
    // Executions live in this process: the ones the table holds as running are started again (resumable-workflows.ts).
    await resumeWorkflows(
      [
        {
          kind: 'engagement',
          running: () => activeWorkflowIds(client, config.tableName, 'engagement'),
          resume: (id) => runner.start(id),
        },
      ],
      log,
    );
    const server = await startLocalServer({
      handlers: {
        incidentsApi: incidentsApiFromConfig(config, client, { engagements }),
        contactsApi: contactsApiFromConfig(config, client, { messages: outbox, engagements }),
      },
      functions: {
        [LOCAL_FUNCTIONS.triggerIntake]: triggerIntakeFromConfig(config, client, { engagements }),
        [LOCAL_FUNCTIONS.engagementWorker]: worker as never,
      },
      accountId: config.accountId,
      region: config.region,
      port: options.port,
      host: options.host,
      ...(options.strictSigV4 ? { strictSigV4: options.strictSigV4 } : {}),
    });
    return {
      url: server.url,
      port: server.port,
      config,
      dynamodbEndpoint: endpoint,
      tableCreated: created === 'created',
      outbox,
      ...(outboxFile ? { outboxFile } : {}),
      engagements: runner,
      async stop() {
        // Stopping the runtime aborts the paging workflows running in it; the next start resumes them from the table.
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
