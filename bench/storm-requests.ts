/**
 * For the alarm-storm benchmark: counts every DynamoDB request the trigger intake sends, as it reaches the wire
 * (an SDK middleware in the `deserialize` step, inside the SDK's retry loop, so a retried attempt counts too), and
 * sorts each one by what it does, read from its own input:
 *
 * - `read-plan`: a read of the response plan (GetItem of its PLAN# item);
 * - `read-guard`: the read of a dedupe guard that confirms a repeated trigger's incident still holds the key;
 * - `read-payload`: a read of an incident's trigger payload (once per execution environment and incident);
 * - `read-other`: any other read (GetItem, Query, Scan, BatchGetItem, TransactGetItems);
 * - `open`: the TransactWriteItems that tries to open an incident (it puts an Incident item and claims the guard);
 * - `record-on-open`: the fallback that records a trigger on the open incident after `open` failed on the guard;
 * - `trigger-token`: a repeated trigger's clientToken record (a conditional PutItem);
 * - `trigger-event`: a repeated trigger's event, index entry or new payload (conditional PutItems);
 * - `taken-back`: a delete taking a repeated trigger back (its incident was resolved meanwhile);
 * - `other-write`: any other write.
 *
 * and by result: succeeded, or failed (a failed condition, a cancelled transaction, a throttle). For each kind it
 * also sums the write units DynamoDB Local reports (ConsumedCapacity, when it reports any) and the units estimated
 * from the request by DynamoDB's rules (write-units.ts).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { estimateWriteUnits } from './write-units.ts';

export const READ_COMMANDS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

export type RequestKind =
  | 'read-plan'
  | 'read-guard'
  | 'read-payload'
  | 'read-other'
  | 'open'
  | 'record-on-open'
  | 'trigger-token'
  | 'trigger-event'
  | 'taken-back'
  | 'other-write';

export interface KindTally {
  succeeded: number;
  failed: number;
  /** Capacity units DynamoDB Local reported (reads: read units; writes: write units). */
  reportedUnits: number;
  /** Write units estimated from the requests (0 for reads). */
  estimatedWriteUnits: number;
}

export interface RequestMix {
  /** Requests by command: { PutItem: 29100, GetItem: 9701 }. */
  byCommand: Record<string, number>;
  /** Requests by what they do. */
  byKind: Record<string, KindTally>;
  total: number;
  reads: number;
  writes: number;
  failed: number;
  readUnits: number;
  writeUnits: number;
  estimatedWriteUnits: number;
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
  if (check?.Key?.sk?.S === 'INC' && check.ConditionExpression?.includes('#status')) return 'record-on-open';
  return 'other-write';
}

const kindOfRead = (key: Marshalled | undefined): RequestKind =>
  key?.pk?.S?.startsWith('PLAN#')
    ? 'read-plan'
    : key?.sk?.S === 'DEDUPE'
      ? 'read-guard'
      : key?.sk?.S?.startsWith('PAYLOAD#')
        ? 'read-payload'
        : 'read-other';

const kindOfPut = (item: Marshalled | undefined): RequestKind =>
  item?.pk?.S?.startsWith('TOKEN#')
    ? 'trigger-token'
    : /^(EVT#t|REF#|PAYLOAD#)/.test(item?.sk?.S ?? '')
      ? 'trigger-event'
      : 'other-write';

type Capacity = { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;
const unitsOf = (consumed: Capacity) =>
  (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);

export class StormRequestCounter {
  private byCommand = new Map<string, number>();
  private byKind = new Map<RequestKind, KindTally>();

  /** Pass (after the API benchmark's counter, which asks for ConsumedCapacity) as `instrumentClient`. */
  readonly instrument = (client: DynamoDBClient): void => {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        const input = args.input as { TransactItems?: TransactItem[]; Key?: Marshalled; Item?: Marshalled };
        const kind: RequestKind = READ_COMMANDS.has(command)
          ? kindOfRead(input.Key)
          : command === 'TransactWriteItems'
            ? kindOfTransaction(input.TransactItems ?? [])
            : command === 'PutItem'
              ? kindOfPut(input.Item)
              : command === 'DeleteItem'
                ? 'taken-back'
                : 'other-write';
        this.byCommand.set(command, (this.byCommand.get(command) ?? 0) + 1);
        const tally = this.byKind.get(kind) ?? { succeeded: 0, failed: 0, reportedUnits: 0, estimatedWriteUnits: 0 };
        this.byKind.set(kind, tally);
        // A failed write is charged too (DynamoDB charges a failed condition); DynamoDB Local reports nothing for it.
        tally.estimatedWriteUnits += estimateWriteUnits(command, input as never);
        try {
          const result = await next(args);
          tally.succeeded++;
          tally.reportedUnits += unitsOf((result.output as { ConsumedCapacity?: Capacity }).ConsumedCapacity);
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
    return summarizeMix(byCommand, byKind);
  }
}

const isReadKind = (kind: string) => kind.startsWith('read-');

function summarizeMix(byCommand: Record<string, number>, byKind: Record<string, KindTally>): RequestMix {
  const total = Object.values(byCommand).reduce((sum, n) => sum + n, 0);
  const reads = Object.entries(byCommand)
    .filter(([name]) => READ_COMMANDS.has(name))
    .reduce((sum, [, n]) => sum + n, 0);
  const kinds = Object.entries(byKind);
  const sum = (pick: (kind: string, tally: KindTally) => number) => kinds.reduce((s, [k, t]) => s + pick(k, t), 0);
  return {
    byCommand,
    byKind,
    total,
    reads,
    writes: total - reads,
    failed: sum((_, t) => t.failed),
    readUnits: sum((k, t) => (isReadKind(k) ? t.reportedUnits : 0)),
    writeUnits: sum((k, t) => (isReadKind(k) ? 0 : t.reportedUnits)),
    estimatedWriteUnits: sum((_, t) => t.estimatedWriteUnits),
  };
}

/** The difference of two snapshots: what happened between them. */
export function mixBetween(before: RequestMix, after: RequestMix): RequestMix {
  const byCommand = Object.fromEntries(
    Object.keys(after.byCommand)
      .map((key) => [key, (after.byCommand[key] ?? 0) - (before.byCommand[key] ?? 0)] as const)
      .filter(([, n]) => n !== 0),
  );
  const byKind: Record<string, KindTally> = {};
  for (const [kind, tally] of Object.entries(after.byKind)) {
    const earlier = before.byKind[kind] ?? { succeeded: 0, failed: 0, reportedUnits: 0, estimatedWriteUnits: 0 };
    const delta = {
      succeeded: tally.succeeded - earlier.succeeded,
      failed: tally.failed - earlier.failed,
      reportedUnits: tally.reportedUnits - earlier.reportedUnits,
      estimatedWriteUnits: tally.estimatedWriteUnits - earlier.estimatedWriteUnits,
    };
    if (delta.succeeded || delta.failed) byKind[kind] = delta;
  }
  return summarizeMix(byCommand, byKind);
}
