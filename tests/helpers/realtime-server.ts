/**
 * Test scaffolding for the real-time transport: an HTTPS server with the sandbox certificate, a stub
 * `RealtimeBackend` that records every call, and a raw `ws` client that reads frames in order.
 * Synchronisation is by events (frames, recorded calls), never by sleeping.
 */
import { EventEmitter, once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket, type ClientOptions } from 'ws';
import { loadOrCreateCertificate, type LocalCertificate } from '../../offline/tls/certificate';
import type { AuthResult, RealtimeBackend, RealtimeRequest, StartSubscriptionArgs, StartSubscriptionResult } from '../../offline/realtime/backend';
import { attachRealtimeServer, type RealtimeServer, type RealtimeServerOptions } from '../../offline/realtime/server';

export const GOOD_TOKEN = 'good';

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

/**
 * Accepts `Authorization: good`, refuses anything else. `startSubscription` accepts documents
 * selecting `onX` (and `onSlow`, which waits for `releaseSlowStart`), with the start's own authorization.
 */
export class StubBackend extends EventEmitter implements RealtimeBackend {
  readonly authentications: { header: Record<string, unknown>; request: RealtimeRequest }[] = [];
  readonly starts: StartSubscriptionArgs[] = [];
  readonly stops: { connectionId: string; subscriptionId: string }[] = [];
  readonly closedConnections: string[] = [];
  private slowStart = deferred<void>();

  async authenticateConnection(header: Record<string, unknown>, request: RealtimeRequest): Promise<AuthResult> {
    this.authentications.push({ header, request });
    this.emit('authenticate', header, request);
    if (header.Authorization === GOOD_TOKEN) return { ok: true, identity: { user: 'good-user' } };
    return { ok: false, errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.', errorCode: 401 };
  }

  async startSubscription(args: StartSubscriptionArgs): Promise<StartSubscriptionResult> {
    this.starts.push(args);
    this.emit('start', args);
    if (args.authorization.Authorization !== GOOD_TOKEN) {
      return { ok: false, errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }] };
    }
    if (/\bonSlow\b/.test(args.query)) await this.slowStart.promise;
    if (!/^\s*subscription\b[^{]*\{\s*on(X|Slow)\b/.test(args.query)) {
      return { ok: false, errors: [{ message: "Validation error of type FieldUndefined: Field 'onY' in type 'Subscription' is undefined" }] };
    }
    return { ok: true };
  }

  releaseSlowStart(): void {
    this.slowStart.resolve();
    this.slowStart = deferred<void>();
  }

  stopSubscription(connectionId: string, subscriptionId: string): void {
    this.stops.push({ connectionId, subscriptionId });
    this.emit('stop', connectionId, subscriptionId);
  }

  connectionClosed(connectionId: string): void {
    this.closedConnections.push(connectionId);
    this.emit('closed', connectionId);
  }

  /** Resolves with the first recorded (or future) event value matching `predicate`. */
  async waitFor<T>(event: 'start' | 'closed' | 'stop' | 'authenticate', recorded: T[], predicate: (value: T) => boolean = () => true): Promise<T> {
    const existing = recorded.find(predicate);
    if (existing !== undefined) return existing;
    return new Promise<T>((done) => {
      const listener = (): void => {
        const found = recorded.find(predicate);
        if (found === undefined) return;
        this.off(event, listener);
        done(found);
      };
      this.on(event, listener);
    });
  }
}

export interface TestServer {
  port: number;
  /** `https://127.0.0.1:<port>/graphql` */
  graphqlUrl: string;
  /** `wss://127.0.0.1:<port>/graphql/realtime` */
  realtimeUrl: string;
  realtime: RealtimeServer;
  backend: StubBackend;
  certificate: LocalCertificate;
  https: Server;
  close(): Promise<void>;
}

let sharedCertificate: Promise<LocalCertificate> | undefined;

export function testCertificate(): Promise<LocalCertificate> {
  sharedCertificate ??= mkdtemp(join(tmpdir(), 'realtime-tls-')).then((directory) => loadOrCreateCertificate(directory));
  return sharedCertificate;
}

export async function startTestServer(options: Partial<Omit<RealtimeServerOptions, 'server' | 'backend'>> = {}): Promise<TestServer> {
  const certificate = await testCertificate();
  const https = createServer({ key: certificate.key, cert: certificate.cert }, (_req, res) => {
    res.writeHead(404).end();
  });
  const backend = new StubBackend();
  const realtime = attachRealtimeServer({ server: https, backend, ...options });
  https.listen(0, '127.0.0.1');
  await once(https, 'listening');
  const { port } = https.address() as AddressInfo;
  return {
    port,
    graphqlUrl: `https://127.0.0.1:${port}/graphql`,
    realtimeUrl: `wss://127.0.0.1:${port}/graphql/realtime`,
    realtime,
    backend,
    certificate,
    https,
    async close() {
      await realtime.close({ graceMs: 100 });
      https.closeAllConnections();
      await new Promise<void>((done) => https.close(() => done()));
    },
  };
}

export function base64Url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export interface Frame {
  raw: string;
  json: Record<string, unknown>;
}

/** A raw `ws` client that queues incoming frames so tests can read them strictly in order. */
export class FrameClient {
  private readonly frames: Frame[] = [];
  private readonly waiters: ((frame: Frame) => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<void>;
  /** `Sec-WebSocket-Protocol` of the 101 response. */
  responseProtocol: string | undefined;

  constructor(readonly ws: WebSocket) {
    ws.on('upgrade', (response) => {
      const value = response.headers['sec-websocket-protocol'];
      this.responseProtocol = Array.isArray(value) ? value.join(',') : value;
    });
    ws.on('message', (data, isBinary) => {
      const raw = Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
      const frame: Frame = { raw: isBinary ? `<binary>${raw}` : raw, json: JSON.parse(raw) as Record<string, unknown> };
      const waiter = this.waiters.shift();
      if (waiter) waiter(frame);
      else this.frames.push(frame);
    });
    this.closed = new Promise((done) => ws.on('close', (code, reason) => done({ code, reason: reason.toString('utf8') })));
    this.opened = new Promise((done, fail) => {
      ws.once('open', () => done());
      ws.once('error', fail);
    });
    this.opened.catch(() => undefined); // tests that expect a failed upgrade look at other events
    ws.on('error', () => undefined);
  }

  static open(url: string, protocols: string[] | undefined, certificate: LocalCertificate, options: ClientOptions = {}): FrameClient {
    return new FrameClient(new WebSocket(url, protocols, { ca: certificate.ca, ...options }));
  }

  next(): Promise<Frame> {
    const queued = this.frames.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((done) => this.waiters.push(done));
  }

  /** Next frame that is not a keep-alive. */
  async nextNonKa(): Promise<Frame> {
    for (;;) {
      const frame = await this.next();
      if (frame.json.type !== 'ka') return frame;
    }
  }

  send(value: unknown): void {
    this.ws.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  /** connection_init, then expect connection_ack and the immediate ka. */
  async init(): Promise<void> {
    this.send({ type: 'connection_init' });
    const ack = await this.next();
    if (ack.json.type !== 'connection_ack') throw new Error(`expected connection_ack, got ${ack.raw}`);
    const ka = await this.next();
    if (ka.json.type !== 'ka') throw new Error(`expected ka, got ${ka.raw}`);
  }

  /** `authorization: null` sends a start without `payload.extensions`. */
  start(
    id: string,
    query = 'subscription OnX { onX { id } }',
    authorization: Record<string, unknown> | null = { Authorization: GOOD_TOKEN, host: 'x' },
    variables?: Record<string, unknown>,
  ): void {
    this.send({
      id,
      type: 'start',
      payload: { data: JSON.stringify({ query, variables }), ...(authorization ? { extensions: { authorization } } : {}) },
    });
  }
}

/** Opens a Form B socket with `Authorization: good`, completes connection_init. */
export async function openReadyClient(server: TestServer, token = GOOD_TOKEN): Promise<FrameClient> {
  const client = FrameClient.open(server.realtimeUrl, ['graphql-ws', `header-${base64Url({ Authorization: token, host: `127.0.0.1:${server.port}` })}`], server.certificate);
  await client.opened;
  await client.init();
  return client;
}
