/**
 * `npm run screenshots:console`: starts a local runtime (in memory), fills it with the demo on-call set-up and a few
 * incidents, and saves screenshots of the console's main views to docs/screenshots/ (shown in the README).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SSMContactsClient } from '@aws-sdk/client-ssm-contacts';
import {
  CreateTimelineEventCommand,
  SSMIncidentsClient,
  StartIncidentCommand,
  UpdateIncidentRecordCommand,
} from '@aws-sdk/client-ssm-incidents';
import { parseCli } from '../local/cli.ts';
import { freePort } from '../local/dynamodb-local.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { launchChromium } from '../test/support/browser.ts';
import { seedDemo } from '../test/support/console-demo.ts';
import { describeBuild, ensureConsoleBuilt } from './build.ts';

parseCli(process.argv.slice(2), {
  usage: 'npm run screenshots:console',
  description:
    "Starts a local runtime in memory with a demo set-up and saves screenshots of the console's main views to\n" +
    'docs/screenshots/ (needs chromium).',
  options: {},
});

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
  await shoot('response-plan', `/plan?arn=${encodeURIComponent(demo.plans.checkout)}`, '.checks li');
  await shoot('on-call', '/on-call', '.calendar .shift');
  await shoot('contacts', '/contacts', '.stages li');
  await shoot('incident-list-phone', '/incidents', 'table.incidents', 390);
  await shoot('incident-overview-phone', incident(manual.incidentRecordArn!), '.overview', 390);
  await browser.close();
} finally {
  incidents.destroy();
  contacts.destroy();
  await runtime.stop();
}
