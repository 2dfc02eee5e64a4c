/**
 * Headless Chromium for the console tests, driven by playwright-core: Debian's `chromium` (never a browser that
 * Playwright would download). Without one, the browser tests are skipped with a message locally and fail in CI.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export const chromiumPath = (): string | undefined => CANDIDATES.find((path) => path && existsSync(path));

export const MISSING_CHROMIUM =
  'Chromium was not found (/usr/bin/chromium or CHROMIUM_PATH): the console browser tests are skipped. ' +
  'Install it with `apt-get install -y chromium` (Debian/Ubuntu).';

/** Flags for a machine whose network is closed: no background connections, no first-run work. */
const FLAGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error(MISSING_CHROMIUM);
  return chromium.launch({ executablePath, args: FLAGS });
}

/** What went wrong in a page that a person would not see as an error message: script errors, CSP refusals, alerts. */
export interface PageProblems {
  errors: string[];
  cspViolations: string[];
  alerts: string[];
}

/**
 * A page whose problems are recorded. Confirmation dialogs (Resolve, Delete) are accepted, as a person would;
 * any `alert()` is recorded, because the console never calls one (an alert means injected script ran).
 */
export async function watchedPage(context: BrowserContext): Promise<{ page: Page; problems: PageProblems }> {
  const page = await context.newPage();
  const problems: PageProblems = { errors: [], cspViolations: [], alerts: [] };
  page.on('pageerror', (error) => problems.errors.push(error.message));
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Trusted Type/i.test(text)) problems.cspViolations.push(text);
    else if (message.type() === 'error' && !/Failed to load resource/.test(text)) problems.errors.push(text);
  });
  page.on('dialog', async (dialog) => {
    if (dialog.type() === 'confirm') await dialog.accept();
    else {
      problems.alerts.push(`${dialog.type()}: ${dialog.message()}`);
      await dialog.dismiss();
    }
  });
  return { page, problems };
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core in the page (WCAG 2.x A and AA rules) and returns the violations of serious or critical impact.
 * The page's context must bypass CSP: axe is injected as a script the console's own policy rightly refuses.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    // Runs in the browser; the test project has no DOM types.
    const page = globalThis as any;
    const result = await page.axe.run(page.document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return (result.violations as any[]).map((v) => ({
      id: v.id as string,
      impact: v.impact as string | null,
      help: v.help as string,
      targets: (v.nodes as { target: string[] }[]).map((n) => n.target.join(' ')),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A console view for the page-wide checks: where it is and a selector that is there once it has rendered. */
export interface ConsoleView {
  name: string;
  path: string;
  ready: string;
}

/**
 * The views wider than a phone's screen, by name, with the width they need: each is opened in a 390 px wide mobile
 * context and its document's scroll width read once it has rendered. Empty when every view fits.
 */
export async function viewsWiderThanPhone(
  browser: Browser,
  baseUrl: string,
  views: readonly ConsoleView[],
  width = 390,
): Promise<Record<string, number>> {
  const phone = await browser.newContext({ viewport: { width, height: 844 }, isMobile: true });
  const page = await phone.newPage();
  const overflowing: Record<string, number> = {};
  try {
    for (const view of views) {
      await page.goto(`${baseUrl}${view.path}`);
      await page.locator(view.ready).first().waitFor();
      const scrollWidth = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number);
      if (scrollWidth > width) overflowing[view.name] = scrollWidth;
    }
  } finally {
    await phone.close();
  }
  return overflowing;
}
