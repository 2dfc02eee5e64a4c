/**
 * The incident page's tabs, in Incident Manager's order. A capability that is not built yet has no entry, so its
 * tab is absent rather than faked. Adding one is a module in this folder (a component taking `{ data }`) plus one
 * line below; code beyond a small component goes in a folder beside this one (as `../runbook/`, `../analysis/`).
 *   - Runbook: the record's automationExecutions, read through the API's GetIncidentRunbooks; signals go to SSM.
 *   - Analysis: linked by the incident's ANALYSIS related item (`data.relatedItems`); the analysis API's routes.
 * Notifications (chat channel, SNS targets) are shown on Overview from the record; a Notifications tab would go
 * after Related items, before Analysis.
 */
import type { FunctionComponent } from 'preact';
import type { IncidentData } from '../incident-data.ts';
import { AnalysisTab } from './AnalysisTab.tsx';
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
  { id: 'analysis', label: 'Analysis', component: AnalysisTab },
];
