/**
 * Starting runbooks is a reaction to an incident opening: this consumer of the domain events starts, on
 * `IncidentOpened`, one runbook workflow per `ssmAutomation` action of the incident's response plan. Opening by
 * StartIncident, by an alarm or by an event are the same event. A trigger deduplicated into an open incident opens
 * nothing, so it starts nothing. The workflow is named after the incident and the action, so a redelivered event (or
 * a retried StartIncident replaying its creation) starts nothing twice.
 *
 * Resolving an incident does nothing to its runbooks, as in Incident Manager: a runbook is an SSM automation of its
 * own, often with recovery or post-incident steps still to do after the incident is resolved, and stopping it half way
 * through a mitigation could leave things worse. Responders stop one with StopAutomationExecution if they want to;
 * its progress keeps being written to the (resolved) incident's timeline.
 */
import type { DomainEvent, DomainEventConsumer } from '#core/events/domain-events.ts';
import type { IncidentsStore } from '#core/incidents/ports.ts';
import { type RunbookWorkflow, workflowNameOf } from './model.ts';

export interface RunbookStarterDependencies {
  incidents: Pick<IncidentsStore, 'getResponsePlan'>;
  workflow: RunbookWorkflow;
  warn?: (message: string, fields?: Record<string, unknown>) => void;
}

export function runbookStarter(deps: RunbookStarterDependencies): DomainEventConsumer {
  return {
    name: 'runbook-starter',
    async handle(event: DomainEvent) {
      if (event.type !== 'IncidentOpened') return;
      const { incident } = event;
      const plan = (await deps.incidents.getResponsePlan(incident.responsePlanName))?.record;
      if (!plan) {
        deps.warn?.('the response plan of an opened incident is gone; no runbook starts', { incident: incident.arn });
        return;
      }
      const actions = plan.actions ?? [];
      for (const [actionIndex, action] of actions.entries()) {
        if (!('ssmAutomation' in action)) continue;
        await deps.workflow.start(workflowNameOf(incident.id, actionIndex), { incidentArn: incident.arn, actionIndex });
      }
    },
  };
}
