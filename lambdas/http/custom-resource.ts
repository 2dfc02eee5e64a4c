/**
 * The CloudFormation custom resource protocol, for functions that serve as a resource's ServiceToken directly (no
 * provider framework): CloudFormation waits for a response at the pre-signed ResponseURL, so one is always sent,
 * success or failure, with the reason.
 */
import { logger } from '#runtime/logger.ts';

export interface CustomResourceRequest<P = Record<string, unknown>> {
  RequestType: 'Create' | 'Update' | 'Delete';
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceType?: string;
  ResourceProperties: P;
}

export const isCustomResourceRequest = (event: unknown): event is CustomResourceRequest =>
  typeof event === 'object' && event !== null && 'RequestType' in event && 'ResponseURL' in event;

/** Runs `apply` (which returns the physical id) and reports its outcome to CloudFormation. */
export async function respondToCustomResource<P>(
  request: CustomResourceRequest<P>,
  apply: (request: CustomResourceRequest<P>) => Promise<string>,
): Promise<void> {
  let status: 'SUCCESS' | 'FAILED' = 'SUCCESS';
  let reason = 'OK';
  let physicalId = request.PhysicalResourceId ?? request.LogicalResourceId;
  try {
    physicalId = await apply(request);
  } catch (error) {
    status = 'FAILED';
    reason = error instanceof Error ? error.message : String(error);
    logger.error('custom resource failed', {
      resourceType: request.ResourceType,
      requestType: request.RequestType,
      reason,
    });
  }
  const body = JSON.stringify({
    Status: status,
    Reason: reason.slice(0, 1000),
    PhysicalResourceId: physicalId,
    StackId: request.StackId,
    RequestId: request.RequestId,
    LogicalResourceId: request.LogicalResourceId,
  });
  const response = await fetch(request.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!response.ok) throw new Error(`CloudFormation response upload failed: HTTP ${response.status}`);
}
