/**
 * Analyses through the typed client against the local runtime: created from a resolved incident (its snapshot, key
 * figures, metrics, engagements and timeline copy), linked to it as an ANALYSIS related item, one per incident unless
 * asked, sections edited concurrently under per-section versions, the draft -> in review -> published lifecycle,
 * the timeline copy edited, exported as Markdown and JSON, tagged with the official ssm-incidents client.
 */

import type { SSMContactsClient } from '@aws-sdk/client-ssm-contacts';
import {
  ListRelatedItemsCommand,
  ListTagsForResourceCommand,
  type SSMIncidentsClient,
  TagResourceCommand,
} from '@aws-sdk/client-ssm-incidents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analysis, AnalysisClient } from '../../lib/client/index.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { analysisClient, apiError, METRIC_DEFINITION, resolvedIncident } from './analysis-helpers.ts';
import { allTimelineEvents, createPlan, itemCount, startIncident } from './helpers.ts';

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

const newAnalysis = async (options: Parameters<typeof resolvedIncident>[3] = {}) => {
  const { incidentArn, oncall } = await resolvedIncident(runtime, incidents, contacts, options);
  const { analysisArn } = await client.createAnalysis({ incidentRecordArn: incidentArn });
  const { analysis } = await client.getAnalysis({ arn: analysisArn });
  return { incidentArn, analysisArn, analysis, oncall };
};

const section = (analysis: Analysis, sectionId: string) => analysis.sections.find((s) => s.sectionId === sectionId)!;
const answerOf = (analysis: Analysis, sectionId: string, questionId: string) =>
  section(analysis, sectionId)
    .components.flatMap((c) => (c.type === 'questions' ? c.questions : []))
    .find((q) => q.id === questionId)?.answer;

describe('creating an analysis', () => {
  it('snapshots a resolved incident: title, impact history, plan, times, key figures, metrics and who was paged', async () => {
    // Act
    const { incidentArn, analysis, oncall } = await newAnalysis({ paged: true, acknowledged: true });

    // Assess
    expect(analysis).toMatchObject({
      status: 'DRAFT',
      incidentRecordArn: incidentArn,
      title: 'Analysis: Checkout is failing',
      template: { name: 'AWSIncidents-PostIncidentAnalysisTemplate', templateVersion: 1 },
    });
    expect(analysis.incident).toMatchObject({ title: 'Checkout is failing', status: 'RESOLVED', impact: 5 });
    expect(analysis.incident.impactHistory.map((c) => c.impact)).toEqual([2, 5]);
    expect(analysis.incident.statusHistory.map((s) => s.status)).toEqual(['OPEN', 'RESOLVED']);
    expect(analysis.incident.responsePlan.engagements).toEqual([oncall!.arn]);
    expect(analysis.incident.creationTime).toBeInstanceOf(Date);
    expect(analysis.keyFigures).toMatchObject({ pages: 1, pagesAcknowledged: 1, acknowledged: true, contactsPaged: 1 });
    expect(analysis.keyFigures.timeToMitigateSeconds).toBeGreaterThanOrEqual(0);
    expect(analysis.keyFigures.timeToResolveSeconds).toBeGreaterThanOrEqual(analysis.keyFigures.timeToMitigateSeconds!);
    expect(analysis.metrics).toEqual([
      { title: '5xx', identifier: { type: 'METRIC', value: { metricDefinition: METRIC_DEFINITION } } },
    ]);
    const paged = analysis.engagements.find((e) => e.contactArn === oncall!.arn)!;
    expect(paged.pages).toHaveLength(1);
    expect(paged.pages[0]!.readTime).toBeInstanceOf(Date);
    expect(analysis.sections.map((s) => [s.sectionId, s.version])).toEqual([
      ['overview', 1],
      ['metrics', 1],
      ['timeline', 1],
      ['incident-questions', 1],
      ['checklist', 1],
    ]);
  });

  it('links the analysis to the incident as an ANALYSIS related item, recorded on the timeline as UpdateRelatedItems does', async () => {
    const { incidentArn, analysisArn } = await newAnalysis();

    const related = (await incidents.send(new ListRelatedItemsCommand({ incidentRecordArn: incidentArn })))
      .relatedItems!;
    const updates = await allTimelineEvents(incidents, {
      incidentRecordArn: incidentArn,
      filters: [{ key: 'eventType', condition: { equals: { stringValues: ['SSM Incident Record Update'] } } }],
    });
    const analysisItem = related.find((r) => r.identifier?.type === 'ANALYSIS');

    expect(analysisItem).toMatchObject({
      identifier: { type: 'ANALYSIS', value: { arn: analysisArn } },
      title: 'Analysis: Checkout is failing',
      generatedId: expect.stringMatching(/^related-item\/ANALYSIS\//),
    });
    expect(updates.some((e) => e.eventReferences?.some((r) => r.relatedItemId === analysisItem!.generatedId))).toBe(
      true,
    );
  });

  it('refuses an open incident with a ConflictException and writes nothing', async () => {
    const { incidentArn } = await resolvedIncident(runtime, incidents, contacts, { resolve: false });
    const before = await itemCount(runtime);

    const error = await apiError(client.createAnalysis({ incidentRecordArn: incidentArn }));

    expect(error).toMatchObject({ name: 'ConflictException', statusCode: 409, resourceIdentifier: incidentArn });
    expect(await itemCount(runtime)).toBe(before);
  });

  it('makes one analysis per incident unless another is asked for; a retried create returns the first analysis', async () => {
    // Prepare
    const { incidentArn } = await resolvedIncident(runtime, incidents, contacts);
    const clientToken = `analysis-${Date.now()}`;

    // Act
    const first = await client.createAnalysis({ incidentRecordArn: incidentArn, clientToken });
    const retried = await client.createAnalysis({ incidentRecordArn: incidentArn, clientToken });
    const second = await apiError(client.createAnalysis({ incidentRecordArn: incidentArn }));
    const another = await client.createAnalysis({
      incidentRecordArn: incidentArn,
      allowMultiple: true,
      title: 'Second look',
    });
    const listed = await client.listAnalyses({ incidentRecordArn: incidentArn });

    // Assess
    expect(retried.analysisArn).toBe(first.analysisArn);
    expect(second).toMatchObject({ name: 'ConflictException', resourceIdentifier: first.analysisArn });
    expect(another.analysisArn).not.toBe(first.analysisArn);
    expect(listed.analysisSummaries.map((a) => a.arn).sort()).toEqual([first.analysisArn, another.analysisArn].sort());
  });

  it('names the field in every ValidationException: bad ARN, unknown template, wrong template version', async () => {
    const { incidentArn } = await resolvedIncident(runtime, incidents, contacts);
    const badArn = await apiError(client.createAnalysis({ incidentRecordArn: 'not-an-arn' }));
    const unknownTemplate = await apiError(
      client.createAnalysis({ incidentRecordArn: incidentArn, templateName: 'no-such' }),
    );
    const badVersion = await apiError(
      client.createAnalysis({ incidentRecordArn: incidentArn, templateVersion: 0 } as never),
    );
    const missing = await apiError(
      client.createAnalysis({ incidentRecordArn: incidentArn.replace(/[0-9a-f]{12}$/, '000000000000') }),
    );

    expect(badArn).toMatchObject({ name: 'ValidationException' });
    expect(badArn.message).toContain("'incidentRecordArn'");
    expect(unknownTemplate.name).toBe('ResourceNotFoundException');
    expect(badVersion.message).toContain("'templateVersion'");
    expect(missing.name).toBe('ResourceNotFoundException');
    expect((await client.listAnalyses({ incidentRecordArn: incidentArn })).analysisSummaries).toEqual([]);
  });

  it('creates from a custom template version and keeps its questions after the template changes', async () => {
    const { incidentArn } = await resolvedIncident(runtime, incidents, contacts);
    const name = `custom-${Date.now()}`;
    const content = {
      sections: [
        { id: 'q', name: 'Questions', components: [{ questions: { title: 'Why?', questions: [{ id: 'Y' }] } }] },
      ],
    };
    await client.createAnalysisTemplate({ name, content });
    const { analysisArn } = await client.createAnalysis({ incidentRecordArn: incidentArn, templateName: name });
    await client.deleteAnalysisTemplate({ name });

    const { analysis } = await client.getAnalysis({ arn: analysisArn });
    expect(analysis.template).toEqual({ name, templateVersion: 1 });
    expect(analysis.sections).toMatchObject([
      { sectionId: 'q', components: [{ type: 'questions', title: 'Why?', questions: [{ id: 'Y', answer: '' }] }] },
    ]);
  });
});

describe('editing sections', () => {
  it('keeps both answers when two people edit one section: the later save gets a ConflictException with the current version', async () => {
    // Prepare
    const { analysisArn } = await newAnalysis();
    const alice = analysisClient(runtime, 'alice');
    const bob = analysisClient(runtime, 'bob');

    // Act: both read version 1; Alice saves first.
    const saved = await alice.updateAnalysisSection({
      arn: analysisArn,
      sectionId: 'overview',
      expectedVersion: 1,
      answers: { S1: 'A **bad deploy** broke checkout.' },
    });
    const conflict = await apiError(
      bob.updateAnalysisSection({
        arn: analysisArn,
        sectionId: 'overview',
        expectedVersion: 1,
        answers: { S2: 'All EU customers.' },
      }),
    );
    const { analysis } = await bob.getAnalysis({ arn: analysisArn });
    await bob.updateAnalysisSection({
      arn: analysisArn,
      sectionId: 'overview',
      expectedVersion: section(analysis, 'overview').version,
      answers: { S2: 'All EU customers.' },
    });
    const after = (await client.getAnalysis({ arn: analysisArn })).analysis;

    // Assess
    expect(saved).toEqual({ sectionId: 'overview', version: 2 });
    expect(conflict).toMatchObject({ name: 'ConflictException', statusCode: 409, currentVersion: 2 });
    expect(answerOf(after, 'overview', 'S1')).toBe('A **bad deploy** broke checkout.');
    expect(answerOf(after, 'overview', 'S2')).toBe('All EU customers.');
    expect(section(after, 'overview')).toMatchObject({ version: 3, lastModifiedBy: expect.stringContaining('bob') });
  });

  it('saves concurrent edits of different sections without a conflict', async () => {
    const { analysisArn } = await newAnalysis();
    const edits = ['overview', 'metrics', 'timeline', 'incident-questions'].map((sectionId, i) => {
      const questionId = ['S1', 'M1', 'T1', 'D1'][i]!;
      return analysisClient(runtime, `editor${i}`).updateAnalysisSection({
        arn: analysisArn,
        sectionId,
        expectedVersion: 1,
        answers: { [questionId]: `answer ${i}` },
      });
    });

    const results = await Promise.all(edits);

    expect(results.map((r) => r.version)).toEqual([2, 2, 2, 2]);
    const { analysis } = await client.getAnalysis({ arn: analysisArn });
    expect(answerOf(analysis, 'incident-questions', 'D1')).toBe('answer 3');
  });

  it('names the unknown section or question, clears an answer with an empty string, and replays a retried save', async () => {
    const { analysisArn } = await newAnalysis();
    const noSection = await apiError(
      client.updateAnalysisSection({ arn: analysisArn, sectionId: 'nope', expectedVersion: 1, answers: { S1: 'x' } }),
    );
    const noQuestion = await apiError(
      client.updateAnalysisSection({
        arn: analysisArn,
        sectionId: 'overview',
        expectedVersion: 1,
        answers: { Z9: 'x' },
      }),
    );
    const clientToken = `save-${Date.now()}`;
    const input = { arn: analysisArn, sectionId: 'overview', expectedVersion: 1, answers: { S1: 'x' }, clientToken };
    await client.updateAnalysisSection(input);
    const replayed = await client.updateAnalysisSection(input);
    await client.updateAnalysisSection({
      arn: analysisArn,
      sectionId: 'overview',
      expectedVersion: 2,
      answers: { S1: '' },
    });

    expect(noSection.message).toContain("'sectionId'");
    expect(noQuestion.message).toContain("'answers.Z9'");
    expect(replayed.version).toBe(2);
    const { analysis } = await client.getAnalysis({ arn: analysisArn });
    expect(answerOf(analysis, 'overview', 'S1')).toBe('');
    expect(section(analysis, 'overview').version).toBe(3);
  });
});

describe('the lifecycle', () => {
  it('goes draft -> in review -> published, asks before publishing with open checklist items, then is read-only but for action items', async () => {
    // Prepare
    const { analysisArn } = await newAnalysis();

    // Act and assess, step by step.
    const skip = await apiError(client.updateAnalysis({ arn: analysisArn, status: 'PUBLISHED' }));
    expect(skip.message).toContain("'status'");
    await client.updateAnalysis({ arn: analysisArn, status: 'IN_REVIEW', title: 'Checkout outage, 2 Nov' });
    const unchecked = await apiError(client.updateAnalysis({ arn: analysisArn, status: 'PUBLISHED' }));
    expect(unchecked.message).toContain("'acknowledgeOpenChecklistItems'");
    await client.updateAnalysisSection({
      arn: analysisArn,
      sectionId: 'checklist',
      expectedVersion: 1,
      checklist: { C1: true, C2: true, C3: true, C4: true, C5: true, C6: true },
    });
    await client.updateAnalysis({ arn: analysisArn, status: 'PUBLISHED' });
    const { analysis } = await client.getAnalysis({ arn: analysisArn });
    expect(analysis).toMatchObject({ status: 'PUBLISHED', title: 'Checkout outage, 2 Nov' });
    expect(analysis.publishedTime).toBeInstanceOf(Date);

    const edit = await apiError(
      client.updateAnalysisSection({
        arn: analysisArn,
        sectionId: 'overview',
        expectedVersion: 1,
        answers: { S1: 'late' },
      }),
    );
    const retitle = await apiError(client.updateAnalysis({ arn: analysisArn, title: 'Other' }));
    const timeline = await apiError(
      client.createAnalysisTimelineEvent({ analysisArn, eventTime: new Date(), eventType: 'Note', eventData: 'late' }),
    );
    expect([edit.name, retitle.name, timeline.name]).toEqual([
      'ConflictException',
      'ConflictException',
      'ConflictException',
    ]);
    const { actionItemArn } = await client.createActionItem({ analysisArn, title: 'Add a canary' });
    await client.updateActionItem({ arn: actionItemArn, status: 'DONE' });
    expect((await client.getActionItem({ arn: actionItemArn })).actionItem.status).toBe('DONE');
  });
});

describe('the timeline copy', () => {
  it("is the incident's timeline at creation, editable without touching the incident's own", async () => {
    // Prepare
    const { incidentArn, analysisArn } = await newAnalysis();
    const incidentTimeline = await allTimelineEvents(incidents, {
      incidentRecordArn: incidentArn,
      sortOrder: 'ASCENDING',
    });

    // Act
    const copied = (await client.listAnalysisTimelineEvents({ analysisArn })).events;
    const note = copied.find((e) => e.eventData === 'Rolled back deployment 42')!;
    await client.updateAnalysisTimelineEvent({
      analysisArn,
      eventId: note.eventId,
      eventData: 'Rolled back deploy 42 (v1.4.2)',
    });
    const trigger = copied.find((e) => e.eventType === 'SSM Incident Trigger')!;
    await client.deleteAnalysisTimelineEvent({ analysisArn, eventId: trigger.eventId });
    const { eventId } = await client.createAnalysisTimelineEvent({
      analysisArn,
      eventTime: new Date(copied[0]!.eventTime.getTime() - 60_000),
      eventType: 'Custom Event',
      eventData: 'Deployment 42 started',
    });
    const after = (await client.listAnalysisTimelineEvents({ analysisArn })).events;

    // Assess: the copy held every event of the incident at creation (the ANALYSIS link came after).
    expect(copied.length).toBe(incidentTimeline.length - 1);
    expect(copied.every((e) => e.origin === 'INCIDENT')).toBe(true);
    expect(after[0]).toMatchObject({ eventId, origin: 'ANALYSIS', eventData: 'Deployment 42 started' });
    expect(after.find((e) => e.eventId === note.eventId)?.eventData).toBe('Rolled back deploy 42 (v1.4.2)');
    expect(after.some((e) => e.eventId === trigger.eventId)).toBe(false);
    const incidentNow = await allTimelineEvents(incidents, { incidentRecordArn: incidentArn });
    expect(incidentNow.some((e) => e.eventId === trigger.eventId)).toBe(true);
    // Pages through it oldest first.
    const paged = [];
    for await (const e of client.paginate(client.listAnalysisTimelineEvents, { analysisArn, maxResults: 2 }, 'events'))
      paged.push(e.eventId);
    expect(paged).toEqual(after.map((e) => e.eventId));
  });
});

describe('export', () => {
  it('renders a Markdown document a team can paste into a wiki, and JSON with the whole timeline', async () => {
    // Prepare
    const { analysisArn } = await newAnalysis({ paged: true, acknowledged: true });
    await client.updateAnalysisSection({
      arn: analysisArn,
      sectionId: 'overview',
      expectedVersion: 1,
      answers: { S1: 'A bad deploy | broke checkout.' },
    });
    await client.createActionItem({
      analysisArn,
      title: 'Canary deployments',
      priority: 'HIGH',
      trackingLink: 'https://jira.example.com/OPS-1',
    });

    // Act
    const markdown = await client.exportAnalysis({ arn: analysisArn });
    const json = await client.exportAnalysis({ arn: analysisArn, format: 'JSON' });

    // Assess
    expect(markdown).toMatchObject({ format: 'MARKDOWN', fileName: expect.stringMatching(/\.md$/) });
    const doc = markdown.content;
    expect(doc).toMatch(/^# Analysis: Checkout is failing\n/);
    expect(doc).toContain('## Key figures');
    expect(doc).toMatch(/\| Pages \| 1 to 1 contact\(s\), 1 acknowledged \|/);
    expect(doc).toContain('A bad deploy | broke checkout.');
    expect(doc).toContain('### Detection');
    expect(doc).toContain('- [ ] The analysis is blameless');
    expect(doc).toContain('| Canary deployments | — | HIGH | — | OPEN | https://jira.example.com/OPS-1 |');
    expect(doc).toContain('Rolled back deployment 42');
    const parsed = JSON.parse(json.content);
    expect(parsed.formatVersion).toBe(1);
    expect(parsed.analysis.arn).toBe(analysisArn);
    expect(parsed.timeline.length).toBeGreaterThan(3);
  });
});

describe('key figures and tags', () => {
  it('computes key figures for any incident on request, open ones included', async () => {
    const plan = await createPlan(incidents);
    const incidentArn = await startIncident(incidents, plan.arn);
    const { keyFigures, status } = await client.getIncidentKeyFigures({ incidentRecordArn: incidentArn });
    expect(status).toBe('OPEN');
    expect(keyFigures).toMatchObject({ pages: 0, acknowledged: false, reopenCount: 0 });
    expect(keyFigures).not.toHaveProperty('timeToResolveSeconds');
  });

  it('tags analyses at creation and with the official ssm-incidents TagResource', async () => {
    const { incidentArn } = await resolvedIncident(runtime, incidents, contacts);
    const { analysisArn } = await client.createAnalysis({ incidentRecordArn: incidentArn, tags: { team: 'payments' } });
    await incidents.send(new TagResourceCommand({ resourceArn: analysisArn, tags: { severity: 'sev2' } }));
    const { tags } = await incidents.send(new ListTagsForResourceCommand({ resourceArn: analysisArn }));
    expect(tags).toEqual({ team: 'payments', severity: 'sev2' });
    expect((await client.getAnalysis({ arn: analysisArn })).analysis.tags).toEqual(tags);
  });

  it('deletes an analysis with its copy and unlinks it from the incident; deleting again succeeds', async () => {
    const { incidentArn, analysisArn } = await newAnalysis();
    await client.deleteAnalysis({ arn: analysisArn });
    await client.deleteAnalysis({ arn: analysisArn });
    const related = (await incidents.send(new ListRelatedItemsCommand({ incidentRecordArn: incidentArn })))
      .relatedItems!;
    expect(related.some((r) => r.identifier?.type === 'ANALYSIS')).toBe(false);
    expect((await apiError(client.getAnalysis({ arn: analysisArn }))).name).toBe('ResourceNotFoundException');
    // The incident can have a new analysis now.
    expect((await client.createAnalysis({ incidentRecordArn: incidentArn })).analysisArn).not.toBe(analysisArn);
  });
});
