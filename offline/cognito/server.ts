/**
 * HTTP front of the emulated user pool, speaking Cognito's wire protocol:
 * - `POST /` with `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>` and
 *   `Content-Type: application/x-amz-json-1.1`; success is 200 with the JSON output; failure is 400 (500 for
 *   faults) with `{"__type", "message"}` and `x-amzn-ErrorType`;
 * - `GET /<poolId>/.well-known/jwks.json` (and `openid-configuration`), the paths under the token issuer;
 * - other JSON 1.1 services by their `X-Amz-Target` prefix (`otherTargets`: the identity pool), same error shape;
 * - CORS as Cognito answers it: any origin, preflight allowing the headers aws-amplify sends — but not
 *   `Authorization`, so a web page cannot call the admin operations, which need a SigV4 `Authorization`
 *   header (structure only: the signature is not verified offline).
 * Malformed input (bad JSON, bodies over 1 MiB, unknown target) yields an AWS-shaped 400, never a crash.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { COGNITO_NOT_FOUND, CognitoError, internalError, malformedJsonBody, missingTarget, notACognitoOperation, requestBodyTooLarge, unsupportedContentType } from '../errors.js';
import { closeServer, listen, urlHost } from '../sandbox/http-server.js';
import type { UserPool } from './pool.js';

export const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
export const MAX_BODY_BYTES = 1024 * 1024;

/** Headers aws-amplify's Cognito client sends (plus the SDK's date/hash headers). */
const ALLOWED_HEADERS = [
  'content-type',
  'x-amz-target',
  'x-amz-user-agent',
  'cache-control',
  'amz-sdk-invocation-id',
  'amz-sdk-request',
  'x-amz-date',
  'x-amz-content-sha256',
];
const EXPOSED_HEADERS = ['x-amzn-RequestId', 'x-amzn-ErrorType', 'x-amzn-ErrorMessage', 'Date'];
const JSON_TYPES = new Set(['application/x-amz-json-1.1', 'application/x-amz-json-1.0', 'application/json']);

export interface CognitoHandlerOptions {
  /** Path prefix when mounted inside another server (e.g. `/cognito`); requests outside it are not ours. */
  basePath?: string;
  maxBodyBytes?: number;
  /**
   * Other AWS JSON 1.1 services answered on the same endpoint, by `X-Amz-Target` prefix (the identity pool's
   * `AWSCognitoIdentityService.`); read on every request. Their failures are `CognitoError`s too.
   */
  otherTargets?: ReadonlyMap<string, TargetHandler>;
}

/** One operation of a JSON 1.1 service: its result, or a thrown `CognitoError`. */
export type TargetHandler = (operation: string, input: unknown) => Promise<unknown>;

export type CognitoRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

function send(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
    'access-control-allow-origin': '*',
    'access-control-expose-headers': EXPOSED_HEADERS.join(', '),
    ...extra,
  });
  res.end(payload);
}

function sendError(res: ServerResponse, error: CognitoError, extra: Record<string, string> = {}): void {
  send(res, error.statusCode, error.toJSON(), {
    'x-amzn-errortype': `${error.code}:`,
    'x-amzn-errormessage': error.message.replace(/[^\x20-\x7e]/g, '?'),
    ...extra,
  });
}

/**
 * Reads the body, keeping at most `limit` bytes; past the limit the rest is read and discarded so that the
 * error answer is sent after the whole request (answering mid-upload and closing can make the client see a
 * connection reset instead of the 400).
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => resolve(size > limit ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The request handler, for mounting on another `node:http`/`node:https` server. */
export function createCognitoHandler(pool: UserPool, options: CognitoHandlerOptions = {}): CognitoRequestHandler {
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const limit = options.maxBodyBytes ?? MAX_BODY_BYTES;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (basePath !== '' && url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
      send(res, 404, COGNITO_NOT_FOUND);
      return;
    }
    const path = url.pathname.slice(basePath.length) || '/';

    if (req.method === 'OPTIONS') {
      res.writeHead(200, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'POST, GET, OPTIONS',
        'access-control-allow-headers': ALLOWED_HEADERS.join(', '),
        'access-control-expose-headers': EXPOSED_HEADERS.join(', '),
        'access-control-max-age': '86400',
        'content-length': '0',
      });
      res.end();
      return;
    }

    if (req.method === 'GET') {
      if (path === `/${pool.id}/.well-known/jwks.json`) return send(res, 200, pool.jwks(), { 'content-type': 'application/json' });
      if (path === `/${pool.id}/.well-known/openid-configuration`) {
        return send(res, 200, pool.openIdConfiguration(), { 'content-type': 'application/json' });
      }
      return send(res, 404, COGNITO_NOT_FOUND, { 'content-type': 'application/json' });
    }

    if (req.method !== 'POST' || path !== '/') {
      sendError(res, notACognitoOperation(req.method ?? '', path));
      req.resume();
      return;
    }

    const body = await readBody(req, limit);
    if (body === 'too-large') {
      sendError(res, requestBodyTooLarge(limit));
      return;
    }
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!JSON_TYPES.has(contentType)) {
      sendError(res, unsupportedContentType(contentType));
      return;
    }
    const target = req.headers['x-amz-target'];
    const other = typeof target === 'string' ? [...(options.otherTargets ?? [])].find(([prefix]) => target.startsWith(prefix)) : undefined;
    if (typeof target !== 'string' || (!target.startsWith(TARGET_PREFIX) && !other)) {
      sendError(res, missingTarget());
      return;
    }
    let input: unknown;
    try {
      const text = body.toString('utf8');
      input = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      sendError(res, malformedJsonBody());
      return;
    }
    if (other) {
      send(res, 200, await other[1](target.slice(other[0].length), input));
      return;
    }
    const userAgent = req.headers['x-amz-user-agent'] ?? req.headers['user-agent'];
    const result = await pool.call(target.slice(TARGET_PREFIX.length), input, {
      userAgent: typeof userAgent === 'string' ? userAgent : undefined,
      sourceIp: req.socket.remoteAddress,
      signed: /^AWS4-HMAC-SHA256 Credential=\S+/.test(req.headers.authorization ?? ''),
    });
    send(res, 200, result);
  };

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof CognitoError) {
        sendError(res, error);
        return;
      }
      pool.logger.warn(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      sendError(res, internalError());
    });
  };
}

export interface StartCognitoServerOptions {
  pool: UserPool;
  /** Loopback only: '127.0.0.1' (default), '::1' or 'localhost'. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Other JSON 1.1 services on the same endpoint (see `CognitoHandlerOptions.otherTargets`). */
  otherTargets?: ReadonlyMap<string, TargetHandler>;
}

export interface RunningCognitoServer {
  /** e.g. `http://127.0.0.1:43121` — the client's `Auth.Cognito.userPoolEndpoint`. */
  url: string;
  server: Server;
  /** Stops the server (the pool stays open; call `pool.close()` to release its data directory). */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Serves `pool` on loopback; sets the pool's issuer base URL to the server URL unless it has one already. */
export async function startCognitoServer(options: StartCognitoServerOptions): Promise<RunningCognitoServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`The offline Cognito binds to loopback only, not ${host}`);
  const server = createServer(createCognitoHandler(options.pool, options.otherTargets ? { otherTargets: options.otherTargets } : {}));
  const port = await listen(server, options.port ?? 0, host);
  const url = `http://${urlHost((server.address() as AddressInfo).address)}:${port}`;
  if (options.pool.issuerBaseUrl === undefined) options.pool.setIssuerBaseUrl(url);
  return {
    url,
    server,
    close: () => closeServer(server),
  };
}
