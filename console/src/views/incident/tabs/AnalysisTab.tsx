/**
 * Analysis: the incident's post-incident analysis (linked by its ANALYSIS related item) with its key figures,
 * questions and action items; for a resolved incident without one, "Create analysis" from the default template.
 */
import { useSession } from '../../../session.tsx';
import { ActionButton, ErrorNote, Loading } from '../../../ui/components.tsx';
import { AnalysisView } from '../analysis/AnalysisView.tsx';
import { analysisArnOf } from '../analysis/analysis-data.ts';
import type { IncidentTabProps } from './registry.ts';

export function AnalysisTab({ data }: IncidentTabProps) {
  const { clients, user } = useSession();
  const items = data.relatedItems.data;
  const incident = data.incident.data;
  if (!items)
    return (
      <>
        <ErrorNote error={data.relatedItems.error} context="Could not load the related items" />
        {data.relatedItems.loading ? <Loading what="the analysis" /> : null}
      </>
    );
  const analysisArn = analysisArnOf(items);
  if (analysisArn) return <AnalysisView key={analysisArn} arn={analysisArn} />;
  if (incident?.status !== 'RESOLVED')
    return (
      <p class="empty">
        No post-incident analysis yet. Once the incident is resolved, a responder can create one here to review what
        happened, answer the template's questions and track action items.
      </p>
    );
  return (
    <div class="panel">
      <p>No post-incident analysis for this incident yet.</p>
      {user.readOnly ? (
        <p class="meta">A responder can create one from the default template.</p>
      ) : (
        <ActionButton
          class="primary"
          onAction={async () => {
            const { analysis } = await clients.rest();
            // The default template (AWSIncidents-PostIncidentAnalysisTemplate); the API links it to the incident.
            await analysis.createAnalysis({ incidentRecordArn: data.arn });
            await data.relatedItems.reload();
          }}
        >
          Create analysis
        </ActionButton>
      )}
    </div>
  );
}
