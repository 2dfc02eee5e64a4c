/**
 * A MetricsSink writing CloudWatch Embedded Metric Format: one JSON line per data point on stdout, which Lambda sends
 * to CloudWatch Logs, where CloudWatch extracts the metric. No API call, no extra latency, nothing to batch.
 */
import { emfRecord, type MetricsSink } from '#core/analysis/metrics.ts';

export const emfMetricsSink = (
  namespace: string,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): MetricsSink => ({
  publish(point) {
    write(JSON.stringify(emfRecord(namespace, point)));
  },
});
