import { describe, expect, it } from 'vitest';
import { attachmentUrlForPage, storageCallOptions, storageTargetOf } from './storage-target';

describe('storageTargetOf', () => {
  it('is disabled without a bucket in the outputs', () => {
    expect(storageTargetOf({})).toEqual({ enabled: false });
    expect(storageTargetOf({ custom: { storageEndpoint: 'x:1' } })).toEqual({ enabled: false });
  });

  it('ignores malformed custom fields', () => {
    expect(storageTargetOf({ storage: { bucket_name: 'b' }, custom: { storageEndpoint: 5, storageUrlRewrite: { from: 'https://a' } } })).toEqual({ enabled: true });
  });
});

describe('storageCallOptions', () => {
  it('passes the local endpoint only when there is one', () => {
    expect(storageCallOptions({ enabled: true, customEndpoint: '127.0.0.1:20005' })).toEqual({ customEndpoint: '127.0.0.1:20005' });
    expect(storageCallOptions({ enabled: true })).toEqual({});
  });
});

describe('attachmentUrlForPage', () => {
  const target = { enabled: true, urlRewrite: { from: 'https://127.0.0.1:20005', to: 'https://localhost:5173/s3-presigned' } };
  const signed = 'https://127.0.0.1:20005/chat.local/conversations/c1/m1/a%20b.png?X-Amz-Signature=abc&X-Amz-Expires=900';

  it('moves a presigned URL of the storage origin under the page origin, path and query unchanged', () => {
    expect(attachmentUrlForPage(signed, target)).toBe(
      'https://localhost:5173/s3-presigned/chat.local/conversations/c1/m1/a%20b.png?X-Amz-Signature=abc&X-Amz-Expires=900',
    );
  });

  it('leaves other URLs, and every URL without a rewrite, as they are', () => {
    expect(attachmentUrlForPage('https://127.0.0.1:200050/x', target)).toBe('https://127.0.0.1:200050/x');
    expect(attachmentUrlForPage('https://bucket.s3.us-east-1.amazonaws.com/k?sig', target)).toBe('https://bucket.s3.us-east-1.amazonaws.com/k?sig');
    expect(attachmentUrlForPage(signed, { enabled: true })).toBe(signed);
  });

  it('accepts a rewrite written with trailing slashes', () => {
    expect(attachmentUrlForPage(signed, { enabled: true, urlRewrite: { from: 'https://127.0.0.1:20005/', to: 'https://app/s3-presigned/' } })).toBe(
      'https://app/s3-presigned/chat.local/conversations/c1/m1/a%20b.png?X-Amz-Signature=abc&X-Amz-Expires=900',
    );
  });
});
