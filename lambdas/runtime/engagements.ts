/**
 * Paging pieces the composition root (root.ts) assembles: the Step Functions runner of the engagement workflow, a
 * runner for functions that must never start workflows, and the incident timeline that paging writes to.
 */
import type { KMSClient } from '@aws-sdk/client-kms';
import { SFNClient } from '@aws-sdk/client-sfn';
import { StepFunctionsEngagementRunner } from '#adapters/stepfunctions/engagement-runner.ts';
import type { MacSigner } from '#core/contacts/engagements/ack-links.ts';
import type { EngagementRunner, IncidentLookup, IncidentTimeline } from '#core/contacts/engagements/model.ts';
import { expectIncidentArn } from '#core/incidents/arns.ts';
import type { IncidentsStore } from '#core/incidents/ports.ts';
import { ResourceNotFoundError, ValidationError } from '#core/shared/errors.ts';
import { newId, sha256Hex } from '#core/shared/ids.ts';
import type { ServiceContext } from '#core/shared/service-context.ts';
import { logger } from './logger.ts';

/** The paging workflow in AWS: one Standard execution per root engagement. */
export const stepFunctionsRunner = (
  region: string,
  stateMachineArn: string,
  trace: (client: SFNClient) => SFNClient = (client) => client,
): EngagementRunner => new StepFunctionsEngagementRunner(trace(new SFNClient({ region })), stateMachineArn);

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
