/**
 * The runbook workflow's worker: the Tasks of state-machines/runbook.asl.json that need this service's data invoke it
 * with the action in their Parameters (in AWS Step Functions calls it; locally the runner calls the same function).
 *
 * - `{action: "prepare", incidentArn, actionIndex}` -> `{runbook, start}` (the StartAutomationExecution request);
 *   throws RunbookNotApplicable when the incident or its plan's runbook is gone (the workflow then just ends).
 * - `{action: "follow", runbook, executionId, taskToken}` registers the execution on the incident and records what
 *   happened so far; the workflow waits for the token.
 * - `{action: "startFailed", workflow}` writes why the runbook could not start on the incident's timeline.
 *
 * Errors are thrown, never returned, so the ASL's Retry and Catch see them by name.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { expectIncidentArn } from '#core/incidents/arns.ts';
import type { RunbookDependencies, RunbookRef } from '#core/runbooks/model.ts';
import { follow, prepare, recordStartFailure } from '#core/runbooks/workflow.ts';
import { logger } from '#runtime/logger.ts';
import type { CompositionRoot } from '#runtime/root.ts';
import { runbookDependenciesOf } from '#runtime/runbook-dependencies.ts';

export type RunbookWorkerEvent =
  | { action: 'prepare'; incidentArn: string; actionIndex: number }
  | { action: 'follow'; runbook: RunbookRef; executionId: string; taskToken: string }
  | {
      action: 'startFailed';
      workflow: {
        incidentArn: string;
        actionIndex: number;
        prepared?: { runbook?: RunbookRef };
        error?: { Error?: string; Cause?: string };
      };
    };

export type RunbookWorkerHandler = (event: RunbookWorkerEvent, context: Context) => Promise<unknown>;

/** The event was not one this worker understands: no retry can fix it. */
export class InvalidRunbookWorkerEvent extends Error {
  override readonly name = 'InvalidRunbookWorkerEvent';
}

export function createRunbookWorkerHandler(root: CompositionRoot): RunbookWorkerHandler {
  const deps: RunbookDependencies = runbookDependenciesOf(root);
  const work = async (event: RunbookWorkerEvent): Promise<unknown> => {
    const now = Date.now();
    switch (event?.action) {
      case 'prepare':
        return prepare(deps, { incidentArn: event.incidentArn, actionIndex: event.actionIndex });
      case 'follow':
        await follow(deps, event, now);
        return { following: event.executionId };
      case 'startFailed': {
        const { workflow } = event;
        const runbook: RunbookRef = workflow.prepared?.runbook ?? {
          incidentArn: workflow.incidentArn,
          incidentId: expectIncidentArn(deps.service, workflow.incidentArn, 'incidentArn').incidentId,
          actionIndex: workflow.actionIndex,
          documentName: 'the runbook',
        };
        logger.warn('a runbook could not start', { incident: workflow.incidentArn, error: workflow.error });
        await recordStartFailure(deps, { runbook, ...(workflow.error ? { error: workflow.error } : {}) }, now);
        return { recorded: true };
      }
      default:
        throw new InvalidRunbookWorkerEvent(`Unknown action ${String((event as { action?: unknown })?.action)}.`);
    }
  };
  return middy<RunbookWorkerEvent, unknown>().use(root.observability.middlewares()).handler(work);
}
