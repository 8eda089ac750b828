/**
 * Attaches the AppSync real-time endpoint to the `upgrade` event of an existing HTTP(S) server, so the
 * GraphQL HTTP endpoint (`POST /graphql`) and the socket (`wss://…/graphql/realtime`: for any host that is
 * not an `appsync-api` host, clients append `/realtime` to the GraphQL URL) share one port and one certificate
 * (Amplify v6 rewrites http:// and https:// to wss://, so the socket needs TLS).
 *
 * Transport only: auth, validation, resolvers and publishing live behind `RealtimeBackend`.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { silentLogger, type AppSyncError, type AuthResult, type RealtimeBackend, type RealtimeLogger, type RealtimeRequest } from './backend';
import { CLOSE_CODES, RealtimeConnection } from './connection';
import { readHandshake, selectProtocol } from './handshake';
import { CLOSE_REASONS, connectionInternalFailure, connectionRefused, UPGRADE_NOT_FOUND, unauthorizedConnection } from '../errors.js';

export interface RealtimeServerOptions {
  /** The HTTPS server of the GraphQL endpoint (plain HTTP works too, for `ws://` clients such as subscription-link). */
  server: HttpsServer | HttpServer;
  backend: RealtimeBackend;
  /** Default `/graphql/realtime` (what the clients derive for a custom domain). Other paths are left to other upgrade listeners, or answered 404 if there are none. */
  path?: string;
  /** Period of `ka` frames after the immediate one (default 60 000, about AppSync's period). */
  keepAliveIntervalMs?: number;
  /** Sent in `connection_ack` (default 300 000, AppSync's value; the clients wait that long between `ka` frames). */
  connectionTimeoutMs?: number;
  /** Default 100 (AppSync's default quota of subscriptions per connection); the next `start` gets MaxSubscriptionsReachedError. */
  maxSubscriptionsPerConnection?: number;
  /** Unsent bytes allowed per socket before the consumer is disconnected (default 8 MiB). */
  maxBufferedBytes?: number;
  /** Largest inbound frame (ws `maxPayload`, default 1 MiB); larger ones close the socket with 1009. */
  maxInboundFrameBytes?: number;
  /** Close sockets that have not completed connection_init by then (default 30 000). */
  connectionInitTimeoutMs?: number;
  /**
   * Where a bad handshake header is refused (AppSync does either):
   * - `'connection_error'` (default): accept the upgrade, answer `connection_init` with
   *   `connection_error` UnauthorizedException/401 — the clients treat it as non-retryable and report it.
   * - `'http-401'`: authenticate during the upgrade and refuse with HTTP 401 + `x-amzn-ErrorType`.
   *   Browsers hide the status, so Amplify only sees a failed socket and retries (~6 attempts).
   */
  authFailure?: 'connection_error' | 'http-401';
  logger?: RealtimeLogger;
}

export interface RealtimeServer {
  readonly path: string;
  /**
   * Sends `{"id":<subscriptionId>,"type":"data","payload":<serializedPayload>}`. `serializedPayload` is
   * the JSON of the frame's `payload` (`{"data":{"onX":{…}}}`, see `serializeDataPayload`), serialized
   * once by the caller and copied in verbatim. Returns false when the subscription is unknown or not yet
   * acknowledged, or the socket is closed or was just disconnected as a slow consumer.
   */
  deliver(connectionId: string, subscriptionId: string, serializedPayload: Buffer | string): boolean;
  /** Drops an active subscription and sends `complete` (as when AppSync invalidates a subscription). Does not call backend.stopSubscription. */
  invalidate(connectionId: string, subscriptionId: string): boolean;
  /** Drops an active subscription and sends an `error` frame with `errors`. Does not call backend.stopSubscription. */
  fail(connectionId: string, subscriptionId: string, errors: AppSyncError[]): boolean;
  /** Live (not torn down) connection ids. */
  connectionIds(): string[];
  /** Stops accepting upgrades, closes every socket with 1001 and terminates the ones still open after `graceMs` (default 1000). */
  close(options?: { graceMs?: number }): Promise<void>;
}

export const DEFAULT_REALTIME_PATH = '/graphql/realtime';

export function attachRealtimeServer(options: RealtimeServerOptions): RealtimeServer {
  const path = options.path ?? DEFAULT_REALTIME_PATH;
  const logger = options.logger ?? silentLogger;
  const backend = options.backend;
  const authFailure = options.authFailure ?? 'connection_error';
  const settings = {
    keepAliveIntervalMs: options.keepAliveIntervalMs ?? 60_000,
    connectionTimeoutMs: options.connectionTimeoutMs ?? 300_000,
    maxSubscriptionsPerConnection: options.maxSubscriptionsPerConnection ?? 100,
    maxBufferedBytes: options.maxBufferedBytes ?? 8 * 1024 * 1024,
    connectionInitTimeoutMs: options.connectionInitTimeoutMs ?? 30_000,
  };
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: options.maxInboundFrameBytes ?? 1024 * 1024,
    handleProtocols: (protocols) => selectProtocol(protocols),
  });
  const connections = new Map<string, RealtimeConnection>();
  const sockets = new Set<WebSocket>();
  let closed = false;

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = req.url ?? '/';
    if (url.split('?', 1)[0] !== path) {
      if (options.server.listenerCount('upgrade') <= 1) refuseUpgrade(socket, 404, UPGRADE_NOT_FOUND);
      return;
    }
    if (closed) {
      refuseUpgrade(socket, 503, { message: CLOSE_REASONS.shuttingDown });
      return;
    }
    accept(req, socket, head, url).catch((error: unknown) => {
      logger.error('realtime upgrade failed', { error: String(error) });
      socket.destroy();
    });
  };

  async function accept(req: IncomingMessage, socket: Duplex, head: Buffer, url: string): Promise<void> {
    const connectionId = randomUUID();
    const handshake = readHandshake(url, req.headers['sec-websocket-protocol']);
    const request: RealtimeRequest = { connectionId, remoteAddress: req.socket.remoteAddress ?? '', url, headers: req.headers };

    let preAuthenticated: AuthResult | undefined;
    if (authFailure === 'http-401') {
      const swallow = (): void => undefined; // the peer may vanish while we authenticate
      socket.on('error', swallow);
      preAuthenticated = await authenticateAtUpgrade(handshake.header, request);
      socket.off('error', swallow);
      if (socket.destroyed) return;
      if (!preAuthenticated.ok) {
        logger.warn('realtime upgrade refused', { connectionId, remoteAddress: request.remoteAddress, errorType: preAuthenticated.errorType });
        refuseUpgrade(socket, 401, { errorType: preAuthenticated.errorType, message: preAuthenticated.message });
        return;
      }
    }

    wss.handleUpgrade(req, socket, head, (ws) => {
      if (closed) {
        ws.close(CLOSE_CODES.goingAway, CLOSE_REASONS.shuttingDown);
        return;
      }
      sockets.add(ws);
      ws.once('close', () => sockets.delete(ws));
      const connection = new RealtimeConnection(connectionId, ws, request, handshake, {
        backend,
        logger,
        settings,
        preAuthenticated,
        onTeardown: (torn) => connections.delete(torn.id),
      });
      connections.set(connectionId, connection);
    });
  }

  async function authenticateAtUpgrade(header: Record<string, unknown> | undefined, request: RealtimeRequest): Promise<AuthResult> {
    if (!header) return { ok: false, ...connectionRefused(unauthorizedConnection().message) };
    try {
      return await backend.authenticateConnection(header, request);
    } catch (error) {
      logger.error('realtime authenticateConnection threw', { connectionId: request.connectionId, error: String(error) });
      return { ok: false, ...connectionInternalFailure() };
    }
  }

  options.server.on('upgrade', onUpgrade);

  return {
    path,
    deliver: (connectionId, subscriptionId, serializedPayload) =>
      connections.get(connectionId)?.deliver(subscriptionId, serializedPayload) ?? false,
    invalidate: (connectionId, subscriptionId) => connections.get(connectionId)?.invalidate(subscriptionId) ?? false,
    fail: (connectionId, subscriptionId, errors) => connections.get(connectionId)?.fail(subscriptionId, errors) ?? false,
    connectionIds: () => [...connections.keys()],
    async close({ graceMs = 1000 } = {}) {
      closed = true;
      options.server.off('upgrade', onUpgrade);
      for (const connection of [...connections.values()]) connection.closeWith(CLOSE_CODES.goingAway, CLOSE_REASONS.shuttingDown);
      const open = [...sockets];
      for (const ws of open) ws.close(CLOSE_CODES.goingAway, CLOSE_REASONS.shuttingDown);
      const timer = setTimeout(() => open.forEach((ws) => ws.terminate()), graceMs).unref();
      await Promise.all(open.map((ws) => (ws.readyState === ws.CLOSED ? undefined : new Promise((done) => ws.once('close', done)))));
      clearTimeout(timer);
      await new Promise<void>((done) => wss.close(() => done()));
    },
  };
}

/** Plain HTTP answer on an upgrade socket (ws's own abortHandshake is not public). */
function refuseUpgrade(socket: Duplex, status: number, error: { errorType?: string; message: string }): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ errors: [error] });
  const headers = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Connection: close',
    'Content-Type: application/json; charset=UTF-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...(error.errorType ? [`x-amzn-ErrorType: ${error.errorType}`] : []),
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
}
