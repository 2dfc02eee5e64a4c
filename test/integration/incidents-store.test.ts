import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordUpdateEvent, triggerEvent } from '#core/incidents/automatic-events.ts';
import type { IncidentRecord, IncidentsStore, StartIncidentWrite } from '#core/incidents/ports.ts';
import { generatedIdOf } from '#core/incidents/related-item-ids.ts';
import { ConflictError } from '#core/shared/errors.ts';
import { freshStore, fullTimeline, incident, startWrite } from '../support/store.ts';

describe('DynamoDB incidents store', () => {
  let store: IncidentsStore;
  beforeAll(async () => {
    ({ store } = await freshStore());
  });

  it('opens one incident per dedupe key and records later triggers on it', async () => {
    // Prepare
    const key = `dedupe:${randomUUID()}`;
    const first = incident();
    const second = incident();
    // Act
    const opened = await store.startIncident(startWrite(first, key), undefined, Date.now());
    const deduped = await store.startIncident(startWrite(second, key), undefined, Date.now());
    // Assess
    expect(opened).toEqual({ incidentRecordArn: first.arn, created: true });
    expect(deduped).toEqual({ incidentRecordArn: first.arn, created: false });
    expect(await store.getIncident(second.id)).toBeUndefined();
    const events = await fullTimeline(store, first.id);
    expect(events.map((e) => JSON.parse(e.eventData).createdIncident)).toEqual([true, false]);
  });

  it('releases the dedupe key when the incident resolves, so the next trigger opens a new incident', async () => {
    const key = `dedupe:${randomUUID()}`;
    const first = incident();
    await store.startIncident(startWrite(first, key), undefined, Date.now());
    const current = await store.getIncident(first.id);
    if (!current) throw new Error('missing');
    const resolved = { ...current.record, status: 'RESOLVED' as const, resolvedTime: Date.now() };
    await store.updateIncident(resolved, current.version, [], { release: key }, undefined, Date.now());

    const next = incident();
    const result = await store.startIncident(startWrite(next, key), undefined, Date.now());
    expect(result).toEqual({ incidentRecordArn: next.arn, created: true });
  });

  it('replays a clientToken with the same input and refuses it with another input', async () => {
    const token = { operation: 'StartIncident', token: randomUUID(), inputHash: 'h1' };
    const first = incident();
    const replay = incident();
    expect((await store.startIncident(startWrite(first), token, Date.now())).incidentRecordArn).toBe(first.arn);
    expect((await store.startIncident(startWrite(replay), token, Date.now())).incidentRecordArn).toBe(first.arn);
    expect(await store.getIncident(replay.id)).toBeUndefined();
    await expect(
      store.startIncident(startWrite(incident()), { ...token, inputHash: 'h2' }, Date.now()),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('forgets a clientToken after the idempotency window', async () => {
    const { store: shortMemory } = await freshStore(1);
    const token = { operation: 'StartIncident', token: randomUUID(), inputHash: 'h' };
    const now = Date.now();
    await shortMemory.startIncident(startWrite(incident()), token, now);
    const later = incident();
    const result = await shortMemory.startIncident(startWrite(later), { ...token, inputHash: 'other' }, now + 5000);
    expect(result.incidentRecordArn).toBe(later.arn);
  });

  it('rejects an update based on a stale version instead of overwriting a concurrent change', async () => {
    const record = incident();
    await store.startIncident(startWrite(record), undefined, Date.now());
    const current = await store.getIncident(record.id);
    if (!current) throw new Error('missing');
    await store.updateIncident({ ...current.record, title: 'A' }, current.version, [], {}, undefined, Date.now());
    await expect(
      store.updateIncident({ ...current.record, title: 'B' }, current.version, [], {}, undefined, Date.now()),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await store.getIncident(record.id))?.record.title).toBe('A');
  });

  it('stores all 100 related items of a start, beyond what one transaction holds', async () => {
    const record = incident();
    const write = startWrite(record);
    write.relatedItems = Array.from({ length: 100 }, (_, i) => {
      const identifier = { type: 'OTHER' as const, value: { url: `https://example.com/${i}` } };
      return { identifier, generatedId: generatedIdOf(identifier), addedTime: Date.now() };
    });
    await store.startIncident(write, undefined, Date.now());
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const page = await store.listRelatedItems(record.id, 30, token);
      for (const item of page.items) seen.add(item.generatedId);
      token = page.nextToken;
    } while (token);
    expect(seen.size).toBe(100);
  });

  it('deletes an incident with its timeline and related items, and frees its dedupe key', async () => {
    const key = `dedupe:${randomUUID()}`;
    const record = incident();
    await store.startIncident(startWrite(record, key), undefined, Date.now());
    const identifier = { type: 'OTHER' as const, value: { url: 'https://runbook' } };
    await store.addRelatedItem(
      record.id,
      { identifier, generatedId: generatedIdOf(identifier), addedTime: Date.now() },
      recordUpdateEvent(record, 'me', [], Date.now()),
      undefined,
      Date.now(),
    );
    await store.deleteIncident(record.id);
    expect(await store.getIncident(record.id)).toBeUndefined();
    expect((await store.listTimelineEvents(record.id, { ascending: true }, 10, undefined)).items).toEqual([]);
    expect((await store.listRelatedItems(record.id, 10, undefined)).items).toEqual([]);
    const reopened = incident();
    expect((await store.startIncident(startWrite(reopened, key), undefined, Date.now())).created).toBe(true);
  });
});

describe('DynamoDB incident listing', () => {
  let store: IncidentsStore;
  const base = Date.UTC(2026, 0, 1);
  const created: { id: string; creationTime: number; status: 'OPEN' | 'RESOLVED'; impact: number }[] = [];

  beforeAll(async () => {
    ({ store } = await freshStore());
    for (let i = 0; i < 40; i++) {
      const record = incident({
        creationTime: base + i * 60_000,
        status: i % 4 === 0 ? 'OPEN' : 'RESOLVED',
        impact: (i % 5) + 1,
      });
      created.push(record);
      await store.startIncident(startWrite(record), undefined, Date.now());
    }
  });

  const listAll = async (query: Parameters<IncidentsStore['listIncidents']>[0], pageSize: number) => {
    const ids: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await store.listIncidents(query, pageSize, token);
      ids.push(...page.items.map((i) => i.id));
      token = page.nextToken;
      pages++;
    } while (token && pages < 100);
    return ids;
  };

  it('pages through every incident newest first with no repeats or gaps', async () => {
    const ids = await listAll({}, 7);
    expect(ids).toEqual([...created].sort((a, b) => b.creationTime - a.creationTime).map((i) => i.id));
  });

  it('lists one status from its own index', async () => {
    const ids = await listAll({ statuses: ['OPEN'] }, 3);
    expect(ids).toEqual(
      created
        .filter((i) => i.status === 'OPEN')
        .reverse()
        .map((i) => i.id),
    );
  });

  it('applies creation-time bounds as exclusive, and fills pages across filtered reads', async () => {
    const after = base + 9 * 60_000;
    const before = base + 30 * 60_000;
    const ids = await listAll({ createdAfter: after, createdBefore: before, impacts: [1, 2] }, 4);
    const expected = created
      .filter((i) => i.creationTime > after && i.creationTime < before && [1, 2].includes(i.impact))
      .reverse()
      .map((i) => i.id);
    expect(ids).toEqual(expected);
    expect(expected.length).toBeGreaterThan(4);
  });
});

describe('deduplicated starts in one execution environment', () => {
  const alarm = JSON.parse(readFileSync('samples/events/alarm-eventbridge.json', 'utf8')) as Record<string, any>;
  const alarmArn = String(alarm.resources[0]);
  /** A StartIncident write for one state change of the sample alarm (its own rawData and time), as the intake makes. */
  const stateChange = (record: IncidentRecord, minute: number) => {
    const event = structuredClone(alarm);
    const at = Date.UTC(2026, 10, 21, 17, minute);
    event.detail.state.timestamp = new Date(at).toISOString().replace('Z', '+0000');
    const trigger = { source: 'aws.cloudwatch', timestamp: at, triggerArn: alarmArn, rawData: JSON.stringify(event) };
    const write: StartIncidentWrite = {
      incident: { ...record, dedupeKey: `trigger:${alarmArn}` },
      events: [triggerEvent(record.arn, trigger, true, at)],
      relatedItems: [],
      dedupeKey: `trigger:${alarmArn}`,
      duplicateTriggerEvent: (existingArn) => triggerEvent(existingArn, trigger, false, at),
    };
    const token = { operation: 'StartIncident', token: `delivery-${record.id}-${minute}`, inputHash: `h${minute}` };
    return { write, token, rawData: trigger.rawData };
  };

  it('records a repeated trigger in at most 3 write units, without a transaction, and keeps its full rawData', async () => {
    // Prepare: count the DynamoDB requests the store makes, and the capacity they consume.
    const { store, client } = await freshStore();
    const commands: string[] = [];
    let writeUnits = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        commands.push(String(context.commandName).replace(/Command$/, ''));
        (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
        const result = await next(args);
        const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity;
        if (!String(context.commandName).startsWith('Get')) writeUnits += consumed?.CapacityUnits ?? 0;
        return result;
      },
      { step: 'initialize', name: 'countCommands' },
    );
    const first = incident();
    const opening = stateChange(first, 0);
    await store.startIncident(opening.write, opening.token, Date.now());
    commands.length = 0;
    writeUnits = 0;

    // Act: a repeated trigger while the incident is open.
    const repeat = stateChange(incident(), 5);
    const result = await store.startIncident(repeat.write, repeat.token, Date.now());

    // Assess: three puts (token, event, its reference entry), then the guard read; no transaction.
    expect(result).toEqual({ incidentRecordArn: first.arn, created: false });
    expect([...commands].sort()).toEqual(['GetItem', 'PutItem', 'PutItem', 'PutItem']);
    expect(writeUnits).toBeLessThanOrEqual(3);
    const triggers = await fullTimeline(store, first.id);
    expect(triggers.map((e) => JSON.parse(e.eventData).rawData)).toEqual([opening.rawData, repeat.rawData]);

    // Act: the same delivery again writes nothing more and answers as the first time.
    const again = await store.startIncident(stateChange(incident(), 5).write, repeat.token, Date.now());
    expect(again).toEqual({ ...result, replayed: true });
    expect(await fullTimeline(store, first.id)).toHaveLength(2);
  });

  it('takes a repeated trigger back when the remembered incident was resolved, and opens a new incident with it', async () => {
    // Prepare
    const { store } = await freshStore();
    const first = incident();
    await store.startIncident(stateChange(first, 0).write, undefined, Date.now());
    const current = await store.getIncident(first.id);
    if (!current) throw new Error('missing');
    await store.updateIncident(
      { ...current.record, status: 'RESOLVED' },
      current.version,
      [],
      { release: `trigger:${alarmArn}` },
      undefined,
      Date.now(),
    );

    // Act: this environment still remembers the resolved incident for the alarm.
    const next = incident();
    const reopened = await store.startIncident(stateChange(next, 9).write, undefined, Date.now());

    // Assess: a new incident holds the trigger; the resolved one kept only its own.
    expect(reopened).toEqual({ incidentRecordArn: next.arn, created: true });
    expect((await fullTimeline(store, first.id)).map((e) => JSON.parse(e.eventData).createdIncident)).toEqual([true]);
    expect((await fullTimeline(store, next.id)).map((e) => JSON.parse(e.eventData).createdIncident)).toEqual([true]);
  });
});
