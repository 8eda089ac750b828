/**
 * S3 `GetObject` (path style, `GET /<bucket>/<key>`) over a fixed set of in-memory objects, with S3's XML errors: the
 * model introspection schema the functions read at cold start from a deployment bucket. The app's buckets
 * (defineStorage) are the storage endpoint's (offline/s3), which verifies signatures and the callers' role policies;
 * this one serves deployment assets to the functions only, so it stays a read-only map.
 */
import { createHash } from 'node:crypto';
import { S3_LIST_NOT_ALLOWED, S3_METHOD_NOT_ALLOWED, S3_NO_SUCH_BUCKET, S3_NO_SUCH_KEY } from '../errors';
import { s3Error, type S3Response } from '../s3/xml.js';

export { s3Error, type S3Response };

export interface S3Object {
  body: Buffer;
  contentType: string;
}

/** bucket → key → object */
export type S3Objects = Map<string, Map<string, S3Object>>;

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
