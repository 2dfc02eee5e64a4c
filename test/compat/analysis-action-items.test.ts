/**
 * Action items across analyses ("what is still open from past incidents?") and the response metrics read through
 * the API, with the typed client against the local runtime.
 */
import { randomUUID } from 'node:crypto';
import type { SSMContactsClient } from '@aws-sdk/client-ssm-contacts';
import type { SSMIncidentsClient } from '@aws-sdk/client-ssm-incidents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionItem, AnalysisClient } from '../../lib/client/index.ts';
import { contactArnOf, startTestRuntime, TEST_ACCOUNT, type TestRuntime } from '../support/local-runtime.ts';
import { analysisClient, apiError, resolvedIncident } from './analysis-helpers.ts';
import { clockPasses } from './helpers.ts';

let runtime: TestRuntime;
let client: AnalysisClient;
let incidents: SSMIncidentsClient;
let contacts: SSMContactsClient;

beforeAll(async () => {
  runtime = await startTestRuntime({ timeScale: 60 });
  client = analysisClient(runtime);
  incidents = runtime.incidentsClient();
  contacts = runtime.contactsClient();
});

afterAll(async () => {
  await runtime?.stop();
});

const newAnalysis = async () => {
  const { incidentArn } = await resolvedIncident(runtime, incidents, contacts);
  return { incidentArn, ...(await client.createAnalysis({ incidentRecordArn: incidentArn })) };
};

const all = async (input: Parameters<AnalysisClient['listActionItems']>[0]) => {
  const items: ActionItem[] = [];
  for await (const item of client.paginate(client.listActionItems, { ...input, maxResults: 2 }, 'actionItems'))
    items.push(item);
  return items;
};

describe('action items', () => {
  it('lists what is still open across analyses, soonest due first, and moves items between statuses', async () => {
    // Prepare: two analyses, three items.
    const first = await newAnalysis();
    const second = await newAnalysis();
    const owner = contactArnOf('alice');
    const { actionItemArn: canary } = await client.createActionItem({
      analysisArn: first.analysisArn,
      title: `Canary deployments ${randomUUID()}`,
      owner,
      priority: 'HIGH',
      dueDate: new Date(Date.UTC(2030, 0, 15)),
      trackingLink: 'https://jira.example.com/browse/OPS-1',
    });
    const { actionItemArn: alarm } = await client.createActionItem({
      analysisArn: second.analysisArn,
      title: 'Alarm on checkout 5xx',
      dueDate: new Date(Date.UTC(2030, 0, 10)),
    });
    const { actionItemArn: runbook } = await client.createActionItem({
      analysisArn: second.analysisArn,
      title: 'Runbook',
    });

    // Act
    const openBefore = (await all({ status: 'OPEN' })).map((i) => i.arn);
    await client.updateActionItem({ arn: alarm, status: 'DONE' });
    await client.updateActionItem({ arn: runbook, status: 'IN_PROGRESS', owner });
    const openAfter = (await all({ status: 'OPEN' })).map((i) => i.arn);
    const done = await all({ status: 'DONE' });
    const ofSecond = await all({ analysisArn: second.analysisArn });
    const alices = await all({ owner });

    // Assess
    expect(openBefore.filter((a) => [canary, alarm, runbook].includes(a))).toEqual([alarm, canary, runbook]);
    expect(openAfter).toContain(canary);
    expect(openAfter).not.toContain(alarm);
    expect(done.find((i) => i.arn === alarm)).toMatchObject({ status: 'DONE', closedTime: expect.any(Date) });
    expect(ofSecond.map((i) => i.arn).sort()).toEqual([alarm, runbook].sort());
    expect(alices.map((i) => i.arn).sort()).toEqual([canary, runbook].sort());
    const { actionItem } = await client.getActionItem({ arn: canary });
    expect(actionItem).toMatchObject({
      analysisArn: first.analysisArn,
      incidentRecordArn: first.incidentArn,
      owner,
      priority: 'HIGH',
      status: 'OPEN',
      trackingLink: 'https://jira.example.com/browse/OPS-1',
    });
    expect(actionItem.dueDate?.toISOString()).toBe('2030-01-15T00:00:00.000Z');
  });

  it('clears fields, reopens a closed item, and shows the items in the analysis', async () => {
    const { analysisArn } = await newAnalysis();
    const { actionItemArn } = await client.createActionItem({
      analysisArn,
      title: 'Add a dashboard',
      owner: contactArnOf('bob'),
      dueDate: new Date(),
      status: 'DONE',
    });
    await client.updateActionItem({ arn: actionItemArn, clearFields: ['owner', 'dueDate'], status: 'OPEN' });

    const { actionItem } = await client.getActionItem({ arn: actionItemArn });
    expect(actionItem).not.toHaveProperty('owner');
    expect(actionItem).not.toHaveProperty('dueDate');
    expect(actionItem).not.toHaveProperty('closedTime');
    expect((await client.getAnalysis({ arn: analysisArn })).analysis.actionItems.map((i) => i.arn)).toEqual([
      actionItemArn,
    ]);
  });

  it('rejects bad input naming the field, unknown analyses and items, and replays a retried create', async () => {
    const { analysisArn } = await newAnalysis();
    const badOwner = await apiError(client.createActionItem({ analysisArn, title: 'x', owner: 'alice' }));
    const badLink = await apiError(client.createActionItem({ analysisArn, title: 'x', trackingLink: 'jira OPS-1' }));
    const badStatus = await apiError(client.createActionItem({ analysisArn, title: 'x', status: 'CLOSED' as never }));
    const noTitle = await apiError(client.createActionItem({ analysisArn } as never));
    const gone = await apiError(
      client.createActionItem({
        analysisArn: `arn:aws:ssm-incidents::${TEST_ACCOUNT}:analysis/${randomUUID()}`,
        title: 'x',
      }),
    );
    const clientToken = randomUUID();
    const first = await client.createActionItem({ analysisArn, title: 'Once', clientToken });
    const again = await client.createActionItem({ analysisArn, title: 'Once', clientToken });

    expect(badOwner.message).toContain("'owner'");
    expect(badLink.message).toContain("'trackingLink'");
    expect(badStatus.message).toContain("'status'");
    expect(noTitle.message).toContain("'title'");
    expect(gone.name).toBe('ResourceNotFoundException');
    expect(again.actionItemArn).toBe(first.actionItemArn);
    expect((await all({ analysisArn })).map((i) => i.title)).toEqual(['Once']);
    const missing = await apiError(client.getActionItem({ arn: `${first.actionItemArn.slice(0, -4)}0000` }));
    expect(missing.name).toBe('ResourceNotFoundException');
    await client.deleteActionItem({ arn: first.actionItemArn });
    await client.deleteActionItem({ arn: first.actionItemArn });
    expect(await all({ analysisArn })).toEqual([]);
  });
});

describe('response metrics', () => {
  it('reads MTTA, MTTR, incidents per week and pages per incident through the API, from the facts the reactor keeps', async () => {
    // Prepare: two paged incidents, one acknowledged; the incident reactor keeps their facts from the table's stream.
    // The window starts on the next whole second (the API's times are epoch seconds), after every incident the
    // earlier tests of this file created.
    await clockPasses((Math.floor(Date.now() / 1000) + 1) * 1000);
    const since = new Date(Math.floor(Date.now() / 1000) * 1000);
    const a = await resolvedIncident(runtime, incidents, contacts, { paged: true, acknowledged: true, title: 'A' });
    await resolvedIncident(runtime, incidents, contacts, { paged: true, title: 'B' });
    await runtime.changes.caughtUp();

    // Act
    const metrics = await client.getResponseMetrics({ startTime: since });
    const oneWeek = await client.getResponseMetrics({
      startTime: since,
      responsePlanName: a.incidentArn.split('/').at(-2),
    });

    // Assess
    expect(metrics.totals).toMatchObject({ incidents: 2, resolved: 2, acknowledged: 1, pages: 2, pagesPerIncident: 1 });
    expect(metrics.totals.timeToAcknowledge.count).toBe(1);
    expect(metrics.totals.timeToResolve.meanSeconds).toBeGreaterThan(0);
    expect(metrics.byImpact).toEqual([expect.objectContaining({ impact: 5, incidents: 2 })]);
    expect(metrics.weekly.at(-1)).toMatchObject({ incidents: 2, weekStart: expect.any(Date) });
    expect(oneWeek.totals.incidents).toBe(1);
  });

  it('refuses a window that ends before it starts or is longer than a year', async () => {
    const reversed = await apiError(
      client.getResponseMetrics({ startTime: new Date(), endTime: new Date(Date.now() - 1000) }),
    );
    const tooLong = await apiError(client.getResponseMetrics({ startTime: new Date(Date.now() - 400 * 86_400_000) }));
    expect(reversed.message).toContain("'startTime'");
    expect(tooLong.message).toContain("'startTime'");
  });
});
