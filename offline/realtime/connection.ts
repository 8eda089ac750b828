/**
 * One accepted real-time socket: the AppSync `graphql-ws` state machine
 * (https://docs.aws.amazon.com/appsync/latest/devguide/real-time-websocket-client.html) on top of a `ws` WebSocket.
 *
 *   awaiting_init ──connection_init──▶ authenticating ──ok──▶ ready ──…──▶ closed
 *                                          └──fail──▶ connection_error, close
 *
 * Every outbound frame goes through `send`, which bounds the socket's send buffer: a consumer that
 * falls more than `maxBufferedBytes` behind is disconnected (close 1008) instead of buffering forever.
 */
import { WebSocket, type RawData } from 'ws';
import type { AppSyncError, AuthResult, RealtimeBackend, RealtimeLogger, RealtimeRequest } from './backend';
import type { Handshake } from './handshake';
import {
  KA_FRAME,
  completeFrame,
  connectionAckFrame,
  connectionErrorFrame,
  dataFrame,
  dataFramePrefix,
  errorFrame,
  parseClientMessage,
  startAckFrame,
  type ClientMessage,
} from './protocol-messages';
import {
  BINARY_FRAME_TEXT,
  CLOSE_REASONS,
  START_BEFORE_ACK_TEXT,
  badRequest,
  connectionInternalFailure,
  connectionRefused,
  duplicatedOperation,
  internalFailure,
  maxSubscriptionsReached,
  subProtocolNotSupported,
  unauthorizedConnection,
  unsupportedOperation,
} from '../errors.js';

export interface ConnectionSettings {
  keepAliveIntervalMs: number;
  connectionTimeoutMs: number;
  maxSubscriptionsPerConnection: number;
  maxBufferedBytes: number;
  connectionInitTimeoutMs: number;
}

export interface ConnectionDependencies {
  backend: RealtimeBackend;
  logger: RealtimeLogger;
  settings: ConnectionSettings;
  /** Result of an authentication done at the upgrade (authFailure: 'http-401'); otherwise done at connection_init. */
  preAuthenticated: AuthResult | undefined;
  /** Called once, when the connection stops accepting work (before or at the socket's close). */
  onTeardown: (connection: RealtimeConnection) => void;
}

export const CLOSE_CODES = {
  normal: 1000,
  goingAway: 1001,
  policyViolation: 1008,
} as const;

/** Pipelined messages kept while connection_init is authenticated (a client may send starts right behind it). */
const MAX_QUEUED_DURING_AUTH = 256;

type State = 'awaiting_init' | 'authenticating' | 'ready' | 'closed';

interface Subscription {
  status: 'pending' | 'active';
  stopRequested: boolean;
  /** The start of every `data` frame of this subscription (`dataFramePrefix`). */
  framePrefix: string;
}

/** Every AppSync frame is JSON text: Buffers go out as text frames too. */
const TEXT_FRAME = { binary: false } as const;

export class RealtimeConnection {
  private state: State = 'awaiting_init';
  private readonly subscriptions = new Map<string, Subscription>();
  /** Messages that arrive while connection_init is being authenticated, replayed after the ack. */
  private queuedDuringAuth: ClientMessage[] = [];
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private initTimer: NodeJS.Timeout | undefined;
  private identity: unknown;
  private tornDown = false;
  private readonly openedAt = Date.now();

  constructor(
    readonly id: string,
    private readonly ws: WebSocket,
    private readonly request: RealtimeRequest,
    private readonly handshake: Handshake,
    private readonly deps: ConnectionDependencies,
  ) {
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', (code, reason) => this.onSocketClose(code, reason.toString('utf8')));
    // ws emits 'error' for protocol violations (e.g. a frame over maxPayload) and then closes; listening keeps the process alive.
    ws.on('error', (error) => this.deps.logger.warn('realtime socket error', { connectionId: id, error: error.message }));
    this.initTimer = setTimeout(() => {
      if (this.state === 'awaiting_init' || this.state === 'authenticating') {
        this.closeWith(CLOSE_CODES.policyViolation, CLOSE_REASONS.initTimeout);
      }
    }, deps.settings.connectionInitTimeoutMs).unref();
    this.deps.logger.info('realtime connection open', {
      connectionId: id,
      remoteAddress: request.remoteAddress,
      form: handshake.form,
      graphqlWs: handshake.graphqlWsOffered,
    });
  }

  get subscriptionCount(): number {
    return this.subscriptions.size;
  }

  /** Sends a `data` frame for an active subscription. False if unknown/not yet acknowledged, or the socket is gone or saturated. */
  deliver(subscriptionId: string, serializedPayload: Buffer | string): boolean {
    const subscription = this.subscriptions.get(subscriptionId);
    if (subscription?.status !== 'active') return false;
    return this.send(dataFrame(subscriptionId, serializedPayload, subscription.framePrefix));
  }

  /** Server-side end of a subscription (as when AppSync invalidates a subscription): drop it and send `complete`. */
  invalidate(subscriptionId: string): boolean {
    if (this.subscriptions.get(subscriptionId)?.status !== 'active') return false;
    this.subscriptions.delete(subscriptionId);
    this.deps.logger.info('realtime subscription invalidated', { connectionId: this.id, subscriptionId });
    this.send(completeFrame(subscriptionId));
    return true;
  }

  /** Server-side end of an active subscription with an `error` frame (the backend could not keep serving it). */
  fail(subscriptionId: string, errors: AppSyncError[]): boolean {
    if (this.subscriptions.get(subscriptionId)?.status !== 'active') return false;
    this.subscriptions.delete(subscriptionId);
    this.sendError(subscriptionId, errors);
    return true;
  }

  /** Ends the connection from the server side (shutdown, policy). */
  closeWith(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
    this.teardown(`server closed: ${code} ${reason}`);
  }

  terminate(): void {
    this.ws.terminate();
    this.teardown('terminated');
  }

  // -------------------------------------------------------------------------------------------

  private send(frame: string | Buffer): boolean {
    if (this.tornDown || this.ws.readyState !== WebSocket.OPEN) return false;
    const size = typeof frame === 'string' ? Buffer.byteLength(frame, 'utf8') : frame.length;
    if (this.ws.bufferedAmount + size > this.deps.settings.maxBufferedBytes) {
      this.deps.logger.warn('realtime slow consumer disconnected', {
        connectionId: this.id,
        bufferedBytes: this.ws.bufferedAmount,
        limit: this.deps.settings.maxBufferedBytes,
      });
      // The close frame queues behind the unsent data; a merely slow reader still sees the reason.
      this.closeWith(CLOSE_CODES.policyViolation, CLOSE_REASONS.slowConsumer(this.deps.settings.maxBufferedBytes));
      return false;
    }
    this.ws.send(frame, TEXT_FRAME);
    return true;
  }

  private sendError(id: string | undefined, errors: AppSyncError[]): void {
    this.deps.logger.warn('realtime error', { connectionId: this.id, subscriptionId: id, errors });
    this.send(errorFrame(id, errors));
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.tornDown) return;
    if (isBinary) {
      this.sendError(undefined, [badRequest(BINARY_FRAME_TEXT)]);
      return;
    }
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.isBuffer(data)
        ? data.toString('utf8')
        : Buffer.from(data).toString('utf8');
    if (!this.handshake.graphqlWsOffered) {
      // AppSync answers a socket without the graphql-ws subprotocol with this connection_error.
      this.failConnection([subProtocolNotSupported()], CLOSE_REASONS.noSubprotocol);
      return;
    }
    this.dispatch(parseClientMessage(text));
  }

  private dispatch(message: ClientMessage): void {
    if (this.tornDown) return;
    if (this.state === 'authenticating' && message.type !== 'connection_init') {
      if (this.queuedDuringAuth.length >= MAX_QUEUED_DURING_AUTH) {
        this.closeWith(CLOSE_CODES.policyViolation, CLOSE_REASONS.tooManyBeforeAck);
        return;
      }
      this.queuedDuringAuth.push(message);
      return;
    }
    switch (message.type) {
      case 'connection_init':
        if (this.state === 'awaiting_init') void this.initialise();
        else if (this.state === 'ready') this.send(connectionAckFrame(this.deps.settings.connectionTimeoutMs));
        return;
      case 'start':
        if (this.state !== 'ready') {
          this.sendError(message.id, [badRequest(START_BEFORE_ACK_TEXT)]);
          return;
        }
        void this.start(message);
        return;
      case 'stop':
        this.stop(message.id);
        return;
      case 'invalid':
        this.sendError(message.id, [message.error]);
        return;
    }
  }

  private async initialise(): Promise<void> {
    this.state = 'authenticating';
    const result = await this.authenticate();
    if (this.tornDown) return;
    if (!result.ok) {
      this.failConnection([{ errorType: result.errorType, message: result.message, errorCode: result.errorCode }], CLOSE_REASONS.unauthorized);
      return;
    }
    this.identity = result.identity;
    this.state = 'ready';
    clearTimeout(this.initTimer);
    // Ack, then a ka at once, then periodically. AppSync sends the first ka right after the ack too, and Amplify v6
    // needs it: its last-keep-alive timestamp is not reset by the ack, so after a long idle gap its first heartbeat
    // check could see a stale value and disconnect again.
    this.send(connectionAckFrame(this.deps.settings.connectionTimeoutMs));
    this.send(KA_FRAME);
    this.keepAliveTimer = setInterval(() => this.send(KA_FRAME), this.deps.settings.keepAliveIntervalMs).unref();
    this.deps.logger.info('realtime connection acknowledged', { connectionId: this.id });
    const queued = this.queuedDuringAuth;
    this.queuedDuringAuth = [];
    for (const message of queued) this.dispatch(message);
  }

  private async authenticate(): Promise<AuthResult> {
    if (this.deps.preAuthenticated) return this.deps.preAuthenticated;
    const header = this.handshake.header;
    if (!header) {
      this.deps.logger.warn('realtime handshake without usable header', { connectionId: this.id, problem: this.handshake.problem });
      return { ok: false, ...connectionRefused(unauthorizedConnection().message) };
    }
    try {
      return await this.deps.backend.authenticateConnection(header, this.request);
    } catch (error) {
      this.deps.logger.error('realtime authenticateConnection threw', { connectionId: this.id, error: String(error) });
      return { ok: false, ...connectionInternalFailure() };
    }
  }

  /** `connection_error`, then close (Amplify v6 and aws-appsync-subscription-link close on it anyway). */
  private failConnection(errors: AppSyncError[], why: string): void {
    this.deps.logger.warn('realtime connection_error', { connectionId: this.id, why, errors });
    this.send(connectionErrorFrame(errors));
    this.closeWith(CLOSE_CODES.normal, why);
  }

  private async start(message: Extract<ClientMessage, { type: 'start' }>): Promise<void> {
    const { id } = message;
    // As AppSync: a reused id (pending or active) is a DuplicatedOperationError, a start past the per-connection
    // limit a MaxSubscriptionsReachedError.
    if (this.subscriptions.has(id)) return this.sendError(id, [duplicatedOperation(id)]);
    const limit = this.deps.settings.maxSubscriptionsPerConnection;
    if (this.subscriptions.size >= limit) return this.sendError(id, [maxSubscriptionsReached(limit)]);
    // Observed AppSync answer to a start whose authorization is not under payload.extensions.
    if (!message.authorization) return this.sendError(id, [unsupportedOperation('unknown')]);

    const subscription: Subscription = { status: 'pending', stopRequested: false, framePrefix: dataFramePrefix(id) };
    this.subscriptions.set(id, subscription);

    let result: Awaited<ReturnType<RealtimeBackend['startSubscription']>>;
    try {
      result = await this.deps.backend.startSubscription({
        connectionId: this.id,
        subscriptionId: id,
        query: message.query,
        variables: message.variables,
        operationName: message.operationName,
        rawData: message.rawData,
        authorization: message.authorization,
        connectionIdentity: this.identity,
        request: this.request,
      });
    } catch (error) {
      this.deps.logger.error('realtime startSubscription threw', { connectionId: this.id, subscriptionId: id, error: String(error) });
      result = { ok: false, errors: [internalFailure()] };
    }

    if (this.tornDown || this.subscriptions.get(id) !== subscription) {
      // The socket closed while the backend was working: undo a registration that outlived connectionClosed.
      if (result.ok) this.deps.backend.stopSubscription(this.id, id);
      return;
    }
    if (!result.ok) {
      this.subscriptions.delete(id);
      this.sendError(id, result.errors.length > 0 ? result.errors : [internalFailure()]);
      return;
    }
    subscription.status = 'active';
    this.deps.logger.info('realtime start', { connectionId: this.id, subscriptionId: id, subscriptions: this.subscriptions.size });
    this.send(startAckFrame(id));
    if (subscription.stopRequested) this.stop(id);
  }

  private stop(id: string): void {
    const subscription = this.subscriptions.get(id);
    if (!subscription) {
      this.deps.logger.info('realtime stop for unknown id', { connectionId: this.id, subscriptionId: id });
      return;
    }
    if (subscription.status === 'pending') {
      subscription.stopRequested = true; // finished once the start settles
      return;
    }
    this.subscriptions.delete(id);
    this.deps.backend.stopSubscription(this.id, id);
    this.deps.logger.info('realtime stop', { connectionId: this.id, subscriptionId: id });
    this.send(completeFrame(id));
  }

  private onSocketClose(code: number, reason: string): void {
    this.teardown(`socket closed: ${code}${reason ? ` ${reason}` : ''}`);
  }

  /** Idempotent: stop timers, forget subscriptions, tell the backend once. */
  private teardown(why: string): void {
    if (this.tornDown) return;
    this.tornDown = true;
    this.state = 'closed';
    clearTimeout(this.initTimer);
    clearInterval(this.keepAliveTimer);
    const subscriptions = this.subscriptions.size;
    this.subscriptions.clear();
    this.queuedDuringAuth = [];
    this.deps.onTeardown(this);
    try {
      this.deps.backend.connectionClosed(this.id);
    } catch (error) {
      this.deps.logger.error('realtime connectionClosed threw', { connectionId: this.id, error: String(error) });
    }
    this.deps.logger.info('realtime connection closed', {
      connectionId: this.id,
      why,
      subscriptions,
      durationMs: Date.now() - this.openedAt,
    });
  }
}
