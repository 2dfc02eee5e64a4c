/**
 * NextToken for computed lists (rotation shifts): base64url(JSON {f: where the next page starts, a: an instant the
 * first page fixed, q: hash of the request}). Stored lists use the DynamoDB adapter's tokens; both fit the model's
 * token pattern `^[\\/a-zA-Z0-9_+=-]*$`. The hash binds a token to the request it was issued for, so a token from
 * another request (or a forged one) is a ValidationException naming NextToken.
 */
import { ValidationError } from '#core/shared/errors.ts';
import { canonicalJson, sha256Hex } from '#core/shared/ids.ts';

export interface Cursor {
  /** Where the next page starts (epoch ms). */
  from: number;
  /** A default the first page resolved (e.g. a preview's rotation start defaulting to "now"), kept for later pages. */
  anchor?: number;
}

const hashOf = (query: unknown) => sha256Hex(canonicalJson(query)).slice(0, 16);

export const encodeCursor = (cursor: Cursor | undefined, query: unknown): string | undefined =>
  cursor === undefined
    ? undefined
    : Buffer.from(
        JSON.stringify({
          f: cursor.from,
          ...(cursor.anchor !== undefined ? { a: cursor.anchor } : {}),
          q: hashOf(query),
        }),
      ).toString('base64url');

export const decodeCursor = (token: string | undefined, query: unknown, field = 'NextToken'): Cursor | undefined => {
  if (token === undefined) return undefined;
  const invalid = () => new ValidationError(`The ${field} is not valid for this request.`, field);
  let decoded: { f?: unknown; a?: unknown; q?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const isInstant = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (!decoded || !isInstant(decoded.f) || decoded.q !== hashOf(query)) throw invalid();
  if (decoded.a !== undefined && !isInstant(decoded.a)) throw invalid();
  return { from: decoded.f, ...(decoded.a !== undefined ? { anchor: decoded.a as number } : {}) };
};
