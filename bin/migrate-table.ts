/**
 * `npm run migrate:table -- --table <name> [--region <region>] [--endpoint <url>]`: brings the items of a table
 * deployed by an earlier version to the current layout (new index keys, timeline index entries). Run it once after
 * the upgrade's deploys have created the new indexes (docs/data-model.md, "Upgrading a deployed table"). It uses
 * the caller's own AWS credentials and needs dynamodb:Scan, PutItem and UpdateItem on the table.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { backfillIndexKeys } from '#adapters/dynamodb/migrations.ts';
import { type CliSpec, parseCli, usageText } from '../local/cli.ts';
import { quietNodeVersionWarning } from '../local/node-support.ts';
import { startProgress } from '../local/progress.ts';

const CLI_SPEC: CliSpec = {
  usage: 'npm run migrate:table -- --table NAME [--region REGION] [--endpoint URL]',
  description:
    'Brings the items of a table deployed by an earlier version to the current layout (docs/data-model.md,\n' +
    '"Upgrading a deployed table"). Uses your AWS credentials; needs dynamodb:Scan, PutItem and UpdateItem.',
  options: {
    table: { value: 'NAME', help: 'the deployed table (required)' },
    region: { value: 'REGION', help: "the table's Region (default: your AWS configuration)" },
    endpoint: { value: 'URL', help: 'a DynamoDB endpoint (DynamoDB Local), with dummy credentials' },
  },
};
const values = parseCli(process.argv.slice(2), CLI_SPEC).values as Record<string, string | undefined>;
if (!values.table) {
  console.error(`--table is required\n\n${usageText(CLI_SPEC)}`);
  process.exit(2);
}
quietNodeVersionWarning();
const client = new DynamoDBClient({
  ...(values.region ? { region: values.region } : {}),
  ...(values.endpoint
    ? { endpoint: values.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
    : {}),
});
// The table's item count is unknown without a full scan (DescribeTable's is hours old), so the progress shows a count
// and a rate, not an estimate.
const scanning = startProgress(`migrating ${values.table}`, { unit: 'items scanned' });
const counts = await backfillIndexKeys(client, values.table, (c) => scanning.update(c.scanned)).catch((error) => {
  scanning.finish('stopped');
  throw error;
});
scanning.finish();
console.log(
  `Scanned ${counts.scanned} items: ${counts.incidents} incidents and ${counts.pages} pages got their new index keys; ` +
    `${counts.timelineEntries} timeline index entries written.`,
);
client.destroy();
