/**
 * S3 `GetObject` (path style, `GET /<bucket>/<key>`) over a fixed set of in-memory objects, with S3's XML errors.
 */
import { createHash } from 'node:crypto';

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
    return s3Error(405, 'MethodNotAllowed', `The specified method is not allowed against this resource (the offline sandbox serves GetObject only).`, requestId, {
      Method: method,
      ResourceType: 'OBJECT',
    });
  }
  const slash = path.indexOf('/', 1);
  const bucket = decodeURIComponent(slash === -1 ? path.slice(1) : path.slice(1, slash));
  const key = slash === -1 ? '' : decodeURIComponent(path.slice(slash + 1));
  const keys = objects.get(bucket);
  if (!bucket || !keys) return s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', requestId, { BucketName: bucket });
  if (!key) return s3Error(405, 'MethodNotAllowed', 'ListObjects is not available in the offline sandbox', requestId, { Method: method, ResourceType: 'BUCKET' });
  const object = keys.get(key);
  if (!object) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.', requestId, { Key: key });
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
