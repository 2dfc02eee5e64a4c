/**
 * Remembers, per execution environment, which incident holds a dedupe key. It is only a hint: a trigger recorded
 * through it is kept only if the dedupe guard still names that incident afterwards (triggers.ts), so a stale entry
 * (the incident was resolved) costs writes taken back and falls back to the full path. Bounded, oldest evicted first.
 */
import type { TriggerPayload } from './timeline-items.ts';

export interface OpenIncidentRef {
  incidentId: string;
  incidentRecordArn: string;
  /** The incident's trigger payload, which repeated triggers compress their eventData against (timeline-items.ts). */
  payload?: TriggerPayload;
}

export class OpenIncidentCache {
  private readonly entries = new Map<string, OpenIncidentRef>();

  constructor(private readonly capacity = 1000) {}

  get(dedupeKey: string): OpenIncidentRef | undefined {
    return this.entries.get(dedupeKey);
  }

  set(dedupeKey: string, ref: OpenIncidentRef): void {
    this.entries.delete(dedupeKey);
    this.entries.set(dedupeKey, ref);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  forget(dedupeKey: string): void {
    this.entries.delete(dedupeKey);
  }
}
