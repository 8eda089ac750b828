/**
 * `POST /graphql` as AppSync answers it: status codes and whole-request error bodies (400 for an empty or unparseable
 * request, 401 for missing or invalid auth), 200 with `{data, errors}` otherwise; CORS for browsers; mutations publish to
 * the subscription engine only through this endpoint (direct data-source writes never publish). Bad input never throws
 * out of the handler.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Authenticator } from '../auth/index.js';
import { normalizeHeaders } from '../auth/index.js';
import type { ExecutionOutcome, GraphQLExecutor } from '../executor/index.js';
import type { LineLogger } from '../../sandbox/log.js';
import { MAX_EVENT_ERRORS, summarizeCaller, type EventError, type RequestEvent, type RequestTrace, type SandboxEvents } from '../../sandbox/events.js';
import type { SubscriptionEngine } from '../subscriptions/engine.js';
import { readBody } from './body.js';
import { answerPreflight, applyCors } from './cors.js';
import { EMPTY_BODY, INTERNAL, METHOD_NOT_ALLOWED, NOT_FOUND, TOO_LARGE, UNPARSABLE, errorBody, type RequestError } from '../../errors.js';

export interface GraphQLHttpHandlerOptions {
  executor: GraphQLExecutor;
  authenticator: Authenticator;
  engine?: SubscriptionEngine;
  path?: string;
  /** Default 1 MiB. */
  maxBodyBytes?: number;
  /** One `debug` line per request (and per distinct error in it); `error` for an internal error. */
  logger?: LineLogger;
  /** One `request` event per GraphQL request (and its resolver trace while someone watches). */
  events?: SandboxEvents;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function createGraphQLHttpHandler(options: GraphQLHttpHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const path = options.path ?? '/graphql';
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log: LineLogger = options.logger ?? (() => undefined);

  const send = (res: ServerResponse, status: number, body: string, requestId: string, errorType?: string): void => {
    if (res.headersSent) return;
    res.setHeader('content-type', 'application/json; charset=UTF-8');
    res.setHeader('x-amzn-requestid', requestId);
    if (errorType) res.setHeader('x-amzn-errortype', errorType);
    res.writeHead(status).end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    let summary = `${req.method ?? '?'} ${url.pathname}`;
    // What the request event says (filled in as the request is understood).
    const event: Omit<RequestEvent, 'durationMs' | 'status'> = { kind: 'request', requestId, rootFields: [], errors: [], traced: false };
    const finish = (status: number, detail = ''): void => {
      const durationMs = performance.now() - started;
      log(`${summary}${detail} ${status} ${Math.round(durationMs)}ms`, 'debug');
      if (options.events && req.method === 'POST' && url.pathname === path) options.events.emit({ ...event, status, durationMs: Math.round(durationMs * 10) / 10 });
    };
    const refuse = (error: RequestError | { status: number; errorType: string; message: string }): void => {
      send(res, error.status, errorBody(error), requestId, error.errorType);
      event.errors = [{ type: error.errorType, message: error.message, count: 1 }];
      finish(error.status, ` ${error.errorType}: ${error.message}`);
    };

    if (url.pathname !== path) return refuse(NOT_FOUND);
    if (req.method === 'OPTIONS') {
      answerPreflight(req, res);
      return finish(204);
    }
    applyCors(req, res);
    if (req.method !== 'POST') return refuse(METHOD_NOT_ALLOWED);

    const read = await readBody(req, limit);
    if (!read.ok) {
      if (read.reason === 'too-large') {
        res.setHeader('connection', 'close');
        return refuse(TOO_LARGE(limit));
      }
      return;
    }
    const text = read.body.toString('utf8');
    if (text.trim() === '') return refuse(EMPTY_BODY);
    let request: unknown;
    try {
      request = JSON.parse(text);
    } catch {
      return refuse(UNPARSABLE);
    }
    if (!isRecord(request) || typeof request['query'] !== 'string') return refuse(UNPARSABLE);
    const variables = request['variables'];
    const operationName = request['operationName'];
    if ((variables !== undefined && variables !== null && !isRecord(variables)) || (operationName !== undefined && operationName !== null && typeof operationName !== 'string')) {
      return refuse(UNPARSABLE);
    }

    const headers = normalizeHeaders(req.headers);
    const auth = await options.authenticator.authenticate({
      headers,
      method: 'POST',
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      body: read.body,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
    });
    if (!auth.ok) return refuse(auth);
    summary += ` [${auth.caller.authType}]`;
    if (options.events) event.caller = summarizeCaller(auth.caller.mode, auth.caller.identity, auth.caller.principalKey);

    const trace: RequestTrace | undefined = options.events?.tracing ? { requestId, resolvers: [], dropped: 0 } : undefined;
    const outcome: ExecutionOutcome = await options.executor.execute({ query: request['query'], variables: variables as Record<string, unknown> | null | undefined, operationName: operationName as string | null | undefined }, auth.caller, headers, trace);
    if (outcome.kind === 'malformed') return refuse(UNPARSABLE);
    summary += ` ${outcome.operationType ?? 'invalid'} ${summarizeFields(outcome.rootFields)}`;
    send(res, 200, JSON.stringify(outcome.body), requestId);
    const errors = outcome.body.errors ?? [];
    if (options.events) {
      event.operationType = outcome.operationType;
      if (outcome.operationName ?? operationName) event.operationName = (outcome.operationName ?? operationName) as string;
      event.rootFields = outcome.rootFields.slice(0, 50);
      event.errors = distinctErrors(errors);
      if (trace) {
        options.events.keepTrace(trace);
        event.traced = true;
      }
    }
    finish(200, errors.length > 0 ? ` (${errors.length} error${errors.length === 1 ? '' : 's'})` : '');
    // One line per distinct error (an aliased query can fail thousands of fields the same way).
    const distinct = new Map<string, number>();
    for (const error of errors) {
      const line = `${error.errorType ?? 'Validation'}: ${error.message}`;
      if (!distinct.has(line)) log(`  error ${JSON.stringify(error.path)} ${line}`, 'debug');
      distinct.set(line, (distinct.get(line) ?? 0) + 1);
    }
    for (const [line, count] of distinct) if (count > 1) log(`  (${count}× ${line})`, 'debug');
    if (options.engine) {
      // After the response is written: delivery never delays or fails the mutation.
      if (outcome.invalidations.length > 0) options.engine.invalidate(outcome.invalidations);
      if (outcome.published.length > 0) options.engine.publish(outcome.published, requestId);
    }
  };

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`${req.method ?? '?'} ${req.url ?? ''} internal error: ${(error as Error).stack ?? String(error)}`, 'error');
      send(res, INTERNAL.status, errorBody(INTERNAL), 'internal', INTERNAL.errorType);
    });
  };
}

/** The distinct errors of a response with their counts (an aliased query can fail thousands of fields the same way). */
function distinctErrors(errors: readonly { errorType?: string | null; message: string }[]): (EventError & { count: number })[] {
  const distinct = new Map<string, EventError & { count: number }>();
  for (const error of errors) {
    const key = `${error.errorType ?? ''}\u0000${error.message}`;
    const seen = distinct.get(key);
    if (seen) seen.count++;
    else if (distinct.size < MAX_EVENT_ERRORS) distinct.set(key, { ...(error.errorType ? { type: error.errorType } : {}), message: error.message.slice(0, 1000), count: 1 });
  }
  return [...distinct.values()];
}

/** `a,b,b,b` → `a,b×3`: root fields for the log line, bounded for aliased queries. */
function summarizeFields(fields: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const field of fields) counts.set(field, (counts.get(field) ?? 0) + 1);
  return [...counts].map(([field, count]) => (count > 1 ? `${field}×${count}` : field)).join(',');
}
