/** Response metrics arithmetic and Incident Manager's CloudWatch metric shape (EMF), without storage. */
import { describe, expect, it } from 'vitest';
import { DIMENSION_SETS, dimensionsOf, emfRecord } from '#core/analysis/metrics.ts';
import type { ResponseFactsRecord } from '#core/analysis/ports.ts';
import { aggregateResponseMetrics, durationStats, weekStart } from '#core/analysis/response-metrics.ts';

const MONDAY = Date.UTC(2026, 10, 2); // 2026-11-02 was a Monday
const facts = (overrides: Partial<ResponseFactsRecord>): ResponseFactsRecord => ({
  incidentArn: 'arn',
  incidentId: 'id',
  responsePlanName: 'checkout',
  impact: 2,
  source: 'aws.ssm-incidents.custom',
  creationTime: MONDAY + 3600_000,
  pageCount: 0,
  ...overrides,
});

describe('response metrics', () => {
  it('computes MTTA and MTTR per response plan and impact, incidents per week and pages per incident', () => {
    const window = { from: MONDAY, to: MONDAY + 14 * 86_400_000 };
    const all = [
      facts({ firstAcknowledgementTime: MONDAY + 3600_000 + 120_000, resolvedTime: MONDAY + 7200_000, pageCount: 2 }),
      facts({
        firstAcknowledgementTime: MONDAY + 3600_000 + 360_000,
        resolvedTime: MONDAY + 3 * 3600_000,
        pageCount: 4,
      }),
      facts({ responsePlanName: 'search', impact: 4, creationTime: MONDAY + 8 * 86_400_000, pageCount: 0 }),
    ];

    const metrics = aggregateResponseMetrics(all, window.from, window.to);

    expect(metrics.totals).toMatchObject({ incidents: 3, resolved: 2, acknowledged: 2, pages: 6, pagesPerIncident: 2 });
    expect(metrics.totals.timeToAcknowledge).toEqual({ count: 2, meanSeconds: 240, p50Seconds: 120, p90Seconds: 360 });
    expect(metrics.totals.timeToResolve).toMatchObject({ count: 2, meanSeconds: 5400 });
    expect(metrics.byResponsePlan.map((g) => [g.responsePlanName, g.incidents])).toEqual([
      ['checkout', 2],
      ['search', 1],
    ]);
    expect(metrics.byImpact.map((g) => [g.impact, g.incidents])).toEqual([
      [2, 2],
      [4, 1],
    ]);
    expect(metrics.byResponsePlanAndImpact).toHaveLength(2);
    expect(metrics.weekly).toEqual([
      { weekStart: MONDAY, incidents: 2, resolved: 2 },
      { weekStart: MONDAY + 7 * 86_400_000, incidents: 1, resolved: 0 },
    ]);
  });

  it('starts weeks on Monday 00:00 UTC and reports no figures for an empty group', () => {
    expect(weekStart(MONDAY + 6 * 86_400_000 + 1)).toBe(MONDAY);
    expect(weekStart(MONDAY - 1)).toBe(MONDAY - 7 * 86_400_000);
    expect(durationStats([])).toEqual({ count: 0 });
  });

  it("publishes under Incident Manager's six dimension sets, leaving Source out when it is not ASCII", () => {
    expect(dimensionsOf({ responsePlanName: 'checkout', impact: 1, source: 'aws.cloudwatch' })).toEqual({
      dimensions: { ResponsePlan: 'checkout', Impact: '1', Source: 'aws.cloudwatch' },
      dimensionSets: DIMENSION_SETS.map((s) => [...s]),
    });
    const nonAscii = dimensionsOf({ responsePlanName: 'checkout', impact: 1, source: 'überwachung' });
    expect(nonAscii.dimensions).not.toHaveProperty('Source');
    expect(nonAscii.dimensionSets).toEqual([[], ['ResponsePlan'], ['Impact'], ['ResponsePlan', 'Impact']]);
  });

  it('renders a data point as an Embedded Metric Format record', () => {
    const record = emfRecord('IncidentManager', {
      name: 'TimeToResolveIncident',
      unit: 'Seconds',
      value: 5400,
      timestamp: MONDAY,
      ...dimensionsOf({ responsePlanName: 'checkout', impact: 2, source: 'aws.ssm-incidents.custom' }),
    });
    expect(record).toEqual({
      _aws: {
        Timestamp: MONDAY,
        CloudWatchMetrics: [
          {
            Namespace: 'IncidentManager',
            Dimensions: DIMENSION_SETS.map((s) => [...s]),
            Metrics: [{ Name: 'TimeToResolveIncident', Unit: 'Seconds' }],
          },
        ],
      },
      ResponsePlan: 'checkout',
      Impact: '2',
      Source: 'aws.ssm-incidents.custom',
      TimeToResolveIncident: 5400,
    });
  });
});
