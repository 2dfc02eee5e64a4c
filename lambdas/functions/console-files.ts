/**
 * Deployed entry point of `Custom::ConsoleFiles` (copies the web console into its bucket at deploy time). The S3 and
 * CloudFront clients are built on the first Create or Update, from chunks loaded then (see the handler).
 */
import type { ConsoleFilesClients } from '#handlers/console-files.ts';
import { createConsoleFilesHandler } from '#handlers/console-files.ts';

let clients: Promise<ConsoleFilesClients> | undefined;
const loadClients = () => {
  clients ??= Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/client-cloudfront')]).then(
    ([{ S3Client }, { CloudFrontClient }]) => ({ s3: new S3Client({}), cloudfront: new CloudFrontClient({}) }),
  );
  return clients;
};

export const handler = createConsoleFilesHandler(loadClients);
