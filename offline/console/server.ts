/**
 * The console's HTTP server: its API under `/api/`, behind this run's secret (access.ts), on a loopback address.
 * `/` answers the console page (the opening URL carries the secret, which becomes a cookie).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { closeServer, listen } from '../sandbox/http-server.js';
import type { LineLogger, LogFeed } from '../sandbox/log.js';
import { CONSOLE_FOREIGN_HOST, CONSOLE_FOREIGN_ORIGIN, CONSOLE_INTERNAL, CONSOLE_UNAUTHORIZED, consoleNotFound, type ConsoleError } from '../errors.js';
import { carriesSecret, consoleHostNames, hostAllowed, originAllowed, secretCookie, tokenInUrl } from './access.js';
import { ConsoleFailure, matchRoute, readJsonObject, sendError, sendJson, type Route } from './http.js';

export interface ConsoleServerOptions {
  routes: readonly Route[];
  /** The sandbox's log lines, streamed on the `/api/live` WebSocket. */
  logs: LogFeed;
  secret: string;
  host: string;
  port: number;
  logger: LineLogger;
}

export interface ConsoleServer {
  /** The console's address without the secret, e.g. `http://127.0.0.1:20003`. */
  origin: string;
  /** The URL to open: the origin with this run's secret. */
  url: string;
  server: Server;
  close(): Promise<void>;
}

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sandbox console</title></head>
<body><h1>Sandbox console</h1><p>The console's API answers under <code>/api/</code>; its pages are not built yet.</p></body></html>
`;

/** The live stream's WebSocket. */
export const LIVE_PATH = '/api/live';
/** A watcher that falls this far behind is dropped rather than let the sandbox buffer for it. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Sends `{ type: 'recent', entries }`, then `{ type: 'log', entry }` per new line, until either side closes. */
function streamLog(ws: WebSocket, logs: LogFeed): void {
  ws.send(JSON.stringify({ type: 'recent', entries: logs.recent() }));
  const stop = logs.subscribe((entry) => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      stop();
      ws.close(1013, 'too far behind');
      return;
    }
    ws.send(JSON.stringify({ type: 'log', entry }));
  });
  ws.on('close', stop);
  ws.on('error', stop);
  // The stream only sends; anything the client sends is ignored.
  ws.on('message', () => undefined);
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
};

export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  let port = options.port;
  const hosts = consoleHostNames(options.host);

  /** Answers `error` without reading the request's body (drained, so that the connection stays usable). */
  const refuse = (req: IncomingMessage, res: ServerResponse, error: ConsoleError): void => {
    req.resume();
    sendError(res, error);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!hostAllowed(req, hosts, port)) return refuse(req, res, CONSOLE_FOREIGN_HOST);
    const url = new URL(req.url ?? '/', `http://${hosts[0]}:${port}`);
    const method = req.method ?? 'GET';
    if (url.pathname === '/' && method === 'GET' && tokenInUrl(url, options.secret)) {
      // The opening URL: keep the secret in a cookie and drop it from the address bar (and from the history).
      res.writeHead(303, { location: '/', 'set-cookie': secretCookie(options.secret), 'cache-control': 'no-store', ...SECURITY_HEADERS });
      return void res.end();
    }
    if (!carriesSecret(req, options.secret)) return refuse(req, res, CONSOLE_UNAUTHORIZED);
    if (method !== 'GET' && !originAllowed(req, hosts, port)) return refuse(req, res, CONSOLE_FOREIGN_ORIGIN);
    if (url.pathname === '/' && method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS });
      return void res.end(PAGE);
    }
    const { route, params } = matchRoute(options.routes, method, url.pathname);
    const result = await route.handler({ params, query: url.searchParams, body: (maxBytes) => readJsonObject(req, maxBytes) });
    options.logger(`[console] ${method} ${url.pathname}`, 'debug');
    sendJson(res, 200, result);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof ConsoleFailure) return refuse(req, res, error.error);
      options.logger(`[console] ${req.method} ${req.url?.split('?')[0]} failed: ${(error as Error).stack ?? String(error)}`, 'error');
      if (!res.headersSent) sendError(res, CONSOLE_INTERNAL);
      else res.destroy();
    });
  });
  // The live stream: the sandbox's latest log lines, then each new one, to whoever holds the secret.
  const live = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://console').pathname;
    const refusal = !hostAllowed(req, hosts, port)
      ? CONSOLE_FOREIGN_HOST
      : !carriesSecret(req, options.secret)
        ? CONSOLE_UNAUTHORIZED
        : !originAllowed(req, hosts, port)
          ? CONSOLE_FOREIGN_ORIGIN
          : path !== LIVE_PATH
            ? consoleNotFound(`WebSocket at ${path}`)
            : undefined;
    if (refusal) {
      const reason = refusal.status === 401 ? 'Unauthorized' : refusal.status === 403 ? 'Forbidden' : 'Not Found';
      socket.end(`HTTP/1.1 ${refusal.status} ${reason}\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n${JSON.stringify({ error: { code: refusal.code, message: refusal.message } })}`);
      return;
    }
    live.handleUpgrade(req, socket, head, (ws) => streamLog(ws, options.logs));
  });
  port = await listen(server, options.port, options.host);
  const origin = `http://${hosts[0]}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    origin,
    url: `${origin}/?token=${options.secret}`,
    server,
    close: () =>
      (closing ??= (async () => {
        for (const client of live.clients) client.terminate();
        live.close();
        await closeServer(server);
      })()),
  };
}
