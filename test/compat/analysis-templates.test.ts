/**
 * Analysis templates through the typed client against the local runtime: the built-in template, Incident Manager's
 * own template JSON loaded unchanged, versions, optimistic updates, idempotent retries, and every error a script
 * would meet (each a ValidationException naming the field, or a Conflict / ResourceNotFound), nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisClient } from '../../lib/client/index.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { analysisClient, apiError } from './analysis-helpers.ts';
import { rawRequest, unique } from './helpers.ts';

let runtime: TestRuntime;
let client: AnalysisClient;

beforeAll(async () => {
  runtime = await startTestRuntime();
  client = analysisClient(runtime);
});

afterAll(async () => {
  await runtime?.stop();
});

/** A template as a team keeps it for Incident Manager: SSM document content, JSON text. */
const teamTemplate = (extraQuestion = 'Q7') =>
  JSON.stringify({
    sections: [
      {
        id: 'overview',
        name: 'Overview',
        components: [
          {
            questions: {
              title: 'Summary',
              description: 'what happened, why, how it was mitigated, what is being done',
              questions: [{ id: 'S1', answer: { markdown: {} } }],
            },
          },
        ],
      },
      {
        id: 'questions',
        name: 'Incident questions',
        components: [
          { questions: { title: 'Customers told?', questions: [{ id: extraQuestion, answer: { markdown: {} } }] } },
        ],
      },
    ],
  });

describe('analysis templates', () => {
  it("lists the built-in template first and returns its content in Incident Manager's JSON", async () => {
    const { analysisTemplateSummaries } = await client.listAnalysisTemplates();
    expect(analysisTemplateSummaries[0]).toMatchObject({
      name: 'AWSIncidents-PostIncidentAnalysisTemplate',
      builtIn: true,
      templateVersion: 1,
    });
    const { template } = await client.getAnalysisTemplate({ name: 'AWSIncidents-PostIncidentAnalysisTemplate' });
    const content = JSON.parse(template.content);
    expect(content.sections.map((s: { name: string }) => s.name)).toEqual([
      'Overview',
      'Metrics',
      'Timeline',
      'Incident questions',
      'Checklist',
    ]);
    expect(content.sections[0].components[0].questions.questions[0]).toEqual({ id: 'S1', answer: { markdown: {} } });
  });

  it('loads a team template unchanged, versions every update and keeps old versions readable', async () => {
    // Prepare
    const name = unique('postmortem');
    const v1 = teamTemplate();
    const v2 = teamTemplate('Q8');

    // Act
    const created = await client.createAnalysisTemplate({ name, content: v1, displayName: 'Our postmortem' });
    const updated = await client.updateAnalysisTemplate({ name, content: JSON.parse(v2), expectedTemplateVersion: 1 });
    const latest = (await client.getAnalysisTemplate({ name })).template;
    const first = (await client.getAnalysisTemplate({ name, templateVersion: 1 })).template;
    const versions = await client.listAnalysisTemplateVersions({ name });

    // Assess
    expect(created).toEqual({ arn: expect.stringMatching(/:analysis-template\//), name, templateVersion: 1 });
    expect(updated.templateVersion).toBe(2);
    expect(first.content).toBe(v1);
    expect(latest).toMatchObject({
      content: v2,
      templateVersion: 2,
      latestTemplateVersion: 2,
      displayName: 'Our postmortem',
    });
    expect(latest.lastModifiedTime).toBeInstanceOf(Date);
    expect(versions.templateVersions.map((v) => v.templateVersion)).toEqual([1, 2]);
  });

  it('refuses an update based on a version that is no longer the newest, naming the current one', async () => {
    const name = unique('postmortem');
    await client.createAnalysisTemplate({ name, content: teamTemplate() });
    await client.updateAnalysisTemplate({ name, content: teamTemplate('Q8'), expectedTemplateVersion: 1 });

    const error = await apiError(
      client.updateAnalysisTemplate({ name, content: teamTemplate('Q9'), expectedTemplateVersion: 1 }),
    );

    expect(error.name).toBe('ConflictException');
    expect(error.statusCode).toBe(409);
    expect(error.currentVersion).toBe(2);
    expect((await client.getAnalysisTemplate({ name })).template.templateVersion).toBe(2);
  });

  it('replays a retried create with the same clientToken and refuses the token with other input', async () => {
    const name = unique('postmortem');
    const clientToken = unique('token');
    const first = await client.createAnalysisTemplate({ name, content: teamTemplate(), clientToken });
    const again = await client.createAnalysisTemplate({ name, content: teamTemplate(), clientToken });
    const reused = await apiError(client.createAnalysisTemplate({ name, content: teamTemplate('Q8'), clientToken }));

    expect(again).toEqual(first);
    expect(reused.name).toBe('ConflictException');
    expect((await client.getAnalysisTemplate({ name })).template.content).toBe(teamTemplate());
  });

  it.each([
    ['content that is not JSON', { content: '{"sections": [' }, 'content'],
    ['a template without sections', { content: '{}' }, 'content.sections'],
    [
      'a question without an id',
      { content: { sections: [{ id: 'a', name: 'A', components: [{ questions: { title: 'T', questions: [{}] } }] }] } },
      'content.sections.1.components.1.questions.questions.1.id',
    ],
    ['a name SSM would refuse', { name: 'has spaces' }, 'name'],
    ['a reserved name', { name: 'AWSIncidents-Mine' }, 'name'],
    ['a missing content', { content: undefined }, 'content'],
  ])('rejects %s with a ValidationException naming the field, and writes nothing', async (_what, override, field) => {
    const name = unique('bad');
    const error = await apiError(
      client.createAnalysisTemplate({ name, content: teamTemplate(), ...override } as never),
    );
    expect(error).toMatchObject({ name: 'ValidationException', statusCode: 400 });
    expect(error.message).toContain(`'${field}'`);
    const missing = await apiError(client.getAnalysisTemplate({ name }));
    expect(missing.name).toBe('ResourceNotFoundException');
  });

  it('refuses a second template of the same name, and any change to the built-in one', async () => {
    const name = unique('postmortem');
    await client.createAnalysisTemplate({ name, content: teamTemplate() });
    expect((await apiError(client.createAnalysisTemplate({ name, content: teamTemplate() }))).name).toBe(
      'ConflictException',
    );
    const builtIn = 'AWSIncidents-PostIncidentAnalysisTemplate';
    expect((await apiError(client.updateAnalysisTemplate({ name: builtIn, content: teamTemplate() }))).name).toBe(
      'ValidationException',
    );
    expect((await apiError(client.deleteAnalysisTemplate({ name: builtIn }))).name).toBe('ValidationException');
  });

  it('deletes a template (again: still success) and pages through the list', async () => {
    const names = [unique('a-list'), unique('b-list'), unique('c-list')];
    for (const name of names) await client.createAnalysisTemplate({ name, content: teamTemplate() });
    const listed: string[] = [];
    for await (const t of client.paginate(client.listAnalysisTemplates, { maxResults: 1 }, 'analysisTemplateSummaries'))
      listed.push(t.name);

    await client.deleteAnalysisTemplate({ name: names[0]! });
    await client.deleteAnalysisTemplate({ name: names[0]! });

    expect(listed[0]).toBe('AWSIncidents-PostIncidentAnalysisTemplate');
    expect(listed).toEqual(expect.arrayContaining(names));
    expect(new Set(listed).size).toBe(listed.length);
    expect((await apiError(client.getAnalysisTemplate({ name: names[0]! }))).name).toBe('ResourceNotFoundException');
  });

  it('answers in the ssm-incidents error shape on the wire: status, x-amzn-errortype, __type and message', async () => {
    const response = await rawRequest(runtime, 'POST', '/createAnalysisTemplate', { name: 'x' });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(response.json).toMatchObject({ __type: 'ValidationException', message: expect.stringContaining("'name'") });
    const created = await rawRequest(runtime, 'POST', '/createAnalysisTemplate', {
      name: unique('wire'),
      content: teamTemplate(),
    });
    expect(created.status).toBe(201);
  });
});
