/**
 * The paging capability of the composition root (root.ts): contacts, engagements and pages, the paging workflow's
 * runner (Step Functions in AWS, loaded on first use), the message sender, and the incident timeline paging writes to.
 * The contacts API, the engagement worker and the incident reactor take their dependencies from here.
 */
import type { KMSClient } from '@aws-sdk/client-kms';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { createDynamoDbContactsStore, createDynamoDbEngagementStore } from '#adapters/dynamodb/contacts-store.ts';
import { createMessageSender } from '#adapters/messaging/create-sender.ts';
import {
  ACKNOWLEDGE_LINK_MINUTES,
  type AcknowledgeLinks,
  acknowledgeLinks,
  type MacSigner,
} from '#core/contacts/engagements/ack-links.ts';
import {
  type EngagementRunner,
  type EngagementServices,
  type IncidentLookup,
  type IncidentTimeline,
  MINUTE_MS,
  type PageContentSettings,
} from '#core/contacts/engagements/model.ts';
import type { MessageSender } from '#core/contacts/messaging.ts';
import type { ContactsDependencies } from '#core/contacts/operation.ts';
import { countingSender } from '#core/events/business-metrics.ts';
import { expectIncidentArn } from '#core/incidents/arns.ts';
import type { IncidentsStore } from '#core/incidents/ports.ts';
import { ResourceNotFoundError, ValidationError } from '#core/shared/errors.ts';
import { newId, sha256Hex } from '#core/shared/ids.ts';
import type { ServiceContext } from '#core/shared/service-context.ts';
import { logger } from './logger.ts';
import type { CompositionRoot } from './root.ts';

/**
 * The paging workflow in AWS: one Standard execution per root engagement. The Step Functions client is loaded on the
 * first start or stop, so functions that never page (most contacts API calls) do not pay for it at cold start.
 */
export const stepFunctionsRunner = (
  region: string,
  stateMachineArn: string,
  trace: (client: SFNClient) => SFNClient = (client) => client,
): EngagementRunner => {
  let loading: Promise<EngagementRunner> | undefined;
  const runner = () => {
    loading ??= (async () => {
      const [{ SFNClient }, { StepFunctionsEngagementRunner }] = await Promise.all([
        import('@aws-sdk/client-sfn'),
        import('#adapters/stepfunctions/engagement-runner.ts'),
      ]);
      return new StepFunctionsEngagementRunner(trace(new SFNClient({ region })), stateMachineArn);
    })().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  return {
    start: async (rootEngagementId) => (await runner()).start(rootEngagementId),
    stop: async (rootEngagementId, reason) => (await runner()).stop(rootEngagementId, reason),
  };
};

/** A runner for functions that must never start workflows (the worker itself), or when none is configured. */
export const unavailableRunner = (why: string): EngagementRunner => ({
  start: async () => {
    throw new Error(`Cannot start the paging workflow: ${why}`);
  },
  stop: async () => {
    logger.warn('cannot stop the paging workflow; the engagement ends at its next step', { why });
  },
});

/** Writes paging events into incidents of this account through the incidents store; anything else is ignored. */
export const incidentTimelineOf = (store: IncidentsStore, service: ServiceContext): IncidentTimeline => ({
  async record(incidentArn, eventType, data, references, dedupeKey, time) {
    let incidentId: string;
    try {
      ({ incidentId } = expectIncidentArn(service, incidentArn, 'IncidentId'));
    } catch {
      return; // An IncidentId that is not an incident of this service (StartEngagement takes any string).
    }
    try {
      await store.createTimelineEvent(
        incidentId,
        {
          incidentRecordArn: incidentArn,
          eventId: newId(),
          eventTime: time,
          eventUpdatedTime: time,
          eventType,
          eventData: JSON.stringify(data),
          eventReferences: references.map((resource) => ({ resource })),
        },
        {
          operation: 'ssm-contacts:PagingTimelineEvent',
          token: dedupeKey,
          inputHash: sha256Hex(`${eventType}|${dedupeKey}`),
        },
        time,
      );
    } catch (error) {
      if (error instanceof ResourceNotFoundError || error instanceof ValidationError) return;
      throw error;
    }
  },
});

/** What pages say about an incident of this account (title, impact, when it opened); anything else: nothing. */
export const incidentFactsOf = (store: IncidentsStore, service: ServiceContext): IncidentLookup => ({
  async facts(incidentArn) {
    let incidentId: string;
    try {
      ({ incidentId } = expectIncidentArn(service, incidentArn, 'IncidentId'));
    } catch {
      return undefined;
    }
    const found = await store.getIncident(incidentId);
    if (!found) return undefined;
    const { title, impact, creationTime } = found.record;
    return { title, impact, creationTime };
  },
});

/**
 * The KMS HMAC key that signs and verifies acknowledge links, with its client loaded on first use (most invocations of
 * the functions that have it, API calls and workflow steps without email pages, never sign anything).
 */
export const kmsLinkSigner = (
  keyArn: string,
  region: string,
  trace: (client: KMSClient) => KMSClient = (client) => client,
): MacSigner => {
  let loading: Promise<MacSigner> | undefined;
  const signer = () => {
    loading ??= Promise.all([import('@aws-sdk/client-kms'), import('#adapters/signing/kms-mac-signer.ts')]).then(
      ([{ KMSClient }, { KmsMacSigner }]) => new KmsMacSigner(keyArn, trace(new KMSClient({ region }))),
    );
    loading.catch(() => {
      loading = undefined;
    });
    return loading;
  };
  return {
    sign: async (message) => (await signer()).sign(message),
    verify: async (message, mac) => (await signer()).verify(message, mac),
  };
};

/**
 * Acknowledge links (signed, single use, expiring), when this function has a key and knows where links point;
 * undefined otherwise (pages then carry the code only).
 */
export const acknowledgeLinksOf = (root: CompositionRoot): AcknowledgeLinks | undefined => {
  const configured = root.config.paging.acknowledgeLinks;
  const baseUrl = configured?.baseUrl ?? root.options.localEndpoint?.();
  // Locally the endpoint is known once the server listens: ask again until then.
  if (!baseUrl && root.options.localEndpoint) return undefined;
  return (
    root.memo('paging.acknowledgeLinks', () => {
      const signer =
        root.options.linkSigner ??
        (configured?.keyArn
          ? kmsLinkSigner(configured.keyArn, root.config.region, (client) => root.observability.traceClient(client))
          : undefined);
      return baseUrl && signer ? acknowledgeLinks(signer, baseUrl) : null;
    }) ?? undefined
  );
};

/** How pages say to acknowledge: the console's address, links, SMS replies. */
export const pageContentOf = (root: CompositionRoot): PageContentSettings => {
  const consoleUrl = root.config.paging.consoleUrl ?? (root.options.consoleUrl?.() || root.options.localEndpoint?.());
  const links = acknowledgeLinksOf(root);
  return {
    ...(consoleUrl ? { consoleUrl } : {}),
    // The local runtime takes replies through `npm run reply`.
    smsReplies: root.config.paging.smsReplies || root.options.localEndpoint !== undefined,
    acknowledgeLinks: links !== undefined,
    ...(links ? { linkMinutes: ACKNOWLEDGE_LINK_MINUTES } : {}),
  };
};

/** Where contact-channel messages go, counted (sent, failed) for the business metrics. */
export const messagesOf = (root: CompositionRoot): MessageSender =>
  root.memo('paging.messages', () =>
    countingSender(
      root.options.messages ?? createMessageSender(root.config.messaging, { region: root.config.region }),
      root.observability.metrics,
    ),
  );

/** The runner of the paging workflow: the root's own (local runtime), Step Functions when configured, else none. */
export const engagementRunnerOf = (root: CompositionRoot): EngagementRunner =>
  root.memo('paging.runner', () => {
    const arn = root.config.engagementStateMachineArn;
    if (root.options.engagementRunner) return root.options.engagementRunner;
    return arn
      ? stepFunctionsRunner(root.config.region, arn, (client) => root.observability.traceClient(client))
      : unavailableRunner('no engagement state machine is configured for this function');
  });

/** Engagements, pages and the incident timeline they write to. */
export const engagementsOf = (root: CompositionRoot): EngagementServices =>
  root.memo('paging.engagements', () => ({
    store: createDynamoDbEngagementStore(root.storeOptions),
    runner: engagementRunnerOf(root),
    timeline: incidentTimelineOf(root.incidentsStore, root.service),
    incidents: incidentFactsOf(root.incidentsStore, root.service),
    minuteMs: MINUTE_MS / (root.options.timeScale ?? 1),
    warn: (message, fields) => logger.warn(message, fields),
    notice: (notice) => {
      logger.warn(notice.text, { ...notice });
      root.options.pagingNotice?.(notice);
    },
    // Read when a page is composed, not when the handler is built: the local endpoint is known only once it listens.
    get content() {
      return pageContentOf(root);
    },
    get links() {
      return acknowledgeLinksOf(root);
    },
  }));

/** What the ssm-contacts operations (and the paging engine) need. */
export const contactsOf = (root: CompositionRoot): Required<ContactsDependencies> =>
  root.memo('paging.contacts', () => ({
    store: createDynamoDbContactsStore(root.storeOptions),
    messages: messagesOf(root),
    engagements: engagementsOf(root),
  }));
