/**
 * Reads the auth header object from a WebSocket upgrade request, in either wire form
 * (the AppSync real-time protocol: https://docs.aws.amazon.com/appsync/latest/devguide/real-time-websocket-client.html):
 *
 *  Form A  `…/graphql/realtime?header=<BASE64(JSON)>&payload=<BASE64("{}")>`, subprotocol `graphql-ws`
 *  Form B  `Sec-WebSocket-Protocol: graphql-ws, header-<BASE64URL(JSON)>` (Amplify ≥ 6.6.0)
 *
 * Acceptance rules: the `header` query parameter wins if present; otherwise the `header-`
 * subprotocol. Both alphabets, padded or not, are accepted in both places. `payload` and any other
 * query parameter (Amplify v6 sends custom request headers there) are ignored.
 */
import { GRAPHQL_WS_PROTOCOL } from './protocol-messages';

export type HandshakeForm = 'query' | 'subprotocol' | 'none';

export interface Handshake {
  /** Whether the client offered `graphql-ws`; if not, AppSync answers a `connection_error` SubProtocolNotSupportedError. */
  graphqlWsOffered: boolean;
  form: HandshakeForm;
  /** Decoded header object; undefined when absent or undecodable (see `problem`). */
  header: Record<string, unknown> | undefined;
  /** Why `header` is undefined, for the log (never contains the token). */
  problem: 'missing' | 'malformed' | undefined;
}

const HEADER_PROTOCOL_PREFIX = 'header-';
/** Standard or URL-safe alphabet, optional padding. Node's decoder silently skips junk, so check first. */
const BASE64_ANY = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Splits a `Sec-WebSocket-Protocol` request header into the offered protocols. */
export function offeredProtocols(headerValue: string | string[] | undefined): string[] {
  const joined = Array.isArray(headerValue) ? headerValue.join(',') : (headerValue ?? '');
  return joined
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value.length > 0);
}

/**
 * ws `handleProtocols`: echo exactly `graphql-ws`, never the `header-…` token (browsers fail the
 * handshake when subprotocols were offered and none is selected; ws would pick the first offered one).
 * Returns false (no Sec-WebSocket-Protocol in the 101) when `graphql-ws` was not offered.
 */
export function selectProtocol(protocols: Set<string>): string | false {
  return protocols.has(GRAPHQL_WS_PROTOCOL) ? GRAPHQL_WS_PROTOCOL : false;
}

/** Decodes standard or URL-safe base64, padded or not, into a JSON object; undefined if anything is off. */
export function decodeBase64JsonObject(encoded: string): Record<string, unknown> | undefined {
  if (!BASE64_ANY.test(encoded)) return undefined;
  const unpadded = encoded.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) return undefined; // impossible length for base64
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(unpadded, 'base64'));
  } catch {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The raw `header` query value, percent-decoded but *not* form-decoded: Form A clients put standard
 * base64 in the URL without escaping, so a `+` must stay a `+` (URLSearchParams would turn it into a space).
 */
export function rawQueryParameter(url: string, name: string): string | undefined {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return undefined;
  const query = url.slice(queryStart + 1).split('#', 1)[0] ?? '';
  for (const part of query.split('&')) {
    const equals = part.indexOf('=');
    const key = equals < 0 ? part : part.slice(0, equals);
    if (key !== name) continue;
    const value = equals < 0 ? '' : part.slice(equals + 1);
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}

export function readHandshake(url: string, protocolHeader: string | string[] | undefined): Handshake {
  const protocols = offeredProtocols(protocolHeader);
  const graphqlWsOffered = protocols.includes(GRAPHQL_WS_PROTOCOL);

  const fromQuery = rawQueryParameter(url, 'header');
  if (fromQuery !== undefined) {
    const header = decodeBase64JsonObject(fromQuery);
    return { graphqlWsOffered, form: 'query', header, problem: header ? undefined : 'malformed' };
  }
  const token = protocols.find((protocol) => protocol.startsWith(HEADER_PROTOCOL_PREFIX));
  if (token !== undefined) {
    const header = decodeBase64JsonObject(token.slice(HEADER_PROTOCOL_PREFIX.length));
    return { graphqlWsOffered, form: 'subprotocol', header, problem: header ? undefined : 'malformed' };
  }
  return { graphqlWsOffered, form: 'none', header: undefined, problem: 'missing' };
}
