/** One analysis: what it is about, the key figures computed from the record, its sections and its action items. */
import { useState } from 'preact/hooks';
import type { Analysis, AnalysisStatus, KeyFigures } from '../../../../../lib/client/analysis-types.ts';
import { fieldOf } from '../../../api/errors.ts';
import { useSession } from '../../../session.tsx';
import { ActionButton, ErrorNote, Loading, Time, useAsync } from '../../../ui/components.tsx';
import { principalName } from '../../../ui/format.ts';
import { ActionItems } from './ActionItems.tsx';
import { ANALYSIS_STATUS_WORDS, keyFigureRows } from './analysis-data.ts';
import { SectionView } from './SectionView.tsx';

export function AnalysisView({ arn }: { arn: string }) {
  const { clients, user } = useSession();
  const loaded = useAsync(async (): Promise<Analysis> => {
    const { analysis } = await clients.rest();
    return (await analysis.getAnalysis({ arn })).analysis;
  }, [clients, arn]);
  const analysis = loaded.data;
  if (!analysis)
    return (
      <>
        <ErrorNote error={loaded.error} context="Could not load the analysis" />
        {loaded.loading ? <Loading what="the analysis" /> : null}
      </>
    );
  // A published analysis is read-only except its action items (the API refuses the rest).
  const canEditAnswers = !user.readOnly && analysis.status !== 'PUBLISHED';
  return (
    <div class="analysis">
      <ErrorNote error={loaded.error} context="Could not reload the analysis" />
      <header class="page-head">
        <div>
          <h2>{analysis.title}</h2>
          <p class="meta">
            <span class="run-status">{ANALYSIS_STATUS_WORDS[analysis.status]}</span> · template {analysis.template.name}{' '}
            v{analysis.template.templateVersion} · created <Time date={analysis.createdTime} /> by{' '}
            {principalName(analysis.createdBy)} · last changed <Time date={analysis.lastModifiedTime} /> by{' '}
            {principalName(analysis.lastModifiedBy)}
          </p>
        </div>
        <div class="buttons">
          <ExportButton arn={analysis.arn} />
          <button type="button" onClick={() => void loaded.reload()} disabled={loaded.loading}>
            Reload
          </button>
        </div>
      </header>
      {user.readOnly ? null : <Lifecycle analysis={analysis} onChange={loaded.reload} />}
      <KeyFiguresPanel figures={analysis.keyFigures} />
      {analysis.sections.map((section) => (
        <SectionView
          key={section.sectionId}
          analysisArn={analysis.arn}
          section={section}
          editable={canEditAnswers}
          onSaved={loaded.reload}
        />
      ))}
      <ActionItems analysisArn={analysis.arn} items={analysis.actionItems} onChange={loaded.reload} />
    </div>
  );
}

function KeyFiguresPanel({ figures }: { figures: KeyFigures }) {
  return (
    <section class="panel" aria-labelledby="key-figures-heading">
      <h3 id="key-figures-heading">Key figures</h3>
      <p class="meta">Computed from the incident's record, timeline and pages; not typed in.</p>
      <dl class="figures">
        {keyFigureRows(figures).map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** The review's next steps: draft -> in review -> published (read-only but for action items), or back to draft. */
const NEXT_STEPS: Record<AnalysisStatus, { to: AnalysisStatus; label: string }[]> = {
  DRAFT: [{ to: 'IN_REVIEW', label: 'Send for review' }],
  IN_REVIEW: [
    { to: 'PUBLISHED', label: 'Publish' },
    { to: 'DRAFT', label: 'Back to draft' },
  ],
  PUBLISHED: [],
};

function Lifecycle({ analysis, onChange }: { analysis: Analysis; onChange: () => Promise<void> }) {
  const { clients } = useSession();
  // Publishing with unchecked checklist items needs a second, explicit confirmation (the API's rule).
  const [uncheckedRefusal, setUncheckedRefusal] = useState(false);
  const move = async (to: AnalysisStatus, acknowledgeOpenChecklistItems = false) => {
    const { analysis: api } = await clients.rest();
    try {
      await api.updateAnalysis({
        arn: analysis.arn,
        status: to,
        ...(acknowledgeOpenChecklistItems ? { acknowledgeOpenChecklistItems } : {}),
      });
    } catch (error) {
      if (fieldOf(error) === 'acknowledgeOpenChecklistItems') setUncheckedRefusal(true);
      throw error;
    }
    setUncheckedRefusal(false);
    await onChange();
  };
  const steps = NEXT_STEPS[analysis.status];
  if (!steps.length) return null;
  return (
    <div class="buttons">
      {steps.map((step) => (
        <ActionButton key={step.to} onAction={() => move(step.to)}>
          {step.label}
        </ActionButton>
      ))}
      {uncheckedRefusal ? (
        <ActionButton
          confirm="Publish although some checklist items are not checked?"
          onAction={() => move('PUBLISHED', true)}
        >
          Publish with unchecked items
        </ActionButton>
      ) : null}
    </div>
  );
}

/** Export as Markdown: the API renders the document (a readable review to paste into a wiki); saved as a file. */
function ExportButton({ arn }: { arn: string }) {
  const { clients } = useSession();
  return (
    <ActionButton
      onAction={async () => {
        const { analysis } = await clients.rest();
        const { fileName, content } = await analysis.exportAnalysis({ arn, format: 'MARKDOWN' });
        const url = URL.createObjectURL(new Blob([content], { type: 'text/markdown' }));
        const link = document.createElement('a');
        link.href = url;
        link.download = fileName;
        link.click();
        // The download has started from the URL; release it once the click has been handled.
        setTimeout(() => URL.revokeObjectURL(url), 0);
      }}
    >
      Export as Markdown
    </ActionButton>
  );
}
