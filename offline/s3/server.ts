/**
 * The storage endpoint: an S3-compatible HTTPS server for the backend's buckets (defineStorage), with the operations
 * aws-amplify's Storage category uses — PutObject, GetObject (with Range and the `response-*` overrides of presigned
 * URLs), HeadObject, DeleteObject, ListObjectsV2, and the multipart upload (CreateMultipartUpload, UploadPart,
 * CompleteMultipartUpload, AbortMultipartUpload, ListParts) — and CopyObject (within a bucket or between served
 * ones). Buckets are addressed path-style (`/<bucket>/<key>`) or virtual-hosted (`Host: <bucket>.<endpoint host>`),
 * by their local name (`<name>.local`, bucket-names.ts) or the synthesized one.
 *
 * Every request is SigV4-verified (signature.ts) and then authorized against the caller's role policy (offline/iam),
 * as S3 authorizes a caller of the bucket's own account with no bucket policy
 * ([actions and resources](https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html)):
 * `s3:GetObject` / `s3:PutObject` / `s3:DeleteObject` / `s3:AbortMultipartUpload` / `s3:ListMultipartUploadParts` on
 * `arn:aws:s3:::<bucket>/<key>`, `s3:ListBucket` on `arn:aws:s3:::<bucket>` with the `s3:prefix`, `s3:delimiter` and
 * `s3:max-keys` condition keys, and the caller's own context (an identity's `cognito-identity.amazonaws.com:sub`).
 * CORS follows the bucket's `CorsConfiguration`: a preflight is answered from the first matching rule, or refused.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { handleS3, type CallerCredential, type S3Objects } from '../aws-endpoints/index.js';
import {
  ENDPOINT_FAILED,
  s3AccessDenied,
  s3BadDigest,
  s3CopyToItself,
  s3CorsForbidden,
  s3EntityTooLarge,
  s3EntityTooSmall,
  s3InvalidPart,
  s3InvalidPartOrder,
  s3InvalidRange,
  s3MalformedXml,
  s3NoSuchBucket,
  s3NoSuchKey,
  s3NoSuchUpload,
  s3NotImplemented,
  type S3Error,
} from '../errors.js';
import { evaluateRolePolicy, type IamContext } from '../iam/index.js';
import type { BucketCorsRule, BucketDescription } from '../loader/index.js';
import { closeServer, listen, urlHost } from '../sandbox/http-server.js';
import type { LineLogger } from '../sandbox/log.js';
import { BucketStore, crc32Base64, multipartEtag, type ObjectMetadata } from './bucket-store.js';
import { localBucketName } from './bucket-names.js';
import { copyPreconditionFailure, metadataDirective, parseCopySource } from './copy-object.js';
import { verifyS3Request } from './signature.js';
import { elements, elementTexts, s3ErrorResponse, xmlDocument, type S3Response } from './xml.js';

/** The sandbox's limit on one request body (a part or a single PUT); Amplify's parts are 5 MiB. */
export const MAX_REQUEST_BYTES = 64 * 1024 * 1024;
/** S3's minimum size of every part but the last. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_KEYS = 1000;
const STORED_HEADERS = ['content-disposition', 'content-encoding', 'content-language', 'cache-control', 'expires'];
const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
  'response-content-language': 'content-language',
  'response-cache-control': 'cache-control',
  'response-expires': 'expires',
};

export interface StorageServerOptions {
  /** The buckets served (read on every request: a reload may change them). */
  buckets: () => readonly BucketDescription[];
  /** Where each bucket keeps its objects. */
  store: (bucket: BucketDescription) => BucketStore;
  /** Access key id → caller (the functions' keys, identities' temporary credentials, the console's). */
  credentials: ReadonlyMap<string, CallerCredential>;
  tls: { key: string; cert: string };
  host: string;
  port: number;
  log: LineLogger;
  /**
   * Read-only objects of buckets this endpoint does not serve, for the app functions only: the model introspection
   * schema the functions read from the deployment bucket at cold start (offline/aws-endpoints/s3.ts) once their
   * `AWS_ENDPOINT_URL_S3` is this endpoint. GetObject / HeadObject, signature verified and `s3:GetObject` evaluated.
   */
  deploymentObjects?: () => S3Objects;
  now?: () => number;
}

export interface StorageServer {
  url: string;
  close(): Promise<void>;
}

interface Target {
  bucket: BucketDescription | undefined;
  bucketName: string;
  key: string;
}

/** Path-style or virtual-hosted: which bucket and key a request names. */
function targetOf(req: IncomingMessage, rawPath: string, buckets: readonly BucketDescription[]): Target {
  const named = (name: string) => (bucket: BucketDescription) => name === localBucketName(bucket.name) || name === bucket.name;
  const hostname = (req.headers.host ?? '').replace(/:\d+$/, '');
  const hosted = buckets.find((bucket) => hostname.startsWith(`${localBucketName(bucket.name)}.`) || hostname.startsWith(`${bucket.name}.`));
  if (hosted) return { bucket: hosted, bucketName: localBucketName(hosted.name), key: decodeKey(rawPath.slice(1)) };
  const slash = rawPath.indexOf('/', 1);
  const bucketName = decodeKey(slash === -1 ? rawPath.slice(1) : rawPath.slice(1, slash));
  return { bucket: buckets.find(named(bucketName)), bucketName, key: slash === -1 ? '' : decodeKey(rawPath.slice(slash + 1)) };
}

function decodeKey(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => resolve(size > MAX_REQUEST_BYTES ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const wildcard = (pattern: string, value: string, ignoreCase = false) =>
  new RegExp(`^${pattern.split('*').map((part) => part.replace(/[\\^$.|+?()[\]{}]/g, '\\$&')).join('.*')}$`, ignoreCase ? 'i' : '').test(value);

/** The first CORS rule allowing this origin, method and request headers ([CORS](https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html)). */
function corsRule(rules: readonly BucketCorsRule[], origin: string, method: string, requestHeaders: readonly string[]): BucketCorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.allowedOrigins.some((allowed) => wildcard(allowed, origin)) &&
      rule.allowedMethods.includes(method.toUpperCase()) &&
      requestHeaders.every((header) => rule.allowedHeaders.some((allowed) => wildcard(allowed, header, true))),
  );
}

function corsHeaders(rule: BucketCorsRule, origin: string): Record<string, string> {
  return {
    'access-control-allow-origin': rule.allowedOrigins.includes('*') ? '*' : origin,
    ...(rule.exposedHeaders.length > 0 ? { 'access-control-expose-headers': rule.exposedHeaders.join(', ') } : {}),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
}

function objectHeaders(metadata: ObjectMetadata): Record<string, string> {
  return {
    'content-type': metadata.contentType,
    etag: metadata.etag,
    'last-modified': new Date(metadata.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
    ...metadata.headers,
    ...Object.fromEntries(Object.entries(metadata.metadata).map(([name, value]) => [`x-amz-meta-${name}`, value])),
  };
}

function storedDetails(headers: IncomingMessage['headers']) {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value.join(',') : value;
  };
  return {
    contentType: header('content-type') ?? 'binary/octet-stream',
    headers: Object.fromEntries(STORED_HEADERS.flatMap((name) => (header(name) !== undefined ? [[name, header(name)!]] : []))),
    metadata: Object.fromEntries(
      Object.entries(headers)
        .filter(([name]) => name.startsWith('x-amz-meta-'))
        .map(([name, value]) => [name.slice('x-amz-meta-'.length), Array.isArray(value) ? value.join(',') : (value ?? '')]),
    ),
  };
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` → the inclusive range, `'invalid'` when unsatisfiable, undefined when absent or ignored. */
function rangeOf(header: string | undefined, size: number): { start: number; end: number } | 'invalid' | undefined {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const length = Number(match[2]);
    if (length === 0) return 'invalid';
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'invalid';
  return { start, end };
}

export async function startStorageServer(options: StorageServerOptions): Promise<StorageServer> {
  const now = options.now ?? Date.now;
  // The deployment objects' Last-Modified, as the functions' endpoint gives it.
  const startedAt = new Date(Math.floor(now() / 1000) * 1000);
  const log = options.log;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
    const rawUrl = req.url ?? '/';
    const questionMark = rawUrl.indexOf('?');
    const rawPath = questionMark === -1 ? rawUrl : rawUrl.slice(0, questionMark);
    const rawQuery = questionMark === -1 ? '' : rawUrl.slice(questionMark + 1);
    const query = new URLSearchParams(rawQuery);
    const method = (req.method ?? 'GET').toUpperCase();
    const target = targetOf(req, rawPath, options.buckets());
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    let cors: Record<string, string> = {};

    const send = (response: S3Response) => {
      if (res.headersSent) return;
      const body = method === 'HEAD' ? '' : response.body;
      res.writeHead(response.status, { 'x-amz-request-id': requestId, ...cors, ...response.headers, 'content-length': String(method === 'HEAD' ? (response.headers['content-length'] ?? 0) : Buffer.byteLength(body)) });
      res.end(body);
    };
    const fail = (error: S3Error, why = '') => {
      log(`[s3] ${method} /${target.bucketName}/${target.key} → ${error.status} ${error.errorType}${why ? ` (${why})` : ''}`, error.status >= 500 ? 'warn' : 'debug');
      send(s3ErrorResponse(error, requestId));
    };

    if (method === 'OPTIONS') {
      req.resume();
      const requestMethod = req.headers['access-control-request-method'];
      const requestHeaders = String(req.headers['access-control-request-headers'] ?? '')
        .split(',')
        .map((header) => header.trim().toLowerCase())
        .filter(Boolean);
      const rule = target.bucket && origin && typeof requestMethod === 'string' ? corsRule(target.bucket.cors, origin, requestMethod, requestHeaders) : undefined;
      if (!rule || !origin) return fail(s3CorsForbidden());
      res.writeHead(200, {
        ...corsHeaders(rule, origin),
        'access-control-allow-methods': rule.allowedMethods.join(', '),
        'access-control-allow-headers': requestHeaders.join(', '),
        ...(rule.maxAgeSeconds !== undefined ? { 'access-control-max-age': String(rule.maxAgeSeconds) } : {}),
        'content-length': '0',
      });
      res.end();
      return;
    }
    if (origin && target.bucket) {
      const rule = corsRule(target.bucket.cors, origin, method, []);
      if (rule) cors = corsHeaders(rule, origin);
    }

    const body = await readBody(req);
    if (body === 'too-large') return fail(s3EntityTooLarge(MAX_REQUEST_BYTES));
    const verified = verifyS3Request({ method, path: rawPath, query: rawQuery, headers: req.headers, body }, options.credentials, now());
    if (!verified.ok) return fail(verified.error);
    const caller = verified.credential;
    if (!target.bucket) {
      const deployment = caller.functionName !== undefined ? options.deploymentObjects?.().get(target.bucketName) : undefined;
      if (!deployment || target.key === '') return fail(s3NoSuchBucket(target.bucketName));
      const resource = `arn:aws:s3:::${target.bucketName}/${target.key}`;
      const decision = evaluateRolePolicy(caller.policy, { action: 's3:GetObject', resource, context: caller.context ?? {} });
      if (!decision.allowed) return fail(s3AccessDenied(caller.principal, 's3:GetObject', resource, decision.reason), `${decision.reason} deny for ${caller.principal}`);
      const response = handleS3(method, rawPath, new Map([[target.bucketName, deployment]]), requestId, startedAt);
      log(`[s3] ${method} /${target.bucketName}/${target.key} (deployment object, ${caller.functionName}) → ${response.status}`, 'debug');
      return send(response);
    }
    const bucket = target.bucket;
    const store = options.store(bucket);
    const key = target.key;
    const objectArn = `${bucket.arn}/${key}`;

    const authorize = (action: string, resource: string, extra: IamContext = {}): boolean => {
      const decision = evaluateRolePolicy(caller.policy, { action, resource, context: { ...caller.context, ...extra } });
      if (decision.allowed) return true;
      fail(s3AccessDenied(caller.principal, action, resource, decision.reason), `${decision.reason} deny for ${caller.principal}`);
      return false;
    };
    /**
     * A key that does not exist: `NoSuchKey` only for a caller who may list it, else `AccessDenied` for s3:ListBucket, as
     * S3 answers ([GetObject permissions](https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html)). S3 does not
     * say what `s3:prefix` that check sees; the sandbox evaluates it with the key as the prefix.
     */
    const missing = (missingKey: string, inBucket: BucketDescription = bucket): void => {
      const decision = evaluateRolePolicy(caller.policy, {
        action: 's3:ListBucket',
        resource: inBucket.arn,
        context: { ...caller.context, 's3:prefix': missingKey, 's3:delimiter': null, 's3:max-keys': null },
      });
      if (decision.allowed) return fail(s3NoSuchKey(missingKey));
      fail(s3AccessDenied(caller.principal, 's3:ListBucket', inBucket.arn, decision.reason), `missing key, ${decision.reason} deny of s3:ListBucket for ${caller.principal}`);
    };
    const ok = (status: number, headers: Record<string, string>, payload: Buffer | string = '') => {
      log(`[s3] ${method} /${bucket.name}/${key}${rawQuery.includes('uploadId') ? ' (multipart)' : ''} → ${status}`, 'debug');
      send({ status, headers, body: payload });
    };
    const xml = (root: string, inner: string) => ok(200, { 'content-type': 'application/xml' }, xmlDocument(root, inner));

    /** CopyObject: s3:GetObject on the source and s3:PutObject on the destination, both evaluated (copy-object.ts). */
    const copyObject = (header: string): void => {
      const source = parseCopySource(header);
      if ('errorType' in source) return fail(source);
      const directive = metadataDirective(req.headers);
      if (typeof directive !== 'string') return fail(directive);
      const sourceBucket = options.buckets().find((candidate) => source.bucketName === localBucketName(candidate.name) || source.bucketName === candidate.name);
      if (!sourceBucket) return fail(s3NoSuchBucket(source.bucketName));
      if (!authorize('s3:GetObject', `${sourceBucket.arn}/${source.key}`)) return;
      if (!authorize('s3:PutObject', objectArn)) return;
      const original = options.store(sourceBucket).read(source.key);
      if (!original) return missing(source.key, sourceBucket);
      const precondition = copyPreconditionFailure(req.headers, original.metadata);
      if (precondition) return fail(precondition);
      if (sourceBucket.name === bucket.name && source.key === key && directive === 'COPY') return fail(s3CopyToItself());
      const { contentType, headers, metadata } = directive === 'COPY' ? original.metadata : storedDetails(req.headers);
      const stored = store.put(key, original.body, { contentType, headers, metadata });
      log(`[s3] CopyObject /${sourceBucket.name}/${source.key} → /${bucket.name}/${key} (${directive})`, 'debug');
      return xml('CopyObjectResult', elements({ LastModified: stored.lastModified, ETag: stored.etag }));
    };

    if (key === '') {
      if ((method === 'GET' && query.get('list-type') === '2') || method === 'HEAD') {
        const prefix = query.get('prefix');
        const delimiter = query.get('delimiter');
        const maxKeys = Math.min(MAX_KEYS, Math.max(0, Number(query.get('max-keys') ?? MAX_KEYS) || 0));
        const context: IamContext = { 's3:prefix': prefix, 's3:delimiter': delimiter, 's3:max-keys': query.has('max-keys') ? String(maxKeys) : null };
        if (!authorize('s3:ListBucket', bucket.arn, context)) return;
        if (method === 'HEAD') return ok(200, {});
        return xml('ListBucketResult', listObjects(store, target.bucketName, query, prefix ?? '', delimiter, maxKeys));
      }
      return fail(s3NotImplemented(`${method} on a bucket${rawQuery ? ` with ?${[...query.keys()].join('&')}` : ''}`));
    }

    const uploadId = query.get('uploadId');
    if (method === 'GET' || method === 'HEAD') {
      if (uploadId !== null && method === 'GET') {
        if (!authorize('s3:ListMultipartUploadParts', objectArn)) return;
        const upload = store.upload(uploadId);
        if (!upload || upload.key !== key) return fail(s3NoSuchUpload(uploadId));
        const parts = store
          .parts(uploadId)
          .map((part) => `<Part>${elements({ PartNumber: part.partNumber, LastModified: part.lastModified, ETag: part.etag, Size: part.size, ChecksumCRC32: part.checksumCRC32 })}</Part>`)
          .join('');
        return xml('ListPartsResult', `${elements({ Bucket: target.bucketName, Key: key, UploadId: uploadId, PartNumberMarker: 0, MaxParts: 1000, IsTruncated: false })}${parts}`);
      }
      if (!authorize('s3:GetObject', objectArn)) return;
      const found = method === 'HEAD' ? store.head(key) : undefined;
      const object = method === 'GET' ? store.read(key) : found ? { metadata: found, body: Buffer.alloc(0) } : undefined;
      if (!object) return missing(key);
      const headers = objectHeaders(object.metadata);
      // A presigned URL may ask for other response headers (getUrl's contentDisposition / contentType).
      for (const [parameter, header] of Object.entries(RESPONSE_OVERRIDES)) {
        const value = query.get(parameter);
        if (value !== null) headers[header] = value;
      }
      if (req.headers['x-amz-checksum-mode'] === 'ENABLED') headers['x-amz-checksum-crc32'] = object.metadata.checksumCRC32;
      const range = rangeOf(typeof req.headers.range === 'string' ? req.headers.range : undefined, object.metadata.size);
      if (range === 'invalid') return fail(s3InvalidRange(object.metadata.size));
      if (method === 'HEAD') return ok(200, { ...headers, 'content-length': String(object.metadata.size) });
      if (range) {
        // The stored checksum is the whole object's: S3 sends none with a range (the SDK would check the part against it).
        delete headers['x-amz-checksum-crc32'];
        return ok(206, { ...headers, 'content-range': `bytes ${range.start}-${range.end}/${object.metadata.size}` }, object.body.subarray(range.start, range.end + 1));
      }
      return ok(200, headers, object.body);
    }

    if (method === 'PUT') {
      const copySource = req.headers['x-amz-copy-source'];
      if (typeof copySource === 'string') {
        if (uploadId !== null) return fail(s3NotImplemented('UploadPartCopy'));
        return copyObject(copySource);
      }
      const checksum = req.headers['x-amz-checksum-crc32'];
      if (typeof checksum === 'string' && checksum !== crc32Base64(body)) return fail(s3BadDigest('CRC32'));
      const partNumber = query.get('partNumber');
      if (uploadId !== null && partNumber !== null) {
        if (!authorize('s3:PutObject', objectArn)) return;
        const upload = store.upload(uploadId);
        if (!upload || upload.key !== key) return fail(s3NoSuchUpload(uploadId));
        const number = Number(partNumber);
        if (!Number.isInteger(number) || number < 1 || number > 10000) return fail(s3InvalidPart());
        const part = store.putPart(uploadId, number, body);
        return ok(200, { etag: part.etag, ...(typeof checksum === 'string' ? { 'x-amz-checksum-crc32': checksum } : {}) });
      }
      if (!authorize('s3:PutObject', objectArn)) return;
      const stored = store.put(key, body, storedDetails(req.headers));
      return ok(200, { etag: stored.etag, ...(typeof checksum === 'string' ? { 'x-amz-checksum-crc32': checksum } : {}) });
    }

    if (method === 'POST' && query.has('uploads')) {
      if (!authorize('s3:PutObject', objectArn)) return;
      const upload = store.createUpload(key, storedDetails(req.headers));
      return xml('InitiateMultipartUploadResult', elements({ Bucket: target.bucketName, Key: key, UploadId: upload.uploadId }));
    }

    if (method === 'POST' && uploadId !== null) {
      if (!authorize('s3:PutObject', objectArn)) return;
      const upload = store.upload(uploadId);
      if (!upload || upload.key !== key) return fail(s3NoSuchUpload(uploadId));
      const text = body.toString('utf8');
      const requested = elementTexts(text, 'Part').map((part) => ({ partNumber: Number(elementTexts(part, 'PartNumber')[0]), etag: elementTexts(part, 'ETag')[0] ?? '' }));
      if (!/<CompleteMultipartUpload[\s>]/.test(text) || requested.length === 0 || requested.some((part) => !Number.isInteger(part.partNumber))) return fail(s3MalformedXml());
      if (requested.some((part, index) => index > 0 && part.partNumber <= requested[index - 1]!.partNumber)) return fail(s3InvalidPartOrder());
      const uploaded = new Map(store.parts(uploadId).map((part) => [part.partNumber, part]));
      const chosen = requested.map((part) => uploaded.get(part.partNumber));
      if (chosen.some((part, index) => !part || part.etag.replace(/"/g, '') !== requested[index]!.etag.replace(/"/g, ''))) return fail(s3InvalidPart());
      if (chosen.some((part, index) => index < chosen.length - 1 && part!.size < MIN_PART_BYTES)) return fail(s3EntityTooSmall());
      const joined = Buffer.concat(chosen.map((part) => store.partBody(uploadId, part!.partNumber)));
      const checksum = req.headers['x-amz-checksum-crc32'];
      if (typeof checksum === 'string' && req.headers['x-amz-checksum-type'] === 'FULL_OBJECT' && checksum !== crc32Base64(joined)) return fail(s3BadDigest('CRC32'));
      const stored = store.put(key, joined, { contentType: upload.contentType, headers: upload.headers, metadata: upload.metadata }, multipartEtag(chosen.map((part) => part!.etag)));
      store.removeUpload(uploadId);
      return xml(
        'CompleteMultipartUploadResult',
        elements({ Location: `${urlOf()}/${target.bucketName}/${encodeURIComponent(key).replace(/%2F/g, '/')}`, Bucket: target.bucketName, Key: key, ETag: stored.etag, ChecksumCRC32: typeof checksum === 'string' ? checksum : undefined }),
      );
    }

    if (method === 'DELETE') {
      if (uploadId !== null) {
        if (!authorize('s3:AbortMultipartUpload', objectArn)) return;
        if (!store.upload(uploadId)) return fail(s3NoSuchUpload(uploadId));
        store.removeUpload(uploadId);
        return ok(204, {});
      }
      if (!authorize('s3:DeleteObject', objectArn)) return;
      // Deleting a key that does not exist succeeds, as in an unversioned bucket.
      store.delete(key);
      return ok(204, {});
    }
    return fail(s3NotImplemented(`${method} on an object`));
  };

  const server = createServer({ key: options.tls.key, cert: options.tls.cert }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`[s3] internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, 'error');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>${ENDPOINT_FAILED.message}</Message></Error>`);
    });
  });
  server.keepAliveTimeout = 0;
  const port = await listen(server, options.port, options.host);
  const url = `https://${urlHost(options.host)}:${port}`;
  const urlOf = () => url;
  return { url, close: () => closeServer(server) };
}

/** ListObjectsV2's result: keys under `prefix`, rolled up at `delimiter`, at most `maxKeys` entries per page. */
function listObjects(store: BucketStore, bucketName: string, query: URLSearchParams, prefix: string, delimiter: string | null, maxKeys: number): string {
  const token = query.get('continuation-token');
  const startAfter = query.get('start-after') ?? '';
  const after = token !== null ? Buffer.from(token, 'base64url').toString('utf8') : startAfter;
  const contents: ObjectMetadata[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let last = '';
  for (const key of store.keys()) {
    if (!key.startsWith(prefix)) continue;
    if (after !== '' && (Buffer.compare(Buffer.from(key), Buffer.from(after)) <= 0 || (delimiter && after.endsWith(delimiter) && key.startsWith(after)))) continue;
    const rest = key.slice(prefix.length);
    const cut = delimiter ? rest.indexOf(delimiter) : -1;
    const rolledUp = cut === -1 ? undefined : prefix + rest.slice(0, cut + delimiter!.length);
    if (rolledUp !== undefined && prefixes.includes(rolledUp)) continue;
    if (contents.length + prefixes.length >= maxKeys) {
      truncated = true;
      break;
    }
    if (rolledUp !== undefined) prefixes.push(rolledUp);
    else contents.push(store.head(key)!);
    last = rolledUp ?? key;
  }
  return [
    elements({ Name: bucketName, Prefix: prefix, KeyCount: contents.length + prefixes.length, MaxKeys: maxKeys, Delimiter: delimiter ?? undefined, IsTruncated: truncated }),
    token !== null ? elements({ ContinuationToken: token }) : '',
    truncated ? elements({ NextContinuationToken: Buffer.from(last).toString('base64url') }) : '',
    query.has('start-after') ? elements({ StartAfter: startAfter }) : '',
    ...contents.map((object) => `<Contents>${elements({ Key: object.key, LastModified: object.lastModified, ETag: object.etag, ChecksumAlgorithm: 'CRC32', Size: object.size, StorageClass: 'STANDARD' })}</Contents>`),
    ...prefixes.map((common) => `<CommonPrefixes>${elements({ Prefix: common })}</CommonPrefixes>`),
  ].join('');
}
