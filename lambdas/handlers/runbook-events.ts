/**
 * The target of the EventBridge rule on SSM's "EC2 Automation Step Status-change Notification" and "EC2 Automation
 * Execution Status-change Notification" events (locally: the local Automation engine delivers the same events here).
 * For an execution started as an incident's runbook it writes the new step and execution statuses on the incident's
 * timeline and, at the end, completes the runbook workflow's wait; events of other automations are ignored.
 *
 * A failure is thrown: EventBridge retries (then the rule's dead-letter queue keeps the event), and the next event of
 * the same execution makes up for a lost one anyway, since the handler records the execution's state, not the event.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { AUTOMATION_DETAIL_TYPES, type RunbookDependencies } from '#core/runbooks/model.ts';
import { type ProgressResult, recordProgress } from '#core/runbooks/progress.ts';
import type { CompositionRoot } from '#runtime/root.ts';
import { runbookDependenciesOf } from '#runtime/runbook-dependencies.ts';

export interface AutomationStatusEvent {
  source?: string;
  'detail-type'?: string;
  detail?: { ExecutionId?: string; Status?: string; StepName?: string };
}

export type RunbookEventsHandler = (
  event: AutomationStatusEvent,
  context: Context,
) => Promise<{ result: ProgressResult | 'ignored' }>;

export function createRunbookEventsHandler(root: CompositionRoot): RunbookEventsHandler {
  const deps: RunbookDependencies = runbookDependenciesOf(root);
  const consume = async (event: AutomationStatusEvent): Promise<{ result: ProgressResult | 'ignored' }> => {
    const executionId = event?.detail?.ExecutionId;
    if (
      event?.source !== 'aws.ssm' ||
      !AUTOMATION_DETAIL_TYPES.includes(event['detail-type'] as never) ||
      typeof executionId !== 'string'
    )
      return { result: 'ignored' };
    return { result: await recordProgress(deps, executionId, Date.now()) };
  };
  return middy<AutomationStatusEvent, { result: ProgressResult | 'ignored' }>()
    .use(root.observability.middlewares())
    .handler(consume);
}
