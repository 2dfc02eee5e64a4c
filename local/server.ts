/**
 * The local HTTP front: it does what API Gateway does in AWS and nothing more. Each request becomes an HTTP API
 * (payload v2) event for the same Lambda handler that serves the route in AWS; the handler's result becomes the
 * HTTP response. There is no API logic here.
 *
 * Authentication: API Gateway verifies SigV4 against IAM. Locally any signature is accepted (the server listens on
 * loopback only), and the access key in the signature becomes the caller's principal, so createdBy and
 * lastModifiedBy still tell callers apart. In strict mode (LOCAL_SIGV4_CREDENTIALS, local/sigv4.ts) the signature
 * is verified as API Gateway verifies it, against the configured test credentials and their access roles.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { ApiHandler } from '#handlers/incidents-api.ts';
import { API_ROUTES, type ApiFunction, apiGatewayPath, matchRoute, type RouteSpec } from '#http/routes.ts';
import { type ConsoleHosting, serveConsole } from './console-files.ts';
import { type StrictCredentials, verifySigV4 } from './sigv4.ts';

/** A Lambda handler invoked directly (not through API Gateway), like EventBridge, SNS or CloudWatch invoke it. */
export type InvocableFunction = (event: unknown, context: Context) => Promise<unknown>;

export interface LocalServerOptions {
  handlers: Record<ApiFunction, ApiHandler>;
  /**
   * The local Automation engine's `ssm` API (awsJson1_1): `POST /` requests whose `X-Amz-Target` starts with
   * `AmazonSSM.` go there, the other `POST /` requests to ssm-contacts. It has no counterpart in the deployed API:
   * in AWS, runbooks run in Systems Manager itself.
   */
  ssm?: ApiHandler;
  /** Functions reachable through the Lambda Invoke API path, by name. */
  functions?: Record<string, InvocableFunction>;
  /**
   * Other HTTP endpoints, by `METHOD /path` (e.g. `POST /chat/slack`, the Slack command's function URL in AWS): the
   * request becomes the same payload v2 event a function URL sends.
   */
  routes?: Record<string, ApiHandler>;
  accountId: string;
  region: string;
  port: number;
  host?: string;
  /** The web console, served for GET requests that are not API routes. */
  console?: ConsoleHosting;
  /** Verify SigV4 as API Gateway does, against these credentials (strict mode); default: any signature. */
  strictSigV4?: StrictCredentials;
}

export interface LocalServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The awsJson1_1 target prefix of the `ssm` API (the local Automation engine). */
const SSM_TARGET = 'AmazonSSM.';

/** API Gateway's payload limit. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** Lambda's limit for a synchronous Invoke request (RequestTooLargeException above it). */
const MAX_INVOKE_BYTES = 6 * 1024 * 1024;

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`Port ${port} is already in use.`);
  }
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20261121/us-east-1/ssm-incidents/aws4_request, ...` → `AKID`. */
export const accessKeyOf = (authorization: string | undefined): string | undefined =>
  /Credential=([^/,\s]+)\//.exec(authorization ?? '')?.[1];

export function toApiGatewayEvent(
  req: IncomingMessage,
  body: Buffer,
  accountId: string,
): { event: APIGatewayProxyEventV2; fn: ApiFunction; route?: RouteSpec } {
  const method = (req.method ?? 'GET').toUpperCase();
  const rawUrl = req.url ?? '/';
  const queryAt = rawUrl.indexOf('?');
  const rawPath = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  const rawQueryString = queryAt === -1 ? '' : rawUrl.slice(queryAt + 1);
  // Every route of the HTTP API (ssm-incidents paths and the ssm-contacts `POST /`), each with the function behind it.
  const matched = matchRoute(method, rawPath, API_ROUTES);
  const routeKey = matched ? `${method} ${apiGatewayPath(matched.spec)}` : '$default';

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query = new URLSearchParams(rawQueryString);
  const queryStringParameters: Record<string, string> = {};
  for (const key of new Set(query.keys())) queryStringParameters[key] = query.getAll(key).join(',');

  const accessKey = accessKeyOf(headers.authorization) ?? 'anonymous';
  const now = new Date();
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    headers,
    ...(rawQueryString ? { queryStringParameters } : {}),
    ...(matched?.label !== undefined ? { pathParameters: { resourceArn: matched.label } } : {}),
    requestContext: {
      accountId,
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method,
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      // The shape API Gateway gives an IAM-authorized route.
      authorizer: {
        iam: {
          accessKey,
          accountId,
          callerId: accessKey,
          principalOrgId: null,
          userArn: `arn:aws:iam::${accountId}:user/${accessKey}`,
          userId: accessKey,
          cognitoIdentity: null,
        },
      },
    } as APIGatewayProxyEventV2['requestContext'],
    isBase64Encoded: false,
    ...(body.length ? { body: body.toString('utf8') } : {}),
  };
  return { event, fn: matched?.spec.function ?? 'incidentsApi', ...(matched ? { route: matched.spec } : {}) };
}

/** The Lambda context a handler is invoked with locally (as Lambda would pass it). */
export const lambdaContext = (functionName: string, region: string, accountId: string): Context =>
  ({
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }) as Context;

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The Lambda Invoke API's path, so `aws lambda invoke --endpoint-url` and `npm run trigger` work locally. */
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/**
 * Invokes a function as Lambda's Invoke API does: 200 with the result, or 200 with `X-Amz-Function-Error` and
 * `{errorType, errorMessage}` when the function throws.
 */
async function invokeFunction(options: LocalServerOptions, name: string, body: Buffer, res: ServerResponse) {
  const fn = options.functions?.[decodeURIComponent(name)];
  if (!fn) {
    res
      .writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' })
      .end(JSON.stringify({ Type: 'User', message: `Function not found: ${name}` }));
    return;
  }
  let event: unknown;
  try {
    event = body.length ? JSON.parse(body.toString('utf8')) : {};
  } catch {
    res
      .writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'InvalidRequestContentException' })
      .end(JSON.stringify({ Type: 'User', message: 'Could not parse request body into json' }));
    return;
  }
  try {
    const result = await fn(event, lambdaContext(name, options.region, options.accountId));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result ?? null));
  } catch (error) {
    const failure = {
      errorType: (error as Error)?.name ?? 'Error',
      errorMessage: (error as Error)?.message ?? String(error),
    };
    res
      .writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' })
      .end(JSON.stringify(failure));
  }
}

async function handle(options: LocalServerOptions, req: IncomingMessage, res: ServerResponse) {
  const invoke = req.method === 'POST' ? INVOKE_PATH.exec((req.url ?? '').split('?')[0] ?? '') : null;
  const body = await readBody(req, invoke ? MAX_INVOKE_BYTES : MAX_PAYLOAD_BYTES);
  if (body === undefined) {
    // What Lambda's Invoke API and API Gateway answer to an oversized request.
    const [type, message] = invoke
      ? [
          'RequestTooLargeException',
          `Request must be smaller than ${MAX_INVOKE_BYTES} bytes for the InvokeFunction operation`,
        ]
      : ['RequestEntityTooLarge', 'Request Entity Too Large'];
    res
      .writeHead(413, { 'content-type': 'application/json', 'x-amzn-errortype': type })
      .end(JSON.stringify({ Type: 'User', message }));
    req.resume();
    return;
  }
  if (invoke?.[1]) return invokeFunction(options, invoke[1], body, res);
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  // API routes and the runtime's own routes (acknowledge links) first: `POST /` is ssm-contacts, `GET /` (unknown to
  // the API) is the console.
  if (
    options.console &&
    !matchRoute(req.method ?? 'GET', path, API_ROUTES) &&
    !options.routes?.[`${(req.method ?? 'GET').toUpperCase()} ${path}`] &&
    serveConsole(options.console, req, path, res)
  )
    return;
  const { event, fn, route: apiRoute } = toApiGatewayEvent(req, body, options.accountId);
  const customRoute = options.routes?.[`${event.requestContext.http.method} ${event.rawPath}`];
  const target = event.headers['x-amz-target'] ?? '';
  const ssmCall = Boolean(options.ssm && target.startsWith(SSM_TARGET));
  // Strict mode checks what API Gateway checks for the management API; the Slack route is signed by Slack and the
  // local SSM stand-in is not behind API Gateway in AWS.
  if (options.strictSigV4 && !customRoute && !ssmCall) {
    const verdict = await verifySigV4(
      {
        method: event.requestContext.http.method,
        rawPath: event.rawPath,
        rawQueryString: event.rawQueryString,
        headers: event.headers as Record<string, string>,
        body,
      },
      options.strictSigV4,
      { region: options.region, accountId: options.accountId },
      apiRoute,
    );
    if ('status' in verdict) {
      // API Gateway's own answer: the function is never invoked.
      res
        .writeHead(verdict.status, {
          'content-type': 'application/json',
          'x-amzn-errortype': verdict.type,
          'x-amzn-requestid': event.requestContext.requestId,
        })
        .end(JSON.stringify({ message: verdict.message }));
      return;
    }
  }
  const handler = customRoute ?? (ssmCall && options.ssm ? options.ssm : options.handlers[fn]);
  const functionName = customRoute ? event.rawPath.replace(/\W+/g, '-').slice(1) : fn;
  try {
    const result = await handler(event, lambdaContext(functionName, options.region, options.accountId));
    const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]));
    const payload = result.body
      ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8')
      : Buffer.alloc(0);
    res.writeHead(result.statusCode ?? 200, { ...headers, 'content-length': String(payload.length) }).end(payload);
  } catch (error) {
    // In AWS an uncaught Lambda error becomes API Gateway's own 500.
    console.error(error);
    res
      .writeHead(500, { 'content-type': 'application/json' })
      .end(JSON.stringify({ message: 'Internal Server Error' }));
  }
}

export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const host = options.host ?? '127.0.0.1';
  const server: Server = createServer((req, res) => {
    handle(options, req, res).catch((error) => {
      console.error(error);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(options.port) : error),
    );
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${host}:${port}`,
    port,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close').catch(() => undefined);
    },
  };
}
