/**
 * Runbooks end to end on the real local runtime: a response plan's ssmAutomation starts when an incident opens
 * (StartIncident or an alarm trigger), through the runbook starter consumer (called here with the IncidentOpened event
 * of the real incident, as the change stream will call it), the runbook state machine (aws-local-stepfunctions) and
 * the local Automation engine; the incident then shows the execution, its steps on the timeline and in the runbook
 * view (GetIncidentRunbooks). Also: idempotent starts, a document that does not exist, resolving while it runs, a
 * rejected approval.
 */
import { readFileSync } from 'node:fs';
import { DescribeAutomationExecutionsCommand, SendAutomationSignalCommand, type SSMClient } from '@aws-sdk/client-ssm';
import {
  ListRelatedItemsCommand,
  StartIncidentCommand,
  UpdateIncidentRecordCommand,
} from '@aws-sdk/client-ssm-incidents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNBOOK_EVENT_TYPES } from '#core/runbooks/timeline.ts';
import { runbookStarterOf } from '#runtime/runbooks.ts';
import { deliveryFor } from '../../local/trigger-delivery.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { rawRequest } from './helpers.ts';
import {
  createDocument,
  eventually,
  executionIdOf,
  incidentRecord,
  openedEvent,
  openIncident,
  planFor,
  ROLE_ARN,
  runbookTimeline,
  uniqueName,
  waitForStatus,
  workflowOf,
} from './runbooks-helpers.ts';

let runtime: TestRuntime;
let ssm: SSMClient;

beforeAll(async () => {
  runtime = await startTestRuntime({ timeScale: 10_000 });
  ssm = runtime.ssmClient('responder');
});
afterAll(async () => runtime?.stop());

const TRIAGE = `schemaVersion: '0.3'
description: Triage, then a script that reads the incident.
assumeRole: '{{ AutomationAssumeRole }}'
parameters:
  AutomationAssumeRole: { type: String, default: '' }
  IncidentArn: { type: String }
  Resources: { type: StringList, default: [] }
  Team: { type: String, default: nobody }
outputs: [Summarize.Title]
mainSteps:
  - name: Triage
    action: aws:pause
    inputs: {}
  - name: Read
    action: aws:executeAwsApi
    inputs: { Service: ssm-incidents, Api: GetIncidentRecord, arn: '{{ IncidentArn }}' }
    outputs: [{ Name: Title, Selector: $.incidentRecord.title, Type: String }]
  - name: Summarize
    action: aws:executeScript
    inputs:
      Runtime: python3.11
      Handler: main
      Script: "def main(events, context):\\n  return {'title': events['title'] + ' / ' + events['team']}"
      InputPayload: { title: '{{ Read.Title }}', team: '{{ Team }}' }
    outputs: [{ Name: Title, Selector: $.Payload.title, Type: String }]
`;

const signal = (id: string, SignalType: 'Resume' | 'Approve' | 'Reject', Payload?: Record<string, string[]>) =>
  ssm.send(new SendAutomationSignalCommand({ AutomationExecutionId: id, SignalType, ...(Payload ? { Payload } : {}) }));

const runbookView = async (incidentArn: string) => {
  const response = await rawRequest(runtime, 'POST', '/getIncidentRunbooks', { incidentRecordArn: incidentArn });
  expect(response.status).toBe(200);
  return (response.json as { runbooks: Record<string, any>[] }).runbooks;
};

const executionsOf = async (documentName: string) =>
  (
    await ssm.send(
      new DescribeAutomationExecutionsCommand({ Filters: [{ Key: 'DocumentNamePrefix', Values: [documentName] }] }),
    )
  ).AutomationExecutionMetadataList!.filter((e) => e.DocumentName === documentName);

describe('StartIncident with a plan that names a runbook', () => {
  let document: string;
  let incidentArn: string;
  let executionId: string;

  beforeAll(async () => {
    document = await createDocument(runtime, TRIAGE);
    const plan = await planFor(runtime, document, {
      parameters: { Team: ['payments'] },
      dynamicParameters: {
        IncidentArn: { variable: 'INCIDENT_RECORD_ARN' },
        Resources: { variable: 'INVOLVED_RESOURCES' },
      },
    });
    incidentArn = await openIncident(runtime, plan, {
      relatedItems: [
        {
          identifier: { type: 'INVOLVED_RESOURCE', value: { arn: 'arn:aws:ec2:us-east-1:111122223333:instance/i-1' } },
        },
      ],
    });
    executionId = await executionIdOf(runtime, incidentArn);
  });

  it('starts the automation with the static, dynamic and role parameters, and lists it on the incident', async () => {
    const waiting = await waitForStatus(runtime, executionId, 'Waiting');
    expect(waiting.DocumentName).toBe(document);
    expect(waiting.Parameters).toEqual({
      AutomationAssumeRole: [ROLE_ARN],
      IncidentArn: [incidentArn],
      Resources: ['arn:aws:ec2:us-east-1:111122223333:instance/i-1'],
      Team: ['payments'],
    });
    expect((await incidentRecord(runtime, incidentArn)).automationExecutions).toEqual([
      { ssmExecutionArn: `arn:aws:ssm:us-east-1:111122223333:automation-execution/${executionId}` },
    ]);
    const related = await runtime
      .incidentsClient()
      .send(new ListRelatedItemsCommand({ incidentRecordArn: incidentArn }));
    expect(related.relatedItems!.filter((r) => r.identifier!.type === 'AUTOMATION')).toEqual([
      expect.objectContaining({
        identifier: {
          type: 'AUTOMATION',
          value: { arn: `arn:aws:ssm:us-east-1:111122223333:automation-execution/${executionId}` },
        },
        title: document,
      }),
    ]);
  });

  it('says on the timeline that the runbook started and that Triage waits for a person, with how to resume it', async () => {
    const lines = await eventually(async () => {
      const found = await runbookTimeline(runtime, incidentArn);
      if (!found.some((l) => l.data.status === 'Waiting')) throw new Error('no waiting event yet');
      return found;
    });
    expect(lines[0]).toMatchObject({ type: RUNBOOK_EVENT_TYPES.started, data: { documentName: document } });
    const waiting = lines.find((l) => l.data.status === 'Waiting')!;
    expect(waiting.data).toMatchObject({ stepName: 'Triage', action: 'aws:pause' });
    expect(waiting.data.nextAction).toContain(
      `--automation-execution-id ${executionId} --signal-type Resume --payload StepName=Triage`,
    );
  });

  it('shows the runbook view: the current step marked, the steps to come pending', async () => {
    const [runbook] = await runbookView(incidentArn);
    expect(runbook).toMatchObject({
      executionId,
      documentName: document,
      status: 'Waiting',
      currentStepName: 'Triage',
    });
    expect(runbook!.steps.map((s: Record<string, unknown>) => [s.stepName, s.status, s.current])).toEqual([
      ['Triage', 'waiting', true],
      ['Read', 'pending', false],
      ['Summarize', 'pending', false],
    ]);
    expect(typeof runbook!.startTime).toBe('number');
  });

  it('goes on when a responder resumes Triage, and records each step and the end with the outputs', async () => {
    await signal(executionId, 'Resume', { StepName: ['Triage'] });
    const done = await waitForStatus(runtime, executionId, ['Success', 'Failed']);
    expect(done.AutomationExecutionStatus).toBe('Success');
    expect(done.Outputs).toEqual({ 'Summarize.Title': ['Checkout is failing / payments'] });
    // Status-change events reach the timeline asynchronously (EventBridge in AWS): the end can be there before the
    // last step's line, so wait until every line is.
    const lines = await eventually(async () => {
      const found = await runbookTimeline(runtime, incidentArn);
      expect(found.at(-1)?.type).toBe(RUNBOOK_EVENT_TYPES.ended);
      expect(found.map((l) => `${l.data.stepName ?? '-'} ${l.data.status ?? ''}`.trim())).toEqual([
        '-',
        'Triage Waiting',
        'Triage Success',
        'Read InProgress',
        'Read Success',
        'Summarize InProgress',
        'Summarize Success',
        '- Success',
      ]);
      return found;
    });
    expect(lines.at(-1)!.data).toMatchObject({ outputs: { 'Summarize.Title': ['Checkout is failing / payments'] } });
    await eventually(async () => expect(workflowOf(runtime, incidentArn)?.status).toBe('SUCCEEDED'));
    // Prepare, StartAutomation, FollowAutomation, Done: four state transitions, however long the runbook.
    expect(workflowOf(runtime, incidentArn)).toMatchObject({ transitions: 4, workerInvocations: 2 });
    const [runbook] = await runbookView(incidentArn);
    expect(runbook!.steps.map((s: Record<string, unknown>) => [s.stepName, s.status, s.current])).toEqual([
      ['Triage', 'success', false],
      ['Read', 'success', false],
      ['Summarize', 'success', false],
    ]);
    expect(runbook!.steps[2].outputs).toMatchObject({ Title: ['Checkout is failing / payments'] });
  });

  it('starts nothing twice: a redelivered IncidentOpened and a retried StartIncident find the same execution', async () => {
    await runbookStarterOf(runtime.root).handle(await openedEvent(runtime, incidentArn));
    expect((await incidentRecord(runtime, incidentArn)).automationExecutions).toHaveLength(1);
    expect(await executionsOf(document)).toHaveLength(1);
  });
});

describe('idempotency and deduplication', () => {
  it('a retried StartIncident (same clientToken) and a deduplicated trigger start one runbook', async () => {
    const document = await createDocument(runtime, TRIAGE);
    const plan = await planFor(
      runtime,
      document,
      { dynamicParameters: { IncidentArn: { variable: 'INCIDENT_RECORD_ARN' } } },
      uniqueName('dedupe'),
    );
    const clientToken = crypto.randomUUID();
    const first = await openIncident(runtime, plan, { clientToken });
    const retried = await openIncident(runtime, plan, { clientToken });
    expect(retried).toBe(first);
    // A new trigger on the open incident is deduplicated: the same incident, no IncidentOpened, no new runbook.
    const { incidentRecordArn: deduplicated } = await runtime
      .incidentsClient()
      .send(new StartIncidentCommand({ responsePlanArn: plan }));
    expect(deduplicated).toBe(first);
    const id = await executionIdOf(runtime, first);
    await waitForStatus(runtime, id, 'Waiting');
    expect(await executionsOf(document)).toHaveLength(1);
    await signal(id, 'Resume', { StepName: ['Triage'] });
    await waitForStatus(runtime, id, ['Success', 'Failed']);
  });

  it('a redelivered workflow start step reuses the execution its ClientToken started', async () => {
    const document = await createDocument(runtime, TRIAGE);
    const plan = await planFor(runtime, document, {
      dynamicParameters: { IncidentArn: { variable: 'INCIDENT_RECORD_ARN' } },
    });
    const incidentArn = await openIncident(runtime, plan);
    const id = await executionIdOf(runtime, incidentArn);
    // What a retried StartAutomation state sends: the prepared request again, same ClientToken.
    const worker = await rawRequest(runtime, 'POST', '/2015-03-31/functions/runbook-worker/invocations', {
      action: 'prepare',
      incidentArn,
      actionIndex: 0,
    });
    const { start } = worker.json as { start: Record<string, unknown> };
    const again = await ssm.send(
      new (await import('@aws-sdk/client-ssm')).StartAutomationExecutionCommand(start as never),
    );
    expect(again.AutomationExecutionId).toBe(id);
    await signal(id, 'Resume', { StepName: ['Triage'] });
    await waitForStatus(runtime, id, ['Success', 'Failed']);
  });
});

describe('an alarm trigger', () => {
  it('opens the incident and starts its runbook with the alarm’s involved resources', async () => {
    const document = await createDocument(runtime, TRIAGE);
    const plan = await planFor(runtime, document, {
      dynamicParameters: {
        IncidentArn: { variable: 'INCIDENT_RECORD_ARN' },
        Resources: { variable: 'INVOLVED_RESOURCES' },
      },
    });
    const alarm = JSON.parse(readFileSync('samples/events/alarm-eventbridge.json', 'utf8'));
    alarm.resources = [`arn:aws:cloudwatch:us-east-1:111122223333:alarm:${uniqueName('alarm')}`];
    const delivered = await rawRequest(
      runtime,
      'POST',
      '/2015-03-31/functions/trigger-intake/invocations',
      deliveryFor(alarm, { responsePlanName: plan.slice(plan.lastIndexOf('/') + 1) }) as object,
    );
    expect(delivered.status).toBe(200);
    const [outcome] = (delivered.json as { outcomes: { outcome: string; incidentRecordArn: string }[] }).outcomes;
    expect(outcome!.outcome).toBe('created');
    const incidentArn = outcome!.incidentRecordArn;
    await runbookStarterOf(runtime.root).handle(await openedEvent(runtime, incidentArn));
    const id = await executionIdOf(runtime, incidentArn);
    const waiting = await waitForStatus(runtime, id, 'Waiting');
    expect(waiting.Parameters!.Resources).toEqual(['arn:aws:ec2:us-east-1:111122223333:instance/i-0abc1234def567890']);
    expect(waiting.Parameters!.IncidentArn).toEqual([incidentArn]);
    await signal(id, 'Resume', { StepName: ['Triage'] });
    await waitForStatus(runtime, id, ['Success', 'Failed']);
  });
});

describe('when things go wrong', () => {
  it('a plan naming a document that does not exist: the incident opens and its timeline says why the runbook did not start', async () => {
    const plan = await planFor(runtime, uniqueName('missing-doc'));
    const incidentArn = await openIncident(runtime, plan);
    const lines = await eventually(async () => {
      const found = await runbookTimeline(runtime, incidentArn);
      if (!found.length) throw new Error('no runbook event yet');
      return found;
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.type).toBe(RUNBOOK_EVENT_TYPES.startFailure);
    expect(lines[0]!.data.failureMessage).toMatch(/^AutomationDefinitionNotFoundException: .*was not found/);
    expect((await incidentRecord(runtime, incidentArn)).status).toBe('OPEN');
    await eventually(async () => expect(workflowOf(runtime, incidentArn)?.status).toBe('SUCCEEDED'));
    expect(workflowOf(runtime, incidentArn)!.transitions).toBe(4); // Prepare, StartAutomation, RecordStartFailure, Done
  });

  it('resolving the incident leaves its runbook running; its progress is still recorded', async () => {
    const document = await createDocument(runtime, TRIAGE);
    const plan = await planFor(runtime, document, {
      dynamicParameters: { IncidentArn: { variable: 'INCIDENT_RECORD_ARN' } },
    });
    const incidentArn = await openIncident(runtime, plan);
    const id = await executionIdOf(runtime, incidentArn);
    await waitForStatus(runtime, id, 'Waiting');
    await runtime.incidentsClient().send(new UpdateIncidentRecordCommand({ arn: incidentArn, status: 'RESOLVED' }));
    expect((await waitForStatus(runtime, id, 'Waiting')).AutomationExecutionStatus).toBe('Waiting');
    await signal(id, 'Resume', { StepName: ['Triage'] });
    await waitForStatus(runtime, id, 'Success');
    await eventually(async () => {
      if ((await runbookTimeline(runtime, incidentArn)).at(-1)?.type !== RUNBOOK_EVENT_TYPES.ended)
        throw new Error('no end');
    });
  });

  it('a rejected approval: the timeline gives the reason, the branch and the failure end', async () => {
    const document = await createDocument(
      runtime,
      `schemaVersion: '0.3'
parameters:
  Severity: { type: Integer, default: 1 }
mainSteps:
  - name: Critical
    action: aws:branch
    inputs:
      Choices: [{ NextStep: Approve, Variable: '{{ Severity }}', NumericLesserOrEquals: 2 }]
      Default: Log
  - name: Approve
    action: aws:approve
    inputs: { Approvers: [responder], Message: Fail over the database? }
  - name: Failover
    action: aws:sleep
    isEnd: true
    inputs: { Duration: PT5M }
  - name: Log
    action: aws:sleep
    inputs: { Duration: PT1S }
`,
    );
    const plan = await planFor(runtime, document);
    const incidentArn = await openIncident(runtime, plan);
    const id = await executionIdOf(runtime, incidentArn);
    await waitForStatus(runtime, id, 'Waiting');
    await eventually(async () => {
      const found = await runbookTimeline(runtime, incidentArn);
      if (!found.some((l) => l.data.stepName === 'Approve' && l.data.status === 'Waiting')) throw new Error('not yet');
    });
    await signal(id, 'Reject', { Comment: ['replica lag too high'] });
    await waitForStatus(runtime, id, 'Failed');
    const lines = await eventually(async () => {
      const found = await runbookTimeline(runtime, incidentArn);
      if (found.at(-1)?.type !== RUNBOOK_EVENT_TYPES.ended) throw new Error('no end yet');
      return found;
    });
    const summaries = lines.map((l) => l.data.summary as string);
    expect(summaries).toContain('Runbook step Critical (aws:branch) succeeded.');
    expect(summaries.find((s) => s.startsWith('Runbook step Approve (aws:approve) failed'))).toMatch(
      /replica lag too high/,
    );
    expect(summaries.at(-1)).toMatch(/ended Failed: Step Approve failed maximum allowed times\. .*rejected/);
    const [runbook] = await runbookView(incidentArn);
    expect(runbook!.steps.map((s: Record<string, unknown>) => [s.stepName, s.status])).toEqual([
      ['Critical', 'success'],
      ['Approve', 'failed'],
      ['Failover', 'skipped'],
      ['Log', 'skipped'],
    ]);
    expect(runbook!.steps[1].failureMessage).toMatch(/replica lag too high/);
  });

  it('refuses the runbook view for an incident that does not exist, naming the field', async () => {
    const response = await rawRequest(runtime, 'POST', '/getIncidentRunbooks', {
      incidentRecordArn: 'arn:aws:ssm-incidents::111122223333:incident-record/plan/none',
    });
    expect(response.status).toBe(404);
    const invalid = await rawRequest(runtime, 'POST', '/getIncidentRunbooks', {});
    expect(invalid.status).toBe(400);
    expect(invalid.text).toMatch(/incidentRecordArn/);
  });
});
