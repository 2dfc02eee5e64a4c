/**
 * `npm run trigger -- [--response-plan NAME] [--on-ok timeline] [--exact] [--wait SECONDS] FILE`
 *
 * Replays an alarm or event delivery against the running local runtime (at PORT), through the same intake handler
 * that serves that form in AWS, and prints the incident it opened (or joined, and how to get a new one) and who was
 * paged or why nobody. FILE holds one of:
 * - an EventBridge event (any source; CloudWatch alarm state changes included): wrapped as an EventBridge rule
 *   target would wrap it;
 * - an SNS event (`{"Records":[...]}`), or the bare JSON message of a CloudWatch alarm notification;
 * - the payload of CloudWatch's Lambda alarm action (`{"alarmData":...}`).
 * The plan may be omitted when the alarm carries the response-plan tag. By default the file is sent as a fresh
 * delivery (new event id, the alarm changing state now), so a sample replays every time; `--exact` sends it byte for
 * byte, which the intake recognises as a redelivery after the first time.
 *
 * Every failure prints its reason and exits 1: a file that is unreadable, not JSON or shaped like no delivery can be
 * (nested too deep, too large), a runtime that is not running, and any rejection by the intake. A usage mistake
 * exits 2.
 */
import { readFileSync } from 'node:fs';
import { type IncidentRecord, SSMIncidentsClient, type SSMIncidentsClientConfig } from '@aws-sdk/client-ssm-incidents';
import { deliveryShapeProblem } from '#adapters/triggers/delivery-limits.ts';
import { RESPONSE_PLAN_TAG } from '#core/alerting/contract.ts';
import type { TriggerOutcome } from '#core/alerting/intake.ts';
import { type CliSpec, parseCli, usageText } from './cli.ts';
import { quietNodeVersionWarning } from './node-support.ts';
import { LOCAL_DEFAULTS, LOCAL_FUNCTIONS } from './settings.ts';
import { type DeliveryOptions, deliveryFor, freshDelivery } from './trigger-delivery.ts';
import {
  describeOutcome,
  describePaging,
  incidentOf,
  type PagingReport,
  pagingSummary,
  planDedupeStringOf,
  waitForPaging,
} from './trigger-report.ts';

quietNodeVersionWarning();

const CLI_SPEC: CliSpec = {
  usage: 'npm run trigger -- [options] FILE',
  description: [
    'Sends the alarm or event in FILE (samples/events/*.json, or your own) to the local Incident Manager',
    `(npm start, at PORT, default ${LOCAL_DEFAULTS.port}) as AWS would deliver it, and prints the incident it opened`,
    'or joined and who was paged, or why nobody. FILE: an EventBridge event, an SNS event or bare alarm notification,',
    "or the payload of CloudWatch's Lambda alarm action. Each run is a fresh delivery unless --exact.",
  ].join('\n'),
  positionals: true,
  options: {
    'response-plan': { value: 'NAME', help: "the response plan (else the alarm's incident-manager:response-plan tag)" },
    'on-ok': { value: 'timeline', help: 'an OK state adds a timeline event to the open incident' },
    exact: { help: 'send FILE byte for byte (a second run is a duplicate delivery, recorded once)' },
    wait: { value: 'SECONDS', help: 'how long to wait for paging to report (default 10; 0: do not wait)' },
    json: { help: 'print one JSON object per alarm (outcome, incident, who was paged and who not) instead of text' },
  },
};

interface Args extends DeliveryOptions {
  file: string;
  exact: boolean;
  waitMs: number;
  json: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const { values, positionals } = parseCli(argv, CLI_SPEC);
  if (positionals.length !== 1)
    throw new UsageError(positionals.length ? `Give one FILE, got ${positionals.join(' ')}` : 'FILE is required');
  const onOk = values['on-ok'];
  if (onOk !== undefined && onOk !== 'timeline') throw new UsageError(`--on-ok takes "timeline", got ${onOk}`);
  const wait = values.wait === undefined ? 10 : Number(values.wait);
  if (!Number.isFinite(wait) || wait < 0) throw new UsageError(`--wait takes seconds (0 or more), got ${values.wait}`);
  return {
    file: positionals[0] as string,
    exact: values.exact === true,
    json: values.json === true,
    waitMs: wait * 1000,
    ...(typeof values['response-plan'] === 'string' ? { responsePlanName: values['response-plan'] } : {}),
    ...(onOk ? { onOk: 'timeline' as const } : {}),
  };
}

/** Reads FILE as the JSON it must hold; every problem says what is wrong with which file. */
function readDeliveryFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** A failure that is not about the connection: printed as it is, never as "not running". */
class Rejected extends Error {}

async function main() {
  const { file, exact, waitMs, json, ...options } = parseArgs(process.argv.slice(2));
  const fromFile = readDeliveryFile(file);
  const content = exact ? fromFile : freshDelivery(fromFile);
  // A file no delivery could ever be (too deep, too large) is rejected here, with the reason, as the intake would.
  const problem = deliveryShapeProblem(content);
  if (problem) throw new Rejected(`Rejected: ${problem}`);
  const body = JSON.stringify(deliveryFor(content, options));
  const url = `http://127.0.0.1:${process.env.PORT ?? LOCAL_DEFAULTS.port}`;
  let response: Response;
  try {
    response = await fetch(`${url}/2015-03-31/functions/${LOCAL_FUNCTIONS.triggerIntake}/invocations`, {
      method: 'POST',
      body,
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code === 'ECONNREFUSED')
      throw new Error(`The local Incident Manager is not running at ${url}: start it with npm start (or set PORT).`);
    throw new Error(
      `Could not reach the local Incident Manager at ${url}: ${cause?.message ?? (error as Error).message}`,
    );
  }
  const text = await response.text();
  let result: { outcomes?: TriggerOutcome[]; errorMessage?: string; errorType?: string; message?: string };
  try {
    result = JSON.parse(text);
  } catch {
    throw new Rejected(`The local Incident Manager answered HTTP ${response.status} with: ${text.slice(0, 500)}`);
  }
  if (!response.ok)
    throw new Rejected(
      `Rejected by the local Incident Manager (HTTP ${response.status}${
        response.headers.get('x-amzn-errortype') ? ` ${response.headers.get('x-amzn-errortype')}` : ''
      }): ${result.message ?? text.slice(0, 500)}`,
    );
  if (response.headers.get('x-amz-function-error')) {
    const hint = result.errorMessage?.includes('No response plan')
      ? `\nName a plan with --response-plan NAME, or tag the alarm with ${RESPONSE_PLAN_TAG}.`
      : '';
    throw new Rejected(`Rejected (${result.errorType}): ${result.errorMessage}${hint}`);
  }
  const client = localIncidentsClient(url);
  try {
    for (const outcome of result.outcomes ?? []) await report(client, outcome, url, waitMs, json);
  } finally {
    client.destroy();
  }
}

/**
 * Credentials from the environment when set, else any: locally all work. Signed for execute-api as API Gateway
 * requires, so the read-back also works in strict mode (LOCAL_SIGV4_CREDENTIALS) with one of its credentials.
 */
const localIncidentsClient = (url: string) =>
  new SSMIncidentsClient({
    endpoint: url,
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? LOCAL_DEFAULTS.region,
    maxAttempts: 2,
    signingName: 'execute-api',
    ...(process.env.AWS_ACCESS_KEY_ID ? {} : { credentials: { accessKeyId: 'trigger', secretAccessKey: 'local' } }),
  } as SSMIncidentsClientConfig);

/** `arn:aws:ssm-incidents::<account>:incident-record/<plan>/<id>` -> the plan's ARN. */
const planArnOf = (incidentArn: string, planName: string) =>
  `${incidentArn.slice(0, incidentArn.indexOf(':incident-record/'))}:response-plan/${planName}`;

const readBackFailed = (error: unknown) =>
  console.error(
    `Could not read the incident back through the API (${error instanceof Error ? error.message : error}); ` +
      'the intake answered as printed, and npm run outbox lists the pages.',
  );

async function report(client: SSMIncidentsClient, outcome: TriggerOutcome, url: string, waitMs: number, json: boolean) {
  const arn = outcome.incidentRecordArn;
  const planArn = arn && outcome.responsePlanName ? planArnOf(arn, outcome.responsePlanName) : undefined;
  let incident: IncidentRecord | undefined;
  let dedupeString: string | undefined;
  let readable = true;
  try {
    incident = arn ? await incidentOf(client, arn) : undefined;
    if (outcome.outcome === 'deduplicated' && planArn) dedupeString = await planDedupeStringOf(client, planArn);
  } catch (error) {
    readBackFailed(error);
    readable = false;
  }
  if (!json) for (const line of describeOutcome(outcome, incident, url, dedupeString)) console.log(line);
  let paging: PagingReport | undefined;
  if (readable && outcome.outcome === 'created' && incident && planArn && outcome.responsePlanName) {
    if (waitMs > 0) console.error(`Waiting up to ${waitMs / 1000} s for paging to report...`);
    try {
      paging = await waitForPaging(client, incident, planArn, waitMs);
    } catch (error) {
      readBackFailed(error);
    }
    if (paging && !json)
      for (const line of describePaging(paging, outcome.responsePlanName, planArn, url)) console.log(line);
  }
  if (json) {
    const { title, impact, status } = incident ?? {};
    console.log(
      JSON.stringify({
        ...outcome,
        ...(incident ? { incident: { title, impact, status } } : {}),
        ...(paging ? { paging: pagingSummary(paging) } : {}),
      }),
    );
  }
}

main().catch((error) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${usageText(CLI_SPEC)}`);
    process.exit(2);
  }
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
