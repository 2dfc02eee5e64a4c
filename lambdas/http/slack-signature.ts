/**
 * Slack request signatures (https://api.slack.com/authentication/verifying-requests-from-slack): Slack sends
 * `X-Slack-Request-Timestamp` (epoch seconds) and `X-Slack-Signature` = `v0=` + hex(HMAC-SHA256(signing secret,
 * `v0:<timestamp>:<raw body>`)). A request is genuine when the signature matches for one of the current secrets
 * (compared in constant time) and its timestamp is within five minutes of now; anything else is refused.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Requests older (or further in the future) than this are refused: a captured request cannot be replayed later. */
export const MAX_REQUEST_AGE_SECONDS = 300;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export const slackSignature = (secret: string, timestamp: string, body: string) =>
  `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;

export function verifySlackSignature(input: {
  secrets: readonly string[];
  timestamp: string | undefined;
  signature: string | undefined;
  /** The raw body, exactly as received (never re-encoded). */
  body: string;
  now: number;
}): SignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return { ok: false, reason: 'the request is not signed' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'the request timestamp is malformed' };
  if (Math.abs(input.now / 1000 - Number(timestamp)) > MAX_REQUEST_AGE_SECONDS)
    return { ok: false, reason: 'the request timestamp is more than five minutes from now' };
  if (!/^v0=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'the signature is malformed' };
  if (input.secrets.length === 0) return { ok: false, reason: 'no signing secret is configured' };
  const given = Buffer.from(signature, 'utf8');
  // Every secret is checked (no early exit), each comparison in constant time over equal-length buffers.
  let matched = false;
  for (const secret of input.secrets) {
    const expected = Buffer.from(slackSignature(secret, timestamp, input.body), 'utf8');
    if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true;
  }
  return matched ? { ok: true } : { ok: false, reason: 'the signature does not match' };
}
