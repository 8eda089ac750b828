/**
 * A bucket's lifecycle rules applied by the sandbox (the rules the loader describes: offline/loader/read-buckets.ts):
 * objects under a rule's prefix expire `expirationDays` after they were written, and multipart uploads under it are
 * aborted `abortIncompleteMultipartUploadDays` after they began. As S3 counts
 * ([lifecycle expiration](https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html)),
 * the time is the creation time plus the days, rounded up to the next midnight UTC. S3 removes expired objects
 * asynchronously (they may stay readable for a while); the sandbox sweeps at start and then every
 * `LIFECYCLE_SWEEP_MS` (service.ts), so an object may likewise outlive its expiry by up to that long.
 */
import type { BucketLifecycleRule } from '../loader/index.js';
import type { BucketStore } from './bucket-store.js';

/** How often the storage service applies the rules while it runs. */
export const LIFECYCLE_SWEEP_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** When something created at `created` expires after `days` days: created + days, rounded up to midnight UTC. */
export function expiresAt(created: string | number, days: number): number {
  const due = new Date(created).getTime() + days * DAY_MS;
  return Math.ceil(due / DAY_MS) * DAY_MS;
}

export interface LifecycleSweep {
  /** Keys of the objects deleted. */
  expired: string[];
  /** Ids of the multipart uploads aborted. */
  aborted: string[];
}

/** Deletes what `rules` expire at `now` from `store`. */
export function applyLifecycle(store: BucketStore, rules: readonly BucketLifecycleRule[], now: number = Date.now()): LifecycleSweep {
  const sweep: LifecycleSweep = { expired: [], aborted: [] };
  const expiring = rules.filter((rule) => rule.expirationDays !== undefined);
  if (expiring.length > 0) {
    for (const key of store.keys()) {
      const object = store.head(key);
      if (!object) continue;
      if (expiring.some((rule) => key.startsWith(rule.prefix) && expiresAt(object.lastModified, rule.expirationDays!) <= now)) {
        store.delete(key);
        sweep.expired.push(key);
      }
    }
  }
  const aborting = rules.filter((rule) => rule.abortIncompleteMultipartUploadDays !== undefined);
  if (aborting.length > 0) {
    for (const upload of store.uploads()) {
      if (aborting.some((rule) => upload.key.startsWith(rule.prefix) && expiresAt(upload.initiated, rule.abortIncompleteMultipartUploadDays!) <= now)) {
        store.removeUpload(upload.uploadId);
        sweep.aborted.push(upload.uploadId);
      }
    }
  }
  return sweep;
}
