/** The Storage page's own logic, without a browser: object URLs (any key, as a query value) and sizes as people read them. */
import { describe, expect, it } from 'vitest';
import { formatBytes, objectUrl } from '../../offline/console/ui/storage/types';

describe('objectUrl', () => {
  it('puts the key in the query, encoded, and asks for an attachment only when downloading', () => {
    expect(objectUrl('chatAttachments', 'uploads/us-east-1:abc/x y+ü&z.png')).toBe('/api/buckets/chatAttachments/object?key=uploads%2Fus-east-1%3Aabc%2Fx%20y%2B%C3%BC%26z.png');
    expect(objectUrl('a.local', 'k', true)).toBe('/api/buckets/a.local/object?key=k&download=1');
    expect(new URL(objectUrl('b', 'a/b?c#d'), 'http://console').searchParams.get('key')).toBe('a/b?c#d');
  });
});

describe('formatBytes', () => {
  it('uses bytes below 1 KiB and binary units above, one decimal below 10', () => {
    expect([0, 1023, 1024, 1536, 10 * 1024, 25 * 1024 * 1024, 3 * 1024 ** 3].map(formatBytes)).toEqual(['0 B', '1023 B', '1.0 KiB', '1.5 KiB', '10 KiB', '25 MiB', '3.0 GiB']);
  });
});
