/**
 * Conversation members on the offline sandbox with the stock aws-amplify v6 client, as the web app uses it: Ann (the
 * owner) adds Cat to her group with Bob, then removes Bob. Cat hears of it live (MEMBERS_CHANGED and the SYSTEM
 * message on onMyConversations), then reads the conversation and receives its events; Bob's event subscriptions of the
 * conversation are ended by AppSync subscription invalidation (a `complete` frame each), his onMyConversations stays
 * open and delivers the MEMBERS_CHANGED that drops the conversation and nothing of it afterwards, and every call of his
 * there is refused, history included; Cat reads the whole history.
 *
 * What the stock client does with an invalidation: its realtime provider ignores `complete` frames (neither `error`
 * nor `complete` reaches the observer), so an app learns of its removal from MEMBERS_CHANGED on onMyConversations, not
 * from its closed subscriptions. The frames are read off the WebSocket itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signOut } from 'aws-amplify/auth';
import { configureAmplify } from '../../src/amplify-config';
import { historyOf, recorder, signUpEveryone, signedInAs, type ConversationEvent } from './stock-client';
import { startTestSandbox, subscriptionAcks, type TestSandbox } from './helpers';

type User = 'a' | 'b' | 'c';
let env: TestSandbox;
const ids: Record<User, string> = { a: '', b: '', c: '' };
const emails: Record<User, string> = { a: 'ann.members@example.com', b: 'bob.members@example.com', c: 'cat.members@example.com' };
let conversationId = '';
let bobSolo = '';
let bobsMessage = '';

const as = (user: User) => signedInAs(emails[user]);
const entry = (user: User) => `${ids[user]}::${ids[user]}`;

/** Every frame on every socket the client opens: the subscriptions started (id → field and variables) and the frames received. */
const started = new Map<string, { field: string; conversationId: string | null }>();
const received: { id?: string; type: string }[] = [];
const frameWaiters: { test: (f: { id?: string; type: string }) => boolean; resolve: () => void }[] = [];

class RecordingWebSocket extends WebSocket {
  constructor(address: string | URL, protocols?: string | string[]) {
    super(address, protocols);
    this.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { id?: string; type: string };
      received.push(frame);
      for (const waiter of frameWaiters.filter((w) => w.test(frame))) waiter.resolve();
    });
  }

  override send(data: unknown, ...rest: unknown[]): void {
    const frame = JSON.parse(String(data)) as { id?: string; type: string; payload?: { data?: string } };
    if (frame.type === 'start' && frame.id && frame.payload?.data) {
      const { query, variables } = JSON.parse(frame.payload.data) as { query: string; variables?: { conversationId?: string } };
      started.set(frame.id, { field: /\{\s*(on\w+)/.exec(query)?.[1] ?? '?', conversationId: variables?.conversationId ?? null });
    }
    (WebSocket.prototype.send as (...args: unknown[]) => void).call(this, data, ...rest);
  }
}

const completed = (id: string) => new Promise<void>((resolve) => {
  if (received.some((f) => f.type === 'complete' && f.id === id)) resolve();
  else frameWaiters.push({ test: (f) => f.type === 'complete' && f.id === id, resolve });
});

beforeAll(async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket = RecordingWebSocket;
  env = await startTestSandbox();
  configureAmplify(env.outputs);
  Object.assign(ids, await signUpEveryone(env, emails));
  const a = await as('a');
  conversationId = (await a.mutations.createConversation({ input: { name: 'Team', participants: [ids.b] } })).data!.conversationId;
  await a.mutations.sendMessage({ input: { conversationId, content: 'before Cat' } });
  const b = await as('b');
  bobsMessage = (await b.mutations.sendMessage({ input: { conversationId, content: 'from Bob' } })).data!.messageId;
  bobSolo = (await b.mutations.createConversation({ input: { name: 'Bob alone', participants: [] } })).data!.conversationId;
});

afterAll(async () => {
  await signOut().catch(() => undefined);
  await env?.sandbox.close();
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
});

const isSystem = (action: string, target: string) => (e: ConversationEvent) =>
  e.type === 'MESSAGE_SENT' && e.conversationId === conversationId && e.messageType === 'SYSTEM' && e.systemAction === action && (e.targets ?? []).includes(target);

describe('members with the stock client', () => {
  it('the conversation is a GROUP owned by its creator', async () => {
    const a = await as('a');
    const conversation = await a.models.Conversation.get({ id: conversationId });
    expect(conversation.data).toMatchObject({ kind: 'GROUP', owners: [entry('a')] });
  });

  it('Bob (a member, not an owner) may not add Cat; Cat may not add herself', async () => {
    const b = await as('b');
    const byBob = await b.mutations.addMembers({ conversationId, userIds: [ids.c] });
    expect(byBob.data).toBeNull();
    expect(byBob.errors?.[0]?.message).toBe(`Unauthorized: only an owner of conversation ${conversationId} may add members`);
    const c = await as('c');
    const byCat = await c.mutations.addMembers({ conversationId, userIds: [ids.c] });
    expect(byCat.errors?.[0]?.message).toBe(`Unauthorized: not a participant of conversation ${conversationId}`);
  });

  it('Ann adds Cat: Cat hears of it live (MEMBERS_CHANGED, then the SYSTEM message), reads the conversation, and receives its events', async () => {
    const c = await as('c');
    const cSeen = recorder();
    let acked = subscriptionAcks(1);
    const cMine = c.subscriptions.onMyConversations().subscribe({ next: (e) => cSeen.next(e) });
    await acked;
    const a = await as('a');
    const added = await a.mutations.addMembers({ conversationId, userIds: [ids.c] });
    expect(added.errors).toBeUndefined();
    expect(added.data).toMatchObject({ conversationId, kind: 'GROUP', participants: [entry('a'), entry('b'), entry('c')], owners: [entry('a')] });
    const changed = await cSeen.waitFor((e) => e.type === 'MEMBERS_CHANGED' && e.conversationId === conversationId);
    expect(changed).toMatchObject({ userId: ids.a, name: 'Team', members: [entry('a'), entry('b'), entry('c')], owners: [entry('a')], systemAction: 'ADDED', actor: ids.a, targets: [ids.c] });
    const system = await cSeen.waitFor(isSystem('ADDED', ids.c));
    expect(system).toMatchObject({ sender: ids.a, actor: ids.a, messageId: added.data!.systemMessageIds[0] });

    const cAgain = await as('c');
    expect((await cAgain.models.Conversation.get({ id: conversationId })).data).toMatchObject({ id: conversationId, name: 'Team' });
    // Members read the whole history, what was sent before they joined included, and the record of their joining.
    const history = await historyOf(cAgain, { conversationId, sortDirection: 'ASC' });
    expect(history.errors).toBeUndefined();
    expect(history.data.map((m) => (m.messageType === 'SYSTEM' ? `${m.systemAction} ${(m.targets ?? []).join(',')}` : m.content))).toEqual(['before Cat', 'from Bob', `ADDED ${ids.c}`]);
    acked = subscriptionAcks(1);
    const cEvents = recorder();
    const cSub = cAgain.subscriptions.onConversationEvent({ conversationId }).subscribe({ next: (e) => cEvents.next(e) });
    await acked;
    const a2 = await as('a');
    await a2.mutations.sendMessage({ input: { conversationId, content: 'welcome Cat' } });
    await cEvents.waitFor((e) => e.type === 'MESSAGE_SENT' && e.content === 'welcome Cat');
    cSub.unsubscribe();
    cMine.unsubscribe();
  });

  it("Ann removes Bob: his event subscriptions of the conversation are closed, onMyConversations tells him and then nothing of it, and he is refused everywhere", async () => {
    const b = await as('b');
    const bMine = recorder();
    const bEvents = recorder();
    const observerEnds: string[] = [];
    const before = new Set(started.keys());
    const acked = subscriptionAcks(4);
    const subs = [
      b.subscriptions.onMyConversations().subscribe({ next: (e) => bMine.next(e) }),
      b.subscriptions.onConversationEvent({ conversationId }).subscribe({ next: (e) => bEvents.next(e), error: () => observerEnds.push('error'), complete: () => observerEnds.push('complete') }),
      b.subscriptions.onMessageSent({ conversationId }).subscribe({ next: (e) => bEvents.next(e), error: () => observerEnds.push('error'), complete: () => observerEnds.push('complete') }),
      b.subscriptions.onTyping({ conversationId }).subscribe({ next: (e) => bEvents.next(e), error: () => observerEnds.push('error'), complete: () => observerEnds.push('complete') }),
    ];
    await acked;
    const bobs = [...started.entries()].filter(([id]) => !before.has(id));
    const open = bobs.filter(([, s]) => s.conversationId === conversationId).map(([id]) => id);
    expect(open.map((id) => started.get(id)!.field).sort()).toEqual(['onConversationEvent', 'onMessageSent', 'onTyping']);
    const myConversationsIds = bobs.filter(([, s]) => s.field === 'onMyConversations').map(([id]) => id);
    expect(myConversationsIds).toHaveLength(1);

    // Before the removal Bob receives the conversation's messages (so silence afterwards means something).
    const a = await as('a');
    await a.mutations.sendMessage({ input: { conversationId, content: 'before removal' } });
    await bEvents.waitFor((e) => e.content === 'before removal');

    const removed = await a.mutations.removeMember({ conversationId, userId: ids.b });
    expect(removed.errors).toBeUndefined();
    expect(removed.data).toMatchObject({ participants: [entry('a'), entry('c')], owners: [entry('a')] });
    // AppSync closes each of Bob's three subscriptions with a `complete` frame.
    await Promise.all(open.map(completed));
    // onMyConversations stays open: the MEMBERS_CHANGED that drops the conversation reaches Bob on it.
    const dropped = await bMine.waitFor((e) => e.type === 'MEMBERS_CHANGED' && e.conversationId === conversationId);
    expect(dropped).toMatchObject({ systemAction: 'REMOVED', actor: ids.a, targets: [ids.b], members: [entry('a'), entry('c')] });
    expect(myConversationsIds.every((id) => !received.some((f) => f.type === 'complete' && f.id === id))).toBe(true);

    // After the removal: a message, typing, an edit and a reaction there; Bob hears none of it.
    const after = await a.mutations.sendMessage({ input: { conversationId, content: 'after removal' } });
    await a.mutations.sendTyping({ conversationId, typing: true });
    await a.mutations.toggleReaction({ conversationId, messageId: after.data!.messageId, emoji: '👍' });
    const bob = await as('b');
    const refusal = `Unauthorized: not a participant of conversation ${conversationId}`;
    expect((await bob.mutations.sendMessage({ input: { conversationId, content: 'still here?' } })).errors?.[0]?.message).toBe(refusal);
    expect((await bob.mutations.sendTyping({ conversationId, typing: true })).errors?.[0]?.message).toBe(refusal);
    expect((await bob.mutations.toggleReaction({ conversationId, messageId: after.data!.messageId, emoji: '👍' })).errors?.[0]?.message).toBe(refusal);
    expect((await bob.mutations.markRead({ conversationId, messageId: after.data!.messageId })).errors?.[0]?.message).toBe(refusal);
    expect((await bob.mutations.editMessage({ messageId: bobsMessage, content: 'edited after removal' })).errors?.[0]?.message).toBe(refusal);
    expect((await bob.mutations.leaveConversation({ conversationId })).errors?.[0]?.message).toBe(refusal);
    // History is refused, even of what Bob received while a member.
    const history = await historyOf(bob, { conversationId });
    expect(history.data).toEqual([]);
    expect(history.errors?.[0]?.errorType).toBe('Unauthorized');
    expect((await bob.queries.listConversationReactions({ conversationId })).errors?.[0]?.errorType).toBe('Unauthorized');
    expect((await bob.queries.listConversationReadPoints({ conversationId })).errors?.[0]?.errorType).toBe('Unauthorized');
    const got = await bob.models.Conversation.get({ id: conversationId });
    expect(got.data).toBeNull();
    expect(got.errors?.[0]?.errorType).toBe('Unauthorized');

    // Fence: an event of Bob's own conversation on his onMyConversations, published after all of the above.
    await bob.mutations.sendMessage({ input: { conversationId: bobSolo, content: 'fence' } });
    await bMine.waitFor((e) => e.conversationId === bobSolo && e.content === 'fence');
    const afterDrop = bMine.events.slice(bMine.events.indexOf(dropped) + 1).filter((e) => e.conversationId === conversationId);
    expect(afterDrop).toEqual([]);
    expect(bEvents.events.map((e) => e.content)).not.toContain('after removal');
    for (const id of open) {
      const at = received.findIndex((f) => f.type === 'complete' && f.id === id);
      expect(received.slice(at + 1).filter((f) => f.id === id)).toEqual([]);
    }
    // The stock client does not pass the `complete` on: the observers saw neither an error nor a completion.
    expect(observerEnds).toEqual([]);
    for (const sub of subs) sub.unsubscribe();
    // Subscribing again is refused (last: the stock client closes its socket on a refused subscription, and reconnects).
    const refused = await new Promise<unknown>((resolve) => {
      bob.subscriptions.onConversationEvent({ conversationId }).subscribe({ next: () => resolve('delivered'), error: resolve });
    });
    expect(JSON.stringify(refused)).toContain('Not Authorized to access onConversationEvent on type Subscription');
  });

  it('a 1:1 stays a 1:1: no adding, no removing, no leaving', async () => {
    const a = await as('a');
    const direct = (await a.mutations.createConversation({ input: { participants: [ids.b] } })).data!;
    expect(direct.kind).toBe('DIRECT');
    const refusal = `ValidationError: conversation ${direct.conversationId} is a direct conversation: it keeps its two people`;
    expect((await a.mutations.addMembers({ conversationId: direct.conversationId, userIds: [ids.c] })).errors?.[0]?.message).toBe(refusal);
    expect((await a.mutations.removeMember({ conversationId: direct.conversationId, userId: ids.b })).errors?.[0]?.message).toBe(refusal);
    expect((await a.mutations.leaveConversation({ conversationId: direct.conversationId })).errors?.[0]?.message).toBe(refusal);
  });
});
