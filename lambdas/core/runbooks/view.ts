/**
 * The runbook view of an incident: for each of its runbooks, the ordered steps with their status, times, inputs,
 * outputs and failure messages, and the current step marked. Computed from SSM (GetAutomationExecution, and
 * DescribeAutomationStepExecutions for long step lists), so it shows what SSM knows now, past and future steps alike.
 * Exposed as the `GetIncidentRunbooks` extension operation of the ssm-incidents endpoint (docs/runbooks.md), for the
 * console and for scripts.
 *
 * Step statuses, from SSM's: Pending -> `pending` while the runbook runs, `skipped` once it has ended (a branch or an
 * early end passed it by); InProgress -> `in progress`; Waiting -> `waiting` (a person must resume, approve or
 * reject); Success -> `success`; Failed and TimedOut -> `failed`; Cancelling and Cancelled -> `cancelled`.
 */
import { loadIncident } from '#core/incidents/incidents.ts';
import type { OperationReturning } from '#core/incidents/operation.ts';
import { arnString } from '#core/incidents/shapes.ts';
import { compact, seconds } from '#core/shared/operation.ts';
import { required, struct } from '#core/shared/validation.ts';
import { type AutomationService, type AutomationStep, TERMINAL } from './model.ts';

export type StepState = 'pending' | 'in progress' | 'waiting' | 'success' | 'failed' | 'skipped' | 'cancelled';

export interface RunbookStepView {
  stepName: string;
  action: string;
  status: StepState;
  /** SSM's own status (TimedOut, Cancelling, ...). */
  ssmStatus: string;
  current: boolean;
  stepExecutionId: string;
  startTime?: number;
  endTime?: number;
  inputs?: Record<string, string>;
  outputs?: Record<string, string[]>;
  failureMessage?: string;
}

export interface RunbookView {
  ssmExecutionArn: string;
  executionId: string;
  documentName?: string;
  documentVersion?: string;
  status: string;
  startTime?: number;
  endTime?: number;
  failureMessage?: string;
  currentStepName?: string;
  outputs?: Record<string, string[]>;
  steps: RunbookStepView[];
}

const stateOf = (step: AutomationStep, ended: boolean): StepState => {
  switch (step.status) {
    case 'Pending':
      return ended ? 'skipped' : 'pending';
    case 'InProgress':
      return 'in progress';
    case 'Waiting':
      return 'waiting';
    case 'Success':
      return 'success';
    case 'Failed':
    case 'TimedOut':
      return 'failed';
    case 'Cancelling':
    case 'Cancelled':
      return 'cancelled';
    default:
      return ended ? 'skipped' : 'pending';
  }
};

const executionIdOf = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/** The runbooks of an incident, in the order they were started; an execution SSM no longer knows is listed empty. */
export async function incidentRunbooks(
  automation: AutomationService,
  executionArns: readonly string[],
): Promise<RunbookView[]> {
  return Promise.all(
    executionArns.map(async (arn): Promise<RunbookView> => {
      const executionId = executionIdOf(arn);
      const execution = await automation.getExecution(executionId);
      if (!execution) return { ssmExecutionArn: arn, executionId, status: 'Unknown', steps: [] };
      const ended = TERMINAL.has(execution.status);
      // Steps that ran, by start time; then the ones still to come, in document order.
      const steps = [...execution.steps]
        .map((step, index) => ({ step, index }))
        .sort((a, b) => (a.step.startTime ?? Infinity) - (b.step.startTime ?? Infinity) || a.index - b.index)
        .map(({ step }) => {
          const status = stateOf(step, ended);
          // The step SSM names as current (or, if it names none, any step running or waiting).
          const running = status === 'in progress' || status === 'waiting';
          const current =
            !ended && running && (!execution.currentStepName || step.stepName === execution.currentStepName);
          return compact({
            stepName: step.stepName,
            action: step.action,
            status,
            ssmStatus: step.status,
            current:
              current || (!ended && !execution.currentStepName && (status === 'in progress' || status === 'waiting')),
            stepExecutionId: step.stepExecutionId,
            startTime: step.startTime,
            endTime: step.endTime,
            inputs: step.inputs,
            outputs: step.outputs,
            failureMessage: step.failureMessage,
          });
        });
      return compact({
        ssmExecutionArn: arn,
        executionId,
        documentName: execution.documentName,
        documentVersion: execution.documentVersion,
        status: execution.status,
        startTime: execution.startTime,
        endTime: execution.endTime,
        failureMessage: execution.failureMessage,
        currentStepName: ended ? undefined : execution.currentStepName,
        outputs: execution.outputs,
        steps,
      });
    }),
  );
}

const input = struct({ incidentRecordArn: required(arnString()) });

/** The wire form: times in epoch seconds, like every ssm-incidents output. */
const wire = (runbook: RunbookView) => ({
  ...runbook,
  startTime: seconds(runbook.startTime),
  endTime: seconds(runbook.endTime),
  steps: runbook.steps.map((step) => ({ ...step, startTime: seconds(step.startTime), endTime: seconds(step.endTime) })),
});

/** `POST /getIncidentRunbooks {incidentRecordArn}` -> `{runbooks: [...]}` (an extension of the ssm-incidents API). */
export const getIncidentRunbooks: OperationReturning<{ runbooks: ReturnType<typeof wire>[] }> = async (
  deps,
  ctx,
  raw,
) => {
  const { incidentRecordArn } = input.parse(raw, '');
  const { record } = await loadIncident(deps, ctx, incidentRecordArn, 'incidentRecordArn');
  if (!deps.automation) throw new Error('GetIncidentRunbooks needs the automation service (SSM) in its dependencies');
  const runbooks = await incidentRunbooks(
    deps.automation,
    record.automationExecutions.map((e) => e.ssmExecutionArn),
  );
  return { runbooks: runbooks.map(wire) };
};
