/**
 * The response headers the console is served with, in one place for both hosts: CloudFront's response-headers
 * policy (lib/constructs/console.ts) and the local server (local/server.ts). The console has no inline script or
 * style and loads nothing from elsewhere, so the policy forbids both; only `connect-src` differs by where the API,
 * Cognito and CloudWatch answer.
 */
export interface ContentSecurityPolicyOptions {
  /** Origins the console calls besides its own (the API, Cognito, CloudWatch). */
  connectSources?: readonly string[];
}

export function contentSecurityPolicy(options: ContentSecurityPolicyOptions = {}): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${["'self'", ...(options.connectSources ?? [])].join(' ')}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "require-trusted-types-for 'script'",
  ].join('; ');
}

/** Headers besides the CSP, as CloudFront's security-headers behaviour sets them. */
export const CONSOLE_SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
} as const;

/** HSTS is meaningful over HTTPS only (CloudFront); browsers ignore it on http://127.0.0.1. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=63072000; includeSubDomains';
