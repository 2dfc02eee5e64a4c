/**
 * `npm run slack -- <command text>`: types a Slack slash command at the local runtime, as Slack would send it (form
 * body, signed with the local signing secret), and prints the reply; a deferred command's follow-up (Slack's
 * response_url) is received here and printed too. Needs the same SLACK_SIGNING_SECRET(_FILE) as `npm start`.
 *
 *   npm run slack -- list
 *   npm run slack -- --user U0BOB note 3f2a9c1e Rolled back the deploy
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { slackSignature } from '#http/slack-signature.ts';
import { LOCAL_CHAT_PATH, LOCAL_DEFAULTS, readLocalSettings } from './settings.ts';

const USAGE = `Usage: npm run slack -- [options] <command text>
  Sends "/incident <command text>" to the local runtime as Slack would (signed) and prints the reply.
  --user ID      the Slack user id (default U0LOCAL)
  --name NAME    the Slack user name (default you)
  --team ID      the workspace id (default T0LOCAL)
  --channel ID   the channel id (default C0LOCAL)
  --help         this text
  Example: npm run slack -- list; npm run slack -- note 3f2a9c1e Rolled back`;

type Options = { user: string; name: string; team: string; channel: string; text: string };

export function parseSlackArgs(args: string[]): Options | 'help' | string {
  const options: Options = { user: 'U0LOCAL', name: 'you', team: 'T0LOCAL', channel: 'C0LOCAL', text: '' };
  const flags: Record<string, keyof Options> = {
    '--user': 'user',
    '--name': 'name',
    '--team': 'team',
    '--channel': 'channel',
  };
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-')) break;
    const key = flags[arg];
    if (!key) return `Unknown option: ${arg}`;
    const value = args[++i];
    if (!value) return `${arg} needs a value`;
    options[key] = value;
  }
  options.text = args.slice(i).join(' ');
  return options;
}

async function main() {
  const parsed = parseSlackArgs(process.argv.slice(2));
  if (parsed === 'help') {
    console.log(USAGE);
    return;
  }
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n${USAGE}`);
    process.exit(2);
  }
  const settings = readLocalSettings(process.env, []);
  const secret = settings.slack?.signingSecret;
  if (!secret) {
    console.error('Set SLACK_SIGNING_SECRET (or SLACK_SIGNING_SECRET_FILE) to the value npm start was given.');
    process.exit(1);
  }
  // Slack's response_url, for deferred commands: a one-off listener here.
  const followUps: unknown[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      followUps.push(JSON.parse(body));
      res.writeHead(200).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const responseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response`;
  try {
    const body = new URLSearchParams({
      team_id: parsed.team,
      channel_id: parsed.channel,
      user_id: parsed.user,
      user_name: parsed.name,
      command: '/incident',
      text: parsed.text,
      response_url: responseUrl,
      trigger_id: randomUUID(),
    }).toString();
    const timestamp = String(Math.floor(Date.now() / 1000));
    const url = `http://${LOCAL_DEFAULTS.host}:${settings.port}${LOCAL_CHAT_PATH}`;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': slackSignature(secret, timestamp, body),
      },
      body,
    });
    const reply = (await response.json()) as { text?: string; response_type?: string; error?: string };
    if (response.status !== 200) {
      console.error(`HTTP ${response.status}: ${JSON.stringify(reply)}`);
      process.exit(1);
    }
    console.log(`[${reply.response_type}] ${reply.text}`);
    if (reply.text?.includes('Working on')) {
      const deadline = Date.now() + 15_000;
      while (followUps.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      for (const f of followUps as { response_type?: string; text?: string }[])
        console.log(`[${f.response_type}] ${f.text}`);
    }
  } catch (error) {
    console.error(`Could not reach the local runtime (is npm start running on port ${settings.port}?): ${error}`);
    process.exit(1);
  } finally {
    server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) void main();
