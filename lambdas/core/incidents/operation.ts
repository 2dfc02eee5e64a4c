/** What every ssm-incidents operation receives. */
import type { AutomationService } from '#core/runbooks/model.ts';
import type { RequestContext } from '#core/shared/service-context.ts';
import type { IncidentRecord, IncidentsStore } from './ports.ts';

/**
 * Paging for incidents: how StartIncident engages a response plan's contacts and how resolving an incident stops
 * them. ssm-contacts implements it (lambdas/core/contacts/engagements/incident-paging.ts) and the composition root
 * injects it, so the incidents core never depends on contacts internals. Absent: incidents page nobody.
 */
export interface IncidentPaging {
  /** Engages each contact for the incident; calling it again for the same incident and contact engages nobody twice. */
  engage(ctx: RequestContext, incident: IncidentRecord, contactArns: readonly string[]): Promise<void>;
  /** Stops every engagement of the incident that is still paging. */
  stopForIncident(ctx: RequestContext, incidentArn: string, reason: string): Promise<void>;
}

export interface Dependencies {
  store: IncidentsStore;
  paging?: IncidentPaging;
  /** SSM, for the runbook view (GetIncidentRunbooks); absent: that operation is unavailable. */
  automation?: AutomationService;
}

/**
 * An operation takes the request's members (body, query and path label merged, as the model binds them) and
 * returns the output members, or undefined for operations whose success response has no body.
 */
export type Operation = (deps: Dependencies, ctx: RequestContext, input: unknown) => Promise<object | undefined>;
