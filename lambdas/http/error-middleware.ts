import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { isDomainError } from '#core/shared/errors.ts';
import { logger } from '#runtime/logger.ts';
import { errorResponse } from './aws-errors.ts';

/**
 * Middy middleware: any error thrown by the operation becomes an AWS-shaped error response, rendered by the API's own
 * protocol (ssm-incidents' restJson1 by default; the ssm-contacts handler passes its awsJson1_1 renderer).
 */
export const awsErrorResponses = (
  render: (error: unknown, requestId: string) => APIGatewayProxyStructuredResultV2 = errorResponse,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> => ({
  onError: async (request) => {
    const requestId = request.event.requestContext?.requestId ?? 'unknown';
    const error = request.error;
    if (isDomainError(error)) logger.info('request rejected', { requestId, error: error.name, reason: error.message });
    else logger.error('request failed', { requestId, error: String(error), stack: (error as Error)?.stack });
    request.response = render(error, requestId);
  },
});
