/**
 * Repeated triggers through the real trigger intake into DynamoDB Local: a new state change of an alarm whose
 * incident is open is recorded on that incident (one `SSM Incident Trigger` event with createdIncident false),
 * a redelivery of the same delivery is recorded once, an OK state resolves nothing (and with onOk "timeline" adds a
 * note), and once the incident is resolved the next state change opens a new one.
 */
import {
  GetIncidentRecordCommand,
  ListIncidentRecordsCommand,
  type SSMIncidentsClient,
  UpdateIncidentRecordCommand,
} from '@aws-sdk/client-ssm-incidents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import {
  alarmArnOf,
  cloudWatchTime,
  deliver,
  eventBridgeAlarm,
  eventBridgeEnvelope,
  invokeIntake,
  localOverride,
  SAMPLE_ACCOUNT,
  snsDelivery,
  snsMessage,
  timelineOf,
  triggerEventsOf,
} from './alerting-helpers.ts';
import { createPlan, itemCount, unique } from './helpers.ts';

const T0 = Date.parse('2026-11-21T17:04:40.989Z');
const minutes = (n: number) => T0 + n * 60_000;

describe('alerting: dedupe, redelivery and recovery', () => {
  let runtime: TestRuntime;
  let client: SSMIncidentsClient;
  beforeAll(async () => {
    runtime = await startTestRuntime();
    client = runtime.incidentsClient();
  });
  afterAll(() => runtime?.stop());

  /** An ALARM state change of `alarmName` at `stateTime`, delivered by an EventBridge rule naming `plan`. */
  const alarmAt = (plan: string, alarmName: string, stateTime: number, options: { onOk?: 'timeline' } = {}) =>
    eventBridgeEnvelope(eventBridgeAlarm('alarm-eventbridge', { alarmName, stateTime }), {
      responsePlanName: plan,
      ...options,
    });
  const okAt = (plan: string, alarmName: string, stateTime: number, options: { onOk?: 'timeline' } = {}) =>
    eventBridgeEnvelope(eventBridgeAlarm('alarm-eventbridge-ok', { alarmName, stateTime }), {
      responsePlanName: plan,
      ...options,
    });

  const incidentsOfPlan = async (planName: string) => {
    const { incidentRecordSummaries } = await client.send(new ListIncidentRecordsCommand({ maxResults: 100 }));
    return (incidentRecordSummaries ?? []).filter((s) => s.arn!.includes(`/${planName}/`));
  };

  it('a new state change of the same alarm while its incident is open adds a trigger event and opens nothing', async () => {
    // Prepare
    const plan = await createPlan(client);
    const alarm = unique('cpu');
    const first = await deliver(runtime, alarmAt(plan.name, alarm, minutes(0)));

    // Act
    const second = await deliver(runtime, alarmAt(plan.name, alarm, minutes(5)));
    const third = await deliver(runtime, alarmAt(plan.name, alarm, minutes(10)));

    // Assess
    expect(first.outcome).toBe('created');
    expect(second).toMatchObject({ outcome: 'deduplicated', incidentRecordArn: first.incidentRecordArn });
    expect(third).toMatchObject({ outcome: 'deduplicated', incidentRecordArn: first.incidentRecordArn });
    expect(await incidentsOfPlan(plan.name)).toHaveLength(1);
    const triggers = await triggerEventsOf(client, first.incidentRecordArn!);
    expect(triggers.map((t) => [t.event.eventTime, t.data.createdIncident])).toEqual([
      [new Date(minutes(0)), true],
      [new Date(minutes(5)), false],
      [new Date(minutes(10)), false],
    ]);
    for (const { data } of triggers)
      expect(data).toMatchObject({ incidentSource: 'aws.cloudwatch', triggerArn: alarmArnOf(alarm) });
    // The deduplicated trigger keeps its own rawData: the state change it recorded.
    const rawOfSecond = JSON.parse(triggers[1]!.data.rawData!) as { detail: { state: { timestamp: string } } };
    expect(rawOfSecond.detail.state.timestamp).toBe(cloudWatchTime(minutes(5)));
    // Nothing else was added: one start event for the one incident.
    const types = (await timelineOf(client, first.incidentRecordArn!)).map((e) => e.eventType);
    expect(types.filter((t) => t === 'SSM Incident Start')).toHaveLength(1);
  });

  it('different alarms on one plan (no dedupe string) open one incident each', async () => {
    // Prepare
    const plan = await createPlan(client);

    // Act
    const a = await deliver(runtime, alarmAt(plan.name, unique('a'), minutes(0)));
    const b = await deliver(runtime, alarmAt(plan.name, unique('b'), minutes(0)));

    // Assess
    expect([a.outcome, b.outcome]).toEqual(['created', 'created']);
    expect(a.incidentRecordArn).not.toBe(b.incidentRecordArn);
    expect(await incidentsOfPlan(plan.name)).toHaveLength(2);
  });

  it("with the template's dedupe string, different alarms of the plan share one open incident", async () => {
    // Prepare
    const plan = await createPlan(client, {
      incidentTemplate: { title: 'Checkout', impact: 2, dedupeString: unique('checkout') },
    });
    const a = await deliver(runtime, alarmAt(plan.name, unique('a'), minutes(0)));

    // Act
    const b = await deliver(runtime, alarmAt(plan.name, unique('b'), minutes(1)));

    // Assess
    expect(b).toMatchObject({ outcome: 'deduplicated', incidentRecordArn: a.incidentRecordArn });
    const triggers = await triggerEventsOf(client, a.incidentRecordArn!);
    expect(triggers.map((t) => t.data.createdIncident)).toEqual([true, false]);
    expect(triggers[1]!.data.triggerArn).not.toBe(triggers[0]!.data.triggerArn);
  });

  it('the same delivery twice is recorded once, whether it opened the incident or was deduplicated', async () => {
    // Prepare
    const plan = await createPlan(client);
    const alarm = unique('redelivered');
    const opening = alarmAt(plan.name, alarm, minutes(0));
    const repeat = alarmAt(plan.name, alarm, minutes(3));
    const first = await deliver(runtime, opening);
    await deliver(runtime, repeat);
    const itemsBefore = await itemCount(runtime);

    // Act
    const openingAgain = await deliver(runtime, opening);
    const repeatAgain = await deliver(runtime, repeat);

    // Assess
    expect(openingAgain).toMatchObject({ outcome: 'duplicate-delivery', incidentRecordArn: first.incidentRecordArn });
    expect(repeatAgain).toMatchObject({ outcome: 'duplicate-delivery', incidentRecordArn: first.incidentRecordArn });
    expect(await itemCount(runtime)).toBe(itemsBefore);
    const triggers = await triggerEventsOf(client, first.incidentRecordArn!);
    expect(triggers.map((t) => t.data.createdIncident)).toEqual([true, false]);
  });

  it('a burst of state changes of one alarm at once opens exactly one incident and records every trigger', async () => {
    // Prepare
    const plan = await createPlan(client);
    const alarm = unique('burst');
    const deliveries = Array.from({ length: 12 }, (_, i) => alarmAt(plan.name, alarm, minutes(i)));

    // Act
    const outcomes = await Promise.all(deliveries.map((d) => deliver(runtime, d)));

    // Assess
    expect(outcomes.filter((o) => o.outcome === 'created')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'deduplicated')).toHaveLength(11);
    expect(new Set(outcomes.map((o) => o.incidentRecordArn)).size).toBe(1);
    expect(await incidentsOfPlan(plan.name)).toHaveLength(1);
    const triggers = await triggerEventsOf(client, outcomes[0]!.incidentRecordArn!);
    expect(triggers).toHaveLength(12);
    expect(triggers.filter((t) => t.data.createdIncident)).toHaveLength(1);
  });

  it('the same state change by two paths (EventBridge and SNS) is two triggers on one incident', async () => {
    // Prepare
    const plan = await createPlan(client);
    const alarm = unique('two-paths');
    const viaEventBridge = alarmAt(plan.name, alarm, minutes(0));
    const message = {
      ...snsMessage(),
      AlarmName: alarm,
      AlarmArn: alarmArnOf(alarm),
      StateChangeTime: cloudWatchTime(minutes(0)),
    };
    const viaSns = localOverride(snsDelivery(message, `arn:aws:sns:us-east-1:${SAMPLE_ACCOUNT}:ops`), {
      responsePlanName: plan.name,
    });

    // Act
    const first = await deliver(runtime, viaEventBridge);
    const second = await deliver(runtime, viaSns);

    // Assess
    expect(second).toMatchObject({ outcome: 'deduplicated', incidentRecordArn: first.incidentRecordArn });
    // Both carry the same state-change time, so their timeline order is not defined.
    const created = (await triggerEventsOf(client, first.incidentRecordArn!)).map((t) => t.data.createdIncident);
    expect(created.sort()).toEqual([false, true]);
  });

  it('the same state change through two rules naming different plans does not fail the second delivery', async () => {
    // Prepare
    const planA = await createPlan(client);
    const planB = await createPlan(client);
    const event = eventBridgeAlarm('alarm-eventbridge', { alarmName: unique('two-rules'), stateTime: minutes(0) });
    const ruleArn = (name: string) => `arn:aws:events:us-east-1:${SAMPLE_ACCOUNT}:rule/${name}`;
    await deliver(runtime, eventBridgeEnvelope(event, { responsePlanName: planA.name, ruleArn: ruleArn('team-a') }));

    // Act
    const second = await invokeIntake(
      runtime,
      eventBridgeEnvelope(event, { responsePlanName: planB.name, ruleArn: ruleArn('team-b') }),
    );

    // Assess
    expect(second.functionError).toBeNull();
    expect(['created', 'deduplicated']).toContain(second.outcomes?.[0]?.outcome);
  });

  it('an OK state resolves nothing and, by default, writes nothing', async () => {
    // Prepare
    const plan = await createPlan(client);
    const alarm = unique('recovers');
    const opened = await deliver(runtime, alarmAt(plan.name, alarm, minutes(0)));
    const itemsBefore = await itemCount(runtime);

    // Act
    const ok = await deliver(runtime, okAt(plan.name, alarm, minutes(30)));

    // Assess
    expect(ok.outcome).toBe('ignored');
    const { incidentRecord } = await client.send(new GetIncidentRecordCommand({ arn: opened.incidentRecordArn }));
    expect(incidentRecord!.status).toBe('OPEN');
    expect(await itemCount(runtime)).toBe(itemsBefore);
  });

  it('with onOk "timeline", an OK state adds a Custom Event referencing the alarm to the open incident, once', async () => {
    // Prepare
    const plan = await createPlan(client);
    const alarm = unique('recovers');
    const opened = await deliver(runtime, alarmAt(plan.name, alarm, minutes(0), { onOk: 'timeline' }));
    const recovery = okAt(plan.name, alarm, minutes(30), { onOk: 'timeline' });

    // Act
    const ok = await deliver(runtime, recovery);
    await deliver(runtime, recovery); // redelivered

    // Assess
    expect(ok).toMatchObject({ outcome: 'recorded-ok', incidentRecordArn: opened.incidentRecordArn });
    const { incidentRecord } = await client.send(new GetIncidentRecordCommand({ arn: opened.incidentRecordArn }));
    expect(incidentRecord!.status).toBe('OPEN');
    const custom = (await timelineOf(client, opened.incidentRecordArn!)).filter((e) => e.eventType === 'Custom Event');
    expect(custom).toHaveLength(1);
    expect(custom[0]!.eventTime).toEqual(new Date(minutes(30)));
    expect(custom[0]!.eventReferences).toEqual([{ resource: alarmArnOf(alarm) }]);
    expect(custom[0]!.eventData).toContain(alarm);
    expect(custom[0]!.eventData).toContain('OK');
  });

  it('with onOk "timeline" and no open incident for the alarm, an OK state writes nothing', async () => {
    // Prepare
    const plan = await createPlan(client);
    const itemsBefore = await itemCount(runtime);

    // Act
    const ok = await deliver(runtime, okAt(plan.name, unique('never-fired'), minutes(0), { onOk: 'timeline' }));

    // Assess
    expect(ok.outcome).toBe('ignored');
    expect(await itemCount(runtime)).toBe(itemsBefore);
  });

  it('INSUFFICIENT_DATA opens nothing', async () => {
    // Prepare
    const plan = await createPlan(client);
    const itemsBefore = await itemCount(runtime);
    const event = eventBridgeAlarm('alarm-eventbridge', { alarmName: unique('no-data'), state: 'INSUFFICIENT_DATA' });

    // Act
    const outcome = await deliver(runtime, eventBridgeEnvelope(event, { responsePlanName: plan.name }));

    // Assess
    expect(outcome.outcome).toBe('ignored');
    expect(await itemCount(runtime)).toBe(itemsBefore);
  });

  it('after the incident is resolved, the next state change of the alarm opens a new incident', async () => {
    // Prepare
    const plan = await createPlan(client);
    const alarm = unique('flapping');
    const first = await deliver(runtime, alarmAt(plan.name, alarm, minutes(0)));
    await client.send(new UpdateIncidentRecordCommand({ arn: first.incidentRecordArn, status: 'RESOLVED' }));

    // Act
    const next = await deliver(runtime, alarmAt(plan.name, alarm, minutes(60)));

    // Assess
    expect(next.outcome).toBe('created');
    expect(next.incidentRecordArn).not.toBe(first.incidentRecordArn);
    expect(await triggerEventsOf(client, first.incidentRecordArn!)).toHaveLength(1);
    expect((await triggerEventsOf(client, next.incidentRecordArn!)).map((t) => t.data.createdIncident)).toEqual([true]);
  });
});
