/** One incident: a banner with what matters at a glance, then the tabs of the registry. */
import { useRef } from 'preact/hooks';
import { navigate, paths } from '../../router.ts';
import { useSession } from '../../session.tsx';
import { Duration, ErrorNote, ImpactBadge, Link, Loading, StatusBadge } from '../../ui/components.tsx';
import { planNameOfIncident } from '../../ui/format.ts';
import { useIncidentData } from './incident-data.ts';
import { INCIDENT_TABS } from './tabs/registry.ts';

export function IncidentPage({ query }: { query: URLSearchParams }) {
  const arn = query.get('arn') ?? '';
  const { clients } = useSession();
  const data = useIncidentData(clients.incidents, arn);
  const tab = INCIDENT_TABS.find((t) => t.id === query.get('tab')) ?? INCIDENT_TABS[0]!;
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const incident = data.incident.data;

  if (!arn) return <p class="error">No incident was named in the address.</p>;

  // Arrow keys move between tabs, as the WAI-ARIA tabs pattern has it.
  const onKeyDown = (event: KeyboardEvent) => {
    const index = INCIDENT_TABS.indexOf(tab);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = INCIDENT_TABS[(index + step + INCIDENT_TABS.length) % INCIDENT_TABS.length]!;
    navigate(paths.incident(arn, next.id), { replace: true });
    tabRefs.current[INCIDENT_TABS.indexOf(next)]?.focus();
  };

  const Panel = tab.component;
  return (
    <article aria-labelledby="incident-title">
      <p class="breadcrumb">
        <Link href={paths.incidents()}>Incidents</Link> /
      </p>
      <ErrorNote error={data.incident.error} context="Could not load the incident" />
      {!incident && data.incident.loading ? <Loading what="the incident" /> : null}
      {incident ? (
        <header class="banner">
          <h1 id="incident-title">{incident.title}</h1>
          <div class="banner-facts">
            <StatusBadge status={incident.status} />
            <ImpactBadge impact={incident.impact} />
            <span>
              <span class="label">Duration</span> <Duration from={incident.creationTime} to={incident.resolvedTime} />
            </span>
            <span>
              <span class="label">Plan</span> {planNameOfIncident(incident.arn ?? '')}
            </span>
            {incident.chatChannel?.chatbotSns?.length ? (
              <span>
                <span class="label">Chat channel</span> {incident.chatChannel.chatbotSns.length} SNS topic
                {incident.chatChannel.chatbotSns.length === 1 ? '' : 's'}
              </span>
            ) : null}
          </div>
        </header>
      ) : null}
      {incident ? (
        <>
          <div class="tabs" role="tablist" aria-label="Incident details" onKeyDown={onKeyDown}>
            {INCIDENT_TABS.map((t, index) => (
              <button
                type="button"
                role="tab"
                key={t.id}
                id={`tab-${t.id}`}
                aria-selected={t === tab}
                aria-controls="incident-tabpanel"
                tabIndex={t === tab ? 0 : -1}
                ref={(el) => {
                  tabRefs.current[index] = el;
                }}
                onClick={() => navigate(paths.incident(arn, t.id), { replace: true })}
              >
                {t.label}
              </button>
            ))}
          </div>
          <div role="tabpanel" id="incident-tabpanel" aria-labelledby={`tab-${tab.id}`} class="tabpanel">
            <Panel data={data} />
          </div>
        </>
      ) : null}
    </article>
  );
}
