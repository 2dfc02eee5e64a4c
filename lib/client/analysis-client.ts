/**
 * A small typed client for the post-incident analysis API, so scripts need no hand-written HTTP. It signs every
 * request with SigV4 (service `execute-api`, what API Gateway's IAM authorization checks; locally any credentials
 * do), sends it as the route table (lambdas/http/routes.ts) binds it, turns instants into `Date`s, fills a
 * clientToken on the operations that take one (so its own retries of throttled or failed calls never apply twice)
 * and throws AWS-shaped errors (`ValidationException`, `ConflictException` with `currentVersion`, ...).
 *
 *   const client = new AnalysisClient({ endpoint: 'http://127.0.0.1:4750', region: 'us-east-1' });
 *   const { analysisArn } = await client.createAnalysis({ incidentRecordArn });
 */
import { randomUUID } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { ANALYSIS_ROUTES, type RouteSpec } from '../../lambdas/http/routes.ts';
import type * as T from './analysis-types.ts';

export interface AnalysisClientConfig {
  /** The API's URL: the stack's ApiEndpoint output in AWS, http://127.0.0.1:4750 locally (a base path is kept). */
  endpoint: string;
  region: string;
  /** Default: the AWS SDK's default chain (environment, profile, SSO, container and instance roles). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Default `execute-api` (API Gateway with IAM authorization). */
  signingName?: string;
  /** Attempts per call for throttling (429) and server errors (5xx), with jittered back-off. Default 3. */
  maxAttempts?: number;
  fetch?: typeof fetch;
}

/** An error response of the API: `name` is the AWS error type, the modelled members are on `members`. */
export class AnalysisApiError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly statusCode: number,
    readonly requestId: string | undefined,
    readonly members: Record<string, unknown>,
  ) {
    super(message);
  }
  /** The resource the error is about (ResourceNotFound, Conflict). */
  get resourceIdentifier(): string | undefined {
    return this.members.resourceIdentifier as string | undefined;
  }
  /** ConflictException from an optimistic-lock failure: the version that is current now. */
  get currentVersion(): number | undefined {
    return this.members.currentVersion as number | undefined;
  }
}

const ROUTES = new Map(ANALYSIS_ROUTES.map((r) => [r.operation, r]));

/** Operations whose input has a clientToken: filled when absent, as the AWS SDKs do for idempotent operations. */
const TOKEN_OPERATIONS = new Set([
  'CreateAnalysisTemplate',
  'UpdateAnalysisTemplate',
  'CreateAnalysis',
  'UpdateAnalysis',
  'UpdateAnalysisSection',
  'CreateAnalysisTimelineEvent',
  'UpdateAnalysisTimelineEvent',
  'CreateActionItem',
  'UpdateActionItem',
]);

/** Wire members that are instants (epoch seconds): every `...Time`, and `dueDate`, `weekStart`, `time`. */
const INSTANT = /(Time|^dueDate|^weekStart|^time)$/;

const toWire = (value: unknown): unknown => {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toWire(v)]),
    );
  return value;
};

const fromWire = (value: unknown, key = ''): unknown => {
  if (typeof value === 'number' && INSTANT.test(key)) return new Date(Math.round(value * 1000));
  if (Array.isArray(value)) return value.map((v) => fromWire(v));
  if (value && typeof value === 'object') {
    // Template content and unknown component definitions are the caller's own JSON: left exactly as they are.
    if (key === 'definition' || key === 'identifier') return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromWire(v, k)]));
  }
  return value;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class AnalysisClient {
  private readonly url: URL;
  private readonly signer: SignatureV4;
  private readonly maxAttempts: number;
  private readonly fetch: typeof fetch;

  constructor(config: AnalysisClientConfig) {
    this.url = new URL(config.endpoint);
    this.signer = new SignatureV4({
      service: config.signingName ?? 'execute-api',
      region: config.region,
      credentials: config.credentials ?? defaultProvider(),
      sha256: Sha256,
    });
    this.maxAttempts = Math.max(1, config.maxAttempts ?? 3);
    this.fetch = config.fetch ?? globalThis.fetch;
  }

  // ---- templates ----
  createAnalysisTemplate = (input: T.CreateAnalysisTemplateInput) =>
    this.call<T.TemplateRef>('CreateAnalysisTemplate', input);
  getAnalysisTemplate = (input: T.GetAnalysisTemplateInput) =>
    this.call<{ template: T.AnalysisTemplate }>('GetAnalysisTemplate', input);
  updateAnalysisTemplate = (input: T.UpdateAnalysisTemplateInput) =>
    this.call<T.TemplateRef>('UpdateAnalysisTemplate', input);
  deleteAnalysisTemplate = (input: { name: string }) => this.call<void>('DeleteAnalysisTemplate', input);
  listAnalysisTemplates = (input: T.ListInput = {}) =>
    this.call<{ analysisTemplateSummaries: T.AnalysisTemplateSummary[]; nextToken?: string }>(
      'ListAnalysisTemplates',
      input,
    );
  listAnalysisTemplateVersions = (input: { name: string } & T.ListInput) =>
    this.call<{
      templateVersions: { templateVersion: number; displayName?: string; createdTime?: Date; createdBy?: string }[];
      nextToken?: string;
    }>('ListAnalysisTemplateVersions', input);

  // ---- analyses ----
  createAnalysis = (input: T.CreateAnalysisInput) => this.call<{ analysisArn: string }>('CreateAnalysis', input);
  getAnalysis = (input: { arn: string }) => this.call<{ analysis: T.Analysis }>('GetAnalysis', input);
  listAnalyses = (input: T.ListAnalysesInput = {}) =>
    this.call<{ analysisSummaries: T.AnalysisSummary[]; nextToken?: string }>('ListAnalyses', input);
  updateAnalysis = (input: T.UpdateAnalysisInput) => this.call<void>('UpdateAnalysis', input);
  updateAnalysisSection = (input: T.UpdateAnalysisSectionInput) =>
    this.call<{ sectionId: string; version: number }>('UpdateAnalysisSection', input);
  deleteAnalysis = (input: { arn: string }) => this.call<void>('DeleteAnalysis', input);
  listAnalysisTimelineEvents = (input: T.ListAnalysisTimelineEventsInput) =>
    this.call<{ events: T.AnalysisTimelineEvent[]; nextToken?: string }>('ListAnalysisTimelineEvents', input);
  createAnalysisTimelineEvent = (input: T.CreateAnalysisTimelineEventInput) =>
    this.call<{ analysisArn: string; eventId: string }>('CreateAnalysisTimelineEvent', input);
  updateAnalysisTimelineEvent = (input: T.UpdateAnalysisTimelineEventInput) =>
    this.call<void>('UpdateAnalysisTimelineEvent', input);
  deleteAnalysisTimelineEvent = (input: { analysisArn: string; eventId: string }) =>
    this.call<void>('DeleteAnalysisTimelineEvent', input);
  exportAnalysis = (input: T.ExportAnalysisInput) => this.call<T.ExportAnalysisOutput>('ExportAnalysis', input);

  // ---- action items ----
  createActionItem = (input: T.CreateActionItemInput) =>
    this.call<{ actionItemArn: string }>('CreateActionItem', input);
  getActionItem = (input: { arn: string }) => this.call<{ actionItem: T.ActionItem }>('GetActionItem', input);
  updateActionItem = (input: T.UpdateActionItemInput) => this.call<void>('UpdateActionItem', input);
  deleteActionItem = (input: { arn: string }) => this.call<void>('DeleteActionItem', input);
  listActionItems = (input: T.ListActionItemsInput = {}) =>
    this.call<{ actionItems: T.ActionItem[]; nextToken?: string }>('ListActionItems', input);

  // ---- figures and metrics ----
  getIncidentKeyFigures = (input: { incidentRecordArn: string }) =>
    this.call<{ incidentRecordArn: string; status: 'OPEN' | 'RESOLVED'; keyFigures: T.KeyFigures }>(
      'GetIncidentKeyFigures',
      input,
    );
  getResponseMetrics = (input: T.GetResponseMetricsInput = {}) =>
    this.call<T.ResponseMetrics>('GetResponseMetrics', input);

  /** Every item of a paged list operation, page by page. */
  async *paginate<I extends T.ListInput, O extends { nextToken?: string }, K extends keyof O>(
    list: (input: I) => Promise<O>,
    input: I,
    itemsKey: K,
  ): AsyncGenerator<O[K] extends (infer E)[] | undefined ? E : never> {
    let nextToken: string | undefined;
    do {
      const page = await list({ ...input, ...(nextToken ? { nextToken } : {}) });
      for (const item of (page[itemsKey] as unknown[] | undefined) ?? []) yield item as never;
      nextToken = page.nextToken;
    } while (nextToken);
  }

  /** Calls an operation by name (the typed methods above all come here). */
  async call<O>(operation: string, input: object): Promise<O> {
    const route = ROUTES.get(operation);
    if (!route) throw new Error(`Unknown analysis operation ${operation}`);
    const members = toWire(input) as Record<string, unknown>;
    if (TOKEN_OPERATIONS.has(operation) && members.clientToken === undefined) members.clientToken = randomUUID();
    for (let attempt = 1; ; attempt++) {
      const response = await this.send(route, members);
      const text = await response.text();
      const requestId = response.headers.get('x-amzn-requestid') ?? undefined;
      if (response.ok) return (text ? fromWire(JSON.parse(text)) : undefined) as O;
      const retryable = response.status === 429 || response.status >= 500;
      if (retryable && attempt < this.maxAttempts) {
        await sleep(Math.random() * Math.min(2000, 100 * 2 ** attempt));
        continue;
      }
      throw errorOf(response, text, requestId);
    }
  }

  private async send(route: RouteSpec, members: Record<string, unknown>): Promise<Response> {
    const basePath = this.url.pathname.replace(/\/$/, '');
    const query: Record<string, string> = {};
    const body: Record<string, unknown> = { ...members };
    for (const name of route.query ?? []) {
      if (body[name] !== undefined) query[name] = String(body[name]);
      delete body[name];
    }
    const payload = route.method === 'GET' ? undefined : JSON.stringify(body);
    const request = await this.signer.sign({
      method: route.method,
      protocol: this.url.protocol,
      hostname: this.url.hostname,
      ...(this.url.port ? { port: Number(this.url.port) } : {}),
      path: `${basePath}${route.path}`,
      query,
      headers: {
        host: this.url.host,
        ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(payload !== undefined ? { body: payload } : {}),
    });
    const url = new URL(`${this.url.origin}${basePath}${route.path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const { host: _host, ...headers } = request.headers;
    return this.fetch(url, { method: route.method, headers, ...(payload !== undefined ? { body: payload } : {}) });
  }
}

function errorOf(response: Response, text: string, requestId: string | undefined): AnalysisApiError {
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // Not JSON (a gateway error page): the status says enough.
  }
  const raw = response.headers.get('x-amzn-errortype') ?? (body.__type as string | undefined) ?? 'UnknownError';
  const name = raw.split(':')[0]?.split('#').pop() ?? raw;
  const { __type: _type, message, Message, ...members } = body;
  return new AnalysisApiError(
    name,
    String(message ?? Message ?? `HTTP ${response.status}`),
    response.status,
    requestId,
    members,
  );
}
