/**
 * The sample runbooks (samples/runbooks/) work out of the box locally: `npm run runbooks -- load-samples` creates
 * them (and is idempotent), and each runs from a response plan when an incident opens: the timeline note, the
 * diagnostics script over the involved resources, and the impact branch with its approval.
 */
import { SendAutomationSignalCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSamples } from '../../local/runbooks-cli.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { eventually, executionIdOf, openIncident, planFor, timeline, waitForStatus } from './runbooks-helpers.ts';

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime({ timeScale: 10_000 });
});
afterAll(async () => runtime?.stop());

const incidentDynamic = { IncidentRecordArn: { variable: 'INCIDENT_RECORD_ARN' } };

const userEvents = async (incidentArn: string) => {
  const { GetTimelineEventCommand } = await import('@aws-sdk/client-ssm-incidents');
  const found: { type: string; data: string }[] = [];
  for (const summary of await timeline(runtime, incidentArn))
    if (summary.eventType === 'Note' || summary.eventType === 'Custom Event') {
      const { event } = await runtime
        .incidentsClient()
        .send(new GetTimelineEventCommand({ incidentRecordArn: incidentArn, eventId: summary.eventId }));
      found.push({ type: summary.eventType, data: event!.eventData! });
    }
  return found;
};

describe('sample runbooks', () => {
  it('load-samples creates each sample once and reports unchanged ones on a second run', async () => {
    expect(await loadSamples(runtime.ssmClient())).toEqual([
      'created Incident-Diagnostics',
      'created Incident-FailoverApproval',
      'created Incident-TimelineNote',
    ]);
    expect(await loadSamples(runtime.ssmClient())).toEqual([
      'unchanged Incident-Diagnostics',
      'unchanged Incident-FailoverApproval',
      'unchanged Incident-TimelineNote',
    ]);
  });

  it('Incident-TimelineNote reads the incident and notes it on the timeline', async () => {
    const incidentArn = await openIncident(
      runtime,
      await planFor(runtime, 'Incident-TimelineNote', { dynamicParameters: incidentDynamic }),
    );
    const done = await waitForStatus(runtime, await executionIdOf(runtime, incidentArn), ['Success', 'Failed']);
    expect(done.AutomationExecutionStatus).toBe('Success');
    const [note] = await eventually(async () => {
      const found = await userEvents(incidentArn);
      if (!found.length) throw new Error('no note yet');
      return found;
    });
    expect(note!.type).toBe('Note');
    expect(note!.data).toMatch(/picked up "Checkout is failing" \(impact 2, OPEN\)/);
  });

  it('Incident-Diagnostics summarises the involved resources with a script', async () => {
    const incidentArn = await openIncident(
      runtime,
      await planFor(runtime, 'Incident-Diagnostics', {
        dynamicParameters: { ...incidentDynamic, InvolvedResources: { variable: 'INVOLVED_RESOURCES' } },
      }),
      {
        relatedItems: ['i-1', 'i-2'].map((id) => ({
          identifier: {
            type: 'INVOLVED_RESOURCE',
            value: { arn: `arn:aws:ec2:us-east-1:111122223333:instance/${id}` },
          },
        })),
      },
    );
    const done = await waitForStatus(runtime, await executionIdOf(runtime, incidentArn), ['Success', 'Failed']);
    expect(done.Outputs).toMatchObject({ 'Summarize.Summary': ['2 ec2 instance'], 'Summarize.Count': ['2'] });
    const events = await eventually(async () => {
      const found = await userEvents(incidentArn);
      if (!found.length) throw new Error('no event yet');
      return found;
    });
    expect(events.map((e) => e.data)).toEqual(['Involved resources: 2 ec2 instance']);
  });

  it('Incident-FailoverApproval asks for an approval on a high-impact incident and fails over once approved', async () => {
    const incidentArn = await openIncident(
      runtime,
      await planFor(runtime, 'Incident-FailoverApproval', {
        dynamicParameters: incidentDynamic,
        parameters: { Approvers: ['oncall-lead'] },
      }),
    );
    const id = await executionIdOf(runtime, incidentArn);
    const waiting = await waitForStatus(runtime, id, 'Waiting');
    expect(waiting.CurrentStepName).toBe('ApproveFailover');
    await runtime
      .ssmClient('oncall-lead')
      .send(new SendAutomationSignalCommand({ AutomationExecutionId: id, SignalType: 'Approve' }));
    const done = await waitForStatus(runtime, id, ['Success', 'Failed']);
    expect(done.StepExecutions!.map((s) => [s.StepName, s.StepStatus])).toEqual([
      ['Now', 'Success'],
      ['ReadImpact', 'Success'],
      ['HighImpact', 'Success'],
      ['ApproveFailover', 'Success'],
      ['Failover', 'Success'],
      ['RecordFailover', 'Success'],
      ['RecordRejection', 'Pending'],
      ['NoFailover', 'Pending'],
    ]);
    const events = await eventually(async () => {
      const found = await userEvents(incidentArn);
      if (!found.length) throw new Error('no event yet');
      return found;
    });
    expect(events.map((e) => e.data)).toEqual([expect.stringMatching(/^Failed over to the standby Region/)]);
  });
});
