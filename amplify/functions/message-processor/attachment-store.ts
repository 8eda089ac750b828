import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/**
 * The attachments bucket as the message processor uses it (amplify/storage/resource.ts grants exactly these: GetObject
 * and DeleteObject on `uploads/*`, GetObject, PutObject and DeleteObject on `conversations/*`). A HeadObject and a
 * ranged GetObject are both s3:GetObject; a CopyObject is s3:GetObject on the source and s3:PutObject on the target.
 */

/** What HeadObject tells of a staged upload. */
export interface StoredObject {
  size: number;
  /** The Content-Type the uploader declared (uploadData's `contentType`). */
  contentType: string | null;
  /** User metadata (`x-amz-meta-*`), keys in lower case as S3 returns them. */
  metadata: Record<string, string>;
}

/** How a presigned GET answers: the response headers S3 sets from the URL's `response-*` parameters. */
export interface SignedResponse {
  contentType: string;
  contentDisposition: string;
}

export interface AttachmentObjectStore {
  /** HeadObject; null when there is no such object. */
  head(key: string): Promise<StoredObject | null>;
  /** The first `bytes` bytes of the object (all of it when it is shorter). */
  read(key: string, bytes: number): Promise<Uint8Array>;
  /** CopyObject within the bucket, with the given Content-Type and no user metadata. */
  copy(from: string, to: string, contentType: string): Promise<void>;
  /** DeleteObject (S3 answers success for a missing key too). */
  remove(key: string): Promise<void>;
  /** A presigned GetObject URL valid for `expiresInSeconds` from `at`. */
  sign(key: string, response: SignedResponse, expiresInSeconds: number, at: Date): Promise<string>;
}

/**
 * A missing key. S3 answers 404 only to a caller allowed to list the bucket; the message processor may not (it has
 * get, write and delete on its paths), so for it a missing key is a 403 — HeadObject's without a body, which the SDK
 * names `Unknown` or `Forbidden`. Its role may read every key it asks about, so a 403 here means missing.
 */
const isMissing = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  const status = e?.$metadata?.httpStatusCode;
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.name === 'AccessDenied' || status === 404 || status === 403;
};

/** S3 key → the `x-amz-copy-source` value: the bucket and the key, each path segment URL-encoded. */
const copySource = (bucket: string, key: string) => `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;

export function s3AttachmentStore(client: S3Client, bucket: string): AttachmentObjectStore {
  return {
    async head(key) {
      try {
        const answer = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return { size: answer.ContentLength ?? 0, contentType: answer.ContentType ?? null, metadata: answer.Metadata ?? {} };
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },

    async read(key, bytes) {
      const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${bytes - 1}` }));
      return answer.Body ? await answer.Body.transformToByteArray() : new Uint8Array();
    },

    async copy(from, to, contentType) {
      await client.send(
        new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: copySource(bucket, from), MetadataDirective: 'REPLACE', ContentType: contentType }),
      );
    },

    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },

    async sign(key, response, expiresInSeconds, at) {
      const command = new GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentType: response.contentType, ResponseContentDisposition: response.contentDisposition });
      return getSignedUrl(client, command, { expiresIn: expiresInSeconds, signingDate: at });
    },
  };
}
