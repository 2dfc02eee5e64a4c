/**
 * The local stand-in for the EventBridge bus: each integration event is kept as EventBridge would deliver it to a
 * rule's target (version, id, detail-type, source, account, time, region, resources, detail), in memory and appended
 * to `<data dir>/events.jsonl`, which `npm run events` prints and follows.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { IntegrationEvent, IntegrationEventPublisher } from '#core/notifications/ports.ts';

const KEPT = 10_000;

/** An event as EventBridge delivers it to targets. */
export interface DeliveredEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export class LocalEventLog implements IntegrationEventPublisher {
  private readonly kept: DeliveredEvent[] = [];
  private fileReady: Promise<unknown> | undefined;

  constructor(private readonly options: { accountId: string; region: string; file?: string }) {}

  async put(event: IntegrationEvent): Promise<void> {
    const delivered: DeliveredEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': event.detailType,
      source: event.source,
      account: this.options.accountId,
      // EventBridge's envelope carries second precision.
      time: new Date(Math.floor(event.time / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
      region: this.options.region,
      resources: event.resources,
      detail: event.detail,
    };
    this.kept.push(delivered);
    if (this.kept.length > KEPT) this.kept.splice(0, this.kept.length - KEPT);
    if (this.options.file) {
      this.fileReady ??= mkdir(dirname(this.options.file), { recursive: true });
      await this.fileReady;
      await appendFile(this.options.file, `${JSON.stringify(delivered)}\n`);
    }
  }

  /** Events put so far, oldest first. */
  events(): readonly DeliveredEvent[] {
    return [...this.kept];
  }
}
