/**
 * Small helpers shared by the compatibility tests: unique names, response-plan and incident set-up through the
 * official SDK, raw HTTP requests for inputs the SDK would not send, and a count of what the table holds.
 */
import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateResponsePlanCommand,
  type CreateResponsePlanCommandInput,
  type EventSummary,
  type ListTimelineEventsCommandInput,
  paginateListTimelineEvents,
  type SSMIncidentsClient,
  StartIncidentCommand,
  type StartIncidentCommandInput,
} from '@aws-sdk/client-ssm-incidents';
import type { TestRuntime } from '../support/local-runtime.ts';

/** A name no other test uses: `<prefix>-<8 hex>`, valid as a response plan name and as an access key id. */
export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/**
 * Resolves once the clock has moved past `time` (epoch ms, default now): whatever the runtime stamps after this is
 * later than anything stamped before. For tests that need two timestamps to differ, instead of a fixed sleep.
 */
export async function clockPasses(time = Date.now()): Promise<void> {
  while (Date.now() <= time) await new Promise((resolve) => setTimeout(resolve, 1));
}

/** Creates a response plan with a minimal template (overridable) and returns its name and ARN. */
export async function createPlan(
  client: SSMIncidentsClient,
  overrides: Partial<CreateResponsePlanCommandInput> = {},
): Promise<{ name: string; arn: string }> {
  const name = overrides.name ?? unique('plan');
  const { arn } = await client.send(
    new CreateResponsePlanCommand({
      name,
      incidentTemplate: { title: `Template title of ${name}`, impact: 3 },
      ...overrides,
    }),
  );
  return { name, arn: arn! };
}

/** Starts an incident on the plan and returns its ARN. */
export async function startIncident(
  client: SSMIncidentsClient,
  responsePlanArn: string,
  input: Partial<StartIncidentCommandInput> = {},
): Promise<string> {
  const { incidentRecordArn } = await client.send(new StartIncidentCommand({ responsePlanArn, ...input }));
  return incidentRecordArn!;
}

/** Every timeline event of an incident, through the SDK paginator. */
export async function allTimelineEvents(
  client: SSMIncidentsClient,
  input: ListTimelineEventsCommandInput,
  pageSize?: number,
): Promise<EventSummary[]> {
  const events: EventSummary[] = [];
  for await (const page of paginateListTimelineEvents({ client, ...(pageSize ? { pageSize } : {}) }, input))
    events.push(...(page.eventSummaries ?? []));
  return events;
}

/**
 * How many items the runtime's table holds (a Scan is fine in a test), once the change-stream consumers have reacted
 * to everything committed so far (they write too: the response metrics' per-incident facts), so a count taken before
 * and after a rejected request compares what that request wrote.
 */
export async function itemCount(runtime: TestRuntime): Promise<number> {
  await runtime.changes.caughtUp();
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await runtime.dynamodb.send(
      new ScanCommand({
        TableName: runtime.tableName,
        Select: 'COUNT',
        ConsistentRead: true,
        ExclusiveStartKey: startKey as any,
      }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or undefined when it is empty or not JSON. */
  json: Record<string, unknown> | undefined;
}

/** Reads a fetch response as the raw tests inspect it: status, headers, text and (when it parses) JSON. */
export async function readRawResponse(response: Response): Promise<RawResponse> {
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/**
 * A request the SDK would refuse to build (wrong types, malformed JSON). The local front takes the access key
 * from an `Authorization` header shaped like SigV4's, as API Gateway would after verifying it.
 */
export async function rawRequest(
  runtime: TestRuntime,
  method: string,
  path: string,
  body?: string | object,
  accessKeyId = 'raw-caller',
): Promise<RawResponse> {
  const headers: Record<string, string> = {
    authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/us-east-1/ssm-incidents/aws4_request, SignedHeaders=host, Signature=00`,
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${runtime.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return readRawResponse(response);
}

/** Parses a timeline event's eventData, which the service writes as a JSON string for automatic events. */
export const eventDataOf = (eventData: string | undefined): Record<string, unknown> =>
  JSON.parse(eventData ?? 'null') as Record<string, unknown>;
