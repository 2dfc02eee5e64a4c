/**
 * `npm run bench:engage`: paging on the local runtime (the same handlers, the same ASL run by aws-local-stepfunctions,
 * DynamoDB Local). Method and reading: docs/benchmarks.md ("Paging").
 *
 * 1. Latency from StartIncident (a response plan engaging one escalation plan, whose first stage targets one person
 *    with one email channel) to that person's page arriving in the outbox, through the official ssm-incidents client.
 * 2. Step Functions state transitions per engagement for a 3-stage escalation plan acknowledged at stage 2, counted
 *    from the local interpreter's event log (StateEntered), and the resulting Standard-workflow cost per 1,000
 *    incidents at $0.025 per 1,000 state transitions.
 *
 * Overrides for quick trial runs (published figures use the defaults): BENCH_ENGAGE_SAMPLES, BENCH_ENGAGE_WARMUP,
 * BENCH_ENGAGE_RUNS.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AcceptPageCommand,
  ActivateContactChannelCommand,
  CreateContactChannelCommand,
  CreateContactCommand,
  ListEngagementsCommand,
  SSMContactsClient,
  UpdateContactCommand,
} from '@aws-sdk/client-ssm-contacts';
import {
  CreateResponsePlanCommand,
  SSMIncidentsClient,
  StartIncidentCommand,
  UpdateIncidentRecordCommand,
} from '@aws-sdk/client-ssm-incidents';
import { startDynamoDbLocal } from '#local/dynamodb-local.ts';
import { type LocalRuntime, startLocalRuntime } from '#local/runtime.ts';
import { watchPages } from './outbox-watch.ts';
import { describeMachine, loadAverageNow } from './report.ts';
import { round, summarize } from './stats.ts';

const intFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

const settings = {
  latency: { warmup: intFromEnv('BENCH_ENGAGE_WARMUP', 20), samples: intFromEnv('BENCH_ENGAGE_SAMPLES', 200) },
  /**
   * Stages of 30 plan minutes at 300x are 6 s of real time: an acknowledgement sent when the stage-2 page arrives
   * lands seconds before stage 3 is due even on a loaded machine, and each run checks that it did (a late one would
   * measure another scenario: it is discarded and run again). Five runs go at a time, so 20 take under a minute.
   */
  transitions: {
    runs: intFromEnv('BENCH_ENGAGE_RUNS', 20),
    parallel: 5,
    stageMinutes: 30,
    timeScale: 300,
    maxAttemptsPerRun: 3,
  },
};

/** Step Functions Standard workflows: $0.025 per 1,000 state transitions (us-east-1 list price, free tier ignored). */
const PRICE_PER_1000_TRANSITIONS = 0.025;
const RESULTS_FILE = join(fileURLToPath(new URL('..', import.meta.url)), 'bench', 'results', 'engage-latest.json');
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

const log = (line: string) => console.error(`[bench:engage] ${line}`);

async function person(runtime: LocalRuntime, contacts: SSMContactsClient, alias: string) {
  const { ContactArn } = await contacts.send(
    new CreateContactCommand({ Alias: alias, Type: 'PERSONAL', Plan: { Stages: [] } }),
  );
  const { ContactChannelArn } = await contacts.send(
    new CreateContactChannelCommand({
      ContactId: ContactArn,
      Name: 'mail',
      Type: 'EMAIL',
      DeliveryAddress: { SimpleAddress: `${alias}@example.com` },
    }),
  );
  const code = runtime.outbox.latest((m) => m.contactChannelArn === ContactChannelArn)?.activationCode;
  await contacts.send(new ActivateContactChannelCommand({ ContactChannelId: ContactChannelArn, ActivationCode: code }));
  await contacts.send(
    new UpdateContactCommand({
      ContactId: ContactArn,
      Plan: {
        Stages: [
          {
            DurationInMinutes: settings.transitions.stageMinutes,
            Targets: [{ ChannelTargetInfo: { ContactChannelId: ContactChannelArn } }],
          },
        ],
      },
    }),
  );
  return ContactArn!;
}

async function escalationPlan(contacts: SSMContactsClient, alias: string, people: string[]) {
  const { ContactArn } = await contacts.send(
    new CreateContactCommand({
      Alias: alias,
      Type: 'ESCALATION',
      Plan: {
        Stages: people.map((arn) => ({
          DurationInMinutes: settings.transitions.stageMinutes,
          Targets: [{ ContactTargetInfo: { ContactId: arn, IsEssential: true } }],
        })),
      },
    }),
  );
  return ContactArn!;
}

async function main() {
  const started = Date.now();
  const loadAtStart = loadAverageNow();
  const dynamodb = await startDynamoDbLocal();
  const runtime = await startLocalRuntime({
    port: 0,
    accountId: ACCOUNT,
    region: REGION,
    tableName: 'bench-engage',
    dynamodbEndpoint: dynamodb.endpoint,
    timeScale: settings.transitions.timeScale,
  });
  const credentials = { accessKeyId: 'bench', secretAccessKey: 'local' };
  const contacts = new SSMContactsClient({ endpoint: runtime.url, region: REGION, credentials, maxAttempts: 1 });
  const incidents = new SSMIncidentsClient({ endpoint: runtime.url, region: REGION, credentials, maxAttempts: 1 });
  const nextPage = watchPages(runtime);
  try {
    // ---- 1. StartIncident -> first page ----------------------------------------------------------------------
    const oncall = await person(runtime, contacts, 'oncall');
    const oneStage = await escalationPlan(contacts, 'first-responders', [oncall]);
    const { arn: latencyPlan } = await incidents.send(
      new CreateResponsePlanCommand({
        name: 'bench-latency',
        incidentTemplate: { title: 'Checkout is failing', impact: 2 },
        engagements: [oneStage],
      }),
    );
    const toPage: number[] = [];
    const startIncidentCall: number[] = [];
    const { warmup, samples } = settings.latency;
    for (let i = 0; i < warmup + samples; i++) {
      const t0 = performance.now();
      const { incidentRecordArn } = await incidents.send(new StartIncidentCommand({ responsePlanArn: latencyPlan }));
      const t1 = performance.now();
      const { at } = await nextPage((m) => m.incidentId === incidentRecordArn);
      if (i >= warmup) {
        toPage.push(at - t0);
        startIncidentCall.push(t1 - t0);
      }
      // Resolving stops the engagement, so the runtime holds one running workflow at a time.
      await incidents.send(new UpdateIncidentRecordCommand({ arn: incidentRecordArn, status: 'RESOLVED' }));
    }
    await runtime.engagements.idle();
    log(`measured ${samples} StartIncident -> first page latencies`);

    // ---- 2. transitions of a 3-stage escalation acknowledged at stage 2 --------------------------------------
    const people = [
      await person(runtime, contacts, 'stage-one'),
      await person(runtime, contacts, 'stage-two'),
      await person(runtime, contacts, 'stage-three'),
    ];
    const threeStages = await escalationPlan(contacts, 'three-stages', people);
    const { arn: transitionsPlan } = await incidents.send(
      new CreateResponsePlanCommand({
        name: 'bench-transitions',
        incidentTemplate: { title: 'Database down', impact: 1 },
        engagements: [threeStages],
      }),
    );
    interface Run {
      transitions: number;
      workerInvocations: number;
      status: string;
      pagedContacts: string[];
      /** Real ms between the acknowledgement's answer and the instant stage 3 was due (negative: late). */
      marginMs: number;
    }
    const stageMs = (settings.transitions.stageMinutes * 60_000) / settings.transitions.timeScale;
    /** One incident through the 3-stage plan, acknowledged by the stage-2 contact as soon as they are paged. */
    const oneRun = async (): Promise<Run> => {
      const { incidentRecordArn } = await incidents.send(
        new StartIncidentCommand({ responsePlanArn: transitionsPlan }),
      );
      const paged: string[] = [];
      const first = await nextPage((m) => m.incidentId === incidentRecordArn, 60_000);
      paged.push(first.message.contactArn);
      const second = await nextPage((m) => m.incidentId === incidentRecordArn, 60_000);
      paged.push(second.message.contactArn);
      await contacts.send(
        new AcceptPageCommand({
          PageId: second.message.pageArn,
          AcceptType: 'READ',
          AcceptCode: second.message.acceptCode,
        }),
      );
      const acknowledgedAt = Date.now();
      const root = (
        await contacts.send(new ListEngagementsCommand({ IncidentId: incidentRecordArn }))
      ).Engagements!.find((e) => e.ContactArn === threeStages)!;
      const id = root.EngagementArn!.slice(root.EngagementArn!.lastIndexOf('/') + 1);
      const execution = runtime.engagements.execution(id)!;
      await execution.finished;
      const stage3Due = root.StartTime!.getTime() + 2 * stageMs;
      return {
        transitions: execution.transitions,
        workerInvocations: execution.workerInvocations,
        status: execution.status,
        pagedContacts: paged,
        marginMs: stage3Due - acknowledgedAt,
      };
    };
    const runs: Run[] = [];
    let discarded = 0;
    let launched = 0;
    const worker = async () => {
      while (launched < settings.transitions.runs) {
        launched++;
        let attempt = 1;
        for (let run = await oneRun(); ; run = await oneRun(), attempt++) {
          if (run.marginMs > 0) {
            runs.push(run);
            break;
          }
          discarded++;
          if (attempt >= settings.transitions.maxAttemptsPerRun)
            throw new Error('acknowledgements keep arriving after stage 3 was due: the machine is too busy to measure');
        }
      }
    };
    await Promise.all(Array.from({ length: settings.transitions.parallel }, worker));
    log(`ran ${runs.length} three-stage engagements acknowledged at stage 2`);

    const transitions = runs.map((r) => r.transitions).sort((a, b) => a - b);
    const median = transitions[Math.floor((transitions.length - 1) / 2)]!;
    const costPer1000Incidents = round((median * 1000 * PRICE_PER_1000_TRANSITIONS) / 1000, 4);
    const results = {
      date: new Date().toISOString(),
      machine: describeMachine(),
      loadAverage: { atStart: loadAtStart, atEnd: loadAverageNow() },
      settings,
      startIncidentToFirstPageMs: summarize(toPage),
      startIncidentCallMs: summarize(startIncidentCall),
      threeStageAcknowledgedAtStage2: {
        runs: runs.length,
        statuses: [...new Set(runs.map((r) => r.status))],
        pagedInOrder: runs.every((r) => r.pagedContacts[0] === people[0] && r.pagedContacts[1] === people[1]),
        discardedLateRuns: discarded,
        acknowledgementMarginMs: {
          min: Math.round(Math.min(...runs.map((r) => r.marginMs))),
          stageMs,
        },
        transitionsPerEngagement: { min: transitions[0], median, max: transitions[transitions.length - 1] },
        workerInvocationsPerEngagement: runs[0]?.workerInvocations,
        pricePer1000Transitions: PRICE_PER_1000_TRANSITIONS,
        costPer1000Incidents,
        arithmetic: `${median} transitions x 1,000 incidents = ${median * 1000} transitions; ${median * 1000} / 1,000 x $${PRICE_PER_1000_TRANSITIONS} = $${costPer1000Incidents}`,
      },
      totalSeconds: Math.round((Date.now() - started) / 1000),
    };
    writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    const l = results.startIncidentToFirstPageMs;
    const s = results.startIncidentCallMs;
    const t = results.threeStageAcknowledgedAtStage2;
    console.log(`Paging on the local runtime (${results.machine.cpu ?? 'cpu'}, load ${loadAtStart} -> ${results.loadAverage.atEnd})

StartIncident -> first page in the outbox (${l.samples} sequential incidents after ${settings.latency.warmup} warm-up), ms:
  p50 ${l.p50}   p99 ${l.p99}   mean ${l.mean}   min ${l.min}   max ${l.max}
  (of which the StartIncident call itself: p50 ${s.p50}, p99 ${s.p99})

3-stage escalation plan acknowledged at stage 2 (${t.runs} runs, ${settings.transitions.parallel} at a time, all ${t.statuses.join('/')}, paged in order: ${t.pagedInOrder};
  every acknowledgement at least ${t.acknowledgementMarginMs.min} ms before stage 3 was due (stages of ${t.acknowledgementMarginMs.stageMs} ms); runs discarded for a late acknowledgement: ${t.discardedLateRuns}):
  state transitions per engagement: median ${t.transitionsPerEngagement.median} (min ${t.transitionsPerEngagement.min}, max ${t.transitionsPerEngagement.max})
  worker (Lambda) invocations per engagement: ${t.workerInvocationsPerEngagement}
  cost per 1,000 incidents at $0.025 per 1,000 transitions: ${t.arithmetic}

Written to ${RESULTS_FILE}`);
  } finally {
    contacts.destroy();
    incidents.destroy();
    await runtime.stop();
    await dynamodb.stop();
  }
}

await main();
