/**
 * The logic of the incident page's Runbook and Analysis tabs: which signals a waiting step takes and what
 * SendAutomationSignal is sent (the local engine and SSM need StepName for Resume), the CLI command shown to viewers,
 * which related item links the analysis, and the key figures in words.
 */
import { describe, expect, it } from 'vitest';
import { analysisArnOf, keyFigureRows } from '../../console/src/views/incident/analysis/analysis-data.ts';
import {
  type Runbook,
  type RunbookStep,
  signalCommand,
  signalPayload,
  signalsFor,
} from '../../console/src/views/incident/runbook/runbooks.ts';

const step = (over: Partial<RunbookStep>): RunbookStep => ({
  stepName: 'Triage',
  action: 'aws:pause',
  status: 'waiting',
  ssmStatus: 'Waiting',
  current: true,
  stepExecutionId: 's-1',
  ...over,
});
const runbook: Runbook = {
  ssmExecutionArn: 'arn:aws:ssm:us-east-1:1:automation-execution/e-1',
  executionId: 'e-1',
  status: 'Waiting',
  steps: [],
};

describe('runbook signals', () => {
  it('offers Resume on a waiting pause, Approve and Reject on a waiting approval, nothing otherwise', () => {
    // Act
    const offered = [
      signalsFor(step({})),
      signalsFor(step({ action: 'aws:approve' })),
      signalsFor(step({ status: 'in progress' })),
      signalsFor(step({ action: 'aws:sleep' })),
      signalsFor(step({ status: 'success' })),
    ];

    // Assess
    expect(offered).toEqual([['Resume'], ['Approve', 'Reject'], [], [], []]);
  });

  it('names the paused step on Resume, carries a comment on a decision only when one was written', () => {
    // Act
    const resume = signalPayload('Resume', step({}), 'ignored');
    const approve = signalPayload('Approve', step({ action: 'aws:approve' }), '  looks safe ');
    const reject = signalPayload('Reject', step({ action: 'aws:approve' }), '   ');

    // Assess
    expect(resume).toEqual({ StepName: ['Triage'] });
    expect(approve).toEqual({ Comment: ['looks safe'] });
    expect(reject).toBeUndefined();
  });

  it('gives viewers the AWS CLI command of the signal', () => {
    // Act
    const command = signalCommand(runbook, step({}), 'Resume');

    // Assess
    expect(command).toBe(
      'aws ssm send-automation-signal --automation-execution-id e-1 --signal-type Resume --payload StepName=Triage',
    );
  });
});

describe('analysis tab', () => {
  it("finds the analysis by the incident's ANALYSIS related item", () => {
    // Act
    const found = analysisArnOf([
      { identifier: { type: 'OTHER', value: { url: 'https://example.com' } } },
      { identifier: { type: 'ANALYSIS', value: { arn: 'arn:aws:ssm-incidents::1:analysis/a' } } },
    ]);
    const none = analysisArnOf([{ identifier: { type: 'AUTOMATION', value: { arn: 'arn:x' } } }]);

    // Assess
    expect(found).toBe('arn:aws:ssm-incidents::1:analysis/a');
    expect(none).toBeUndefined();
  });

  it('words the key figures, and says why a time is missing', () => {
    // Act
    const rows = Object.fromEntries(
      keyFigureRows({
        creationTime: new Date(0),
        timeToEngageSeconds: 120,
        timeToResolveSeconds: 5400,
        reopenCount: 1,
        acknowledged: false,
        pages: 2,
        pagesAcknowledged: 0,
        contactsPaged: 2,
        engagements: 1,
        escalationStagesReached: 2,
        runbookExecutions: 1,
        runbookStepsRun: 3,
      }),
    );

    // Assess
    expect(rows).toMatchObject({
      'Time to detect': '— (not opened by an alarm)',
      'Time to engage': '2 min',
      'Time to acknowledge': '— (never acknowledged)',
      'Time to resolve': '1 h 30 min',
      Pages: '2 (0 acknowledged)',
      'Runbook steps run': '3',
      Reopened: '1 time',
    });
  });
});
