/**
 * The one logger: Powertools for AWS Lambda's structured JSON logger, so CloudWatch Logs Insights can filter on fields
 * and every line of an invocation carries its request id (the middlewares in observability.ts add the Lambda context
 * and, for API calls, the API Gateway request id as correlation id). Its level is set from configuration by the
 * composition root (root.ts), not read here.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const SERVICE_NAME = 'open-incident-manager';

export const logger = new Logger({ serviceName: SERVICE_NAME });
