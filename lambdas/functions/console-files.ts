/** Deployed entry point of `Custom::ConsoleFiles` (copies the web console into its bucket at deploy time). */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { S3Client } from '@aws-sdk/client-s3';
import { createConsoleFilesHandler } from '#handlers/console-files.ts';

export const handler = createConsoleFilesHandler({ s3: new S3Client({}), cloudfront: new CloudFrontClient({}) });
