/** One analysis: what it is about, the key figures computed from the record, its sections and its action items. */
import type { Analysis, KeyFigures } from '../../../../../lib/client/analysis-types.ts';
import { useSession } from '../../../session.tsx';
import { ErrorNote, Loading, Time, useAsync } from '../../../ui/components.tsx';
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
        <button type="button" onClick={() => void loaded.reload()} disabled={loaded.loading}>
          Reload
        </button>
      </header>
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
