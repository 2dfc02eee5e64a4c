/**
 * Business metrics, in domain words. The deployed functions publish them as CloudWatch metrics in Embedded Metric
 * Format (lambdas/runtime/observability.ts, through Powertools Metrics: a log line, no API call); the local runtime
 * keeps none. Names and dimensions: docs/observability.md.
 */
export type MetricDimensions = Readonly<Record<string, string>>;

export interface MetricsSink {
  /** Adds `value` (default 1) to a counter. */
  count(name: string, dimensions?: MetricDimensions, value?: number): void;
  /** Records a duration in milliseconds. */
  duration(name: string, milliseconds: number, dimensions?: MetricDimensions): void;
}

export const NO_METRICS: MetricsSink = { count: () => undefined, duration: () => undefined };
