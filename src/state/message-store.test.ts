import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from '../chat/messages';
import {
  conversationMessages,
  emptyMessageStore,
  firstPageLoaded,
  messageStoreReducer,
  needsCatchUp,
  type MessageStore,
  type MessageStoreAction,
} from './message-store';

const A = 'conv-a';
const B = 'conv-b';
const ME = 'sub-me';
const ANN = 'sub-ann';
const at = (second: number) => `2024-05-01T10:00:${String(second).padStart(2, '0')}.000Z`;

function msg(id: string, second: number, extra: Partial<IncomingMessage> = {}): IncomingMessage {
  return { id, conversationId: A, content: `text ${id}`, sender: ANN, createdAt: at(second), ...extra };
}

function apply(store: MessageStore, ...actions: MessageStoreAction[]): MessageStore {
  return actions.reduce(messageStoreReducer, store);
}

const ids = (store: MessageStore, conversationId = A) =>
  conversationMessages(store, conversationId).timeline.messages.map((m) => m.id);

/** A conversation whose newest page (with `items`) has loaded while events were flowing. */
function loaded(items: IncomingMessage[], options: { nextToken?: string | null; live?: boolean } = {}): MessageStore {
  return apply(
    emptyMessageStore(),
    { type: 'pageStarted', conversationId: A, requestId: 'r1' },
    {
      type: 'pageReceived',
      conversationId: A,
      requestId: 'r1',
      items,
      nextToken: options.nextToken ?? null,
      live: options.live ?? true,
    },
  );
}

describe('paging', () => {
  it('loads the newest page, then older pages, into one sorted timeline', () => {
    let store = loaded([msg('m3', 3), msg('m4', 4)], { nextToken: 't1' });
    expect(firstPageLoaded(conversationMessages(store, A))).toBe(true);
    expect(conversationMessages(store, A).pages.nextToken).toBe('t1');
    store = apply(
      store,
      { type: 'pageStarted', conversationId: A, requestId: 'r2' },
      { type: 'pageReceived', conversationId: A, requestId: 'r2', items: [msg('m1', 1), msg('m2', 2)], nextToken: null, live: true },
    );
    expect(ids(store)).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(conversationMessages(store, A).pages.exhausted).toBe(true);
  });

  it('ignores an answer for a request it no longer waits for', () => {
    const store = apply(
      emptyMessageStore(),
      { type: 'pageStarted', conversationId: A, requestId: 'r1' },
      { type: 'pageReceived', conversationId: A, requestId: 'stale', items: [msg('m1', 1)], nextToken: null, live: true },
    );
    expect(ids(store)).toEqual([]);
    expect(conversationMessages(store, A).pages.loading).toBe(true);
  });

  it('records a failed page so that it can be requested again', () => {
    const store = apply(
      emptyMessageStore(),
      { type: 'pageStarted', conversationId: A, requestId: 'r1' },
      { type: 'pageFailed', conversationId: A, requestId: 'r1', error: 'Network error' },
    );
    const entry = conversationMessages(store, A);
    expect(entry.pages.error).toBe('Network error');
    expect(entry.pages.loading).toBe(false);
    expect(firstPageLoaded(entry)).toBe(false);
  });

  it('does not let history pages move the catch-up cursor', () => {
    let store = loaded([msg('m5', 5)], { nextToken: 't' });
    store = apply(
      store,
      { type: 'pageStarted', conversationId: A, requestId: 'r2' },
      { type: 'pageReceived', conversationId: A, requestId: 'r2', items: [msg('m1', 1)], nextToken: null, live: true },
    );
    expect(conversationMessages(store, A).timeline.syncedThrough).toBe(at(5));
  });
});

describe('live events', () => {
  it('apply to every open conversation they belong to, and to no other', () => {
    let store = loaded([msg('m1', 1)]);
    store = apply(store, { type: 'received', items: [msg('m2', 2), msg('x1', 3, { conversationId: B })] });
    expect(ids(store)).toEqual(['m1', 'm2']);
    expect(store.conversations.has(B)).toBe(false);
  });

  it('apply edits and removals', () => {
    let store = loaded([msg('m1', 1), msg('m2', 2)]);
    store = apply(store, {
      type: 'received',
      items: [msg('m1', 1, { content: 'fixed', editedAt: at(9) }), msg('m2', 2, { deleted: true })],
    });
    const [only] = conversationMessages(store, A).timeline.messages;
    expect(ids(store)).toEqual(['m1']);
    expect(only?.content).toBe('fixed');
    expect(only?.editedAt).toBe(at(9));
  });

  it('returns the same store when nothing changed', () => {
    const store = loaded([msg('m1', 1)]);
    expect(apply(store, { type: 'received', items: [msg('m1', 1)] })).toBe(store);
  });
});

describe('sending', () => {
  const draft = { clientMessageId: 'c1', content: 'hello', sender: ME, createdAt: at(10) };
  const confirmed = msg('srv-c1', 11, { sender: ME, clientMessageId: 'c1', content: 'hello' });

  it('shows a pending message, then the confirmed one in its place', () => {
    let store = apply(loaded([]), { type: 'sendStarted', conversationId: A, draft });
    expect(conversationMessages(store, A).timeline.messages.map((m) => m.status)).toEqual(['pending']);
    store = apply(store, { type: 'sendConfirmed', message: confirmed });
    expect(ids(store)).toEqual(['srv-c1']);
    expect(conversationMessages(store, A).timeline.messages[0]?.status).toBe('confirmed');
  });

  it('keeps one message when the subscription delivers it before the answer', () => {
    const store = apply(
      loaded([]),
      { type: 'sendStarted', conversationId: A, draft },
      { type: 'received', items: [confirmed] },
      { type: 'sendConfirmed', message: confirmed },
    );
    expect(ids(store)).toEqual(['srv-c1']);
  });

  it('marks a failed send, retries it as pending with the same clientMessageId, or discards it', () => {
    let store = apply(
      loaded([]),
      { type: 'sendStarted', conversationId: A, draft },
      { type: 'sendFailed', conversationId: A, clientMessageId: 'c1', error: 'Network error' },
    );
    const failed = conversationMessages(store, A).timeline.messages[0];
    expect(failed?.status).toBe('failed');
    expect(failed?.error).toBe('Network error');
    const retried = apply(store, { type: 'sendRetried', conversationId: A, clientMessageId: 'c1' });
    expect(conversationMessages(retried, A).timeline.messages.map((m) => [m.status, m.clientMessageId])).toEqual([['pending', 'c1']]);
    store = apply(store, { type: 'sendDiscarded', conversationId: A, clientMessageId: 'c1' });
    expect(ids(store)).toEqual([]);
  });

  it('can send into a conversation whose history is not loaded yet', () => {
    const store = apply(emptyMessageStore(), { type: 'sendStarted', conversationId: B, draft });
    expect(ids(store, B)).toEqual(['pending:c1']);
  });

  it('applies the answers to edit and remove', () => {
    let store = loaded([msg('m1', 1, { sender: ME })]);
    store = apply(store, { type: 'edited', message: msg('m1', 1, { sender: ME, content: 'new', editedAt: at(5) }) });
    expect(conversationMessages(store, A).timeline.messages[0]?.content).toBe('new');
    store = apply(store, { type: 'removed', conversationId: A, messageId: 'm1' });
    expect(ids(store)).toEqual([]);
    // A late create event for it does not bring it back.
    store = apply(store, { type: 'received', items: [msg('m1', 1, { sender: ME })] });
    expect(ids(store)).toEqual([]);
  });
});

describe('catching up after a disruption', () => {
  it('records the cursor at the disruption, not after later events', () => {
    let store = loaded([msg('m1', 1), msg('m2', 2)]);
    store = apply(store, { type: 'disrupted' });
    expect(conversationMessages(store, A).gap?.cursor).toBe(at(2));
    // The new subscription delivers a message before the catch-up runs: the cursor stays.
    store = apply(store, { type: 'received', items: [msg('m9', 9)] });
    expect(conversationMessages(store, A).gap?.cursor).toBe(at(2));
  });

  it('fills the gap without duplicates and clears it', () => {
    let store = apply(loaded([msg('m1', 1), msg('m2', 2)]), { type: 'disrupted' });
    expect(needsCatchUp(conversationMessages(store, A), false)).toBe(false);
    expect(needsCatchUp(conversationMessages(store, A), true)).toBe(true);
    store = apply(
      store,
      { type: 'received', items: [msg('m5', 5)] },
      { type: 'catchUpStarted', conversationId: A, requestId: 'c' },
    );
    expect(needsCatchUp(conversationMessages(store, A), true)).toBe(false);
    store = apply(store, {
      type: 'catchUpReceived',
      conversationId: A,
      requestId: 'c',
      items: [msg('m2', 2), msg('m3', 3), msg('m4', 4), msg('m5', 5)],
    });
    expect(ids(store)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(conversationMessages(store, A).gap).toBeNull();
  });

  it('keeps the gap (and its older cursor) when the connection drops again during the catch-up', () => {
    let store = apply(loaded([msg('m1', 1)]), { type: 'disrupted' }, { type: 'catchUpStarted', conversationId: A, requestId: 'c' });
    store = apply(store, { type: 'received', items: [msg('m3', 3)] }, { type: 'disrupted' });
    store = apply(store, { type: 'catchUpReceived', conversationId: A, requestId: 'c', items: [msg('m2', 2)] });
    const entry = conversationMessages(store, A);
    expect(ids(store)).toEqual(['m1', 'm2', 'm3']);
    expect(entry.gap?.cursor).toBe(at(1));
    expect(needsCatchUp(entry, true)).toBe(true);
  });

  it('records a gap for a first page that arrives while events are not flowing', () => {
    const store = loaded([msg('m1', 1)], { live: false });
    expect(conversationMessages(store, A).gap?.cursor).toBe(at(1));
    const empty = loaded([], { live: false });
    expect(conversationMessages(empty, A).gap).toEqual({ cursor: null, version: 1 });
  });

  it('records a gap for a first page in flight during a disruption, even if live again when it lands', () => {
    const store = apply(
      emptyMessageStore(),
      { type: 'pageStarted', conversationId: A, requestId: 'r1' },
      { type: 'disrupted' },
      { type: 'pageReceived', conversationId: A, requestId: 'r1', items: [msg('m1', 1)], nextToken: null, live: true },
    );
    expect(conversationMessages(store, A).gap?.cursor).toBe(at(1));
  });

  it('does not record a gap for a first page loaded while live', () => {
    expect(conversationMessages(loaded([msg('m1', 1)]), A).gap).toBeNull();
  });

  it('holds a failed catch-up until the next live connection or a dismissal', () => {
    let store = apply(
      loaded([msg('m1', 1)]),
      { type: 'disrupted' },
      { type: 'catchUpStarted', conversationId: A, requestId: 'c' },
      { type: 'catchUpFailed', conversationId: A, requestId: 'c', error: 'boom' },
    );
    expect(conversationMessages(store, A).catchUpError).toBe('boom');
    expect(needsCatchUp(conversationMessages(store, A), true)).toBe(false);
    store = apply(store, { type: 'live' });
    expect(needsCatchUp(conversationMessages(store, A), true)).toBe(true);
    store = apply(
      store,
      { type: 'catchUpStarted', conversationId: A, requestId: 'd' },
      { type: 'catchUpFailed', conversationId: A, requestId: 'd', error: 'boom' },
      { type: 'catchUpErrorDismissed', conversationId: A },
    );
    expect(needsCatchUp(conversationMessages(store, A), true)).toBe(true);
  });

  it('ignores a catch-up answer for another request', () => {
    const store = apply(
      loaded([msg('m1', 1)]),
      { type: 'disrupted' },
      { type: 'catchUpStarted', conversationId: A, requestId: 'c' },
      { type: 'catchUpReceived', conversationId: A, requestId: 'other', items: [msg('m2', 2)] },
    );
    expect(ids(store)).toEqual(['m1']);
    expect(conversationMessages(store, A).catchUp?.requestId).toBe('c');
  });
});
