/**
 * Acknowledge links in email pages: signed, bound to one page and one delivery attempt, expiring, and counted once.
 *
 * - The token is `<payload>.<mac>`, both base64url: the payload `{"v":1,"p":<pageId>,"a":<attempt>,"x":<expiry,
 *   epoch s>}` carries no personal data; the MAC is HMAC-SHA-256 over a domain-separated string, made by a MacSigner
 *   (an AWS KMS HMAC key deployed, whose key never leaves KMS; a local key in `npm start`).
 * - Verification checks the MAC (constant time, inside the signer), then the expiry, then the page.
 * - Single use: the acknowledgement is a conditional write on the page's read time (AcceptPage core with
 *   `onlyIfUnread`), so a second click, or a click racing an SMS reply, records nothing and shows "already".
 * - Link scanners (mail gateways open every link, some run scripts): GET only shows a confirmation page; only its
 *   form's POST acknowledges (handlers/page-links.ts).
 */
import type { AcknowledgeLinkIssuer, PageRecord } from './model.ts';

/** How long a link works. Short, like an escalation stage; afterwards the page says to use the console. */
export const ACKNOWLEDGE_LINK_MINUTES = 60;

/** The path acknowledge links are served on (by the API's endpoint: handlers/page-links.ts). */
export const ACKNOWLEDGE_LINK_PATH = '/ack';

/** Signs and verifies with a secret key (HMAC-SHA-256). */
export interface MacSigner {
  sign(message: string): Promise<Uint8Array>;
  /** Constant-time comparison (KMS VerifyMac deployed, timingSafeEqual locally). */
  verify(message: string, mac: Uint8Array): Promise<boolean>;
}

export interface LinkClaims {
  pageId: string;
  attempt: number;
  /** Epoch seconds. */
  expires: number;
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; problem: 'invalid' | 'expired' };

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const signedText = (payload: string) => `ssm-contacts:acknowledge-link:v1:${payload}`;
/** Tokens are short; anything longer is not one of ours (and is not worth a KMS call). */
const MAX_TOKEN_LENGTH = 512;

export interface AcknowledgeLinks extends AcknowledgeLinkIssuer {
  check(token: string, now: number): Promise<LinkCheck>;
  readonly minutes: number;
}

export function acknowledgeLinks(
  signer: MacSigner,
  baseUrl: string,
  minutes: number = ACKNOWLEDGE_LINK_MINUTES,
): AcknowledgeLinks {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    minutes,
    async linkFor(page: PageRecord, attempt: number, now: number): Promise<string> {
      const payload = b64url(
        JSON.stringify({ v: 1, p: page.pageId, a: attempt, x: Math.floor(now / 1000) + minutes * 60 }),
      );
      const mac = await signer.sign(signedText(payload));
      return `${base}${ACKNOWLEDGE_LINK_PATH}?${new URLSearchParams({ t: `${payload}.${b64url(mac)}` })}`;
    },
    async check(token: string, now: number): Promise<LinkCheck> {
      const invalid = { ok: false, problem: 'invalid' } as const;
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return invalid;
      const [payload, mac, extra] = token.split('.');
      if (!payload || !mac || extra !== undefined || !/^[\w-]+$/.test(payload) || !/^[\w-]+$/.test(mac)) return invalid;
      const macBytes = Buffer.from(mac, 'base64url');
      // Canonical encoding only: base64url's last character carries spare bits, which must not make a second token.
      if (macBytes.length !== 32 || b64url(macBytes) !== mac) return invalid;
      if (!(await signer.verify(signedText(payload), macBytes))) return invalid;
      let claims: { v?: unknown; p?: unknown; a?: unknown; x?: unknown };
      try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        return invalid;
      }
      if (
        claims.v !== 1 ||
        typeof claims.p !== 'string' ||
        typeof claims.a !== 'number' ||
        typeof claims.x !== 'number'
      )
        return invalid;
      if (claims.x * 1000 <= now) return { ok: false, problem: 'expired' };
      return { ok: true, claims: { pageId: claims.p, attempt: claims.a, expires: claims.x } };
    },
  };
}
