/**
 * The composition root: every dependency of every handler, built once per process from one complete configuration.
 * Each deployed function (lambdas/functions/*.ts) builds a root at module scope from the environment; the local
 * runtime builds one with its own DynamoDB client, paging runner and outbox, and hands it to the very same handler
 * factories. Members are built on first use, so a function only pays for what its handler touches (the contacts
 * function never builds the incidents' plan cache, the intake never builds a message sender).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDbContactsStore, createDynamoDbEngagementStore } from '#adapters/dynamodb/contacts-store.ts';
import { createDynamoDbIncidentsStore, type StoreOptions } from '#adapters/dynamodb/store.ts';
import { createMessageSender } from '#adapters/messaging/create-sender.ts';
import {
  ACKNOWLEDGE_LINK_MINUTES,
  type AcknowledgeLinks,
  acknowledgeLinks,
  type MacSigner,
} from '#core/contacts/engagements/ack-links.ts';
import { incidentPagingConsumer } from '#core/contacts/engagements/incident-paging.ts';
import {
  type EngagementRunner,
  type EngagementServices,
  MINUTE_MS,
  type PageContentSettings,
  type PagingNotice,
} from '#core/contacts/engagements/model.ts';
import type { MessageSender } from '#core/contacts/messaging.ts';
import type { ContactsDependencies } from '#core/contacts/operation.ts';
import type { ContactsStore } from '#core/contacts/ports.ts';
import type { DomainEventConsumer } from '#core/events/domain-events.ts';
import type { Dependencies } from '#core/incidents/operation.ts';
import type { IncidentsStore } from '#core/incidents/ports.ts';
import type { ServiceContext } from '#core/shared/service-context.ts';
import { loadConfig, type RuntimeConfig } from './config.ts';
import { createDynamoDbClient } from './dynamodb-client.ts';
import {
  incidentFactsOf,
  incidentTimelineOf,
  kmsLinkSigner,
  stepFunctionsRunner,
  unavailableRunner,
} from './engagements.ts';
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
  #dynamodb?: DynamoDBClient;
  #incidentsStore?: IncidentsStore;
  #contactsStore?: ContactsStore;
  #engagements?: EngagementServices;
  #messages?: MessageSender;
  #engagementRunner?: EngagementRunner;
  #acknowledgeLinks?: AcknowledgeLinks | null;

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

  /**
   * Acknowledge links (signed, single use, expiring), when this function has a key and knows where links point;
   * undefined otherwise (pages then carry the code only).
   */
  get acknowledgeLinks(): AcknowledgeLinks | undefined {
    if (this.#acknowledgeLinks === undefined) {
      const configured = this.config.paging.acknowledgeLinks;
      const baseUrl = configured?.baseUrl ?? this.options.localEndpoint?.();
      const signer =
        this.options.linkSigner ??
        (configured?.keyArn
          ? kmsLinkSigner(configured.keyArn, this.config.region, (client) => this.observability.traceClient(client))
          : undefined);
      // Locally the endpoint is known once the server listens: ask again until then.
      if (baseUrl || !this.options.localEndpoint)
        this.#acknowledgeLinks = baseUrl && signer ? acknowledgeLinks(signer, baseUrl) : null;
      else return undefined;
    }
    return this.#acknowledgeLinks ?? undefined;
  }

  /** How pages say to acknowledge: the console's address, links, SMS replies. */
  get pageContent(): PageContentSettings {
    const consoleUrl = this.config.paging.consoleUrl ?? this.options.localEndpoint?.();
    const links = this.acknowledgeLinks;
    return {
      ...(consoleUrl ? { consoleUrl } : {}),
      // The local runtime takes replies through `npm run reply`.
      smsReplies: this.config.paging.smsReplies || this.options.localEndpoint !== undefined,
      acknowledgeLinks: links !== undefined,
      ...(links ? { linkMinutes: ACKNOWLEDGE_LINK_MINUTES } : {}),
    };
  }

  /** Engagements, pages and the incident timeline they write to. */
  get engagements(): EngagementServices {
    const root = this;
    this.#engagements ??= {
      store: createDynamoDbEngagementStore(this.storeOptions),
      runner: this.engagementRunner,
      timeline: incidentTimelineOf(this.incidentsStore, this.service),
      incidents: incidentFactsOf(this.incidentsStore, this.service),
      minuteMs: MINUTE_MS / (this.options.timeScale ?? 1),
      warn: (message, fields) => logger.warn(message, fields),
      notice: (notice) => {
        logger.warn(notice.text, { ...notice });
        root.options.pagingNotice?.(notice);
      },
      // Read when a page is composed, not when the handler is built: the local endpoint is known only once it listens.
      get content() {
        return root.pageContent;
      },
      get links() {
        return root.acknowledgeLinks;
      },
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
}

let fromEnvironment: CompositionRoot | undefined;

/** The root of a deployed function, from its environment variables; built once per execution environment. */
export const rootFromEnvironment = (): CompositionRoot => {
  fromEnvironment ??= new CompositionRoot(loadConfig());
  return fromEnvironment;
};
