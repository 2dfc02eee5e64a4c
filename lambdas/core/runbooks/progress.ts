/**
 * Writes a runbook's progress to its incident. Called for every SSM status-change event of the execution (the
 * EventBridge rule's handler) and once when the workflow starts following it: it reads the execution's current state
 * from SSM and writes, for each step, the statuses not yet on the timeline (started, waiting for a person, succeeded,
 * failed / timed out / cancelled with the reason), then the end. Reading the state instead of trusting each event makes
 * the result independent of event order, duplicates and losses: an event that arrives late, twice or never is made up
 * for by the next one. The record's version guards concurrent handlers, so every timeline event is written once.
 *
 * At the end the workflow's task token is completed, so the workflow ends without ever polling.
 */
import type { TimelineEventRecord } from '#core/incidents/ports.ts';
import {
  type AutomationExecution,
  executionArnOf,
  type RunbookDependencies,
  type RunbookRecord,
  type RunbookRef,
  TERMINAL,
} from './model.ts';
import { ENDED_STEP_STATUSES, endedEvent, stepEvent } from './timeline.ts';

/** Statuses worth a timeline event; `InProgress` only as a step's first status (a resumed pause says nothing new). */
const ANNOUNCED = new Set(['InProgress', 'Waiting', 'Success', 'Failed', 'TimedOut', 'Cancelled']);
/** Events one transaction may carry besides the record and the incident check. */
const EVENTS_PER_WRITE = 90;
const ATTEMPTS = 8;

export type ProgressResult = 'unknown-execution' | 'recorded' | 'incident-gone';

const refOf = (record: RunbookRecord): RunbookRef => ({
  incidentArn: record.incidentArn,
  incidentId: record.incidentId,
  actionIndex: record.actionIndex,
  documentName: record.documentName,
  ...(record.documentVersion ? { documentVersion: record.documentVersion } : {}),
});

/** Steps whose first status is Waiting (a person answers them), not InProgress. */
const WAITING_ACTIONS = new Set(['aws:pause', 'aws:approve']);

/**
 * A step that started and ended between two reads of the execution (its status events came late, or together) is
 * announced as started too, so a step that ran reads the same on the timeline whatever the events' timing. A step
 * that waits for a person is announced by its wait, which its end follows; a step that never started has no start.
 */
const startedUnseen = (step: AutomationExecution['steps'][number]) =>
  ENDED_STEP_STATUSES.has(step.status) && step.startTime !== undefined && !WAITING_ACTIONS.has(step.action);

const withoutFailure = ({ failureMessage: _, ...step }: AutomationExecution['steps'][number]) => step;

/** The timeline events between what the record says is written and the execution's state, and the record after. */
export function progressSince(
  record: RunbookRecord,
  execution: AutomationExecution,
  executionArn: string,
  now: number,
): { events: TimelineEventRecord[]; next: RunbookRecord } {
  const ref = refOf(record);
  const events: TimelineEventRecord[] = [];
  const recorded = { ...record.recorded };
  for (const step of execution.steps) {
    const before = recorded[step.stepExecutionId];
    if (before === step.status || step.status === 'Pending') continue;
    recorded[step.stepExecutionId] = step.status;
    const firstSeen = before === undefined || before === 'Pending';
    if (!ANNOUNCED.has(step.status) || (step.status === 'InProgress' && !firstSeen)) continue;
    if (firstSeen && startedUnseen(step))
      events.push(stepEvent(ref, execution, executionArn, { ...withoutFailure(step), status: 'InProgress' }, now));
    events.push(stepEvent(ref, execution, executionArn, step, now));
  }
  const ended = TERMINAL.has(execution.status);
  if (ended && !record.ended) events.push(endedEvent(ref, execution, executionArn, now));
  return { events, next: { ...record, recorded, status: execution.status, ended: record.ended || ended } };
}

/** Brings the incident's timeline up to date with the execution; completes the workflow's wait at its end. */
export async function recordProgress(
  deps: RunbookDependencies,
  executionId: string,
  now: number,
): Promise<ProgressResult> {
  for (let attempt = 1; ; attempt++) {
    const found = await deps.runbooks.get(executionId);
    // Not a runbook of an incident (another automation in the account), or not registered yet: registering
    // records everything that happened before it.
    if (!found) return 'unknown-execution';
    const execution = await deps.automation.getExecution(executionId);
    if (!execution) return 'unknown-execution';
    const { record, version } = found;
    const arn = record.executionArn || executionArnOf(deps.service, executionId);
    const { events, next } = progressSince(record, execution, arn, now);
    if (events.length === 0 && next.ended === record.ended && next.status === record.status) {
      await settle(deps, next, execution);
      return 'recorded';
    }
    // More events than one transaction holds: write them in order, a batch at a time (the steps first).
    const batch = events.slice(0, EVENTS_PER_WRITE);
    const partial = batch.length < events.length;
    const written = partial ? { ...record, recorded: recordedUpTo(record, next, batch) } : next;
    const outcome = await deps.runbooks.recordProgress(written, version, batch);
    if (outcome === 'incident-gone') {
      deps.warn?.('the incident of a runbook was deleted; its progress is no longer recorded', { executionId });
      await settle(deps, { ...next, ended: true }, execution);
      return 'incident-gone';
    }
    if (outcome === 'ok' && !partial) {
      await settle(deps, next, execution);
      return 'recorded';
    }
    if (outcome === 'stale' && attempt >= ATTEMPTS)
      throw new Error(`Runbook ${executionId} changed concurrently too often.`);
  }
}

/** The record after writing only `batch`: the steps whose events were in it. */
const recordedUpTo = (record: RunbookRecord, next: RunbookRecord, batch: TimelineEventRecord[]) => {
  const written = new Set(batch.map((e) => JSON.parse(e.eventData).stepExecutionId as string | undefined));
  const recorded = { ...record.recorded };
  for (const [id, status] of Object.entries(next.recorded)) if (written.has(id)) recorded[id] = status;
  return recorded;
};

/** At the end, tells the waiting workflow (once; a token no longer waiting is ignored by the port). */
async function settle(deps: RunbookDependencies, record: RunbookRecord, execution: AutomationExecution) {
  if (!TERMINAL.has(execution.status) || !record.taskToken || record.tokenSettled) return;
  await deps.tokens.succeed(record.taskToken, {
    executionId: execution.executionId,
    status: execution.status,
    ...(execution.failureMessage ? { failureMessage: execution.failureMessage } : {}),
  });
  const current = await deps.runbooks.get(execution.executionId);
  if (current && current.record.taskToken === record.taskToken)
    await deps.runbooks.recordProgress({ ...current.record, tokenSettled: true }, current.version, []);
}
