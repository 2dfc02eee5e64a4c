/**
 * Counts the DynamoDB requests the handler makes, by command name, with an SDK middleware on the handler's own
 * client (handed over by `startLocalRuntime({ instrumentClient })`). It also asks for ReturnConsumedCapacity=TOTAL
 * so the figures include the capacity units DynamoDB (Local) charges; the handler never reads that field.
 */
import { performance } from 'node:perf_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { streamDelivery } from '#local/change-stream.ts';

/** Commands that accept ReturnConsumedCapacity. */
const CAPACITY_REPORTING_COMMANDS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
]);

export interface RequestTally {
  /** Requests by command name, e.g. { GetItem: 1, TransactWriteItems: 1 }. */
  byCommand: Record<string, number>;
  total: number;
  /** Wall time spent waiting for DynamoDB (SDK + loopback + DynamoDB Local), so the rest is the handler's own. */
  dynamodbMs: number;
  dynamodbMsByCommand: Record<string, number>;
  /** Sum of ConsumedCapacity.CapacityUnits; undefined when DynamoDB Local reported none. */
  capacityUnits?: number;
}

type Capacity = { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;

const capacityUnitsOf = (consumed: Capacity): number | undefined => {
  if (consumed === undefined) return undefined;
  const list = Array.isArray(consumed) ? consumed : [consumed];
  return list.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
};

/** Requests, time and capacity by command, for one kind of work. */
class Tallying {
  readonly byCommand = new Map<string, number>();
  capacityUnits: number | undefined;
  readonly msByCommand = new Map<string, number>();

  count(command: string): void {
    this.byCommand.set(command, (this.byCommand.get(command) ?? 0) + 1);
  }

  addTime(command: string, ms: number): void {
    this.msByCommand.set(command, (this.msByCommand.get(command) ?? 0) + ms);
  }

  addCapacity(consumed: Capacity): void {
    const units = capacityUnitsOf(consumed);
    if (units !== undefined) this.capacityUnits = (this.capacityUnits ?? 0) + units;
  }

  reset(): void {
    this.byCommand.clear();
    this.capacityUnits = undefined;
    this.msByCommand.clear();
  }

  tally(): RequestTally {
    const byCommand = Object.fromEntries([...this.byCommand].sort(([a], [b]) => a.localeCompare(b)));
    const total = [...this.byCommand.values()].reduce((sum, count) => sum + count, 0);
    const dynamodbMs = [...this.msByCommand.values()].reduce((sum, ms) => sum + ms, 0);
    const dynamodbMsByCommand = Object.fromEntries(this.msByCommand);
    const capacity = this.capacityUnits !== undefined ? { capacityUnits: this.capacityUnits } : {};
    return { byCommand, total, dynamodbMs, dynamodbMsByCommand, ...capacity };
  }
}

/**
 * Counts apart the requests of the API calls and those of the reactions to their changes (the stream consumers:
 * separate functions in AWS, which run after the call answered and are billed on their own).
 */
export class DynamoDbRequestCounter {
  private readonly calls = new Tallying();
  private readonly reactions = new Tallying();
  private inFlight = 0;
  private lastActivity = 0;

  /** Pass as `instrumentClient`; the handler's DocumentClient shares this client's middleware stack. */
  readonly instrument = (client: DynamoDBClient): void => {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        const into = streamDelivery.getStore() === undefined ? this.calls : this.reactions;
        into.count(command);
        const input = args.input as { ReturnConsumedCapacity?: string };
        if (CAPACITY_REPORTING_COMMANDS.has(command)) input.ReturnConsumedCapacity ??= 'TOTAL';
        const started = performance.now();
        this.inFlight++;
        this.lastActivity = started;
        const result = await next(args).finally(() => {
          this.inFlight--;
          this.lastActivity = performance.now();
          into.addTime(command, this.lastActivity - started);
        });
        into.addCapacity((result.output as { ConsumedCapacity?: Capacity }).ConsumedCapacity);
        return result;
      },
      { step: 'initialize', name: 'benchDynamoDbRequestCounter' },
    );
  };

  /**
   * Resolves once no request has been in flight for `quietMs`: background work (a paging workflow's step) has
   * settled, so the next API call's requests are counted alone.
   */
  async quiet(quietMs = 150, timeoutMs = 30_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const idleFor = performance.now() - this.lastActivity;
      if (this.inFlight === 0 && idleFor >= quietMs) return;
      if (performance.now() > deadline) throw new Error('DynamoDB requests never settled');
      await new Promise((resolve) => setTimeout(resolve, Math.max(10, quietMs - idleFor)));
    }
  }

  reset(): void {
    this.calls.reset();
    this.reactions.reset();
  }

  /** The API calls' own requests since the last reset. */
  tally(): RequestTally {
    return this.calls.tally();
  }

  /** The stream consumers' requests since the last reset. */
  reactionTally(): RequestTally {
    return this.reactions.tally();
  }
}

/** A tally over `calls` API calls, as figures per call. */
export function perCall(tally: RequestTally, calls: number): RequestTally {
  const divide = (value: number) => Math.round((value / calls) * 100) / 100;
  return {
    byCommand: Object.fromEntries(Object.entries(tally.byCommand).map(([name, count]) => [name, divide(count)])),
    total: divide(tally.total),
    dynamodbMs: divide(tally.dynamodbMs),
    dynamodbMsByCommand: Object.fromEntries(
      Object.entries(tally.dynamodbMsByCommand).map(([name, ms]) => [name, divide(ms)]),
    ),
    ...(tally.capacityUnits !== undefined ? { capacityUnits: divide(tally.capacityUnits) } : {}),
  };
}
