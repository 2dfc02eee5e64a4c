/**
 * `npm run runbooks -- <command>`: helpers for runbooks on the local runtime (or, with --endpoint-url, any ssm
 * endpoint, AWS included: the calls are the official client's).
 *
 *   load-samples   creates (or updates to a new version) the documents in samples/runbooks/, named after their files
 *   list           lists the Automation documents the endpoint has (yours and the Amazon-owned ones)
 *
 * Options: --endpoint-url URL (default: the local runtime, http://127.0.0.1:$PORT), --region (default AWS_REGION or
 * us-east-1). Credentials: the usual AWS variables; locally any value works (default: the user "local").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateDocumentCommand,
  DuplicateDocumentContent,
  GetDocumentCommand,
  ListDocumentsCommand,
  SSMClient,
  UpdateDocumentCommand,
  UpdateDocumentDefaultVersionCommand,
} from '@aws-sdk/client-ssm';
import { type CliSpec, parseCli, usageText } from './cli.ts';
import { quietNodeVersionWarning } from './node-support.ts';
import { LOCAL_DEFAULTS } from './settings.ts';

export const SAMPLES_DIRECTORY = fileURLToPath(new URL('../samples/runbooks/', import.meta.url));

/** Creates each sample document, or makes its changed content the new default version; returns what it did. */
export async function loadSamples(client: SSMClient, directory = SAMPLES_DIRECTORY): Promise<string[]> {
  const lines: string[] = [];
  for (const file of readdirSync(directory)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const Name = basename(file).replace(/\.ya?ml$/, '');
    const Content = readFileSync(join(directory, file), 'utf8');
    const exists = await client.send(new GetDocumentCommand({ Name })).then(
      () => true,
      (error: Error) => {
        if (error.name === 'InvalidDocument') return false;
        throw error;
      },
    );
    if (!exists) {
      await client.send(
        new CreateDocumentCommand({ Name, Content, DocumentType: 'Automation', DocumentFormat: 'YAML' }),
      );
      lines.push(`created ${Name}`);
      continue;
    }
    try {
      const { DocumentDescription } = await client.send(
        new UpdateDocumentCommand({ Name, Content, DocumentFormat: 'YAML', DocumentVersion: '$LATEST' }),
      );
      const version = DocumentDescription!.DocumentVersion!;
      await client.send(new UpdateDocumentDefaultVersionCommand({ Name, DocumentVersion: version }));
      lines.push(`updated ${Name} to version ${version}`);
    } catch (error) {
      if (!(error instanceof DuplicateDocumentContent)) throw error;
      lines.push(`unchanged ${Name}`);
    }
  }
  return lines;
}

async function list(client: SSMClient) {
  let NextToken: string | undefined;
  do {
    const page = await client.send(
      new ListDocumentsCommand({ Filters: [{ Key: 'DocumentType', Values: ['Automation'] }], NextToken }),
    );
    for (const d of page.DocumentIdentifiers ?? [])
      console.log(`${d.Name}  version ${d.DocumentVersion}  owner ${d.Owner}`);
    NextToken = page.NextToken;
  } while (NextToken);
}

const CLI_SPEC: CliSpec = {
  usage: 'npm run runbooks -- load-samples|list [--endpoint-url URL] [--region REGION]',
  description: [
    'Runbooks on the local runtime (or any ssm endpoint, AWS included):',
    '  load-samples   creates (or updates to a new version) the documents in samples/runbooks/',
    '  list           lists the Automation documents the endpoint has',
  ].join('\n'),
  positionals: true,
  options: {
    'endpoint-url': { value: 'URL', help: `default: the local runtime, http://127.0.0.1:$PORT` },
    region: { value: 'REGION', help: `default: AWS_REGION or ${LOCAL_DEFAULTS.region}` },
  },
};

async function main() {
  const { values, positionals } = parseCli(process.argv.slice(2), CLI_SPEC);
  const command = positionals[0];
  if (positionals.length !== 1 || (command !== 'load-samples' && command !== 'list')) {
    console.error(
      `${positionals.length ? `Unknown command ${positionals.join(' ')}` : 'A command is required'}\n\n${usageText(CLI_SPEC)}`,
    );
    process.exit(2);
  }
  const endpointUrl = typeof values['endpoint-url'] === 'string' ? values['endpoint-url'] : undefined;
  const endpoint = endpointUrl ?? `http://${LOCAL_DEFAULTS.host}:${process.env.PORT ?? LOCAL_DEFAULTS.port}`;
  const region =
    (typeof values.region === 'string' ? values.region : undefined) ?? process.env.AWS_REGION ?? LOCAL_DEFAULTS.region;
  const local = !endpointUrl;
  quietNodeVersionWarning();
  const client = new SSMClient({
    endpoint,
    region,
    ...(local && !process.env.AWS_ACCESS_KEY_ID
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  if (command === 'load-samples') for (const line of await loadSamples(client)) console.log(line);
  else await list(client);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  main().catch((error) => {
    console.error(
      error?.code === 'ECONNREFUSED'
        ? 'The local Incident Manager is not running: start it with npm start (or pass --endpoint-url).'
        : `npm run runbooks failed: ${error instanceof Error ? error.message : error}`,
    );
    process.exit(1);
  });
