/**
 * The console's Storage API: the buckets the sandbox serves (offline/s3), their objects page by page (key, size, type,
 * modified, ETag, user metadata), one object's bytes to view or download, and deleting one. Straight to the bucket's
 * files: no IAM policy applies (the console is the sandbox's operator) and nothing else is notified.
 *
 * An object is served to the console's page with `Content-Security-Policy: sandbox` and `nosniff`; only raster images
 * (PNG, JPEG, GIF, WebP) are served inline under their type, anything else as an `application/octet-stream`
 * attachment, so an uploaded HTML or SVG file never runs as the console's origin (which holds the console's secret).
 */
import { consoleBadRequest, consoleNotFound } from '../errors.js';
import type { BucketDescription } from '../loader/index.js';
import type { StorageApi } from '../s3/index.js';
import { localBucketName } from '../s3/index.js';
import type { ConsoleBucket, ConsoleObject, ConsoleObjectPage } from './api-types.js';
import { ConsoleFailure, RawAnswer, type Route } from './http.js';

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;
/** Types the console's page may show inline (as an `<img>`). */
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** `attachment; filename*=UTF-8''…` for the key's last segment (RFC 6266 / 5987). */
function attachment(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1) || 'object';
  return `attachment; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

function requiredKey(query: URLSearchParams): string {
  const key = query.get('key');
  if (!key) throw new ConsoleFailure(consoleBadRequest('key must be given (?key=…).'));
  return key;
}

export function storageRoutes(storage: () => Pick<StorageApi, 'buckets' | 'store'>): Route[] {
  const bucketOf = (name: string) => {
    const bucket = storage()
      .buckets()
      .find((b: BucketDescription) => b.friendlyName === name || b.name === name || localBucketName(b.name) === name);
    const store = bucket ? storage().store(bucket) : undefined;
    if (!bucket || !store) throw new ConsoleFailure(consoleNotFound(`bucket ${name} in this sandbox`));
    return { bucket, store };
  };
  return [
    {
      method: 'GET',
      path: '/api/buckets',
      handler: async () =>
        storage()
          .buckets()
          .flatMap((bucket): ConsoleBucket[] => {
            const store = storage().store(bucket);
            if (!store) return [];
            const sizes = store.keys().map((key) => store.head(key)?.size ?? 0);
            return [{ name: bucket.friendlyName, bucketName: localBucketName(bucket.name), synthesizedName: bucket.name, objects: sizes.length, bytes: sizes.reduce((a, b) => a + b, 0) }];
          }),
    },
    {
      method: 'GET',
      path: '/api/buckets/:bucket/objects',
      handler: async ({ params, query }): Promise<ConsoleObjectPage> => {
        const { store } = bucketOf(params['bucket']!);
        const prefix = query.get('prefix') ?? '';
        const after = query.get('after') ?? '';
        const limit = query.has('limit') ? Number(query.get('limit')) : DEFAULT_PAGE;
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new ConsoleFailure(consoleBadRequest(`limit must be an integer from 1 to ${MAX_PAGE}.`));
        const keys = store.keys().filter((key) => key.startsWith(prefix) && (after === '' || Buffer.compare(Buffer.from(key), Buffer.from(after)) > 0));
        const objects = keys.slice(0, limit).flatMap((key): ConsoleObject[] => {
          const found = store.head(key);
          return found ? [{ key, size: found.size, contentType: found.contentType, lastModified: found.lastModified, etag: found.etag, metadata: found.metadata }] : [];
        });
        return { objects, ...(keys.length > limit ? { nextAfter: keys[limit - 1]! } : {}) };
      },
    },
    {
      method: 'GET',
      path: '/api/buckets/:bucket/object',
      handler: async ({ params, query }) => {
        const { store } = bucketOf(params['bucket']!);
        const key = requiredKey(query);
        const object = store.read(key);
        if (!object) throw new ConsoleFailure(consoleNotFound(`object ${key}`));
        const inline = query.get('download') === null && INLINE_TYPES.has(object.metadata.contentType);
        return new RawAnswer(
          {
            'content-type': inline ? object.metadata.contentType : 'application/octet-stream',
            'content-disposition': inline ? 'inline' : attachment(key),
            'content-security-policy': "default-src 'none'; sandbox",
            etag: object.metadata.etag,
          },
          object.body,
        );
      },
    },
    {
      method: 'DELETE',
      path: '/api/buckets/:bucket/object',
      handler: async ({ params, query }) => {
        const { store } = bucketOf(params['bucket']!);
        const key = requiredKey(query);
        if (!store.head(key)) throw new ConsoleFailure(consoleNotFound(`object ${key}`));
        store.delete(key);
        return { deleted: key };
      },
    },
  ];
}
