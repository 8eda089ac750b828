/**
 * CopyObject's request headers ([CopyObject](https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html)):
 *
 * - `x-amz-copy-source`: `[/]<bucket>/<key>[?versionId=<id>]`, the key URL-encoded (decoded here);
 * - `x-amz-metadata-directive`: `COPY` (the default: the source's content type, stored headers and user metadata) or
 *   `REPLACE` (those of the request, as a PutObject would store them);
 * - `x-amz-copy-source-if-match` / `-if-none-match`: the source's ETag must (not) match, else 412 PreconditionFailed.
 *
 * The copy is a new object: its ETag is the MD5 of the bytes, even when the source was a multipart upload.
 */
import { s3InvalidCopySource, s3InvalidMetadataDirective, s3NotImplemented, s3PreconditionFailed, type S3Error } from '../errors.js';
import type { ObjectMetadata } from './bucket-store.js';

export interface CopySource {
  bucketName: string;
  key: string;
}

export type MetadataDirective = 'COPY' | 'REPLACE';

type Headers = Record<string, string | string[] | undefined>;

const header = (headers: Headers, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

/** The bucket and key an `x-amz-copy-source` names, or the error S3 answers for it. */
export function parseCopySource(value: string): CopySource | S3Error {
  const question = value.indexOf('?');
  const path = question === -1 ? value : value.slice(0, question);
  if (question !== -1) {
    const version = new URLSearchParams(value.slice(question + 1)).get('versionId');
    // Buckets here are unversioned: only the null version exists.
    if (version !== null && version !== 'null') return s3NotImplemented('CopyObject of an object version');
  }
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  const slash = trimmed.indexOf('/');
  if (slash <= 0 || slash === trimmed.length - 1) return s3InvalidCopySource();
  try {
    return { bucketName: decodeURIComponent(trimmed.slice(0, slash)), key: decodeURIComponent(trimmed.slice(slash + 1)) };
  } catch {
    return s3InvalidCopySource();
  }
}

export function metadataDirective(headers: Headers): MetadataDirective | S3Error {
  const value = header(headers, 'x-amz-metadata-directive') ?? 'COPY';
  return value === 'COPY' || value === 'REPLACE' ? value : s3InvalidMetadataDirective(value);
}

/** The `x-amz-copy-source-if-*` conditions on the source: undefined when they hold. */
export function copyPreconditionFailure(headers: Headers, source: ObjectMetadata): S3Error | undefined {
  const unquoted = (etag: string) => etag.trim().replace(/^"|"$/g, '');
  const matches = (list: string) => list.split(',').some((etag) => etag.trim() === '*' || unquoted(etag) === unquoted(source.etag));
  const ifMatch = header(headers, 'x-amz-copy-source-if-match');
  if (ifMatch !== undefined && !matches(ifMatch)) return s3PreconditionFailed('x-amz-copy-source-If-Match');
  const ifNoneMatch = header(headers, 'x-amz-copy-source-if-none-match');
  if (ifNoneMatch !== undefined && matches(ifNoneMatch)) return s3PreconditionFailed('x-amz-copy-source-If-None-Match');
  for (const dated of ['x-amz-copy-source-if-modified-since', 'x-amz-copy-source-if-unmodified-since']) {
    if (header(headers, dated) !== undefined) return s3NotImplemented(`CopyObject with ${dated}`);
  }
  return undefined;
}
