/**
 * What the incident reactor (the table's stream, incident and page items) does with committed changes: paging starts
 * when an incident opens and stops when it is resolved, the plan's runbooks start when it opens; Incident Manager's response metrics and the business metrics
 * count what happened. Paging and response metrics act once per fact; business metrics of a redelivered batch may
 * count twice (EMF cannot deduplicate), an accepted imprecision.
 */
import { emfMetricsSink } from '#adapters/metrics/emf.ts';
import { ResponseMetricsConsumer } from '#core/analysis/metrics.ts';
import { incidentPagingConsumer } from '#core/contacts/engagements/incident-paging.ts';
import { businessMetricsConsumer } from '#core/events/business-metrics.ts';
import type { DomainEventConsumer } from '#core/events/domain-events.ts';
import { responseFactsOf } from './analysis.ts';
import { contactsOf } from './paging.ts';
import type { CompositionRoot } from './root.ts';
import { runbookStarterOf } from './runbooks.ts';

export const reactorConsumersOf = (root: CompositionRoot): DomainEventConsumer[] =>
  root.memo('reactor.consumers', () => [
    incidentPagingConsumer(contactsOf(root), root.service),
    runbookStarterOf(root),
    businessMetricsConsumer(root.observability.metrics),
    // Incident Manager's own CloudWatch metrics (and the facts GetResponseMetrics reads), once per fact.
    new ResponseMetricsConsumer({
      facts: responseFactsOf(root),
      sink: root.observability.emitsMetrics
        ? emfMetricsSink(root.config.responseMetricsNamespace)
        : { publish: () => undefined },
      getIncident: async (incidentId) => (await root.incidentsStore.getIncident(incidentId))?.record,
      service: root.service,
    }),
  ]);
