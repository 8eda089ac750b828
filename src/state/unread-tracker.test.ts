import { describe, expect, it } from 'vitest';
import {
  emptyUnreadTracker,
  forgetKnown,
  forgetMessage,
  needsUnreadFetch,
  pruneRead,
  recordLiveMessage,
  recordMessages,
  unreadBadgeText,
  unreadCount,
} from './unread-tracker';

const ME = 'sub-me';
const ANN = 'sub-ann';
const at = (minute: number) => `2024-05-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
const m = (id: string, minute: number, sender = ANN) => ({ id, sender, createdAt: at(minute) });

describe('unread tracker', () => {
  it('counts messages from others after the read marker', () => {
    const t = recordMessages(emptyUnreadTracker(), 'c', [m('a', 1), m('b', 2), m('own', 3, ME), m('c', 4)], ME, at(4));
    expect(unreadCount(t, 'c', ME, null)).toBe(3);
    expect(unreadCount(t, 'c', ME, at(2))).toBe(1);
    expect(unreadCount(t, 'other', ME, null)).toBe(0);
  });

  it('never counts the signed-in user, in either owner-entry form', () => {
    const t = recordMessages(emptyUnreadTracker(), 'c', [m('a', 1, `${ME}::${ME}`)], ME);
    expect(unreadCount(t, 'c', ME, null)).toBe(0);
  });

  it('counts a message delivered twice (fetch and event) once', () => {
    let t = recordMessages(emptyUnreadTracker(), 'c', [m('a', 1)], ME, at(1));
    t = recordMessages(t, 'c', [m('a', 1), m('b', 2)], ME, at(2));
    expect(unreadCount(t, 'c', ME, null)).toBe(2);
  });

  it('asks for a fetch only for activity after the marker that is not known yet', () => {
    const conversation = { id: 'c', lastMessageAt: at(5) };
    const empty = emptyUnreadTracker();
    expect(needsUnreadFetch(empty, conversation, null)).toBe(true);
    expect(needsUnreadFetch(empty, conversation, at(5))).toBe(false);
    expect(needsUnreadFetch(empty, { id: 'c', lastMessageAt: null }, null)).toBe(false);
    const known = recordMessages(empty, 'c', [m('a', 5)], ME, at(5));
    expect(needsUnreadFetch(known, conversation, null)).toBe(false);
    expect(needsUnreadFetch(known, { id: 'c', lastMessageAt: at(6) }, null)).toBe(true);
    // After a connection gap, known activity is fetched again.
    expect(needsUnreadFetch(forgetKnown(known), conversation, null)).toBe(true);
  });

  it('does not move knownThrough for events received without `through`', () => {
    const t = recordMessages(emptyUnreadTracker(), 'c', [m('a', 5)], ME);
    expect(needsUnreadFetch(t, { id: 'c', lastMessageAt: at(5) }, null)).toBe(true);
  });

  it('extends what is known with live events only after a baseline fetch and without a gap', () => {
    const live = (id: string, minute: number) => ({ ...m(id, minute), conversationId: 'c' });
    // No baseline: the event is counted, but the conversation still needs a fetch for what came before.
    let t = recordLiveMessage(emptyUnreadTracker(), live('a', 5), ME, true);
    expect(unreadCount(t, 'c', ME, null)).toBe(1);
    expect(needsUnreadFetch(t, { id: 'c', lastMessageAt: at(5) }, null)).toBe(true);
    // Baseline, then continuous events: known.
    t = recordMessages(t, 'c', [m('a', 5)], ME, at(5));
    t = recordLiveMessage(t, live('b', 6), ME, true);
    expect(needsUnreadFetch(t, { id: 'c', lastMessageAt: at(6) }, null)).toBe(false);
    // During a gap, an event does not prove the messages before it.
    t = recordLiveMessage(t, live('d', 8), ME, false);
    expect(needsUnreadFetch(t, { id: 'c', lastMessageAt: at(8) }, null)).toBe(true);
    expect(unreadCount(t, 'c', ME, null)).toBe(3);
  });

  it('forgets removed messages and prunes read ones', () => {
    let t = recordMessages(emptyUnreadTracker(), 'c', [m('a', 1), m('b', 2), m('c', 3)], ME, at(3));
    t = forgetMessage(t, 'b');
    expect(unreadCount(t, 'c', ME, null)).toBe(2);
    t = pruneRead(t, 'c', at(1));
    expect([...(t.messages.get('c')?.keys() ?? [])]).toEqual(['c']);
    expect(forgetMessage(t, 'unknown')).toBe(t);
  });

  it('returns the same tracker when nothing changed', () => {
    const t = recordMessages(emptyUnreadTracker(), 'c', [m('a', 1)], ME, at(1));
    expect(recordMessages(t, 'c', [m('a', 1)], ME, at(1))).toBe(t);
    expect(recordMessages(t, 'c', [m('own', 0, ME)], ME)).toBe(t);
  });

  it('caps the badge at 99+', () => {
    expect(unreadBadgeText(1)).toBe('1');
    expect(unreadBadgeText(99)).toBe('99');
    expect(unreadBadgeText(100)).toBe('99+');
  });
});
