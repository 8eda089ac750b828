import { describe, expect, it } from 'vitest';
import { applyThreadSummary, createTimeline, mergeMessages, type IncomingMessage } from './messages';
import { replyCountLabel, threadButtonLabel, threadSummaryOf } from './threads';

const CONV = 'conv-1';
const msg = (id: string, extra: Partial<IncomingMessage> = {}): IncomingMessage => ({ id, conversationId: CONV, content: `text ${id}`, sender: 'sub-ann', createdAt: '2024-05-01T10:00:00.000Z', ...extra });

describe('thread summaries', () => {
  it('reads the counts of a record or event (none without a count), the sender as a user id', () => {
    expect(threadSummaryOf({})).toBeNull();
    expect(threadSummaryOf({ replyCount: null, lastReplyAt: 'x' })).toBeNull();
    expect(threadSummaryOf({ replyCount: 2, lastReplyAt: '2024-05-01T10:05:00.000Z', lastReplySender: 'sub-bob::bob' })).toEqual({ replyCount: 2, lastReplyAt: '2024-05-01T10:05:00.000Z', lastReplySender: 'sub-bob' });
  });

  it('labels: nothing for no replies, "1 reply", "N replies", and the last reply time', () => {
    expect(replyCountLabel(null)).toBeNull();
    expect(replyCountLabel({ replyCount: 0, lastReplyAt: null, lastReplySender: null })).toBeNull();
    expect(replyCountLabel({ replyCount: 1, lastReplyAt: null, lastReplySender: null })).toBe('1 reply');
    expect(replyCountLabel({ replyCount: 3, lastReplyAt: null, lastReplySender: null })).toBe('3 replies');
    expect(threadButtonLabel({ replyCount: 3, lastReplyAt: '2024-05-01T10:05:00.000Z', lastReplySender: null }, 'en-GB')).toMatch(/^3 replies · last reply \d{1,2}:05/);
  });

  it("a root's counts: set by a reply's event, kept when an edit event (without counts) replaces the message", () => {
    let t = mergeMessages(createTimeline(CONV), [msg('root'), msg('other')], 'list');
    const summary = { replyCount: 1, lastReplyAt: '2024-05-01T10:05:00.000Z', lastReplySender: 'sub-bob' };
    t = applyThreadSummary(t, 'root', summary);
    expect(t.messages.find((m) => m.id === 'root')?.thread).toEqual(summary);
    expect(applyThreadSummary(t, 'root', { ...summary })).toBe(t);
    expect(applyThreadSummary(t, 'missing', summary)).toBe(t);
    t = mergeMessages(t, [msg('root', { content: 'edited', editedAt: '2024-05-01T10:06:00.000Z' })], 'subscription');
    expect(t.messages.find((m) => m.id === 'root')).toMatchObject({ content: 'edited', thread: summary });
    // A page read later carries newer counts: they win even without a newer edit.
    t = mergeMessages(t, [msg('root', { content: 'edited', editedAt: '2024-05-01T10:06:00.000Z', thread: { ...summary, replyCount: 2 } })], 'catch-up');
    expect(t.messages.find((m) => m.id === 'root')?.thread?.replyCount).toBe(2);
  });
});
