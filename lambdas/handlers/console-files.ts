/**
 * `Custom::ConsoleFiles`: copies the built web console into its bucket when the stack deploys, in place of
 * aws-cdk-lib's BucketDeployment (whose handler takes wildcard actions and an AWS-managed policy). The built files
 * come as the CDK asset zip; index.html and config.json (which name this deployment's API, user pool and regions)
 * come as resource properties. Content-hashed bundles are cached for a year and never removed (a page still open on
 * an older index.html keeps loading its own bundles); index.html and config.json are re-validated on every load and
 * invalidated in CloudFront after they are written.
 *
 * The S3 and CloudFront clients and the unzipper (about 470 KB of code) are loaded on the path that copies files,
 * not at init: a Delete (stack deletion) needs none of them.
 */
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { S3Client } from '@aws-sdk/client-s3';
import { type CustomResourceRequest, respondToCustomResource } from '#http/custom-resource.ts';

export interface ConsoleFilesProperties {
  /** The CDK asset holding the built console (a zip). */
  SourceBucket: string;
  SourceKey: string;
  DestinationBucket: string;
  /** Files written with the content given here, not from the asset: `{ "index.html": "<!doctype html>..." }`. */
  EntryFiles: Record<string, string>;
  /** Invalidated after the entry files are written. */
  DistributionId?: string;
}

export interface ConsoleFilesClients {
  s3: Pick<S3Client, 'send'>;
  cloudfront: Pick<CloudFrontClient, 'send'>;
}

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  map: 'application/json',
  txt: 'text/plain; charset=utf-8',
  woff2: 'font/woff2',
};
const contentTypeOf = (key: string) =>
  CONTENT_TYPES[key.slice(key.lastIndexOf('.') + 1).toLowerCase()] ?? 'application/octet-stream';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/** `loadClients` is called on a Create or Update only (the deployed entry builds the clients there, once). */
export async function deployConsoleFiles(
  loadClients: () => Promise<ConsoleFilesClients>,
  request: CustomResourceRequest<ConsoleFilesProperties>,
): Promise<string> {
  const physicalId = `console-files-${request.ResourceProperties.DestinationBucket}`;
  // Deleting the stack leaves the files to the bucket's own removal policy.
  if (request.RequestType === 'Delete') return request.PhysicalResourceId ?? physicalId;
  const { SourceBucket, SourceKey, DestinationBucket, EntryFiles, DistributionId } = request.ResourceProperties;
  const [clients, { GetObjectCommand, PutObjectCommand }, { CreateInvalidationCommand }, { unzipSync }] =
    await Promise.all([
      loadClients(),
      import('@aws-sdk/client-s3'),
      import('@aws-sdk/client-cloudfront'),
      import('fflate'),
    ]);
  const zipped = await clients.s3.send(new GetObjectCommand({ Bucket: SourceBucket, Key: SourceKey }));
  const files = unzipSync(
    await (zipped.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
  const put = (key: string, body: Uint8Array | string, cacheControl: string) =>
    clients.s3.send(
      new PutObjectCommand({
        Bucket: DestinationBucket,
        Key: key,
        Body: body,
        ContentType: contentTypeOf(key),
        CacheControl: cacheControl,
      }),
    );
  // The bundles first, then the entry files that reference them.
  const bundles = Object.entries(files).filter(([key]) => !key.endsWith('/') && !(key in EntryFiles));
  for (let i = 0; i < bundles.length; i += 8)
    await Promise.all(bundles.slice(i, i + 8).map(([key, body]) => put(key, body, IMMUTABLE)));
  for (const [key, body] of Object.entries(EntryFiles)) await put(key, body, REVALIDATE);
  if (DistributionId)
    await clients.cloudfront.send(
      new CreateInvalidationCommand({
        DistributionId,
        InvalidationBatch: {
          CallerReference: request.RequestId,
          Paths: { Quantity: Object.keys(EntryFiles).length, Items: Object.keys(EntryFiles).map((key) => `/${key}`) },
        },
      }),
    );
  return physicalId;
}

export const createConsoleFilesHandler =
  (clients: () => Promise<ConsoleFilesClients>) => (request: CustomResourceRequest<ConsoleFilesProperties>) =>
    respondToCustomResource(request, (r) => deployConsoleFiles(clients, r));
