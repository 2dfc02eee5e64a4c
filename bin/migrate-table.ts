/**
 * `npm run migrate:table -- --table <name> [--region <region>] [--endpoint <url>]`: brings the items of a table
 * deployed by an earlier version to the current layout (new index keys, timeline index entries). Run it once after
 * the upgrade's deploys have created the new indexes (docs/data-model.md, "Upgrading a deployed table"). It uses
 * the caller's own AWS credentials and needs dynamodb:Scan, PutItem and UpdateItem on the table.
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { backfillIndexKeys } from '#adapters/dynamodb/migrations.ts';

const { values } = parseArgs({
  options: { table: { type: 'string' }, region: { type: 'string' }, endpoint: { type: 'string' } },
});
if (!values.table) {
  console.error('Usage: npm run migrate:table -- --table <table name> [--region <region>] [--endpoint <url>]');
  process.exit(2);
}
const client = new DynamoDBClient({
  ...(values.region ? { region: values.region } : {}),
  ...(values.endpoint
    ? { endpoint: values.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
    : {}),
});
const counts = await backfillIndexKeys(client, values.table, (c) =>
  process.stderr.write(`\rscanned ${c.scanned} items`),
);
console.error('');
console.log(
  `Scanned ${counts.scanned} items: ${counts.incidents} incidents and ${counts.pages} pages got their new index keys; ` +
    `${counts.timelineEntries} timeline index entries written.`,
);
client.destroy();
