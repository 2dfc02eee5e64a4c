/** In Lambda, business metrics leave as Embedded Metric Format log lines (no API call), one record per data point. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lambdaObservability, METRICS_NAMESPACE } from '#runtime/observability.ts';

afterEach(() => vi.restoreAllMocks());

describe('lambdaObservability', () => {
  it('publishes a counter in EMF under the namespace, with its own dimensions and unit', () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    lambdaObservability().metrics.count('IncidentsOpened', { ResponsePlan: 'checkout', Impact: '1' });
    lambdaObservability().metrics.duration('TimeToAcknowledge', 60_000);
    const records = stdout.mock.calls
      .map(([chunk]) => String(chunk))
      .filter((line) => line.includes('_aws'))
      .map((line) => JSON.parse(line));
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: METRICS_NAMESPACE,
            Dimensions: [expect.arrayContaining(['ResponsePlan', 'Impact'])],
            Metrics: [{ Name: 'IncidentsOpened', Unit: 'Count' }],
          },
        ],
      },
      ResponsePlan: 'checkout',
      Impact: '1',
      IncidentsOpened: 1,
    });
    expect(records[1]).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Metrics: [{ Name: 'TimeToAcknowledge', Unit: 'Milliseconds' }] }] },
      TimeToAcknowledge: 60_000,
    });
  });
});
