import { describe, expect, it } from 'vitest';
import { formatListTime, mergeConversations, removeConversation, upsertConversation } from './conversation-list';

const c = (id: string, updatedAt: string, name = id) => ({ id, updatedAt, name });

describe('conversation records', () => {
  it('adds new records and replaces held ones with newer versions', () => {
    let list = upsertConversation([], c('a', '2024-05-01T10:00:00Z'));
    list = upsertConversation(list, c('b', '2024-05-01T10:00:00Z'));
    list = upsertConversation(list, c('a', '2024-05-01T11:00:00Z', 'renamed'));
    expect(list).toEqual([c('a', '2024-05-01T11:00:00Z', 'renamed'), c('b', '2024-05-01T10:00:00Z')]);
  });

  it('keeps the held record when an older version arrives late', () => {
    const list = upsertConversation([c('a', '2024-05-01T11:00:00Z', 'new')], c('a', '2024-05-01T10:00:00Z', 'old'));
    expect(list[0]?.name).toBe('new');
  });

  it('merges a list answer without dropping records it lacks', () => {
    const held = [c('a', '2024-05-01T10:00:00Z'), c('just-created', '2024-05-01T12:00:00Z')];
    const merged = mergeConversations(held, [c('a', '2024-05-01T11:00:00Z', 'A2'), c('b', '2024-05-01T09:00:00Z')]);
    expect(merged.map((x) => [x.id, x.name])).toEqual([['a', 'A2'], ['just-created', 'just-created'], ['b', 'b']]);
  });

  it('removes by id', () => {
    expect(removeConversation([c('a', ''), c('b', '')], 'a').map((x) => x.id)).toEqual(['b']);
  });
});

describe('formatListTime', () => {
  const now = new Date(2024, 4, 15, 12, 0); // Wednesday 15 May 2024, local time

  it('shows the time for today', () => {
    expect(formatListTime(new Date(2024, 4, 15, 9, 5).toISOString(), now, 'en-GB')).toBe('09:05');
  });

  it('shows Yesterday, then the weekday within the week', () => {
    expect(formatListTime(new Date(2024, 4, 14, 23, 59).toISOString(), now, 'en-GB')).toBe('Yesterday');
    expect(formatListTime(new Date(2024, 4, 10, 8, 0).toISOString(), now, 'en-GB')).toBe('Fri');
  });

  it('shows the date beyond a week, with the year only for other years', () => {
    expect(formatListTime(new Date(2024, 4, 8, 8, 0).toISOString(), now, 'en-GB')).toBe('8 May');
    expect(formatListTime(new Date(2023, 11, 24, 8, 0).toISOString(), now, 'en-GB')).toBe('24 Dec 2023');
  });

  it('is empty for a missing or invalid timestamp', () => {
    expect(formatListTime(null, now)).toBe('');
    expect(formatListTime('not a date', now)).toBe('');
  });
});
