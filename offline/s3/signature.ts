/**
 * SigV4 for S3, both forms ([authenticating requests](https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html)):
 *
 * - the `Authorization` header, with `x-amz-date` and `x-amz-content-sha256` (a hex hash the body must match, or
 *   `UNSIGNED-PAYLOAD`), within 15 minutes of the server's clock;
 * - a presigned URL ([query parameters](https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html)):
 *   `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires` (at most 7 days), `X-Amz-SignedHeaders`,
 *   `X-Amz-Signature` (left out of the canonical query), and an unsigned payload; refused once expired.
 *
 * The canonical request is the one the AppSync verifier builds (offline/appsync/auth/sigv4.ts) except that S3 signs
 * the path as sent. Temporary credentials must come with their session token (`x-amz-security-token`, header or query)
 * and are refused once expired, as S3 refuses an expired STS session.
 */
import { timingSafeEqual } from 'node:crypto';
import type { CallerCredential } from '../aws-endpoints/index.js';
import { parseAmzDate, parseAuthorizationHeader, sha256Hex, sigV4Signature as signature } from '../appsync/index.js';
import {
  s3ContentSha256Mismatch,
  s3ExpiredToken,
  s3InvalidAccessKeyId,
  s3InvalidToken,
  s3MissingContentSha256,
  s3MalformedAuthorization,
  s3PayloadModeNotImplemented,
  s3PresignedExpired,
  s3PresignedExpiryInvalid,
  s3SignatureMismatch,
  s3TimeTooSkewed,
  s3Unsigned,
  type S3Error,
} from '../errors.js';

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** S3 accepts header-signed requests within 15 minutes of its clock. */
export const S3_MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const MAX_PRESIGNED_SECONDS = 7 * 24 * 60 * 60;

export interface S3SignedRequest {
  method: string;
  /** The path as received (percent-encoded), without the query. */
  path: string;
  /** The raw query string without `?`. */
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type S3Verification = { ok: true; accessKeyId: string; credential: CallerCredential } | { ok: false; error: S3Error };

const refuse = (error: S3Error): S3Verification => ({ ok: false, error });

function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function verifyS3Request(request: S3SignedRequest, credentials: ReadonlyMap<string, CallerCredential>, now: number = Date.now()): S3Verification {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(',') : value);
  const params = new URLSearchParams(request.query);
  const presigned = params.has('X-Amz-Signature') || params.has('X-Amz-Credential');
  const authorization = headers.get('authorization');

  let accessKeyId: string, scopeDate: string, region: string, service: string, terminator: string, signedHeaders: string[], given: string, amzDate: string | undefined;
  let payloadHash: string;
  let query = request.query;
  let securityToken: string | undefined;
  if (presigned) {
    if (params.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return refuse(s3MalformedAuthorization());
    const scope = (params.get('X-Amz-Credential') ?? '').split('/');
    if (scope.length !== 5) return refuse(s3MalformedAuthorization());
    [accessKeyId, scopeDate, region, service, terminator] = scope as [string, string, string, string, string];
    signedHeaders = (params.get('X-Amz-SignedHeaders') ?? '').split(';').filter(Boolean);
    given = params.get('X-Amz-Signature') ?? '';
    amzDate = params.get('X-Amz-Date') ?? undefined;
    securityToken = params.get('X-Amz-Security-Token') ?? undefined;
    payloadHash = UNSIGNED_PAYLOAD;
    // The signature itself is not part of what is signed.
    query = request.query
      .split('&')
      .filter((part) => part !== '' && !part.startsWith('X-Amz-Signature='))
      .join('&');
  } else if (authorization) {
    const parsed = parseAuthorizationHeader(authorization);
    if (!parsed) return refuse(s3MalformedAuthorization());
    ({ accessKeyId, date: scopeDate, region, service, terminator, signedHeaders, signature: given } = parsed);
    amzDate = headers.get('x-amz-date');
    securityToken = headers.get('x-amz-security-token');
    const declared = headers.get('x-amz-content-sha256');
    if (declared === undefined) return refuse(s3MissingContentSha256());
    if (declared === UNSIGNED_PAYLOAD) payloadHash = UNSIGNED_PAYLOAD;
    else if (/^[0-9a-f]{64}$/.test(declared)) {
      if (declared !== sha256Hex(request.body)) return refuse(s3ContentSha256Mismatch());
      payloadHash = declared;
    } else return refuse(s3PayloadModeNotImplemented(declared));
  } else {
    return refuse(s3Unsigned());
  }

  const signedAt = amzDate === undefined ? undefined : parseAmzDate(amzDate);
  if (amzDate === undefined || signedAt === undefined || service !== 's3' || terminator !== 'aws4_request' || scopeDate !== amzDate.slice(0, 8)) {
    return refuse(s3MalformedAuthorization());
  }
  if (!signedHeaders.includes('host')) return refuse(s3MalformedAuthorization());
  const credential = credentials.get(accessKeyId);
  if (!credential) return refuse(s3InvalidAccessKeyId(accessKeyId));
  if (credential.sessionToken !== undefined && securityToken !== credential.sessionToken) return refuse(s3InvalidToken());
  if (credential.expiresAt !== undefined && credential.expiresAt <= now) return refuse(s3ExpiredToken());

  const expected = signature(credential.secretAccessKey, {
    request: { method: request.method, path: request.path, query },
    uriEscapePath: false,
    headers,
    signedHeaders,
    payloadHash,
    amzDate,
    region,
    service,
  });
  if (!sameSignature(expected, given)) return refuse(s3SignatureMismatch());

  if (presigned) {
    const expires = Number(params.get('X-Amz-Expires'));
    if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGNED_SECONDS) return refuse(s3PresignedExpiryInvalid());
    const expiresAt = signedAt + expires * 1000;
    if (now > expiresAt) return refuse(s3PresignedExpired(expires, new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'), new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z')));
  } else if (Math.abs(now - signedAt) > S3_MAX_CLOCK_SKEW_MS) {
    return refuse(s3TimeTooSkewed());
  }
  return { ok: true, accessKeyId, credential };
}
