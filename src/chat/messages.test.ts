import { describe, expect, it } from 'vitest';
import {
  addPending,
  applyRemoval,
  createTimeline,
  discardPending,
  findByClientMessageId,
  markFailed,
  markRetrying,
  mergeMessages,
  newestConfirmedCreatedAt,
  nextSendStep,
  pendingIdFor,
  setUploaded,
  setUploadProgress,
  type PendingUpload,
  type IncomingMessage,
  type Timeline,
} from './messages';

const CONV = 'conv-1';
const ME = 'sub-me';
const ANN = 'sub-ann';

function msg(id: string, createdAt: string, extra: Partial<IncomingMessage> = {}): IncomingMessage {
  return { id, conversationId: CONV, content: `text ${id}`, sender: ANN, createdAt, ...extra };
}

const at = (second: number) => `2024-05-01T10:00:${String(second).padStart(2, '0')}.000Z`;

const ids = (t: Timeline) => t.messages.map((m) => m.id);

function withPending(t: Timeline, clientMessageId: string, second: number, content = 'hello'): Timeline {
  return addPending(t, { clientMessageId, content, sender: ME, createdAt: at(second) });
}

/** What the server answers / broadcasts for this client's send. */
function confirmedOf(clientMessageId: string, second: number, content = 'hello'): IncomingMessage {
  return msg(`srv-${clientMessageId}`, at(second), { sender: ME, clientMessageId, content });
}

describe('mergeMessages', () => {
  it('sorts by createdAt then id whatever the arrival order', () => {
    const t = mergeMessages(
      createTimeline(CONV),
      [msg('c', at(3)), msg('b', at(1)), msg('a', at(3)), msg('d', at(2))],
      'list',
    );
    expect(ids(t)).toEqual(['b', 'd', 'a', 'c']);
  });

  it('compares createdAt as instants, not as text', () => {
    const t = mergeMessages(
      createTimeline(CONV),
      [msg('later', '2024-05-01T10:00:00.500Z'), msg('earlier', '2024-05-01T12:00:00+02:00')],
      'list',
    );
    expect(ids(t)).toEqual(['earlier', 'later']);
  });

  it('keeps one copy of a message delivered by the subscription and by a list query', () => {
    let t = mergeMessages(createTimeline(CONV), [msg('a', at(1))], 'subscription');
    t = mergeMessages(t, [msg('a', at(1)), msg('b', at(2))], 'list');
    t = mergeMessages(t, [msg('b', at(2))], 'subscription');
    expect(ids(t)).toEqual(['a', 'b']);
  });

  it('keeps one copy of duplicates inside a single batch', () => {
    const t = mergeMessages(createTimeline(CONV), [msg('a', at(1)), msg('a', at(1))], 'list');
    expect(ids(t)).toEqual(['a']);
  });

  it('merges a catch-up page overlapping what is already shown', () => {
    let t = mergeMessages(createTimeline(CONV), [msg('a', at(1)), msg('b', at(2)), msg('c', at(3))], 'list');
    t = mergeMessages(t, [msg('c', at(3)), msg('d', at(4)), msg('e', at(5))], 'catch-up');
    expect(ids(t)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('puts older history pages above, overlapping or not', () => {
    let t = mergeMessages(createTimeline(CONV), [msg('e', at(5)), msg('f', at(6))], 'list');
    // Pages come newest first (sortDirection DESC) and overlap at the boundary.
    t = mergeMessages(t, [msg('e', at(5)), msg('d', at(4)), msg('c', at(3))], 'history');
    t = mergeMessages(t, [msg('b', at(2)), msg('a', at(1))], 'history');
    expect(ids(t)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('ignores messages of other conversations', () => {
    const t = mergeMessages(createTimeline(CONV), [msg('a', at(1), { conversationId: 'other' })], 'subscription');
    expect(t.messages).toEqual([]);
    expect(newestConfirmedCreatedAt(t)).toBeNull();
  });

  it('returns the same object when nothing changes (no needless re-render)', () => {
    const t = mergeMessages(createTimeline(CONV), [msg('a', at(1))], 'list');
    expect(mergeMessages(t, [msg('a', at(1))], 'history')).toBe(t);
    expect(mergeMessages(t, [], 'list')).toBe(t);
  });

  it('does not mutate the previous state', () => {
    const before = mergeMessages(createTimeline(CONV), [msg('b', at(2))], 'list');
    const snapshot = [...before.messages];
    const after = mergeMessages(before, [msg('a', at(1))], 'subscription');
    expect(before.messages).toEqual(snapshot);
    expect(after.messages).not.toBe(before.messages);
  });

  it('defaults a missing messageType to TEXT, keeps nulls as null and marks messages confirmed', () => {
    const t = mergeMessages(
      createTimeline(CONV),
      [msg('a', at(1), { messageType: null, clientMessageId: null, editedAt: null })],
      'list',
    );
    expect(t.messages[0]).toMatchObject({ messageType: 'TEXT', clientMessageId: null, editedAt: null, status: 'confirmed' });
  });

  it('normalizes "<sub>::<username>" senders to the user id', () => {
    const t = mergeMessages(createTimeline(CONV), [msg('a', at(1), { sender: `${ANN}::${ANN}` })], 'list');
    expect(t.messages[0]?.sender).toBe(ANN);
  });
});

describe('edits', () => {
  const original = msg('a', at(1), { content: 'v1' });
  const edited = msg('a', at(1), { content: 'v2', editedAt: at(30) });

  it('a newer editedAt replaces the content in place', () => {
    let t = mergeMessages(createTimeline(CONV), [original, msg('b', at(2))], 'list');
    t = mergeMessages(t, [edited], 'subscription');
    expect(t.messages.map((m) => m.content)).toEqual(['v2', 'text b']);
    expect(t.messages[0]?.editedAt).toBe(at(30));
  });

  it('an older copy arriving later (stale page, send answer) does not undo an edit', () => {
    let t = mergeMessages(createTimeline(CONV), [edited], 'subscription');
    t = mergeMessages(t, [original], 'history');
    expect(t.messages[0]?.content).toBe('v2');
    t = mergeMessages(t, [msg('a', at(1), { content: 'v1.5', editedAt: at(20) })], 'list');
    expect(t.messages[0]?.content).toBe('v2');
  });

  it('the latest of several edits wins regardless of delivery order', () => {
    const v3 = msg('a', at(1), { content: 'v3', editedAt: at(40) });
    const t = mergeMessages(createTimeline(CONV), [v3, edited, original], 'subscription');
    expect(t.messages.map((m) => m.content)).toEqual(['v3']);
  });
});

describe('removals', () => {
  it('applyRemoval removes by id', () => {
    let t = mergeMessages(createTimeline(CONV), [msg('a', at(1)), msg('b', at(2))], 'list');
    t = applyRemoval(t, 'a');
    expect(ids(t)).toEqual(['b']);
  });

  it('a deleted flag in a batch removes the message', () => {
    let t = mergeMessages(createTimeline(CONV), [msg('a', at(1)), msg('b', at(2))], 'list');
    t = mergeMessages(t, [msg('a', at(1), { deleted: true })], 'subscription');
    expect(ids(t)).toEqual(['b']);
  });

  it('a removed message is not revived by a page fetched before the removal', () => {
    let t = mergeMessages(createTimeline(CONV), [msg('a', at(1))], 'subscription');
    t = applyRemoval(t, 'a');
    t = mergeMessages(t, [msg('a', at(1)), msg('b', at(2))], 'catch-up');
    expect(ids(t)).toEqual(['b']);
  });

  it('a removal that overtakes the create event still wins', () => {
    let t = applyRemoval(createTimeline(CONV), 'a');
    t = mergeMessages(t, [msg('a', at(1))], 'subscription');
    expect(t.messages).toEqual([]);
  });

  it('a deleted flag and the create in the same batch leave nothing, in either order', () => {
    const removed = msg('a', at(1), { deleted: true });
    expect(mergeMessages(createTimeline(CONV), [removed, msg('a', at(1))], 'subscription').messages).toEqual([]);
    expect(mergeMessages(createTimeline(CONV), [msg('a', at(1)), removed], 'subscription').messages).toEqual([]);
  });

  it('removing twice returns the same state', () => {
    const t = applyRemoval(mergeMessages(createTimeline(CONV), [msg('a', at(1))], 'list'), 'a');
    expect(applyRemoval(t, 'a')).toBe(t);
  });
});

describe('optimistic sends', () => {
  it('addPending shows the message at once, pending, under a local id', () => {
    const t = withPending(createTimeline(CONV), 'c1', 5);
    expect(t.messages).toEqual([
      expect.objectContaining({ id: pendingIdFor('c1'), status: 'pending', sender: ME, clientMessageId: 'c1', conversationId: CONV }),
    ]);
  });

  it('addPending twice with one clientMessageId keeps one message', () => {
    let t = withPending(createTimeline(CONV), 'c1', 5);
    t = withPending(t, 'c1', 6, 'again');
    expect(t.messages).toHaveLength(1);
    expect(t.messages[0]?.content).toBe('hello');
  });

  it('the sendMessage answer replaces the pending message', () => {
    let t = withPending(createTimeline(CONV), 'c1', 5);
    t = mergeMessages(t, [confirmedOf('c1', 6)], 'send');
    expect(t.messages).toEqual([expect.objectContaining({ id: 'srv-c1', status: 'confirmed' })]);
  });

  it('subscription event before the sendMessage answer: one message, confirmed', () => {
    let t = withPending(createTimeline(CONV), 'c1', 5);
    t = mergeMessages(t, [confirmedOf('c1', 6)], 'subscription');
    t = mergeMessages(t, [confirmedOf('c1', 6)], 'send');
    expect(t.messages).toEqual([expect.objectContaining({ id: 'srv-c1', status: 'confirmed' })]);
  });

  it('the confirmed copy takes the server createdAt position', () => {
    let t = mergeMessages(createTimeline(CONV), [msg('a', at(2)), msg('b', at(8))], 'list');
    t = withPending(t, 'c1', 9); // the local clock is ahead
    expect(ids(t)).toEqual(['a', 'b', pendingIdFor('c1')]);
    t = mergeMessages(t, [confirmedOf('c1', 5)], 'send');
    expect(ids(t)).toEqual(['a', 'srv-c1', 'b']);
  });

  it('the server content (trimmed) replaces the optimistic content', () => {
    let t = withPending(createTimeline(CONV), 'c1', 5, '  hello  ');
    t = mergeMessages(t, [confirmedOf('c1', 6, 'hello')], 'send');
    expect(t.messages[0]?.content).toBe('hello');
  });

  it('a sender in "<sub>::<username>" form still matches the pending message', () => {
    let t = withPending(createTimeline(CONV), 'c1', 5);
    t = mergeMessages(t, [{ ...confirmedOf('c1', 6), sender: `${ME}::${ME}` }], 'subscription');
    expect(ids(t)).toEqual(['srv-c1']);
  });

  it('a message of another sender with the same clientMessageId does not replace mine', () => {
    let t = withPending(createTimeline(CONV), 'c1', 5);
    t = mergeMessages(t, [msg('ann-c1', at(6), { clientMessageId: 'c1' })], 'subscription');
    expect(t.messages.map((m) => [m.id, m.status])).toEqual([
      [pendingIdFor('c1'), 'pending'],
      ['ann-c1', 'confirmed'],
    ]);
  });

  it('two pending messages are confirmed independently, in any order', () => {
    let t = withPending(withPending(createTimeline(CONV), 'c1', 5), 'c2', 6);
    t = mergeMessages(t, [confirmedOf('c2', 8)], 'subscription');
    expect(t.messages.map((m) => m.status)).toEqual(['pending', 'confirmed']);
    t = mergeMessages(t, [confirmedOf('c1', 7)], 'subscription');
    expect(ids(t)).toEqual(['srv-c1', 'srv-c2']);
  });

  it('addPending after the message was confirmed does not add a second copy', () => {
    let t = mergeMessages(createTimeline(CONV), [confirmedOf('c1', 6)], 'subscription');
    t = withPending(t, 'c1', 5);
    expect(ids(t)).toEqual(['srv-c1']);
  });
});

describe('failure and retry', () => {
  it('markFailed marks a pending message failed with the reason', () => {
    const t = markFailed(withPending(createTimeline(CONV), 'c1', 5), 'c1', 'Network error');
    expect(t.messages[0]).toMatchObject({ status: 'failed', error: 'Network error' });
  });

  it('markFailed after the subscription confirmed the send changes nothing', () => {
    let t = withPending(createTimeline(CONV), 'c1', 5);
    t = mergeMessages(t, [confirmedOf('c1', 6)], 'subscription');
    expect(markFailed(t, 'c1', 'timeout')).toBe(t);
  });

  it('retry keeps the clientMessageId and ends with exactly one confirmed message', () => {
    let t = markFailed(withPending(createTimeline(CONV), 'c1', 5), 'c1', 'timeout');
    t = markRetrying(t, 'c1');
    expect(t.messages).toEqual([
      expect.objectContaining({ id: pendingIdFor('c1'), clientMessageId: 'c1', status: 'pending' }),
    ]);
    expect(t.messages[0]).not.toHaveProperty('error');
    // The first attempt did reach the server: its event and the retry's answer carry the same id.
    t = mergeMessages(t, [confirmedOf('c1', 6)], 'subscription');
    t = mergeMessages(t, [confirmedOf('c1', 6)], 'send');
    expect(t.messages).toEqual([expect.objectContaining({ id: 'srv-c1', clientMessageId: 'c1', status: 'confirmed' })]);
  });

  it('a failed message is replaced when the lost first attempt turns out to have succeeded', () => {
    let t = markFailed(withPending(createTimeline(CONV), 'c1', 5), 'c1');
    t = mergeMessages(t, [confirmedOf('c1', 6)], 'catch-up');
    expect(t.messages).toEqual([expect.objectContaining({ id: 'srv-c1', status: 'confirmed' })]);
  });

  it('markRetrying only applies to failed messages', () => {
    const pending = withPending(createTimeline(CONV), 'c1', 5);
    expect(markRetrying(pending, 'c1')).toBe(pending);
    const confirmed = mergeMessages(pending, [confirmedOf('c1', 6)], 'send');
    expect(markRetrying(confirmed, 'c1')).toBe(confirmed);
    expect(markRetrying(confirmed, 'unknown')).toBe(confirmed);
  });

  it('discardPending drops an unconfirmed message but never a confirmed one', () => {
    const failed = markFailed(withPending(createTimeline(CONV), 'c1', 5), 'c1');
    expect(discardPending(failed, 'c1').messages).toEqual([]);
    const confirmed = mergeMessages(failed, [confirmedOf('c1', 6)], 'send');
    expect(discardPending(confirmed, 'c1')).toBe(confirmed);
  });

  it('findByClientMessageId follows the message from pending to confirmed', () => {
    let t = withPending(createTimeline(CONV), 'c1', 5);
    expect(findByClientMessageId(t, 'c1')?.status).toBe('pending');
    t = mergeMessages(t, [confirmedOf('c1', 6)], 'send');
    expect(findByClientMessageId(t, 'c1')?.id).toBe('srv-c1');
    expect(findByClientMessageId(t, 'nope')).toBeUndefined();
  });
});

describe('newestConfirmedCreatedAt (catch-up cursor)', () => {
  it('is null before anything arrived and ignores pending messages', () => {
    const t = withPending(createTimeline(CONV), 'c1', 5);
    expect(newestConfirmedCreatedAt(t)).toBeNull();
  });

  it('is the newest createdAt from list, subscription and catch-up, whatever the order', () => {
    let t = mergeMessages(createTimeline(CONV), [msg('b', at(2)), msg('a', at(1))], 'list');
    expect(newestConfirmedCreatedAt(t)).toBe(at(2));
    t = mergeMessages(t, [msg('d', at(4))], 'subscription');
    t = mergeMessages(t, [msg('c', at(3))], 'subscription'); // late, out of order
    expect(newestConfirmedCreatedAt(t)).toBe(at(4));
    t = mergeMessages(t, [msg('e', at(5))], 'catch-up');
    expect(newestConfirmedCreatedAt(t)).toBe(at(5));
  });

  it('is not moved by older history pages', () => {
    let t = mergeMessages(createTimeline(CONV), [msg('e', at(5))], 'list');
    t = mergeMessages(t, [msg('a', at(1))], 'history');
    expect(newestConfirmedCreatedAt(t)).toBe(at(5));
  });

  it('is not moved by my own sendMessage answer (it arrives even while the subscription is down)', () => {
    let t = mergeMessages(createTimeline(CONV), [msg('a', at(1))], 'subscription');
    t = withPending(t, 'c1', 9);
    t = mergeMessages(t, [confirmedOf('c1', 9)], 'send');
    expect(newestConfirmedCreatedAt(t)).toBe(at(1));
    // Once the subscription delivers it too, the cursor moves.
    t = mergeMessages(t, [confirmedOf('c1', 9)], 'subscription');
    expect(newestConfirmedCreatedAt(t)).toBe(at(9));
  });

  it('does not move back when the newest message is removed', () => {
    let t = mergeMessages(createTimeline(CONV), [msg('a', at(1)), msg('b', at(2))], 'list');
    t = applyRemoval(t, 'b');
    expect(newestConfirmedCreatedAt(t)).toBe(at(2));
  });
});

describe('attachment messages', () => {
  const upload: PendingUpload = { name: 'cat.png', size: 2048, contentType: 'image/png', messageType: 'IMAGE', previewUrl: 'blob:x', width: 4, height: 3, percent: 0, uploadedPath: null };
  const attachment = { path: 'conversations/conv-1/srv-c1/cat.png', name: 'cat.png', size: 2048, contentType: 'image/png', width: 4, height: 3 };
  const pending = () => addPending(createTimeline(CONV), { clientMessageId: 'c1', content: '', sender: ME, createdAt: at(1), messageType: 'IMAGE', upload });

  it('shows the upload while pending: progress only forward, then the staged key', () => {
    let t = pending();
    t = setUploadProgress(t, 'c1', 40);
    expect(setUploadProgress(t, 'c1', 30)).toBe(t);
    expect(findByClientMessageId(t, 'c1')?.upload?.percent).toBe(40);
    expect(nextSendStep(findByClientMessageId(t, 'c1')!)).toBe('upload');
    t = setUploaded(t, 'c1', 'uploads/id/u/cat.png');
    expect(findByClientMessageId(t, 'c1')?.upload).toMatchObject({ percent: 100, uploadedPath: 'uploads/id/u/cat.png' });
    expect(nextSendStep(findByClientMessageId(t, 'c1')!)).toBe('send');
  });

  it('a retry re-uploads from 0 % when the upload never finished, and keeps the staged key when it did', () => {
    let t = markFailed(setUploadProgress(pending(), 'c1', 70), 'c1', 'Network error');
    t = markRetrying(t, 'c1');
    expect(findByClientMessageId(t, 'c1')?.upload).toMatchObject({ percent: 0, uploadedPath: null });
    let done = markFailed(setUploaded(pending(), 'c1', 'uploads/id/u/cat.png'), 'c1', 'Not sent');
    done = markRetrying(done, 'c1');
    expect(findByClientMessageId(done, 'c1')).toMatchObject({ status: 'pending', upload: { uploadedPath: 'uploads/id/u/cat.png' } });
    expect(nextSendStep(findByClientMessageId(done, 'c1')!)).toBe('send');
  });

  it('the confirmed message replaces the pending one with the backend’s file; an edit without it keeps the file', () => {
    let t = mergeMessages(pending(), [confirmedOf('c1', 2, '')].map((m) => ({ ...m, messageType: 'IMAGE' as const, attachment })), 'send');
    expect(t.messages).toHaveLength(1);
    expect(t.messages[0]).toMatchObject({ status: 'confirmed', attachment });
    expect(t.messages[0]).not.toHaveProperty('upload');
    t = mergeMessages(t, [{ ...confirmedOf('c1', 2, 'a caption'), editedAt: at(5) }], 'subscription');
    expect(t.messages[0]).toMatchObject({ content: 'a caption', attachment });
  });

  it('updates nothing of a text message', () => {
    const t = withPending(createTimeline(CONV), 'c2', 1);
    expect(setUploadProgress(t, 'c2', 50)).toBe(t);
    expect(nextSendStep(findByClientMessageId(t, 'c2')!)).toBe('send');
  });
});
