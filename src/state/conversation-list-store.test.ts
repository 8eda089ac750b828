import { describe, expect, it } from 'vitest';
import type { ConversationEventInput } from './conversation-events';
import { listedConversation, type ListedConversation } from './conversation-list';
import { createConversationListStore } from './conversation-list-store';

/** A source whose listings answer when the test says so. */
function fakeSource() {
  const calls: { answer: (list: readonly ListedConversation[]) => void; fail: (error: Error) => void }[] = [];
  const source = {
    me: 'ann',
    list: () =>
      new Promise<readonly ListedConversation[]>((resolve, reject) => {
        calls.push({ answer: resolve, fail: reject });
      }),
    errorText: (error: unknown) => (error instanceof Error ? error.message : 'failed'),
  };
  return { calls, source };
}

/** Lets pending promise callbacks run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const conversation = (id: string, fields: Partial<ListedConversation> = {}) =>
  listedConversation({ id, participants: ['ann', 'bob'], createdAt: '2026-03-01T09:00:00.000Z', updatedAt: '2026-03-01T09:00:00.000Z', ...fields });

const created = (id: string): ConversationEventInput => ({
  type: 'CONVERSATION_CREATED',
  conversationId: id,
  at: '2026-03-01T10:00:00.000Z',
  name: null,
  participants: ['ann::ann', 'bob::bob'],
});

const sent = (id: string, createdAt: string, content: string): ConversationEventInput => ({
  type: 'MESSAGE_SENT',
  conversationId: id,
  at: createdAt,
  createdAt,
  content,
  messageType: 'TEXT',
  participants: ['ann::ann', 'bob::bob'],
});

describe('the conversation list store', () => {
  it('lists, then is ready with what was listed, telling its listeners', async () => {
    const { calls, source } = fakeSource();
    const store = createConversationListStore(source);
    let changes = 0;
    store.subscribe(() => (changes += 1));
    store.load(true);
    expect(store.getSnapshot().status).toBe('loading');
    calls[0]?.answer([conversation('c1')]);
    await settle();
    expect(store.getSnapshot()).toEqual({ conversations: [conversation('c1')], status: 'ready', error: null });
    expect(changes).toBe(1);
  });

  it('adds a created conversation from its event, without listing', async () => {
    const { calls, source } = fakeSource();
    const store = createConversationListStore(source);
    store.load(true);
    calls[0]?.answer([]);
    await settle();
    store.receive(created('c2'));
    expect(store.getSnapshot().conversations.map((c) => c.id)).toEqual(['c2']);
    expect(calls).toHaveLength(1);
  });

  it('moves the last message forward on MESSAGE_SENT, and keeps the same snapshot for a repeated event', async () => {
    const { calls, source } = fakeSource();
    const store = createConversationListStore(source);
    store.load(true);
    calls[0]?.answer([conversation('c1')]);
    await settle();
    store.receive(sent('c1', '2026-03-01T10:05:00.000Z', 'hello'));
    const after = store.getSnapshot();
    expect(after.conversations[0]).toMatchObject({ lastMessageAt: '2026-03-01T10:05:00.000Z', lastMessagePreview: 'hello' });
    store.receive(sent('c1', '2026-03-01T10:05:00.000Z', 'hello'));
    expect(store.getSnapshot()).toBe(after);
  });

  it('lists once for a burst of events about a conversation it lacks, and then holds it', async () => {
    const { calls, source } = fakeSource();
    const store = createConversationListStore(source);
    store.load(true);
    calls[0]?.answer([]);
    await settle();
    store.receive(sent('c9', '2026-03-01T10:05:00.000Z', 'one'));
    store.receive(sent('c9', '2026-03-01T10:06:00.000Z', 'two'));
    expect(calls).toHaveLength(2);
    calls[1]?.answer([conversation('c9', { lastMessageAt: '2026-03-01T10:06:00.000Z', lastMessagePreview: 'two' })]);
    await settle();
    store.receive(sent('c9', '2026-03-01T10:06:00.000Z', 'two'));
    expect(calls).toHaveLength(2);
    expect(store.getSnapshot().conversations).toEqual([
      conversation('c9', { lastMessageAt: '2026-03-01T10:06:00.000Z', lastMessagePreview: 'two' }),
    ]);
  });

  it('runs the requests made during a listing once, after it', async () => {
    const { calls, source } = fakeSource();
    const store = createConversationListStore(source);
    store.load(true);
    // Events for conversations created while the first listing was under way, and the connection coming back.
    store.receive(sent('c1', '2026-03-01T10:05:00.000Z', 'a'));
    store.receive(sent('c2', '2026-03-01T10:05:00.000Z', 'b'));
    store.reconnected();
    expect(calls).toHaveLength(1);
    calls[0]?.answer([]);
    await settle();
    expect(calls).toHaveLength(2);
    calls[1]?.answer([conversation('c1'), conversation('c2')]);
    await settle();
    expect(calls).toHaveLength(2);
    expect(store.getSnapshot().conversations.map((c) => c.id)).toEqual(['c1', 'c2']);
  });

  it('does not move the last message back when a listing read before a message answers after its event', async () => {
    const { calls, source } = fakeSource();
    const store = createConversationListStore(source);
    store.load(true);
    calls[0]?.answer([conversation('c1')]);
    await settle();
    store.reconnected();
    store.receive(sent('c1', '2026-03-01T10:05:00.000Z', 'live'));
    calls[1]?.answer([conversation('c1')]);
    await settle();
    expect(store.getSnapshot().conversations[0]).toMatchObject({ lastMessageAt: '2026-03-01T10:05:00.000Z', lastMessagePreview: 'live' });
  });

  it('shows a failed first listing, and "Try again" lists visibly', async () => {
    const { calls, source } = fakeSource();
    const store = createConversationListStore(source);
    store.load(true);
    calls[0]?.fail(new Error('Network error'));
    await settle();
    expect(store.getSnapshot()).toMatchObject({ status: 'error', error: 'Network error' });
    store.reload();
    expect(store.getSnapshot()).toMatchObject({ status: 'loading', error: null });
    calls[1]?.answer([conversation('c1')]);
    await settle();
    expect(store.getSnapshot()).toMatchObject({ status: 'ready', error: null });
  });

  it('keeps a shown list when a background listing fails, and lists again for an unknown conversation afterwards', async () => {
    const { calls, source } = fakeSource();
    const store = createConversationListStore(source);
    store.load(true);
    calls[0]?.answer([conversation('c1')]);
    await settle();
    store.receive(sent('c9', '2026-03-01T10:05:00.000Z', 'x'));
    calls[1]?.fail(new Error('Network error'));
    await settle();
    expect(store.getSnapshot()).toMatchObject({ status: 'ready', error: null, conversations: [conversation('c1')] });
    // The failed listing does not count: the next event about that conversation lists again.
    store.receive(sent('c9', '2026-03-01T10:06:00.000Z', 'y'));
    expect(calls).toHaveLength(3);
  });

  it('lists again for a conversation it already listed for once the connection comes back', async () => {
    const { calls, source } = fakeSource();
    const store = createConversationListStore(source);
    store.load(true);
    calls[0]?.answer([]);
    await settle();
    store.receive(sent('c9', '2026-03-01T10:05:00.000Z', 'x'));
    calls[1]?.answer([]);
    await settle();
    store.receive(sent('c9', '2026-03-01T10:06:00.000Z', 'y'));
    expect(calls).toHaveLength(2);
    store.reconnected();
    calls[2]?.answer([]);
    await settle();
    store.receive(sent('c9', '2026-03-01T10:07:00.000Z', 'z'));
    expect(calls).toHaveLength(4);
  });

  it('leaves the outcome of a failed listing to the one queued behind it', async () => {
    const { calls, source } = fakeSource();
    const store = createConversationListStore(source);
    store.load(true);
    store.reconnected();
    calls[0]?.fail(new Error('Network error'));
    await settle();
    expect(store.getSnapshot().status).toBe('loading');
    calls[1]?.answer([]);
    await settle();
    expect(store.getSnapshot()).toMatchObject({ status: 'ready', error: null });
  });

  it('holds the conversation createConversation answered', () => {
    const { source } = fakeSource();
    const store = createConversationListStore(source);
    store.upsert(conversation('c3'));
    expect(store.getSnapshot().conversations).toEqual([conversation('c3')]);
    // Its CONVERSATION_CREATED event, arriving next, changes nothing.
    const before = store.getSnapshot();
    store.receive({ ...created('c3'), at: '2026-03-01T09:00:00.000Z' });
    expect(store.getSnapshot()).toBe(before);
  });
});
