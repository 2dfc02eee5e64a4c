/**
 * Paging pieces the composition root (root.ts) assembles: the Step Functions runner of the engagement workflow, a
 * runner for functions that must never start workflows, and the incident timeline that paging writes to.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { StepFunctionsEngagementRunner } from '#adapters/stepfunctions/engagement-runner.ts';
import type { EngagementRunner, IncidentTimeline } from '#core/contacts/engagements/model.ts';
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
