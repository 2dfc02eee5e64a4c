/**
 * The README's five-minute walkthrough, run as written: `npm start` (local/start.ts, in its own process, on a free
 * port and a fresh data folder), then the second terminal's commands taken from the README itself (AWS CLI, npm run
 * outbox / trigger) in bash with `set -e`. Only the two placeholders a person fills in by reading the outbox (the
 * activation CODE, the PAGE ARN and its CODE) are filled in from `npm run outbox -- --json`, and the port is this
 * test's. Skipped when no `aws` is on PATH.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.ts';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const cliAvailable = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;

/** The walkthrough's second-terminal block: the README's first bash block that sets the AWS variables. */
function walkthroughCommands(): string {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Five-minute walkthrough'));
  const blocks = [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  const commands = blocks.find((block) => block.includes('export AWS_ACCESS_KEY_ID'));
  if (!commands) throw new Error('README: no walkthrough block with the AWS variables');
  return commands;
}

/** `npm run outbox -- --json`'s newest row of a type, one field of it (what a person reads off the table). */
const fromOutbox = (type: string, field: string) =>
  `$(npm run --silent outbox -- --json | node -e 'const rows = JSON.parse(require("fs").readFileSync(0, "utf8")); process.stdout.write(rows.filter((r) => r.type === "${type}").at(-1).${field})')`;

const fillIn = (commands: string, url: string) =>
  commands
    .replaceAll('http://127.0.0.1:4750', url)
    .split('\n')
    .map((line) =>
      line.includes('activate-contact-channel')
        ? line.replace('<CODE>', fromOutbox('ACTIVATION_CODE', 'code'))
        : line.includes('accept-page')
          ? line.replace('<PAGE ARN>', fromOutbox('PAGE', 'pageArn')).replace('<CODE>', fromOutbox('PAGE', 'code'))
          : line,
    )
    .join('\n');

describe('README walkthrough', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'readme-walkthrough-'));
  let runtime: ChildProcess | undefined;
  afterAll(async () => {
    if (runtime && runtime.exitCode === null) {
      const exited = new Promise((resolve) => runtime?.once('exit', resolve));
      runtime.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.skipIf(!cliAvailable)(
    'pages alice from a replayed alarm, acknowledges and resolves, word for word',
    async () => {
      // Prepare: npm start
      const port = await freePort();
      const { DATA_DIR: _ignored, ...env } = process.env;
      runtime = spawn(TSX, ['local/start.ts'], {
        env: { ...env, PORT: String(port), DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let started = '';
      runtime.stdout?.on('data', (chunk) => (started += chunk));
      runtime.stderr?.on('data', (chunk) => (started += chunk));
      const deadline = Date.now() + 90_000;
      while (!started.includes('Press Ctrl-C to stop.')) {
        if (runtime.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not start:\n${started}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const script = `${fillIn(walkthroughCommands(), `http://127.0.0.1:${port}`)}
aws ssm-incidents get-incident-record --endpoint-url $URL --arn $INCIDENT --query incidentRecord.status --output text
aws ssm-incidents list-timeline-events --endpoint-url $URL --incident-record-arn $INCIDENT --query 'eventSummaries[].eventType' --output text`;

      // Act: the second terminal
      const terminal = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script], {
        encoding: 'utf8',
        env: {
          ...env,
          PORT: String(port),
          AWS_CONFIG_FILE: '/nonexistent/aws-config',
          AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_PAGER: '',
        },
        timeout: 120_000,
      });

      // Assess
      expect(terminal.stderr).not.toMatch(/error|Warning/i);
      expect(terminal.status).toBe(0);
      expect(terminal.stdout).toMatch(
        /CREATED incident arn:aws:ssm-incidents::123456789012:incident-record\/checkout\//,
      );
      expect(terminal.stdout).toContain('Paged alice (EMAIL).');
      expect(terminal.stdout).toMatch(/\nRESOLVED\n/);
      expect(terminal.stdout).toContain('SSM Contacts Page Acknowledgement for Incident');
      expect(started).not.toMatch(/Warning/);
    },
    180_000,
  );
});
