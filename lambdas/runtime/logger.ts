/**
 * The one logger: Powertools for AWS Lambda's structured JSON logger, so CloudWatch Logs Insights can filter on fields
 * and every line of an invocation carries its request id (the middlewares in observability.ts add the Lambda context
 * and, for API calls, the API Gateway request id as correlation id). Its level is set from configuration by the
 * composition root (root.ts), not read here.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from './config.ts';

export const SERVICE_NAME = 'open-incident-manager';

export const logger = new Logger({ serviceName: SERVICE_NAME });

let configuredLevel: LogLevel | undefined;

/**
 * Sets the level from configuration. Powertools takes its base level from the environment when the logger is built
 * (before configuration is read), and its context middleware puts that base level back on every warm invocation, so
 * the configured level is held by `holdConfiguredLogLevel` after that middleware.
 */
export function configureLogLevel(level: LogLevel): void {
  configuredLevel = level;
  logger.setLogLevel(level);
}

/** Middy middleware, after `injectLambdaContext`: every invocation logs at the configured level. */
export const holdConfiguredLogLevel = {
  before: () => {
    if (configuredLevel) logger.setLogLevel(configuredLevel);
  },
};
