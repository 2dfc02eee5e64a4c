/**
 * Posts follow-up messages to a slash command's response_url (Slack accepts up to five within 30 minutes). Only
 * Slack's own hosts are accepted, so a request can never make this function call anywhere else; the local runtime
 * also allows loopback addresses (tests stand in for Slack there).
 */
import type { ResponsePoster } from '#core/chat/ports.ts';
import type { ChatReply } from '#core/chat/replies.ts';

const SLACK_HOSTS = new Set(['hooks.slack.com', 'hooks.slack-gov.com']);
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export const isAllowedResponseUrl = (url: string, allowLoopback: boolean): boolean => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:' && SLACK_HOSTS.has(parsed.hostname)) return true;
  return allowLoopback && parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname);
};

export function fetchResponsePoster(options: { allowLoopback?: boolean; timeoutMs?: number } = {}): ResponsePoster {
  return {
    async post(responseUrl: string, reply: ChatReply) {
      if (!isAllowedResponseUrl(responseUrl, options.allowLoopback ?? false))
        throw new Error(`refusing to post to ${responseUrl}: not a Slack response URL`);
      const response = await fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(reply),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      if (!response.ok) throw new Error(`Slack refused the follow-up message: HTTP ${response.status}`);
    },
  };
}
