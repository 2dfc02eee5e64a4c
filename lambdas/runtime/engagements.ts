/**
 * The composition root of paging: builds the engagement services (store, runner, incident timeline) that the
 * contacts API, the incidents API, the trigger intake and the engagement worker share, from configuration. In AWS the
 * runner is Step Functions (STATE_MACHINE_ARN); the local runtime passes its own runner (aws-local-stepfunctions).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { createDynamoDbContactsStore, createDynamoDbEngagementStore } from '#adapters/dynamodb/contacts-store.ts';
import { createDynamoDbIncidentsStore } from '#adapters/dynamodb/store.ts';
import { StepFunctionsEngagementRunner } from '#adapters/stepfunctions/engagement-runner.ts';
import type { EngagementDependencies } from '#core/contacts/engagements/engine.ts';
import { incidentPaging } from '#core/contacts/engagements/incident-paging.ts';
import {
  type EngagementRunner,
  type EngagementServices,
  type IncidentTimeline,
  MINUTE_MS,
} from '#core/contacts/engagements/model.ts';
import type { MessageSender } from '#core/contacts/messaging.ts';
import { expectIncidentArn } from '#core/incidents/arns.ts';
import type { IncidentPaging } from '#core/incidents/operation.ts';
import type { IncidentsStore } from '#core/incidents/ports.ts';
import { ResourceNotFoundError, ValidationError } from '#core/shared/errors.ts';
import { newId, sha256Hex } from '#core/shared/ids.ts';
import type { ServiceContext } from '#core/shared/service-context.ts';
import type { RuntimeConfig } from './config.ts';
import { ENV } from './environment.ts';
import { logger } from './logger.ts';

export interface EngagementOptions {
  /** Runs the paging workflow; default: Step Functions with STATE_MACHINE_ARN. */
  runner?: EngagementRunner;
  /** Plan minutes pass this many times faster (local runtime only, read from LOCAL_TIME_SCALE there); default 1. */
  timeScale?: number;
}

/** LOCAL_TIME_SCALE as a number >= 1 (1 when unset). */
export function timeScaleFrom(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[ENV.timeScale];
  if (raw === undefined || raw === '') return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale < 1) throw new Error(`${ENV.timeScale} must be a number >= 1, got ${raw}`);
  return scale;
}

/** A runner for functions that must never start workflows (the worker itself), or when none is configured. */
export const unavailableRunner = (why: string): EngagementRunner => ({
  start: async () => {
    throw new Error(`Cannot start the paging workflow: ${why}`);
  },
  stop: async () => {
    logger.warn('cannot stop the paging workflow; the engagement ends at its next step', { why });
  },
});

const runnerFromEnvironment = (config: RuntimeConfig): EngagementRunner => {
  const arn = process.env[ENV.engagementStateMachineArn];
  if (!arn) return unavailableRunner(`${ENV.engagementStateMachineArn} is not set`);
  return new StepFunctionsEngagementRunner(new SFNClient({ region: config.region }), arn);
};

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

/** For functions that start engagements but never deliver a message themselves (incidents API, trigger intake). */
export const NO_MESSAGES: MessageSender = {
  send: async () => {
    throw new Error('This function delivers no messages: pages are sent by the engagement worker.');
  },
};

/** The contacts-side dependencies of paging (stores, runner, timeline, sender), built once per function. */
export function engagementDependenciesFromConfig(
  config: RuntimeConfig,
  client: DynamoDBClient,
  messages: MessageSender,
  options: EngagementOptions = {},
): EngagementDependencies {
  const storeOptions = {
    client,
    tableName: config.tableName,
    idempotencyWindowSeconds: config.idempotencyWindowSeconds,
  };
  const service = { accountId: config.accountId, region: config.region, partition: config.partition };
  const engagements: EngagementServices = {
    store: createDynamoDbEngagementStore(storeOptions),
    runner: options.runner ?? runnerFromEnvironment(config),
    timeline: incidentTimelineOf(createDynamoDbIncidentsStore(storeOptions), service),
    // Deployed functions always page in real time: only the local runtime passes a scale (from LOCAL_TIME_SCALE),
    // so the variable set on a Lambda by mistake cannot make escalations run faster.
    minuteMs: MINUTE_MS / (options.timeScale ?? 1),
    warn: (message, fields) => logger.warn(message, fields),
  };
  return { store: createDynamoDbContactsStore(storeOptions), messages, engagements };
}

/** The IncidentPaging port for the incidents API and the trigger intake. */
export function incidentPagingFromConfig(
  config: RuntimeConfig,
  client: DynamoDBClient,
  messages: MessageSender,
  options: EngagementOptions = {},
): IncidentPaging {
  return incidentPaging(engagementDependenciesFromConfig(config, client, messages, options));
}
