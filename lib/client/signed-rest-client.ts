/**
 * Calls the API's restJson routes that no AWS SDK client knows (the post-incident analysis API, the
 * GetIncidentRunbooks extension) as the route table (lambdas/http/routes.ts) binds them: SigV4-signed (service
 * `execute-api`, what API Gateway's IAM authorization checks; locally any credentials do), instants as `Date`s
 * (epoch seconds on the wire), retries of throttling and server errors, AWS-shaped errors.
 *
 * No Node built-ins and no default credential chain here: the web console bundles this module for the browser and
 * passes the signed-in user's credentials; scripts use AnalysisClient (analysis-client.ts), which adds the chain.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { RouteSpec } from '../../lambdas/http/routes.ts';

export interface SignedRestClientConfig {
  /** The API's URL: the stack's ApiEndpoint output in AWS, http://127.0.0.1:4750 locally (a base path is kept). */
  endpoint: string;
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Default `execute-api` (API Gateway with IAM authorization). */
  signingName?: string;
  /** Attempts per call for throttling (429) and server errors (5xx), with jittered back-off. Default 3. */
  maxAttempts?: number;
  fetch?: typeof fetch;
}

/** An error response of the API: `name` is the AWS error type, the modelled members are on `members`. */
export class AnalysisApiError extends Error {
  /** The HTTP status, where the SDK clients' errors have it (so code that reads either works). */
  readonly $metadata: { httpStatusCode: number; requestId?: string };

  constructor(
    override readonly name: string,
    message: string,
    readonly statusCode: number,
    readonly requestId: string | undefined,
    readonly members: Record<string, unknown>,
  ) {
    super(message);
    this.$metadata = { httpStatusCode: statusCode, ...(requestId ? { requestId } : {}) };
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

/** Keys whose values are the caller's own JSON (template content, related item identifiers, step inputs/outputs). */
const OPAQUE = new Set(['definition', 'identifier', 'inputs', 'outputs']);

const fromWire = (value: unknown, key = ''): unknown => {
  if (typeof value === 'number' && INSTANT.test(key)) return new Date(Math.round(value * 1000));
  if (Array.isArray(value)) return value.map((v) => fromWire(v));
  if (value && typeof value === 'object') {
    if (OPAQUE.has(key)) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromWire(v, k)]));
  }
  return value;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class SignedRestClient {
  private readonly url: URL;
  private readonly signer: SignatureV4;
  private readonly maxAttempts: number;
  private readonly fetch: typeof fetch;

  constructor(config: SignedRestClientConfig) {
    this.url = new URL(config.endpoint);
    this.signer = new SignatureV4({
      service: config.signingName ?? 'execute-api',
      region: config.region,
      credentials: config.credentials,
      sha256: Sha256,
    });
    this.maxAttempts = Math.max(1, config.maxAttempts ?? 3);
    // Bound: a browser's fetch called as a method of another object throws "Illegal invocation".
    this.fetch = config.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /**
   * Calls one route with `input` (instants as `Date`s). `withClientToken`: the operation is idempotent by
   * clientToken, filled when absent as the AWS SDKs do, so the retries below never apply a change twice.
   */
  async call<O>(route: RouteSpec, input: object, withClientToken = false): Promise<O> {
    const members = toWire(input) as Record<string, unknown>;
    if (withClientToken && members.clientToken === undefined) members.clientToken = globalThis.crypto.randomUUID();
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
