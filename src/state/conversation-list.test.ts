import { describe, expect, it } from 'vitest';
import {
  formatListTime,
  listedConversation,
  mergeConversations,
  readBackParticipants,
  removeConversation,
  upsertConversation,
} from './conversation-list';

const c = (id: string, updatedAt: string, name = id) => ({ id, updatedAt, name });
type Versioned = ReturnType<typeof c> & { lastMessageAt: string | null; lastMessagePreview: string | null };

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

  it('returns the same list when the version held is the same or newer', () => {
    const list = [c('a', '2024-05-01T11:00:00Z')];
    expect(upsertConversation(list, c('a', '2024-05-01T11:00:00Z'))).toBe(list);
    expect(upsertConversation(list, c('a', '2024-05-01T10:00:00Z', 'old'))).toBe(list);
    expect(mergeConversations(list, [c('a', '2024-05-01T11:00:00Z')])).toBe(list);
  });

  it('never moves the last message backwards, whichever version is newer otherwise', () => {
    const active: Versioned = { ...c('a', '2024-05-01T11:00:00Z'), lastMessageAt: '2024-05-01T11:00:00Z', lastMessagePreview: 'latest' };
    // An older version (e.g. a listing read before the send) keeps nothing of its own.
    const older = { ...c('a', '2024-05-01T10:00:00Z', 'old'), lastMessageAt: '2024-05-01T09:00:00Z', lastMessagePreview: 'stale' };
    expect(upsertConversation([active], older)).toEqual([active]);
    // A newer version (say, renamed) without that message yet takes the name, keeps the last message.
    const renamed = { ...c('a', '2024-05-01T12:00:00Z', 'renamed'), lastMessageAt: null, lastMessagePreview: null };
    expect(upsertConversation([active], renamed)).toEqual([{ ...renamed, lastMessageAt: '2024-05-01T11:00:00Z', lastMessagePreview: 'latest' }]);
  });

  it('removes by id', () => {
    expect(removeConversation([c('a', ''), c('b', '')], 'a').map((x) => x.id)).toEqual(['b']);
  });
});

describe('listedConversation', () => {
  it('holds every field, null when the answer lacks it, participants as read back', () => {
    expect(listedConversation({ id: 'a', participants: ['u1::u1', null, 'u2', 'u1', ' '] })).toEqual({
      id: 'a',
      name: null,
      participants: ['u1', 'u2'],
      kind: 'DIRECT',
      owners: ['u1'],
      createdAt: null,
      updatedAt: null,
      lastMessageAt: null,
      lastMessagePreview: null,
    });
  });

  it('keeps the kind and owners the API gives, and decides them for older conversations by their shape', () => {
    expect(listedConversation({ id: 'g', name: 'Team', participants: ['u1::u1', 'u2::u2'], kind: 'GROUP', owners: ['u2::u2'] })).toMatchObject({ kind: 'GROUP', owners: ['u2'] });
    expect(listedConversation({ id: 'd', participants: ['u1', 'u2'] })).toMatchObject({ kind: 'DIRECT', owners: ['u1'] });
    expect(listedConversation({ id: 'n', name: 'Two of us', participants: ['u1', 'u2'] })).toMatchObject({ kind: 'GROUP' });
    expect(listedConversation({ id: 't', participants: ['u1', 'u2', 'u3'] })).toMatchObject({ kind: 'GROUP', owners: ['u1'] });
  });

  it('keeps the part after the last "::" of each entry, as a query reads an owner list back', () => {
    expect(readBackParticipants(['sub-1::user-1', 'sub-2', 'a::b::c', null, undefined])).toEqual(['user-1', 'sub-2', 'c']);
    expect(readBackParticipants(null)).toEqual([]);
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
