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
 * 3. One page stream per person (issue 13): a response plan that reaches the same person twice (directly, and through
 *    an escalation plan that names them in two stages): pages that person receives per incident (target 1).
 * 4. No page after an essential acknowledgement: a response plan engaging two escalation plans (two teams); the first
 *    team's essential contact acknowledges at a random moment of stage 1 (some close to stage 2); pages of the
 *    incident sent after the acknowledgement completed (target: none), and the last page's time relative to it.
 *
 * Overrides for quick trial runs (published figures use the defaults): BENCH_ENGAGE_SAMPLES, BENCH_ENGAGE_WARMUP,
 * BENCH_ENGAGE_RUNS, BENCH_ENGAGE_TRUST_RUNS.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OutboundMessage } from '#core/contacts/messaging.ts';
import type { LocalRuntime } from '#local/runtime.ts';
import { parseBenchCli } from './cli.ts';
import { round, summarize } from './stats.ts';

parseBenchCli(
  'bench:engage',
  'Paging on the local runtime: StartIncident to the page in the outbox, state transitions per engagement, one page stream per person, no page after an essential acknowledgement.',
  ['BENCH_ENGAGE_SAMPLES', 'BENCH_ENGAGE_WARMUP', 'BENCH_ENGAGE_RUNS', 'BENCH_ENGAGE_TRUST_RUNS'],
);

// Loaded once the command line is known to be good: `--help` and a mistyped flag answer at once, without loading
// the SDK clients and the local runtime first.
const {
  AcceptPageCommand,
  ActivateContactChannelCommand,
  CreateContactChannelCommand,
  CreateContactCommand,
  ListEngagementsCommand,
  SSMContactsClient,
  UpdateContactCommand,
} = await import('@aws-sdk/client-ssm-contacts');
const { CreateResponsePlanCommand, SSMIncidentsClient, StartIncidentCommand, UpdateIncidentRecordCommand } =
  await import('@aws-sdk/client-ssm-incidents');
const { startDynamoDbLocal } = await import('#local/dynamodb-local.ts');
const { startProgress } = await import('#local/progress.ts');
const { startLocalRuntime } = await import('#local/runtime.ts');
const { watchPages } = await import('./outbox-watch.ts');
const { describeMachine, loadAverageNow } = await import('./report.ts');
type SSMContactsClient = InstanceType<typeof SSMContactsClient>;

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
  /** Sections 3 and 4: stages of 2 plan minutes (0.4 s at 300x), each run waits for its workflows to end. */
  trust: { runs: intFromEnv('BENCH_ENGAGE_TRUST_RUNS', 20), stageMinutes: 2 },
};

/** Step Functions Standard workflows: $0.025 per 1,000 state transitions (us-east-1 list price, free tier ignored). */
const PRICE_PER_1000_TRANSITIONS = 0.025;
const RESULTS_FILE = join(fileURLToPath(new URL('..', import.meta.url)), 'bench', 'results', 'engage-latest.json');
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

const log = (line: string) => console.error(`[bench:engage] ${line}`);

async function person(
  runtime: LocalRuntime,
  contacts: SSMContactsClient,
  alias: string,
  minutes: number = settings.transitions.stageMinutes,
) {
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
            DurationInMinutes: minutes,
            Targets: [{ ChannelTargetInfo: { ContactChannelId: ContactChannelArn } }],
          },
        ],
      },
    }),
  );
  return ContactArn!;
}

async function escalationPlan(
  contacts: SSMContactsClient,
  alias: string,
  people: string[],
  essential: (stage: number) => boolean = () => true,
  minutes: number = settings.transitions.stageMinutes,
) {
  const { ContactArn } = await contacts.send(
    new CreateContactCommand({
      Alias: alias,
      Type: 'ESCALATION',
      Plan: {
        Stages: people.map((arn, stage) => ({
          DurationInMinutes: minutes,
          Targets: [{ ContactTargetInfo: { ContactId: arn, IsEssential: essential(stage) } }],
        })),
      },
    }),
  );
  return ContactArn!;
}

const rootOf = async (contacts: SSMContactsClient, incidentArn: string, contactArn: string) => {
  const root = (await contacts.send(new ListEngagementsCommand({ IncidentId: incidentArn }))).Engagements!.find(
    (e) => e.ContactArn === contactArn,
  )!;
  return root.EngagementArn!.slice(root.EngagementArn!.lastIndexOf('/') + 1);
};

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
    // Progress ticks at the end of each sample, outside the timed span (t0 to the page).
    const latencyProgress = startProgress('StartIncident -> first page', { total: warmup + samples });
    for (let i = 0; i < warmup + samples; i++) {
      const t0 = performance.now();
      const { incidentRecordArn } = await incidents.send(new StartIncidentCommand({ responsePlanArn: latencyPlan }));
      const t1 = performance.now();
      const { at } = await nextPage((m) => m.incidentId === incidentRecordArn);
      if (i >= warmup) {
        toPage.push(at - t0);
        startIncidentCall.push(t1 - t0);
      }
      // Resolving stops the engagement, so the runtime holds one running workflow at a time; the next incident starts
      // once the stream consumers have reacted (the stop, the notifications), so that its first page does not queue
      // behind the previous incident's resolution (incidents do not open a millisecond after another resolves).
      await incidents.send(new UpdateIncidentRecordCommand({ arn: incidentRecordArn, status: 'RESOLVED' }));
      await runtime.changes.caughtUp();
      latencyProgress.tick();
    }
    latencyProgress.finish();
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
      paged.push(first.message.contactArn ?? '');
      const second = await nextPage((m) => m.incidentId === incidentRecordArn, 60_000);
      paged.push(second.message.contactArn ?? '');
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
    const transitionsProgress = startProgress('three-stage engagements', { total: settings.transitions.runs });
    const worker = async () => {
      while (launched < settings.transitions.runs) {
        launched++;
        let attempt = 1;
        for (let run = await oneRun(); ; run = await oneRun(), attempt++) {
          if (run.marginMs > 0) {
            runs.push(run);
            transitionsProgress.tick();
            break;
          }
          discarded++;
          if (attempt >= settings.transitions.maxAttemptsPerRun)
            throw new Error('acknowledgements keep arriving after stage 3 was due: the machine is too busy to measure');
        }
      }
    };
    await Promise.all(Array.from({ length: settings.transitions.parallel }, worker));
    transitionsProgress.finish();
    log(`ran ${runs.length} three-stage engagements acknowledged at stage 2`);

    // ---- 3. one page stream per person: reached twice (directly, and twice through an escalation) ------------
    const short = settings.trust.stageMinutes;
    const twice = await person(runtime, contacts, 'reached-twice', short);
    const manager = await person(runtime, contacts, 'their-manager', short);
    const reachesTwice = await escalationPlan(
      contacts,
      'reaches-twice',
      [twice, twice, manager],
      (stage) => stage === 1,
      short,
    );
    const { arn: twicePlan } = await incidents.send(
      new CreateResponsePlanCommand({
        name: 'bench-reached-twice',
        incidentTemplate: { title: 'Payments degraded', impact: 2 },
        engagements: [twice, reachesTwice],
      }),
    );
    const pagesPerPerson: number[] = [];
    const sent: OutboundMessage[] = [];
    const original = runtime.outbox.send.bind(runtime.outbox);
    runtime.outbox.send = async (message) => {
      const result = await original(message);
      sent.push({ ...message, createdTime: Date.now() });
      return result;
    };
    const twiceProgress = startProgress('incidents reaching one person twice', { total: settings.trust.runs });
    for (let i = 0; i < settings.trust.runs; i++) {
      const { incidentRecordArn } = await incidents.send(new StartIncidentCommand({ responsePlanArn: twicePlan }));
      // Nobody acknowledges: the escalation runs all three stages (the manager's page is the last), then completes.
      await runtime.changes.caughtUp();
      const rootId = await rootOf(contacts, incidentRecordArn!, reachesTwice);
      await runtime.engagements.execution(rootId)!.finished;
      pagesPerPerson.push(sent.filter((m) => m.incidentId === incidentRecordArn && m.contactArn === twice).length);
      await incidents.send(new UpdateIncidentRecordCommand({ arn: incidentRecordArn, status: 'RESOLVED' }));
      twiceProgress.tick();
    }
    twiceProgress.finish();
    await runtime.engagements.idle();
    log(`ran ${pagesPerPerson.length} incidents reaching one person twice`);

    // ---- 4. no page after an essential acknowledgement -----------------------------------------------------------
    const [teamAOncall, teamABackup, teamBOncall, teamBBackup] = await Promise.all(
      ['team-a-oncall', 'team-a-backup', 'team-b-oncall', 'team-b-backup'].map((alias) =>
        person(runtime, contacts, alias, short),
      ),
    );
    const teamA = await escalationPlan(contacts, 'team-a', [teamAOncall!, teamABackup!], () => true, short);
    const teamB = await escalationPlan(contacts, 'team-b', [teamBOncall!, teamBBackup!], () => false, short);
    const { arn: twoTeams } = await incidents.send(
      new CreateResponsePlanCommand({
        name: 'bench-two-teams',
        incidentTemplate: { title: 'Database failover', impact: 1 },
        engagements: [teamA, teamB],
      }),
    );
    const shortStageMs = (short * 60_000) / settings.transitions.timeScale;
    const afterAck: { pagesAfter: number; inFlight: number; lastPageMinusAckMs: number }[] = [];
    const twoTeamsProgress = startProgress('two-team incidents', { total: settings.trust.runs });
    for (let i = 0; i < settings.trust.runs; i++) {
      const { incidentRecordArn } = await incidents.send(new StartIncidentCommand({ responsePlanArn: twoTeams }));
      const page = await nextPage((m) => m.incidentId === incidentRecordArn && m.contactArn === teamAOncall);
      // Acknowledge somewhere in stage 1, the last runs close to (or just after) the moment stage 2 is due.
      await new Promise((resolve) => setTimeout(resolve, Math.round((i / settings.trust.runs) * shortStageMs * 1.1)));
      const ackStart = Date.now();
      await contacts.send(
        new AcceptPageCommand({
          PageId: page.message.pageArn,
          AcceptType: 'READ',
          AcceptCode: page.message.acceptCode,
        }),
      );
      const ackEnd = Date.now();
      await runtime.changes.caughtUp();
      for (const root of [teamA, teamB])
        await runtime.engagements.execution(await rootOf(contacts, incidentRecordArn!, root))!.finished;
      const ofIncident = sent.filter((m) => m.incidentId === incidentRecordArn && m.purpose === 'PAGE');
      const last = Math.max(...ofIncident.map((m) => m.createdTime));
      afterAck.push({
        pagesAfter: ofIncident.filter((m) => m.createdTime > ackEnd).length,
        inFlight: ofIncident.filter((m) => m.createdTime >= ackStart && m.createdTime <= ackEnd).length,
        lastPageMinusAckMs: last - ackEnd,
      });
      await incidents.send(new UpdateIncidentRecordCommand({ arn: incidentRecordArn, status: 'RESOLVED' }));
      twoTeamsProgress.tick();
    }
    twoTeamsProgress.finish();
    runtime.outbox.send = original;
    log(`ran ${afterAck.length} two-team incidents acknowledged by an essential contact`);

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
      reachedTwice: {
        runs: pagesPerPerson.length,
        pagesPerPersonPerIncident: {
          min: Math.min(...pagesPerPerson),
          max: Math.max(...pagesPerPerson),
          mean: round(pagesPerPerson.reduce((a, b) => a + b, 0) / pagesPerPerson.length, 2),
        },
        target: 1,
      },
      essentialAcknowledgement: {
        runs: afterAck.length,
        pagesSentAfterTheAcknowledgement: afterAck.reduce((sum, r) => sum + r.pagesAfter, 0),
        pagesSentDuringTheAcceptPageCall: afterAck.reduce((sum, r) => sum + r.inFlight, 0),
        lastPageMinusAcknowledgementMs: summarize(afterAck.map((r) => r.lastPageMinusAckMs)),
        target: 'no page after the acknowledgement (last page before it: a negative figure)',
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

A person reached twice for one incident (directly, and in two stages of an escalation plan), ${results.reachedTwice.runs} incidents:
  pages per person per incident: min ${results.reachedTwice.pagesPerPersonPerIncident.min}, max ${results.reachedTwice.pagesPerPersonPerIncident.max}, mean ${results.reachedTwice.pagesPerPersonPerIncident.mean} (target 1)

Essential acknowledgement with two teams engaged, ${results.essentialAcknowledgement.runs} incidents:
  pages sent after the acknowledgement: ${results.essentialAcknowledgement.pagesSentAfterTheAcknowledgement} (target 0); during the AcceptPage call: ${results.essentialAcknowledgement.pagesSentDuringTheAcceptPageCall}
  last page of the incident minus the acknowledgement, ms: p50 ${results.essentialAcknowledgement.lastPageMinusAcknowledgementMs.p50}, max ${results.essentialAcknowledgement.lastPageMinusAcknowledgementMs.max} (negative: before it)

Written to ${RESULTS_FILE}`);
  } finally {
    contacts.destroy();
    incidents.destroy();
    await runtime.stop();
    await dynamodb.stop();
  }
}

await main();
