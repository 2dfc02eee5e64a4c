/**
 * The whole system on one machine: DynamoDB Local, the table, and the local HTTP front driving the deployed
 * handlers. `npm start`, the compatibility tests and the benchmarks all start it through this one function.
 */
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LocalMacSigner } from '#adapters/signing/local-mac-signer.ts';
import { createAnalysisApiHandler } from '#handlers/analysis-api.ts';
import { createChangeStreamHandler } from '#handlers/change-stream.ts';
import { createContactsApiHandler } from '#handlers/contacts-api.ts';
import { createEngagementWorkerHandler, type WorkerHandler } from '#handlers/engagement-worker.ts';
import { createIncidentsApiHandler } from '#handlers/incidents-api.ts';
import { createPageLinksHandler } from '#handlers/page-links.ts';
import { createSmsRepliesHandler } from '#handlers/sms-replies.ts';
import { createTriggerIntakeHandler } from '#handlers/trigger-intake.ts';
import { loadConfig, type RuntimeConfig } from '#runtime/config.ts';
import { createDynamoDbClient } from '#runtime/dynamodb-client.ts';
import { ENV } from '#runtime/environment.ts';
import { localObservability } from '#runtime/observability.ts';
import { reactorConsumersOf } from '#runtime/reactor.ts';
import { CompositionRoot } from '#runtime/root.ts';
import { STREAM_CONSUMERS } from '#runtime/stream-consumers.ts';
import { LocalChangeStream } from './change-stream.ts';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.ts';
import { LocalEngagementRunner } from './engagement-runner.ts';
import { LocalOutbox } from './outbox.ts';
import { startLocalServer } from './server.ts';
import { ensureTable } from './tables.ts';

/** Names of the functions the local runtime serves on the Lambda Invoke API path (and reads the stream for). */
export const LOCAL_FUNCTIONS = {
  triggerIntake: 'trigger-intake',
  engagementWorker: 'engagement-worker',
  incidentReactor: 'incident-reactor',
  /** Two-way SMS: `npm run reply` invokes it with an SNS event, as the SNS topic does in AWS. */
  smsReplies: 'sms-replies',
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
  /** Paging runs this many times faster than real time (npm start passes LOCAL_TIME_SCALE); default 1. */
  timeScale?: number;
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
  /** The table's change stream, read for the stream consumers (`caughtUp()` waits until they reacted). */
  changes: LocalChangeStream;
  /** The dependencies every handler of this runtime shares. */
  root: CompositionRoot;
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
      [ENV.logLevel]: process.env[ENV.logLevel],
      // The console is served by this runtime's endpoint unless CONSOLE_URL names another (emails link to it).
      [ENV.consoleUrl]: process.env[ENV.consoleUrl],
    });
    const client = createDynamoDbClient(config);
    const created = await ensureTable(client, config.tableName);
    options.instrumentClient?.(client);
    const outboxFile = options.dataDir ? join(options.dataDir, 'outbox.jsonl') : undefined;
    const outbox = new LocalOutbox({ file: outboxFile, print: options.printMessage });
    // Paging: the engagement workflow runs here, every Task handled by the same worker handler as in AWS. The runner
    // needs the worker and the worker needs the root, hence the late binding.
    let worker: WorkerHandler | undefined;
    const runner = new LocalEngagementRunner({
      worker: (event, context) => (worker as WorkerHandler)(event, context),
      region: config.region,
      accountId: config.accountId,
      onFailure: (name, error) => console.error(`[paging] engagement ${name} failed: ${error}`),
    });
    // Acknowledge links are served by this runtime's own endpoint, known once it listens.
    let listeningAt: string | undefined;
    const root = new CompositionRoot(config, {
      dynamodb: client,
      engagementRunner: runner,
      messages: outbox,
      observability: localObservability(),
      ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
      linkSigner: options.dataDir
        ? LocalMacSigner.fromFile(join(options.dataDir, 'acknowledge-link.key'))
        : new LocalMacSigner(),
      localEndpoint: () => listeningAt as string,
      ...(options.printMessage ? { pagingNotice: (notice) => options.printMessage?.(`[paging] ${notice.text}`) } : {}),
    });
    worker = createEngagementWorkerHandler(root);
    // The table's stream feeds the same stream-consumer handlers as in AWS.
    const changes = new LocalChangeStream({
      dynamodb: client,
      endpoint,
      tableName: config.tableName,
      region: config.region,
      accountId: config.accountId,
      consumers: [
        {
          name: LOCAL_FUNCTIONS.incidentReactor,
          spec: STREAM_CONSUMERS.incidentReactor,
          handler: createChangeStreamHandler(root, reactorConsumersOf(root)),
        },
      ],
      ...(options.dataDir
        ? {
            checkpointFile: join(options.dataDir, 'stream-checkpoints.json'),
            failureFile: join(options.dataDir, 'stream-failures.jsonl'),
          }
        : {}),
    });
    changes.start();
    const server = await startLocalServer({
      handlers: {
        incidentsApi: createIncidentsApiHandler(root),
        contactsApi: createContactsApiHandler(root),
        analysisApi: createAnalysisApiHandler(root),
      },
      functions: {
        // Locally a plan change takes effect at once: this runtime serves the API that changed it.
        [LOCAL_FUNCTIONS.triggerIntake]: createTriggerIntakeHandler(root, { planCacheMs: 0 }),
        [LOCAL_FUNCTIONS.engagementWorker]: worker as never,
        [LOCAL_FUNCTIONS.smsReplies]: createSmsRepliesHandler(root) as never,
      },
      pageLinks: createPageLinksHandler(root),
      accountId: config.accountId,
      region: config.region,
      port: options.port,
      host: options.host,
    }).catch(async (error: unknown) => {
      await changes.close();
      throw error;
    });
    listeningAt = server.url;
    return {
      url: server.url,
      port: server.port,
      config,
      dynamodbEndpoint: endpoint,
      tableCreated: created === 'created',
      outbox,
      ...(outboxFile ? { outboxFile } : {}),
      engagements: runner,
      changes,
      root,
      async stop() {
        // Stopping the runtime aborts the paging workflows running in it (they are not resumed on the next start).
        await changes.close();
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
