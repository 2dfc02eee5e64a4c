/**
 * The local EngagementRunner: the SAME state-machines/engagement.asl.json that Step Functions runs in AWS, rendered
 * with the same substitutions (lambdas/runtime/workflows.ts) and executed by aws-local-stepfunctions, with every Task
 * state handled by the engagement worker's own handler (never a real Lambda). Executions run in the background of the
 * local runtime's process; `close()` aborts them when the runtime stops.
 *
 * Like StartExecution with an execution name, `start` is idempotent per engagement id: a second start of an id that
 * runs or ran does nothing. Each execution counts the states it entered (Step Functions bills Standard workflows per
 * state transition), which the paging benchmark reports.
 *
 * Time: the Wait state waits until the `wakeAt` instant the worker names. LOCAL_TIME_SCALE is applied by the engine
 * (a plan minute is 60 s / scale when the engagement starts), not here, so the runner never rewrites the workflow.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import type { StateMachine, StateMachineDefinition } from 'aws-local-stepfunctions';
import type { EngagementRunner } from '#core/contacts/engagements/model.ts';
import { ENGAGEMENT_WORKFLOW, renderDefinition } from '#runtime/workflows.ts';
import { localStateMachine } from './local-state-machine.ts';

export type LocalWorker = (event: never, context: Context) => Promise<unknown>;

export interface LocalExecution {
  name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  /** States entered so far (each is one billed state transition in a Standard workflow). */
  transitions: number;
  /** Task invocations of the worker. */
  workerInvocations: number;
  startTime: number;
  stopTime?: number;
  error?: string;
  /** Settles when the execution ends (never rejects). */
  finished: Promise<void>;
}

export interface LocalEngagementRunnerOptions {
  worker: LocalWorker;
  region: string;
  accountId: string;
  /** Told when an execution fails (npm start prints it). */
  onFailure?: (name: string, error: string) => void;
}

/** The function ARN the local definition names (the Task overrides mean it is never called). */
export const localWorkerArn = (region: string, accountId: string) =>
  `arn:aws:lambda:${region}:${accountId}:function:engagement-worker`;

/** Finished executions kept for inspection (and for start idempotency). */
const KEPT_EXECUTIONS = 10_000;

export class LocalEngagementRunner implements EngagementRunner {
  private readonly machine: StateMachine;
  private readonly taskStates: string[];
  private readonly executions = new Map<string, LocalExecution & { abort: () => void }>();
  private closed = false;

  constructor(private readonly options: LocalEngagementRunnerOptions) {
    const workerArn = localWorkerArn(options.region, options.accountId);
    const text = renderDefinition(
      readFileSync(ENGAGEMENT_WORKFLOW.file, 'utf8'),
      ENGAGEMENT_WORKFLOW.substitutions({ engagementWorkerArn: workerArn }),
    );
    const definition = JSON.parse(text) as StateMachineDefinition;
    this.taskStates = Object.entries(definition.States)
      .filter(([, state]) => state.Type === 'Task')
      .map(([name]) => name);
    this.machine = localStateMachine(definition);
  }

  async start(rootEngagementId: string): Promise<void> {
    if (this.closed || this.executions.has(rootEngagementId)) return;
    const workerArn = localWorkerArn(this.options.region, this.options.accountId);
    const context = (): Context =>
      ({
        functionName: 'engagement-worker',
        invokedFunctionArn: workerArn,
        awsRequestId: randomUUID(),
        getRemainingTimeInMillis: () => 60_000,
      }) as Context;
    const record = {
      name: rootEngagementId,
      status: 'RUNNING' as LocalExecution['status'],
      transitions: 0,
      workerInvocations: 0,
      startTime: Date.now(),
    } as LocalExecution & { abort: () => void };
    const invoke = async (input: unknown) => {
      record.workerInvocations++;
      return (await this.options.worker(input as never, context())) as never;
    };
    const run = this.machine.run(
      { engagementId: rootEngagementId },
      {
        // Every Task is the worker: nothing ever calls a real Lambda.
        overrides: { taskResourceLocalHandlers: Object.fromEntries(this.taskStates.map((name) => [name, invoke])) },
        noThrowOnAbort: true,
        context: {
          Execution: {
            Name: rootEngagementId,
            Input: { engagementId: rootEngagementId },
            StartTime: new Date().toISOString(),
          },
        },
      },
    );
    record.abort = run.abort;
    const counting = (async () => {
      for await (const event of run.eventLogs) if (event.type === 'StateEntered') record.transitions++;
    })().catch(() => undefined);
    record.finished = run.result.then(
      () => {
        if (record.status === 'RUNNING') record.status = 'SUCCEEDED';
      },
      (error: unknown) => {
        record.status = 'FAILED';
        record.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        this.options.onFailure?.(rootEngagementId, record.error);
      },
    );
    record.finished = record.finished.then(async () => {
      record.stopTime = Date.now();
      // The event log closes with the execution; wait for its last counts unless it never does (an abort).
      await Promise.race([counting, new Promise((resolve) => setTimeout(resolve, 50))]);
    });
    this.executions.set(rootEngagementId, record);
    this.forgetOld();
  }

  async stop(rootEngagementId: string, _reason: string): Promise<void> {
    const execution = this.executions.get(rootEngagementId);
    if (execution?.status !== 'RUNNING') return;
    execution.status = 'ABORTED';
    execution.abort();
    await execution.finished;
  }

  /** An execution by engagement id (for tests and the benchmark). */
  execution(rootEngagementId: string): LocalExecution | undefined {
    return this.executions.get(rootEngagementId);
  }

  /** Resolves when every execution started so far has ended. */
  async idle(): Promise<void> {
    await Promise.all([...this.executions.values()].map((e) => e.finished));
  }

  /** Aborts every running execution (the local runtime is stopping). */
  async close(): Promise<void> {
    this.closed = true;
    for (const execution of this.executions.values()) {
      if (execution.status !== 'RUNNING') continue;
      execution.status = 'ABORTED';
      execution.abort();
    }
    await this.idle();
  }

  private forgetOld() {
    if (this.executions.size <= KEPT_EXECUTIONS) return;
    for (const [name, execution] of this.executions) {
      if (this.executions.size <= KEPT_EXECUTIONS) break;
      if (execution.status !== 'RUNNING') this.executions.delete(name);
    }
  }
}
