/** What every ssm-incidents operation receives. */
import type { AutomationService } from '#core/runbooks/model.ts';
import type { RequestContext } from '#core/shared/service-context.ts';
import type { IncidentsStore } from './ports.ts';

export interface Dependencies {
  store: IncidentsStore;
  /** SSM, for the runbook view (GetIncidentRunbooks); absent: that operation is unavailable. */
  automation?: AutomationService;
}

/**
 * An operation takes the request's members (body, query and path label merged, as the model binds them) and
 * returns the output members, or undefined for operations whose success response has no body.
 */
export type Operation = (deps: Dependencies, ctx: RequestContext, input: unknown) => Promise<object | undefined>;
