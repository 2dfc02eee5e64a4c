/**
 * The whole system on one machine: DynamoDB Local, the table, and the local HTTP front driving the deployed
 * handlers. `npm start`, the compatibility tests and the benchmarks all start it through this one function.
 */
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SSMClient } from '@aws-sdk/client-ssm';
import { fetchResponsePoster } from '#adapters/chat/response-url.ts';
import { activeWorkflowIds } from '#adapters/dynamodb/active-workflows.ts';
import { LocalMacSigner } from '#adapters/signing/local-mac-signer.ts';
import type { ChatDeferrer } from '#core/chat/ports.ts';
import { ACKNOWLEDGE_LINK_PATH } from '#core/contacts/engagements/ack-links.ts';
import { createAnalysisApiHandler } from '#handlers/analysis-api.ts';
import { createChangeStreamHandler } from '#handlers/change-stream.ts';
import { createContactsApiHandler } from '#handlers/contacts-api.ts';
import { createEngagementWorkerHandler, type WorkerHandler } from '#handlers/engagement-worker.ts';
import { createIncidentsApiHandler } from '#handlers/incidents-api.ts';
import { createPageLinksHandler } from '#handlers/page-links.ts';
import { createRunbookEventsHandler, type RunbookEventsHandler } from '#handlers/runbook-events.ts';
import { createRunbookWorkerHandler, type RunbookWorkerHandler } from '#handlers/runbook-worker.ts';
import { createSlackCommandsHandler, type SlackCommandsHandler } from '#handlers/slack-commands.ts';
import { createSmsRepliesHandler } from '#handlers/sms-replies.ts';
import { createTriggerIntakeHandler } from '#handlers/trigger-intake.ts';
import { loadConfig, type RuntimeConfig } from '#runtime/config.ts';
import { createDynamoDbClient } from '#runtime/dynamodb-client.ts';
import { ENV } from '#runtime/environment.ts';
import { notifierConsumersOf } from '#runtime/notifications.ts';
import { localObservability } from '#runtime/observability.ts';
import { reactorConsumersOf } from '#runtime/reactor.ts';
import { CompositionRoot } from '#runtime/root.ts';
import { ssmAutomationService } from '#runtime/runbooks.ts';
import { STREAM_CONSUMERS } from '#runtime/stream-consumers.ts';
import { CONSOLE_DIST } from '../console/paths.ts';
import { automationTableName, createLocalAutomation, type LocalAutomation } from './automation/index.ts';
import { LocalChangeStream } from './change-stream.ts';
import type { DynamoDbLocal } from './dynamodb-local.ts';
import { LocalEngagementRunner } from './engagement-runner.ts';
import { LocalEventLog } from './event-log.ts';
import { LocalNotificationOutbox } from './notification-outbox.ts';
import { LocalOutbox } from './outbox.ts';
import { LOCAL_OUTBOX_PATH, outboxRoute } from './outbox-route.ts';
import { resumeWorkflows } from './resumable-workflows.ts';
import { LocalRunbookRunner } from './runbook-runner.ts';
import { launchRuntimeDatabase, type RuntimeDatabase } from './runtime-database.ts';
import { lambdaContext, startLocalServer } from './server.ts';
import { LOCAL_CHAT_PATH, LOCAL_FUNCTIONS } from './settings.ts';
import type { StrictCredentials } from './sigv4.ts';
import { ensureTable } from './tables.ts';

export { LOCAL_CHAT_PATH, LOCAL_FUNCTIONS };

/** DynamoDB commands that can write a change to the table's stream. */
const WRITE_COMMAND =
  /^(PutItem|UpdateItem|DeleteItem|TransactWriteItems|BatchWriteItem|ExecuteStatement|ExecuteTransaction|BatchExecuteStatement)Command$/;

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
  /**
   * DynamoDB Local already being started (npm start launches it before loading this module), supervised as the
   * caller chose; the runtime stops it when it stops. Without it, and without `dynamodbEndpoint`, the runtime starts
   * one itself (supervised when `onFatal` is given).
   */
  database?: RuntimeDatabase;
  /** Lets the benchmarks count DynamoDB requests with an SDK middleware. */
  instrumentClient?: (client: DynamoDBClient) => void;
  /** Prints each message the outbox receives (npm start prints to the console; tests read `outbox` instead). */
  printMessage?: (line: string) => void;
  /** Paging and runbooks run this many times faster than real time (npm start passes LOCAL_TIME_SCALE); default 1. */
  timeScale?: number;
  /** LOCAL_AWS_ENDPOINT_URL: where runbooks' aws:executeAwsApi calls to other AWS services go (e.g. a LocalStack). */
  otherServicesEndpoint?: string;
  /** Sees each SSM status-change event as it is delivered (the benchmarks time runbooks with it). */
  observeAutomationEvent?: (event: Record<string, unknown>) => void;
  /** The Slack slash command: its signing secret and who may run what (JSON, core/chat/authorization.ts). */
  slack?: { signingSecret?: string; commandsConfig?: string };
  /** Makes SNS topics refuse notifications, as a missing topic or a denied publish would (tests). */
  refuseTopic?: (topicArn: string) => Error | undefined;
  /** The built web console served at the endpoint's root. @default console/dist */
  consoleDir?: string;
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
  /** Where SNS notifications go instead of SNS: in memory, `<dataDir>/notifications.jsonl` and printed. */
  notifications: LocalNotificationOutbox;
  /** Where integration events go instead of EventBridge: in memory and `<dataDir>/events.jsonl`. */
  events: LocalEventLog;
  /** The Slack slash command's URL (`POST`, signed as Slack signs). */
  chatUrl: string;
  /** Resolves when the deferred chat commands started so far have posted their results. */
  chatSettled(): Promise<void>;
  /** The table's change stream, read for the stream consumers (`caughtUp()` waits until they reacted). */
  changes: LocalChangeStream;
  /** The dependencies every handler of this runtime shares. */
  root: CompositionRoot;
  /** The local Automation engine (SSM's role locally): documents, executions, the `ssm` API on the same endpoint. */
  automation: LocalAutomation;
  /** The runbook workflows: the runbook state machine run by aws-local-stepfunctions in this process. */
  runbooks: LocalRunbookRunner;
  stop(): Promise<void>;
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const log = options.log ?? (() => undefined);
  const database = options.dynamodbEndpoint
    ? undefined
    : (options.database ??
      launchRuntimeDatabase({
        log,
        ...(options.dataDir ? { dataDir: options.dataDir } : {}),
        ...(options.onFatal ? { onFatal: options.onFatal } : {}),
      }));
  const dynamodb = await database?.ready;
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
      [ENV.chatCommand]: process.env[ENV.chatCommand],
      [ENV.slackCommandsConfig]: options.slack?.commandsConfig,
    });
    const client = createDynamoDbClient(config);
    // An in-memory database restarted by the supervisor needs its table again.
    database?.afterRestart(async () => {
      await ensureTable(client, config.tableName);
    });
    const lambdaContextOf = (name: string) => lambdaContext(name, config.region, config.accountId);
    // Runbooks: the local stand-in for Systems Manager Automation, with its own table. Its status-change events go to
    // the same handler the EventBridge rule invokes in AWS; its API is served on this runtime's own endpoint.
    let url = '';
    const localEndpoint = () => url;
    let runbookEvents: RunbookEventsHandler | undefined;
    // The incidents table and the automation table do not depend on each other: created side by side.
    const [created, automation] = await Promise.all([
      ensureTable(client, config.tableName),
      createLocalAutomation({
        client,
        tableName: automationTableName(config.tableName),
        accountId: config.accountId,
        region: config.region,
        timeScale: options.timeScale ?? 1,
        localEndpoint,
        ...(options.otherServicesEndpoint ? { otherServicesEndpoint: options.otherServicesEndpoint } : {}),
        deliver: async (event) => {
          options.observeAutomationEvent?.(event);
          await runbookEvents?.(event, lambdaContextOf(LOCAL_FUNCTIONS.runbookEvents));
        },
        log: (line) => console.error(line),
      }),
    ]);
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
    // The runbook workflow runs here too (the same ASL); its SSM calls go to this runtime's own endpoint.
    let runbookWorker: RunbookWorkerHandler | undefined;
    const runbooks = new LocalRunbookRunner({
      worker: (event) => (runbookWorker as RunbookWorkerHandler)(event, lambdaContextOf(LOCAL_FUNCTIONS.runbookWorker)),
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
    const notifications = new LocalNotificationOutbox({
      ...(options.dataDir ? { file: join(options.dataDir, 'notifications.jsonl') } : {}),
      ...(options.printMessage ? { print: options.printMessage } : {}),
      ...(options.refuseTopic ? { refuse: options.refuseTopic } : {}),
    });
    const events = new LocalEventLog({
      accountId: config.accountId,
      region: config.region,
      ...(options.dataDir ? { file: join(options.dataDir, 'events.jsonl') } : {}),
    });
    // Deferred chat commands run in the background here (an asynchronous self-invocation in AWS).
    let slackCommands: SlackCommandsHandler | undefined;
    const deferredChat = new Set<Promise<unknown>>();
    const chatDeferrer: ChatDeferrer = {
      async defer(work) {
        const run = Promise.resolve()
          .then(() => (slackCommands as SlackCommandsHandler)(work, lambdaContextOf(LOCAL_FUNCTIONS.slackCommands)))
          .catch((error) => console.error(`[chat] a deferred command failed: ${error}`))
          .finally(() => deferredChat.delete(run));
        deferredChat.add(run);
      },
    };
    const root = new CompositionRoot(config, {
      dynamodb: client,
      engagementRunner: runner,
      messages: outbox,
      notifications,
      integrationEvents: events,
      // The console is served at the endpoint's root; its port is known once the server listens.
      consoleUrl: () => (url ? `${url}/` : undefined),
      chat: {
        signingSecrets: options.slack?.signingSecret ? [options.slack.signingSecret] : [],
        deferrer: chatDeferrer,
        responses: fetchResponsePoster({ allowLoopback: true }),
      },
      observability: localObservability(),
      automation: ssmAutomationService(config.region, localEndpoint),
      runbookWorkflow: runbooks,
      ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
      linkSigner: options.dataDir
        ? LocalMacSigner.fromFile(join(options.dataDir, 'acknowledge-link.key'))
        : new LocalMacSigner(),
      localEndpoint,
      ...(options.printMessage ? { pagingNotice: (notice) => options.printMessage?.(`[paging] ${notice.text}`) } : {}),
    });
    worker = createEngagementWorkerHandler(root);
    runbookWorker = createRunbookWorkerHandler(root);
    runbookEvents = createRunbookEventsHandler(root);
    slackCommands = createSlackCommandsHandler(root);
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
        {
          name: LOCAL_FUNCTIONS.notifier,
          spec: STREAM_CONSUMERS.notifier,
          handler: createChangeStreamHandler(root, notifierConsumersOf(root)),
        },
      ],
      ...(options.dataDir
        ? {
            checkpointFile: join(options.dataDir, 'stream-checkpoints.json'),
            failureFile: join(options.dataDir, 'stream-failures.jsonl'),
          }
        : {}),
    });
    // Consumers read a quiet stream only every second: a write through the handlers' client wakes them at once.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (WRITE_COMMAND.test(context.commandName ?? '')) changes.nudge();
        return result;
      },
      { step: 'initialize', name: 'localChangeStreamNudge' },
    );
    changes.start();
    const pageLinks = createPageLinksHandler(root);
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
        [LOCAL_FUNCTIONS.runbookWorker]: runbookWorker as never,
        [LOCAL_FUNCTIONS.runbookEvents]: runbookEvents as never,
      },
      ssm: (event) => automation.api.handle(event),
      routes: {
        [`POST ${LOCAL_CHAT_PATH}`]: slackCommands as never,
        // Acknowledge links: unauthenticated in AWS too (the signed token is the credential).
        [`GET ${ACKNOWLEDGE_LINK_PATH}`]: pageLinks,
        [`POST ${ACKNOWLEDGE_LINK_PATH}`]: pageLinks,
        // npm run outbox reads the running runtime's outbox (its file, or its memory with --in-memory).
        [`GET ${LOCAL_OUTBOX_PATH}`]: outboxRoute(() =>
          options.dataDir
            ? {
                outboxFile: outboxFile as string,
                notificationsFile: join(options.dataDir, 'notifications.jsonl'),
                eventsFile: join(options.dataDir, 'events.jsonl'),
              }
            : {
                messages: [...outbox.messages()],
                notifications: [...notifications.notifications()],
                events: [...events.events()],
              },
        ),
      },
      accountId: config.accountId,
      region: config.region,
      port: options.port,
      host: options.host,
      ...(options.strictSigV4 ? { strictSigV4: options.strictSigV4 } : {}),
      console: {
        dir: options.consoleDir ?? CONSOLE_DIST,
        config: { mode: 'local', region: config.region, accountId: config.accountId },
      },
    }).catch(async (error: unknown) => {
      await changes.close();
      await runbooks.close();
      await automation.engine.close();
      throw error;
    });
    url = server.url;
    // Automations and runbook workflows that were running when the runtime last stopped continue where they were.
    await automation.engine.resume();
    await runbooks.resume();
    // Paging workflows live in this process too: the ones the table holds as running start again (resumable-workflows.ts).
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
    return {
      url: server.url,
      port: server.port,
      config,
      dynamodbEndpoint: endpoint,
      tableCreated: created === 'created',
      outbox,
      ...(outboxFile ? { outboxFile } : {}),
      engagements: runner,
      notifications,
      events,
      chatUrl: `${server.url}${LOCAL_CHAT_PATH}`,
      async chatSettled() {
        while (deferredChat.size) await Promise.allSettled([...deferredChat]);
      },
      changes,
      root,
      automation,
      runbooks,
      async stop() {
        // Before anything that waits: the signal that stops npm start may reach DynamoDB Local at the same moment.
        dynamodb?.expectStop();
        await Promise.allSettled([...deferredChat]);
        // Running automations and runbook workflows are left as they are (saved) and resume on the next start.
        await runbooks.close();
        await automation.engine.close();
        // Stopping the runtime aborts the paging workflows running in it; the next start resumes them from the table.
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
