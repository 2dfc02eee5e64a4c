/**
 * Runbook: each of the incident's runbooks (SSM Automation executions started by its response plan) as its ordered
 * steps, the current one in focus, past and future steps around it, failure reasons in words; a step waiting for a
 * person offers Resume (aws:pause) or Approve / Reject (aws:approve), sent with SSM's SendAutomationSignal.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useSession } from '../../../session.tsx';
import { ActionButton, ErrorNote, Folded, Loading, Time, useAsync } from '../../../ui/components.tsx';
import {
  hasEnded,
  loadRunbooks,
  type Runbook,
  type RunbookStep,
  type StepState,
  sendSignal,
  signalCommand,
  signalsFor,
} from '../runbook/runbooks.ts';
import type { IncidentTabProps } from './registry.ts';

/** While a runbook runs, the view re-reads it this often (steps move on without anyone clicking). */
const REFRESH_WHILE_RUNNING_MS = 3000;

const STATE_WORDS: Record<StepState, string> = {
  pending: 'Pending',
  'in progress': 'In progress',
  waiting: 'Waiting for a person',
  success: 'Succeeded',
  failed: 'Failed',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
};

const EXECUTION_WORDS: Record<string, string> = {
  Pending: 'Starting',
  InProgress: 'Running',
  Waiting: 'Waiting for a person',
  Success: 'Succeeded',
  Failed: 'Failed',
  TimedOut: 'Timed out',
  Cancelling: 'Cancelling',
  Cancelled: 'Cancelled',
  Unknown: 'Unknown to Systems Manager',
};

export function RunbookTab({ data }: IncidentTabProps) {
  const { clients } = useSession();
  const runbooks = useAsync(() => loadRunbooks(clients, data.arn), [clients, data.arn]);
  const list = runbooks.data;
  const running = list?.some((runbook) => !hasEnded(runbook)) ?? false;

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void runbooks.reload(), REFRESH_WHILE_RUNNING_MS);
    return () => clearInterval(timer);
  }, [running, runbooks.reload]);

  const afterSignal = async () => {
    // The timeline gets the step's events; the runbook moves on by itself (the refresh above follows it).
    await Promise.all([runbooks.reload(), data.refresh()]);
  };

  return (
    <div>
      <div class="page-head">
        <p class="meta" aria-live="polite">
          {list
            ? `${list.length} runbook${list.length === 1 ? '' : 's'}${running ? ', refreshing while running' : ''}`
            : ''}
        </p>
        <button type="button" onClick={() => void runbooks.reload()} disabled={runbooks.loading}>
          Refresh
        </button>
      </div>
      <ErrorNote error={runbooks.error} context="Could not load the runbooks" />
      {!list && runbooks.loading ? <Loading what="runbooks" /> : null}
      {list && list.length === 0 ? (
        <p class="empty">
          No runbook runs for this incident. A response plan's runbook (its Systems Manager Automation action) starts
          when an incident opens from the plan.
        </p>
      ) : null}
      {list?.map((runbook) => (
        <RunbookPanel key={runbook.ssmExecutionArn} runbook={runbook} onSignal={afterSignal} />
      ))}
    </div>
  );
}

function RunbookPanel({ runbook, onSignal }: { runbook: Runbook; onSignal: () => Promise<void> }) {
  const name = runbook.documentName ?? runbook.executionId;
  const failed = runbook.status === 'Failed' || runbook.status === 'TimedOut';
  return (
    <section class="panel runbook" aria-label={`Runbook ${name}`}>
      <h2>
        {name}
        {runbook.documentVersion ? <span class="meta"> version {runbook.documentVersion}</span> : null}
      </h2>
      <p class="meta">
        <span class={`run-status run-${runbook.status.toLowerCase()}`}>
          {EXECUTION_WORDS[runbook.status] ?? runbook.status}
        </span>{' '}
        · started <Time date={runbook.startTime} seconds />
        {runbook.endTime ? (
          <>
            {' '}
            · ended <Time date={runbook.endTime} seconds />
          </>
        ) : null}{' '}
        · execution <code>{runbook.executionId}</code>
      </p>
      {failed && runbook.failureMessage ? <p class="error">Why it failed: {runbook.failureMessage}</p> : null}
      {runbook.steps.length === 0 ? (
        <p class="empty">Systems Manager lists no steps for this execution (it may have been deleted).</p>
      ) : (
        <ol class="steps" aria-label={`Steps of ${name}`}>
          {runbook.steps.map((step) => (
            <StepItem key={step.stepExecutionId || step.stepName} runbook={runbook} step={step} onSignal={onSignal} />
          ))}
        </ol>
      )}
    </section>
  );
}

function StepItem({ runbook, step, onSignal }: { runbook: Runbook; step: RunbookStep; onSignal: () => Promise<void> }) {
  const item = useRef<HTMLLIElement>(null);
  // Bring the current step into view when it becomes current: on a long runbook it is what a responder looks for.
  useEffect(() => {
    if (step.current) item.current?.scrollIntoView?.({ block: 'nearest' });
  }, [step.current]);
  const stateClass = `step-${step.status.replace(' ', '-')}`;
  return (
    <li
      ref={item}
      class={`step ${stateClass}${step.current ? ' current' : ''}`}
      aria-current={step.current ? 'step' : undefined}
    >
      <div class="step-head">
        <span class="step-state">{STATE_WORDS[step.status]}</span>
        <strong class="step-name">{step.stepName}</strong>
        <span class="meta">{step.action}</span>
        {step.current ? <span class="current-mark">Current step</span> : null}
      </div>
      {step.startTime ? (
        <p class="meta">
          Started <Time date={step.startTime} seconds />
          {step.endTime ? (
            <>
              {' '}
              · ended <Time date={step.endTime} seconds />
            </>
          ) : null}
        </p>
      ) : null}
      {step.failureMessage ? <p class="error">{step.failureMessage}</p> : null}
      {step.status === 'waiting' ? <WaitingFor step={step} /> : null}
      {step.status === 'waiting' ? <SignalControls runbook={runbook} step={step} onSignal={onSignal} /> : null}
      {step.inputs && Object.keys(step.inputs).length ? (
        <Folded
          summary="Inputs"
          text={JSON.stringify(
            Object.fromEntries(Object.keys(step.inputs).map((name) => [name, inputValue(step, name)])),
          )}
        />
      ) : null}
      {step.outputs && Object.keys(step.outputs).length ? (
        <Folded summary="Outputs" text={JSON.stringify(step.outputs)} />
      ) : null}
    </li>
  );
}

/** Step inputs are JSON text (`"\"Fail over?\""`, `"[\"alice\"]"`); a value that is not JSON is shown as sent. */
const inputValue = (step: RunbookStep, name: string): unknown => {
  const raw = step.inputs?.[name];
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
};

/** What the waiting step asks of a person: an approval's message and approvers. */
function WaitingFor({ step }: { step: RunbookStep }) {
  if (step.action !== 'aws:approve') return null;
  const message = inputValue(step, 'Message');
  const approvers = inputValue(step, 'Approvers');
  return (
    <p>
      {typeof message === 'string' && message ? <strong>{message}</strong> : 'Approval needed.'}
      {Array.isArray(approvers) && approvers.length ? (
        <span class="meta"> Approvers: {approvers.map(String).join(', ')}</span>
      ) : null}
    </p>
  );
}

/** Resume / Approve / Reject for a waiting step; viewers (whose role may not send signals) get the CLI command. */
function SignalControls({
  runbook,
  step,
  onSignal,
}: {
  runbook: Runbook;
  step: RunbookStep;
  onSignal: () => Promise<void>;
}) {
  const { clients, user } = useSession();
  const [comment, setComment] = useState('');
  const signals = signalsFor(step);
  if (signals.length === 0) return null;
  if (user.readOnly)
    return (
      <p class="meta">
        Waiting for a responder to run: <code>{signalCommand(runbook, step, signals[0]!)}</code>
      </p>
    );
  const commentId = `comment-${step.stepExecutionId || step.stepName}`;
  return (
    <div class="inline-form signals">
      {step.action === 'aws:approve' ? (
        <div class="field">
          <label for={commentId}>Comment (optional)</label>
          <input id={commentId} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
        </div>
      ) : null}
      {signals.map((signal) => (
        <ActionButton
          key={signal}
          class={signal === 'Reject' ? 'danger' : 'primary'}
          {...(signal === 'Reject' ? { confirm: `Reject step ${step.stepName}? The runbook fails at this step.` } : {})}
          onAction={async () => {
            await sendSignal(clients, runbook, step, signal, comment);
            setComment('');
            await onSignal();
          }}
        >
          {signal}
        </ActionButton>
      ))}
    </div>
  );
}
