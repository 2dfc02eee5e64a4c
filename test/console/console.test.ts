/**
 * The web console in a real browser (Debian's Chromium driven by playwright-core), against the local runtime on a
 * free port, as a responder uses it: start an incident, find and open it, triage it, acknowledge a page, resolve
 * it; create a plan and see the API's field error; see who is on call and add an override. Plus the quality bar:
 * user text is never markup, the CSP is never violated, no serious axe-core violations, usable at 390 px.
 */
import {
  DescribePageCommand,
  ListEngagementsCommand,
  ListPagesByEngagementCommand,
} from '@aws-sdk/client-ssm-contacts';
import { GetIncidentRecordCommand, StartIncidentCommand } from '@aws-sdk/client-ssm-incidents';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../compat/engagements-helpers.ts';
import {
  chromiumPath,
  launchChromium,
  MISSING_CHROMIUM,
  type PageProblems,
  seriousAxeViolations,
  viewsWiderThanPhone,
  watchedPage,
} from '../support/browser.ts';
import { type Demo, seedDemo } from '../support/console-demo.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

const hasChromium = chromiumPath() !== undefined;
if (!hasChromium && process.env.CI)
  throw new Error(`${MISSING_CHROMIUM} In CI this is a failure (.ci/run installs it).`);
if (!hasChromium) console.warn(MISSING_CHROMIUM);

const XSS_TITLE = '<img src=x onerror=alert(1)>';
const incidentPath = (arn: string, tab?: string) =>
  `/incident?${new URLSearchParams({ arn, ...(tab ? { tab } : {}) })}`;

describe.skipIf(!hasChromium)('web console', () => {
  let runtime: TestRuntime;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;
  let demo: Demo;
  const open = (path: string) => page.goto(`${runtime.url}${path}`);

  beforeAll(async () => {
    runtime = await startTestRuntime({ timeScale: 600 });
    demo = await seedDemo(runtime, runtime.incidentsClient('seed'), runtime.contactsClient('seed'));
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'America/New_York' });
    context.setDefaultTimeout(15_000);
    ({ page, problems } = await watchedPage(context));
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  it('is served at the endpoint root with a strict CSP, and starts an incident under the responder name', async () => {
    // Act
    const response = await open('/');
    await page.getByRole('button', { name: 'Change name' }).click();
    await page.getByLabel('Your name').fill('dana');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Start incident' }).click();
    await page.locator('#start-plan').selectOption({ label: 'Checkout' });
    await page.getByLabel('Title (optional)').fill('Payments time out');
    await page.getByRole('button', { name: 'Start', exact: true }).click();

    // Assess
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response?.headers()['x-content-type-options']).toBe('nosniff');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Payments time out');
    expect(new URL(page.url()).pathname).toBe('/incident');
  });

  it('finds the new incident in the open list (created by the responder) and opens it', async () => {
    // Act
    await open('/incidents');
    const row = page.getByRole('row').filter({ hasText: 'Payments time out' });
    await row.waitFor();
    const createdBy = await row.locator('td[data-label="Created by"]').textContent();
    await row.getByRole('link', { name: 'Payments time out' }).click();

    // Assess
    expect(createdBy).toBe('dana');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Payments time out');
    expect(await page.getByRole('tab', { name: 'Overview' }).getAttribute('aria-selected')).toBe('true');
  });

  it('changes the impact and adds a timeline note', async () => {
    // Act
    await page.getByLabel('Impact', { exact: true }).selectOption('1');
    await page.getByRole('button', { name: 'Change impact' }).click();
    await page.locator('.banner .impact').filter({ hasText: 'Critical' }).waitFor();
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await page.getByLabel('Text').fill('Rolled back deploy 42');
    await page.getByRole('button', { name: 'Add note' }).click();

    // Assess
    const timeline = page.getByRole('list', { name: 'Timeline events, oldest first' });
    await timeline.getByText('Rolled back deploy 42').waitFor();
    await timeline.getByText('dana changed impact to 1 Critical').waitFor();
    const arn = new URL(page.url()).searchParams.get('arn')!;
    const { incidentRecord } = await runtime.incidentsClient().send(new GetIncidentRecordCommand({ arn }));
    expect(incidentRecord?.impact).toBe(1);
    expect(incidentRecord?.lastModifiedBy).toMatch(/user\/dana$/);
  });

  it('switches incident tabs with the arrow keys', async () => {
    // Act
    await page.getByRole('tab', { name: 'Timeline' }).focus();
    await page.keyboard.press('ArrowRight');

    // Assess
    await expect.poll(() => page.getByRole('tab', { name: 'Metrics' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement.textContent)).toBe('Metrics');
  });

  it("draws the alarm's datapoints and threshold on an alarm-opened incident's Metrics tab", async () => {
    // Act
    await open(incidentPath(demo.alarmIncident, 'metrics'));
    const chart = page.getByRole('img', {
      name: /checkout-cpu-high.*1 datapoint\(s\) from the alarm event, threshold 80/,
    });
    await chart.locator('canvas').waitFor();
    await page.getByText('Datapoints as a table').click();

    // Assess
    await expect.poll(() => page.getByText(/Datapoints carried by the alarm event/).count()).toBe(1);
    const cells = await page.locator('.chart-table td').allTextContents();
    expect(cells).toContain('99.5');
    expect(cells).toContain('80');
  });

  it('refuses a wrong acknowledgement code in words, then acknowledges the page with its code', async () => {
    // Prepare: the alarm's plan engages alice, whose page (with its code) lands in the local outbox.
    const sent = await eventually(
      () =>
        runtime.outbox.latest(
          (m) => m.purpose === 'PAGE' && m.contactArn === demo.people.alice && m.incidentId === demo.alarmIncident,
        ),
      15_000,
      "alice's page",
    );
    await open(incidentPath(demo.alarmIncident, 'engagements'));
    const code = page.getByLabel('Acknowledgement code');

    // Act
    await code.fill('000000');
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    const refusal = await page.getByRole('alert').first().textContent();
    await code.fill(sent.acceptCode!);
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.locator('.page-item .ok', { hasText: 'acknowledged' }).waitFor();

    // Assess
    expect(refusal).toMatch(/code/i);
    const contacts = runtime.contactsClient();
    const { Engagements = [] } = await contacts.send(new ListEngagementsCommand({ IncidentId: demo.alarmIncident }));
    const pages = await contacts.send(
      new ListPagesByEngagementCommand({ EngagementId: Engagements[0]!.EngagementArn }),
    );
    const described = await contacts.send(new DescribePageCommand({ PageId: pages.Pages![0]!.PageArn }));
    expect(described.ReadTime).toBeInstanceOf(Date);
  });

  it('resolves the incident, which then shows under Resolved', async () => {
    // Act
    await open(incidentPath(demo.alarmIncident));
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.locator('.banner .status', { hasText: 'Resolved' }).waitFor();
    await open('/incidents');
    await page.getByRole('tab', { name: 'Resolved' }).click();

    // Assess
    await page
      .getByRole('row')
      .filter({ hasText: 'checkout-cpu-high' })
      .or(page.getByRole('row').filter({ hasText: 'Checkout is failing' }))
      .first()
      .waitFor();
    expect(new URL(page.url()).searchParams.get('status')).toBe('RESOLVED');
    await open('/incidents');
    await page.getByText(/open incidents? ·/).waitFor();
    expect(await page.getByRole('link', { name: 'Checkout is failing' }).count()).toBe(0);
  });

  it("shows the API's validation message next to the plan field it names, then creates the plan", async () => {
    // Act
    await open('/plans');
    await page.getByRole('link', { name: 'Create response plan' }).click();
    await page.getByLabel('Name', { exact: true }).fill('bad name!');
    await page.getByLabel('Incident title').fill('Search is down');
    await page.getByRole('button', { name: 'Create plan' }).click();
    const nameError = page.locator('#plan-name-error');
    await nameError.waitFor();
    const message = await nameError.textContent();
    const invalid = await page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid');
    await page.getByLabel('Name', { exact: true }).fill('search');
    await page.getByRole('button', { name: 'Create plan' }).click();

    // Assess
    expect(message).toMatch(/pattern|satisfy/i);
    expect(invalid).toBe('true');
    await expect.poll(() => new URL(page.url()).searchParams.get('arn')).toMatch(/response-plan\/search$/);
    await page.getByRole('button', { name: 'Save changes' }).waitFor();
  });

  it('shows who is on call now and an override added in the calendar', async () => {
    // Act
    await open('/on-call');
    const now = page.getByRole('region', { name: 'On call now' });
    await now.getByText(/Checkout on-call: (alice|bob|carol)/).waitFor();
    const rotation = page.getByRole('region', { name: 'Checkout primary' });
    await rotation.getByText('Rotation time zone: Europe/Paris').waitFor();
    await rotation.getByLabel('Who').selectOption({ label: 'carol' });
    await rotation.getByRole('button', { name: 'Add override' }).click();

    // Assess
    await rotation.locator('.shift-overridden', { hasText: 'carol' }).first().waitFor();
    // The calendar and the override list reload independently: wait for the list too.
    await rotation.locator('.overrides li', { hasText: 'carol' }).first().waitFor();
    expect(await rotation.locator('.overrides li', { hasText: 'carol' }).count()).toBe(1);
    expect(await rotation.locator('.shift-zone').first().textContent()).toMatch(/in the rotation's zone/);
  });

  it('shows contacts with the activation state of their channels and escalation plans as stages', async () => {
    // Act
    await open('/contacts');
    const carol = page.getByRole('article', { name: 'Carol Diaz' });
    const escalation = page.getByRole('article', { name: 'Checkout escalation' });

    // Assess
    await carol.getByText(/not activated/).waitFor();
    await escalation.getByText(/Stage 1.*engage alice \(essential: must acknowledge\)/).waitFor();
    await escalation.getByText(/Stage 2 — from minute 10.*engage bob/).waitFor();
  });

  it('renders an incident titled like markup as text, in the list and on its page', async () => {
    // Prepare
    const { incidentRecordArn } = await runtime
      .incidentsClient('mallory')
      .send(new StartIncidentCommand({ responsePlanArn: demo.plans.database, title: XSS_TITLE }));

    // Act
    await open('/incidents');
    await page.getByRole('link', { name: XSS_TITLE }).waitFor();
    const imagesInList = await page.locator('img[src="x"]').count();
    await open(incidentPath(incidentRecordArn!));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(XSS_TITLE);

    // Assess
    expect(imagesInList).toBe(0);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(problems.alerts).toEqual([]);
  });

  it('ran every view above without a script error or a CSP refusal', () => {
    expect(problems.cspViolations).toEqual([]);
    expect(problems.errors).toEqual([]);
  });

  describe('accessibility and small screens', () => {
    let relaxed: BrowserContext;
    beforeAll(async () => {
      // axe-core is injected as a script, which the console's CSP rightly refuses: this context bypasses CSP.
      relaxed = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    });
    afterAll(async () => {
      await relaxed?.close();
    });

    /** Each main view, with an element that shows it has loaded its data. */
    const VIEWS = () => [
      { name: 'incident list', path: '/incidents?status=RESOLVED', ready: 'table.incidents' },
      { name: 'incident overview', path: incidentPath(demo.alarmIncident), ready: '.overview .recent li' },
      { name: 'incident timeline', path: incidentPath(demo.alarmIncident, 'timeline'), ready: 'ol.timeline li' },
      { name: 'incident metrics', path: incidentPath(demo.alarmIncident, 'metrics'), ready: '.chart canvas' },
      { name: 'incident engagements', path: incidentPath(demo.alarmIncident, 'engagements'), ready: '.page-item' },
      { name: 'related items', path: incidentPath(demo.alarmIncident, 'related-items'), ready: 'table.related' },
      { name: 'response plans', path: '/plans', ready: 'ul.cards li' },
      { name: 'response plan form', path: `/plan?arn=${encodeURIComponent(demo.plans.checkout)}`, ready: '.checks li' },
      { name: 'on-call', path: '/on-call', ready: '.calendar .shift' },
      { name: 'contacts', path: '/contacts', ready: '.stages li' },
    ];

    it('has no serious or critical axe-core violation on any main view', async () => {
      // Act
      const found: Record<string, unknown> = {};
      const axePage = await relaxed.newPage();
      for (const view of VIEWS()) {
        await axePage.goto(`${runtime.url}${view.path}`);
        await axePage.locator(view.ready).first().waitFor();
        await axePage.waitForLoadState('networkidle');
        const violations = await seriousAxeViolations(axePage);
        if (violations.length) found[view.name] = violations;
      }

      // Assess
      expect(found).toEqual({});
    });

    it('fits a 390 px wide screen without sideways scrolling', async () => {
      // Act
      const overflowing = await viewsWiderThanPhone(browser, runtime.url, VIEWS());

      // Assess
      expect(overflowing).toEqual({});
    });
  });
});
