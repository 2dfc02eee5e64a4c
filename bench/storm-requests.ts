/**
 * For the alarm-storm benchmark: counts every DynamoDB request the trigger intake sends, as it reaches the wire
 * (an SDK middleware in the `deserialize` step, inside the SDK's retry loop, so a retried attempt counts too), and
 * sorts each one by what it does, read from its own input:
 *
 * - `read-plan`: a read of the response plan (GetItem of its PLAN# item);
 * - `read-other`: any other read (GetItem, Query, Scan, BatchGetItem, TransactGetItems), e.g. of a dedupe guard;
 * - `open`: the TransactWriteItems that tries to open an incident (it puts an Incident item and claims the guard);
 * - `known-incident`: the dedupe fast path, a TransactWriteItems checking the dedupe guard and adding the event;
 * - `record-on-open`: the fallback that records a trigger on the open incident after `open` failed on the guard;
 * - `other-write`: any other write.
 *
 * and by result: succeeded, or failed (a cancelled transaction, a failed condition, a throttle).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export const READ_COMMANDS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

export type RequestKind = 'read-plan' | 'read-other' | 'open' | 'known-incident' | 'record-on-open' | 'other-write';

export interface RequestMix {
  /** Requests by command: { TransactWriteItems: 9900, GetItem: 1 }. */
  byCommand: Record<string, number>;
  /** Requests by what they do, split into succeeded / failed. */
  byKind: Record<string, { succeeded: number; failed: number }>;
  total: number;
  reads: number;
  writes: number;
  failed: number;
}

type AttributeValue = { S?: string };
type Marshalled = Record<string, AttributeValue>;
interface TransactItem {
  Put?: { Item?: Marshalled };
  ConditionCheck?: { Key?: Marshalled; ConditionExpression?: string };
}

/** What a TransactWriteItems request does, from its items (marshalled AttributeValues at this step). */
export function kindOfTransaction(items: TransactItem[]): RequestKind {
  if (items.some((item) => item.Put?.Item?.entityType?.S === 'Incident')) return 'open';
  const check = items.find((item) => item.ConditionCheck)?.ConditionCheck;
  if (check?.Key?.sk?.S === 'DEDUPE') return 'known-incident';
  if (check?.Key?.sk?.S === 'INC' && check.ConditionExpression?.includes('#status')) return 'record-on-open';
  return 'other-write';
}

export class StormRequestCounter {
  private byCommand = new Map<string, number>();
  private byKind = new Map<RequestKind, { succeeded: number; failed: number }>();

  /** Pass (with any other instrumentation) as `startLocalRuntime({ instrumentClient })`. */
  readonly instrument = (client: DynamoDBClient): void => {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        const input = args.input as { TransactItems?: TransactItem[]; Key?: Marshalled };
        const kind: RequestKind = READ_COMMANDS.has(command)
          ? input.Key?.pk?.S?.startsWith('PLAN#')
            ? 'read-plan'
            : 'read-other'
          : command === 'TransactWriteItems'
            ? kindOfTransaction(input.TransactItems ?? [])
            : 'other-write';
        this.byCommand.set(command, (this.byCommand.get(command) ?? 0) + 1);
        const tally = this.byKind.get(kind) ?? { succeeded: 0, failed: 0 };
        this.byKind.set(kind, tally);
        try {
          const result = await next(args);
          tally.succeeded++;
          return result;
        } catch (error) {
          tally.failed++;
          throw error;
        }
      },
      // High priority: outside the deserializer (so a failed request arrives here as the error it is), inside the
      // retry loop (so every attempt is counted).
      { step: 'deserialize', priority: 'high', name: 'stormRequestCounter' },
    );
  };

  reset(): void {
    this.byCommand.clear();
    this.byKind.clear();
  }

  snapshot(): RequestMix {
    const byCommand = Object.fromEntries([...this.byCommand].sort(([a], [b]) => a.localeCompare(b)));
    const byKind = Object.fromEntries(
      [...this.byKind].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, { ...v }]),
    );
    const total = [...this.byCommand.values()].reduce((sum, n) => sum + n, 0);
    const reads = [...this.byCommand].filter(([name]) => READ_COMMANDS.has(name)).reduce((sum, [, n]) => sum + n, 0);
    const failed = [...this.byKind.values()].reduce((sum, v) => sum + v.failed, 0);
    return { byCommand, byKind, total, reads, writes: total - reads, failed };
  }
}

/** The difference of two snapshots: what happened between them. */
export function mixBetween(before: RequestMix, after: RequestMix): RequestMix {
  const diff = (a: Record<string, number>, b: Record<string, number>) =>
    Object.fromEntries(
      Object.keys(b)
        .map((key) => [key, (b[key] ?? 0) - (a[key] ?? 0)] as const)
        .filter(([, n]) => n !== 0),
    );
  const byKind: RequestMix['byKind'] = {};
  for (const [kind, tally] of Object.entries(after.byKind)) {
    const earlier = before.byKind[kind] ?? { succeeded: 0, failed: 0 };
    const delta = { succeeded: tally.succeeded - earlier.succeeded, failed: tally.failed - earlier.failed };
    if (delta.succeeded || delta.failed) byKind[kind] = delta;
  }
  return {
    byCommand: diff(before.byCommand, after.byCommand),
    byKind,
    total: after.total - before.total,
    reads: after.reads - before.reads,
    writes: after.writes - before.writes,
    failed: after.failed - before.failed,
  };
}
