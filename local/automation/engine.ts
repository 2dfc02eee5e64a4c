/**
 * The local Automation engine: runs schema-0.3 documents step by step, as SSM Automation does in AWS.
 *
 * Flow: steps run in list order unless `nextStep`, a branch, `onFailure: step:X` or `isEnd` says otherwise. A step is
 * tried up to `maxAttempts` times (each attempt bounded by `timeoutSeconds`); then its `onFailure` applies: Abort ends
 * the run (Failed, or TimedOut when the step timed out), Continue goes on as after a success, step:X goes to X. A
 * critical step (the default, except with Continue) that failed makes the final status Failed even when later steps
 * succeed. Steps that never ran stay Pending.
 *
 * Durability: every status change is saved (execution, step, and the EventBridge events it causes, in one transaction)
 * before the run goes on, and `resume()` continues every unfinished execution when the local runtime starts again:
 * sleeps end at their stored deadline, waiting pauses and approvals keep waiting (with the approvals already given),
 * and a script or API call that was cut off by the stop runs again (at least once, as a retried step would).
 *
 * Events: each execution and step status change emits the "EC2 Automation Execution Status-change Notification" /
 * "EC2 Automation Step Status-change Notification" event SSM sends to EventBridge; they are delivered, in order and at
 * least once, to `deliver` (locally: the same handler the EventBridge rule invokes in AWS).
 */
import { createHash, randomUUID } from 'node:crypto';
import { ApiCallFailed, callAwsApi, LOCAL_SERVICES } from './aws-api-caller.ts';
import { chooseNext } from './branch.ts';
import { type AutomationDocument, LOCAL_ACTIONS, PREDEFINED_OUTPUTS, type StepDefinition } from './document.ts';
import { SsmError } from './errors.ts';
import { dateTimeText, interpolate, UnresolvedReference, type Value } from './interpolation.ts';
import { runPythonScript } from './script-runner.ts';
import {
  type ApprovalDecision,
  type AutomationStatus,
  type AutomationStore,
  type ExecutionRecord,
  isTerminal,
  type PendingEvent,
  type StepRecord,
} from './store.ts';
import {
  API_CALL_SECONDS,
  DEFAULT_WAIT_SECONDS,
  durationSeconds,
  MAX_SCRIPT_SECONDS,
  MAX_WAIT_SECONDS,
  type RunbookClock,
  timestampMillis,
} from './timing.ts';
import { checkConstraints, OutputError, selectOutput, typedParameter, wireValues } from './values.ts';

export interface EngineOptions {
  store: AutomationStore;
  accountId: string;
  region: string;
  partition?: string;
  clock: RunbookClock;
  /** This runtime's endpoint, for aws:executeAwsApi calls to ssm, ssm-incidents and ssm-contacts. */
  localEndpoint: () => string;
  /** LOCAL_AWS_ENDPOINT_URL: where aws:executeAwsApi calls to other services go. */
  otherServicesEndpoint?: string;
  /** Receives each status-change event (EventBridge's role); a rejection has the event delivered again later. */
  deliver?: (event: Record<string, unknown>) => Promise<void>;
  log?: (line: string) => void;
  /** Concurrent executions allowed (AWS's default quota). */
  maxConcurrent?: number;
}

export interface StartRequest {
  documentName: string;
  documentVersion: string;
  document: AutomationDocument;
  parameters: Record<string, string[]>;
  clientToken?: string;
  tags?: { Key: string; Value: string }[];
  executedBy: string;
}

type Outcome = { status: 'Success'; next?: string } | { status: 'Failed' | 'TimedOut' | 'Cancelled'; message: string };

/** What a waiting manual step does with a signal. */
interface Waiter {
  step: StepRecord;
  resolve: (outcome: AttemptResult) => void;
}

type AttemptResult =
  | { ok: true; response: unknown; next?: string }
  | { ok: false; message: string; timedOut?: boolean; cancelled?: boolean; stage?: string; type?: string };

interface Run {
  execution: ExecutionRecord;
  steps: StepRecord[];
  /** Persists of this execution, one at a time. */
  writes: Promise<void>;
  waiter?: Waiter;
  abort: AbortController;
  cancelling?: boolean;
  done: Promise<void>;
}

const NO_OUTPUT = 'No output available yet because the step is not successfully executed';
const DELIVERY_ATTEMPTS = 10;

/** `Nov 29, 2016 7:43:20 PM` (UTC), the text form SSM's events carry. */
const eventTimeText = (millis: number) =>
  new Date(millis).toLocaleString('en-US', {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
  });

/** A ClientToken's request fingerprint: the same token with other parameters is IdempotentParameterMismatch. */
const requestHashOf = (request: StartRequest) =>
  createHash('sha256')
    .update(
      JSON.stringify([
        request.documentName,
        request.documentVersion,
        // Sorted, so the same parameters in another order are the same request.
        Object.entries(request.parameters).sort(([a], [b]) => a.localeCompare(b)),
      ]),
    )
    .digest('hex');

export class AutomationEngine {
  private readonly runs = new Map<string, Run>();
  private readonly outbox: PendingEvent[] = [];
  private delivering = false;
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: EngineOptions) {}

  private get store() {
    return this.options.store;
  }

  executionArn(id: string) {
    return `arn:${this.options.partition ?? 'aws'}:ssm:${this.options.region}:${this.options.accountId}:automation-execution/${id}`;
  }

  // ---- starting --------------------------------------------------------------------------------------------------

  /** StartAutomationExecution: validates the parameters, stores the execution and starts running it. */
  async start(request: StartRequest): Promise<string> {
    if (request.clientToken) {
      const known = await this.store.getToken(request.clientToken);
      if (known) return this.replay(known, request);
    }
    const limit = this.options.maxConcurrent ?? 100;
    if ([...this.runs.values()].filter((r) => !isTerminal(r.execution.status)).length >= limit)
      throw new SsmError(
        'AutomationExecutionLimitExceededException',
        `There are already ${limit} automations running; wait for one to end or stop one.`,
      );
    const { parameters, values } = this.resolveParameters(request.document, request.parameters);
    const id = randomUUID();
    const now = this.options.clock.now();
    const execution: ExecutionRecord = {
      id,
      documentName: request.documentName,
      documentVersion: request.documentVersion,
      document: request.document,
      status: 'InProgress',
      startTime: now,
      executedBy: request.executedBy,
      parameters,
      values,
      stepOutputs: {},
      stepCount: request.document.mainSteps.length,
      current: 0,
      ...(request.clientToken ? { clientToken: request.clientToken, requestHash: requestHashOf(request) } : {}),
      ...(request.tags?.length ? { tags: request.tags } : {}),
    };
    const resolveRole = request.document.assumeRole;
    if (resolveRole) {
      try {
        const role = interpolate(resolveRole, (ref) => this.resolve(execution, ref));
        if (typeof role === 'string' && role) execution.assumeRole = role;
      } catch (error) {
        throw new SsmError('InvalidAutomationExecutionParametersException', `assumeRole: ${(error as Error).message}`);
      }
    }
    const steps = request.document.mainSteps.map((step, index) => this.pendingStep(step, index, index));
    const events = this.store.outboxEntries([this.executionEvent(execution)]);
    if (!(await this.store.createExecution(execution, steps, events))) {
      const known = await this.store.getToken(request.clientToken ?? '');
      if (known) return this.replay(known, request);
      throw new SsmError('InternalServerError', 'The execution could not be stored; try again.');
    }
    this.enqueue(events);
    this.launch(execution, steps);
    return id;
  }

  private async replay(known: { executionId: string; requestHash: string }, request: StartRequest) {
    if (known.requestHash !== requestHashOf(request))
      throw new SsmError(
        'IdempotentParameterMismatch',
        'The ClientToken was already used to start an automation with other parameters.',
      );
    return known.executionId;
  }

  private resolveParameters(document: AutomationDocument, given: Record<string, string[]>) {
    const bad = (message: string) => new SsmError('InvalidAutomationExecutionParametersException', message);
    for (const name of Object.keys(given))
      if (!(name in document.parameters)) throw bad(`Parameter "${name}" is not defined in the document.`);
    const parameters: Record<string, string[]> = {};
    const values: Record<string, Value> = {};
    for (const [name, definition] of Object.entries(document.parameters)) {
      let value: Value;
      if (given[name] !== undefined) value = typedParameter(name, definition, given[name]!);
      else if (definition.default !== undefined) {
        if (typeof definition.default === 'string' && /^\{\{\s*ssm:/.test(definition.default))
          throw bad(
            `Parameter ${name} defaults to a Parameter Store value (${definition.default}), which the local runtime cannot read; pass the parameter explicitly.`,
          );
        value = definition.default as Value;
      } else throw bad(`Parameter ${name} is required (it has no default value).`);
      checkConstraints(name, definition, value);
      values[name] = value;
      parameters[name] = wireValues(value, definition.type);
    }
    return { parameters, values };
  }

  private pendingStep(step: StepDefinition, docIndex: number, seq: number): StepRecord {
    const onFailure = step.onFailure ?? 'Abort';
    return {
      seq,
      docIndex,
      name: step.name,
      action: step.action,
      id: randomUUID(),
      status: 'Pending',
      onFailure,
      maxAttempts: step.maxAttempts ?? 1,
      isEnd: step.isEnd ?? false,
      // Critical by default, except that onFailure: Continue makes a step non-critical unless it says otherwise.
      isCritical: step.isCritical ?? onFailure !== 'Continue',
      attempts: 0,
      ...(step.timeoutSeconds ? { timeoutSeconds: step.timeoutSeconds } : {}),
      ...(step.nextStep ? { nextStep: step.nextStep } : {}),
    };
  }

  /** Continues every execution that had not ended when the local runtime stopped. */
  async resume(): Promise<number> {
    for (const pending of await this.store.pendingEvents()) this.outbox.push(pending);
    this.flush();
    let resumed = 0;
    for (const entry of await this.store.listExecutions()) {
      if (isTerminal(entry.status) || this.runs.has(entry.id)) continue;
      const found = await this.store.getExecution(entry.id);
      if (!found || isTerminal(found.execution.status)) continue;
      this.launch(found.execution, found.steps);
      resumed++;
    }
    return resumed;
  }

  private launch(execution: ExecutionRecord, steps: StepRecord[]) {
    const run: Run = {
      execution,
      steps,
      writes: Promise.resolve(),
      abort: new AbortController(),
      done: Promise.resolve(),
    };
    this.runs.set(execution.id, run);
    run.done = this.drive(run).catch((error) => {
      this.options.log?.(`[automation] execution ${execution.id} stopped on an internal error: ${String(error)}`);
    });
  }

  // ---- reading ---------------------------------------------------------------------------------------------------

  /** The execution and its step executions, from memory while it runs, else from the table. */
  async get(id: string): Promise<{ execution: ExecutionRecord; steps: StepRecord[] }> {
    const run = this.runs.get(id);
    if (run) return { execution: structuredClone(run.execution), steps: structuredClone(run.steps) };
    const found = await this.store.getExecution(id);
    if (!found) throw new SsmError('AutomationExecutionNotFoundException', `Automation execution ${id} was not found.`);
    return found;
  }

  /** Every execution's list entry, newest first. */
  listExecutions() {
    return this.store.listExecutions();
  }

  /** Top-level outputs as the API shows them (a placeholder until the step that gives one succeeds). */
  outputsOf(execution: ExecutionRecord): Record<string, string[]> {
    const outputs: Record<string, string[]> = {};
    for (const name of execution.document.outputs) {
      const [step, output] = name.split('.');
      const found = execution.stepOutputs[step!]?.[output!];
      outputs[name] = found ? wireValues(found.value, found.type) : [NO_OUTPUT];
    }
    return outputs;
  }

  // ---- running ---------------------------------------------------------------------------------------------------

  private async drive(run: Run) {
    const { execution } = run;
    while (!isTerminal(execution.status) && !this.closed) {
      const step = run.steps[execution.current ?? 0];
      if (!step) return this.finish(run);
      const outcome = await this.runStep(run, step);
      if (this.closed) return;
      if (outcome.status === 'Cancelled' || run.cancelling) return this.finishCancelled(run, step);
      await this.advance(run, step, outcome);
    }
  }

  /** Runs a step's attempts and records its end; the outcome says where the run goes next. */
  private async runStep(run: Run, step: StepRecord): Promise<Outcome> {
    const definition = run.execution.document.mainSteps[step.docIndex]!;
    if (step.status === 'Pending') {
      step.status = 'InProgress';
      step.startTime = this.options.clock.now();
      await this.persist(run, [step], [this.stepEvent(run.execution, step)]);
    }
    for (;;) {
      if (this.closed || run.cancelling) return { status: 'Cancelled', message: 'The automation was cancelled.' };
      const resumingWait =
        step.deadline !== undefined && ['aws:sleep', 'aws:pause', 'aws:approve'].includes(step.action);
      if (!resumingWait) {
        step.attempts++;
        await this.persist(run, [step], []);
      }
      const result = await this.attempt(run, step, definition);
      if (this.closed) return { status: 'Cancelled', message: 'The local runtime stopped.' };
      if (result.ok) {
        try {
          const outputs = this.recordOutputs(run.execution, step, definition, result.response);
          step.outputs = outputs;
        } catch (error) {
          if (!(error instanceof OutputError)) throw error;
          if (step.attempts < step.maxAttempts) continue;
          return this.endStep(run, step, 'Failed', error.message, 'PostVerification', 'Verification');
        }
        step.status = 'Success';
        step.endTime = this.options.clock.now();
        delete step.deadline;
        await this.persist(run, [step], [this.stepEvent(run.execution, step)]);
        return { status: 'Success', ...(result.next ? { next: result.next } : {}) };
      }
      if (result.cancelled) return { status: 'Cancelled', message: result.message };
      delete step.deadline;
      if (step.attempts < step.maxAttempts && result.stage !== 'InputValidation') continue;
      return this.endStep(
        run,
        step,
        result.timedOut ? 'TimedOut' : 'Failed',
        result.message,
        result.stage ?? 'Invocation',
        result.type ?? 'Action',
      );
    }
  }

  private async endStep(
    run: Run,
    step: StepRecord,
    status: 'Failed' | 'TimedOut',
    message: string,
    stage: string,
    type: string,
  ): Promise<Outcome> {
    step.status = status;
    step.endTime = this.options.clock.now();
    step.failureMessage = message;
    step.failureDetails = { FailureStage: stage, FailureType: type, Details: {} };
    delete step.deadline;
    await this.persist(run, [step], [this.stepEvent(run.execution, step)]);
    return { status, message };
  }

  /** The execution-level variables and parameters and earlier steps' outputs, for `{{ }}`. */
  private resolve(execution: ExecutionRecord, reference: string): Value {
    switch (reference) {
      case 'automation:EXECUTION_ID':
        return execution.id;
      case 'automation:DOCUMENT_NAME':
        return execution.documentName;
      case 'global:ACCOUNT_ID':
        return this.options.accountId;
      case 'global:REGION':
        return this.options.region;
      case 'global:AWS_PARTITION':
        return this.options.partition ?? 'aws';
      case 'global:DATE':
        return new Date().toISOString().slice(0, 10);
      case 'global:DATE_TIME':
        return dateTimeText(new Date());
    }
    if (reference in execution.values) return execution.values[reference]!;
    const [step, output] = reference.split('.');
    const found = execution.stepOutputs[step ?? '']?.[output ?? ''];
    if (!found)
      throw new UnresolvedReference(
        `{{ ${reference} }} has no value: step ${step} has not succeeded with that output before this step.`,
      );
    return found.value;
  }

  private recordOutputs(
    execution: ExecutionRecord,
    step: StepRecord,
    definition: StepDefinition,
    response: unknown,
  ): Record<string, string[]> {
    const outputs: Record<string, string[]> = {};
    const typed: ExecutionRecord['stepOutputs'][string] = {};
    for (const [name, type] of Object.entries(PREDEFINED_OUTPUTS[step.action] ?? {})) {
      const value = (response as Record<string, Value> | undefined)?.[name];
      if (value === undefined) continue;
      typed[name] = { value, type };
      outputs[name] = wireValues(value, type);
    }
    if (step.action === 'aws:executeScript') outputs.OutputPayload = [JSON.stringify(response)];
    for (const output of definition.outputs ?? []) {
      const value = selectOutput(response, output);
      typed[output.Name] = { value, type: output.Type };
      outputs[output.Name] = wireValues(value, output.Type);
    }
    execution.stepOutputs[step.name] = typed;
    return outputs;
  }

  /** One attempt of a step's action. */
  private async attempt(run: Run, step: StepRecord, definition: StepDefinition): Promise<AttemptResult> {
    const { execution } = run;
    let inputs: Record<string, Value>;
    try {
      inputs = interpolate(definition.inputs, (ref) => this.resolve(execution, ref)) as Record<string, Value>;
    } catch (error) {
      return { ok: false, message: (error as Error).message, stage: 'InputValidation', type: 'Action' };
    }
    step.inputs = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, JSON.stringify(v)]));
    if (!LOCAL_ACTIONS.has(step.action))
      return {
        ok: false,
        message: `action ${step.action} is not supported by the local runtime (it runs aws:sleep, aws:pause, aws:approve, aws:branch, aws:executeScript and aws:executeAwsApi).`,
        stage: 'InputValidation',
        type: 'Action',
      };
    try {
      switch (step.action) {
        case 'aws:sleep':
          return await this.sleep(run, step, inputs);
        case 'aws:pause':
        case 'aws:approve':
          return await this.waitForPerson(run, step, inputs);
        case 'aws:branch':
          return { ok: true, response: {}, next: this.branch(step, inputs) };
        case 'aws:executeScript':
          return await this.script(run, step, inputs);
        case 'aws:executeAwsApi':
          return await this.awsApi(run, step, inputs);
      }
    } catch (error) {
      if (error instanceof InputError) return { ok: false, message: error.message, stage: 'InputValidation' };
      throw error;
    }
    return { ok: false, message: `Unhandled action ${step.action}` };
  }

  private branch(step: StepRecord, inputs: Record<string, Value>): string | undefined {
    try {
      return chooseNext(inputs as never);
    } catch (error) {
      throw new InputError(`Step ${step.name}: ${(error as Error).message}`);
    }
  }

  /** Waits until a real-time instant, or until the run is cancelled; resolves true when the time came. */
  private waitUntil(run: Run, deadline: number, signal: AbortSignal = run.abort.signal): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve(false);
      const timer = setTimeout(
        () => {
          this.timers.delete(timer);
          signal.removeEventListener('abort', onAbort);
          resolve(true);
        },
        Math.max(0, deadline - Date.now()),
      );
      this.timers.add(timer);
      const onAbort = () => {
        clearTimeout(timer);
        this.timers.delete(timer);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private async sleep(run: Run, step: StepRecord, inputs: Record<string, Value>): Promise<AttemptResult> {
    if (step.deadline === undefined) {
      const clock = this.options.clock;
      let realDeadline: number;
      try {
        if (inputs.Timestamp !== undefined) {
          const at = timestampMillis(String(inputs.Timestamp));
          realDeadline = Date.now() + Math.max(0, clock.realMillis((at - clock.now()) / 1000));
        } else realDeadline = Date.now() + clock.realMillis(durationSeconds(String(inputs.Duration)));
      } catch (error) {
        throw new InputError((error as Error).message);
      }
      step.deadline = realDeadline;
      await this.persist(run, [step], []);
    }
    const timeout = step.timeoutSeconds ? Date.now() + this.options.clock.realMillis(step.timeoutSeconds) : Infinity;
    const came = await this.waitUntil(run, Math.min(step.deadline, timeout));
    if (!came) return { ok: false, cancelled: true, message: 'The automation was cancelled.' };
    if (timeout < step.deadline) return { ok: false, timedOut: true, message: 'Step timed out while sleeping.' };
    return { ok: true, response: {} };
  }

  /** aws:pause and aws:approve: the step and the execution wait for a person (SendAutomationSignal). */
  private async waitForPerson(run: Run, step: StepRecord, inputs: Record<string, Value>): Promise<AttemptResult> {
    const approve = step.action === 'aws:approve';
    if (approve) {
      const approvers = inputs.Approvers;
      if (!Array.isArray(approvers) || approvers.length === 0 || approvers.length > 10)
        throw new InputError('Approvers must be a list of 1 to 10 user names, user ARNs or role ARNs.');
      const min = Number(inputs.MinRequiredApprovals ?? 1);
      if (!Number.isInteger(min) || min < 1 || min > approvers.length)
        throw new InputError(
          `MinRequiredApprovals must be between 1 and the number of approvers (${approvers.length}).`,
        );
    }
    const { execution } = run;
    if (step.deadline === undefined) {
      const seconds = Math.min(step.timeoutSeconds ?? DEFAULT_WAIT_SECONDS, MAX_WAIT_SECONDS);
      step.deadline = Date.now() + this.options.clock.realMillis(seconds);
    }
    // The waiter exists before the status says Waiting, so a signal sent as soon as it does is taken.
    let answer!: (outcome: AttemptResult) => void;
    const answeredOrTimedOut = new Promise<AttemptResult>((resolve) => {
      answer = resolve;
    });
    run.waiter = { step, resolve: answer };
    step.status = 'Waiting';
    execution.status = 'Waiting';
    await this.persist(run, [step], [this.stepEvent(execution, step), this.executionEvent(execution)]);
    // Ends the timeout's timer as soon as a person answers.
    const answered = new AbortController();
    void this.waitUntil(run, step.deadline!, AbortSignal.any([run.abort.signal, answered.signal])).then((came) => {
      if (answered.signal.aborted) return;
      if (!came) return answer({ ok: false, cancelled: true, message: 'The automation was cancelled.' });
      answer({
        ok: false,
        timedOut: true,
        message: approve
          ? 'The approval timed out before enough approvers approved.'
          : 'Step timed out while waiting to be resumed.',
      });
    });
    const result = await answeredOrTimedOut;
    run.waiter = undefined;
    answered.abort();
    if (!(!result.ok && result.cancelled) && !this.closed && execution.status === 'Waiting') {
      step.status = 'InProgress';
      execution.status = 'InProgress';
      await this.persist(run, [step], [this.executionEvent(execution)]);
    }
    return result;
  }

  private async script(run: Run, step: StepRecord, inputs: Record<string, Value>): Promise<AttemptResult> {
    const runtime = String(inputs.Runtime);
    if (!runtime.startsWith('python3'))
      return {
        ok: false,
        message: `Runtime ${runtime} is not supported by the local runtime, which runs python3.x scripts only.`,
        stage: 'InputValidation',
      };
    if (inputs.Script === undefined)
      return {
        ok: false,
        message: 'Script attachments are not supported by the local runtime; put the script inline (Script).',
        stage: 'InputValidation',
      };
    const seconds = Math.min(step.timeoutSeconds ?? MAX_SCRIPT_SECONDS, MAX_SCRIPT_SECONDS);
    const result = await runPythonScript({
      script: String(inputs.Script),
      handler: String(inputs.Handler),
      events: inputs.InputPayload ?? {},
      context: {
        'automation:EXECUTION_ID': run.execution.id,
        'automation:DOCUMENT_NAME': run.execution.documentName,
        'global:ACCOUNT_ID': this.options.accountId,
        'global:REGION': this.options.region,
      },
      timeoutMs: seconds * 1000,
      signal: run.abort.signal,
    });
    if (result.ok) return { ok: true, response: { Payload: result.payload } };
    if (run.abort.signal.aborted) return { ok: false, cancelled: true, message: result.message };
    return { ok: false, message: result.message, timedOut: result.timedOut };
  }

  private async awsApi(run: Run, step: StepRecord, inputs: Record<string, Value>): Promise<AttemptResult> {
    const { Service, Api, ...members } = inputs;
    const service = String(Service);
    const seconds = Math.min(step.timeoutSeconds ?? API_CALL_SECONDS, API_CALL_SECONDS);
    const abort = AbortSignal.any([run.abort.signal, AbortSignal.timeout(seconds * 1000)]);
    // Locally the signature's access key is the caller: the runbook's role name when it has one.
    const role = run.execution.assumeRole?.split('/').pop();
    const accessKeyId = role || run.execution.executedBy.split('/').pop() || 'automation';
    try {
      const response = await callAwsApi(
        { service, api: String(Api), input: members as Record<string, unknown>, accessKeyId, signal: abort },
        {
          localEndpoint: this.options.localEndpoint,
          region: this.options.region,
          otherServicesEndpoint: LOCAL_SERVICES.has(service) ? undefined : this.options.otherServicesEndpoint,
        },
      );
      return { ok: true, response };
    } catch (error) {
      if (run.abort.signal.aborted) return { ok: false, cancelled: true, message: 'The automation was cancelled.' };
      if (abort.aborted)
        return { ok: false, timedOut: true, message: `The ${Api} call took longer than ${seconds} seconds.` };
      if (error instanceof ApiCallFailed) return { ok: false, message: error.message };
      return { ok: false, message: String(error) };
    }
  }

  /** After a step ended: where the run goes (onFailure, isEnd, nextStep, branch, list order), or its end. */
  private async advance(run: Run, step: StepRecord, outcome: Outcome) {
    const { execution } = run;
    const document = execution.document;
    let target: string | undefined;
    let ends = false;
    if (outcome.status === 'Success') {
      if (step.isEnd) ends = true;
      else target = outcome.next ?? step.nextStep ?? document.mainSteps[step.docIndex + 1]?.name;
    } else {
      const failure = outcome.status as 'Failed' | 'TimedOut';
      if (step.isEnd) {
        if (step.isCritical) execution.criticalFailure ??= failure;
        ends = true;
      } else if (step.onFailure === 'Abort') {
        execution.failureMessage = `Step ${step.name} failed maximum allowed times. ${outcome.message}`;
        return this.finish(run, failure);
      } else {
        if (step.isCritical) {
          execution.criticalFailure ??= failure;
          execution.failureMessage ??= `Step ${step.name} failed. ${outcome.message}`;
        }
        target = step.onFailure.startsWith('step:')
          ? step.onFailure.slice(5)
          : (step.nextStep ?? document.mainSteps[step.docIndex + 1]?.name);
      }
    }
    if (ends || target === undefined) return this.finish(run);
    const docIndex = document.mainSteps.findIndex((s) => s.name === target);
    // The target's first run uses its Pending entry; a revisit gets a new step execution.
    let next = run.steps.find((s) => s.docIndex === docIndex && s.status === 'Pending');
    if (!next) {
      next = this.pendingStep(document.mainSteps[docIndex]!, docIndex, run.steps.length);
      run.steps.push(next);
      execution.stepCount = run.steps.length;
    }
    execution.current = next.seq;
    await this.persist(run, [next], []);
  }

  private async finish(run: Run, failure?: 'Failed' | 'TimedOut') {
    const { execution } = run;
    execution.status = failure ?? execution.criticalFailure ?? 'Success';
    if (execution.status === 'Success') delete execution.failureMessage;
    execution.endTime = this.options.clock.now();
    delete execution.current;
    execution.outputs = this.outputsOf(execution);
    await this.persist(run, [], [this.executionEvent(execution)]);
  }

  private async finishCancelled(run: Run, step: StepRecord) {
    if (this.closed) return;
    const { execution } = run;
    const events: Record<string, unknown>[] = [];
    if (!isTerminal(step.status) && step.status !== 'Pending') {
      step.status = 'Cancelled';
      step.endTime = this.options.clock.now();
      delete step.deadline;
      events.push(this.stepEvent(execution, step));
    }
    execution.status = 'Cancelled';
    execution.endTime = this.options.clock.now();
    delete execution.current;
    execution.outputs = this.outputsOf(execution);
    events.push(this.executionEvent(execution));
    await this.persist(run, [step], events);
  }

  // ---- signals and stops -----------------------------------------------------------------------------------------

  /** SendAutomationSignal: Approve / Reject a waiting approval, Resume a waiting pause. */
  async signal(id: string, type: string, payload: Record<string, string[]>, caller: string): Promise<void> {
    const run = this.runs.get(id);
    if (!run) {
      await this.get(id); // AutomationExecutionNotFoundException when it does not exist
      throw new SsmError('InvalidAutomationSignalException', `Automation ${id} has ended; it takes no signals.`);
    }
    const stepNames = run.execution.document.mainSteps.map((s) => s.name);
    const waiter = run.waiter;
    const notWaiting = (what: string) =>
      new SsmError(
        'InvalidAutomationSignalException',
        `${type} needs ${what}, and automation ${id} is not waiting on one.`,
      );
    switch (type) {
      case 'Resume': {
        const stepName = payload.StepName?.[0];
        if (!stepName)
          throw new SsmError(
            'InvalidAutomationSignalException',
            'Resume needs the payload StepName=<the name of the paused step>.',
          );
        if (!stepNames.includes(stepName))
          throw new SsmError('AutomationStepNotFoundException', `Automation ${id} has no step ${stepName}.`);
        if (waiter?.step.action !== 'aws:pause' || waiter.step.name !== stepName)
          throw notWaiting(`a paused step named ${stepName}`);
        waiter.resolve({ ok: true, response: {} });
        return;
      }
      case 'Approve':
      case 'Reject': {
        if (waiter?.step.action !== 'aws:approve') throw notWaiting('a waiting aws:approve step');
        const step = waiter.step;
        const inputs = Object.fromEntries(Object.entries(step.inputs ?? {}).map(([k, v]) => [k, JSON.parse(v)]));
        const approvers = (inputs.Approvers as string[]).map(String);
        const callerName = caller.split('/').pop() ?? caller;
        const matches = approvers.some((a) => a === caller || a === callerName || caller.endsWith(`/${a}`));
        if (!matches)
          throw new SsmError(
            'InvalidAutomationSignalException',
            `${caller} is not an approver of step ${step.name} (approvers: ${approvers.join(', ')}).`,
          );
        step.approvals ??= [];
        if (step.approvals.some((d) => d.Approver === caller))
          throw new SsmError('InvalidAutomationSignalException', `${caller} has already decided on step ${step.name}.`);
        const comment = payload.Comment?.[0];
        const decision: ApprovalDecision = {
          Approver: caller,
          Decision: type === 'Approve' ? 'Approved' : 'Rejected',
          ApprovalDecisionTime: new Date(this.options.clock.now()).toISOString(),
          ...(comment ? { Comment: comment } : {}),
        };
        step.approvals.push(decision);
        await this.persist(run, [step], []);
        const decisions = step.approvals as unknown as Value[];
        if (type === 'Reject') {
          waiter.resolve({
            ok: false,
            message: `Step ${step.name} was rejected by ${caller}${comment ? `: ${comment}` : '.'}`,
            stage: 'Invocation',
            type: 'Action',
          });
          step.outputs = { ApprovalStatus: ['Rejected'], ApproverDecisions: decisions.map((d) => JSON.stringify(d)) };
          return;
        }
        const needed = Number(inputs.MinRequiredApprovals ?? 1);
        if (step.approvals.filter((d) => d.Decision === 'Approved').length >= needed)
          waiter.resolve({ ok: true, response: { ApprovalStatus: 'Approved', ApproverDecisions: decisions } });
        return;
      }
      case 'StartStep':
      case 'StopStep':
        throw new SsmError(
          'InvalidAutomationSignalException',
          `${type} is for Interactive mode, which the local runtime does not run (executions run in Auto mode).`,
        );
      default:
        throw new SsmError('InvalidAutomationSignalException', `Signal ${type} is not supported by the local runtime.`);
    }
  }

  /** StopAutomationExecution (Cancel; Complete is treated the same): the running step is cancelled, the rest stay Pending. */
  async stop(id: string): Promise<void> {
    const run = this.runs.get(id);
    const current = run?.execution ?? (await this.get(id)).execution;
    if (!run || isTerminal(current.status))
      throw new SsmError(
        'InvalidAutomationStatusUpdateException',
        `Automation ${id} is ${current.status}; only a running automation can be stopped.`,
      );
    if (run.cancelling) return;
    run.cancelling = true;
    run.execution.status = 'Cancelling';
    await this.persist(run, [], [this.executionEvent(run.execution)]);
    run.abort.abort();
    await run.done;
  }

  // ---- persistence and events ------------------------------------------------------------------------------------

  private persist(run: Run, changed: StepRecord[], events: Record<string, unknown>[]): Promise<void> {
    const execution = structuredClone(run.execution);
    const steps = structuredClone(changed);
    const entries = this.store.outboxEntries(events);
    const write = run.writes.then(() => this.store.saveExecution(execution, steps, entries));
    run.writes = write.catch(() => undefined);
    return write.then(() => {
      this.enqueue(entries);
      if (isTerminal(run.execution.status)) this.runs.delete(run.execution.id);
    });
  }

  private enqueue(entries: PendingEvent[]) {
    if (entries.length === 0) return;
    this.outbox.push(...entries);
    this.flush();
  }

  /** Delivers the outbox in order; a failed delivery is retried with back-off, then given up with a log line. */
  private flush() {
    const deliver = this.options.deliver;
    if (this.delivering || !deliver) return;
    this.delivering = true;
    void (async () => {
      while (this.outbox.length && !this.closed) {
        const entry = this.outbox[0]!;
        for (let attempt = 1; ; attempt++) {
          try {
            await deliver(entry.event);
            break;
          } catch (error) {
            if (this.closed) break;
            if (attempt >= DELIVERY_ATTEMPTS) {
              this.options.log?.(
                `[automation] gave up delivering ${String(entry.event['detail-type'])} for ${JSON.stringify((entry.event.detail as { ExecutionId?: string })?.ExecutionId)}: ${String(error)}`,
              );
              break;
            }
            await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 50 * 2 ** attempt)));
          }
        }
        if (this.closed) break;
        this.outbox.shift();
        await this.store.deleteEvent(entry.key).catch(() => undefined);
      }
      this.delivering = false;
    })();
  }

  private baseEvent(execution: ExecutionRecord, detailType: string, detail: Record<string, unknown>) {
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': detailType,
      source: 'aws.ssm',
      account: this.options.accountId,
      time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.options.region,
      resources: [
        this.executionArn(execution.id),
        `arn:${this.options.partition ?? 'aws'}:ssm:${this.options.region}:${this.options.accountId}:automation-definition/${execution.documentName}:${execution.documentVersion}`,
      ],
      detail: {
        ExecutionId: execution.id,
        Definition: execution.documentName,
        DefinitionVersion: Number(execution.documentVersion),
        ...detail,
      },
    };
  }

  private executionEvent(execution: ExecutionRecord) {
    const end = execution.endTime;
    return this.baseEvent(execution, 'EC2 Automation Execution Status-change Notification', {
      Status: execution.status,
      StartTime: eventTimeText(execution.startTime),
      ...(end ? { EndTime: eventTimeText(end) } : {}),
      Time: (end ?? this.options.clock.now()) - execution.startTime,
      ExecutedBy: execution.executedBy,
    });
  }

  private stepEvent(execution: ExecutionRecord, step: StepRecord) {
    const start = step.startTime ?? this.options.clock.now();
    return this.baseEvent(execution, 'EC2 Automation Step Status-change Notification', {
      Status: step.status,
      StartTime: eventTimeText(start),
      ...(step.endTime ? { EndTime: eventTimeText(step.endTime) } : {}),
      Time: (step.endTime ?? this.options.clock.now()) - start,
      StepName: step.name,
      Action: step.action,
    });
  }

  /** Waits until every event so far was delivered (tests and the benchmark). */
  async drained(): Promise<void> {
    while (this.outbox.length || this.delivering) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  /**
   * Stops running executions WITHOUT changing their state (the local runtime is stopping): they continue from where
   * they were on the next start. Undelivered events stay in the outbox.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const runs = [...this.runs.values()];
    for (const run of runs) {
      run.waiter?.resolve({ ok: false, cancelled: true, message: 'The local runtime stopped.' });
      run.abort.abort();
    }
    await Promise.all(runs.map((run) => run.done));
    await Promise.all(runs.map((run) => run.writes));
  }

  /** The status of an execution while it runs in this process (tests). */
  statusOf(id: string): AutomationStatus | undefined {
    return this.runs.get(id)?.execution.status;
  }
}

/** A step's resolved inputs do not fit its action: the step fails without retries (FailureStage InputValidation). */
class InputError extends Error {
  override readonly name = 'InputError';
}
