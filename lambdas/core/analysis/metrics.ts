/**
 * Incident Manager's CloudWatch metrics, published by this service under the same names and dimensions
 * (Incident Manager user guide, "Monitoring metrics in Incident Manager with Amazon CloudWatch"):
 *
 * | metric                     | unit    | when                                                        |
 * | -------------------------- | ------- | ----------------------------------------------------------- |
 * | NumberOfCreateIncidents    | Count   | an incident is created                                      |
 * | NumberOfResolveIncidents   | Count   | an incident is resolved (again after a reopen)              |
 * | TimeToFirstAcknowledgement | Seconds | creation -> the first acknowledgement of one of its pages   |
 * | TimeToResolveIncident      | Seconds | creation -> resolution                                      |
 *
 * each under the dimension sets [], [ResponsePlan], [Impact], [Source], [ResponsePlan, Impact], [ResponsePlan, Source]
 * (ResponsePlan = the plan's name, Impact = 1..5, Source = incidentRecordSource.source). Like Incident Manager, a
 * non-ASCII source is left out of the Source dimension sets, which CloudWatch could not take.
 *
 * Namespace: `IncidentManager`, Incident Manager's own. CloudWatch reserves only `AWS/`-prefixed namespaces, so this
 * one is free for custom metrics and existing Incident Manager dashboards and alarms keep working unchanged. An
 * account that also still runs AWS Incident Manager in the same Region would see both services' figures summed, so
 * the namespace is a setting (`RESPONSE_METRICS_NAMESPACE` / the dashboard's `namespace` prop), e.g.
 * `OpenIncidentManager`.
 */
import type { DomainEvent, DomainEventConsumer } from '#core/events/domain-events.ts';
import { expectIncidentArn } from '#core/incidents/arns.ts';
import type { IncidentRecord } from '#core/incidents/ports.ts';
import type { ServiceContext } from '#core/shared/service-context.ts';
import type { IncidentFactsInput, ResponseFactsStore } from './ports.ts';

export const DEFAULT_METRICS_NAMESPACE = 'IncidentManager';

export const METRIC_NAMES = {
  created: 'NumberOfCreateIncidents',
  resolved: 'NumberOfResolveIncidents',
  timeToFirstAcknowledgement: 'TimeToFirstAcknowledgement',
  timeToResolve: 'TimeToResolveIncident',
} as const;
export type MetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];

export const DIMENSION_SETS: readonly (readonly string[])[] = [
  [],
  ['ResponsePlan'],
  ['Impact'],
  ['Source'],
  ['ResponsePlan', 'Impact'],
  ['ResponsePlan', 'Source'],
];

export interface MetricDataPoint {
  name: MetricName;
  unit: 'Count' | 'Seconds';
  value: number;
  /** Dimension values by name (ResponsePlan, Impact, Source). */
  dimensions: Record<string, string>;
  /** The dimension sets to publish the value under (each names dimensions of `dimensions`). */
  dimensionSets: string[][];
  /** When the fact happened, epoch milliseconds. */
  timestamp: number;
}

/**
 * Where data points go. In Lambda: Embedded Metric Format lines in the function's log (Powertools Metrics, or
 * lambdas/adapters/metrics/emf.ts); in tests: an array. No AWS API call is made to publish a metric.
 */
export interface MetricsSink {
  publish(point: MetricDataPoint): void | Promise<void>;
}

const ASCII = /^[\x20-\x7e]+$/;

/** Incident Manager's dimensions of an incident's metrics. */
export function dimensionsOf(facts: { responsePlanName: string; impact: number; source: string }) {
  const withSource = ASCII.test(facts.source) && facts.source.length <= 1024;
  return {
    dimensions: {
      ResponsePlan: facts.responsePlanName,
      Impact: String(facts.impact),
      ...(withSource ? { Source: facts.source } : {}),
    },
    dimensionSets: DIMENSION_SETS.filter((set) => withSource || !set.includes('Source')).map((set) => [...set]),
  };
}

/** The Embedded Metric Format record of one data point (one JSON log line). */
export function emfRecord(namespace: string, point: MetricDataPoint): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: point.timestamp,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: point.dimensionSets,
          Metrics: [{ Name: point.name, Unit: point.unit }],
        },
      ],
    },
    ...point.dimensions,
    [point.name]: point.value,
  };
}

export const factsOfIncident = (incident: IncidentRecord): IncidentFactsInput => ({
  incidentArn: incident.arn,
  incidentId: incident.id,
  responsePlanName: incident.responsePlanName,
  impact: incident.impact,
  source: incident.incidentRecordSource.source,
  creationTime: incident.creationTime,
});

export interface ResponseMetricsDependencies {
  facts: ResponseFactsStore;
  sink: MetricsSink;
  /** For pages of incidents the facts do not know yet (opened before this consumer ran). */
  getIncident(incidentId: string): Promise<IncidentRecord | undefined>;
  service: ServiceContext;
}

/**
 * Keeps the per-incident response facts that GetResponseMetrics aggregates, and publishes Incident Manager's four
 * metrics, each once per fact: the facts store's conditional writes say whether an event is new, so a redelivered
 * event publishes nothing twice. To wire: IncidentOpened, IncidentUpdated, IncidentResolved, IncidentReopened,
 * IncidentDeleted, PageCreated and PageAcknowledged from the table's change stream.
 */
export class ResponseMetricsConsumer implements DomainEventConsumer {
  readonly name = 'response-metrics';

  constructor(private readonly deps: ResponseMetricsDependencies) {}

  async handle(event: DomainEvent): Promise<void> {
    const { facts } = this.deps;
    switch (event.type) {
      case 'IncidentOpened': {
        const opened = factsOfIncident(event.incident);
        if (await facts.recordOpened(opened))
          await this.publish(METRIC_NAMES.created, 'Count', 1, opened, opened.creationTime);
        return;
      }
      case 'IncidentResolved': {
        const { incident } = event;
        if (incident.resolvedTime === undefined) return;
        await facts.ensureFacts(factsOfIncident(incident));
        if (!(await facts.recordResolved(incident.id, incident.resolvedTime))) return;
        const current = factsOfIncident(incident);
        await this.publish(METRIC_NAMES.resolved, 'Count', 1, current, incident.resolvedTime);
        await this.publish(
          METRIC_NAMES.timeToResolve,
          'Seconds',
          (incident.resolvedTime - incident.creationTime) / 1000,
          current,
          incident.resolvedTime,
        );
        return;
      }
      case 'IncidentReopened':
        return facts.recordReopened(event.incident.id);
      case 'IncidentUpdated':
        if (event.changed.includes('impact')) await facts.recordImpact(event.incident.id, event.incident.impact);
        return;
      case 'IncidentDeleted':
        return facts.deleteFacts(event.incident.id);
      case 'PageCreated': {
        const incidentId = await this.knownIncident(event.page.incidentId);
        if (incidentId) await facts.addPage(incidentId, event.page.pageId);
        return;
      }
      case 'PageAcknowledged': {
        const { readTime } = event.page;
        const incidentId = readTime === undefined ? undefined : await this.knownIncident(event.page.incidentId);
        if (!incidentId || readTime === undefined) return;
        if (!(await facts.recordAcknowledgement(incidentId, readTime))) return;
        const known = await facts.getFacts(incidentId);
        if (known)
          await this.publish(
            METRIC_NAMES.timeToFirstAcknowledgement,
            'Seconds',
            Math.max(0, readTime - known.creationTime) / 1000,
            known,
            readTime,
          );
        return;
      }
      default:
        return;
    }
  }

  /**
   * The incident id behind a page's IncidentId, when it names an incident of this service; its facts are created
   * from the incident when this consumer first hears of it through a page.
   */
  private async knownIncident(incidentArn: string | undefined): Promise<string | undefined> {
    if (!incidentArn) return undefined;
    let incidentId: string;
    try {
      ({ incidentId } = expectIncidentArn(this.deps.service, incidentArn, 'IncidentId'));
    } catch {
      return undefined; // StartEngagement takes any IncidentId; only this service's incidents have metrics.
    }
    if (await this.deps.facts.getFacts(incidentId)) return incidentId;
    const incident = await this.deps.getIncident(incidentId);
    if (!incident || incident.arn !== incidentArn) return undefined;
    await this.deps.facts.ensureFacts(factsOfIncident(incident));
    return incidentId;
  }

  private async publish(
    name: MetricName,
    unit: MetricDataPoint['unit'],
    value: number,
    facts: { responsePlanName: string; impact: number; source: string },
    timestamp: number,
  ) {
    await this.deps.sink.publish({ name, unit, value, timestamp, ...dimensionsOf(facts) });
  }
}
