/**
 * The explorer's subscriptions (`/api/subscriptions`, a WebSocket behind the console's secret): the page starts and
 * stops subscriptions, each as a chosen caller (callers.ts), and the console runs each one on the sandbox's AppSync
 * real-time endpoint with AppSync's own protocol, as any client would
 * (https://docs.aws.amazon.com/appsync/latest/devguide/real-time-websocket-client.html): a `wss` connection whose
 * header object carries the caller's credentials (an IAM caller signs `POST /graphql/connect` with body `{}`),
 * `connection_init` → `connection_ack`, then `start` with the `authorization` extension (IAM: signed over the `data`
 * string) → `start_ack`, `data`… and `stop` → `complete`. AppSync authenticates and authorizes it as any subscription.
 *
 * Page → console:  `{type: 'start', id, query, variables?, operationName?, as?}`, `{type: 'stop', id}`
 * Console → page:  `{type: 'start_ack', id}`, `{type: 'data', id, payload}` (AppSync's payload as it came),
 *                  `{type: 'error', id?, errors: [{errorType, message, …}]}` (AppSync's errors, or the console's),
 *                  `{type: 'complete', id}`
 * An `error` ends that subscription. When the page goes, its subscriptions and connections go with it.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { CONSOLE_INTERNAL, consoleBadRequest, consoleDuplicateSubscription, consoleRealtimeClosed, consoleRealtimeFailed, consoleTooManySubscriptions, type ConsoleError } from '../errors.js';
import type { LineLogger } from '../sandbox/log.js';
import { parseCaller, type Caller, type Callers } from './callers.js';
import { ConsoleFailure, optionalObject, requiredString, type SocketRoute } from './http.js';

export const SUBSCRIPTIONS_PATH = '/api/subscriptions';
/** Subscriptions one page may have open at once (each is its own real-time connection). */
export const MAX_SUBSCRIPTIONS_PER_PAGE = 10;
/** The largest message a page may send (a query and its variables). */
const MAX_PAGE_MESSAGE_BYTES = 256 * 1024;
/** A page this far behind in reading its results is dropped rather than let the console buffer for it. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** The headers AWS's real-time clients sign with IAM (with `host`), besides the credentials. */
const IAM_REALTIME_HEADERS = { accept: 'application/json, text/javascript', 'content-encoding': 'amz-1.0', 'content-type': 'application/json; charset=UTF-8' };

export interface SubscriptionTarget {
  /** AppSync's real-time URL (`AppSyncServer.realtimeUrl`) and GraphQL URL. */
  appsync: () => { realtimeUrl: string } | undefined;
  /** The sandbox's CA (PEM), which signed AppSync's certificate. */
  ca: string;
  callers: Callers;
  log: LineLogger;
}

type PageFrame =
  | { type: 'start_ack'; id: string }
  | { type: 'data'; id: string; payload: unknown }
  | { type: 'error'; id?: string; errors: unknown[] }
  | { type: 'complete'; id: string };

type StartRequest = { id: string; query: string; variables: Record<string, unknown> | undefined; operationName: string | undefined; caller: Caller };

const consoleErrors = (error: ConsoleError): unknown[] => [{ errorType: error.code, message: error.message }];

/**
 * Where the console reaches AppSync's real-time endpoint: its URL, but on loopback when AppSync listens on every
 * address (`--host 0.0.0.0`), which the sandbox's certificate does not name. The header objects name the same host.
 */
export function realtimeEndpoint(realtimeUrl: string): URL {
  const url = new URL(realtimeUrl);
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  if (url.hostname === '[::]') url.hostname = '[::1]';
  return url;
}

/** One subscription: its own real-time connection to AppSync, as its caller. */
class Upstream {
  private socket: WebSocket | undefined;
  private readonly upstreamId = randomUUID();
  private ended = false;
  private stopping = false;
  /** AppSync acknowledged the start (so a `stop` is answered with `complete`). */
  private acknowledged = false;

  constructor(
    private readonly request: StartRequest,
    private readonly target: SubscriptionTarget,
    private readonly send: (frame: PageFrame) => void,
    private readonly onEnd: () => void,
  ) {}

  async open(): Promise<void> {
    const appsync = this.target.appsync();
    if (appsync === undefined) return this.fail(consoleErrors(consoleBadRequest('AppSync is not running.')));
    const { caller } = this.request;
    const endpoint = realtimeEndpoint(appsync.realtimeUrl);
    const { host } = endpoint;
    // The GraphQL path the real-time endpoint hangs off (`/graphql/realtime` → `/graphql`): what IAM signs.
    const graphqlPath = endpoint.pathname.replace(/\/realtime$/, '');
    const signed = caller.kind === 'iam' ? IAM_REALTIME_HEADERS : {};
    const data = JSON.stringify({ query: this.request.query, variables: this.request.variables ?? {}, ...(this.request.operationName ? { operationName: this.request.operationName } : {}) });
    let connectHeader: Record<string, string>;
    let startHeader: Record<string, string>;
    try {
      connectHeader = await this.target.callers.headers(caller, { host, path: `${graphqlPath}/connect`, body: '{}', headers: signed });
      startHeader = await this.target.callers.headers(caller, { host, path: graphqlPath, body: data, headers: signed });
    } catch (error) {
      if (error instanceof ConsoleFailure) return this.fail(consoleErrors(error.error));
      throw error;
    }
    if (this.ended) return;
    const encoded = Buffer.from(JSON.stringify(connectHeader)).toString('base64url');
    const socket = new WebSocket(endpoint, ['graphql-ws', `header-${encoded}`], { ca: this.target.ca });
    this.socket = socket;
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (raw) => {
      let frame: { type?: string; id?: string; payload?: { errors?: unknown[] } & Record<string, unknown> };
      try {
        frame = JSON.parse(String(raw)) as typeof frame;
      } catch {
        return;
      }
      switch (frame.type) {
        case 'connection_ack':
          socket.send(JSON.stringify({ id: this.upstreamId, type: 'start', payload: { data, extensions: { authorization: startHeader } } }));
          return;
        case 'start_ack':
          this.acknowledged = true;
          this.send({ type: 'start_ack', id: this.request.id });
          return;
        case 'data':
          this.send({ type: 'data', id: this.request.id, payload: frame.payload });
          return;
        case 'connection_error':
        case 'error':
          return this.fail(frame.payload?.errors ?? []);
        case 'complete':
          return this.end({ type: 'complete', id: this.request.id });
        default:
          return; // ka
      }
    });
    socket.on('close', (code) => this.fail(consoleErrors(consoleRealtimeClosed(code))));
    socket.on('error', (error) => this.fail(consoleErrors(consoleRealtimeFailed(error.message))));
  }

  /**
   * Stops the subscription as a client does (`stop`, then AppSync's `complete`); one AppSync has not acknowledged yet
   * ends with its connection.
   */
  stop(): void {
    if (this.ended) return;
    this.stopping = true;
    if (this.acknowledged && this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ type: 'stop', id: this.upstreamId }));
    else this.end({ type: 'complete', id: this.request.id });
  }

  /** Ends without telling the page (it has gone). */
  close(): void {
    this.ended = true;
    this.socket?.close();
  }

  private fail(errors: unknown[]): void {
    this.end({ type: 'error', id: this.request.id, errors });
  }

  private end(frame: PageFrame): void {
    if (this.ended) return;
    this.ended = true;
    this.socket?.close();
    // A subscription the page stopped completes, whatever way its connection ends.
    this.send(this.stopping ? { type: 'complete', id: this.request.id } : frame);
    this.onEnd();
  }
}

/** The page's message as a start or stop; a ConsoleFailure for anything else. */
function parsePageMessage(text: string): { type: 'start'; request: StartRequest } | { type: 'stop'; id: string } {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    throw new ConsoleFailure(consoleBadRequest('A message must be JSON.'));
  }
  if (message === null || typeof message !== 'object' || Array.isArray(message)) throw new ConsoleFailure(consoleBadRequest('A message must be a JSON object.'));
  const body = message as Record<string, unknown>;
  const id = requiredString(body, 'id');
  if (id.length > 128) throw new ConsoleFailure(consoleBadRequest('id must be at most 128 characters.'));
  if (body['type'] === 'stop') return { type: 'stop', id };
  if (body['type'] !== 'start') throw new ConsoleFailure(consoleBadRequest('type must be "start" or "stop".'));
  const operationName = body['operationName'];
  return {
    type: 'start',
    request: {
      id,
      query: requiredString(body, 'query'),
      variables: optionalObject(body, 'variables'),
      operationName: typeof operationName === 'string' && operationName !== '' ? operationName : undefined,
      caller: parseCaller(optionalObject(body, 'as')),
    },
  };
}

function relay(page: WebSocket, target: SubscriptionTarget): void {
  const open = new Map<string, Upstream>();
  const send = (frame: PageFrame) => {
    if (page.readyState !== WebSocket.OPEN) return;
    if (page.bufferedAmount > MAX_BUFFERED_BYTES) return void page.close(1013, 'too far behind');
    page.send(JSON.stringify(frame));
  };
  page.on('message', (raw) => {
    let message: ReturnType<typeof parsePageMessage>;
    try {
      message = parsePageMessage(String(raw));
    } catch (error) {
      if (!(error instanceof ConsoleFailure)) throw error;
      const id = (() => {
        try {
          const parsed = JSON.parse(String(raw)) as { id?: unknown };
          return typeof parsed.id === 'string' ? parsed.id : undefined;
        } catch {
          return undefined;
        }
      })();
      return send({ type: 'error', ...(id === undefined ? {} : { id }), errors: consoleErrors(error.error) });
    }
    if (message.type === 'stop') {
      const upstream = open.get(message.id);
      if (upstream) upstream.stop();
      else send({ type: 'complete', id: message.id });
      return;
    }
    const { request } = message;
    if (open.has(request.id)) return send({ type: 'error', id: request.id, errors: consoleErrors(consoleDuplicateSubscription(request.id)) });
    if (open.size >= MAX_SUBSCRIPTIONS_PER_PAGE) return send({ type: 'error', id: request.id, errors: consoleErrors(consoleTooManySubscriptions(MAX_SUBSCRIPTIONS_PER_PAGE)) });
    const upstream = new Upstream(request, target, send, () => {
      if (open.get(request.id) === upstream) open.delete(request.id);
    });
    open.set(request.id, upstream);
    upstream.open().catch((error: unknown) => {
      open.delete(request.id);
      upstream.close();
      target.log(`[console] subscription ${request.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, 'error');
      send({ type: 'error', id: request.id, errors: consoleErrors(CONSOLE_INTERNAL) });
    });
  });
  const closeAll = () => {
    for (const upstream of open.values()) upstream.close();
    open.clear();
  };
  page.on('close', closeAll);
  page.on('error', closeAll);
}

export function subscriptionsSocket(target: SubscriptionTarget): SocketRoute {
  return { path: SUBSCRIPTIONS_PATH, maxPayload: MAX_PAGE_MESSAGE_BYTES, accept: (ws) => relay(ws, target) };
}
