/**
 * The name the storage endpoint serves a bucket under, and the one the outputs give the client: the synthesized
 * (fake) name with `.local` appended. CloudFormation's generated names have no dot, but a dot is what makes
 * aws-amplify address a bucket path-style against a custom endpoint (`https://<endpoint>/<bucket>/<key>`; a name
 * without one goes to `https://<bucket>.<endpoint>/…`, which a loopback IP cannot serve). The policies keep naming
 * the synthesized bucket (its ARN), so authorization is unchanged; the endpoint also accepts the synthesized name.
 */
import { createHash } from 'node:crypto';

export const LOCAL_BUCKET_SUFFIX = '.local';
/** S3's longest bucket name. */
const MAX_NAME = 63;

export function localBucketName(bucketName: string): string {
  if (bucketName.includes('.')) return bucketName;
  if (bucketName.length + LOCAL_BUCKET_SUFFIX.length <= MAX_NAME) return `${bucketName}${LOCAL_BUCKET_SUFFIX}`;
  // Too long with the suffix: shortened, with 8 hex characters of the full name keeping it unique and stable.
  const hash = createHash('sha256').update(bucketName).digest('hex').slice(0, 8);
  return `${bucketName.slice(0, MAX_NAME - LOCAL_BUCKET_SUFFIX.length - hash.length - 1)}-${hash}${LOCAL_BUCKET_SUFFIX}`;
}
