/**
 * Phase 4 of `npm run bench:notify`: how long the Slack slash command takes to answer, measured as Slack sees it
 * (signed request sent → HTTP reply received) against the local runtime's chat endpoint. Slack shows an error after
 * 3 seconds; `ack` is deferred by design and answers "working on it" at once, so every command is measured here.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { slackSignature } from '#http/slack-signature.ts';
import { startProgress } from '#local/progress.ts';
import { summarize } from './stats.ts';

/** The signing secret and command configuration the benchmark's runtime is started with. */
export const BENCH_SLACK = {
  signingSecret: 'bench-signing-secret',
  commandsConfig: JSON.stringify({ workspaces: ['TBENCH'], contacts: { UBENCH: 'bench-responder' } }),
};

/** Slack's limit for the first reply to a slash command. */
export const SLACK_REPLY_LIMIT_MS = 3000;

async function send(
  chatUrl: string,
  responseUrl: string,
  text: string,
): Promise<{ ms: number; status: number; reply: string }> {
  const body = new URLSearchParams({
    team_id: 'TBENCH',
    channel_id: 'CBENCH',
    user_id: 'UBENCH',
    user_name: 'bench',
    command: '/incident',
    text,
    // Deferred work (ack) posts its result here later; the measurement does not wait for it.
    response_url: responseUrl,
    trigger_id: randomUUID(),
  }).toString();
  const timestamp = String(Math.floor(Date.now() / 1000));
  const started = performance.now();
  const response = await fetch(chatUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': slackSignature(BENCH_SLACK.signingSecret, timestamp, body),
    },
    body,
  });
  const reply = await response.text();
  return { ms: performance.now() - started, status: response.status, reply };
}

/**
 * Each command `samples` times on one incident (by its short id); the reply times and how many missed 3 s.
 * `settled` resolves when the runtime's deferred commands have posted their results.
 */
export async function measureSlackCommands(
  chatUrl: string,
  incidentShortId: string,
  samples: number,
  settled: () => Promise<void>,
) {
  const commands: Record<string, (i: number) => string> = {
    list: () => 'list',
    show: () => `show ${incidentShortId}`,
    note: (i) => `note ${incidentShortId} bench note ${i}`,
    impact: (i) => `impact ${incidentShortId} ${(i % 3) + 2}`,
    ack: () => `ack ${incidentShortId}`,
  };
  // Slack's response_url, for the deferred commands' follow-up posts.
  const responses = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  responses.listen(0, '127.0.0.1');
  await once(responses, 'listening');
  const responseUrl = `http://127.0.0.1:${(responses.address() as AddressInfo).port}/response`;
  const results: Record<string, ReturnType<typeof summarize> & { overLimit: number; failed: number }> = {};
  try {
    for (const [name, text] of Object.entries(commands)) {
      const times: number[] = [];
      let failed = 0;
      // Ticks after each reply is timed (`send` times itself), so a progress line is never inside a sample.
      const progress = startProgress(`slack ${name}`, { total: samples });
      for (let i = 0; i < samples; i++) {
        const { ms, status } = await send(chatUrl, responseUrl, text(i));
        if (status !== 200) failed++;
        times.push(ms);
        progress.tick();
      }
      progress.finish();
      results[name] = {
        ...summarize(times),
        overLimit: times.filter((ms) => ms > SLACK_REPLY_LIMIT_MS).length,
        failed,
      };
    }
    await settled();
  } finally {
    responses.close();
  }
  return results;
}
