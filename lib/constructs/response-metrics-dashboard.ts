/**
 * A CloudWatch dashboard of the response metrics this service publishes under Incident Manager's names and
 * dimensions (lambdas/core/analysis/metrics.ts): incidents created and resolved, time to first acknowledgement
 * (MTTA) and time to resolve (MTTR), and the same broken down by response plan and by impact. Existing Incident
 * Manager dashboards built on the `IncidentManager` namespace keep working as well.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, type IMetric, MathExpression, Metric, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { DEFAULT_METRICS_NAMESPACE, METRIC_NAMES } from '#core/analysis/metrics.ts';

export interface ResponseMetricsDashboardProps {
  /** Where the metrics are published. @default 'IncidentManager' (Incident Manager's own namespace) */
  readonly namespace?: string;
  /** The graphs' period. @default one day */
  readonly period?: Duration;
  /** @default a name CloudFormation generates */
  readonly dashboardName?: string;
}

export class ResponseMetricsDashboard extends Construct {
  public readonly dashboard: Dashboard;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: ResponseMetricsDashboardProps = {}) {
    super(scope, id);
    const namespace = props.namespace ?? DEFAULT_METRICS_NAMESPACE;
    const period = props.period ?? Duration.days(1);
    this.namespace = namespace;

    const metric = (metricName: string, statistic: string, label: string) =>
      new Metric({ namespace, metricName, statistic, period, label });
    /** Every series of a metric along one dimension (one line per response plan, or per impact level). */
    const byDimension = (metricName: string, dimension: string, statistic: string, label: string): IMetric =>
      new MathExpression({
        expression: `SEARCH('{${namespace},${dimension}} MetricName="${metricName}"', '${statistic}', ${period.toSeconds()})`,
        usingMetrics: {},
        period,
        label,
      });
    const graph = (title: string, left: IMetric[], unit?: string) =>
      new GraphWidget({
        title,
        left,
        width: 12,
        height: 6,
        ...(unit ? { leftYAxis: { label: unit, showUnits: false } } : {}),
      });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      ...(props.dashboardName ? { dashboardName: props.dashboardName } : {}),
      defaultInterval: Duration.days(90),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Incident response (${Stack.of(this).stackName})\nIncident Manager's metrics in \`${namespace}\`: created and resolved incidents, time to first acknowledgement (MTTA) and time to resolve (MTTR). Per-incident figures and post-incident analyses: the analysis API.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      graph('Incidents created and resolved', [
        metric(METRIC_NAMES.created, 'Sum', 'Created'),
        metric(METRIC_NAMES.resolved, 'Sum', 'Resolved'),
      ]),
      graph('Incidents created by impact', [byDimension(METRIC_NAMES.created, 'Impact', 'Sum', 'Impact')]),
    );
    this.dashboard.addWidgets(
      graph(
        'Time to first acknowledgement (MTTA)',
        [
          metric(METRIC_NAMES.timeToFirstAcknowledgement, 'Average', 'Mean'),
          metric(METRIC_NAMES.timeToFirstAcknowledgement, 'p90', 'p90'),
        ],
        'Seconds',
      ),
      graph(
        'Time to resolve (MTTR)',
        [metric(METRIC_NAMES.timeToResolve, 'Average', 'Mean'), metric(METRIC_NAMES.timeToResolve, 'p90', 'p90')],
        'Seconds',
      ),
    );
    this.dashboard.addWidgets(
      graph('Incidents created by response plan', [
        byDimension(METRIC_NAMES.created, 'ResponsePlan', 'Sum', 'Response plan'),
      ]),
      graph(
        'MTTR by response plan',
        [byDimension(METRIC_NAMES.timeToResolve, 'ResponsePlan', 'Average', 'Response plan')],
        'Seconds',
      ),
    );
  }
}
