/**
 * Read points on the offline sandbox with the stock aws-amplify v6 client, as the web app uses it: markRead through the
 * real message processor, READ events on the server-published stream (onMyConversations, onConversationEvent) reaching
 * every participant and the reader's own other sessions, and every read point of a conversation read in one query on
 * the ReadReceipt table's key (listConversationReadPoints, after the membership check), and the caller's own in one query on its index (listMyReadPoints). A and B share a conversation; C is never in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signOut } from 'aws-amplify/auth';
import { configureAmplify } from '../../src/amplify-config';
import { myReadPointsOf, readPointsOf, recorder, signUpEveryone, signedInAs, type ConversationEvent } from './stock-client';
import { installWebSocket, startTestSandbox, subscriptionAcks, type TestSandbox } from './helpers';

installWebSocket();
type User = 'a' | 'b' | 'c';
let env: TestSandbox;
const ids: Record<User, string> = { a: '', b: '', c: '' };
const emails: Record<User, string> = { a: 'ann.reads@example.com', b: 'bob.reads@example.com', c: 'cat.reads@example.com' };
let conversationId = '';
const messageIds: string[] = [];
let cConversationId = '';
type Event = ConversationEvent;

const as = (user: User) => signedInAs(emails[user]);


const readOf = (userId: string, messageId: string) => (e: Event) => e.type === 'READ' && e.userId === userId && e.messageId === messageId;

beforeAll(async () => {
  env = await startTestSandbox();
  configureAmplify(env.outputs);
  Object.assign(ids, await signUpEveryone(env, emails));
  const a = await as('a');
  conversationId = (await a.mutations.createConversation({ input: { name: 'A+B reads', participants: [ids.b] } })).data!.conversationId;
  for (const content of ['one', 'two']) messageIds.push((await a.mutations.sendMessage({ input: { conversationId, content } })).data!.messageId);
  const c = await as('c');
  cConversationId = (await c.mutations.createConversation({ input: { name: 'C alone', participants: [] } })).data!.conversationId;
});

afterAll(async () => {
  await signOut().catch(() => undefined);
  await env?.sandbox.close();
});

describe('read points with the stock client', () => {
  it('B reads: A (the sender) and B on every subscription get READ live, the point only moves forward, C gets nothing', async () => {
    const c = await as('c');
    const cSeen = recorder();
    let acked = subscriptionAcks(1);
    const cSub = c.subscriptions.onMyConversations().subscribe({ next: (e) => cSeen.next(e) });
    await acked;
    const a = await as('a');
    const aSeen = recorder();
    acked = subscriptionAcks(1);
    const aSub = a.subscriptions.onConversationEvent({ conversationId }).subscribe({ next: (e) => aSeen.next(e) });
    await acked;
    const b = await as('b');
    // B's "other device": a second subscription of B's, which hears of B's own read.
    const bSeen = recorder();
    acked = subscriptionAcks(1);
    const bSub = b.subscriptions.onMyConversations().subscribe({ next: (e) => bSeen.next(e) });
    await acked;

    const first = await b.mutations.markRead({ conversationId, messageId: messageIds[0]! });
    expect(first.errors).toBeUndefined();
    expect(first.data).toMatchObject({ conversationId, userId: ids.b, messageId: messageIds[0], moved: true });
    const seenByA = await aSeen.waitFor(readOf(ids.b, messageIds[0]!));
    expect(seenByA).toMatchObject({ conversationId, readAt: first.data!.readAt, content: null });
    await bSeen.waitFor(readOf(ids.b, messageIds[0]!));

    const second = await b.mutations.markRead({ conversationId, messageId: messageIds[1]! });
    expect(second.data).toMatchObject({ messageId: messageIds[1], moved: true });
    await aSeen.waitFor(readOf(ids.b, messageIds[1]!));
    // A late call from another device for the older message: refused quietly, the answer is the stored point.
    const stale = await b.mutations.markRead({ conversationId, messageId: messageIds[0]! });
    expect(stale.data).toMatchObject({ messageId: messageIds[1], readAt: second.data!.readAt, moved: false });

    // C's fence: an event of C's own conversation, published after all of the above.
    const cClient = await as('c');
    await cClient.mutations.sendMessage({ input: { conversationId: cConversationId, content: 'fence' } });
    await cSeen.waitFor((e) => e.type === 'MESSAGE_SENT' && e.content === 'fence');
    expect(cSeen.events.filter((e) => e.conversationId === conversationId)).toEqual([]);
    // A's stream had exactly two READ events of B: the stale call published nothing.
    const aClient = await as('a');
    const fence = (await aClient.mutations.sendMessage({ input: { conversationId, content: 'after' } })).data!.messageId;
    await aSeen.waitFor((e) => e.type === 'MESSAGE_SENT' && e.messageId === fence);
    expect(aSeen.events.filter((e) => e.type === 'READ').map((e) => e.messageId)).toEqual([messageIds[0], messageIds[1]]);
    for (const sub of [aSub, bSub, cSub]) sub.unsubscribe();
  });

  it('reads every read point of the conversation in one query on the key, one member\'s by get, and one user\'s by the index', async () => {
    const a = await as('a');
    await a.mutations.markRead({ conversationId, messageId: messageIds[1]! });
    const all = await readPointsOf(a, { conversationId });
    expect(all.errors).toBeUndefined();
    expect(all.data.map((r) => `${r.userId === ids.a ? 'A' : 'B'} ${r.messageId === messageIds[1] ? 'two' : r.messageId}`).sort()).toEqual(['A two', 'B two']);
    expect(all.data.find((r) => r.userId === ids.b)).toMatchObject({ messageId: messageIds[1] });
    // The caller's own read points in every conversation: one query on the index.
    const mine = await myReadPointsOf(a);
    expect(mine.errors).toBeUndefined();
    expect(mine.data.map((r) => [r.conversationId, r.messageId])).toEqual([[conversationId, messageIds[1]]]);
  });

  it('refuses C: no markRead, no read of the read points, the same answer as for a missing conversation', async () => {
    const c = await as('c');
    const marked = await c.mutations.markRead({ conversationId, messageId: messageIds[0]! });
    expect(marked.data).toBeNull();
    expect(marked.errors?.[0]?.message).toBe(`Unauthorized: not a participant of conversation ${conversationId}`);
    const own = await c.mutations.markRead({ conversationId: cConversationId, messageId: messageIds[0]! });
    expect(own.errors?.[0]?.message).toBe(`NotFound: message ${messageIds[0]} is not in conversation ${cConversationId}`);
    const read = await readPointsOf(c, { conversationId });
    expect(read.data).toEqual([]);
    expect(read.errors?.[0]?.errorType).toBe('Unauthorized');
    // C's own read points name none of A+B's: listMyReadPoints reads the caller's only (there is no user argument).
    expect((await myReadPointsOf(c)).data.filter((r) => r.conversationId === conversationId)).toEqual([]);
    // C wrote nothing there: B's point is as B left it.
    const b = await as('b');
    expect((await readPointsOf(b, { conversationId })).data.find((r) => r.userId === ids.b)?.messageId).toBe(messageIds[1]);
  });
});
