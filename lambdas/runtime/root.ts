/**
 * The composition root: every dependency of every handler, built once per process from one complete configuration.
 * Each deployed function (lambdas/functions/*.ts) builds a root at module scope from the environment; the local
 * runtime builds one with its own DynamoDB client, paging runner and outbox, and hands it to the very same handler
 * factories.
 *
 * The root itself holds what every function needs (configuration, service context, observability, the DynamoDB
 * client and the incidents store). What only some functions need is built by capability modules next to this one
 * (paging.ts, runbooks.ts, analysis.ts, reactor.ts, notifications.ts, chat.ts), each member once per root through `memo`: a function's bundle then holds only
 * the capabilities its handler imports, and nothing is built before it is used.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDbIncidentsStore, type StoreOptions } from '#adapters/dynamodb/store.ts';
import type { ChatDeferrer, ResponsePoster } from '#core/chat/ports.ts';
import type { MacSigner } from '#core/contacts/engagements/ack-links.ts';
import type { EngagementRunner, PagingNotice } from '#core/contacts/engagements/model.ts';
import type { MessageSender } from '#core/contacts/messaging.ts';
import type { Dependencies } from '#core/incidents/operation.ts';
import type { IncidentsStore } from '#core/incidents/ports.ts';
import type { IntegrationEventPublisher, NotificationPublisher } from '#core/notifications/ports.ts';
import type { AutomationService, RunbookWorkflow, TaskTokens } from '#core/runbooks/model.ts';
import type { ServiceContext } from '#core/shared/service-context.ts';
import { loadConfig, type RuntimeConfig } from './config.ts';
import { createDynamoDbClient } from './dynamodb-client.ts';
import { configureLogLevel } from './logger.ts';
import { lambdaObservability, type Observability } from './observability.ts';

export interface RootOptions {
  /** A DynamoDB client of the caller's (the local runtime's, pointed at DynamoDB Local; the benchmarks' instrumented one). */
  dynamodb?: DynamoDBClient;
  /** Runs paging workflows (locally: aws-local-stepfunctions). Default: Step Functions, when configured. */
  engagementRunner?: EngagementRunner;
  /** Where contact-channel messages go (locally: the outbox). Default: the providers configured per channel type. */
  messages?: MessageSender;
  /**
   * Plan minutes pass this many times faster (local runtime only, from LOCAL_TIME_SCALE). Deployed functions always
   * page in real time, so the variable set on a Lambda by mistake cannot make escalations run faster.
   */
  timeScale?: number;
  /** Logs, traces and metrics. Default: Powertools in Lambda. */
  observability?: Observability;
  /** SSM Automation (locally: the local engine's endpoint). Default: SSM in the function's Region. */
  automation?: AutomationService;
  /** Runs runbook workflows (locally: aws-local-stepfunctions). Default: Step Functions, when configured. */
  runbookWorkflow?: RunbookWorkflow & TaskTokens;
  /** Where notifications go (locally: the outbox). Default: Amazon SNS. */
  notifications?: NotificationPublisher;
  /** Where integration events go (locally: the event log). Default: EventBridge, when a bus is configured. */
  integrationEvents?: IntegrationEventPublisher;
  /** The console URL, when it is known only after start (the local runtime's port). Default: the configuration's. */
  consoleUrl?: () => string | undefined;
  /** Chat commands, locally: the signing secrets (from a file or variable), the deferrer and response_url poster. */
  chat?: { signingSecrets?: string[]; deferrer?: ChatDeferrer; responses?: ResponsePoster };
  /** Signs acknowledge links (locally: a key in the data folder). Default: the KMS HMAC key configured. */
  linkSigner?: MacSigner;
  /**
   * The local runtime's own endpoint, known once it listens: acknowledge links (and, unless CONSOLE_URL says
   * otherwise, the console) are served there.
   */
  localEndpoint?: () => string;
  /** Also told of every paging notice (someone could not be paged): `npm start` prints them. */
  pagingNotice?: (notice: PagingNotice) => void;
}

export class CompositionRoot {
  readonly service: ServiceContext;
  readonly observability: Observability;
  readonly #members = new Map<string, unknown>();

  constructor(
    readonly config: RuntimeConfig,
    readonly options: RootOptions = {},
  ) {
    configureLogLevel(config.logLevel);
    this.service = { accountId: config.accountId, region: config.region, partition: config.partition };
    this.observability = options.observability ?? lambdaObservability({ detailedTracing: config.detailedTracing });
  }

  /** Builds a member once per root; capability modules name their members `<module>.<member>`. */
  memo<T>(key: string, build: () => T): T {
    if (!this.#members.has(key)) this.#members.set(key, build());
    return this.#members.get(key) as T;
  }

  get dynamodb(): DynamoDBClient {
    return this.memo(
      'dynamodb',
      () => this.options.dynamodb ?? this.observability.traceClient(createDynamoDbClient(this.config)),
    );
  }

  get storeOptions(): StoreOptions {
    return {
      client: this.dynamodb,
      tableName: this.config.tableName,
      idempotencyWindowSeconds: this.config.idempotencyWindowSeconds,
    };
  }

  /** The one incidents store of this process (its open-incident cache is shared by every caller). */
  get incidentsStore(): IncidentsStore {
    return this.memo('incidentsStore', () => createDynamoDbIncidentsStore(this.storeOptions));
  }

  /** What the ssm-incidents operations need. */
  get incidents(): Dependencies {
    return { store: this.incidentsStore };
  }

  /** Where notifications link to: the local runtime's own address, or the configured console URL. */
  get consoleUrl(): string | undefined {
    return this.options.consoleUrl?.() ?? this.config.notifications.consoleUrl;
  }
}

let fromEnvironment: CompositionRoot | undefined;

/** The root of a deployed function, from its environment variables; built once per execution environment. */
export const rootFromEnvironment = (): CompositionRoot => {
  fromEnvironment ??= new CompositionRoot(loadConfig());
  return fromEnvironment;
};
