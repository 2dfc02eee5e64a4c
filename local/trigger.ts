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
 */
import { readFileSync } from 'node:fs';
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

async function main() {
  const { file, ...options } = parseArgs(process.argv.slice(2));
  const delivery = deliveryFor(JSON.parse(readFileSync(file, 'utf8')), options);
  const url = `http://127.0.0.1:${process.env.PORT ?? LOCAL_DEFAULTS.port}`;
  let response: Response;
  try {
    response = await fetch(`${url}/2015-03-31/functions/${LOCAL_FUNCTIONS.triggerIntake}/invocations`, {
      method: 'POST',
      body: JSON.stringify(delivery),
    });
  } catch {
    throw new Error(`The local Incident Manager is not running at ${url}: start it with npm start (or set PORT).`);
  }
  const result = (await response.json()) as { outcomes?: TriggerOutcome[]; errorMessage?: string; errorType?: string };
  if (response.headers.get('x-amz-function-error')) {
    console.error(`Rejected (${result.errorType}): ${result.errorMessage}`);
    if (result.errorMessage?.includes('No response plan'))
      console.error(`Name a plan with --response-plan NAME, or tag the alarm with ${RESPONSE_PLAN_TAG}.`);
    process.exit(1);
  }
  for (const outcome of result.outcomes ?? []) console.log(describe(outcome));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
