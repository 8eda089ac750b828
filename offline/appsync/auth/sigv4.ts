/**
 * AWS Signature Version 4 verification for IAM-authorized AppSync requests (clients sign with SigV4, service
 * `appsync`, over HTTP and in real-time header objects). The signature is recomputed with the secret of the presented
 * access key id and compared in constant time. Implemented on node:crypto so that no transitive SDK package becomes a runtime dependency.
 * `signSigV4` signs with the same canonical request and signing key, for the sandbox's own IAM caller (the console).
 *
 * Failures mirror the AWS front door (the same family of errors every SigV4 service returns; AppSync answers 403):
 * - no/garbled `Credential=`, `SignedHeaders=`, `Signature=`, or no `x-amz-date` → `IncompleteSignatureException`
 * - unknown access key id → `UnrecognizedClientException` "The security token included in the request is invalid."
 * - wrong signature, wrong service, `host` not signed, clock skew > 5 min → `InvalidSignatureException`
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { RolePolicyDescription } from '../../loader/index.js';
import {
  INVALID_SECURITY_TOKEN,
  SIGV4_HOST_NOT_SIGNED,
  SIGV4_INCOMPLETE_AUTHORIZATION,
  SIGV4_MISSING_DATE,
  SIGV4_PAYLOAD_HASH_MISMATCH,
  SIGV4_SIGNATURE_MISMATCH,
  SIGV4_WRONG_SCOPE,
  sigV4Expired,
  type AwsError,
} from '../../errors.js';

export interface SigV4Request {
  method: string;
  /** Request path without the query string, e.g. `/graphql`. */
  path: string;
  /** Raw query string without `?` ('' when none). */
  query: string;
  /** Header name → value; names in any case. */
  headers: Record<string, string | undefined>;
  body: string | Buffer;
}

export interface IamCredential {
  secretAccessKey: string;
  principal: string;
  /**
   * The principal's identity-based policy (an app function's execution role). With it, `appsync:GraphQL` is evaluated
   * on each top-level field the caller touches; without it (an operator key a test or script registers) it is not.
   */
  policy?: RolePolicyDescription;
}

export type SigV4Result =
  | { ok: true; accessKeyId: string; principal: string; region: string; securityToken: string | undefined }
  | { ok: false; status: 403; errorType: string; message: string };

/** AWS accepts requests whose `x-amz-date` is within 5 minutes of its clock. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

const fail = ({ errorType, message }: AwsError): SigV4Result => ({ ok: false, status: 403, errorType, message });

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding as SigV4 requires (unreserved characters kept). */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Non-S3 services encode each path segment twice (the SDK's `uriEscapePath: true`). */
function canonicalPath(path: string): string {
  if (path === '') return '/';
  return path
    .split('/')
    .map((segment) => uriEncode(uriEncode(safeDecode(segment))))
    .join('/');
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

function canonicalQuery(query: string): string {
  if (query === '') return '';
  return query
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      const key = eq < 0 ? part : part.slice(0, eq);
      const value = eq < 0 ? '' : part.slice(eq + 1);
      return [uriEncode(safeDecode(key)), uriEncode(safeDecode(value))] as const;
    })
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** `Credential=AKID/20260101/us-east-1/appsync/aws4_request, SignedHeaders=a;b, Signature=hex` */
export function parseAuthorizationHeader(value: string): { accessKeyId: string; date: string; region: string; service: string; terminator: string; signedHeaders: string[]; signature: string } | undefined {
  const match = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(value.trim());
  if (!match) return undefined;
  const parts = new Map<string, string>();
  for (const piece of (match[1] ?? '').split(',')) {
    const eq = piece.indexOf('=');
    if (eq > 0) parts.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
  }
  const credential = parts.get('Credential')?.split('/');
  const signedHeaders = parts.get('SignedHeaders');
  const signature = parts.get('Signature');
  if (!credential || credential.length !== 5 || !signedHeaders || !signature) return undefined;
  const [accessKeyId, date, region, service, terminator] = credential as [string, string, string, string, string];
  return { accessKeyId, date, region, service, terminator, signedHeaders: signedHeaders.split(';'), signature };
}

export function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

export interface SignatureInput {
  request: Pick<SigV4Request, 'method' | 'path' | 'query'>;
  /**
   * S3 signs the path as sent (`uriEscapePath: false` in the AWS SDK's signer); every other service encodes each
   * segment again. Default true.
   */
  uriEscapePath?: boolean;
  /** Lower-case header name → value. */
  headers: ReadonlyMap<string, string>;
  /** Lower-case names, in the order they are listed in `SignedHeaders`. */
  signedHeaders: readonly string[];
  payloadHash: string;
  amzDate: string;
  region: string;
  service: string;
}

/** The hex signature of a request: its canonical request, the string to sign and the derived signing key. */
export function signature(secretAccessKey: string, input: SignatureInput): string {
  const canonicalHeaders = input.signedHeaders.map((name) => `${name}:${(input.headers.get(name) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalRequest = [
    input.request.method.toUpperCase(),
    input.uriEscapePath === false ? input.request.path || '/' : canonicalPath(input.request.path),
    canonicalQuery(input.request.query),
    canonicalHeaders,
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
  const date = input.amzDate.slice(0, 8);
  const scope = `${date}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', input.amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), input.region), input.service), 'aws4_request');
  return hmac(signingKey, stringToSign).toString('hex');
}

export interface SigV4SigningKey {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

/** `20260106T090000Z` */
function amzDateOf(time: number): string {
  return new Date(time).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * Signs a request for AppSync as the AWS SDK's signer does (service `appsync`): every header given (which must include
 * `host`) is signed, with `x-amz-content-sha256` and `x-amz-date`. Answers the headers to send: those given, these two
 * and `Authorization`.
 */
export function signSigV4(request: SigV4Request, key: SigV4SigningKey, now: number = Date.now()): Record<string, string> {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers.set(name.toLowerCase(), value);
  const amzDate = amzDateOf(now);
  const payloadHash = sha256Hex(request.body);
  headers.set('x-amz-content-sha256', payloadHash);
  headers.set('x-amz-date', amzDate);
  const signedHeaders = [...headers.keys()].sort();
  const service = 'appsync';
  const hex = signature(key.secretAccessKey, { request, headers, signedHeaders, payloadHash, amzDate, region: key.region, service });
  const credential = `${key.accessKeyId}/${amzDate.slice(0, 8)}/${key.region}/${service}/aws4_request`;
  return {
    ...Object.fromEntries(headers),
    Authorization: `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders.join(';')}, Signature=${hex}`,
  };
}

export function verifySigV4(request: SigV4Request, credentials: ReadonlyMap<string, IamCredential>, now: number = Date.now()): SigV4Result {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers.set(name.toLowerCase(), value);
  const parsed = parseAuthorizationHeader(headers.get('authorization') ?? '');
  if (!parsed) {
    return fail(SIGV4_INCOMPLETE_AUTHORIZATION);
  }
  const amzDate = headers.get('x-amz-date');
  const signedAt = amzDate === undefined ? undefined : parseAmzDate(amzDate);
  if (amzDate === undefined || signedAt === undefined) {
    return fail(SIGV4_MISSING_DATE);
  }
  const credential = credentials.get(parsed.accessKeyId);
  if (!credential) return fail(INVALID_SECURITY_TOKEN);
  if (parsed.service !== 'appsync' || parsed.terminator !== 'aws4_request' || parsed.date !== amzDate.slice(0, 8)) {
    return fail(SIGV4_WRONG_SCOPE);
  }
  if (!parsed.signedHeaders.includes('host')) return fail(SIGV4_HOST_NOT_SIGNED);
  if (Math.abs(now - signedAt) > MAX_CLOCK_SKEW_MS) {
    return fail(sigV4Expired(amzDate));
  }
  // The payload hash is always computed from the body received: a signed `x-amz-content-sha256` must match it,
  // otherwise a captured signature could carry a different body.
  const payloadHash = sha256Hex(request.body);
  const declaredHash = headers.get('x-amz-content-sha256');
  if (declaredHash !== undefined && declaredHash !== payloadHash) {
    return fail(SIGV4_PAYLOAD_HASH_MISMATCH);
  }
  const expected = Buffer.from(
    signature(credential.secretAccessKey, { request, headers, signedHeaders: parsed.signedHeaders, payloadHash, amzDate, region: parsed.region, service: parsed.service }),
    'utf8',
  );
  const given = Buffer.from(parsed.signature, 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return fail(SIGV4_SIGNATURE_MISMATCH);
  }
  return { ok: true, accessKeyId: parsed.accessKeyId, principal: credential.principal, region: parsed.region, securityToken: headers.get('x-amz-security-token') };
}
