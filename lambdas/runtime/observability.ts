/**
 * Observability with Powertools for AWS Lambda (TypeScript): structured logs with the invocation's context, X-Ray
 * traces of the handler and its AWS SDK calls, and business metrics in Embedded Metric Format (a log line CloudWatch
 * turns into metrics: no API call, no latency). Each deployed function gets the three as Middy middlewares; the local
 * runtime gets the logger context only (no X-Ray daemon, and metrics would be noise on a laptop).
 */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { MiddlewareObj } from '@middy/core';
import type { MetricDimensions, MetricsSink } from '#core/shared/metrics.ts';
import { NO_METRICS } from '#core/shared/metrics.ts';
import { logger, SERVICE_NAME } from './logger.ts';

/** The CloudWatch namespace of the business metrics (AWS/* namespaces are reserved for AWS services). */
export const METRICS_NAMESPACE = 'OpenIncidentManager';

export interface Observability {
  metrics: MetricsSink;
  /** Whether metrics leave this process (in Lambda, as EMF log lines); locally none do. */
  emitsMetrics: boolean;
  /** Traces an AWS SDK v3 client's calls (a no-op where there is no tracing). */
  traceClient<T>(client: T): T;
  /** The middlewares every handler of this process wears, outermost first. */
  middlewares(): MiddlewareObj[];
}

/** In Lambda: Powertools Logger context, Tracer and Metrics. */
export function lambdaObservability(): Observability {
  const tracer = new Tracer({ serviceName: SERVICE_NAME });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
  // Each business metric has its own dimensions, so each is published as its own EMF record.
  const publish = (
    name: string,
    unit: (typeof MetricUnit)[keyof typeof MetricUnit],
    value: number,
    dimensions: MetricDimensions = {},
  ) => {
    const single = metrics.singleMetric();
    for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
    single.addMetric(name, unit, value);
  };
  return {
    emitsMetrics: true,
    metrics: {
      count: (name, dimensions, value = 1) => publish(name, MetricUnit.Count, value, dimensions),
      duration: (name, milliseconds, dimensions) => publish(name, MetricUnit.Milliseconds, milliseconds, dimensions),
    },
    traceClient: (client) => tracer.captureAWSv3Client(client),
    middlewares: () => [
      injectLambdaContext(logger, { resetKeys: true }),
      captureLambdaHandler(tracer),
      logMetrics(metrics, { captureColdStartMetric: true }),
    ],
  };
}

/** Locally: the same logger context, no tracing, no metrics. */
export function localObservability(): Observability {
  return {
    emitsMetrics: false,
    metrics: NO_METRICS,
    traceClient: (client) => client,
    middlewares: () => [injectLambdaContext(logger, { resetKeys: true })],
  };
}
