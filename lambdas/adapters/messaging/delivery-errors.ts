/**
 * Turns what an AWS SDK call threw into a MessageDeliveryError that says whether trying again later may succeed, so
 * the paging engine can wait RetryIntervalInMinutes on a throttled or failing provider and stop at once on a number
 * that opted out. The SDK has already retried throttling and 5xx responses a few times (standard retry mode) before
 * the error reaches this point.
 *
 * Order: the provider's own mapping (by error name and `Reason`), then throttling, server faults (5xx), network
 * failures, authorization, and finally any other client fault (the request itself was refused: not retryable).
 * Errors that carry no sign of either (no HTTP status, no fault, no known network code) count as UNKNOWN and are
 * retried: for a page, one attempt too many costs less than a page never sent.
 */
import { type DeliveryFailureReason, MessageDeliveryError } from '#core/contacts/messaging.ts';

/** The parts of an SDK v3 service exception (or a Node network error) that classification reads. */
export interface ProviderErrorShape {
  name?: string;
  message?: string;
  code?: string;
  Reason?: string;
  /** End User Messaging's ValidationException names the fields it refused. */
  Fields?: { Name?: string; Message?: string }[];
  $fault?: 'client' | 'server';
  $retryable?: { throttling?: boolean };
  $metadata?: { httpStatusCode?: number };
}

export type ProviderMapping = (
  error: ProviderErrorShape,
) => { reason: DeliveryFailureReason; retryable?: boolean } | undefined;

const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'SlowDown',
]);

/** Connection-level failures: the request may never have reached the provider. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);
const NETWORK_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'NetworkingError']);

const AUTHORIZATION_NAMES = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'NotAuthorized',
]);

const shapeOf = (error: unknown): ProviderErrorShape =>
  typeof error === 'object' && error !== null ? (error as ProviderErrorShape) : { message: String(error) };

export function classifyProviderError(
  provider: string,
  error: unknown,
  mapping?: ProviderMapping,
): MessageDeliveryError {
  if (error instanceof MessageDeliveryError) return error;
  const shape = shapeOf(error);
  const name = shape.name ?? 'Error';
  const status = shape.$metadata?.httpStatusCode;
  const make = (reason: DeliveryFailureReason, retryable?: boolean) =>
    new MessageDeliveryError({
      provider,
      reason,
      ...(retryable === undefined ? {} : { retryable }),
      message:
        `${provider} did not accept the message (${reason}): ${name}${shape.Reason ? ` [${shape.Reason}]` : ''}: ${shape.message ?? ''}`.trim(),
      providerError: name,
      cause: error,
    });

  const mapped = mapping?.(shape);
  if (mapped) return make(mapped.reason, mapped.retryable);
  if (THROTTLING_NAMES.has(name) || shape.$retryable?.throttling || status === 429) return make('THROTTLED');
  if (shape.$fault === 'server' || (status !== undefined && status >= 500)) return make('PROVIDER_UNAVAILABLE');
  if ((shape.code && NETWORK_CODES.has(shape.code)) || NETWORK_NAMES.has(name)) return make('NETWORK');
  if (AUTHORIZATION_NAMES.has(name) || status === 403) return make('NOT_AUTHORIZED');
  if (shape.$fault === 'client' || (status !== undefined && status >= 400)) return make('REJECTED');
  return make('UNKNOWN');
}
