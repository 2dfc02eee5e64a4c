/**
 * One section of an analysis: its questions with markdown answers (shown as written, never as HTML) and its
 * checklist. Saving names the section version it was read at: if someone else saved the section meanwhile, the API
 * answers ConflictException; the message is shown, the analysis reloaded, and the text being edited is kept so the
 * person can compare and save again.
 */
import { useState } from 'preact/hooks';
import type { AnalysisSection, SectionComponent } from '../../../../../lib/client/analysis-types.ts';
import { useSession } from '../../../session.tsx';
import { ErrorNote } from '../../../ui/components.tsx';

interface SectionProps {
  analysisArn: string;
  section: AnalysisSection;
  editable: boolean;
  onSaved: () => Promise<void>;
}

type QuestionsComponent = Extract<SectionComponent, { type: 'questions' }>;
type ChecklistComponent = Extract<SectionComponent, { type: 'checklist' }>;

/** Saves one change to the section at the version it was read at; on a conflict, reloads and rethrows. */
function useSectionSave({ analysisArn, section, onSaved }: SectionProps) {
  const { clients } = useSession();
  return async (change: { answers?: Record<string, string>; checklist?: Record<string, boolean> }) => {
    const { analysis } = await clients.rest();
    try {
      await analysis.updateAnalysisSection({
        arn: analysisArn,
        sectionId: section.sectionId,
        expectedVersion: section.version,
        ...change,
      });
    } catch (error) {
      if ((error as { name?: string }).name === 'ConflictException') await onSaved();
      throw error;
    }
    await onSaved();
  };
}

export function SectionView(props: SectionProps) {
  const { section } = props;
  const headingId = `section-${section.sectionId}`;
  return (
    <section class="panel analysis-section" aria-labelledby={headingId}>
      <h3 id={headingId}>{section.name}</h3>
      {section.components.map((component, index) =>
        component.type === 'questions' ? (
          component.questions.map((question) => (
            <QuestionAnswer
              key={`${index}-${question.id}`}
              {...props}
              component={component}
              questionId={question.id}
              answer={question.answer}
            />
          ))
        ) : component.type === 'checklist' ? (
          <Checklist key={index} {...props} component={component} />
        ) : null,
      )}
    </section>
  );
}

function QuestionAnswer(props: SectionProps & { component: QuestionsComponent; questionId: string; answer: string }) {
  const { component, questionId, answer, editable } = props;
  const save = useSectionSave(props);
  const [draft, setDraft] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const fieldId = `answer-${props.section.sectionId}-${questionId}`;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (draft === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      await save({ answers: { [questionId]: draft } });
      setDraft(undefined);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="question">
      <h4>{component.title}</h4>
      {component.description ? <p class="meta">{component.description}</p> : null}
      {answer ? <div class="answer">{answer}</div> : <p class="empty">No answer yet.</p>}
      {draft === undefined ? (
        editable ? (
          <button type="button" onClick={() => setDraft(answer)} aria-label={`Edit answer to ${component.title}`}>
            Edit answer
          </button>
        ) : null
      ) : (
        <form class="stacked" onSubmit={submit}>
          <div class="field">
            <label for={fieldId}>Answer to {component.title} (Markdown)</label>
            <textarea id={fieldId} rows={6} value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
          </div>
          <ErrorNote error={error} context="Not saved" />
          <div class="buttons">
            <button type="submit" class="primary" disabled={busy}>
              Save answer
            </button>
            <button type="button" onClick={() => setDraft(undefined)} disabled={busy}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function Checklist(props: SectionProps & { component: ChecklistComponent }) {
  const { component, editable } = props;
  const save = useSectionSave(props);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const toggle = async (id: string, checked: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      await save({ checklist: { [id]: checked } });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <fieldset class="checklist">
      <legend>{component.title}</legend>
      {component.description ? <p class="meta">{component.description}</p> : null}
      {component.items.map((item) => (
        <div key={item.id}>
          <label>
            <input
              type="checkbox"
              checked={item.checked}
              disabled={!editable || busy}
              onChange={(e) => void toggle(item.id, e.currentTarget.checked)}
            />{' '}
            {item.text}
          </label>
        </div>
      ))}
      <ErrorNote error={error} context="Not saved" />
    </fieldset>
  );
}
