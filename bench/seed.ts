/**
 * Seeds incident records straight into the table with BatchWriteItem, built with the adapter's own
 * `incidentItem()` (the exact item layout StartIncident writes), so 20,000 incidents take seconds instead of the
 * minutes 20,000 StartIncident transactions would. Only the incident items are written: their timeline events live
 * in each incident's own partition and never appear in the list indexes that ListIncidentRecords queries.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { incidentItem } from '#adapters/dynamodb/incidents.ts';
import { incidentRecordArn } from '#core/incidents/arns.ts';
import type { IncidentRecord } from '#core/incidents/ports.ts';
import type { ServiceContext } from '#core/shared/service-context.ts';
import { startProgress } from '#local/progress.ts';

/**
 * The shape of the seeded data: most incidents resolved, impacts 1-5 equally likely, a year of history. One in five
 * open keeps more than a full page of open incidents even at 1,000, so "status OPEN" pages are full at both sizes.
 */
export interface SeedProfile {
  openShare: number;
  impacts: readonly number[];
  historyMs: number;
  responsePlanName: string;
  /** Who creates incidents, with their shares (summing to 1): the trigger intake's role creates most. */
  creators: readonly { arn: string; share: number }[];
}

export const DEFAULT_SEED_PROFILE: SeedProfile = {
  openShare: 0.2,
  impacts: [1, 2, 3, 4, 5],
  historyMs: 365 * 24 * 3600 * 1000,
  responsePlanName: 'bench-plan',
  creators: [
    { arn: 'arn:aws:iam::111122223333:role/incident-manager-trigger-intake', share: 0.9 },
    { arn: 'arn:aws:iam::111122223333:user/alice', share: 0.08 },
    { arn: 'arn:aws:iam::111122223333:user/bob', share: 0.02 },
  ],
};

/** The creator a draw in [0, 1) picks. */
const creatorOf = (profile: SeedProfile, draw: number): string => {
  let cumulative = 0;
  for (const creator of profile.creators) {
    cumulative += creator.share;
    if (draw < cumulative) return creator.arn;
  }
  return profile.creators[profile.creators.length - 1]!.arn;
};

const BATCH_SIZE = 25; // BatchWriteItem's limit
const CONCURRENT_BATCHES = 8;
const MAX_UNPROCESSED_RETRIES = 10;

/** A small seeded PRNG (mulberry32): the same seed gives the same data set on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An incident as StartIncident (and, when resolved, UpdateIncidentRecord) would have stored it. */
export function seededIncident(
  service: ServiceContext,
  profile: SeedProfile,
  random: () => number,
  now: number,
  index: number,
): { record: IncidentRecord; version: number } {
  // UUID-shaped like newId(), and deterministic so reruns write the same keys.
  const id = `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
  const creationTime = Math.floor(now - random() * profile.historyMs);
  const open = random() < profile.openShare;
  const impact = profile.impacts[Math.floor(random() * profile.impacts.length)] ?? 3;
  const resolvedTime = open ? undefined : creationTime + Math.floor(random() * 48 * 3600 * 1000);
  const createdBy = creatorOf(profile, random());
  const record: IncidentRecord = {
    arn: incidentRecordArn(service, profile.responsePlanName, id),
    id,
    responsePlanName: profile.responsePlanName,
    title: `Seeded incident ${index}`,
    status: open ? 'OPEN' : 'RESOLVED',
    impact,
    creationTime,
    lastModifiedTime: resolvedTime ?? creationTime,
    lastModifiedBy: createdBy,
    ...(resolvedTime !== undefined ? { resolvedTime } : {}),
    incidentRecordSource: { createdBy, source: 'aws.ssm-incidents.custom' },
    dedupeString: `seed-${index}`,
    automationExecutions: [],
    notificationTargets: [],
    tags: {},
  };
  // A resolved incident went through one UpdateIncidentRecord, which bumps the optimistic version.
  return { record, version: open ? 1 : 2 };
}

/** Writes incidents number `from` to `to - 1` of the seeded data set. */
export async function seedIncidents(
  doc: DynamoDBDocumentClient,
  tableName: string,
  service: ServiceContext,
  range: { from: number; to: number },
  profile: SeedProfile = DEFAULT_SEED_PROFILE,
): Promise<void> {
  const random = seededRandom(range.from + 1);
  const now = Date.now();
  const items = [];
  for (let index = range.from; index < range.to; index++) {
    const { record, version } = seededIncident(service, profile, random, now, index);
    items.push(incidentItem(record, version));
  }
  const batches = chunk(items, BATCH_SIZE);
  const progress = startProgress(`seeding ${items.length} incidents`, { total: items.length });
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++] ?? [];
      await writeBatch(doc, tableName, batch);
      progress.tick(batch.length);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_BATCHES }, worker));
  progress.finish();
}

async function writeBatch(doc: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[]) {
  let requests = items.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 0; requests.length > 0; attempt++) {
    if (attempt > MAX_UNPROCESSED_RETRIES) throw new Error(`BatchWriteItem left ${requests.length} items unprocessed`);
    const { UnprocessedItems } = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
    requests = (UnprocessedItems?.[tableName] ?? []) as typeof requests;
  }
}

const chunk = <T>(list: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));
