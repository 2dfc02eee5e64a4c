/**
 * The IncidentPaging port (lambdas/core/incidents/operation.ts) implemented with the engagement engine: StartIncident engages
 * the response plan's `engagements`, resolving the incident stops them.
 *
 * Each contact is engaged through StartEngagement's own path with an IdempotencyToken derived from the incident and
 * the contact, so a retried StartIncident (or a redelivered alarm) engages nobody twice. A contact that no longer
 * exists (response plans may keep ARNs of deleted contacts) is skipped with a warning: the incident stays open.
 */

import type { IncidentPaging } from '#core/incidents/operation.ts';
import type { IncidentRecord } from '#core/incidents/ports.ts';
import { ConflictError, ResourceNotFoundError, ValidationError } from '#core/shared/errors.ts';
import { canonicalJson, sha256Hex } from '#core/shared/ids.ts';
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
