import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCdkOut } from '../loader/load-cdk-out';
import { BucketStore } from './bucket-store';
import { applyLifecycle, expiresAt } from './lifecycle';

const CDK_OUT = join(import.meta.dirname, '..', '..', '.amplify', 'artifacts', 'cdk.out');
const folder = mkdtempSync(join(tmpdir(), 's3-lifecycle-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const details = { contentType: 'text/plain', headers: {}, metadata: {} };

describe('lifecycle rules', () => {
  it('count the days from creation and round up to the next midnight UTC, as S3 does', () => {
    expect(new Date(expiresAt('2026-12-07T07:30:00.000Z', 1)).toISOString()).toBe('2026-12-09T00:00:00.000Z');
    expect(new Date(expiresAt('2026-12-07T00:00:00.000Z', 1)).toISOString()).toBe('2026-12-08T00:00:00.000Z');
    expect(new Date(expiresAt('2026-12-31T23:59:59.000Z', 30)).toISOString()).toBe('2027-01-31T00:00:00.000Z');
  });

  it('expire the objects under the rule\'s prefix and abort stale multipart uploads, at their time and not before', () => {
    const store = new BucketStore('bucket', join(folder, 'bucket'));
    const staged = store.put('uploads/id/one.png', Buffer.from('staged'), details);
    store.put('conversations/c/m/one.png', Buffer.from('sent'), details);
    const upload = store.createUpload('uploads/id/big.bin', details);
    const rules = [
      { id: 'ExpireStagedUploads', prefix: 'uploads/', expirationDays: 1 },
      { id: 'AbortIncompleteMultipartUploads', prefix: '', abortIncompleteMultipartUploadDays: 1 },
    ];
    const objectDue = expiresAt(staged.lastModified, 1);
    const uploadDue = expiresAt(upload.initiated, 1);
    expect(applyLifecycle(store, rules, Math.min(objectDue, uploadDue) - 1)).toEqual({ expired: [], aborted: [] });
    expect(store.keys()).toEqual(['conversations/c/m/one.png', 'uploads/id/one.png']);
    const swept = applyLifecycle(store, rules, Math.max(objectDue, uploadDue));
    expect(swept).toEqual({ expired: ['uploads/id/one.png'], aborted: [upload.uploadId] });
    expect(store.keys()).toEqual(['conversations/c/m/one.png']);
    expect(store.upload(upload.uploadId)).toBeUndefined();
    // Gone from disk too: a store opened anew does not find them.
    expect(new BucketStore('bucket', join(folder, 'bucket')).keys()).toEqual(['conversations/c/m/one.png']);
    // Years later the conversation file is still there: no rule covers it.
    expect(applyLifecycle(store, rules, objectDue + 1000 * 24 * 3600 * 1000)).toEqual({ expired: [], aborted: [] });
  });

  it("are read from the chat's synthesized bucket (staged uploads expire after a day)", () => {
    const bucket = loadCdkOut(CDK_OUT).buckets?.find((candidate) => candidate.friendlyName === 'chatAttachments');
    expect(bucket?.lifecycle).toEqual(
      expect.arrayContaining([expect.objectContaining({ prefix: 'uploads/', expirationDays: 1 }), expect.objectContaining({ abortIncompleteMultipartUploadDays: 1 })]),
    );
    expect(bucket!.lifecycle!.some((rule) => rule.expirationDays !== undefined && !rule.prefix.startsWith('uploads/'))).toBe(false);
  });
});
