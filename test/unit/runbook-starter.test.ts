/**
 * The runbook capability's decisions without infrastructure: the IncidentOpened consumer (which runbooks start, under
 * which workflow name) and the diff that turns an automation's state into timeline events (each status once, in
 * order, independent of how many status-change events arrived).
 */
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '#core/events/domain-events.ts';
import type { IncidentRecord, ResponsePlanRecord } from '#core/incidents/ports.ts';
import type { AutomationExecution, RunbookRecord, RunbookWorkflowInput } from '#core/runbooks/model.ts';
import { progressSince } from '#core/runbooks/progress.ts';
import { runbookStarter } from '#core/runbooks/starter.ts';
import { RUNBOOK_EVENT_TYPES } from '#core/runbooks/timeline.ts';
import { clientTokenOf } from '#core/runbooks/workflow.ts';
import { incident } from '../support/store.ts';

const plan = (actions: ResponsePlanRecord['actions']): ResponsePlanRecord => ({
  arn: 'arn:aws:ssm-incidents::111122223333:response-plan/plan',
  name: 'plan',
  incidentTemplate: { title: 't', impact: 3 },
  actions,
  tags: {},
  createdTime: 0,
  lastModifiedTime: 0,
});

const automation = {
  ssmAutomation: { documentName: 'Doc', roleArn: 'arn:aws:iam::111122223333:role/IncidentRunbookR' },
};

const starterWith = (found: ResponsePlanRecord | undefined) => {
  const started: { name: string; input: RunbookWorkflowInput }[] = [];
  const consumer = runbookStarter({
    incidents: { getResponsePlan: async () => (found ? { record: found, version: 1 } : undefined) },
    workflow: { start: async (name, input) => void started.push({ name, input }) },
  });
  return { consumer, started };
};

const opened = (record: IncidentRecord): DomainEvent => ({
  type: 'IncidentOpened',
  id: 'e1',
  time: 1,
  incident: record,
});

describe('runbook starter (IncidentOpened consumer)', () => {
  it('starts one workflow per ssmAutomation action, named after the incident and the action', async () => {
    const { consumer, started } = starterWith(plan([automation]));
    const record = incident();
    await consumer.handle(opened(record));
    expect(started).toEqual([{ name: `${record.id}-0`, input: { incidentArn: record.arn, actionIndex: 0 } }]);
  });

  it('starts the same names again for a redelivered event (the workflow start is idempotent per name)', async () => {
    const { consumer, started } = starterWith(plan([automation]));
    const record = incident();
    await consumer.handle(opened(record));
    await consumer.handle({ ...opened(record), id: 'e1' });
    expect(new Set(started.map((s) => s.name)).size).toBe(1);
  });

  it('starts nothing for a plan without a runbook, a deleted plan, or any other event', async () => {
    for (const found of [plan(undefined), plan([]), undefined]) {
      const { consumer, started } = starterWith(found);
      await consumer.handle(opened(incident()));
      expect(started).toEqual([]);
    }
    const { consumer, started } = starterWith(plan([automation]));
    const record = incident();
    for (const type of ['IncidentResolved', 'IncidentUpdated', 'IncidentReopened'] as const)
      await consumer.handle({ type, id: 'e', time: 1, incident: record, previous: record, changed: ['status'] });
    await consumer.handle({ type: 'IncidentDeleted', id: 'e', time: 1, incident: record });
    expect(started).toEqual([]);
  });

  it('derives a UUID-shaped ClientToken, the same for every start of one incident action', () => {
    const token = clientTokenOf('arn:aws:ssm-incidents::1:incident-record/p/x', 0);
    expect(token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(clientTokenOf('arn:aws:ssm-incidents::1:incident-record/p/x', 0)).toBe(token);
    expect(clientTokenOf('arn:aws:ssm-incidents::1:incident-record/p/x', 1)).not.toBe(token);
  });
});

describe('progress: automation state -> timeline events', () => {
  const record: RunbookRecord = {
    executionId: 'x',
    executionArn: 'arn:aws:ssm:us-east-1:111122223333:automation-execution/x',
    incidentId: 'i',
    incidentArn: 'arn:aws:ssm-incidents::111122223333:incident-record/p/i',
    actionIndex: 0,
    documentName: 'Doc',
    recorded: {},
    status: 'Pending',
    ended: false,
    registeredTime: 0,
  };
  const execution = (status: string, steps: [string, string, string?][]): AutomationExecution => ({
    executionId: 'x',
    documentName: 'Doc',
    status,
    steps: steps.map(([stepName, stepStatus, failureMessage], i) => ({
      stepExecutionId: `s${i}`,
      stepName,
      action: stepName === 'Approve' ? 'aws:approve' : stepName === 'Read' ? 'aws:executeAwsApi' : 'aws:pause',
      status: stepStatus,
      startTime: 1000 + i,
      endTime: 2000 + i,
      ...(failureMessage ? { failureMessage } : {}),
    })),
  });
  const summaries = (events: { eventData: string }[]) => events.map((e) => JSON.parse(e.eventData).summary as string);

  it('announces each step status once, a waiting step with how to resume it, and the end once', () => {
    const first = progressSince(
      record,
      execution('Waiting', [
        ['Triage', 'Waiting'],
        ['Fix', 'Pending'],
      ]),
      record.executionArn,
      5,
    );
    expect(summaries(first.events)).toEqual(['Runbook step Triage (aws:pause) is waiting for a person.']);
    expect(JSON.parse(first.events[0]!.eventData).nextAction).toMatch(/--signal-type Resume --payload StepName=Triage/);
    const again = progressSince(
      first.next,
      execution('Waiting', [
        ['Triage', 'Waiting'],
        ['Fix', 'Pending'],
      ]),
      record.executionArn,
      6,
    );
    expect(again.events).toEqual([]);
    const end = progressSince(
      first.next,
      execution('Failed', [
        ['Triage', 'Success'],
        ['Fix', 'Failed', 'Step timed out while waiting to be resumed.'],
      ]),
      record.executionArn,
      7,
    );
    expect(summaries(end.events)).toEqual([
      'Runbook step Triage (aws:pause) succeeded.',
      'Runbook step Fix (aws:pause) failed: Step timed out while waiting to be resumed.',
      'Runbook Doc ended Failed.',
    ]);
    expect(end.events.map((e) => e.eventType)).toEqual([
      RUNBOOK_EVENT_TYPES.step,
      RUNBOOK_EVENT_TYPES.step,
      RUNBOOK_EVENT_TYPES.ended,
    ]);
    expect(end.next.ended).toBe(true);
    expect(
      progressSince(
        end.next,
        execution('Failed', [
          ['Triage', 'Success'],
          ['Fix', 'Failed'],
        ]),
        record.executionArn,
        8,
      ).events,
    ).toEqual([]);
  });

  it('announces a step that started and ended between two reads as started, then ended, whatever the events timing', () => {
    // The handler read the execution while Triage waited, and next after Read had already run and failed.
    const waiting = progressSince(record, execution('Waiting', [['Triage', 'Waiting']]), record.executionArn, 5);
    const after = progressSince(
      waiting.next,
      execution('Failed', [
        ['Triage', 'Success'],
        ['Read', 'Failed', 'AccessDenied'],
      ]),
      record.executionArn,
      6,
    );
    expect(summaries(after.events)).toEqual([
      'Runbook step Triage (aws:pause) succeeded.',
      'Runbook step Read (aws:executeAwsApi) started.',
      'Runbook step Read (aws:executeAwsApi) failed: AccessDenied',
      'Runbook Doc ended Failed.',
    ]);
    expect(after.events.slice(1, 3).map((e) => e.eventTime)).toEqual([1001, 2001]); // its start, then its end
    // Read once more in the same state: nothing new.
    const same = execution('Failed', [
      ['Triage', 'Success'],
      ['Read', 'Failed', 'AccessDenied'],
    ]);
    expect(progressSince(after.next, same, record.executionArn, 7).events).toEqual([]);
  });

  it('does not announce a resumed step as started again', () => {
    const waiting = progressSince(record, execution('Waiting', [['Triage', 'Waiting']]), record.executionArn, 5);
    const resumed = progressSince(
      waiting.next,
      execution('InProgress', [['Triage', 'InProgress']]),
      record.executionArn,
      6,
    );
    expect(resumed.events).toEqual([]);
  });
});
