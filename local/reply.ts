/**
 * `npm run reply -- --from +15555550100 123456`: an SMS reply to a page, as a responder's phone would send it. The
 * message goes, as the SNS notification AWS End User Messaging publishes for two-way SMS, to the running local
 * runtime's SMS-replies function (the same handler as in AWS), which acknowledges the page the sender and code match
 * and answers; the answer also lands in the outbox.
 *
 * Data (the outcome, the answer) on stdout, diagnostics on stderr. Exit 0 when the reply was handled (whatever it
 * matched), 1 when the runtime could not be reached or failed, 2 on a usage error.
 */
import { randomUUID } from 'node:crypto';
import { LOCAL_DEFAULTS, LOCAL_FUNCTIONS } from './settings.ts';

const USAGE = `Usage: npm run reply -- --from <E.164 number> [--to <E.164 number>] [--json] <message text...>

Sends an SMS reply to the local Incident Manager (npm start, at PORT, default ${LOCAL_DEFAULTS.port}), as two-way SMS
delivers it in AWS. A reply carrying a page's code from the number the page went to acknowledges it.

  --from    the responder's phone number (the page's SMS channel), e.g. +15555550100
  --to      the number replied to (default: +15555550000, any number works locally)
  --json    print the handler's result as JSON
  --help    this text

Example: npm run reply -- --from +15555550100 482913`;

export interface ReplyArgs {
  from: string;
  to: string;
  body: string;
  json: boolean;
}

export class UsageError extends Error {}

export function parseReplyArgs(argv: readonly string[]): ReplyArgs | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  let from: string | undefined;
  let to = '+15555550000';
  let json = false;
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--from' || arg === '--to') {
      const value = argv[++i];
      if (!value) throw new UsageError(`${arg} needs a phone number`);
      if (!/^\+\d{6,15}$/.test(value)) throw new UsageError(`${arg} must be an E.164 number such as +15555550100`);
      if (arg === '--from') from = value;
      else to = value;
    } else if (arg.startsWith('--')) throw new UsageError(`Unknown option ${arg}`);
    else words.push(arg);
  }
  if (!from) throw new UsageError('--from is required');
  if (words.length === 0) throw new UsageError('the message text is required (the code from the page)');
  return { from, to, body: words.join(' '), json };
}

/** The SNS event Lambda receives for one two-way SMS (End User Messaging's payload as the message). */
export const twoWaySmsEvent = (args: ReplyArgs) => ({
  Records: [
    {
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:us-east-1:123456789012:sms-replies:local',
      Sns: {
        Type: 'Notification',
        MessageId: randomUUID(),
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:sms-replies',
        Subject: null,
        Timestamp: new Date().toISOString(),
        Message: JSON.stringify({
          originationNumber: args.from,
          destinationNumber: args.to,
          messageKeyword: 'KEYWORD_LOCAL',
          messageBody: args.body,
          inboundMessageId: randomUUID(),
          previousPublishedMessageId: null,
        }),
        MessageAttributes: {},
      },
    },
  ],
});

interface ReplyResult {
  outcome: string;
  answer?: string;
  pageArns: string[];
}

async function main() {
  let args: ReplyArgs | 'help';
  try {
    args = parseReplyArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (args === 'help') {
    console.log(USAGE);
    return;
  }
  const url = `http://127.0.0.1:${process.env.PORT ?? LOCAL_DEFAULTS.port}`;
  let response: Response;
  try {
    response = await fetch(`${url}/2015-03-31/functions/${LOCAL_FUNCTIONS.smsReplies}/invocations`, {
      method: 'POST',
      body: JSON.stringify(twoWaySmsEvent(args)),
    });
  } catch {
    console.error(`The local Incident Manager is not running at ${url}: start it with npm start (or set PORT).`);
    process.exit(1);
  }
  const result = (await response.json()) as { replies?: ReplyResult[]; errorMessage?: string; errorType?: string };
  if (response.headers.get('x-amz-function-error')) {
    console.error(`The reply failed (${result.errorType}): ${result.errorMessage}`);
    process.exit(1);
  }
  if (args.json) {
    console.log(JSON.stringify(result.replies ?? [], null, 2));
    return;
  }
  for (const reply of result.replies ?? []) {
    console.log(`${reply.outcome}${reply.pageArns.length ? ` ${reply.pageArns.join(' ')}` : ''}`);
    if (reply.answer) console.log(`answer: ${reply.answer}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
