/**
 * `npm run bench:notify`: notifications on the local runtime (the same notifier handler, fed by DynamoDB Local's
 * stream through the local stream reader). Method and reading: docs/benchmarks.md ("Notifications").
 *
 * 1. Latency: UpdateIncidentRecord (a new title) through the official client, then the instant the notification of
 *    that change is published to the outbox; sequential samples on one incident with two topics.
 * 2. Burst: 1,000 updates (50 incidents × 20 updates, 20 requests in flight, each incident's updates in order), then
 *    checks that every update was notified exactly once to each topic, in commit order per incident.
 * 3. Counts for the cost on paper: stream records, notifications and events of one representative incident.
 * 4. The Slack slash command: signed request → reply, per command, against Slack's 3-second limit (slack-latency.ts).
 *
 * Overrides for quick trial runs (published figures use the defaults): BENCH_NOTIFY_SAMPLES, BENCH_NOTIFY_WARMUP,
 * BENCH_NOTIFY_INCIDENTS, BENCH_NOTIFY_UPDATES.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PublishedNotification } from '#local/notification-outbox.ts';
import { parseBenchCli } from './cli.ts';
import { round, summarize } from './stats.ts';

parseBenchCli(
  'bench:notify',
  'Notifications on the local runtime: update-to-notification latency, a 1,000-update burst (each notified once, in order), counts for the cost.',
  ['BENCH_NOTIFY_SAMPLES', 'BENCH_NOTIFY_WARMUP', 'BENCH_NOTIFY_INCIDENTS', 'BENCH_NOTIFY_UPDATES'],
);

// Loaded once the command line is known to be good: `--help` and a mistyped flag answer at once, without loading
// the SDK clients and the local runtime first.
const {
  CreateResponsePlanCommand,
  CreateTimelineEventCommand,
  SSMIncidentsClient,
  StartIncidentCommand,
  UpdateIncidentRecordCommand,
} = await import('@aws-sdk/client-ssm-incidents');
const { SHORT_ID_LENGTH } = await import('#core/notifications/links.ts');
const { startDynamoDbLocal } = await import('#local/dynamodb-local.ts');
const { startProgress } = await import('#local/progress.ts');
const { startLocalRuntime } = await import('#local/runtime.ts');
const { BENCH_SLACK, measureSlackCommands, SLACK_REPLY_LIMIT_MS } = await import('./slack-latency.ts');
const { describeMachine, loadAverageNow } = await import('./report.ts');

const intFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

const settings = {
  warmup: intFromEnv('BENCH_NOTIFY_WARMUP', 20),
  samples: intFromEnv('BENCH_NOTIFY_SAMPLES', 200),
  burstIncidents: intFromEnv('BENCH_NOTIFY_INCIDENTS', 50),
  burstUpdatesPerIncident: intFromEnv('BENCH_NOTIFY_UPDATES', 20),
  inFlight: 20,
  slackSamples: intFromEnv('BENCH_NOTIFY_SLACK_SAMPLES', 50),
};

const RESULTS_FILE = join(fileURLToPath(new URL('..', import.meta.url)), 'bench', 'results', 'notify-latest.json');
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const TOPICS = [`arn:aws:sns:${REGION}:${ACCOUNT}:ops-email`, `arn:aws:sns:${REGION}:${ACCOUNT}:incident-chat`];

const log = (line: string) => console.error(`[bench:notify] ${line}`);
const titleOf = (n: PublishedNotification) =>
  /→ (.*)$/m.exec(JSON.parse(n.Message).content.description as string)?.[1]?.trim();

async function main() {
  const startedAt = Date.now();
  const loadAtStart = loadAverageNow();
  log('starting DynamoDB Local and the local runtime (in memory)...');
  const dynamodb = await startDynamoDbLocal({});
  const runtime = await startLocalRuntime({
    port: 0,
    accountId: ACCOUNT,
    region: REGION,
    tableName: 'bench-notify',
    dynamodbEndpoint: dynamodb.endpoint,
    slack: BENCH_SLACK,
  });
  const client = new SSMIncidentsClient({
    endpoint: runtime.url,
    region: REGION,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    await client.send(
      new CreateResponsePlanCommand({
        name: 'bench',
        incidentTemplate: { title: 'Bench incident', impact: 3, notificationTargets: [{ snsTopicArn: TOPICS[0]! }] },
        chatChannel: { chatbotSns: [TOPICS[1]!] },
      }),
    );
    const planArn = `arn:aws:ssm-incidents::${ACCOUNT}:response-plan/bench`;
    const open = async () =>
      (await client.send(new StartIncidentCommand({ responsePlanArn: planArn }))).incidentRecordArn!;

    // ---- 1. latency -------------------------------------------------------------------------------------------
    const arrivals = new Map<string, number>();
    const waiters = new Map<string, (at: number) => void>();
    const unsubscribe = runtime.notifications.onPublish((n) => {
      const title = titleOf(n);
      if (!title || n.TopicArn !== TOPICS[0]) return;
      const at = performance.now();
      arrivals.set(title, at);
      waiters.get(title)?.(at);
    });
    const arrivalOf = (title: string) =>
      new Promise<number>((resolve, reject) => {
        const known = arrivals.get(title);
        if (known !== undefined) return resolve(known);
        const timer = setTimeout(() => reject(new Error(`no notification for ${title}`)), 30_000);
        waiters.set(title, (at) => {
          clearTimeout(timer);
          waiters.delete(title);
          resolve(at);
        });
      });
    const arn = await open();
    await runtime.changes.caughtUp();
    const fromCommit: number[] = [];
    const fromCall: number[] = [];
    log(`latency: ${settings.warmup} warm-up + ${settings.samples} samples...`);
    // Progress ticks once a sample's notification arrived, outside the timed span.
    const latencyProgress = startProgress('latency', { total: settings.warmup + settings.samples });
    for (let i = 0; i < settings.warmup + settings.samples; i++) {
      const title = `latency sample ${i}`;
      const callAt = performance.now();
      await client.send(new UpdateIncidentRecordCommand({ arn, title }));
      const committedAt = performance.now();
      const at = await arrivalOf(title);
      if (i >= settings.warmup) {
        fromCommit.push(at - committedAt);
        fromCall.push(at - callAt);
      }
      latencyProgress.tick();
    }
    latencyProgress.finish();
    unsubscribe();

    // ---- 2. burst ---------------------------------------------------------------------------------------------
    const { burstIncidents, burstUpdatesPerIncident } = settings;
    const total = burstIncidents * burstUpdatesPerIncident;
    log(`burst: ${total} updates over ${burstIncidents} incidents...`);
    const incidents: string[] = [];
    for (let i = 0; i < burstIncidents; i++) incidents.push(await open());
    await runtime.changes.caughtUp();
    const before = runtime.notifications.notifications().length;
    const commitAt = new Map<string, number>();
    const publishAt = new Map<string, number>();
    const stopListening = runtime.notifications.onPublish((n) => {
      const title = titleOf(n);
      if (title?.startsWith('burst ') && n.TopicArn === TOPICS[0]) publishAt.set(title, performance.now());
    });
    // Counts commits; a line (at most every 2 s) is one synchronous write to stderr after a commit time is taken.
    const burstProgress = startProgress('burst updates', { total });
    const burstStart = performance.now();
    // Each incident's updates are sequential (their commit order is known); incidents run side by side.
    const queue = incidents.map((incidentArn, index) => ({ incidentArn, index, next: 1 }));
    const worker = async () => {
      for (;;) {
        const item = queue.find((q) => q.next <= burstUpdatesPerIncident && !(q as { busy?: boolean }).busy);
        if (!item) return;
        (item as { busy?: boolean }).busy = true;
        const title = `burst ${item.index} ${item.next}`;
        await client.send(new UpdateIncidentRecordCommand({ arn: item.incidentArn, title }));
        commitAt.set(title, performance.now());
        burstProgress.tick();
        item.next++;
        (item as { busy?: boolean }).busy = false;
      }
    };
    await Promise.all(Array.from({ length: settings.inFlight }, worker));
    const lastCommit = performance.now();
    burstProgress.finish();
    await runtime.changes.caughtUp(120_000);
    const drained = performance.now();
    stopListening();

    const burst = runtime.notifications.notifications().slice(before);
    const problems: string[] = [];
    for (const topic of TOPICS) {
      incidents.forEach((incidentArn, index) => {
        const id = incidentArn.slice(incidentArn.lastIndexOf('/') + 1);
        const sequence = burst
          .filter((n) => n.TopicArn === topic && JSON.parse(n.Message).metadata.threadId === `incident-${id}`)
          .map((n) => Number(titleOf(n)?.split(' ')[2]));
        const expected = Array.from({ length: burstUpdatesPerIncident }, (_, k) => k + 1);
        if (JSON.stringify(sequence) !== JSON.stringify(expected))
          problems.push(`incident ${index} on ${topic}: got ${sequence.join(',')}`);
      });
    }
    const burstLatency = [...commitAt].map(([title, at]) => (publishAt.get(title) ?? Number.NaN) - at);

    // ---- 3. one representative incident, counted --------------------------------------------------------------
    const eventsBefore = runtime.events.events().length;
    const notesBefore = runtime.notifications.notifications().length;
    const lifecycle = await open();
    await client.send(new UpdateIncidentRecordCommand({ arn: lifecycle, impact: 1 }));
    await client.send(new UpdateIncidentRecordCommand({ arn: lifecycle, summary: 'Card payments fail since 14:00' }));
    await client.send(
      new CreateTimelineEventCommand({
        incidentRecordArn: lifecycle,
        eventTime: new Date(),
        eventType: 'Custom Event',
        eventData: 'Rolled back',
      }),
    );
    await client.send(new UpdateIncidentRecordCommand({ arn: lifecycle, status: 'RESOLVED' }));
    await runtime.changes.caughtUp();
    const lifecycleEvents = runtime.events.events().length - eventsBefore;
    const lifecycleNotifications = runtime.notifications.notifications().length - notesBefore;

    // ---- 4. the Slack slash command ---------------------------------------------------------------------------
    log(`slack: ${settings.slackSamples} samples per command...`);
    const slackIncident = await open();
    const slack = await measureSlackCommands(
      runtime.chatUrl,
      slackIncident.split('/').at(-1)!.slice(0, SHORT_ID_LENGTH),
      settings.slackSamples,
      () => runtime.chatSettled(),
    );

    const results = {
      date: new Date().toISOString(),
      machine: describeMachine(),
      loadAverage: { atStart: loadAtStart, atEnd: loadAverageNow() },
      settings,
      latency: { fromCommit: summarize(fromCommit), fromCall: summarize(fromCall) },
      burst: {
        updates: total,
        notificationsPerTopic: TOPICS.map((t) => burst.filter((n) => n.TopicArn === t).length),
        allOnceInOrder: problems.length === 0,
        problems: problems.slice(0, 10),
        commitSeconds: round((lastCommit - burstStart) / 1000),
        drainedSeconds: round((drained - burstStart) / 1000),
        latency: summarize(burstLatency),
      },
      lifecycle: {
        changes: '1 open, impact, summary, note, resolve',
        streamRecordsWithEvents: lifecycleEvents,
        notificationsPerTopic: lifecycleNotifications / TOPICS.length,
      },
      slack,
      totalSeconds: round((Date.now() - startedAt) / 1000),
    };
    mkdirSync(dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);

    const row = (name: string, s: ReturnType<typeof summarize>) =>
      `| ${name} | ${s.p50} | ${s.p99} | ${s.mean} | ${s.min} | ${s.max} |`;
    console.log(`Notifications benchmark, ${results.date} (load ${loadAtStart} → ${results.loadAverage.atEnd})`);
    console.log('| measure | p50 | p99 | mean | min | max |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    console.log(
      row(
        `change committed → notification in the outbox (ms, ${fromCommit.length} samples)`,
        results.latency.fromCommit,
      ),
    );
    console.log(row('UpdateIncidentRecord call start → notification (ms)', results.latency.fromCall));
    console.log(row(`burst: commit → notification (ms, ${total} updates)`, results.burst.latency));
    console.log(
      `burst: ${total} updates committed in ${results.burst.commitSeconds} s, all notified after ${results.burst.drainedSeconds} s; ` +
        `notifications per topic ${results.burst.notificationsPerTopic.join(' / ')}; ` +
        `every update once and in order per incident: ${results.burst.allOnceInOrder ? 'PASS' : 'FAIL'}`,
    );
    for (const problem of results.burst.problems) console.log(`  ${problem}`);
    console.log(
      `one incident (open, impact, summary, note, resolve): ${lifecycleEvents} integration events, ` +
        `${results.lifecycle.notificationsPerTopic} notifications per topic`,
    );
    for (const [command, s] of Object.entries(slack))
      console.log(
        `${row(`/incident ${command}: request → Slack reply (ms, ${settings.slackSamples} samples)`, s)} over ${SLACK_REPLY_LIMIT_MS / 1000} s: ${s.overLimit}, failed: ${s.failed}`,
      );
    console.log(`results: ${RESULTS_FILE} (${results.totalSeconds} s)`);
    if (!results.burst.allOnceInOrder) process.exitCode = 1;
  } finally {
    client.destroy();
    await runtime.stop();
    await dynamodb.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
