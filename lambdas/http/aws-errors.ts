/**
 * The one place that turns errors into AWS error responses: the modelled HTTP status, the `x-amzn-errortype`
 * header and `__type` (the SDKs read either), `message`, and the error's modelled members.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { isDomainError } from '#core/shared/errors.ts';

export const jsonHeaders = (requestId: string) => ({
  'content-type': 'application/json',
  'x-amzn-requestid': requestId,
  date: new Date().toUTCString(),
});

export function errorResponse(error: unknown, requestId: string): APIGatewayProxyStructuredResultV2 {
  if (isDomainError(error)) {
    const members = Object.fromEntries(Object.entries(error.modelledMembers()).filter(([, v]) => v !== undefined));
    return {
      statusCode: error.httpStatus,
      headers: { ...jsonHeaders(requestId), 'x-amzn-errortype': error.name },
      body: JSON.stringify({ __type: error.name, message: error.message, ...members }),
    };
  }
  const throttled = (error as { name?: string })?.name;
  if (
    throttled === 'ProvisionedThroughputExceededException' ||
    throttled === 'ThrottlingException' ||
    throttled === 'RequestLimitExceeded'
  ) {
    return {
      statusCode: 429,
      headers: { ...jsonHeaders(requestId), 'x-amzn-errortype': 'ThrottlingException', 'retry-after': '1' },
      body: JSON.stringify({
        __type: 'ThrottlingException',
        message: 'The request was throttled; retry with back-off.',
        serviceCode: 'ssm-incidents',
        quotaCode: 'throttling',
      }),
    };
  }
  return {
    statusCode: 500,
    headers: { ...jsonHeaders(requestId), 'x-amzn-errortype': 'InternalServerException' },
    body: JSON.stringify({
      __type: 'InternalServerException',
      message: `The service could not complete the request (request id ${requestId}).`,
    }),
  };
}
