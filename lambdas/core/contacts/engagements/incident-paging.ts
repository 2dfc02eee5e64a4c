/**
 * Paging for incidents, as a reaction to committed incident changes (domain events from the table's stream): an
 * incident that opens engages the contacts its response plan named (`engagements`), resolving it stops them.
 *
 * Each contact is engaged through StartEngagement's own path with an IdempotencyToken derived from the incident and
 * the contact, so a retried StartIncident (or a redelivered alarm) engages nobody twice. A contact that no longer
 * exists (response plans may keep ARNs of deleted contacts) is skipped with a warning: the incident stays open.
 */

import type { DomainEventConsumer } from '#core/events/domain-events.ts';
import type { IncidentRecord } from '#core/incidents/ports.ts';
import { ConflictError, ResourceNotFoundError, ValidationError } from '#core/shared/errors.ts';
import { canonicalJson, sha256Hex } from '#core/shared/ids.ts';
import type { RequestContext, ServiceContext } from '#core/shared/service-context.ts';
import { type EngagementDependencies, stopEngagement } from './engine.ts';
import type { EngagementMessage } from './model.ts';
import { beginEngagement } from './operations.ts';

/** Sender of the engagements an incident starts. */
export const INCIDENT_SENDER = 'Incident Manager';

export const incidentMessage = (incident: IncidentRecord): EngagementMessage => ({
  sender: INCIDENT_SENDER,
  subject: `Incident (impact ${incident.impact}): ${incident.title}`.slice(0, 2048),
  content: [
    incident.title,
    `Impact: ${incident.impact}`,
    ...(incident.summary ? [`Summary: ${incident.summary}`] : []),
    `Incident: ${incident.arn}`,
  ]
    .join('\n')
    .slice(0, 8192),
  publicSubject: `Incident, impact ${incident.impact}`,
  publicContent: incident.title.slice(0, 8192),
  incidentId: incident.arn,
});

export interface IncidentPaging {
  /** Engages each contact for the incident; calling it again for the same incident and contact engages nobody twice. */
  engage(ctx: RequestContext, incident: IncidentRecord, contactArns: readonly string[]): Promise<void>;
  /** Stops every engagement of the incident that is still paging. */
  stopForIncident(ctx: RequestContext, incidentArn: string, reason: string): Promise<void>;
}

export const incidentPaging = (deps: EngagementDependencies): IncidentPaging => ({
  async engage(ctx, incident, contactArns) {
    const message = incidentMessage(incident);
    for (const contactArn of new Set(contactArns)) {
      const token = `incident-${sha256Hex(`${incident.arn}|${contactArn}`).slice(0, 48)}`;
      const input = { ContactId: contactArn, ...message };
      try {
        await beginEngagement(deps, ctx, contactArn, message, {
          operation: 'ssm-contacts:StartEngagement',
          token,
          inputHash: sha256Hex(canonicalJson(input)),
        });
      } catch (error) {
        // ConflictError: this incident engaged the contact before with another title; that engagement stands.
        if (
          error instanceof ResourceNotFoundError ||
          error instanceof ValidationError ||
          error instanceof ConflictError
        ) {
          deps.engagements.warn?.('a contact of the response plan was not engaged', {
            incidentArn: incident.arn,
            contactArn,
            reason: error.message,
          });
          continue;
        }
        throw error;
      }
    }
  },

  async stopForIncident(ctx, incidentArn, reason) {
    const engagements = await deps.engagements.store.engagementsOfIncident(incidentArn);
    for (const e of engagements) {
      if (e.rootEngagementId !== e.engagementId || e.status !== 'ENGAGED') continue;
      await stopEngagement(deps, e, reason, ctx.now);
    }
  },
});

/**
 * The consumer of incident changes that pages: IncidentOpened engages the plan's contacts (as the incident's creator),
 * IncidentResolved stops every engagement of the incident (as whoever resolved it). Both are idempotent, so a
 * redelivered change engages nobody twice and stops nothing twice.
 */
export const incidentPagingConsumer = (deps: EngagementDependencies, service: ServiceContext): DomainEventConsumer => {
  const paging = incidentPaging(deps);
  const contextOf = (principalArn: string): RequestContext => ({
    ...service,
    caller: { principalArn },
    now: Date.now(),
  });
  return {
    name: 'incident-paging',
    async handle(event) {
      if (event.type === 'IncidentOpened') {
        const { incident } = event;
        if (incident.engagements?.length)
          await paging.engage(contextOf(incident.incidentRecordSource.createdBy), incident, incident.engagements);
      } else if (event.type === 'IncidentResolved') {
        const { incident } = event;
        await paging.stopForIncident(
          contextOf(incident.lastModifiedBy),
          incident.arn,
          `Incident ${incident.arn} was resolved`,
        );
      }
    },
  };
};
