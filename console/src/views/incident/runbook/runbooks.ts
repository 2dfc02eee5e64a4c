/**
 * The runbook view of an incident (the API's GetIncidentRunbooks extension: SSM's GetAutomationExecution per
 * runbook, steps in order with their state) and the signals a person sends to a step that waits for them.
 */
import { SendAutomationSignalCommand } from '@aws-sdk/client-ssm';
import { EXTENSION_ROUTES } from '../../../../../lambdas/http/routes.ts';
import type { ApiClients } from '../../../api/clients.ts';

export type StepState = 'pending' | 'in progress' | 'waiting' | 'success' | 'failed' | 'skipped' | 'cancelled';

/** One step as GetIncidentRunbooks returns it (lambdas/core/runbooks/view.ts), times as `Date`s. */
export interface RunbookStep {
  stepName: string;
  action: string;
  status: StepState;
  /** SSM's own status (TimedOut, Cancelling, ...). */
  ssmStatus: string;
  current: boolean;
  stepExecutionId: string;
  startTime?: Date;
  endTime?: Date;
  inputs?: Record<string, string>;
  outputs?: Record<string, string[]>;
  failureMessage?: string;
}

export interface Runbook {
  ssmExecutionArn: string;
  executionId: string;
  documentName?: string;
  documentVersion?: string;
  /** SSM's execution status: Pending, InProgress, Waiting, Success, Failed, TimedOut, Cancelled, ... */
  status: string;
  startTime?: Date;
  endTime?: Date;
  failureMessage?: string;
  currentStepName?: string;
  steps: RunbookStep[];
}

const GET_INCIDENT_RUNBOOKS = EXTENSION_ROUTES.find((r) => r.operation === 'GetIncidentRunbooks')!;

export async function loadRunbooks(clients: ApiClients, incidentRecordArn: string): Promise<Runbook[]> {
  const { extensions } = await clients.rest();
  const { runbooks } = await extensions.call<{ runbooks: Runbook[] }>(GET_INCIDENT_RUNBOOKS, { incidentRecordArn });
  return runbooks;
}

/** SSM statuses after which nothing changes any more (the view stops refreshing itself). */
const ENDED = new Set(['Success', 'Failed', 'TimedOut', 'Cancelled', 'Rejected', 'CompletedWithSuccess']);
export const hasEnded = (runbook: Runbook) => ENDED.has(runbook.status) || runbook.status === 'Unknown';

/** What a person can do to a step that waits for them: aws:pause is resumed, aws:approve approved or rejected. */
export type StepSignal = 'Resume' | 'Approve' | 'Reject';

export const signalsFor = (step: RunbookStep): StepSignal[] => {
  if (step.status !== 'waiting') return [];
  if (step.action === 'aws:pause') return ['Resume'];
  if (step.action === 'aws:approve') return ['Approve', 'Reject'];
  return [];
};

/** SendAutomationSignal's payload: Resume names the paused step; a decision may carry a comment. */
export const signalPayload = (
  signal: StepSignal,
  step: RunbookStep,
  comment: string,
): Record<string, string[]> | undefined =>
  signal === 'Resume' ? { StepName: [step.stepName] } : comment.trim() ? { Comment: [comment.trim()] } : undefined;

export async function sendSignal(
  clients: ApiClients,
  runbook: Runbook,
  step: RunbookStep,
  signal: StepSignal,
  comment = '',
): Promise<void> {
  const payload = signalPayload(signal, step, comment);
  await clients.ssm.send(
    new SendAutomationSignalCommand({
      AutomationExecutionId: runbook.executionId,
      SignalType: signal,
      ...(payload ? { Payload: payload } : {}),
    }),
  );
}

/** The same signal as an AWS CLI command, for people whose console role may not send it (viewers). */
export const signalCommand = (runbook: Runbook, step: RunbookStep, signal: StepSignal) =>
  `aws ssm send-automation-signal --automation-execution-id ${runbook.executionId} --signal-type ${signal}` +
  (signal === 'Resume' ? ` --payload StepName=${step.stepName}` : '');
