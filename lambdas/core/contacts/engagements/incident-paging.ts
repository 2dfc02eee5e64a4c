/**
 * Paging for incidents, as a reaction to committed incident changes (domain events from the table's stream): an
 * incident that opens engages the contacts its response plan named (`engagements`), resolving it stops them, and
 * reopening it says on the timeline that paging was not restarted.
 *
 * Each contact is engaged through StartEngagement's own path with an IdempotencyToken derived from the incident and
 * the contact, so a retried StartIncident (or a redelivered alarm) engages nobody twice. A contact that no longer
 * exists (response plans may keep ARNs of deleted contacts) is skipped, and the timeline and the log say so: the
 * incident stays open.
 *
 * Reopening does not page again, deliberately: a reopen is a person's action inside an incident they are already
 * working (an alarm firing again opens a new incident, which pages as usual), and an accidental reopen must not wake
 * the whole plan. To page again, start an engagement for the incident (StartEngagement with its ARN as IncidentId).
 */

import type { DomainEventConsumer } from '#core/events/domain-events.ts';
import type { IncidentRecord } from '#core/incidents/ports.ts';
import { ConflictError, ResourceNotFoundError, ValidationError } from '#core/shared/errors.ts';
import { canonicalJson, sha256Hex } from '#core/shared/ids.ts';
import type { RequestContext, ServiceContext } from '#core/shared/service-context.ts';
import { stopIncidentPaging } from './endings.ts';
import type { EngagementDependencies } from './engine.ts';
import { impactWords } from './messages.ts';
import { type EngagementMessage, PAGING_EVENT_TYPES } from './model.ts';
import { beginEngagement } from './operations.ts';
import { recordPagingEvent } from './paging-timeline.ts';
import { nameOf } from './reachability.ts';

/** Sender of the engagements an incident starts. */
export const INCIDENT_SENDER = 'Incident Manager';

/** The engagement message of an incident's pages (the page text adds the incident's ARN, console link and code). */
export const incidentMessage = (incident: IncidentRecord): EngagementMessage => ({
  sender: INCIDENT_SENDER,
  subject: `Incident (impact ${incident.impact}, ${impactWords(incident.impact)}): ${incident.title}`.slice(0, 2048),
  content: [
    incident.title,
    `Impact: ${incident.impact} (${impactWords(incident.impact)})`,
    ...(incident.summary ? [`Summary: ${incident.summary}`] : []),
  ]
    .join('\n')
    .slice(0, 8192),
  publicSubject: `Incident, impact ${incident.impact}`,
  publicContent: incident.title.slice(0, 8192),
  incidentId: incident.arn,
  incident: { title: incident.title, impact: incident.impact, creationTime: incident.creationTime },
});

export interface IncidentPaging {
  /** Engages each contact for the incident; calling it again for the same incident and contact engages nobody twice. */
  engage(ctx: RequestContext, incident: IncidentRecord, contactArns: readonly string[]): Promise<void>;
  /** Stops every engagement of the incident, and every outstanding page of it. */
  stopForIncident(ctx: RequestContext, incidentArn: string, reason: string): Promise<void>;
  /** Says on the timeline that reopening did not restart paging, and how to page again. */
  reopened(ctx: RequestContext, incident: IncidentRecord): Promise<void>;
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
          if (error instanceof ConflictError) {
            deps.engagements.warn?.('a contact of the response plan was engaged before with other text', {
              incidentArn: incident.arn,
              contactArn,
              reason: error.message,
            });
            continue;
          }
          // Nobody is silently unpaged: the plan names someone who cannot be engaged.
          const summary = `${nameOf(contactArn)} of response plan ${incident.responsePlanName} was not engaged: ${error.message}`;
          if (deps.engagements.notice)
            deps.engagements.notice({
              text: summary,
              incidentId: incident.arn,
              engagementArn: '',
              unreachable: [{ contactArn, reason: error.message }],
            });
          else deps.engagements.warn?.(summary, { incidentArn: incident.arn, contactArn, reason: error.message });
          await recordPagingEvent(
            deps,
            incident.arn,
            PAGING_EVENT_TYPES.unreachable,
            { contactArn, unreachable: [{ contactArn, reason: error.message }], summary },
            [contactArn],
            `not-engaged:${contactArn}`,
            ctx.now,
          );
          continue;
        }
        throw error;
      }
    }
  },

  async stopForIncident(ctx, incidentArn, reason) {
    await stopIncidentPaging(deps, incidentArn, reason, ctx.caller.principalArn, ctx.now);
  },

  async reopened(ctx, incident) {
    const roots = (await deps.engagements.store.engagementsOfIncident(incident.arn)).filter(
      (e) => e.rootEngagementId === e.engagementId,
    );
    const stopped = roots.filter((e) => e.status === 'STOPPED').length;
    const summary =
      `Incident reopened by ${incident.lastModifiedBy}: paging was not restarted` +
      (roots.length
        ? ` (${stopped} of its ${roots.length} engagements were stopped when it was resolved and stay stopped).`
        : '.') +
      ' To page again, start an engagement for this incident.';
    await recordPagingEvent(
      deps,
      incident.arn,
      PAGING_EVENT_TYPES.reopen,
      {
        reopenedBy: incident.lastModifiedBy,
        engagementArns: roots.map((e) => e.arn),
        restarted: false,
        summary,
      },
      [incident.arn, ...roots.map((e) => e.arn)],
      `reopen:${incident.lastModifiedTime}`,
      ctx.now,
    );
  },
});

/**
 * The consumer of incident changes that pages: IncidentOpened engages the plan's contacts (as the incident's creator),
 * IncidentResolved stops every engagement of the incident (as whoever resolved it), IncidentReopened records that
 * paging was not restarted. All are idempotent, so a redelivered change engages nobody twice, stops nothing twice
 * and writes one timeline event.
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
      } else if (event.type === 'IncidentReopened') {
        await paging.reopened(contextOf(event.incident.lastModifiedBy), event.incident);
      }
    },
  };
};
