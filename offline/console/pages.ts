/**
 * The console's pages: the built files of ./ui (ui-bundle.ts) under the secret like every route, with a policy
 * that lets them load only from the console itself. Any path that is not a file is the single-page app's
 * index.html.
 */
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { UiBundle } from './ui-bundle.js';

/**
 * Scripts, styles, workers and connections only from the console's own origin (`'self'` covers its WebSockets);
 * inline styles because the explorer's editor (Monaco) sets them; fonts and images also as data: URLs (Monaco's).
 */
const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': PAGE_POLICY,
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

const waitingPage = (message: string, reload: boolean) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sandbox console</title>${reload ? '<meta http-equiv="refresh" content="1">' : ''}</head>
<body style="font-family: system-ui, sans-serif; margin: 40px"><h1>Sandbox console</h1><p>${message}</p></body></html>
`;

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, cache = 'no-store'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': cache, ...SECURITY_HEADERS });
  res.end(body);
}

/** Answers a GET for `path` from the built pages: the file, or index.html for the app's own paths. */
export async function sendPage(res: ServerResponse, path: string, ui: UiBundle): Promise<void> {
  const bundle = ui.current();
  if (bundle.state === 'building') return send(res, 503, 'text/html; charset=utf-8', waitingPage('Building the console’s pages (a few seconds, once)…', true));
  if (bundle.state === 'failed') {
    const reason = bundle.reason.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    return send(res, 500, 'text/html; charset=utf-8', waitingPage(`The console’s pages could not be built. The API under <code>/api/</code> works.</p><pre>${reason}</pre><p>`, false));
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return send(res, 404, 'text/plain; charset=utf-8', 'Not found');
  }
  const relativePath = normalize(decoded).replace(/^[/\\]+/, '');
  if (relativePath.startsWith('..') || relativePath.includes(`${sep}..`)) return send(res, 404, 'text/plain; charset=utf-8', 'Not found');
  if (relativePath.startsWith(`assets${sep}`)) {
    const file = await readFile(join(bundle.directory, relativePath)).catch(() => undefined);
    if (file === undefined) return send(res, 404, 'text/plain; charset=utf-8', 'Not found');
    // Built assets are named by their content's hash: they never change under the same name.
    return send(res, 200, TYPES[extname(relativePath)] ?? 'application/octet-stream', file, 'private, max-age=31536000, immutable');
  }
  return send(res, 200, 'text/html; charset=utf-8', await readFile(join(bundle.directory, 'index.html')));
}
