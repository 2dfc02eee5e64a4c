/**
 * Remembers, per execution environment, which incident holds a dedupe key. It is only a hint: the write that uses
 * it checks the dedupe guard in the same transaction, so a stale entry (the incident was resolved) costs one
 * failed write and falls back to the full path. Bounded, oldest entries evicted first.
 */
export interface OpenIncidentRef {
  incidentId: string;
  incidentRecordArn: string;
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
