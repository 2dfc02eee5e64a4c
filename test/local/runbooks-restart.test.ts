/**
 * Nothing promised is lost when `npm start` restarts: a runbook waiting on a manual step still waits (and takes the
 * signal) after the local runtime stops and starts again on the same data, a sleep ends at its original deadline,
 * the runbook workflow runs again to its end, and the incident's timeline gets the rest of the runbook.
 */
import { SendAutomationSignalCommand, StartAutomationExecutionCommand } from '@aws-sdk/client-ssm';
import { afterAll, describe, expect, it } from 'vitest';
import { RUNBOOK_EVENT_TYPES } from '#core/runbooks/timeline.ts';
import {
  createDocument,
  eventually,
  execution,
  executionIdOf,
  openIncident,
  planFor,
  runbookTimeline,
  waitForStatus,
  workflowOf,
} from '../compat/runbooks-helpers.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

const SCALE = 1000;
const running: TestRuntime[] = [];
const start = async (tableName?: string) => {
  const runtime = await startTestRuntime({ timeScale: SCALE, ...(tableName ? { tableName } : {}) });
  running.push(runtime);
  return runtime;
};
const stop = async (runtime: TestRuntime) => {
  running.splice(running.indexOf(runtime), 1);
  await runtime.stop();
};
afterAll(async () => {
  for (const runtime of running) await runtime.stop();
});

describe('restarting the local runtime', () => {
  it('keeps a waiting runbook waiting, takes the signal after the restart and records the rest on the incident', async () => {
    const first = await start();
    const document = await createDocument(
      first,
      `schemaVersion: '0.3'
mainSteps:
  - name: Triage
    action: aws:pause
    inputs: {}
  - name: Settle
    action: aws:sleep
    inputs: { Duration: PT1M }
`,
    );
    const incidentArn = await openIncident(first, await planFor(first, document));
    const id = await executionIdOf(first, incidentArn);
    await waitForStatus(first, id, 'Waiting');
    await eventually(async () => {
      if (!(await runbookTimeline(first, incidentArn)).some((l) => l.data.status === 'Waiting')) throw new Error('no');
    });
    await stop(first);

    const second = await start(first.tableName);
    expect((await execution(second, id)).AutomationExecutionStatus).toBe('Waiting');
    await second.ssmClient().send(
      new SendAutomationSignalCommand({
        AutomationExecutionId: id,
        SignalType: 'Resume',
        Payload: { StepName: ['Triage'] },
      }),
    );
    const done = await waitForStatus(second, id, ['Success', 'Failed']);
    expect(done.AutomationExecutionStatus).toBe('Success');
    const lines = await eventually(async () => {
      const found = await runbookTimeline(second, incidentArn);
      if (found.at(-1)?.type !== RUNBOOK_EVENT_TYPES.ended) throw new Error('no end yet');
      return found;
    });
    expect(lines.map((l) => `${l.data.stepName ?? '-'} ${l.data.status ?? ''}`.trim())).toEqual([
      '-',
      'Triage Waiting',
      'Triage Success',
      'Settle InProgress',
      'Settle Success',
      '- Success',
    ]);
    // The workflow journal ran the runbook workflow again; it converged on the same execution and ended.
    await eventually(async () => expect(workflowOf(second, incidentArn)?.status).toBe('SUCCEEDED'));
    expect(workflowOf(second, incidentArn)!.output).toMatchObject({ outcome: { executionId: id, status: 'Success' } });
    await stop(second);
  });

  it('ends a sleep at its original deadline, not a full sleep after the restart', async () => {
    const first = await start();
    const document = await createDocument(
      first,
      `schemaVersion: '0.3'
mainSteps:
  - name: Nap
    action: aws:sleep
    inputs: { Duration: PT1H }
`,
    );
    const { AutomationExecutionId: id } = await first
      .ssmClient()
      .send(new StartAutomationExecutionCommand({ DocumentName: document }));
    const sleeping = await eventually(async () => {
      const found = await execution(first, id!);
      if (found.StepExecutions![0]!.StepStatus !== 'InProgress') throw new Error('not sleeping yet');
      return found;
    });
    const deadline = sleeping.StepExecutions![0]!.ExecutionStartTime!.getTime() + (3600 * 1000) / SCALE;
    await stop(first);

    const second = await start(first.tableName);
    const done = await waitForStatus(second, id!, 'Success');
    const ended = done.StepExecutions![0]!.ExecutionEndTime!.getTime();
    expect(ended).toBeGreaterThanOrEqual(deadline - 50);
    // Resumed with what was left: well before a whole new 3.6 s sleep after the restart would have ended.
    expect(ended).toBeLessThan(deadline + 3000);
    await stop(second);
  });
});
