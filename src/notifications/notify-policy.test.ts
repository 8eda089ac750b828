import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from '../chat/messages';
import { notificationText, previewText, SeenIds, shouldNotify, type NotifyContext } from './notify-policy';

const message = (over: Partial<IncomingMessage> = {}): IncomingMessage => ({
  id: 'm1',
  conversationId: 'c-other',
  content: 'Hello Bob',
  sender: 'ann',
  createdAt: '2026-01-01T10:00:00.000Z',
  ...over,
});

const context = (over: Partial<NotifyContext> = {}): NotifyContext => ({
  me: 'bob',
  activeConversationId: 'c-open',
  visible: true,
  muted: () => false,
  seen: new Set<string>(),
  ...over,
});

describe('shouldNotify', () => {
  it('notifies a message from someone else in a conversation that is not open', () => {
    expect(shouldNotify(message(), context())).toBe(true);
  });

  it('notifies a message in the open conversation only while the tab is hidden', () => {
    expect(shouldNotify(message({ conversationId: 'c-open' }), context())).toBe(false);
    expect(shouldNotify(message({ conversationId: 'c-open' }), context({ visible: false }))).toBe(true);
  });

  it('never notifies the user’s own messages, from this device or another (owner-field form included)', () => {
    expect(shouldNotify(message({ sender: 'bob' }), context({ visible: false }))).toBe(false);
    expect(shouldNotify(message({ sender: 'bob::bob' }), context({ visible: false }))).toBe(false);
  });

  it('skips edits, removals, muted conversations and messages already seen', () => {
    expect(shouldNotify(message({ editedAt: '2026-01-01T10:01:00.000Z' }), context())).toBe(false);
    expect(shouldNotify(message({ deleted: true }), context())).toBe(false);
    expect(shouldNotify(message(), context({ muted: (id) => id === 'c-other' }))).toBe(false);
    expect(shouldNotify(message(), context({ seen: new Set(['m1']) }))).toBe(false);
  });
});

describe('notification text', () => {
  it('titles a 1:1 message with the sender and a group message with sender and conversation', () => {
    expect(notificationText(message(), 'Ann Archer', null)).toEqual({ title: 'Ann Archer', body: 'Hello Bob' });
    expect(notificationText(message(), 'Ann Archer', 'Launch')).toEqual({ title: 'Ann Archer in Launch', body: 'Hello Bob' });
    // An image or a file says so, as the conversation list does.
    const attachment = { path: 'conversations/c/m/x', name: 'minutes.pdf', size: 9, contentType: 'application/pdf' };
    expect(notificationText(message({ content: '', messageType: 'FILE', attachment }), 'Ann Archer', null).body).toBe('📎 minutes.pdf');
    expect(notificationText(message({ content: 'Sunset', messageType: 'IMAGE', attachment: { ...attachment, name: 'a.png' } }), 'Ann Archer', null).body).toBe('📷 Photo · Sunset');
  });

  it('collapses whitespace and cuts long text by code point with an ellipsis', () => {
    expect(previewText('  a\n\n b  ')).toBe('a b');
    expect(previewText('😀'.repeat(5), 3)).toBe('😀😀😀…');
    expect(previewText('abc', 3)).toBe('abc');
  });
});

describe('SeenIds', () => {
  it('remembers the most recent ids up to its capacity', () => {
    const seen = new SeenIds(2);
    seen.add('a');
    seen.add('b');
    seen.add('a');
    seen.add('c');
    expect([seen.has('a'), seen.has('b'), seen.has('c'), seen.size]).toEqual([true, false, true, 2]);
  });
});
