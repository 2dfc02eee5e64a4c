/** The response-metrics dashboard, read from the synthesized template: Incident Manager's metrics, by plan and impact. */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ResponseMetricsDashboard } from '../../lib/constructs/response-metrics-dashboard.ts';
import { defaultStack } from '../support/default-stack.ts';

/** The dashboard's body as CloudFormation will render it (the stack name token joined in as a placeholder). */
const bodyOf = (template: Template): { widgets: { properties: Record<string, any> }[] } => {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  const body = dashboards[0]!.Properties.DashboardBody;
  const text =
    typeof body === 'string'
      ? body
      : (body['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('');
  return JSON.parse(text);
};

const metricsOf = (body: ReturnType<typeof bodyOf>) =>
  body.widgets.flatMap((w) => (w.properties.metrics ?? []) as unknown[][]);

describe('ResponseMetricsDashboard', () => {
  it("graphs Incident Manager's four metrics in its namespace, with MTTA and MTTR as mean and p90", () => {
    const { template } = defaultStack();
    const body = bodyOf(template);

    const plain = metricsOf(body).filter((m) => m[0] === 'IncidentManager');
    expect(plain.map((m) => m[1]).sort()).toEqual(
      [
        'NumberOfCreateIncidents',
        'NumberOfResolveIncidents',
        'TimeToFirstAcknowledgement',
        'TimeToFirstAcknowledgement',
        'TimeToResolveIncident',
        'TimeToResolveIncident',
      ].sort(),
    );
    // A graph's default statistic (Average) is left out of the rendered options.
    const stats = plain
      .filter((m) => m[1] === 'TimeToResolveIncident')
      .map((m) => (m[2] as { stat?: string } | undefined)?.stat ?? 'Average');
    expect(stats.sort()).toEqual(['Average', 'p90']);
    const searches = metricsOf(body)
      .map((m) => (m[0] as { expression?: string })?.expression)
      .filter(Boolean);
    expect(searches).toEqual(
      expect.arrayContaining([
        `SEARCH('{IncidentManager,ResponsePlan} MetricName="NumberOfCreateIncidents"', 'Sum', 86400)`,
        `SEARCH('{IncidentManager,Impact} MetricName="NumberOfCreateIncidents"', 'Sum', 86400)`,
        `SEARCH('{IncidentManager,ResponsePlan} MetricName="TimeToResolveIncident"', 'Average', 86400)`,
      ]),
    );
  });

  it('follows a namespace of its own, for accounts that still run AWS Incident Manager beside this service', () => {
    const stack = new Stack(new App(), 'Own');
    new ResponseMetricsDashboard(stack, 'Dashboard', { namespace: 'OpenIncidentManager' });
    const metrics = metricsOf(bodyOf(Template.fromStack(stack)));
    expect(metrics.length).toBeGreaterThan(0);
    for (const m of metrics) {
      const expression = (m[0] as { expression?: string })?.expression;
      if (expression) expect(expression).toContain('{OpenIncidentManager,');
      else expect(m[0]).toBe('OpenIncidentManager');
    }
  });
});
