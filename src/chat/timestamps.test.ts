import { describe, expect, it } from 'vitest';
import { compareTimestamps, laterTimestamp, toMillis } from './timestamps';

describe('timestamps', () => {
  it('compares by instant across precisions and offsets', () => {
    expect(compareTimestamps('2024-01-01T10:00:00Z', '2024-01-01T10:00:00.000Z')).toBe(0);
    expect(compareTimestamps('2024-01-01T12:00:00+02:00', '2024-01-01T10:00:00.001Z')).toBeLessThan(0);
    // As text the order would be the other way round.
    expect('2024-01-01T12:00:00+02:00' > '2024-01-01T10:00:00.001Z').toBe(true);
  });

  it('sorts missing and unparsable values first, deterministically', () => {
    // (Array.prototype.sort moves undefined to the end without calling the comparator, so null here.)
    const values = ['2024-01-01T00:00:00Z', null, 'zzz', 'aaa', '2023-01-01T00:00:00Z'];
    expect([...values].sort(compareTimestamps)).toEqual([null, 'aaa', 'zzz', '2023-01-01T00:00:00Z', '2024-01-01T00:00:00Z']);
    expect(compareTimestamps(undefined, '2024-01-01T00:00:00Z')).toBeLessThan(0);
    expect(compareTimestamps('2024-01-01T00:00:00Z', undefined)).toBeGreaterThan(0);
  });

  it('laterTimestamp picks the later instant and ignores a missing side', () => {
    expect(laterTimestamp('2024-01-01T12:00:00+02:00', '2024-01-01T10:30:00Z')).toBe('2024-01-01T10:30:00Z');
    expect(laterTimestamp(null, '2024-01-01T00:00:00Z')).toBe('2024-01-01T00:00:00Z');
    expect(laterTimestamp('2024-01-01T00:00:00Z', undefined)).toBe('2024-01-01T00:00:00Z');
    expect(laterTimestamp(null, null)).toBeNull();
  });

  it('toMillis is NaN for missing or bad input', () => {
    expect(toMillis(null)).toBeNaN();
    expect(toMillis('')).toBeNaN();
    expect(toMillis('soon')).toBeNaN();
    expect(toMillis('1970-01-01T00:00:01Z')).toBe(1000);
  });
});
