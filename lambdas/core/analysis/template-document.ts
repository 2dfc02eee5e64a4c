/**
 * Analysis templates in Incident Manager's own JSON: the content of an SSM document of type ProblemAnalysisTemplate,
 * `{"sections":[{"id","name","components":[{"questions":{"title","description","questions":[{"id","answer":{"markdown":{}}}]}}]}]}`.
 * A team's existing templates load unchanged:
 * - the `questions` component is the one the public template shows; every question's answer is markdown text here,
 *   whatever answer type the template names (the type is kept, so an export shows it);
 * - `checklist` (`{"title","items":[{"id","text"}]}`) is this project's own component, for the pre-publication checklist;
 * - any other component (Incident Manager's console may know kinds no public document shows) is kept verbatim and
 *   shown as-is, never rejected.
 * Every rule breaks with a ValidationException naming the member path (`content.sections.2.components.1...`).
 */
import { ValidationError } from '#core/shared/errors.ts';
import { list, optional, required, string, struct } from '#core/shared/validation.ts';

/** SSM caps a document's content at 64 KB; a template larger than that could not have come from Incident Manager. */
export const MAX_TEMPLATE_CONTENT_BYTES = 64 * 1024;
export const MAX_SECTIONS = 30;
export const MAX_COMPONENTS_PER_SECTION = 30;
export const MAX_QUESTIONS_PER_GROUP = 50;

const ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const id = string({ min: 1, max: 64, pattern: ID_PATTERN, patternText: '^[A-Za-z0-9_.-]{1,64}$' });

export interface TemplateQuestion {
  id: string;
  /** The answer type the template names (`markdown` in every public template). */
  answerType: string;
}

export type TemplateComponent =
  | { type: 'questions'; title: string; description?: string; questions: TemplateQuestion[] }
  | { type: 'checklist'; title: string; description?: string; items: { id: string; text: string }[] }
  /** A component kind this service does not interpret, kept as the template gave it. */
  | { type: 'other'; kind: string; definition: unknown };

export interface TemplateSection {
  id: string;
  name: string;
  components: TemplateComponent[];
}

export interface TemplateDocument {
  sections: TemplateSection[];
}

const fail = (path: string, message: string): never => {
  throw new ValidationError(`Value at '${path}' failed to satisfy constraint: ${message}`, path);
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const questionsComponent = struct({
  title: required(string({ min: 1, max: 200 })),
  description: optional(string({ max: 2000 })),
  questions: required(list(struct({ id: required(id), answer: optional(struct({})) }), { min: 1, max: 50 })),
});

const checklistComponent = struct({
  title: required(string({ min: 1, max: 200 })),
  description: optional(string({ max: 2000 })),
  items: required(
    list(struct({ id: required(id), text: required(string({ min: 1, max: 500 })) }), {
      min: 1,
      max: MAX_QUESTIONS_PER_GROUP,
    }),
  ),
});

function parseComponent(raw: unknown, path: string): TemplateComponent {
  if (!isObject(raw)) return fail(path, 'Member must be a structure with exactly one component kind');
  const kinds = Object.entries(raw).filter(([, v]) => v !== null && v !== undefined);
  if (kinds.length !== 1) return fail(path, 'Member must have exactly one component kind (e.g. questions) set');
  const [kind, body] = kinds[0] as [string, unknown];
  const at = `${path}.${kind}`;
  if (kind === 'questions') {
    const group = questionsComponent.parse(body, at);
    const rawQuestions = (body as { questions: Record<string, unknown>[] }).questions;
    return {
      type: 'questions',
      title: group.title,
      ...(group.description ? { description: group.description } : {}),
      questions: group.questions.map((q, i) => {
        const answer = rawQuestions[i]?.answer;
        const answerTypes = isObject(answer) ? Object.keys(answer) : [];
        if (answer !== undefined && answer !== null && answerTypes.length !== 1)
          fail(`${at}.questions.${i + 1}.answer`, 'Member must name exactly one answer type (e.g. markdown)');
        return { id: q.id, answerType: answerTypes[0] ?? 'markdown' };
      }),
    };
  }
  if (kind === 'checklist') {
    const group = checklistComponent.parse(body, at);
    return { type: 'checklist', ...group };
  }
  if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(kind)) return fail(path, `Unknown component kind '${kind}'`);
  return { type: 'other', kind, definition: body };
}

const sectionShape = struct({
  id: required(id),
  name: required(string({ min: 1, max: 200 })),
  components: required(list(struct({}), { max: MAX_COMPONENTS_PER_SECTION })),
});

/**
 * Parses template content given as a JSON string (as SSM's GetDocument returns it) or as the object itself.
 * Returns the document and its canonical text (what GetAnalysisTemplate gives back, member order preserved).
 */
export function parseTemplateContent(raw: unknown, path = 'content'): { document: TemplateDocument; text: string } {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    if (Buffer.byteLength(raw) > MAX_TEMPLATE_CONTENT_BYTES)
      fail(path, `Member must be at most ${MAX_TEMPLATE_CONTENT_BYTES} bytes`);
    try {
      value = JSON.parse(raw);
    } catch (error) {
      return fail(path, `Member must be JSON (${(error as Error).message})`);
    }
  }
  if (!isObject(value)) return fail(path, 'Member must be a template document ({"sections":[...]})');
  const text = JSON.stringify(value);
  if (Buffer.byteLength(text) > MAX_TEMPLATE_CONTENT_BYTES)
    fail(path, `Member must be at most ${MAX_TEMPLATE_CONTENT_BYTES} bytes`);
  const rawSections = value.sections;
  if (rawSections === undefined || rawSections === null)
    throw new ValidationError(
      `1 validation error detected: Value null at '${path}.sections' failed to satisfy constraint: Member must not be null`,
      `${path}.sections`,
    );
  const sections = list(struct({}), { min: 1, max: MAX_SECTIONS }).parse(rawSections, `${path}.sections`);
  const seenSections = new Set<string>();
  const document: TemplateDocument = {
    sections: sections.map((_, s) => {
      const sectionPath = `${path}.sections.${s + 1}`;
      const rawSection = (rawSections as unknown[])[s] as Record<string, unknown>;
      const section = sectionShape.parse(rawSection, sectionPath);
      if (seenSections.has(section.id)) fail(`${sectionPath}.id`, `Section id '${section.id}' is used twice`);
      seenSections.add(section.id);
      const components = (rawSection.components as unknown[]).map((c, i) =>
        parseComponent(c, `${sectionPath}.components.${i + 1}`),
      );
      // Answers are keyed by question (or checklist item) id within a section, so ids must be unique there.
      const seenIds = new Set<string>();
      components.forEach((component, c) => {
        const ids =
          component.type === 'questions'
            ? component.questions.map((q) => q.id)
            : component.type === 'checklist'
              ? component.items.map((item) => item.id)
              : [];
        for (const questionId of ids) {
          if (seenIds.has(questionId))
            fail(`${sectionPath}.components.${c + 1}`, `Id '${questionId}' is used twice in section '${section.id}'`);
          seenIds.add(questionId);
        }
      });
      return { id: section.id, name: section.name, components };
    }),
  };
  return { document, text };
}

/** The ids a section's answers may use: its questions' and its checklist items'. */
export const questionIdsOf = (section: Pick<TemplateSection, 'components'>): Set<string> =>
  new Set(section.components.flatMap((c) => (c.type === 'questions' ? c.questions.map((q) => q.id) : [])));

export const checklistIdsOf = (section: Pick<TemplateSection, 'components'>): Set<string> =>
  new Set(section.components.flatMap((c) => (c.type === 'checklist' ? c.items.map((item) => item.id) : [])));
