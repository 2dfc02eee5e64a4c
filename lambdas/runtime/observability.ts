/**
 * Observability with Powertools for AWS Lambda (TypeScript): structured logs with the invocation's context, business
 * metrics in Embedded Metric Format (a log line CloudWatch turns into metrics: no API call, no latency), and, when
 * detailed tracing is on, X-Ray subsegments for the handler and every AWS SDK call. Each deployed function gets them
 * as Middy middlewares; the local runtime gets the logger context only (no X-Ray daemon, and metrics would be noise on
 * a laptop).
 *
 * Every function runs with Lambda's active tracing (the function's own segment, free of any code). Powertools Tracer
 * brings the X-Ray SDK (~115 KB minified, a third of a function's cold-start code), so it is loaded only when detailed
 * tracing is on (DETAILED_TRACING, the `detailedTracing` context value), as a separate chunk on the first invocation.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { MetricsOptions } from '@aws-lambda-powertools/metrics/types';
import type { MiddlewareObj } from '@middy/core';
import type { MetricDimensions, MetricsSink } from '#core/shared/metrics.ts';
import { NO_METRICS } from '#core/shared/metrics.ts';
import { holdConfiguredLogLevel, logger, SERVICE_NAME } from './logger.ts';

/** The CloudWatch namespace of the business metrics (AWS/* namespaces are reserved for AWS services). */
export const METRICS_NAMESPACE = 'OpenIncidentManager';

export interface Observability {
  metrics: MetricsSink;
  /** Whether metrics leave this process (in Lambda, as EMF log lines); locally none do. */
  emitsMetrics: boolean;
  /** Traces an AWS SDK v3 client's calls when detailed tracing is on (a no-op otherwise). */
  traceClient<T>(client: T): T;
  /** The middlewares every handler of this process wears, outermost first. */
  middlewares(): MiddlewareObj[];
}

type Tracer = import('@aws-lambda-powertools/tracer').Tracer;

/** How Powertools Metrics starts the warning it gives when the middleware flushes an instance holding no metric. */
const NO_METRICS_TO_FLUSH = 'No application metrics to publish';

/**
 * Where Powertools Metrics reports what it finds wrong: the function's logger (structured JSON with the invocation's
 * context, at the configured level) instead of raw text on its own console. One report is a false alarm here and
 * goes to DEBUG: every business metric is published as its own record (`singleMetric` below), so the instance the
 * middleware flushes after each invocation never holds one, and Powertools would warn about it on every invocation,
 * a log line per request for nothing.
 */
const metricsDiagnostics: NonNullable<MetricsOptions['logger']> = {
  debug: logger.debug.bind(logger),
  info: logger.info.bind(logger),
  warn: (message, ...details) =>
    String(message).startsWith(NO_METRICS_TO_FLUSH) ? logger.debug(message) : logger.warn(message, ...details),
  error: logger.error.bind(logger),
};

/**
 * Powertools Tracer, loaded on the first invocation: its Middy middleware, and the SDK clients created before it
 * loaded (the composition root builds them at init) instrumented then.
 */
function lazyTracing() {
  const clients: unknown[] = [];
  let tracer: Tracer | undefined;
  let middleware: Promise<MiddlewareObj> | undefined;
  const load = () => {
    middleware ??= (async () => {
      const [{ Tracer }, { captureLambdaHandler }] = await Promise.all([
        import('@aws-lambda-powertools/tracer'),
        import('@aws-lambda-powertools/tracer/middleware'),
      ]);
      tracer = new Tracer({ serviceName: SERVICE_NAME });
      for (const client of clients.splice(0)) tracer.captureAWSv3Client(client);
      return captureLambdaHandler(tracer);
    })();
    return middleware;
  };
  return {
    traceClient<T>(client: T): T {
      if (tracer) tracer.captureAWSv3Client(client);
      else clients.push(client);
      return client;
    },
    middleware: {
      before: async (request) => (await load()).before?.(request),
      after: async (request) => (await load()).after?.(request),
      onError: async (request) => (await load()).onError?.(request),
    } satisfies MiddlewareObj,
  };
}

/** In Lambda: Powertools Logger context and Metrics, and Tracer when detailed tracing is on. */
export function lambdaObservability(options: { detailedTracing?: boolean } = {}): Observability {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME, logger: metricsDiagnostics });
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
  const tracing = options.detailedTracing ? lazyTracing() : undefined;
  return {
    emitsMetrics: true,
    metrics: {
      count: (name, dimensions, value = 1) => publish(name, MetricUnit.Count, value, dimensions),
      duration: (name, milliseconds, dimensions) => publish(name, MetricUnit.Milliseconds, milliseconds, dimensions),
    },
    traceClient: (client) => (tracing ? tracing.traceClient(client) : client),
    middlewares: () => [
      injectLambdaContext(logger, { resetKeys: true }),
      holdConfiguredLogLevel,
      ...(tracing ? [tracing.middleware] : []),
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
    middlewares: () => [injectLambdaContext(logger, { resetKeys: true }), holdConfiguredLogLevel],
  };
}
