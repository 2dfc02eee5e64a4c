/**
 * The local runbook workflow: the SAME state-machines/runbook.asl.json that Step Functions runs in AWS, rendered with
 * the same substitutions and executed by aws-local-stepfunctions, each Task overridden by what it does in AWS:
 *
 * - Prepare and RecordStartFailure: the runbook worker's own handler;
 * - StartAutomation (the `aws-sdk:ssm:startAutomationExecution` integration): the same call with @aws-sdk/client-ssm
 *   on the local endpoint (the local Automation engine), its errors named `Ssm.<Error>` as Step Functions names them;
 * - FollowAutomation (`lambda:invoke.waitForTaskToken`): the worker with the execution's task token, then a wait that
 *   `succeed(token)` ends (what SendTaskSuccess does in AWS).
 *
 * Like StartExecution with a name, `start` is idempotent per name. Step Functions keeps executions across restarts;
 * this runner keeps a journal of running ones in the local Automation table and runs them again from the first state
 * on the next start: every state is idempotent (ClientToken, registration), so a re-run converges on the same run.
 * Each execution counts its state transitions and worker invocations for the benchmark.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type SSMClient, StartAutomationExecutionCommand } from '@aws-sdk/client-ssm';
import type { StateMachine, StateMachineDefinition } from 'aws-local-stepfunctions';
import type { RunbookOutcome, RunbookWorkflow, RunbookWorkflowInput, TaskTokens } from '#core/runbooks/model.ts';
import type { RunbookWorkerEvent } from '#handlers/runbook-worker.ts';
import { RUNBOOK_WORKFLOW, renderDefinition } from '#runtime/workflows.ts';
import type { AutomationStore } from './automation/store.ts';
import { localStateMachine } from './local-state-machine.ts';

export interface LocalRunbookRunnerOptions {
  /** Runs one Task of the workflow (the runbook worker's handler, with its Lambda context). */
  worker: (event: RunbookWorkerEvent) => Promise<unknown>;
  /** The ssm client the StartAutomation state uses (pointed at the local endpoint). */
  ssm: SSMClient;
  region: string;
  accountId: string;
  /** Keeps running executions across restarts of the local runtime. */
  journal?: AutomationStore;
  onFailure?: (name: string, error: string) => void;
}

export interface LocalRunbookExecution {
  name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  /** States entered so far (each is one billed state transition in a Standard workflow). */
  transitions: number;
  /** Worker invocations (Prepare, FollowAutomation, RecordStartFailure). */
  workerInvocations: number;
  output?: unknown;
  error?: string;
  startTime: number;
  stopTime?: number;
  finished: Promise<void>;
}

const JOURNAL = 'runbook';

export const localRunbookWorkerArn = (region: string, accountId: string) =>
  `arn:aws:lambda:${region}:${accountId}:function:runbook-worker`;

export class LocalRunbookRunner implements RunbookWorkflow, TaskTokens {
  private readonly machine: StateMachine;
  private readonly executions = new Map<string, LocalRunbookExecution & { abort: () => void }>();
  /** Task token -> the resolver of the FollowAutomation wait that holds it. */
  private readonly waiting = new Map<string, (output: RunbookOutcome) => void>();
  private closed = false;

  constructor(private readonly options: LocalRunbookRunnerOptions) {
    const text = renderDefinition(
      readFileSync(RUNBOOK_WORKFLOW.file, 'utf8'),
      RUNBOOK_WORKFLOW.substitutions({ runbookWorkerArn: localRunbookWorkerArn(options.region, options.accountId) }),
    );
    this.machine = localStateMachine(JSON.parse(text) as StateMachineDefinition);
  }

  async start(name: string, input: RunbookWorkflowInput): Promise<void> {
    if (this.closed || this.executions.has(name)) return;
    await this.options.journal?.saveWorkflow(JOURNAL, name, input);
    this.run(name, input);
  }

  /** Runs again the executions that were running when the local runtime last stopped. */
  async resume(): Promise<number> {
    const entries = (await this.options.journal?.listWorkflows(JOURNAL)) ?? [];
    for (const entry of entries)
      if (!this.executions.has(entry.name)) this.run(entry.name, entry.input as RunbookWorkflowInput);
    return entries.length;
  }

  async succeed(token: string, output: RunbookOutcome): Promise<void> {
    const resolve = this.waiting.get(token);
    this.waiting.delete(token);
    resolve?.(output);
  }

  private run(name: string, input: RunbookWorkflowInput) {
    const token = `${name}:${randomUUID()}`;
    const record = {
      name,
      status: 'RUNNING',
      transitions: 0,
      workerInvocations: 0,
      startTime: Date.now(),
    } as LocalRunbookExecution & { abort: () => void };
    const worker = async (event: unknown) => {
      record.workerInvocations++;
      return (await this.options.worker(event as never)) as never;
    };
    const startAutomation = async (request: unknown) => {
      try {
        const { AutomationExecutionId } = await this.options.ssm.send(
          new StartAutomationExecutionCommand(request as never),
        );
        return { AutomationExecutionId } as never;
      } catch (error) {
        const failure = error as Error & { $metadata?: { httpStatusCode?: number; requestId?: string } };
        // Step Functions' names and causes for SDK-integration errors.
        throw Object.assign(
          new Error(
            `${failure.message} (Service: Ssm, Status Code: ${failure.$metadata?.httpStatusCode ?? 500}, Request ID: ${failure.$metadata?.requestId ?? ''})`,
          ),
          { name: `Ssm.${failure.name}` },
        );
      }
    };
    const followAutomation = async (parameters: unknown) => {
      const payload = (parameters as { Payload: { taskToken: string } }).Payload;
      const wait = new Promise<RunbookOutcome>((resolve) => this.waiting.set(payload.taskToken, resolve));
      try {
        await worker(payload);
      } catch (error) {
        this.waiting.delete(payload.taskToken);
        throw error;
      }
      return (await wait) as never;
    };
    const run = this.machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: {
          Prepare: worker,
          RecordStartFailure: worker,
          StartAutomation: startAutomation,
          FollowAutomation: followAutomation,
        },
      },
      noThrowOnAbort: true,
      context: {
        Execution: { Name: name, Input: input as never, StartTime: new Date().toISOString() },
        Task: { Token: token },
      },
    });
    record.abort = run.abort;
    const counting = (async () => {
      for await (const event of run.eventLogs) if (event.type === 'StateEntered') record.transitions++;
    })().catch(() => undefined);
    record.finished = run.result.then(
      (output) => {
        if (record.status === 'RUNNING') record.status = 'SUCCEEDED';
        record.output = output;
      },
      (error: unknown) => {
        record.status = 'FAILED';
        record.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        this.options.onFailure?.(name, record.error);
      },
    );
    record.finished = record.finished.then(async () => {
      record.stopTime = Date.now();
      this.waiting.delete(token);
      // An execution cut off by the runtime stopping stays in the journal, to run again on the next start.
      if (record.status !== 'ABORTED') await this.options.journal?.deleteWorkflow(JOURNAL, name).catch(() => undefined);
      await Promise.race([counting, new Promise((resolve) => setTimeout(resolve, 50))]);
    });
    this.executions.set(name, record);
  }

  /** An execution by name (tests and the benchmark). */
  execution(name: string): LocalRunbookExecution | undefined {
    return this.executions.get(name);
  }

  /** Aborts the running executions without forgetting them (the local runtime is stopping). */
  async close(): Promise<void> {
    this.closed = true;
    for (const execution of this.executions.values()) {
      if (execution.status !== 'RUNNING') continue;
      execution.status = 'ABORTED';
      execution.abort();
    }
    await Promise.all([...this.executions.values()].map((e) => e.finished));
  }
}
