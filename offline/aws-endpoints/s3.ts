/**
 * S3 `GetObject` (path style, `GET /<bucket>/<key>`) over a fixed set of in-memory objects, with S3's XML errors.
 */
import { createHash } from 'node:crypto';
import { S3_LIST_NOT_ALLOWED, S3_METHOD_NOT_ALLOWED, S3_NO_SUCH_BUCKET, S3_NO_SUCH_KEY } from '../errors';

export interface S3Object {
  body: Buffer;
  contentType: string;
}

/** bucket → key → object */
export type S3Objects = Map<string, Map<string, S3Object>>;

export interface S3Response {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

export function s3Error(status: number, code: string, message: string, requestId: string, extra: Record<string, string> = {}): S3Response {
  const fields = Object.entries(extra)
    .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
    .join('');
  return {
    status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>${fields}<RequestId>${requestId}</RequestId><HostId>offline-sandbox</HostId></Error>`,
  };
}

export function handleS3(method: string, path: string, objects: S3Objects, requestId: string, lastModified: Date): S3Response {
  if (method !== 'GET' && method !== 'HEAD') {
    return s3Error(405, S3_METHOD_NOT_ALLOWED.errorType, S3_METHOD_NOT_ALLOWED.message, requestId, {
      Method: method,
      ResourceType: 'OBJECT',
    });
  }
  const slash = path.indexOf('/', 1);
  const bucket = decodeURIComponent(slash === -1 ? path.slice(1) : path.slice(1, slash));
  const key = slash === -1 ? '' : decodeURIComponent(path.slice(slash + 1));
  const keys = objects.get(bucket);
  if (!bucket || !keys) return s3Error(404, S3_NO_SUCH_BUCKET.errorType, S3_NO_SUCH_BUCKET.message, requestId, { BucketName: bucket });
  if (!key) return s3Error(405, S3_LIST_NOT_ALLOWED.errorType, S3_LIST_NOT_ALLOWED.message, requestId, { Method: method, ResourceType: 'BUCKET' });
  const object = keys.get(key);
  if (!object) return s3Error(404, S3_NO_SUCH_KEY.errorType, S3_NO_SUCH_KEY.message, requestId, { Key: key });
  return {
    status: 200,
    headers: {
      'content-type': object.contentType,
      'content-length': String(object.body.length),
      etag: `"${createHash('md5').update(object.body).digest('hex')}"`,
      'last-modified': lastModified.toUTCString(),
      'accept-ranges': 'bytes',
      'x-amz-request-id': requestId,
    },
    body: method === 'HEAD' ? '' : object.body,
  };
}
