/**
 * The composition root: every dependency of every handler, built once per process from one complete configuration.
 * Each deployed function (lambdas/functions/*.ts) builds a root at module scope from the environment; the local
 * runtime builds one with its own DynamoDB client, paging runner and outbox, and hands it to the very same handler
 * factories. Members are built on first use, so a function only pays for what its handler touches (the contacts
 * function never builds the incidents' plan cache, the intake never builds a message sender).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { lambdaChatDeferrer } from '#adapters/chat/lambda-deferrer.ts';
import { fetchResponsePoster } from '#adapters/chat/response-url.ts';
import { fixedSigningSecrets, secretsManagerSigningSecrets } from '#adapters/chat/signing-secrets.ts';
import { createDynamoDbContactsStore, createDynamoDbEngagementStore } from '#adapters/dynamodb/contacts-store.ts';
import { createDynamoDbNotificationLedger, createDynamoDbReplayGuard } from '#adapters/dynamodb/notification-ledger.ts';
import { createDynamoDbIncidentsStore, type StoreOptions } from '#adapters/dynamodb/store.ts';
import { createMessageSender } from '#adapters/messaging/create-sender.ts';
import { eventBridgePublisher } from '#adapters/notifications/eventbridge-publisher.ts';
import { snsPublisherForAnyRegion } from '#adapters/notifications/sns-publisher.ts';
import type { ChatDeferrer, ReplayGuard, ResponsePoster, SigningSecrets } from '#core/chat/ports.ts';
import type { ChatDependencies } from '#core/chat/run-command.ts';
import { incidentPagingConsumer } from '#core/contacts/engagements/incident-paging.ts';
import { type EngagementRunner, type EngagementServices, MINUTE_MS } from '#core/contacts/engagements/model.ts';
import type { MessageSender } from '#core/contacts/messaging.ts';
import type { ContactsDependencies } from '#core/contacts/operation.ts';
import type { ContactsStore } from '#core/contacts/ports.ts';
import type { DomainEventConsumer } from '#core/events/domain-events.ts';
import type { Dependencies } from '#core/incidents/operation.ts';
import type { IncidentsStore } from '#core/incidents/ports.ts';
import { incidentNotifier } from '#core/notifications/incident-notifier.ts';
import { integrationEventPublisher } from '#core/notifications/integration-events.ts';
import type { IntegrationEventPublisher, NotificationPublisher } from '#core/notifications/ports.ts';
import type { ServiceContext } from '#core/shared/service-context.ts';
import { loadConfig, type RuntimeConfig } from './config.ts';
import { createDynamoDbClient } from './dynamodb-client.ts';
import { incidentTimelineOf, stepFunctionsRunner, unavailableRunner } from './engagements.ts';
import { logger } from './logger.ts';
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
  /** Where notifications go (locally: the outbox). Default: Amazon SNS. */
  notifications?: NotificationPublisher;
  /** Where integration events go (locally: the event log). Default: EventBridge, when a bus is configured. */
  integrationEvents?: IntegrationEventPublisher;
  /** The console URL, when it is known only after start (the local runtime's port). Default: the configuration's. */
  consoleUrl?: () => string | undefined;
  /** Chat commands, locally: the signing secrets (from a file or variable), the deferrer and response_url poster. */
  chat?: { signingSecrets?: string[]; deferrer?: ChatDeferrer; responses?: ResponsePoster };
}

/** What the chat commands' handler needs besides the operations. */
export interface ChatServices {
  signingSecrets: SigningSecrets;
  replayGuard: ReplayGuard;
  deferrer: ChatDeferrer;
  responses: ResponsePoster;
  /** The commands' dependencies (the console URL is read per call). */
  dependencies(): ChatDependencies;
}

/** How long a Slack request signature is remembered: longer than the five minutes a timestamp is accepted. */
const REPLAY_WINDOW_SECONDS = 600;

export class CompositionRoot {
  readonly service: ServiceContext;
  readonly observability: Observability;
  #dynamodb?: DynamoDBClient;
  #incidentsStore?: IncidentsStore;
  #contactsStore?: ContactsStore;
  #engagements?: EngagementServices;
  #messages?: MessageSender;
  #engagementRunner?: EngagementRunner;
  #notificationPublisher?: NotificationPublisher;
  #chat?: ChatServices;

  constructor(
    readonly config: RuntimeConfig,
    private readonly options: RootOptions = {},
  ) {
    logger.setLogLevel(config.logLevel);
    this.service = { accountId: config.accountId, region: config.region, partition: config.partition };
    this.observability = options.observability ?? lambdaObservability();
  }

  get dynamodb(): DynamoDBClient {
    this.#dynamodb ??= this.options.dynamodb ?? this.observability.traceClient(createDynamoDbClient(this.config));
    return this.#dynamodb;
  }

  private get storeOptions(): StoreOptions {
    return {
      client: this.dynamodb,
      tableName: this.config.tableName,
      idempotencyWindowSeconds: this.config.idempotencyWindowSeconds,
    };
  }

  /** The one incidents store of this process (its open-incident cache is shared by every caller). */
  get incidentsStore(): IncidentsStore {
    this.#incidentsStore ??= createDynamoDbIncidentsStore(this.storeOptions);
    return this.#incidentsStore;
  }

  get contactsStore(): ContactsStore {
    this.#contactsStore ??= createDynamoDbContactsStore(this.storeOptions);
    return this.#contactsStore;
  }

  get messages(): MessageSender {
    this.#messages ??=
      this.options.messages ?? createMessageSender(this.config.messaging, { region: this.config.region });
    return this.#messages;
  }

  get engagementRunner(): EngagementRunner {
    const arn = this.config.engagementStateMachineArn;
    this.#engagementRunner ??=
      this.options.engagementRunner ??
      (arn
        ? stepFunctionsRunner(this.config.region, arn, (client) => this.observability.traceClient(client))
        : unavailableRunner('no engagement state machine is configured for this function'));
    return this.#engagementRunner;
  }

  /** Engagements, pages and the incident timeline they write to. */
  get engagements(): EngagementServices {
    this.#engagements ??= {
      store: createDynamoDbEngagementStore(this.storeOptions),
      runner: this.engagementRunner,
      timeline: incidentTimelineOf(this.incidentsStore, this.service),
      minuteMs: MINUTE_MS / (this.options.timeScale ?? 1),
      warn: (message, fields) => logger.warn(message, fields),
    };
    return this.#engagements;
  }

  /** What the ssm-incidents operations need. */
  get incidents(): Dependencies {
    return { store: this.incidentsStore };
  }

  /** What the ssm-contacts operations (and the paging engine) need. */
  get contacts(): Required<ContactsDependencies> {
    return { store: this.contactsStore, messages: this.messages, engagements: this.engagements };
  }

  /**
   * What reacts to committed changes in the incident reactor (the table's stream): paging starts when an incident
   * opens and stops when it is resolved. Each consumer is idempotent per change.
   */
  get reactorConsumers(): DomainEventConsumer[] {
    return [incidentPagingConsumer(this.contacts, this.service)];
  }

  /**
   * Notifications and integration events (the notifier function, fed by the table's stream). SNS notifications run
   * first: when one fails, the change is delivered again before its integration event was put, so no event is
   * duplicated by a notification retry.
   */
  get notifierConsumers(): DomainEventConsumer[] {
    const consumers: DomainEventConsumer[] = [
      incidentNotifier({
        publisher: this.notificationPublisher,
        ledger: createDynamoDbNotificationLedger(this.storeOptions),
        incidents: this.incidentsStore,
        service: this.service,
        consoleUrl: () => this.consoleUrl,
        chatCommand: this.config.notifications.chatCommand,
        error: (message, fields) => logger.error(message, fields),
      }),
    ];
    const events = this.integrationEventPublisher;
    if (events) consumers.push(integrationEventPublisher(events, this.incidentsStore, this.service));
    return consumers;
  }

  get consoleUrl(): string | undefined {
    return this.options.consoleUrl?.() ?? this.config.notifications.consoleUrl;
  }

  get notificationPublisher(): NotificationPublisher {
    this.#notificationPublisher ??=
      this.options.notifications ??
      snsPublisherForAnyRegion((region) => this.observability.traceClient(new SNSClient({ region })));
    return this.#notificationPublisher;
  }

  /** Undefined when no bus is configured (integration events are then not put). */
  get integrationEventPublisher(): IntegrationEventPublisher | undefined {
    if (this.options.integrationEvents) return this.options.integrationEvents;
    const bus = this.config.notifications.eventBusName;
    if (!bus) return undefined;
    return eventBridgePublisher(
      this.observability.traceClient(new EventBridgeClient({ region: this.config.region })),
      bus,
    );
  }

  /** The Slack slash command's secrets, replay guard and follow-ups. */
  get chat(): ChatServices {
    if (this.#chat) return this.#chat;
    const local = this.options.chat;
    const arn = this.config.chat.signingSecretArn;
    const signingSecrets = local?.signingSecrets
      ? fixedSigningSecrets(local.signingSecrets)
      : arn
        ? secretsManagerSigningSecrets(
            this.observability.traceClient(new SecretsManagerClient({ region: this.config.region })),
            arn,
          )
        : fixedSigningSecrets([]);
    this.#chat = {
      signingSecrets,
      replayGuard: createDynamoDbReplayGuard(this.storeOptions, REPLAY_WINDOW_SECONDS),
      deferrer:
        local?.deferrer ??
        lambdaChatDeferrer(this.observability.traceClient(new LambdaClient({ region: this.config.region }))),
      responses: local?.responses ?? fetchResponsePoster(),
      dependencies: () => ({
        incidents: this.incidents,
        contacts: this.contacts,
        service: this.service,
        authorization: this.config.chat.authorization,
        chatCommand: this.config.notifications.chatCommand,
        ...(this.consoleUrl ? { consoleUrl: this.consoleUrl } : {}),
      }),
    };
    return this.#chat;
  }
}

let fromEnvironment: CompositionRoot | undefined;

/** The root of a deployed function, from its environment variables; built once per execution environment. */
export const rootFromEnvironment = (): CompositionRoot => {
  fromEnvironment ??= new CompositionRoot(loadConfig());
  return fromEnvironment;
};
