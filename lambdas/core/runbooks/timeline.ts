/**
 * The timeline events a runbook writes on its incident. Incident Manager documents one of them, "SSM Automation
 * Execution Start Failure for Incident"; the others follow its naming. eventData is a JSON string (as for every
 * automatic event) with a `summary` sentence for people and the fields for programs: the execution ARN, the
 * document, the step and its status, the failure message.
 */
import type { TimelineEventRecord } from '#core/incidents/ports.ts';
import { newId } from '#core/shared/ids.ts';
import type { AutomationExecution, AutomationStep, RunbookRef } from './model.ts';

/** Step statuses that end a step. */
export const ENDED_STEP_STATUSES: ReadonlySet<string> = new Set(['Success', 'Failed', 'TimedOut', 'Cancelled']);

export const RUNBOOK_EVENT_TYPES = {
  started: 'SSM Automation Execution Start for Incident',
  startFailure: 'SSM Automation Execution Start Failure for Incident',
  step: 'SSM Automation Step Status Change',
  ended: 'SSM Automation Execution End for Incident',
} as const;

const event = (
  incidentArn: string,
  eventType: string,
  eventTime: number,
  now: number,
  data: Record<string, unknown>,
  references: TimelineEventRecord['eventReferences'],
): TimelineEventRecord => ({
  incidentRecordArn: incidentArn,
  eventId: newId(),
  eventTime,
  eventUpdatedTime: now,
  eventType,
  eventData: JSON.stringify(Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined))),
  ...(references?.length ? { eventReferences: references } : {}),
});

const documentLabel = (name: string, version?: string) => (version ? `${name} (version ${version})` : name);

export const startedEvent = (
  runbook: RunbookRef,
  execution: { executionArn: string; startTime?: number; documentVersion?: string },
  relatedItemId: string,
  now: number,
) =>
  event(
    runbook.incidentArn,
    RUNBOOK_EVENT_TYPES.started,
    execution.startTime ?? now,
    now,
    {
      summary: `Runbook ${documentLabel(runbook.documentName, execution.documentVersion ?? runbook.documentVersion)} started.`,
      ssmExecutionArn: execution.executionArn,
      documentName: runbook.documentName,
      documentVersion: execution.documentVersion ?? runbook.documentVersion,
    },
    [{ resource: execution.executionArn }, { relatedItemId }],
  );

export const startFailureEvent = (runbook: RunbookRef, reason: string, now: number) =>
  event(
    runbook.incidentArn,
    RUNBOOK_EVENT_TYPES.startFailure,
    now,
    now,
    {
      summary: `Runbook ${documentLabel(runbook.documentName, runbook.documentVersion)} could not start: ${reason}`,
      documentName: runbook.documentName,
      documentVersion: runbook.documentVersion,
      failureMessage: reason,
    },
    [],
  );

const STEP_WORDS: Record<string, string> = {
  InProgress: 'started',
  Waiting: 'is waiting for a person',
  Success: 'succeeded',
  Failed: 'failed',
  TimedOut: 'timed out',
  Cancelled: 'was cancelled',
};

/** The hint a waiting step's event gives: how a responder lets the runbook go on. */
const waitingHint = (executionId: string, step: AutomationStep) =>
  step.action === 'aws:approve'
    ? `Approve or reject it: aws ssm send-automation-signal --automation-execution-id ${executionId} --signal-type Approve (or Reject)`
    : `Resume it when done: aws ssm send-automation-signal --automation-execution-id ${executionId} --signal-type Resume --payload StepName=${step.stepName}`;

export const stepEvent = (
  runbook: RunbookRef,
  execution: AutomationExecution,
  executionArn: string,
  step: AutomationStep,
  now: number,
) => {
  const ended = ENDED_STEP_STATUSES.has(step.status);
  const time = (ended ? step.endTime : step.startTime) ?? now;
  const words = STEP_WORDS[step.status] ?? `is ${step.status}`;
  const reason = step.failureMessage && step.status !== 'Success' ? `: ${step.failureMessage}` : '.';
  return event(
    runbook.incidentArn,
    RUNBOOK_EVENT_TYPES.step,
    // A step that waits is announced when it starts waiting, so the timeline reads in order.
    step.status === 'Waiting' ? Math.max(time, step.startTime ?? time) : time,
    now,
    {
      summary: `Runbook step ${step.stepName} (${step.action}) ${words}${reason}`,
      ssmExecutionArn: executionArn,
      documentName: execution.documentName,
      stepName: step.stepName,
      stepExecutionId: step.stepExecutionId,
      action: step.action,
      status: step.status,
      failureMessage: step.status === 'Success' ? undefined : step.failureMessage,
      ...(step.status === 'Waiting' ? { nextAction: waitingHint(execution.executionId, step) } : {}),
    },
    [{ resource: executionArn }],
  );
};

export const endedEvent = (runbook: RunbookRef, execution: AutomationExecution, executionArn: string, now: number) =>
  event(
    runbook.incidentArn,
    RUNBOOK_EVENT_TYPES.ended,
    execution.endTime ?? now,
    now,
    {
      summary:
        execution.status === 'Success'
          ? `Runbook ${execution.documentName} finished successfully.`
          : `Runbook ${execution.documentName} ended ${execution.status}${execution.failureMessage ? `: ${execution.failureMessage}` : '.'}`,
      ssmExecutionArn: executionArn,
      documentName: execution.documentName,
      status: execution.status,
      failureMessage: execution.failureMessage,
      outputs: execution.outputs && Object.keys(execution.outputs).length ? execution.outputs : undefined,
    },
    [{ resource: executionArn }],
  );

/** The fields a runbook timeline event's eventData carries (the events above write them). */
export interface RunbookEventFields {
  summary?: string;
  ssmExecutionArn?: string;
  documentName?: string;
  documentVersion?: string;
  stepName?: string;
  stepExecutionId?: string;
  action?: string;
  status?: string;
  failureMessage?: string;
}

const RUNBOOK_EVENT_FIELDS: readonly (keyof RunbookEventFields)[] = [
  'summary',
  'ssmExecutionArn',
  'documentName',
  'documentVersion',
  'stepName',
  'stepExecutionId',
  'action',
  'status',
  'failureMessage',
];

/**
 * Reads back the fields of a runbook timeline event: its string members among RUNBOOK_EVENT_FIELDS. eventData that is
 * not a JSON object (a caller may have edited the event) reads as no fields, never as an error.
 */
export function runbookEventFields(eventData: string): RunbookEventFields {
  let data: unknown;
  try {
    data = JSON.parse(eventData);
  } catch {
    return {};
  }
  if (typeof data !== 'object' || data === null) return {};
  const record = data as Record<string, unknown>;
  return Object.fromEntries(
    RUNBOOK_EVENT_FIELDS.filter((field) => typeof record[field] === 'string').map((field) => [field, record[field]]),
  );
}
