/** JSON in and out for the console's API, and its routing table. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { CONSOLE_BODY_TOO_LARGE, CognitoError, consoleBadRequest, consoleBodyTooLarge, consoleServiceError, consoleMethodNotAllowed, consoleNotFound, type ConsoleError } from '../errors.js';

/** A request body's limit; routes that take a whole sandbox state read larger ones. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A console error as a thrown value: the server answers with its status and `{ error: { code, message } }`. */
export class ConsoleFailure extends Error {
  constructor(readonly error: ConsoleError) {
    super(error.message);
  }
}

/**
 * Runs a call into a service the console drives (the pool, DynamoDB through the AWS SDK): that service's refusal comes
 * back with its own code and message (status 400); anything else is the console's own failure.
 */
export async function driven<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CognitoError) throw new ConsoleFailure(consoleServiceError(error.code, error.message));
    if (error instanceof Error && !(error instanceof ConsoleFailure) && typeof (error as { $metadata?: unknown }).$metadata === 'object') {
      throw new ConsoleFailure(consoleServiceError(error.name, error.message));
    }
    throw error;
  }
}

/** A route's answer that is not JSON: bytes with their own headers (an object's content), sent as they are. */
export class RawAnswer {
  constructor(
    readonly headers: Record<string, string>,
    readonly body: Buffer,
  ) {}
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, error: ConsoleError): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } });
}

/** The request's JSON body (an object), or a ConsoleFailure. An empty body is `{}`. */
export async function readJsonObject(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new ConsoleFailure(maxBytes === MAX_BODY_BYTES ? CONSOLE_BODY_TOO_LARGE : consoleBodyTooLarge(maxBytes));
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ConsoleFailure(consoleBadRequest('The body is not JSON.'));
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new ConsoleFailure(consoleBadRequest('The body must be a JSON object.'));
  return body as Record<string, unknown>;
}

export interface RouteRequest {
  /** The path's `:name` parts, decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The JSON body, at most `maxBytes` (default 1 MiB). */
  body: (maxBytes?: number) => Promise<Record<string, unknown>>;
}

export type RouteHandler = (request: RouteRequest) => Promise<unknown>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** e.g. `/api/tables/:table/query` */
  path: string;
  handler: RouteHandler;
}

/** A WebSocket endpoint of the console (the checks of access.ts have passed when `accept` is called). */
export interface SocketRoute {
  path: string;
  /** The largest message a client may send (bytes). */
  maxPayload: number;
  accept(ws: WebSocket, req: IncomingMessage): void;
}

/** The route for `method` and `path`, with its parameters; a ConsoleFailure (404, 405) when there is none. */
export function matchRoute(routes: readonly Route[], method: string, path: string): { route: Route; params: Record<string, string> } {
  const parts = path.split('/');
  let pathMatched = false;
  for (const route of routes) {
    const pattern = route.path.split('/');
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let matched = true;
    for (let i = 0; i < pattern.length && matched; i++) {
      const expected = pattern[i]!;
      const actual = parts[i]!;
      if (expected.startsWith(':')) {
        try {
          params[expected.slice(1)] = decodeURIComponent(actual);
        } catch {
          matched = false;
        }
        if (actual === '') matched = false;
      } else if (expected !== actual) matched = false;
    }
    if (!matched) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  throw new ConsoleFailure(pathMatched ? consoleMethodNotAllowed(method, path) : consoleNotFound(`route ${path}`));
}

/** A required string field of a request body. */
export function requiredString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') throw new ConsoleFailure(consoleBadRequest(`${field} must be a non-empty string.`));
  return value;
}

/** An optional object field of a request body. */
export function optionalObject(body: Record<string, unknown>, field: string): Record<string, unknown> | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ConsoleFailure(consoleBadRequest(`${field} must be an object.`));
  return value as Record<string, unknown>;
}
