/**
 * Frames of the AppSync real-time protocol
 * (https://docs.aws.amazon.com/appsync/latest/devguide/real-time-websocket-client.html) and the parser for what clients
 * send. Pure functions; no I/O. The error objects the frames carry are in the catalogue, offline/errors.ts.
 */
import { badRequest, MALFORMED_FRAME, unsupportedOperation } from '../errors.js';
import type { AppSyncError } from './backend';

export const GRAPHQL_WS_PROTOCOL = 'graphql-ws';

// ---------------------------------------------------------------------------------------------
// Server → client frames
// ---------------------------------------------------------------------------------------------

/** `{"type":"ka"}` — sent right after `connection_ack` and then periodically (about every 60 s), as AppSync does. */
export const KA_FRAME = '{"type":"ka"}';

export function connectionAckFrame(connectionTimeoutMs: number): string {
  return JSON.stringify({ type: 'connection_ack', payload: { connectionTimeoutMs } });
}

export function connectionErrorFrame(errors: AppSyncError[]): string {
  return JSON.stringify({ type: 'connection_error', payload: { errors } });
}

export function startAckFrame(id: string): string {
  return JSON.stringify({ type: 'start_ack', id });
}

export function completeFrame(id: string): string {
  return JSON.stringify({ type: 'complete', id });
}

/** `error` frame; `id` is omitted when the offending message had none (as in AppSync's LimitExceededError). */
export function errorFrame(id: string | undefined, errors: AppSyncError[]): string {
  return JSON.stringify(id === undefined ? { type: 'error', payload: { errors } } : { id, type: 'error', payload: { errors } });
}

/**
 * Serializes the `payload` of a `data` frame once (`{"data":{"onX":{…}}}`), for reuse across every
 * subscriber that should receive the same text. Amplify v6 drops frames whose `payload.data` is falsy.
 */
export function serializeDataPayload(payload: { data: unknown; errors?: unknown[] }): string {
  return JSON.stringify(payload);
}

/** What precedes the payload in every `data` frame of subscription `id` (computed once per subscription). */
export function dataFramePrefix(id: string): string {
  return `{"id":${JSON.stringify(id)},"type":"data","payload":`;
}

/**
 * `{"id":"<id>","type":"data","payload":<payload>}` — the payload text is spliced in verbatim, never
 * re-parsed. The id must be inserted per subscription, so only the payload can be shared. A frame is one
 * string per subscriber, as the benchmark's raw `ws` reference sends it (no Buffers to build and copy).
 */
export function dataFrame(id: string, serializedPayload: Buffer | string, prefix = dataFramePrefix(id)): string {
  return `${prefix}${typeof serializedPayload === 'string' ? serializedPayload : serializedPayload.toString('utf8')}}`;
}

// ---------------------------------------------------------------------------------------------
// Client → server messages (clients send only connection_init, start, stop)
// ---------------------------------------------------------------------------------------------

export type ClientMessage =
  | { type: 'connection_init' }
  | {
      type: 'start';
      id: string;
      query: string;
      variables: Record<string, unknown> | undefined;
      operationName: string | undefined;
      rawData: string;
      /** Undefined when `payload.extensions.authorization` is missing. */
      authorization: Record<string, unknown> | undefined;
    }
  | { type: 'stop'; id: string }
  /** A message the server answers with an `error` frame; `id` echoes the client's id when it had a usable one. */
  | { type: 'invalid'; id: string | undefined; error: AppSyncError };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(id: string | undefined, error: AppSyncError): ClientMessage {
  return { type: 'invalid', id, error };
}

/** Parses one text frame. Never throws. */
export function parseClientMessage(text: string): ClientMessage {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return invalid(undefined, badRequest(MALFORMED_FRAME.notJson));
  }
  if (!isRecord(message)) return invalid(undefined, badRequest(MALFORMED_FRAME.notAnObject));

  const id = typeof message.id === 'string' && message.id.length > 0 ? message.id : undefined;
  const type = message.type;
  if (typeof type !== 'string') return invalid(id, badRequest(MALFORMED_FRAME.noType));

  switch (type) {
    case 'connection_init':
      return { type };
    case 'stop':
      return id === undefined ? invalid(undefined, badRequest(MALFORMED_FRAME.stopWithoutId)) : { type, id };
    case 'start':
      return parseStart(id, message.payload);
    default:
      return invalid(id, unsupportedOperation(type));
  }
}

function parseStart(id: string | undefined, payload: unknown): ClientMessage {
  if (id === undefined) return invalid(undefined, badRequest(MALFORMED_FRAME.startWithoutId));
  if (!isRecord(payload)) return invalid(id, badRequest(MALFORMED_FRAME.startWithoutPayload));
  // `payload.data` is a JSON *string* of {query, variables}.
  const rawData = payload.data;
  if (typeof rawData !== 'string') return invalid(id, badRequest(MALFORMED_FRAME.dataNotAString));
  let data: unknown;
  try {
    data = JSON.parse(rawData);
  } catch {
    return invalid(id, badRequest(MALFORMED_FRAME.dataNotJson));
  }
  if (!isRecord(data) || typeof data.query !== 'string') {
    return invalid(id, badRequest(MALFORMED_FRAME.noQuery));
  }
  const variables = data.variables;
  if (variables !== undefined && variables !== null && !isRecord(variables)) {
    return invalid(id, badRequest(MALFORMED_FRAME.variablesNotAnObject));
  }
  const operationName = typeof data.operationName === 'string' ? data.operationName : undefined;
  const extensions = payload.extensions;
  const authorization = isRecord(extensions) && isRecord(extensions.authorization) ? extensions.authorization : undefined;
  return {
    type: 'start',
    id,
    query: data.query,
    variables: isRecord(variables) ? variables : undefined,
    operationName,
    rawData,
    authorization,
  };
}
