import { afterEach, describe, expect, it } from 'vitest';
import { dayKey, dayLabel, formatTime, groupByDay } from './days';

// Dates are built from local calendar fields, so these tests hold in any time zone.
const local = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min);
const item = (id: string, date: Date | string) => ({ id, createdAt: typeof date === 'string' ? date : date.toISOString() });

const NOW = local(2024, 5, 15, 9, 30); // Wednesday 15 May 2024
const opts = { now: NOW, locale: 'en-US' };

describe('dayKey', () => {
  it('is the local calendar day, zero-padded', () => {
    expect(dayKey(local(2024, 1, 5, 0, 0))).toBe('2024-01-05');
    expect(dayKey(local(2024, 12, 31, 23, 59))).toBe('2024-12-31');
  });

  it('is "unknown" for an invalid date', () => {
    expect(dayKey(new Date('nope'))).toBe('unknown');
  });
});

describe('dayLabel', () => {
  it('says Today for any time of the current local day', () => {
    expect(dayLabel(local(2024, 5, 15, 0, 0), opts)).toBe('Today');
    expect(dayLabel(local(2024, 5, 15, 23, 59), opts)).toBe('Today');
  });

  it('says Yesterday for the previous local day, including just before midnight', () => {
    expect(dayLabel(local(2024, 5, 14, 23, 59), opts)).toBe('Yesterday');
    expect(dayLabel(local(2024, 5, 14, 0, 0), opts)).toBe('Yesterday');
  });

  it('handles month and year boundaries', () => {
    expect(dayLabel(local(2024, 2, 29), { now: local(2024, 3, 1, 8) })).toBe('Yesterday');
    expect(dayLabel(local(2023, 12, 31), { now: local(2024, 1, 1, 8) })).toBe('Yesterday');
  });

  it('formats older days with the weekday, and the year only for other years', () => {
    expect(dayLabel(local(2024, 5, 13), opts)).toBe('Monday, May 13');
    expect(dayLabel(local(2023, 12, 25), opts)).toBe('Monday, December 25, 2023');
    expect(dayLabel(local(2024, 5, 13), { now: NOW, locale: 'de-DE' })).toBe('Montag, 13. Mai');
  });

  it('a future day (clock skew) is a date, not Today', () => {
    expect(dayLabel(local(2024, 5, 16, 0, 1), opts)).toBe('Thursday, May 16');
  });

  it('takes translated Today/Yesterday words', () => {
    const de = { now: NOW, locale: 'de-DE', today: 'Heute', yesterday: 'Gestern' };
    expect(dayLabel(local(2024, 5, 15), de)).toBe('Heute');
    expect(dayLabel(local(2024, 5, 14), de)).toBe('Gestern');
  });

  it('is empty for an invalid date', () => {
    expect(dayLabel(new Date(Number.NaN), opts)).toBe('');
  });
});

describe('dayLabel across a daylight-saving change', () => {
  const originalTz = process.env['TZ'];
  afterEach(() => {
    if (originalTz === undefined) delete process.env['TZ'];
    else process.env['TZ'] = originalTz;
  });

  it('Yesterday is the previous calendar day, not 24 h earlier (23-hour day)', () => {
    process.env['TZ'] = 'America/New_York';
    // 10 March 2024 is 23 hours long in New York; 24 h before 11 March 00:30 is 9 March 23:30.
    const now = local(2024, 3, 11, 0, 30);
    expect(now.getTimezoneOffset()).toBe(240); // the zone really changed (EDT)
    expect(dayLabel(local(2024, 3, 10, 0, 15), { now, locale: 'en-US' })).toBe('Yesterday');
    expect(dayLabel(local(2024, 3, 9, 23, 45), { now, locale: 'en-US' })).toBe('Saturday, March 9');
  });
});

describe('groupByDay', () => {
  it('groups a sorted list into consecutive day sections with labels', () => {
    const items = [
      item('a', local(2024, 5, 13, 8)),
      item('b', local(2024, 5, 14, 23, 59)),
      item('c', local(2024, 5, 15, 0, 0)),
      item('d', local(2024, 5, 15, 9, 0)),
    ];
    const sections = groupByDay(items, opts);
    expect(sections.map((s) => [s.key, s.label, s.items.map((i) => i.id)])).toEqual([
      ['2024-05-13', 'Monday, May 13', ['a']],
      ['2024-05-14', 'Yesterday', ['b']],
      ['2024-05-15', 'Today', ['c', 'd']],
    ]);
  });

  it('returns no sections for no items', () => {
    expect(groupByDay([], opts)).toEqual([]);
  });

  it('keeps items with an unparsable createdAt in the section in progress', () => {
    const sections = groupByDay([item('a', local(2024, 5, 15, 8)), item('x', 'garbage'), item('b', local(2024, 5, 15, 9))], opts);
    expect(sections.map((s) => s.items.map((i) => i.id))).toEqual([['a', 'x', 'b']]);
  });

  it('puts leading unparsable items in an "unknown" section', () => {
    const sections = groupByDay([item('x', ''), item('a', local(2024, 5, 15, 8))], opts);
    expect(sections.map((s) => [s.key, s.label, s.items.length])).toEqual([
      ['unknown', '', 1],
      ['2024-05-15', 'Today', 1],
    ]);
  });

  it('every item lands in exactly one section, in order', () => {
    const items = Array.from({ length: 50 }, (_, i) => item(`m${i}`, local(2024, 5, 1 + Math.floor(i / 7), i % 24)));
    const flattened = groupByDay(items, opts).flatMap((s) => s.items);
    expect(flattened).toEqual(items);
  });
});

describe('formatTime', () => {
  const ws = (s: string) => s.replace(/\s/gu, ' ');

  it('formats local hours and minutes per locale', () => {
    expect(formatTime(local(2024, 5, 15, 15, 5), 'en-GB')).toBe('15:05');
    expect(ws(formatTime(local(2024, 5, 15, 15, 5), 'en-US'))).toBe('3:05 PM');
    expect(formatTime(local(2024, 5, 15, 9, 5), 'de-DE')).toBe('09:05');
  });

  it('accepts an ISO string', () => {
    expect(formatTime(local(2024, 5, 15, 7, 45).toISOString(), 'en-GB')).toBe('07:45');
  });

  it('is empty for an unparsable value', () => {
    expect(formatTime('not a date', 'en-GB')).toBe('');
    expect(formatTime(new Date(Number.NaN), 'en-GB')).toBe('');
  });
});
