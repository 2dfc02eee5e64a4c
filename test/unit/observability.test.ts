/** In Lambda, business metrics leave as Embedded Metric Format log lines (no API call), one record per data point. */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { configureLogLevel, logger } from '#runtime/logger.ts';
import { lambdaObservability, localObservability, METRICS_NAMESPACE } from '#runtime/observability.ts';

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

describe('an invocation that publishes no business metric', () => {
  it('writes no warning about it (every metric is its own record, so there is never one to flush)', async () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const handler = middy(async () => 'done').use(lambdaObservability().middlewares());
    for (let invocation = 0; invocation < 2; invocation++) await handler({}, lambdaContext(invocation));
    const lines = [...stdout.mock.calls, ...stderr.mock.calls].map(([chunk]) => String(chunk));
    expect(lines.filter((line) => /metrics/i.test(line) && !line.includes('_aws'))).toEqual([]);
  });

  it('still publishes the business metrics of an invocation that has some', async () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const observability = lambdaObservability();
    const handler = middy(async () => observability.metrics.count('IncidentsOpened', { Impact: '2' })).use(
      observability.middlewares(),
    );
    await handler({}, lambdaContext(0));
    const records = stdout.mock.calls.map(([chunk]) => String(chunk)).filter((line) => line.includes('_aws'));
    expect(records.map((line) => JSON.parse(line))).toEqual([expect.objectContaining({ IncidentsOpened: 1 })]);
  });
});

describe('the configured log level', () => {
  it('holds on every warm invocation, not only the first (Powertools puts back the level it read at start)', async () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    configureLogLevel('ERROR');
    try {
      const handler = middy(async () => logger.warn('a warning the configured level hides')).use(
        localObservability().middlewares(),
      );
      for (let invocation = 0; invocation < 3; invocation++) await handler({}, lambdaContext(invocation));
      const lines = [...stdout.mock.calls, ...stderr.mock.calls, ...warn.mock.calls].map(([chunk]) => String(chunk));
      const warnings = lines.filter((line) => line.includes('the configured level hides'));
      expect(warnings).toEqual([]);
    } finally {
      configureLogLevel('WARN'); // the level the other test files run at (vitest.config.ts)
    }
  });
});

const lambdaContext = (invocation: number) =>
  ({
    functionName: 'test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:test',
    memoryLimitInMB: '128',
    awsRequestId: `request-${invocation}`,
    getRemainingTimeInMillis: () => 1_000,
  }) as unknown as Context;
