/**
 * The seam between the real-time transport (this folder) and the rest of the sandbox.
 *
 * The transport speaks the AppSync real-time protocol
 * (https://docs.aws.amazon.com/appsync/latest/devguide/real-time-websocket-client.html) and knows nothing of GraphQL,
 * schemas, auth modes or resolvers. The sandbox implements `RealtimeBackend`: it authenticates header objects (the auth
 * headers of one mode, as JSON), validates and authorizes each `start`, runs the subscription resolver (once, at
 * subscribe time), and later pushes `data` frames through `RealtimeServer.deliver`.
 */
import type { IncomingHttpHeaders } from 'node:http';

/**
 * One AppSync error object. Always sent inside an `errors` *array* (AppSync sends an object in
 * a few cases, but both official clients read `errors[0]`).
 * `errorCode` appears on `connection_error` only.
 */
export interface AppSyncError {
  errorType?: string;
  message: string;
  errorCode?: number;
}

/** What the transport knows about the WebSocket upgrade request. */
export interface RealtimeRequest {
  connectionId: string;
  /** Peer address as seen by the socket (no proxy headers are trusted). */
  remoteAddress: string;
  /** Request target of the upgrade, e.g. `/graphql/realtime?header=…`. Unknown query parameters are allowed (Amplify v6 puts custom headers there). */
  url: string;
  /** HTTP headers of the upgrade request (Host, Origin, User-Agent, …). */
  headers: IncomingHttpHeaders;
}

export type AuthResult =
  | {
      ok: true;
      /** Opaque value handed back in `StartSubscriptionArgs.connectionIdentity` (e.g. decoded claims). */
      identity?: unknown;
    }
  | {
      ok: false;
      /** e.g. `UnauthorizedException`, what AppSync sends for bad auth at connect. */
      errorType: string;
      message: string;
      /** 400/401/403 are non-retryable for both official clients (Amplify v6 and aws-appsync-subscription-link). */
      errorCode: number;
    };

export interface StartSubscriptionArgs {
  connectionId: string;
  /** The client's operation id (`start.id`). */
  subscriptionId: string;
  /** `JSON.parse(start.payload.data).query` — not parsed or validated by the transport. */
  query: string;
  /** `variables` from the same object; `undefined` when absent or null. */
  variables: Record<string, unknown> | undefined;
  /** `operationName` from the same object, if the client sent one. */
  operationName: string | undefined;
  /**
   * The exact `start.payload.data` string. IAM (SigV4) `start` authorization signs
   * `POST <graphql endpoint>` with this string as the body, so verification needs the raw bytes.
   */
  rawData: string;
  /**
   * `start.payload.extensions.authorization` — the header object of *this* operation. A socket
   * may carry subscriptions under different auth modes, so the backend MUST
   * authenticate this object; the connection's own authentication does not cover it.
   */
  authorization: Record<string, unknown>;
  /** What `authenticateConnection` returned for this socket. */
  connectionIdentity: unknown;
  request: RealtimeRequest;
}

export type StartSubscriptionResult = { ok: true } | { ok: false; errors: AppSyncError[] };

export interface RealtimeBackend {
  /**
   * Verifies the handshake header object (from the `header` query parameter or the `header-` subprotocol):
   * `Authorization` (JWT / Lambda token), `x-api-key` + `x-amz-date`, or SigV4 headers signed over `POST <endpoint>/connect` with body `{}`;
   * plus `host`. Not called when the handshake carried no decodable header object: the transport
   * answers that case itself with `UnauthorizedException` (errorCode 401).
   */
  authenticateConnection(header: Record<string, unknown>, request: RealtimeRequest): Promise<AuthResult>;

  /**
   * Authenticates `args.authorization`, validates the document (exactly one root subscription field,
   * as AppSync requires), authorizes it and runs the subscription resolver. Resolve `{ok: true}` once the
   * subscription is registered and may receive `deliver` calls; the transport then sends `start_ack`.
   * Errors are sent verbatim in an `error` frame (AppSync's error objects). A thrown error becomes a generic
   * internal failure. Duplicate ids and the per-connection limit are enforced by the transport.
   */
  startSubscription(args: StartSubscriptionArgs): Promise<StartSubscriptionResult>;

  /**
   * The client sent `stop` for an active subscription, or a start resolved `{ok: true}` after its socket
   * had already closed (so `connectionClosed` may have run before the registration). Not called for
   * `RealtimeServer.invalidate` (the caller already dropped the subscription). Must be idempotent.
   */
  stopSubscription(connectionId: string, subscriptionId: string): void;

  /** The socket is gone; drop every subscription of `connectionId`. Called exactly once per accepted socket. */
  connectionClosed(connectionId: string): void;
}

/** One line per connection open/close and per start/stop/error (the server is given its logger). */
export interface RealtimeLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: RealtimeLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
