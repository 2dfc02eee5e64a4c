/**
 * Strict mode of the local front (LOCAL_SIGV4_CREDENTIALS): requests are authenticated as API Gateway's IAM
 * authorization does, against test credentials, so a client or tool that works here signs exactly as the deployed
 * API requires (the botocore plugin in tools/botocore-execute-api is tested this way). The signature is recomputed
 * with the SDKs' own signer (@smithy/signature-v4) over the request as received and must match; the credential must be
 * scoped to `execute-api` in the runtime's Region and dated within 5 minutes; errors carry API Gateway's types and
 * messages (403). Each credential may name an access role (lambdas/http/access-roles.ts): a route outside the role is
 * refused as IAM would refuse `execute-api:Invoke` on it, which lets the viewer/responder/admin policies be tried out.
 *
 * Only the API routes are checked, as in AWS; the Lambda Invoke path of `npm run trigger` stands for Lambda itself.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { type AccessRole, invokeResourcePath, routesOf } from '#http/access-roles.ts';
import type { RouteSpec } from '#http/routes.ts';

const SERVICE = 'execute-api';
const MAX_SKEW_MS = 5 * 60_000;

export interface StrictCredential {
  secretAccessKey: string;
  /** Routes outside this role are refused; undefined = every route (admin). */
  role?: AccessRole;
}

export type StrictCredentials = ReadonlyMap<string, StrictCredential>;

const ROLES: readonly AccessRole[] = ['viewer', 'responder', 'admin'];

/** `AKID:SECRET[:ROLE],AKID2:SECRET2` → credentials; a malformed entry is an error naming it. */
export function parseStrictCredentials(value: string): StrictCredentials {
  const credentials = new Map<string, StrictCredential>();
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [accessKeyId, secretAccessKey, role, ...rest] = entry.split(':');
    if (!accessKeyId || !secretAccessKey || rest.length || (role !== undefined && !ROLES.includes(role as AccessRole)))
      throw new Error(
        `LOCAL_SIGV4_CREDENTIALS takes ACCESS_KEY_ID:SECRET[:${ROLES.join('|')}] pairs separated by commas; "${accessKeyId}:…" is not one`,
      );
    credentials.set(accessKeyId, { secretAccessKey, ...(role ? { role: role as AccessRole } : {}) });
  }
  if (credentials.size === 0) throw new Error('LOCAL_SIGV4_CREDENTIALS names no credentials');
  return credentials;
}

/** node:crypto in the shape the signer takes (a checksum constructor, HMAC when given a secret). */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView) {
    this.hash.update(toBuffer(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}
const toBuffer = (data: string | ArrayBuffer | ArrayBufferView) =>
  typeof data === 'string'
    ? Buffer.from(data)
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

export interface Refusal {
  status: 403;
  type: string;
  message: string;
}

const refuse = (type: string, message: string): Refusal => ({ status: 403, type, message });

export interface ReceivedRequest {
  method: string;
  /** The path exactly as received (percent-encoded as the client sent it). */
  rawPath: string;
  rawQueryString: string;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string>>;
  body: Buffer;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

const amzDate = (text: string | undefined): number | undefined => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? '');
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
};

/**
 * Checks a request as API Gateway's IAM authorization would; returns the access key id, or the refusal API Gateway
 * would send. `route` is the route the request matched (undefined: `$default`), for the role check.
 */
export async function verifySigV4(
  request: ReceivedRequest,
  credentials: StrictCredentials,
  api: { region: string; accountId: string },
  route: RouteSpec | undefined,
  now = Date.now(),
): Promise<{ accessKeyId: string } | Refusal> {
  const { region, accountId } = api;
  const authorization = request.headers.authorization;
  if (!authorization) return refuse('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const parts = AUTHORIZATION.exec(authorization.trim());
  if (!parts)
    return refuse(
      'IncompleteSignatureException',
      `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters of an AWS4-HMAC-SHA256 signature. Authorization=${authorization}`,
    );
  const [, accessKeyId, scopeDate, scopeRegion, service, signedHeaderList, signature] = parts as unknown as string[];
  const credential = credentials.get(accessKeyId!);
  if (!credential)
    return refuse('UnrecognizedClientException', 'The security token included in the request is invalid.');
  if (service !== SERVICE)
    return refuse('InvalidSignatureException', `Credential should be scoped to correct service: '${SERVICE}'. `);
  if (scopeRegion !== region)
    return refuse('InvalidSignatureException', `Credential should be scoped to a valid region, not '${scopeRegion}'. `);
  const dateHeader = request.headers['x-amz-date'];
  const signedAt = amzDate(dateHeader);
  if (signedAt === undefined || dateHeader?.slice(0, 8) !== scopeDate)
    return refuse(
      'IncompleteSignatureException',
      'The request must carry an X-Amz-Date header matching the credential scope date.',
    );
  if (signedAt < now - MAX_SKEW_MS || signedAt > now + MAX_SKEW_MS)
    return refuse(
      'InvalidSignatureException',
      `Signature expired: ${dateHeader} is now earlier or later than 5 minutes from ${new Date(now).toISOString()}.`,
    );
  const signed = signedHeaderList!.split(';');
  if (!signed.includes('host') || signed.some((name) => request.headers[name] === undefined))
    return refuse(
      'IncompleteSignatureException',
      `Signed headers must include host and be present: ${signedHeaderList}`,
    );

  // Recompute over exactly the signed headers, the path and query as received, and the payload's own hash.
  const payloadHash = createHash('sha256').update(request.body).digest('hex');
  const declaredHash = request.headers['x-amz-content-sha256'];
  if (declaredHash !== undefined && declaredHash !== payloadHash)
    return refuse('InvalidSignatureException', 'The provided x-amz-content-sha256 header does not match the payload.');
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(request.rawQueryString)) {
    const seen = query[key];
    query[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  const signer = new SignatureV4({
    service: SERVICE,
    region,
    credentials: { accessKeyId: accessKeyId!, secretAccessKey: credential.secretAccessKey },
    sha256: Sha256,
    uriEscapePath: true,
    applyChecksum: false,
  });
  const headers = Object.fromEntries(signed.map((name) => [name, request.headers[name]!]));
  const recomputed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: request.headers.host ?? '',
      // As received: the signer escapes it once more, the double encoding SigV4 uses for every service but S3.
      path: request.rawPath,
      query,
      headers: { ...headers, 'x-amz-content-sha256': payloadHash },
      body: request.body,
    },
    {
      signingDate: new Date(signedAt),
      signableHeaders: new Set(signed),
      // The payload hash is given to the signer as this header; it is a canonical header only if the client signed it.
      unsignableHeaders: new Set(signed.includes('x-amz-content-sha256') ? [] : ['x-amz-content-sha256']),
    },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(recomputed.headers.authorization))?.[1] ?? '';
  if (expected.length !== signature!.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature!)))
    return refuse(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );

  if (credential.role && credential.role !== 'admin') {
    const allowed = route && routesOf(credential.role).some((r) => r.method === route.method && r.path === route.path);
    if (!allowed)
      return refuse(
        'AccessDeniedException',
        `User: arn:aws:iam::${accountId}:user/${accessKeyId} is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:${region}:${accountId}:local/${
          route ? invokeResourcePath(route) : `$default/${request.method}${request.rawPath}`
        } because no identity-based policy allows the execute-api:Invoke action`,
      );
  }
  return { accessKeyId: accessKeyId! };
}
