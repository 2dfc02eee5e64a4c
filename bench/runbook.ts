/**
 * `npm run bench:runbook`: runbooks on the local runtime (the same handlers, the same runbook ASL run by
 * aws-local-stepfunctions, the local Automation engine, DynamoDB Local). Method and reading: docs/benchmarks.md
 * ("Runbooks").
 *
 * 1. StartIncident -> the runbook's first step running: StartIncident through the official client, then the
 *    IncidentOpened event handed to the runbook starter (as the change stream will; the stream's own delay is not
 *    in this figure), until the first step's InProgress status-change event is delivered.
 * 2. A 5-step automated runbook (read the incident, a Python script, a branch, a timeline note, a sleep) end to end:
 *    StartIncident -> the automation's Success, and -> the runbook workflow's end (the incident's timeline complete).
 *    Per run: Step Functions state transitions (StateEntered in the local interpreter's event log), worker
 *    invocations and status-change events (each one an invocation of the events handler in AWS).
 *
 * Overrides for quick trial runs (published figures use the defaults): BENCH_RUNBOOK_SAMPLES, BENCH_RUNBOOK_WARMUP,
 * BENCH_RUNBOOK_RUNS.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchCli } from './cli.ts';
import { round, summarize } from './stats.ts';

parseBenchCli(
  'bench:runbook',
  'Runbooks on the local runtime: StartIncident to the first step running, and a 5-step runbook end to end.',
  ['BENCH_RUNBOOK_SAMPLES', 'BENCH_RUNBOOK_WARMUP', 'BENCH_RUNBOOK_RUNS'],
);

// Loaded once the command line is known to be good: `--help` and a mistyped flag answer at once, without loading
// the SDK clients and the local runtime first.
const { CreateDocumentCommand, SSMClient, StopAutomationExecutionCommand } = await import('@aws-sdk/client-ssm');
const { CreateResponsePlanCommand, SSMIncidentsClient, StartIncidentCommand } = await import(
  '@aws-sdk/client-ssm-incidents'
);
const { workflowNameOf } = await import('#core/runbooks/model.ts');
const { startDynamoDbLocal } = await import('#local/dynamodb-local.ts');
const { startProgress } = await import('#local/progress.ts');
const { startLocalRuntime } = await import('#local/runtime.ts');
const { describeMachine, loadAverageNow } = await import('./report.ts');

const intFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

const settings = {
  firstStep: { warmup: intFromEnv('BENCH_RUNBOOK_WARMUP', 5), samples: intFromEnv('BENCH_RUNBOOK_SAMPLES', 60) },
  fiveSteps: { runs: intFromEnv('BENCH_RUNBOOK_RUNS', 20), sleep: 'PT10S', timeScale: 100 },
};

/** us-east-1 list prices (free tiers ignored). */
const PRICES = {
  perThousandTransitions: 0.025,
  perMillionLambdaRequests: 0.2,
  /** Arm, per GB-second. */
  perLambdaGbSecond: 0.0000133334,
};
/** Assumed for the on-paper Lambda duration cost: 512 MB functions, 150 ms per invocation. */
const LAMBDA = { memoryGb: 0.5, seconds: 0.15 };

const RESULTS_FILE = join(fileURLToPath(new URL('..', import.meta.url)), 'bench', 'results', 'runbook-latest.json');
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const log = (line: string) => console.error(`[bench:runbook] ${line}`);

const FIRST_STEP_DOC = `schemaVersion: '0.3'
mainSteps:
  - name: Triage
    action: aws:pause
    inputs: {}
`;

const FIVE_STEP_DOC = `schemaVersion: '0.3'
parameters:
  IncidentArn: { type: String }
mainSteps:
  - name: Read
    action: aws:executeAwsApi
    inputs: { Service: ssm-incidents, Api: GetIncidentRecord, arn: '{{ IncidentArn }}' }
    outputs: [{ Name: Impact, Selector: $.incidentRecord.impact, Type: Integer }]
  - name: Assess
    action: aws:executeScript
    inputs:
      Runtime: python3.11
      Handler: main
      Script: "from datetime import datetime, timezone\\ndef main(events, context):\\n  return {'high': events['impact'] <= 2, 'time': datetime.now(timezone.utc).isoformat()}"
      InputPayload: { impact: '{{ Read.Impact }}' }
    outputs:
      - { Name: High, Selector: $.Payload.high, Type: Boolean }
      - { Name: Time, Selector: $.Payload.time, Type: String }
  - name: Route
    action: aws:branch
    inputs:
      Choices: [{ NextStep: Note, Variable: '{{ Assess.High }}', BooleanEquals: true }]
      Default: Note
  - name: Note
    action: aws:executeAwsApi
    inputs:
      Service: ssm-incidents
      Api: CreateTimelineEvent
      incidentRecordArn: '{{ IncidentArn }}'
      eventType: Custom Event
      eventTime: '{{ Assess.Time }}'
      eventData: Assessed by the runbook.
  - name: Settle
    action: aws:sleep
    inputs: { Duration: ${settings.fiveSteps.sleep} }
`;

async function main() {
  const started = Date.now();
  const loadAtStart = loadAverageNow();
  const dynamodb = await startDynamoDbLocal();
  /** Listeners for the status-change events the engine delivers, by execution id. */
  const listeners = new Set<(event: Record<string, any>, at: number) => void>();
  const eventsPerExecution = new Map<string, number>();
  const runtime = await startLocalRuntime({
    port: 0,
    accountId: ACCOUNT,
    region: REGION,
    tableName: 'bench-runbook',
    dynamodbEndpoint: dynamodb.endpoint,
    timeScale: settings.fiveSteps.timeScale,
    observeAutomationEvent: (event) => {
      const at = Date.now();
      const id = (event.detail as { ExecutionId: string }).ExecutionId;
      eventsPerExecution.set(id, (eventsPerExecution.get(id) ?? 0) + 1);
      for (const listener of listeners) listener(event, at);
    },
  });
  const credentials = { accessKeyId: 'bench', secretAccessKey: 'local' };
  const incidents = new SSMIncidentsClient({ endpoint: runtime.url, region: REGION, credentials, maxAttempts: 1 });
  const ssm = new SSMClient({ endpoint: runtime.url, region: REGION, credentials, maxAttempts: 1 });
  const waitFor = (match: (event: Record<string, any>) => boolean, timeoutMs = 60_000) =>
    new Promise<{ at: number; event: Record<string, any> }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no such event within the timeout')), timeoutMs);
      const listener = (event: Record<string, any>, at: number) => {
        if (!match(event)) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve({ at, event });
      };
      listeners.add(listener);
    });
  /** StartIncident; the incident reactor starts the runbook from the table's stream (its delay is measured too). */
  const open = async (responsePlanArn: string) => {
    const { incidentRecordArn } = await incidents.send(new StartIncidentCommand({ responsePlanArn }));
    const id = incidentRecordArn!.slice(incidentRecordArn!.lastIndexOf('/') + 1);
    return { incidentRecordArn: incidentRecordArn!, id };
  };
  const plan = async (name: string, documentName: string, dynamic = false) =>
    (
      await incidents.send(
        new CreateResponsePlanCommand({
          name,
          incidentTemplate: { title: 'Checkout is failing', impact: 2 },
          actions: [
            {
              ssmAutomation: {
                documentName,
                roleArn: `arn:aws:iam::${ACCOUNT}:role/IncidentRunbookBench`,
                ...(dynamic ? { dynamicParameters: { IncidentArn: { variable: 'INCIDENT_RECORD_ARN' } } } : {}),
              },
            },
          ],
        }),
      )
    ).arn!;
  try {
    for (const [Name, Content] of [
      ['Bench-FirstStep', FIRST_STEP_DOC],
      ['Bench-FiveSteps', FIVE_STEP_DOC],
    ] as const)
      await ssm.send(new CreateDocumentCommand({ Name, Content, DocumentType: 'Automation', DocumentFormat: 'YAML' }));

    // ---- 1. StartIncident -> first step running ---------------------------------------------------------------
    const firstPlan = await plan('bench-first-step', 'Bench-FirstStep');
    const toFirstStep: number[] = [];
    const { warmup, samples } = settings.firstStep;
    // Progress ticks at the end of each sample, outside the timed span (t0 to the step running).
    const firstStepProgress = startProgress('StartIncident -> first step', { total: warmup + samples });
    for (let i = 0; i < warmup + samples; i++) {
      const running = waitFor(
        (e) =>
          e['detail-type'] === 'EC2 Automation Step Status-change Notification' &&
          e.detail.Status === 'InProgress' &&
          e.detail.Definition === 'Bench-FirstStep',
      );
      const t0 = Date.now();
      const { id } = await open(firstPlan);
      const { at, event } = await running;
      if (i >= warmup) toFirstStep.push(at - t0);
      await ssm.send(new StopAutomationExecutionCommand({ AutomationExecutionId: event.detail.ExecutionId }));
      await runtime.runbooks.execution(workflowNameOf(id, 0))?.finished;
      firstStepProgress.tick();
    }
    firstStepProgress.finish();
    log(`measured ${samples} StartIncident -> first step running latencies`);

    // ---- 2. a 5-step automated runbook end to end ---------------------------------------------------------------
    const fivePlan = await plan('bench-five-steps', 'Bench-FiveSteps', true);
    const toSuccess: number[] = [];
    const toWorkflowEnd: number[] = [];
    const runs: { transitions: number; workerInvocations: number; events: number; status: string }[] = [];
    const fiveStepsProgress = startProgress('five-step runbooks', { total: settings.fiveSteps.runs });
    for (let i = 0; i < settings.fiveSteps.runs; i++) {
      const succeeded = waitFor(
        (e) =>
          e['detail-type'] === 'EC2 Automation Execution Status-change Notification' &&
          e.detail.Definition === 'Bench-FiveSteps' &&
          ['Success', 'Failed'].includes(e.detail.Status),
      );
      const t0 = Date.now();
      const { id } = await open(fivePlan);
      const { at, event } = await succeeded;
      const workflow = runtime.runbooks.execution(workflowNameOf(id, 0))!;
      await workflow.finished;
      toSuccess.push(at - t0);
      toWorkflowEnd.push(workflow.stopTime! - t0);
      await runtime.automation.engine.drained();
      runs.push({
        transitions: workflow.transitions,
        workerInvocations: workflow.workerInvocations,
        events: eventsPerExecution.get(event.detail.ExecutionId) ?? 0,
        status: event.detail.Status,
      });
      fiveStepsProgress.tick();
    }
    fiveStepsProgress.finish();
    log(`ran ${runs.length} five-step runbooks`);

    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
    const transitions = median(runs.map((r) => r.transitions));
    const workerInvocations = median(runs.map((r) => r.workerInvocations));
    const events = median(runs.map((r) => r.events));
    const invocations = workerInvocations + events;
    const sfnCost = round((transitions * 1000 * PRICES.perThousandTransitions) / 1000, 4);
    const lambdaRequests = round((invocations * 1000 * PRICES.perMillionLambdaRequests) / 1_000_000, 5);
    const lambdaDuration = round(invocations * 1000 * LAMBDA.memoryGb * LAMBDA.seconds * PRICES.perLambdaGbSecond, 5);
    const results = {
      date: new Date().toISOString(),
      machine: describeMachine(),
      loadAverage: { atStart: loadAtStart, atEnd: loadAverageNow() },
      settings,
      startIncidentToFirstStepRunningMs: summarize(toFirstStep),
      fiveStepRunbook: {
        runs: runs.length,
        statuses: [...new Set(runs.map((r) => r.status))],
        sleepRealSeconds: 10 / settings.fiveSteps.timeScale,
        startIncidentToAutomationSuccessMs: summarize(toSuccess),
        startIncidentToWorkflowEndMs: summarize(toWorkflowEnd),
        stateTransitionsPerRun: transitions,
        workerInvocationsPerRun: workerInvocations,
        statusChangeEventsPerRun: events,
      },
      onPaperForAws: {
        prices: PRICES,
        lambdaAssumption: LAMBDA,
        stepFunctionsPer1000Incidents: sfnCost,
        lambdaRequestsPer1000Incidents: lambdaRequests,
        lambdaDurationPer1000Incidents: lambdaDuration,
        arithmetic: [
          `Step Functions: ${transitions} transitions x 1,000 incidents = ${transitions * 1000}; / 1,000 x $${PRICES.perThousandTransitions} = $${sfnCost}`,
          `Lambda requests: (${workerInvocations} worker + ${events} status-change handler) = ${invocations} x 1,000 = ${invocations * 1000}; / 1,000,000 x $${PRICES.perMillionLambdaRequests} = $${lambdaRequests}`,
          `Lambda duration: ${invocations * 1000} x ${LAMBDA.memoryGb} GB x ${LAMBDA.seconds} s x $${PRICES.perLambdaGbSecond} = $${lambdaDuration}`,
        ],
      },
      totalSeconds: Math.round((Date.now() - started) / 1000),
    };
    writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    const f = results.startIncidentToFirstStepRunningMs;
    const r = results.fiveStepRunbook;
    console.log(`Runbooks on the local runtime (${results.machine.cpu ?? 'cpu'}, load ${loadAtStart} -> ${results.loadAverage.atEnd})

StartIncident -> first runbook step running (${f.samples} sequential incidents after ${warmup} warm-up), ms:
  p50 ${f.p50}   p99 ${f.p99}   mean ${f.mean}   min ${f.min}   max ${f.max}

5-step automated runbook (${r.runs} runs, ${r.statuses.join('/')}; its 10 s sleep lasts ${r.sleepRealSeconds} s at LOCAL_TIME_SCALE ${settings.fiveSteps.timeScale}), ms:
  StartIncident -> automation Success: p50 ${r.startIncidentToAutomationSuccessMs.p50}   p99 ${r.startIncidentToAutomationSuccessMs.p99}
  StartIncident -> runbook workflow end: p50 ${r.startIncidentToWorkflowEndMs.p50}   p99 ${r.startIncidentToWorkflowEndMs.p99}
  per run: ${r.stateTransitionsPerRun} state transitions, ${r.workerInvocationsPerRun} worker invocations, ${r.statusChangeEventsPerRun} status-change events

On paper for AWS, per 1,000 incidents with this runbook:
  ${results.onPaperForAws.arithmetic.join('\n  ')}

Written to ${RESULTS_FILE}`);
  } finally {
    incidents.destroy();
    ssm.destroy();
    await runtime.stop();
    await dynamodb.stop();
  }
}

await main();
