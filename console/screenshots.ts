/**
 * `npm run screenshots:console`: starts a local runtime (in memory), fills it with the demo on-call set-up and a few
 * incidents, and saves screenshots of the console's main views to docs/screenshots/ (shown in the README).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCli } from '../local/cli.ts';

parseCli(process.argv.slice(2), {
  usage: 'npm run screenshots:console',
  description:
    "Starts a local runtime in memory with a demo set-up and saves screenshots of the console's main views to\n" +
    'docs/screenshots/ (needs chromium).',
  options: {},
});

// Loaded once the command line is known to be good: `--help` and a mistyped flag answer at once, without loading
// the SDK clients and the local runtime first.
const { GetAutomationExecutionCommand, SendAutomationSignalCommand, SSMClient } = await import('@aws-sdk/client-ssm');
const { SSMContactsClient } = await import('@aws-sdk/client-ssm-contacts');
const {
  CreateResponsePlanCommand,
  CreateTimelineEventCommand,
  GetIncidentRecordCommand,
  SSMIncidentsClient,
  StartIncidentCommand,
  UpdateIncidentRecordCommand,
} = await import('@aws-sdk/client-ssm-incidents');
const { AnalysisClient } = await import('../lib/client/index.ts');
const { freePort } = await import('../local/dynamodb-local.ts');
const { startLocalRuntime } = await import('../local/runtime.ts');
const { launchChromium } = await import('../test/support/browser.ts');
const { seedDemo } = await import('../test/support/console-demo.ts');
const { describeBuild, ensureConsoleBuilt } = await import('./build.ts');

const OUT = join(process.cwd(), 'docs', 'screenshots');
const REGION = 'us-east-1';

const built = await ensureConsoleBuilt();
if (built) console.log(describeBuild(built));
const runtime = await startLocalRuntime({
  port: await freePort(),
  accountId: '123456789012',
  region: REGION,
  tableName: 'screenshots',
  timeScale: 600,
});
const client = (key: string) => ({
  endpoint: runtime.url,
  region: REGION,
  credentials: { accessKeyId: key, secretAccessKey: 'local' },
});
const incidents = new SSMIncidentsClient(client('alice'));
const contacts = new SSMContactsClient(client('alice'));
const ssm = new SSMClient(client('alice'));
const analyses = new AnalysisClient(client('alice'));

/** Polls until `probe` returns a value (the runbook and its steps start asynchronously). */
async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('screenshots: the demo runbook did not get going');
}

/** An incident whose plan runs Incident Manager's critical-incident runbook, its first manual step already done. */
async function runbookIncident(): Promise<string> {
  const { arn: plan } = await incidents.send(
    new CreateResponsePlanCommand({
      name: 'payments-critical',
      displayName: 'Payments (critical)',
      incidentTemplate: { title: 'Card payments declined', impact: 1 },
      actions: [
        {
          ssmAutomation: {
            documentName: 'AWSIncidents-CriticalIncidentRunbookTemplate',
            roleArn: 'arn:aws:iam::123456789012:role/IncidentRunbookRole',
          },
        },
      ],
    }),
  );
  const { incidentRecordArn } = await incidents.send(new StartIncidentCommand({ responsePlanArn: plan }));
  await runtime.changes.caughtUp();
  const executionArn = await until(async () => {
    const { incidentRecord } = await incidents.send(new GetIncidentRecordCommand({ arn: incidentRecordArn }));
    return incidentRecord?.automationExecutions?.[0]?.ssmExecutionArn;
  });
  const executionId = executionArn.slice(executionArn.lastIndexOf('/') + 1);
  const waitingOn = (stepName: string) =>
    until(async () => {
      const { AutomationExecution } = await ssm.send(
        new GetAutomationExecutionCommand({ AutomationExecutionId: executionId }),
      );
      const step = AutomationExecution?.StepExecutions?.find((s) => s.StepName === stepName);
      return step?.StepStatus === 'Waiting' ? step : undefined;
    });
  await waitingOn('Triage');
  await ssm.send(
    new SendAutomationSignalCommand({
      AutomationExecutionId: executionId,
      SignalType: 'Resume',
      Payload: { StepName: ['Triage'] },
    }),
  );
  await waitingOn('Diagnosis');
  return incidentRecordArn!;
}
try {
  const demo = await seedDemo(runtime, incidents, contacts);
  const manual = await incidents.send(
    new StartIncidentCommand({ responsePlanArn: demo.plans.database, title: 'Orders database replica lag', impact: 3 }),
  );
  await incidents.send(
    new CreateTimelineEventCommand({
      incidentRecordArn: demo.alarmIncident,
      eventType: 'Note',
      eventTime: new Date(),
      eventData: 'Scaled the checkout fleet from 6 to 10 hosts.',
    }),
  );
  const old = await incidents.send(
    new StartIncidentCommand({ responsePlanArn: demo.plans.database, title: 'Search latency above 2 s', impact: 4 }),
  );
  await incidents.send(new UpdateIncidentRecordCommand({ arn: old.incidentRecordArn, status: 'RESOLVED' }));
  const { analysisArn } = await analyses.createAnalysis({ incidentRecordArn: old.incidentRecordArn! });
  const { analysis } = await analyses.getAnalysis({ arn: analysisArn });
  const overview = analysis.sections[0]!;
  await analyses.updateAnalysisSection({
    arn: analysisArn,
    sectionId: overview.sectionId,
    expectedVersion: overview.version,
    answers: {
      S1: 'A search index rebuild ran during peak hours and starved the query nodes.\n\nWe paused the rebuild and moved it to the night window.',
    },
  });
  await analyses.createActionItem({
    analysisArn,
    title: 'Schedule index rebuilds outside peak hours',
    priority: 'HIGH',
    status: 'IN_PROGRESS',
  });
  const runbook = await runbookIncident();
  // Let the alarm incident's page go out, so the Engagements tab has something to show.
  await new Promise((resolve) => setTimeout(resolve, 1500));

  mkdirSync(OUT, { recursive: true });
  const browser = await launchChromium();
  const shoot = async (name: string, path: string, ready: string, width = 1280) => {
    // A viewer in New York, so the calendar shows its conversion from the rotation's Paris time.
    const page = await browser.newPage({ viewport: { width, height: 860 }, timezoneId: 'America/New_York' });
    await page.goto(`${runtime.url}${path}`);
    await page.locator(ready).first().waitFor();
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: width < 500 });
    await page.close();
    console.log(`docs/screenshots/${name}.png`);
  };
  const incident = (arn: string, tab?: string) => `/incident?${new URLSearchParams({ arn, ...(tab ? { tab } : {}) })}`;
  await shoot('incident-list', '/incidents', 'table.incidents');
  await shoot('incident-overview', incident(demo.alarmIncident), '.overview .recent li');
  await shoot('incident-timeline', incident(demo.alarmIncident, 'timeline'), 'ol.timeline li');
  await shoot('incident-metrics', incident(demo.alarmIncident, 'metrics'), '.chart canvas');
  await shoot('incident-engagements', incident(demo.alarmIncident, 'engagements'), '.page-item');
  await shoot('incident-runbook', incident(runbook, 'runbook'), 'ol.steps li');
  await shoot('incident-analysis', incident(old.incidentRecordArn!, 'analysis'), '.figures dd');
  await shoot('response-plan', `/plan?arn=${encodeURIComponent(demo.plans.checkout)}`, '.checks li');
  await shoot('on-call', '/on-call', '.calendar .shift');
  await shoot('contacts', '/contacts', '.stages li');
  await shoot('incident-list-phone', '/incidents', 'table.incidents', 390);
  await shoot('incident-overview-phone', incident(manual.incidentRecordArn!), '.overview', 390);
  await browser.close();
} finally {
  incidents.destroy();
  contacts.destroy();
  ssm.destroy();
  await runtime.stop();
}
