/**
 * Reactions on the offline sandbox with the stock aws-amplify v6 client, as the web app uses it: toggleReaction through
 * the real message processor, REACTION events on the server-published stream (onMyConversations, onConversationEvent),
 * and a page of messages read with its reactions in one index query (listConversationReactions, after the membership check). A and B share a
 * conversation; C is never in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signOut } from 'aws-amplify/auth';
import { configureAmplify } from '../../src/amplify-config';
import { reactionsOf, historyOf, recorder, signUpEveryone, signedInAs, type ConversationEvent } from './stock-client';
import { installWebSocket, startTestSandbox, subscriptionAcks, type TestSandbox } from './helpers';

installWebSocket();
type User = 'a' | 'b' | 'c';
let env: TestSandbox;
const ids: Record<User, string> = { a: '', b: '', c: '' };
const emails: Record<User, string> = { a: 'ann.reacts@example.com', b: 'bob.reacts@example.com', c: 'cat.reacts@example.com' };
let conversationId = '';
let messageId = '';
let cConversationId = '';
type Event = ConversationEvent;

const as = (user: User) => signedInAs(emails[user]);


const reactionOf = (emoji: string, userId: string, reacted: boolean) => (e: Event) => e.type === 'REACTION' && e.emoji === emoji && e.userId === userId && e.reacted === reacted;

beforeAll(async () => {
  env = await startTestSandbox();
  configureAmplify(env.outputs);
  Object.assign(ids, await signUpEveryone(env, emails));
  const a = await as('a');
  conversationId = (await a.mutations.createConversation({ input: { name: 'A+B reactions', participants: [ids.b] } })).data!.conversationId;
  const b = await as('b');
  messageId = (await b.mutations.sendMessage({ input: { conversationId, content: 'lunch at noon?' } })).data!.messageId;
  const c = await as('c');
  cConversationId = (await c.mutations.createConversation({ input: { name: 'C alone', participants: [] } })).data!.conversationId;
});

afterAll(async () => {
  await signOut().catch(() => undefined);
  await env?.sandbox.close();
});

describe('reactions with the stock client', () => {
  it('A reacts, B adds the same emoji, A takes hers back: every participant gets each REACTION live with the users and count; C gets nothing', async () => {
    const c = await as('c');
    const cSeen = recorder();
    let acked = subscriptionAcks(1);
    const cSub = c.subscriptions.onMyConversations().subscribe({ next: (e) => cSeen.next(e) });
    await acked;
    const b = await as('b');
    const bSeen = recorder();
    acked = subscriptionAcks(1);
    const bSub = b.subscriptions.onMyConversations().subscribe({ next: (e) => bSeen.next(e) });
    await acked;
    const a = await as('a');
    const aSeen = recorder();
    acked = subscriptionAcks(1);
    const aSub = a.subscriptions.onConversationEvent({ conversationId }).subscribe({ next: (e) => aSeen.next(e) });
    await acked;

    const on = await a.mutations.toggleReaction({ conversationId, messageId, emoji: '👍' });
    expect(on.errors).toBeUndefined();
    expect(on.data).toMatchObject({ conversationId, messageId, emoji: '👍', userId: ids.a, reacted: true, users: [ids.a], count: 1 });
    expect(await bSeen.waitFor(reactionOf('👍', ids.a, true))).toMatchObject({ conversationId, messageId, reactionUsers: [ids.a], reactionCount: 1, content: null });

    const bClient = await as('b');
    const both = await bClient.mutations.toggleReaction({ conversationId, messageId, emoji: '👍', reacted: true });
    expect(both.data).toMatchObject({ reacted: true, count: 2 });
    const bothEvent = await aSeen.waitFor(reactionOf('👍', ids.b, true));
    expect([...(bothEvent.reactionUsers ?? [])].sort()).toEqual([ids.a, ids.b].sort());
    expect(bothEvent.reactionCount).toBe(2);

    const aClient = await as('a');
    const off = await aClient.mutations.toggleReaction({ conversationId, messageId, emoji: '👍' });
    expect(off.data).toMatchObject({ reacted: false, users: [ids.b], count: 1 });
    expect(await bSeen.waitFor(reactionOf('👍', ids.a, false))).toMatchObject({ reactionUsers: [ids.b], reactionCount: 1 });
    expect(await aSeen.waitFor(reactionOf('👍', ids.a, false))).toMatchObject({ reactionCount: 1 });

    // C's fence: an event of C's own conversation, published after all of the above.
    const cClient = await as('c');
    await cClient.mutations.sendMessage({ input: { conversationId: cConversationId, content: 'fence' } });
    await cSeen.waitFor((e) => e.type === 'MESSAGE_SENT' && e.content === 'fence');
    expect(cSeen.events.filter((e) => e.conversationId === conversationId)).toEqual([]);
    for (const sub of [aSub, bSub, cSub]) sub.unsubscribe();
  });

  it('reads a page of messages with its reactions in one index query (counts, who, whether I reacted)', async () => {
    const a = await as('a');
    await a.mutations.toggleReaction({ conversationId, messageId, emoji: '🎉', reacted: true });
    const later = (await a.mutations.sendMessage({ input: { conversationId, content: 'see you' } })).data!;
    await a.mutations.toggleReaction({ conversationId, messageId: later.messageId, emoji: '❤️', reacted: true });
    const page = await historyOf(a, { conversationId, sortDirection: 'DESC', limit: 30 });
    const times = page.data.map((m) => m.createdAt).sort();
    const reactions = await reactionsOf(a, { conversationId, from: times[0]!, to: times[times.length - 1]! });
    expect(reactions.errors).toBeUndefined();
    const summary = reactions.data.map((r) => `${r.messageId === messageId ? 'first' : 'later'} ${r.emoji} ${r.userId === ids.a ? 'A' : r.userId === ids.b ? 'B' : r.userId}`).sort();
    expect(summary).toEqual(['first 🎉 A', 'first 👍 B', 'later ❤️ A']);
    // The reactions of one message: its time, the index's sort key.
    const first = page.data.find((m) => m.id === messageId)!;
    const ofMessage = await reactionsOf(a, { conversationId, from: first.createdAt, to: first.createdAt });
    expect(ofMessage.data.map((r) => r.reactionKey).sort()).toEqual([`🎉#${ids.a}`, `👍#${ids.b}`].sort());
  });

  it('refuses C: no toggle, no read of the reactions, the same answer as for a missing conversation', async () => {
    const c = await as('c');
    const toggled = await c.mutations.toggleReaction({ conversationId, messageId, emoji: '👍' });
    expect(toggled.data).toBeNull();
    expect(toggled.errors?.[0]?.message).toBe(`Unauthorized: not a participant of conversation ${conversationId}`);
    // Naming C's own conversation does not help either.
    const own = await c.mutations.toggleReaction({ conversationId: cConversationId, messageId, emoji: '👍' });
    expect(own.errors?.[0]?.message).toBe(`NotFound: message ${messageId} is not in conversation ${cConversationId}`);
    const read = await reactionsOf(c, { conversationId });
    expect(read.data).toEqual([]);
    expect(read.errors?.[0]?.errorType).toBe('Unauthorized');
    // And B's reaction is as B left it.
    const b = await as('b');
    expect((await reactionsOf(b, { conversationId })).data.map((r) => r.reactionKey)).toContain(`👍#${ids.b}`);
  });
});
