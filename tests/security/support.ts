/**
 * Shared scaffolding of the security suite (tests/security): users in the sandbox's real user pool, raw GraphQL over
 * HTTPS (fetch, trusting the test CA through NODE_EXTRA_CA_CERTS), IAM-signed "operator" calls with a backend
 * function's local credentials, and a raw AppSync real-time client over `ws` that records every byte it receives.
 *
 * Synchronisation is by responses and frames only. A non-delivery is proved with a later event that must arrive on
 * the same socket (the fence): frames on one socket are ordered, so anything wrongly delivered would have come first.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { functionCredentials } from '../../offline/aws-endpoints/credentials';
import { srpSignIn } from '../helpers/cognito-pool';
import type { TestSandbox } from '../offline/helpers';

export const PASSWORD = 'Correct-Horse-9';

export interface SignedInUser {
  email: string;
  sub: string;
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

export function clientId(env: TestSandbox): string {
  const client = env.sandbox.description.userPool.clients[0];
  if (!client) throw new Error('the user pool has no app client');
  return client.id;
}

/** Self sign-up + confirmation through the pool's API: the PostConfirmation trigger creates the directory profile. */
export async function signUpUser(env: TestSandbox, email: string): Promise<void> {
  const pool = env.sandbox.userPool;
  await pool.call('SignUp', { ClientId: clientId(env), Username: email, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] });
  await pool.call('ConfirmSignUp', { ClientId: clientId(env), Username: email, ConfirmationCode: pool.lastCodeFor(email) });
}

/** An administrator-created user (AdminCreateUser + a permanent password): no PostConfirmation, so no profile. */
export async function adminCreateUser(env: TestSandbox, email: string): Promise<void> {
  const pool = env.sandbox.userPool;
  await pool.call('AdminCreateUser', { UserPoolId: pool.id, Username: email, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }] });
  await pool.call('AdminSetUserPassword', { UserPoolId: pool.id, Username: email, Password: PASSWORD, Permanent: true });
}

/** USER_SRP_AUTH through the pool's API (the flow the stock client uses; the app client allows no other). */
export async function signInUser(env: TestSandbox, email: string): Promise<SignedInUser> {
  const out = await srpSignIn(env.sandbox.userPool, email, PASSWORD, { clientId: clientId(env) });
  const result = out.AuthenticationResult as { AccessToken: string; IdToken: string; RefreshToken: string };
  const sub = JSON.parse(Buffer.from(result.AccessToken.split('.')[1]!, 'base64url').toString('utf8')).sub as string;
  return { email, sub, accessToken: result.AccessToken, idToken: result.IdToken, refreshToken: result.RefreshToken };
}

/** POSTs `body` to `url` with a SigV4 signature for `service` (the sandbox checks the access key id, not the signature). */
async function signedPost(
  url: URL,
  credentials: { accessKeyId: string; secretAccessKey: string },
  region: string,
  service: string,
  headers: Record<string, string>,
  body: string,
): Promise<Response> {
  const signer = new SignatureV4({ credentials, region, service, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: {},
    headers: { host: url.host, ...headers },
    body,
  });
  return fetch(url, { method: 'POST', headers: signed.headers, body });
}

/** A Cognito admin API call over HTTP, as an operator's SDK would send it (SigV4-shaped; the sandbox does not check the signature). */
export async function cognitoAdmin(env: TestSandbox, operation: string, input: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await signedPost(
    new URL(env.sandbox.urls.cognito),
    { accessKeyId: 'AKIAOPERATOR00000001', secretAccessKey: 'operator-secret' },
    env.sandbox.description.region,
    'cognito-idp',
    { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
    JSON.stringify(input),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

// ------------------------------------------------------------------------------------------------------------------
// GraphQL over HTTPS
// ------------------------------------------------------------------------------------------------------------------

export interface GraphQLAnswer {
  status: number;
  text: string;
  json: { data?: Record<string, unknown> | null; errors?: { message: string; errorType?: string | null; path?: unknown }[] } & Record<string, unknown>;
}

/** POSTs `{query, variables}` with the raw token in Authorization (no token: no header), as Amplify does. */
export async function graphql(env: TestSandbox, token: string | undefined, query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer> {
  return postBody(env, token, JSON.stringify({ query, variables }));
}

export async function postBody(env: TestSandbox, token: string | undefined, body: string, headers: Record<string, string> = {}): Promise<GraphQLAnswer> {
  const response = await fetch(env.sandbox.urls.graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: token }), ...headers },
    body,
  });
  const text = await response.text();
  let json: GraphQLAnswer['json'];
  try {
    json = JSON.parse(text) as GraphQLAnswer['json'];
  } catch {
    json = {};
  }
  return { status: response.status, text, json };
}

/** An IAM-signed (SigV4, service appsync) request with a backend function's local credentials: an operator or Lambda write. */
export async function graphqlAsFunction(env: TestSandbox, functionName: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer> {
  const credentials = functionCredentials(functionName, env.sandbox.description.accountId);
  const response = await signedPost(
    new URL(env.sandbox.urls.graphql),
    { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    env.sandbox.description.region,
    'appsync',
    { 'content-type': 'application/json' },
    JSON.stringify({ query, variables }),
  );
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) as GraphQLAnswer['json'] };
}

/** The whole-request 401 body of AppSync, its answer to a missing or invalid token. */
export const UNAUTHORIZED_BODY = { errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }] };

// ------------------------------------------------------------------------------------------------------------------
// Real-time
// ------------------------------------------------------------------------------------------------------------------

export interface Frame {
  type: string;
  id?: string;
  payload?: Record<string, unknown>;
}

export function apiHost(env: TestSandbox): string {
  return new URL(env.sandbox.urls.graphql).host;
}

/** The header object Amplify v6 sends for user pools: `{Authorization: <JWT>, host: <API host>}`. */
export function userHeader(env: TestSandbox, token: string): Record<string, unknown> {
  return { Authorization: token, host: apiHost(env) };
}

/**
 * A raw AppSync real-time client (`ws`). Every received frame (text or binary) is kept verbatim in `received`;
 * frames are also routed: `next()` yields connection-level frames in order, `answer(id)` the start's answer
 * (start_ack or error), `data(id)` the data frames of a subscription.
 */
export class RealtimeSocket {
  /** Every frame received on this socket, verbatim, in order. */
  readonly received: string[] = [];
  /** Every message sent on this socket (the handshake's header object included), in order. */
  readonly sent: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly connectionFrames: Frame[] = [];
  private readonly connectionWaiters: ((frame: Frame) => void)[] = [];
  private readonly answers = new Map<string, Frame>();
  private readonly answerWaiters = new Map<string, (frame: Frame) => void>();
  private readonly dataFrames = new Map<string, Frame[]>();
  private readonly dataWaiters: { id: string; predicate: (frame: Frame) => boolean; resolve: (frame: Frame) => void }[] = [];
  /** Frames without an id other than keep-alives (e.g. errors for unparsable messages). */
  readonly anonymousErrors: Frame[] = [];
  private anonymousWaiters: ((frame: Frame) => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const raw = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
      this.received.push(isBinary ? `<binary>${raw}` : raw);
      this.route(JSON.parse(raw) as Frame);
    });
    ws.on('error', () => undefined);
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })));
  }

  /** Opens a socket (Form B by default: `graphql-ws` + `header-<base64url>`); does not send connection_init. */
  static async open(env: TestSandbox, header: Record<string, unknown> | undefined, options: { protocols?: string[]; url?: string } = {}): Promise<RealtimeSocket> {
    const protocols = options.protocols ?? ['graphql-ws', ...(header ? [`header-${Buffer.from(JSON.stringify(header)).toString('base64url')}`] : [])];
    const ws = new WebSocket(options.url ?? env.sandbox.urls.realtime, protocols);
    const socket = new RealtimeSocket(ws);
    socket.sent.push(JSON.stringify({ handshake: header ?? null }));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return socket;
  }

  /** Opens a Form B socket and completes connection_init (connection_ack, then the immediate ka). */
  static async connect(env: TestSandbox, token: string): Promise<RealtimeSocket> {
    const socket = await RealtimeSocket.open(env, userHeader(env, token));
    const first = await socket.init();
    if (first.type !== 'connection_ack') throw new Error(`expected connection_ack, got ${JSON.stringify(first)}`);
    return socket;
  }

  /** Sends connection_init; resolves with the first connection-level answer (connection_ack or connection_error). */
  init(): Promise<Frame> {
    this.send({ type: 'connection_init' });
    return this.next();
  }

  private route(frame: Frame): void {
    if (frame.type === 'ka') return;
    const id = frame.id;
    if (id !== undefined && (frame.type === 'start_ack' || frame.type === 'error')) {
      const waiter = this.answerWaiters.get(id);
      if (waiter) {
        this.answerWaiters.delete(id);
        waiter(frame);
      } else this.answers.set(id, frame);
      return;
    }
    if (id !== undefined && (frame.type === 'data' || frame.type === 'complete')) {
      const list = this.dataFrames.get(id) ?? [];
      list.push(frame);
      this.dataFrames.set(id, list);
      for (const waiter of [...this.dataWaiters]) {
        if (waiter.id === id && waiter.predicate(frame)) {
          this.dataWaiters.splice(this.dataWaiters.indexOf(waiter), 1);
          waiter.resolve(frame);
        }
      }
      return;
    }
    if (frame.type === 'error') {
      this.anonymousErrors.push(frame);
      const waiters = this.anonymousWaiters;
      this.anonymousWaiters = [];
      for (const waiter of waiters) waiter(frame);
      return;
    }
    const waiter = this.connectionWaiters.shift();
    if (waiter) waiter(frame);
    else this.connectionFrames.push(frame);
  }

  send(message: unknown): void {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    this.sent.push(text);
    this.ws.send(text);
  }

  /** The next connection-level frame (connection_ack, connection_error, …). */
  next(): Promise<Frame> {
    const frame = this.connectionFrames.shift();
    if (frame) return Promise.resolve(frame);
    return new Promise((resolve) => this.connectionWaiters.push(resolve));
  }

  /** The next error frame without an id (answers to garbage). */
  nextAnonymousError(): Promise<Frame> {
    const seen = this.anonymousErrors.length;
    return new Promise((resolve) => {
      const check = (): void => {
        const frame = this.anonymousErrors[seen];
        if (frame) resolve(frame);
        else this.anonymousWaiters.push(check);
      };
      check();
    });
  }

  /** Sends `start` (authorization `null` omits `payload.extensions`) and resolves with its answer frame. */
  start(id: string, query: string, variables: Record<string, unknown> | undefined, authorization: Record<string, unknown> | null): Promise<Frame> {
    const answer = this.answer(id);
    this.send({ id, type: 'start', payload: { data: JSON.stringify({ query, variables }), ...(authorization ? { extensions: { authorization } } : {}) } });
    return answer;
  }

  answer(id: string): Promise<Frame> {
    const known = this.answers.get(id);
    if (known) {
      this.answers.delete(id);
      return Promise.resolve(known);
    }
    return new Promise((resolve) => this.answerWaiters.set(id, resolve));
  }

  /** Data (and complete) frames received so far for subscription `id`. */
  framesOf(id: string): Frame[] {
    return this.dataFrames.get(id) ?? [];
  }

  /** Resolves with the first data frame of subscription `id` that satisfies `predicate` (already received or future). */
  waitForData(id: string, predicate: (frame: Frame) => boolean = () => true): Promise<Frame> {
    const known = this.framesOf(id).find(predicate);
    if (known) return Promise.resolve(known);
    return new Promise((resolve) => this.dataWaiters.push({ id, predicate, resolve }));
  }

  close(): void {
    this.ws.close();
  }
}

export const newId = (): string => randomUUID();

/** Errors of an `error` frame as an array (AppSync sends an object for MaxSubscriptionsReachedError). */
export function frameErrors(frame: Frame): { errorType?: string; message: string }[] {
  const errors = frame.payload?.['errors'];
  if (Array.isArray(errors)) return errors as { errorType?: string; message: string }[];
  return errors ? [errors as { errorType?: string; message: string }] : [];
}
