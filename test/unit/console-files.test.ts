/** `Custom::ConsoleFiles`: the built console copied into its bucket, bundles before the entry files that load them. */
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { strToU8, zipSync } from 'fflate';
import { beforeEach, describe, expect, it } from 'vitest';
import { type ConsoleFilesProperties, deployConsoleFiles } from '#handlers/console-files.ts';
import type { CustomResourceRequest } from '#http/custom-resource.ts';

const s3 = mockClient(S3Client);
const cloudfront = mockClient(CloudFrontClient);
const clients = { s3: new S3Client({}), cloudfront: new CloudFrontClient({}) };
let clientsLoaded = 0;
const loadClients = async () => {
  clientsLoaded++;
  return clients;
};

const request = (type: 'Create' | 'Update' | 'Delete'): CustomResourceRequest<ConsoleFilesProperties> => ({
  RequestType: type,
  ResponseURL: 'https://example.invalid/response',
  StackId: 'stack',
  RequestId: 'request-1',
  LogicalResourceId: 'DeployFiles',
  ResourceProperties: {
    SourceBucket: 'assets',
    SourceKey: 'console.zip',
    DestinationBucket: 'console-files',
    DistributionId: 'E123',
    EntryFiles: { 'index.html': '<!doctype html><title>Incidents</title>', 'config.json': '{"mode":"aws"}' },
  },
});

beforeEach(() => {
  s3.reset();
  clientsLoaded = 0;
  cloudfront.reset();
  const zip = zipSync({ 'assets/app-3f2a.js': strToU8('console.log(1)'), 'assets/app-9c1e.css': strToU8('b{}') });
  s3.on(GetObjectCommand).resolves({ Body: { transformToByteArray: async () => zip } } as never);
  s3.on(PutObjectCommand).resolves({});
  cloudfront.on(CreateInvalidationCommand).resolves({});
});

describe('console files deployment', () => {
  it('writes the bundles (cached for a year) before the entry files (re-validated), then invalidates the entries', async () => {
    await deployConsoleFiles(loadClients, request('Create'));
    const puts = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(puts.map((p) => [p.Key, p.ContentType, p.CacheControl])).toEqual([
      ['assets/app-3f2a.js', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
      ['assets/app-9c1e.css', 'text/css; charset=utf-8', 'public, max-age=31536000, immutable'],
      ['index.html', 'text/html; charset=utf-8', 'no-cache'],
      ['config.json', 'application/json', 'no-cache'],
    ]);
    expect(puts.every((p) => p.Bucket === 'console-files')).toBe(true);
    const invalidation = cloudfront.commandCalls(CreateInvalidationCommand)[0]!.args[0].input;
    expect(invalidation).toMatchObject({
      DistributionId: 'E123',
      InvalidationBatch: { Paths: { Quantity: 2, Items: ['/index.html', '/config.json'] } },
    });
  });

  it('leaves the files alone when the stack is deleted', async () => {
    await deployConsoleFiles(loadClients, request('Delete'));
    expect(s3.calls()).toHaveLength(0);
    expect(cloudfront.calls()).toHaveLength(0);
    expect(clientsLoaded).toBe(0);
  });
});
