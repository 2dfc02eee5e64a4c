/**
 * Phase 3 (post-incident analysis): what CreateAnalysis costs for a big incident, and whether listing open action
 * items stays flat as analyses pile up. Calls go through the typed analysis client (lib/client), signed like a
 * script's, against the real handler on the local runtime; DynamoDB requests are counted on the handler's client.
 *
 * 1. CreateAnalysis for incidents with 1,000 timeline events and 50 pages each (one escalation plan engaging 5
 *    people, paged 10 times each): latency, DynamoDB requests by command, capacity units; Scan must be 0.
 * 2. ListActionItems (status OPEN, first page of 100) with 50 analyses stored vs 1,000 (each analysis holds 2 open,
 *    1 in-progress and 1 done item, so both first pages are full): the large/small ratio must stay <= 1.5.
 */
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { actionItemItem } from '#adapters/dynamodb/action-items.ts';
import { analysisItem } from '#adapters/dynamodb/analyses.ts';
import { engagementItem, pageItem } from '#adapters/dynamodb/engagements.ts';
import { incidentItem } from '#adapters/dynamodb/incidents.ts';
import { timelineEventItem } from '#adapters/dynamodb/timeline-items.ts';
import { actionItemArn, analysisArn } from '#core/analysis/arns.ts';
import type { ActionItemRecord, ActionItemStatus, AnalysisRecord } from '#core/analysis/ports.ts';
import type { EngagementRecord, PageRecord } from '#core/contacts/engagements/model.ts';
import { incidentRecordArn } from '#core/incidents/arns.ts';
import { EVENT_TYPES, recordUpdateEvent, startEvent, triggerEvent } from '#core/incidents/automatic-events.ts';
import type { IncidentRecord, TimelineEventRecord } from '#core/incidents/ports.ts';
import { startProgress } from '#local/progress.ts';
import { AnalysisClient } from '../lib/client/index.ts';
import {
  BENCH_ACCOUNT,
  BENCH_REGION,
  BENCH_SERVICE,
  type BenchRuntime,
  onOwnDynamoDbLocal,
  startBenchRuntime,
} from './bench-runtime.ts';
import { FLATNESS_TARGET } from './list-scaling.ts';
import { type Measurement, type MeasureOptions, measure, measureInterleaved } from './measure.ts';
import { round } from './stats.ts';

export interface AnalysisBenchSettings {
  create: MeasureOptions;
  list: MeasureOptions;
  timelineEvents: number;
  pages: number;
  analysisCounts: [number, number];
}

export interface AnalysisResults {
  createAnalysis: Measurement & { timelineEvents: number; pages: number; seedSeconds: number };
  listOpenActionItems: {
    byAnalyses: Record<number, Measurement & { itemsReturned: number }>;
    ratio: { p50: number; p99: number; dynamodbRequests: number };
    scanRequests: number;
    target: number;
    verdict: 'PASS' | 'FAIL';
  };
}

const PLAN = 'bench-analysis';
const WHO = `arn:aws:iam::${BENCH_ACCOUNT}:user/bench-seeder`;
const contactArn = (alias: string) => `arn:aws:ssm-contacts:${BENCH_REGION}:${BENCH_ACCOUNT}:contact/${alias}`;

async function batchPut(seeder: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[]) {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      let pending = (chunks[next++] ?? []).map((Item) => ({ PutRequest: { Item } }));
      while (pending.length) {
        const out = await seeder.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        pending = (out.UnprocessedItems?.[tableName] ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/**
 * A resolved incident as the API would have stored it: trigger and start events, `events - 3` notes, an impact
 * change and the resolution; one escalation engagement with 5 people, each paged `pages / 5` times.
 */
function bigIncident(index: number, events: number, pages: number, now: number) {
  const id = `00000000-0000-4000-9000-${String(index).padStart(12, '0')}`;
  const arn = incidentRecordArn(BENCH_SERVICE, PLAN, id);
  const creationTime = now - 6 * 3600_000;
  const incident: IncidentRecord = {
    arn,
    id,
    responsePlanName: PLAN,
    title: `Checkout is failing (${index})`,
    status: 'RESOLVED',
    impact: 5,
    creationTime,
    lastModifiedTime: now - 60_000,
    lastModifiedBy: WHO,
    resolvedTime: now - 60_000,
    incidentRecordSource: { createdBy: WHO, source: 'aws.ssm-incidents.custom' },
    dedupeString: id,
    automationExecutions: [],
    notificationTargets: [],
    tags: {},
  };
  const timeline: TimelineEventRecord[] = [
    triggerEvent(arn, undefined, true, creationTime),
    startEvent({ ...incident, impact: 2 }, [contactArn('checkout-escalation')], {}, undefined, creationTime),
  ];
  for (let i = 0; timeline.length < events - 2; i++) {
    const at = creationTime + (i + 1) * 15_000;
    timeline.push({
      incidentRecordArn: arn,
      eventId: randomUUID(),
      eventTime: at,
      eventUpdatedTime: at,
      eventType: EVENT_TYPES.note,
      eventData: `Note ${i}: checked dashboards, error rate ${(i % 17) + 3}% on the checkout service, rollback under way.`,
      eventReferences: [{ resource: arn }],
    });
  }
  timeline.push(recordUpdateEvent(incident, WHO, [{ attributeName: 'impact', newValue: '5' }], now - 120_000));
  timeline.push(recordUpdateEvent(incident, WHO, [{ attributeName: 'status', newValue: 'RESOLVED' }], now - 60_000));

  const rootId = randomUUID();
  const base = { sender: 'Incident Manager', subject: incident.title, content: incident.title, incidentId: arn };
  const root: EngagementRecord = {
    ...base,
    arn: `${contactArn('checkout-escalation').replace(':contact/', ':engagement/')}/${rootId}`,
    engagementId: rootId,
    contactArn: contactArn('checkout-escalation'),
    contactAlias: 'checkout-escalation',
    contactType: 'ESCALATION',
    status: 'ACKNOWLEDGED',
    startTime: creationTime + 1000,
    stopTime: creationTime + 600_000,
    stages: [{ durationInMinutes: 5, targets: [] }],
    nextStage: 1,
    minuteMs: 60_000,
    rootEngagementId: rootId,
    resolution: [],
    children: [],
  };
  const people = Array.from({ length: 5 }, (_, p) => {
    const engagementId = randomUUID();
    const alias = `responder-${p}`;
    const child: EngagementRecord = {
      ...root,
      arn: `${contactArn(alias).replace(':contact/', ':engagement/')}/${engagementId}`,
      engagementId,
      contactArn: contactArn(alias),
      contactAlias: alias,
      contactType: 'PERSONAL',
      parentEngagementId: rootId,
      essential: true,
    };
    root.children?.push({ engagementId, alias, stageIndex: 0 });
    return child;
  });
  const pageRecords: PageRecord[] = Array.from({ length: pages }, (_, n) => {
    const child = people[n % people.length] as EngagementRecord;
    const pageId = randomUUID();
    const created = creationTime + 2000 + n * 60_000;
    return {
      ...base,
      arn: `${child.contactArn.replace(':contact/', ':page/')}/${pageId}`,
      pageId,
      engagementId: child.engagementId,
      engagementArn: child.arn,
      rootEngagementId: rootId,
      contactArn: child.contactArn,
      contactAlias: child.contactAlias,
      contactChannelArn: `${child.contactArn.replace(':contact/', ':contact-channel/')}/${randomUUID()}`,
      channelType: 'EMAIL',
      address: `${child.contactAlias}@example.com`,
      stageIndex: 0,
      targetIndex: 0,
      resolution: [],
      createdTime: created,
      sentTime: created + 200,
      ...(n === 7 ? { readTime: created + 90_000 } : {}),
      attempts: 1,
      acceptCodeHashes: [],
      deliveryState: 'SENT',
    };
  });
  return {
    arn,
    items: [
      incidentItem(incident, 3),
      ...timeline.map((e) => timelineEventItem(id, e)),
      engagementItem(root),
      ...people.map(engagementItem),
      ...pageRecords.map(pageItem),
    ],
  };
}

function seededAnalysis(index: number, now: number) {
  const analysisId = `00000000-0000-4000-a000-${String(index).padStart(12, '0')}`;
  const incidentId = `00000000-0000-4000-b000-${String(index).padStart(12, '0')}`;
  const arn = analysisArn(BENCH_SERVICE, analysisId);
  const createdTime = now - index * 3600_000;
  const analysis = {
    arn,
    analysisId,
    title: `Analysis ${index}`,
    status: 'PUBLISHED',
    incidentRecordArn: incidentRecordArn(BENCH_SERVICE, PLAN, incidentId),
    incidentId,
    template: { name: 'AWSIncidents-PostIncidentAnalysisTemplate', templateVersion: 1 },
    sectionIds: [],
    incident: { title: `Incident ${index}` },
    keyFigures: {},
    metrics: [],
    engagements: [],
    tags: {},
    createdTime,
    createdBy: WHO,
    lastModifiedTime: createdTime,
    lastModifiedBy: WHO,
  } as unknown as AnalysisRecord;
  const statuses: ActionItemStatus[] = ['OPEN', 'OPEN', 'IN_PROGRESS', 'DONE'];
  const items = statuses.map((status, n) => {
    const itemId = randomUUID();
    const item: ActionItemRecord = {
      arn: actionItemArn(BENCH_SERVICE, analysisId, itemId),
      actionItemId: itemId,
      analysisArn: arn,
      analysisId,
      incidentRecordArn: analysis.incidentRecordArn,
      title: `Action ${index}.${n}`,
      owner: contactArn(`owner-${index % 20}`),
      priority: 'MEDIUM',
      ...(n === 0 ? { dueDate: now + ((index * 7919) % 90) * 86_400_000 } : {}),
      status,
      createdTime: createdTime + n,
      createdBy: WHO,
      lastModifiedTime: createdTime + n,
      lastModifiedBy: WHO,
    };
    return actionItemItem(item, 1);
  });
  return [analysisItem(analysis, 1), ...items];
}

const clientOf = (bench: BenchRuntime) =>
  new AnalysisClient({
    endpoint: bench.runtime.url,
    region: BENCH_REGION,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'local' },
    maxAttempts: 1,
  });

/**
 * Each part runs on a DynamoDB Local of its own (onOwnDynamoDbLocal says why): the ~47,000 changes the CreateAnalysis
 * part writes made every stream read of the action-item tables created after them slow enough that the runtimes'
 * stream polling slowed ListActionItems about 5 times.
 */
export async function benchmarkAnalysis(
  settings: AnalysisBenchSettings,
  log: (line: string) => void,
): Promise<AnalysisResults> {
  const now = Date.now();
  const createAnalysis = await onOwnDynamoDbLocal('analysis, CreateAnalysis', log, (endpoint) =>
    benchmarkCreateAnalysis(endpoint, settings, now, log),
  );
  const listOpenActionItems = await onOwnDynamoDbLocal('analysis, action items', log, (endpoint) =>
    benchmarkOpenActionItems(endpoint, settings, now, log),
  );
  return { createAnalysis, listOpenActionItems };
}

/** 1. CreateAnalysis of a big incident. */
async function benchmarkCreateAnalysis(
  dynamodbEndpoint: string,
  settings: AnalysisBenchSettings,
  now: number,
  log: (line: string) => void,
): Promise<AnalysisResults['createAnalysis']> {
  const creating = await startBenchRuntime(dynamodbEndpoint, 'bench-analysis-create');
  try {
    const started = Date.now();
    const count = settings.create.warmup + settings.create.samples;
    const incidents: string[] = [];
    const seeding = startProgress(`seeding ${count} big incidents`, { total: count });
    for (let i = 0; i < count; i++) {
      const { arn, items } = bigIncident(i, settings.timelineEvents, settings.pages, now);
      await batchPut(creating.seeder, creating.tableName, items);
      incidents.push(arn);
      seeding.tick();
    }
    seeding.finish();
    const seedSeconds = round((Date.now() - started) / 1000, 1);
    log(
      `seeded ${count} incidents of ${settings.timelineEvents} timeline events and ${settings.pages} pages in ${seedSeconds} s`,
    );
    const client = clientOf(creating);
    const measured = await measure(
      (i) => client.createAnalysis({ incidentRecordArn: incidents[i] as string }),
      creating.counter,
      { ...settings.create, label: 'CreateAnalysis' },
    );
    log('measured CreateAnalysis');
    return { ...measured, timelineEvents: settings.timelineEvents, pages: settings.pages, seedSeconds };
  } finally {
    await creating.stop();
  }
}

/** 2. Open action items, 50 vs 1,000 analyses. */
async function benchmarkOpenActionItems(
  dynamodbEndpoint: string,
  settings: AnalysisBenchSettings,
  now: number,
  log: (line: string) => void,
): Promise<AnalysisResults['listOpenActionItems']> {
  const runtimes: BenchRuntime[] = [];
  try {
    for (const size of settings.analysisCounts) {
      const bench = await startBenchRuntime(dynamodbEndpoint, `bench-analysis-list-${size}`);
      runtimes.push(bench);
      const items = Array.from({ length: size }, (_, i) => seededAnalysis(i, now)).flat();
      await batchPut(bench.seeder, bench.tableName, items);
      log(`seeded ${size} analyses with ${size * 4} action items`);
    }
    const returned: number[] = runtimes.map(() => 0);
    const measured = await measureInterleaved(
      runtimes.map((bench, r) => {
        const client = clientOf(bench);
        return {
          counter: bench.counter,
          call: async () => {
            const page = await client.listActionItems({ status: 'OPEN', maxResults: 100 });
            returned[r] = page.actionItems.length;
          },
        };
      }),
      { ...settings.list, label: 'ListActionItems OPEN' },
    );
    const [small, large] = settings.analysisCounts;
    const a = measured[0] as Measurement;
    const b = measured[1] as Measurement;
    const ratio = {
      p50: round(b.latencyMs.p50 / a.latencyMs.p50),
      p99: round(b.latencyMs.p99 / a.latencyMs.p99),
      dynamodbRequests: round(b.dynamodbPerCall.total / a.dynamodbPerCall.total),
    };
    const scanRequests = (a.dynamodbPerCall.byCommand.Scan ?? 0) + (b.dynamodbPerCall.byCommand.Scan ?? 0);
    const flat = ratio.p50 <= FLATNESS_TARGET && ratio.dynamodbRequests <= FLATNESS_TARGET && scanRequests === 0;
    log('measured ListActionItems');
    return {
      byAnalyses: {
        [small]: { ...a, itemsReturned: returned[0] ?? 0 },
        [large]: { ...b, itemsReturned: returned[1] ?? 0 },
      },
      ratio,
      scanRequests,
      target: FLATNESS_TARGET,
      verdict: flat ? 'PASS' : 'FAIL',
    };
  } finally {
    for (const bench of runtimes) await bench.stop();
  }
}
