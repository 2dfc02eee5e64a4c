/**
 * `npm start`: runs the local Incident Manager until Ctrl-C.
 * Settings: PORT, DATA_DIR, ACCOUNT_ID, AWS_REGION, IN_MEMORY=1 (or `npm start -- --in-memory`).
 */
import { createServer } from 'node:net';
import { describeBuild, ensureConsoleBuilt } from '../console/build.ts';
import { parseCli } from './cli.ts';
import { quietNodeVersionWarning } from './node-support.ts';
import { launchRuntimeDatabase } from './runtime-database.ts';
import { PortInUseError } from './server.ts';
import { LOCAL_DEFAULTS, readLocalSettings } from './settings.ts';

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, LOCAL_DEFAULTS.host, () => probe.close(() => resolve(true)));
  });

function banner(url: string, settings: ReturnType<typeof readLocalSettings>, outbox: string | undefined) {
  const planArn = `arn:aws:ssm-incidents::${settings.accountId}:response-plan/my-plan`;
  return `
Web console:  ${url}/
Local Incident Manager is running at ${url}
  account ${settings.accountId}, region ${settings.region}
  data:   ${settings.dataDir ?? 'in memory (lost when this process stops)'}

${
  settings.strictSigV4
    ? `Strict mode (LOCAL_SIGV4_CREDENTIALS): requests must be signed for execute-api in ${settings.region} with one of
  ${[...settings.strictSigV4.entries()].map(([id, c]) => `${id} (${c.role ?? 'admin'})`).join(', ')}, as API Gateway requires.
  The AWS CLI signs that way with the plugin in tools/botocore-execute-api (see the README).

`
    : ''
}AWS CLI (${settings.strictSigV4 ? 'with the plugin, as one of those credentials' : 'any credentials work locally'}):
  export AWS_ACCESS_KEY_ID=alice AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=${settings.region}
  aws ssm-incidents create-response-plan --endpoint-url ${url} \\
    --name my-plan --incident-template '{"title":"Checkout is failing","impact":2}'
  aws ssm-incidents start-incident --endpoint-url ${url} --response-plan-arn ${planArn}
  aws ssm-incidents list-incident-records --endpoint-url ${url}

JavaScript SDK (@aws-sdk/client-ssm-incidents):
  const client = new SSMIncidentsClient({ endpoint: '${url}', region: '${settings.region}',
    credentials: { accessKeyId: 'alice', secretAccessKey: 'local' } });
  or set AWS_ENDPOINT_URL_SSM_INCIDENTS=${url} for any SDK.

Contacts, channels and rotations (ssm-contacts) answer on the same endpoint:
  aws ssm-contacts create-contact --endpoint-url ${url} --alias alice --type PERSONAL --plan '{"Stages":[]}'
  aws ssm-contacts create-contact-channel --endpoint-url ${url} --name mail --type EMAIL \\
    --contact-id arn:aws:ssm-contacts:${settings.region}:${settings.accountId}:contact/alice \\
    --delivery-address SimpleAddress=alice@example.com
  Activation codes are not sent: they are printed here as [outbox] lines${outbox ? ` and appended to ${outbox}` : ' (in memory: npm run outbox reads them from this process while it runs)'}.

Paging (StartEngagement, or StartIncident with a plan's engagements) runs the engagement state machine here;
pages are printed as [outbox] PAGE lines with their acknowledgement code (npm run outbox lists them):
  aws ssm-contacts start-engagement --endpoint-url ${url} --sender me --subject test --content test \\
    --contact-id arn:aws:ssm-contacts:${settings.region}:${settings.accountId}:contact/alice
  aws ssm-contacts accept-page --endpoint-url ${url} --page-id <page ARN> --accept-type READ --accept-code <code>
  or as the responder would: npm run reply -- --from <their SMS number> <code>, or open the email page's link
  (npm run outbox -- --json shows it as acknowledgeLink). Who could not be paged is printed as [paging] lines.
  Time runs ${settings.timeScale === 1 ? 'at real speed (LOCAL_TIME_SCALE=60 makes a plan minute pass in a second)' : `${settings.timeScale} times faster than real time (LOCAL_TIME_SCALE)`}.

Runbooks: the local Automation engine answers ssm on the same endpoint (aws ssm ... --endpoint-url ${url});
  npm run runbooks -- load-samples   # samples/runbooks as documents; AWSIncidents-CriticalIncidentRunbookTemplate is built in
  A response plan's runbook starts when an incident opens from it (walkthrough: README, Runbooks).

Notifications (SNS topics of incidents' notificationTargets and chat channels) are printed as [outbox] NOTIFY lines
(npm run outbox -- --notifications); integration events: npm run events. Slack slash command: POST ${url}/chat/slack
${settings.slack?.signingSecret ? '(npm run slack -- help)' : '(set SLACK_SIGNING_SECRET and SLACK_COMMANDS_CONFIG to enable: docs/chat.md)'}.

Press Ctrl-C to stop.`;
}

/** How long a stop after DynamoDB Local is lost may take before the process exits regardless. */
const FATAL_STOP_GRACE_MS = 5000;

async function main() {
  parseCli(process.argv.slice(2), {
    usage: 'npm start [-- --in-memory]',
    description: [
      `Runs the local Incident Manager on 127.0.0.1:PORT (default ${LOCAL_DEFAULTS.port}) until Ctrl-C.`,
      `Environment: PORT, DATA_DIR (default ${LOCAL_DEFAULTS.dataDir}), ACCOUNT_ID, AWS_REGION, IN_MEMORY=1,`,
      'LOCAL_TIME_SCALE, LOCAL_SIGV4_CREDENTIALS, SLACK_SIGNING_SECRET (see the README).',
    ].join('\n'),
    options: { 'in-memory': { help: 'keep everything in memory (lost at exit); the outbox is printed only' } },
  });
  quietNodeVersionWarning();
  const settings = readLocalSettings(process.env, process.argv.slice(2));
  if (!(await portIsFree(settings.port))) throw new PortInUseError(settings.port);
  console.log('Starting DynamoDB Local...');
  let stopAfterFatal: (() => Promise<void>) | undefined;
  // The JVM starts first and the rest happens while it does (it is the longest part of a start): checking the web
  // console's build, and loading the runtime's modules, imported only now for that reason.
  const database = launchRuntimeDatabase({
    ...(settings.dataDir ? { dataDir: settings.dataDir } : {}),
    log: (line) => console.log(line),
    // DynamoDB Local died and could not be restarted: say why and stop, rather than answer 500 to every request.
    onFatal: (reason) => {
      console.error(`\n${reason}\n\nThe local Incident Manager cannot work without DynamoDB Local: stopping.`);
      // Stopping saves what it can, but with the database gone some parts may wait on it: exit within seconds anyway.
      const stopped = (stopAfterFatal ?? (async () => undefined))().catch(() => undefined);
      const gaveUp = new Promise((resolve) => setTimeout(resolve, FATAL_STOP_GRACE_MS).unref());
      void Promise.race([stopped, gaveUp]).finally(() => process.exit(1));
    },
    quickStart: true,
  });
  let runtime: Awaited<ReturnType<typeof import('./runtime.ts').startLocalRuntime>>;
  try {
    const built = await ensureConsoleBuilt();
    if (built) console.log(describeBuild(built));
    const { startLocalRuntime } = await import('./runtime.ts');
    runtime = await startLocalRuntime({
      ...settings,
      host: LOCAL_DEFAULTS.host,
      database,
      printMessage: (line) => console.log(line),
      log: (line) => console.log(line),
    });
  } catch (error) {
    // The runtime stops the database it was given when it fails itself; not when it never got it.
    await database.ready.then((dynamodb) => dynamodb.stop()).catch(() => undefined);
    throw error;
  }
  stopAfterFatal = () => runtime.stop();
  console.log(banner(runtime.url, settings, runtime.outboxFile));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal} received: stopping the local Incident Manager and DynamoDB Local...`);
    await runtime.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  if (error instanceof PortInUseError) {
    console.error(
      `Port ${error.port} is already in use (is the local Incident Manager already running?).\n` +
        `Stop the other process, or choose another port: PORT=${error.port + 1} npm start`,
    );
  } else {
    console.error(`The local Incident Manager could not start: ${error instanceof Error ? error.message : error}`);
  }
  process.exit(1);
});
