import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GraphQLErrors } from '../state/errors';
import { fromSent, listAll, messageOfEvent, subscribeWithRetry, threadEventOf, toIncomingMessage, type ConversationEventRecord, type ListAnswer, type MessageRecord } from './amplify-helpers';

describe('listAll', () => {
  it('follows nextToken through empty pages until it is gone', async () => {
    const pages: Record<string, ListAnswer<number>> = {
      start: { data: [1, 2], nextToken: 'a' },
      a: { data: [], nextToken: 'b' },
      b: { data: [3], nextToken: null },
    };
    const asked: (string | null)[] = [];
    const items = await listAll<number>(async (token) => {
      asked.push(token);
      return pages[token ?? 'start'] as ListAnswer<number>;
    });
    expect(items).toEqual([1, 2, 3]);
    expect(asked).toEqual([null, 'a', 'b']);
  });

  it('stops early once maxItems are collected', async () => {
    let calls = 0;
    const items = await listAll<number>(async () => {
      calls += 1;
      return { data: [calls, calls], nextToken: 'more' };
    }, 3);
    expect(items).toEqual([1, 1, 2, 2]);
    expect(calls).toBe(2);
  });

  it('fails on errors without data, keeps a partial answer with data', async () => {
    await expect(listAll(async () => ({ data: [], errors: [{ message: 'Unauthorized' }] }))).rejects.toBeInstanceOf(GraphQLErrors);
    await expect(listAll(async () => ({ data: ['x'], errors: [{ message: 'partial' }] }))).resolves.toEqual(['x']);
  });
});

describe('subscribeWithRetry', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A fake Amplify observable whose observers the test drives. */
  function fakeSource() {
    const observers: { next: (v: string) => void; error: (e: unknown) => void; closed: boolean }[] = [];
    const start = () => ({
      subscribe(observer: { next: (v: string) => void; error: (e: unknown) => void }) {
        const entry = { ...observer, closed: false };
        observers.push(entry);
        return { unsubscribe: () => void (entry.closed = true) };
      },
    });
    return { observers, start };
  }

  it('delivers events, resubscribes after an error with growing delays, and resets after an event', () => {
    const { observers, start } = fakeSource();
    const received: string[] = [];
    const errors: unknown[] = [];
    const stop = subscribeWithRetry(start, (v) => received.push(v), (e) => errors.push(e));
    expect(observers).toHaveLength(1);
    observers[0]?.next('a');
    observers[0]?.error('boom');
    expect(errors).toEqual(['boom']);
    vi.advanceTimersByTime(999);
    expect(observers).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(observers).toHaveLength(2);
    observers[1]?.error('again');
    vi.advanceTimersByTime(1999);
    expect(observers).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(observers).toHaveLength(3);
    observers[2]?.next('b');
    observers[2]?.error('third');
    vi.advanceTimersByTime(1000);
    expect(observers).toHaveLength(4);
    expect(received).toEqual(['a', 'b']);
    stop();
    expect(observers[3]?.closed).toBe(true);
  });

  it('does not resubscribe once stopped', () => {
    const { observers, start } = fakeSource();
    const stop = subscribeWithRetry(start, () => undefined);
    observers[0]?.error('boom');
    stop();
    vi.advanceTimersByTime(60_000);
    expect(observers).toHaveLength(1);
  });
});

describe('toIncomingMessage', () => {
  const record = {
    id: 'm1',
    conversationId: 'c1',
    content: 'hi',
    messageType: 'TEXT',
    sender: 'sub-ann',
    participants: ['sub-ann::sub-ann'],
    clientMessageId: undefined,
    createdAt: '2024-05-01T10:00:00.000Z',
    editedAt: null,
    updatedAt: '2024-05-01T10:00:00.000Z',
  } as unknown as MessageRecord;

  it('maps a Message record and flags removals', () => {
    expect(toIncomingMessage(record)).toEqual({
      id: 'm1',
      conversationId: 'c1',
      content: 'hi',
      messageType: 'TEXT',
      sender: 'sub-ann',
      clientMessageId: null,
      createdAt: '2024-05-01T10:00:00.000Z',
      editedAt: null,
      deleted: false,
    });
    expect(toIncomingMessage(record, true).deleted).toBe(true);
  });
});

describe('fromSent', () => {
  it('keeps the file the backend measured', () => {
    const sent = {
      id: 'm1',
      messageId: 'm1',
      conversationId: 'c1',
      content: 'look',
      messageType: 'IMAGE',
      sender: 'u1',
      userId: 'u1',
      clientMessageId: 'c-1',
      createdAt: '2026-01-02T03:04:05.000Z',
      participants: [],
      attachment: { path: 'conversations/c1/m1/a.webp', name: 'a.webp', size: 10, contentType: 'image/webp', width: 2, height: 3 },
    } as unknown as Parameters<typeof fromSent>[0];
    expect(fromSent(sent)).toMatchObject({ id: 'm1', messageType: 'IMAGE', attachment: { name: 'a.webp', width: 2, height: 3 } });
  });
});

describe('messageOfEvent', () => {
  const base: ConversationEventRecord = {
    conversationId: 'c1',
    type: 'MESSAGE_SENT',
    userId: 'u1',
    at: '2026-01-02T03:04:05.000Z',
    participants: ['u1::u1', 'u2::u2'],
    messageId: 'm1',
    id: 'm1',
    sender: 'u1',
    content: 'hello',
    messageType: 'TEXT',
    clientMessageId: 'c-1',
    createdAt: '2026-01-02T03:04:05.000Z',
    editedAt: null,
    typing: null,
  };

  it("keeps thread replies out of the timeline: threadEventOf gives the reply, its root and the root's counts", () => {
    const reply = { ...base, threadRootId: 'root-1', replyCount: 2, lastReplyAt: base.createdAt, lastReplySender: 'u1' };
    expect(messageOfEvent(reply)).toBeNull();
    expect(threadEventOf(reply)).toEqual({ rootId: 'root-1', reply: expect.objectContaining({ id: 'm1', content: 'hello' }), summary: { replyCount: 2, lastReplyAt: base.createdAt, lastReplySender: 'u1' } });
    expect(threadEventOf({ ...reply, type: 'MESSAGE_DELETED', content: null, replyCount: null })).toMatchObject({ rootId: 'root-1', reply: { deleted: true }, summary: null });
    expect(threadEventOf(base)).toBeNull();
  });

  it('turns a sent or edited message event into the message', () => {
    const message = { id: 'm1', conversationId: 'c1', content: 'hello', messageType: 'TEXT', sender: 'u1', clientMessageId: 'c-1', createdAt: base.createdAt, editedAt: null, deleted: false };
    expect(messageOfEvent(base)).toEqual(message);
    expect(messageOfEvent({ ...base, type: 'MESSAGE_EDITED', content: 'changed', editedAt: '2026-01-02T03:05:00.000Z' })).toEqual({
      ...message,
      content: 'changed',
      editedAt: '2026-01-02T03:05:00.000Z',
    });
  });

  it('carries an IMAGE message’s file (MESSAGE_SENT), at once for the other person’s window; a removal none', () => {
    const attachment = { path: 'conversations/c1/m1/cat.png', name: 'cat.png', size: 1234, contentType: 'image/png', width: 64, height: 48 };
    expect(messageOfEvent({ ...base, messageType: 'IMAGE', content: '', attachment })).toMatchObject({ messageType: 'IMAGE', attachment });
    expect(messageOfEvent({ ...base, type: 'MESSAGE_DELETED', content: null, attachment })).not.toHaveProperty('attachment');
    // A FILE's attachment has no dimensions.
    expect(messageOfEvent({ ...base, messageType: 'FILE', attachment: { ...attachment, width: null, height: null, contentType: 'application/pdf' } })?.attachment).toEqual({
      ...attachment,
      contentType: 'application/pdf',
      width: null,
      height: null,
    });
  });

  it('turns a removal (which carries no text) into a removal event', () => {
    expect(messageOfEvent({ ...base, type: 'MESSAGE_DELETED', content: null })).toMatchObject({ id: 'm1', conversationId: 'c1', content: '', deleted: true });
  });

  it('ignores typing, new conversations and events without a message', () => {
    expect(messageOfEvent({ ...base, type: 'TYPING', typing: true, messageId: null, sender: null, content: null, createdAt: null })).toBeNull();
    expect(messageOfEvent({ ...base, type: 'CONVERSATION_CREATED', name: 'Plans', messageId: null, sender: null, content: null, createdAt: null })).toBeNull();
    // Even one that carried message fields is not a message.
    expect(messageOfEvent({ ...base, type: 'CONVERSATION_CREATED' })).toBeNull();
    expect(messageOfEvent({ ...base, messageId: null })).toBeNull();
  });
});
