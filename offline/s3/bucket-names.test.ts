import { describe, expect, it } from 'vitest';
import { localBucketName } from './bucket-names';

describe('localBucketName', () => {
  it('appends .local, stays within 63 characters, and leaves a dotted name alone', () => {
    expect(localBucketName('media-bucket')).toBe('media-bucket.local');
    const long = `amplify-storagebackend-root-fixturemediabucket412d8df8-s2128cir`;
    expect(long).toHaveLength(63);
    const local = localBucketName(long);
    expect(local).toHaveLength(63);
    expect(local).toMatch(/^amplify-storagebackend-root-fixturemediabucket41-[0-9a-f]{8}\.local$/);
    expect(localBucketName(`${long.slice(0, -1)}x`)).not.toBe(local);
    expect(localBucketName('my.bucket')).toBe('my.bucket');
  });
});
