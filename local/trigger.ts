/**
 * `npm run trigger -- [--response-plan NAME] [--on-ok timeline] FILE`
 *
 * Replays an alarm or event delivery against the running local runtime (at PORT), through the same intake handler
 * that serves that form in AWS, and prints the incident it opened or why nothing opened. FILE holds one of:
 * - an EventBridge event (any source; CloudWatch alarm state changes included): wrapped as an EventBridge rule
 *   target would wrap it;
 * - an SNS event (`{"Records":[...]}`), or the bare JSON message of a CloudWatch alarm notification;
 * - the payload of CloudWatch's Lambda alarm action (`{"alarmData":...}`).
 * The plan may be omitted when the alarm carries the response-plan tag.
 *
 * Every failure prints its reason and exits 1: a file that is unreadable, not JSON or shaped like no delivery can be
 * (nested too deep, too large), a runtime that is not running, and any rejection by the intake.
 */
import { readFileSync } from 'node:fs';
import { deliveryShapeProblem } from '#adapters/triggers/delivery-limits.ts';
import { RESPONSE_PLAN_TAG } from '#core/alerting/contract.ts';
import type { TriggerOutcome } from '#core/alerting/intake.ts';
import { LOCAL_FUNCTIONS } from './runtime.ts';
import { LOCAL_DEFAULTS } from './settings.ts';
import { type DeliveryOptions, deliveryFor } from './trigger-delivery.ts';

interface Args extends DeliveryOptions {
  file: string;
}

function parseArgs(argv: string[]): Args {
  const args: Partial<Args> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--response-plan') args.responsePlanName = argv[++i];
    else if (arg === '--on-ok') {
      if (argv[++i] !== 'timeline') throw new Error('--on-ok takes "timeline"');
      args.onOk = 'timeline';
    } else if (arg?.startsWith('--')) throw new Error(`Unknown option ${arg}`);
    else if (arg) args.file = arg;
  }
  if (!args.file) throw new Error('Usage: npm run trigger -- [--response-plan NAME] [--on-ok timeline] FILE');
  return args as Args;
}

const describe = (outcome: TriggerOutcome) => {
  switch (outcome.outcome) {
    case 'created':
      return `Opened ${outcome.incidentRecordArn}\n  (response plan ${outcome.responsePlanName}, trigger ${outcome.triggerArn})`;
    case 'deduplicated':
      return `Nothing new opened: recorded the trigger on the open incident ${outcome.incidentRecordArn}`;
    case 'duplicate-delivery':
      return `Already recorded: this delivery was seen before (incident ${outcome.incidentRecordArn}); nothing written`;
    case 'recorded-ok':
      return `Alarm recovered: added a timeline event to ${outcome.incidentRecordArn}`;
    default:
      return `Nothing opened: ${outcome.reason}`;
  }
};

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
  const { file, ...options } = parseArgs(process.argv.slice(2));
  const content = readDeliveryFile(file);
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
  for (const outcome of result.outcomes ?? []) console.log(describe(outcome));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
