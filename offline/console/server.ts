/**
 * The console's HTTP server: its API under `/api/`, behind this run's secret (access.ts), on a loopback address.
 * `/` answers the console page (the opening URL carries the secret, which becomes a cookie).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { WebSocketServer } from 'ws';
import { closeServer, listen } from '../sandbox/http-server.js';
import type { LineLogger } from '../sandbox/log.js';
import { CONSOLE_FOREIGN_HOST, CONSOLE_FOREIGN_ORIGIN, CONSOLE_INTERNAL, CONSOLE_UNAUTHORIZED, consoleNotFound, type ConsoleError } from '../errors.js';
import { carriesSecret, consoleHostNames, hostAllowed, originAllowed, secretCookie, tokenInUrl } from './access.js';
import { ConsoleFailure, matchRoute, RawAnswer, readJsonObject, sendError, sendJson, type Route, type SocketRoute } from './http.js';
import { SECURITY_HEADERS, sendPage } from './pages.js';
import type { UiBundle } from './ui-bundle.js';

export interface ConsoleServerOptions {
  routes: readonly Route[];
  /** The WebSocket endpoints (the live stream, subscriptions), behind the same checks as the routes. */
  sockets: readonly SocketRoute[];
  /** The console's pages, built on first use. */
  ui: UiBundle;
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
    if (method === 'GET' && !url.pathname.startsWith('/api/')) return sendPage(res, url.pathname, options.ui);
    const { route, params } = matchRoute(options.routes, method, url.pathname);
    const result = await route.handler({ params, query: url.searchParams, body: (maxBytes) => readJsonObject(req, maxBytes) });
    options.logger(`[console] ${method} ${url.pathname}`, 'debug');
    if (result instanceof RawAnswer) {
      res.writeHead(200, { 'cache-control': 'no-store', ...SECURITY_HEADERS, ...result.headers, 'content-length': String(result.body.length) });
      return void res.end(result.body);
    }
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
  // The WebSocket endpoints, each with its own limit on what a client may send.
  const sockets = new Map(options.sockets.map((socket) => [socket.path, { socket, server: new WebSocketServer({ noServer: true, maxPayload: socket.maxPayload }) }]));
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://console').pathname;
    const refusal = !hostAllowed(req, hosts, port)
      ? CONSOLE_FOREIGN_HOST
      : !carriesSecret(req, options.secret)
        ? CONSOLE_UNAUTHORIZED
        : !originAllowed(req, hosts, port)
          ? CONSOLE_FOREIGN_ORIGIN
          : !sockets.has(path)
            ? consoleNotFound(`WebSocket at ${path}`)
            : undefined;
    if (refusal) {
      const reason = refusal.status === 401 ? 'Unauthorized' : refusal.status === 403 ? 'Forbidden' : 'Not Found';
      socket.end(`HTTP/1.1 ${refusal.status} ${reason}\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n${JSON.stringify({ error: { code: refusal.code, message: refusal.message } })}`);
      return;
    }
    const endpoint = sockets.get(path)!;
    endpoint.server.handleUpgrade(req, socket, head, (ws) => endpoint.socket.accept(ws, req));
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
        for (const { server: endpoint } of sockets.values()) {
          for (const client of endpoint.clients) client.terminate();
          endpoint.close();
        }
        await closeServer(server);
      })()),
  };
}
