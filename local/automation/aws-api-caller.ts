/**
 * `aws:executeAwsApi` locally: one API call with the official AWS SDK for JavaScript client of the named service.
 * `ssm-incidents`, `ssm-contacts` and `ssm` go to the local endpoint (so a runbook can read the incident and write its
 * timeline); any other service goes to LOCAL_AWS_ENDPOINT_URL when it is set (a LocalStack, say), and otherwise the
 * step fails with a message that says so. The request members are the API's own (PascalCase for ssm, lowerCamel for
 * ssm-incidents), as in AWS; the response is shaped as boto3 returns it (with ResponseMetadata, timestamps as ISO
 * text, blobs as base64), which is what output Selectors run on.
 */

/** boto3 client name -> the package and the client class of the JavaScript SDK, where they differ from the rule. */
const CLIENTS: Record<string, { pkg: string; client: string }> = {
  ssm: { pkg: '@aws-sdk/client-ssm', client: 'SSMClient' },
  'ssm-incidents': { pkg: '@aws-sdk/client-ssm-incidents', client: 'SSMIncidentsClient' },
  'ssm-contacts': { pkg: '@aws-sdk/client-ssm-contacts', client: 'SSMContactsClient' },
  stepfunctions: { pkg: '@aws-sdk/client-sfn', client: 'SFNClient' },
  dynamodb: { pkg: '@aws-sdk/client-dynamodb', client: 'DynamoDBClient' },
  sesv2: { pkg: '@aws-sdk/client-sesv2', client: 'SESv2Client' },
};

/** The services this runtime serves itself. */
export const LOCAL_SERVICES = new Set(['ssm', 'ssm-incidents', 'ssm-contacts']);

export interface ApiCall {
  service: string;
  api: string;
  input: Record<string, unknown>;
  /** The caller's access key on the local endpoint (it becomes the principal, as with any local request). */
  accessKeyId: string;
  signal?: AbortSignal;
}

export interface ApiCallerOptions {
  /** The local runtime's own endpoint. */
  localEndpoint: () => string;
  region: string;
  /** LOCAL_AWS_ENDPOINT_URL: where calls to other services go. */
  otherServicesEndpoint?: string;
}

export class ApiCallFailed extends Error {
  override readonly name = 'ApiCallFailed';
}

const boto3Shape = (value: unknown): unknown => {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(boto3Shape);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, boto3Shape(v)]));
  return value;
};

/** Smithy schema codes of timestamp shapes (default, date-time, http-date, epoch-seconds). */
const TIMESTAMP_CODES = new Set([4, 5, 6, 7]);

/**
 * boto3 takes timestamps as ISO 8601 text (or epoch numbers), and runbooks pass them so (`eventTime: '{{ global:DATE_TIME }}'`
 * aside, usually a literal instant); the JavaScript SDK wants Date objects. Walks the operation's input schema (the
 * SDK's own model of the request) and turns the values of timestamp members into Dates; anything else is left alone.
 */
export function withTimestamps(value: unknown, schema: unknown): unknown {
  const resolved = typeof schema === 'function' ? (schema as () => unknown)() : schema;
  const code =
    Array.isArray(resolved) && typeof resolved[0] === 'number' && resolved.length === 2 ? resolved[0] : resolved;
  if (typeof code === 'number') {
    if (!TIMESTAMP_CODES.has(code) || value instanceof Date) return value;
    if (typeof value === 'number') return new Date(value * 1000);
    if (typeof value === 'string') {
      const millis = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
      return Number.isNaN(millis) ? value : new Date(millis);
    }
    return value;
  }
  if (!Array.isArray(resolved) || value === null || typeof value !== 'object') return value;
  const [kind] = resolved as [number];
  if ((kind === 3 || kind === 4) && Array.isArray(resolved[4]) && Array.isArray(resolved[5])) {
    const names = resolved[4] as string[];
    const members = resolved[5] as unknown[];
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        const at = names.indexOf(k);
        return [k, at === -1 ? v : withTimestamps(v, members[at])];
      }),
    );
  }
  if (kind === 1 && Array.isArray(value)) return value.map((item) => withTimestamps(item, resolved[4]));
  if (kind === 2) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withTimestamps(v, resolved[5])]));
  return value;
}

const clientClassName = (service: string) =>
  `${service
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}Client`;

export async function callAwsApi(call: ApiCall, options: ApiCallerOptions): Promise<Record<string, unknown>> {
  const local = LOCAL_SERVICES.has(call.service);
  const endpoint = local ? options.localEndpoint() : options.otherServicesEndpoint;
  if (!endpoint)
    throw new ApiCallFailed(
      `aws:executeAwsApi calls ${call.service}, which the local runtime does not serve: set LOCAL_AWS_ENDPOINT_URL ` +
        '(for example to a LocalStack) to send calls to other services there.',
    );
  const known = CLIENTS[call.service] ?? {
    pkg: `@aws-sdk/client-${call.service}`,
    client: clientClassName(call.service),
  };
  let module: Record<string, unknown>;
  try {
    module = (await import(known.pkg)) as Record<string, unknown>;
  } catch {
    throw new ApiCallFailed(
      `aws:executeAwsApi needs the AWS SDK client ${known.pkg} to call ${call.service} locally; install it with npm.`,
    );
  }
  const Client = module[known.client] as
    | (new (
        config: object,
      ) => { send(c: unknown, o?: object): Promise<unknown>; destroy(): void })
    | undefined;
  const Command = module[`${call.api}Command`] as (new (input: object) => unknown) | undefined;
  if (!Client) throw new ApiCallFailed(`${known.pkg} has no ${known.client}.`);
  if (!Command) throw new ApiCallFailed(`${call.service} has no operation ${call.api}.`);
  const client = new Client({
    endpoint,
    region: options.region,
    credentials: { accessKeyId: call.accessKeyId, secretAccessKey: 'local' },
    maxAttempts: 2,
  });
  try {
    const probe = new Command({}) as { schema?: unknown[] };
    const input = probe.schema ? withTimestamps(call.input, probe.schema[4]) : call.input;
    const response = (await client.send(new Command(input as object), { abortSignal: call.signal })) as Record<
      string,
      unknown
    >;
    const { $metadata, ...members } = response as { $metadata?: { requestId?: string; httpStatusCode?: number } };
    return {
      ...(boto3Shape(members) as Record<string, unknown>),
      ResponseMetadata: {
        RequestId: $metadata?.requestId ?? '',
        HTTPStatusCode: $metadata?.httpStatusCode ?? 200,
        RetryAttempts: 0,
      },
    };
  } catch (error) {
    const name = (error as Error).name ?? 'Error';
    // boto3's wording, which runbook authors recognise from AWS.
    throw new ApiCallFailed(
      `An error occurred (${name}) when calling the ${call.api} operation: ${(error as Error).message}`,
    );
  } finally {
    client.destroy();
  }
}
