/**
 * The web console on the local endpoint: GET requests that are not API routes are answered from the built console
 * (console/dist), and browser navigations (Accept: text/html) to any other path, the root included, get index.html
 * (the console's own routes). Every response carries the same security headers CloudFront adds in AWS. API routes
 * keep priority, and a non-browser GET of an unknown path (or of the root) still reaches the API as before.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { CONSOLE_SECURITY_HEADERS, contentSecurityPolicy } from '../console/security-headers.ts';

export interface ConsoleHosting {
  /** The built console (console/dist). */
  dir: string;
  /** Served as /config.json: where the console runs and which account and Region it shows. */
  config: Record<string, unknown>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

const securityHeaders = () => ({ 'content-security-policy': contentSecurityPolicy(), ...CONSOLE_SECURITY_HEADERS });

const wantsHtml = (req: IncomingMessage) => (req.headers.accept ?? '').includes('text/html');

/** The file a request path names inside `dir`, or undefined (also for any path that would leave it). */
function fileFor(dir: string, path: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  const file = normalize(join(dir, decoded));
  if (!file.startsWith(dir + sep)) return undefined;
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}

/** Answers the request from the console and returns true, or returns false to let the API answer it. */
export function serveConsole(
  hosting: ConsoleHosting,
  req: IncomingMessage,
  path: string,
  res: ServerResponse,
): boolean {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') return false;
  const send = (status: number, type: string, body: Buffer | string, cache: string) => {
    const payload = typeof body === 'string' ? Buffer.from(body) : body;
    res.writeHead(status, {
      'content-type': type,
      'content-length': String(payload.length),
      'cache-control': cache,
      ...securityHeaders(),
    });
    res.end(method === 'HEAD' ? undefined : payload);
    return true;
  };
  if (path === '/config.json') return send(200, CONTENT_TYPES['.json']!, JSON.stringify(hosting.config), 'no-store');
  const file = path === '/' ? undefined : fileFor(hosting.dir, path);
  if (file) {
    // Bundles are content-hashed, so they never change under the same name; index.html always is re-read.
    const immutable = /-[A-Z0-9]{8}\.(js|css)$/.test(file);
    return send(
      200,
      CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      readFileSync(file),
      immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    );
  }
  // Only a browser navigation (the root included) gets the console; an SDK or curl GET of an unknown path still gets
  // the API's ValidationException, as before the console existed.
  if (!wantsHtml(req)) return false;
  const index = join(hosting.dir, 'index.html');
  if (!existsSync(index))
    return send(
      503,
      'text/plain; charset=utf-8',
      'The web console is not built. Run `npm run build:console` (npm start does it when needed).\n',
      'no-store',
    );
  return send(200, CONTENT_TYPES['.html']!, readFileSync(index), 'no-cache');
}
