/**
 * The incident page's Runbook and Analysis tabs in a real browser (Debian's Chromium driven by playwright-core),
 * against the local runtime on a free port: a runbook started by the incident's response plan shows its steps with
 * the paused one current, and Resume (SSM SendAutomationSignal to the local Automation engine) moves it on; a
 * resolved incident gets a post-incident analysis from the default template, an answer saved, a concurrent edit
 * reported as a conflict, and an action item whose status is changed.
 */
import { readFileSync } from 'node:fs';
import {
  CreateResponsePlanCommand,
  StartIncidentCommand,
  UpdateIncidentRecordCommand,
} from '@aws-sdk/client-ssm-incidents';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisClient } from '../../lib/client/index.ts';
import {
  createDocument,
  eventually,
  execution,
  executionIdOf,
  openIncident,
  planFor,
  uniqueName,
  waitForStatus,
} from '../compat/runbooks-helpers.ts';
import {
  chromiumPath,
  launchChromium,
  MISSING_CHROMIUM,
  type PageProblems,
  seriousAxeViolations,
  viewsWiderThanPhone,
  watchedPage,
} from '../support/browser.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

const hasChromium = chromiumPath() !== undefined;
if (!hasChromium && process.env.CI)
  throw new Error(`${MISSING_CHROMIUM} In CI this is a failure (.ci/run installs it).`);
if (!hasChromium) console.warn(MISSING_CHROMIUM);

const incidentPath = (arn: string, tab: string) => `/incident?${new URLSearchParams({ arn, tab })}`;

/** Triage waits for a person; Check sleeps; Verify waits again (so the runbook is still running after Resume). */
const PAUSED_RUNBOOK = `schemaVersion: '0.3'
description: Triage by hand, then verify.
assumeRole: '{{ AutomationAssumeRole }}'
parameters:
  AutomationAssumeRole: { type: String, default: '' }
mainSteps:
  - name: Triage
    action: aws:pause
    inputs: {}
  - name: Check
    action: aws:sleep
    inputs: { Duration: PT1S }
  - name: Verify
    action: aws:pause
    inputs: {}
`;

/** An approval whose approver is the console's default responder name (locally the access key is the caller). */
const APPROVAL_RUNBOOK = `schemaVersion: '0.3'
description: Ask before failing over.
assumeRole: '{{ AutomationAssumeRole }}'
parameters:
  AutomationAssumeRole: { type: String, default: '' }
mainSteps:
  - name: Approve
    action: aws:approve
    inputs: { Approvers: [responder], Message: Fail over the database? }
  - name: Failover
    action: aws:sleep
    inputs: { Duration: PT1S }
`;

describe.skipIf(!hasChromium)('web console: Runbook and Analysis tabs', () => {
  let runtime: TestRuntime;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;
  /** The incidents the tests below open, for the accessibility and small-screen checks at the end. */
  let runbookIncident: string;
  let analysisIncident: string;
  const open = (path: string) => page.goto(`${runtime.url}${path}`);

  beforeAll(async () => {
    runtime = await startTestRuntime({ timeScale: 600 });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    ({ page, problems } = await watchedPage(context));
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  it("shows a runbook's steps with the paused one current, and Resume moves the runbook on", async () => {
    // Arrange
    const document = await createDocument(runtime, PAUSED_RUNBOOK);
    const incidentArn = await openIncident(runtime, await planFor(runtime, document));
    runbookIncident = incidentArn;
    const executionId = await executionIdOf(runtime, incidentArn);
    await waitForStatus(runtime, executionId, 'Waiting');

    // Act
    await open(incidentPath(incidentArn, 'runbook'));
    const steps = page.getByRole('list', { name: `Steps of ${document}` }).getByRole('listitem');
    await steps.first().waitFor();
    const before = await steps.allTextContents();
    const currentBefore = await page.locator('li[aria-current="step"] .step-name').textContent();
    await page.getByRole('button', { name: 'Resume' }).click();

    // Assess
    expect(before).toHaveLength(3);
    expect(before[0]).toContain('Waiting for a person');
    expect(before[0]).toContain('Current step');
    expect(before[1]).toContain('Pending');
    expect(before[2]).toContain('Pending');
    expect(currentBefore).toBe('Triage');
    const resumed = await eventually(async () => {
      const found = await execution(runtime, executionId);
      if (found.StepExecutions?.[0]?.StepStatus !== 'Success') throw new Error('Triage not resumed yet');
      return found;
    });
    expect(resumed.StepExecutions?.[0]?.StepName).toBe('Triage');
    // The view follows the runbook by itself: Triage succeeded, Verify is now the step waiting for a person.
    await expect
      .poll(
        () =>
          page
            .locator('li[aria-current="step"] .step-name')
            .textContent()
            .catch(() => ''),
        { timeout: 15_000 },
      )
      .toBe('Verify');
    expect(await steps.first().textContent()).toContain('Succeeded');
    expect(problems).toEqual({ errors: [], cspViolations: [], alerts: [] });
  });

  it('rejects an approval step with a comment (after confirming) and shows the failure reason', async () => {
    // Arrange
    const document = await createDocument(runtime, APPROVAL_RUNBOOK);
    const incidentArn = await openIncident(runtime, await planFor(runtime, document));
    const executionId = await executionIdOf(runtime, incidentArn);
    await waitForStatus(runtime, executionId, 'Waiting');

    // Act
    await open(incidentPath(incidentArn, 'runbook'));
    const question = await page
      .locator('li[aria-current="step"]')
      .getByText('Fail over the database?', { exact: true })
      .textContent();
    await page.getByLabel('Comment (optional)').fill('replica lag too high');
    await page.getByRole('button', { name: 'Reject' }).click();

    // Assess
    const ended = await waitForStatus(runtime, executionId, 'Failed');
    expect(question).toBe('Fail over the database?');
    expect(ended.StepExecutions?.[0]?.FailureMessage).toMatch(/rejected by .*responder: replica lag too high/);
    const approveStep = page
      .getByRole('list', { name: `Steps of ${document}` })
      .getByRole('listitem')
      .first();
    // The view refreshes itself while the runbook runs; between the signal and the step's end the step may show its
    // decision while still in progress, so wait for what a responder ends up reading: failed, with the reason.
    await expect.poll(() => approveStep.textContent(), { timeout: 15_000 }).toMatch(/^Failed/);
    expect(await approveStep.textContent()).toContain('replica lag too high');
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(problems).toEqual({ errors: [], cspViolations: [], alerts: [] });
  });

  describe('Analysis', () => {
    let incidentArn: string;
    const analysisClient = () =>
      new AnalysisClient({
        endpoint: runtime.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'someone-else', secretAccessKey: 'local' },
      });

    beforeAll(async () => {
      const incidents = runtime.incidentsClient();
      const { arn: plan } = await incidents.send(
        new CreateResponsePlanCommand({
          name: uniqueName('plan'),
          incidentTemplate: { title: 'Search is slow', impact: 3 },
        }),
      );
      ({ incidentRecordArn: incidentArn } = (await incidents.send(
        new StartIncidentCommand({ responsePlanArn: plan }),
      )) as { incidentRecordArn: string });
      await incidents.send(new UpdateIncidentRecordCommand({ arn: incidentArn, status: 'RESOLVED' }));
      analysisIncident = incidentArn;
    });

    it('creates the analysis of a resolved incident from the default template and saves an answer', async () => {
      // Act
      await open(incidentPath(incidentArn, 'analysis'));
      await page.getByRole('button', { name: 'Create analysis' }).click();
      await page.getByRole('heading', { name: 'Key figures' }).waitFor();
      await page.getByRole('button', { name: 'Edit answer to Summary' }).click();
      await page.getByLabel('Answer to Summary (Markdown)').fill('A bad index made **search** slow.\n\n- rebuilt it');
      await page.getByRole('button', { name: 'Save answer' }).click();

      // Assess
      await page.locator('.answer').filter({ hasText: 'A bad index made **search** slow.' }).waitFor();
      const [summary] = (await analysisClient().listAnalyses({ incidentRecordArn: incidentArn })).analysisSummaries;
      const { analysis } = await analysisClient().getAnalysis({ arn: summary!.arn });
      const overview = analysis.sections.find((s) => s.name === 'Overview')!;
      const summaryAnswer = overview.components.flatMap((c) => (c.type === 'questions' ? c.questions : []))[0];
      expect(summaryAnswer?.answer).toBe('A bad index made **search** slow.\n\n- rebuilt it');
      expect(analysis.template.name).toBe('AWSIncidents-PostIncidentAnalysisTemplate');
      expect(problems).toEqual({ errors: [], cspViolations: [], alerts: [] });
    });

    it('reports a concurrent edit of the section as a conflict, reloads, and keeps the text being typed', async () => {
      // Arrange
      await page.getByRole('button', { name: 'Edit answer to Impact' }).click();
      await page.getByLabel('Answer to Impact (Markdown)').fill('Searches took 9 s for an hour.');
      const [summary] = (await analysisClient().listAnalyses({ incidentRecordArn: incidentArn })).analysisSummaries;
      const { analysis } = await analysisClient().getAnalysis({ arn: summary!.arn });
      const overview = analysis.sections.find((s) => s.name === 'Overview')!;
      await analysisClient().updateAnalysisSection({
        arn: analysis.arn,
        sectionId: overview.sectionId,
        expectedVersion: overview.version,
        answers: { S1: 'Rewritten by a colleague' },
      });

      // Act
      await page.getByRole('button', { name: 'Save answer' }).click();

      // Assess
      const alert = page.getByRole('alert').filter({ hasText: 'Not saved' });
      await alert.waitFor();
      expect(await alert.textContent()).toContain('ConflictException');
      await page.locator('.answer').filter({ hasText: 'Rewritten by a colleague' }).waitFor();
      expect(await page.getByLabel('Answer to Impact (Markdown)').inputValue()).toBe('Searches took 9 s for an hour.');
    });

    it('adds an action item and changes its status', async () => {
      // Act
      await page.getByLabel('Title', { exact: true }).fill('Alarm on index build failures');
      await page.getByLabel('Priority', { exact: true }).selectOption('HIGH');
      await page.getByRole('button', { name: 'Add action item' }).click();
      const status = page.getByLabel('Status of Alarm on index build failures');
      await status.waitFor();
      await status.selectOption('IN_PROGRESS');

      // Assess
      await expect
        .poll(async () => (await analysisClient().listActionItems({})).actionItems.map((i) => [i.title, i.status]))
        .toContainEqual(['Alarm on index build failures', 'IN_PROGRESS']);
      expect(problems).toEqual({ errors: [], cspViolations: [], alerts: [] });
    });

    it('exports the analysis as a Markdown file with the saved answer', async () => {
      // Act
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export as Markdown' }).click(),
      ]);
      const path = await download.path();

      // Assess
      expect(download.suggestedFilename()).toMatch(/\.md$/);
      expect(readFileSync(path, 'utf8')).toContain('Rewritten by a colleague');
    });

    it('publishes the analysis after review, confirming its unchecked checklist items; then answers are read-only', async () => {
      // Act
      await page.getByRole('button', { name: 'Send for review' }).click();
      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      const refusal = await page.getByRole('alert').filter({ hasText: 'acknowledgeOpenChecklistItems' }).textContent();
      await page.getByRole('button', { name: 'Publish with unchecked items' }).click();

      // Assess
      await page.locator('.analysis .run-status').filter({ hasText: 'Published' }).waitFor();
      expect(refusal).toMatch(/unchecked checklist item/);
      expect(await page.getByRole('button', { name: /^Edit answer/ }).count()).toBe(0);
      const [summary] = (await analysisClient().listAnalyses({ incidentRecordArn: incidentArn })).analysisSummaries;
      expect(summary?.status).toBe('PUBLISHED');
      expect(problems).toEqual({ errors: [], cspViolations: [], alerts: [] });
    });
  });

  describe('accessibility and small screens', () => {
    const VIEWS = () => [
      { name: 'runbook', path: incidentPath(runbookIncident, 'runbook'), ready: 'ol.steps li' },
      { name: 'analysis', path: incidentPath(analysisIncident, 'analysis'), ready: '.figures dd' },
    ];

    it('has no serious or critical axe-core violation on the Runbook and Analysis tabs', async () => {
      // Arrange: axe-core is injected as a script, which the console's CSP rightly refuses.
      const relaxed = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
      const axePage = await relaxed.newPage();

      // Act
      const found: Record<string, unknown> = {};
      for (const view of VIEWS()) {
        await axePage.goto(`${runtime.url}${view.path}`);
        await axePage.locator(view.ready).first().waitFor();
        const violations = await seriousAxeViolations(axePage);
        if (violations.length) found[view.name] = violations;
      }
      await relaxed.close();

      // Assess
      expect(found).toEqual({});
    });

    it('fits the Runbook and Analysis tabs on a 390 px wide screen without sideways scrolling', async () => {
      // Act
      const overflowing = await viewsWiderThanPhone(browser, runtime.url, VIEWS());

      // Assess
      expect(overflowing).toEqual({});
    });
  });
});
