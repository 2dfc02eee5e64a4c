/**
 * Incident Manager's template JSON: existing templates load unchanged, the built-in one has Incident Manager's
 * structure and questions, and a broken template is a ValidationException naming the member to fix.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATE, DEFAULT_TEMPLATE_CONTENT } from '#core/analysis/default-template.ts';
import { parseTemplateContent } from '#core/analysis/template-document.ts';
import { ValidationError } from '#core/shared/errors.ts';

/** The shape of a team's template derived from AWSIncidents-PostIncidentAnalysisTemplate, as SSM GetDocument returns it. */
const IM_TEMPLATE = JSON.stringify({
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
      id: 'custom',
      name: 'Incident questions',
      components: [
        { questions: { title: 'Customer communication', questions: [{ id: 'Q7', answer: { markdown: {} } }] } },
        // A component kind no public document shows: kept as it is, not rejected.
        { metricsGraph: { source: 'incident' } },
      ],
    },
  ],
});

const validationFieldOf = (content: unknown) => {
  try {
    parseTemplateContent(content);
  } catch (error) {
    if (error instanceof ValidationError) return error.field;
    throw error;
  }
  throw new Error('expected a ValidationException');
};

describe('analysis template documents', () => {
  it("loads an Incident Manager template unchanged, given as SSM's JSON text or as an object", () => {
    const fromText = parseTemplateContent(IM_TEMPLATE);
    const fromObject = parseTemplateContent(JSON.parse(IM_TEMPLATE));

    expect(fromText.text).toBe(IM_TEMPLATE);
    expect(fromObject.document).toEqual(fromText.document);
    expect(fromText.document.sections.map((s) => s.id)).toEqual(['overview', 'custom']);
    expect(fromText.document.sections[0]?.components[0]).toEqual({
      type: 'questions',
      title: 'Summary',
      description: 'what happened, why, how it was mitigated, what is being done',
      questions: [{ id: 'S1', answerType: 'markdown' }],
    });
    expect(fromText.document.sections[1]?.components[1]).toEqual({
      type: 'other',
      kind: 'metricsGraph',
      definition: { source: 'incident' },
    });
  });

  it("has the built-in template follow Incident Manager's structure: overview, metrics, timeline, the four question areas with 5 Whys, a checklist", () => {
    const sections = DEFAULT_TEMPLATE.document.sections;
    expect(sections.map((s) => s.name)).toEqual(['Overview', 'Metrics', 'Timeline', 'Incident questions', 'Checklist']);
    const titles = (id: string) =>
      sections.find((s) => s.id === id)?.components.map((c) => (c.type === 'other' ? c.kind : c.title));
    expect(titles('overview')).toEqual(['Summary', 'Impact', 'Key action items']);
    expect(titles('incident-questions')).toEqual([
      'Detection',
      'Diagnosis',
      'Mitigation',
      'Prevention: the 5 Whys',
      'Root cause',
    ]);
    const whys = sections.find((s) => s.id === 'incident-questions')?.components[3];
    expect(whys?.type === 'questions' && whys.questions).toHaveLength(5);
    // The Summary question keeps the id Incident Manager's own template uses.
    expect(DEFAULT_TEMPLATE_CONTENT.sections[0]?.components[0]).toMatchObject({
      questions: { questions: [{ id: 'S1' }] },
    });
    expect(sections.at(-1)?.components[0]?.type).toBe('checklist');
  });

  it.each([
    ['not JSON', '{"sections": [', 'content'],
    ['no sections', '{}', 'content.sections'],
    ['empty sections', '{"sections": []}', 'content.sections'],
    ['a section without a name', '{"sections":[{"id":"a","components":[]}]}', 'content.sections.1.name'],
    [
      'a duplicated section id',
      '{"sections":[{"id":"a","name":"A","components":[]},{"id":"a","name":"B","components":[]}]}',
      'content.sections.2.id',
    ],
    [
      'a question without an id',
      '{"sections":[{"id":"a","name":"A","components":[{"questions":{"title":"T","questions":[{"answer":{"markdown":{}}}]}}]}]}',
      'content.sections.1.components.1.questions.questions.1.id',
    ],
    [
      'a question id used twice in a section',
      '{"sections":[{"id":"a","name":"A","components":[{"questions":{"title":"T","questions":[{"id":"Q"}]}},{"questions":{"title":"U","questions":[{"id":"Q"}]}}]}]}',
      'content.sections.1.components.2',
    ],
    [
      'a component with two kinds',
      '{"sections":[{"id":"a","name":"A","components":[{"questions":{"title":"T","questions":[{"id":"Q"}]},"other":{}}]}]}',
      'content.sections.1.components.1',
    ],
    [
      'an answer with two types',
      '{"sections":[{"id":"a","name":"A","components":[{"questions":{"title":"T","questions":[{"id":"Q","answer":{"markdown":{},"text":{}}}]}}]}]}',
      'content.sections.1.components.1.questions.questions.1.answer',
    ],
  ])('rejects %s with a ValidationException naming the member', (_what, content, field) => {
    expect(validationFieldOf(content)).toBe(field);
  });

  it('rejects content larger than an SSM document may be (64 KB)', () => {
    const big = { sections: [{ id: 'a', name: 'x'.repeat(70_000), components: [] }] };
    expect(validationFieldOf(big)).toBe('content');
  });
});
