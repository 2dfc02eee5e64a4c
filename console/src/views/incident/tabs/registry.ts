/**
 * The incident page's tabs, in Incident Manager's order. A capability that is not built yet has no entry, so its
 * tab is absent rather than faked. Adding one is a module in this folder plus one line below:
 *   - Runbook (runbooks): `{ id: 'runbook', label: 'Runbook', component: RunbookTab }` after Metrics; the tab gets
 *     the incident (its automationExecutions list the runbook executions) and `data.refresh`.
 *   - Analysis (post-incident analysis): `{ id: 'analysis', label: 'Analysis', component: AnalysisTab }` last; an
 *     ANALYSIS related item links the analysis (see `data.relatedItems`).
 * Notifications (chat channel, SNS targets) are shown on Overview from the record; a Notifications tab would go here.
 */
import type { FunctionComponent } from 'preact';
import type { IncidentData } from '../incident-data.ts';
import { EngagementsTab } from './EngagementsTab.tsx';
import { MetricsTab } from './MetricsTab.tsx';
import { OverviewTab } from './OverviewTab.tsx';
import { RelatedItemsTab } from './RelatedItemsTab.tsx';
import { RunbookTab } from './RunbookTab.tsx';
import { TimelineTab } from './TimelineTab.tsx';

export interface IncidentTabProps {
  data: IncidentData;
}

export interface IncidentTab {
  /** The `tab` query parameter of the page's URL. */
  id: string;
  label: string;
  component: FunctionComponent<IncidentTabProps>;
}

export const INCIDENT_TABS: readonly IncidentTab[] = [
  { id: 'overview', label: 'Overview', component: OverviewTab },
  { id: 'timeline', label: 'Timeline', component: TimelineTab },
  { id: 'metrics', label: 'Metrics', component: MetricsTab },
  { id: 'runbook', label: 'Runbook', component: RunbookTab },
  { id: 'engagements', label: 'Engagements', component: EngagementsTab },
  { id: 'related-items', label: 'Related items', component: RelatedItemsTab },
];
