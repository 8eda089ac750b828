/**
 * Threads on the offline sandbox with the stock aws-amplify v6 client, as the web app uses it: Bob replies in a thread
 * on Ann's message through the real message processor; Ann's subscription receives the reply (MESSAGE_SENT with
 * threadRootId) and the root's new count on the same event; the root's counts are read back with the history, which
 * does not list replies; the replies are paged on their own (listThreadReplies, after the membership check); Cat, never
 * in the conversation, is refused everything, and naming her own conversation with Ann's root gets her nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signOut } from 'aws-amplify/auth';
import { configureAmplify } from '../../src/amplify-config';
import { historyOf, recorder, signUpEveryone, signedInAs, threadRepliesOf } from './stock-client';
import { installWebSocket, startTestSandbox, subscriptionAcks, type TestSandbox } from './helpers';

installWebSocket();
type User = 'a' | 'b' | 'c';
let env: TestSandbox;
const ids: Record<User, string> = { a: '', b: '', c: '' };
const emails: Record<User, string> = { a: 'ann.threads@example.com', b: 'bob.threads@example.com', c: 'cat.threads@example.com' };
let conversationId = '';
let rootId = '';
let cConversationId = '';

const as = (user: User) => signedInAs(emails[user]);

beforeAll(async () => {
  env = await startTestSandbox();
  configureAmplify(env.outputs);
  Object.assign(ids, await signUpEveryone(env, emails));
  const a = await as('a');
  conversationId = (await a.mutations.createConversation({ input: { name: 'A+B threads', participants: [ids.b] } })).data!.conversationId;
  rootId = (await a.mutations.sendMessage({ input: { conversationId, content: 'who is in for lunch?' } })).data!.messageId;
  const c = await as('c');
  cConversationId = (await c.mutations.createConversation({ input: { name: 'C and A', participants: [ids.a] } })).data!.conversationId;
});

afterAll(async () => {
  await signOut().catch(() => undefined);
  await env?.sandbox.close();
});

describe('threads with the stock client', () => {
  it("Bob replies in Ann's thread: Ann's subscription receives the reply and the root's count; the history keeps the root, with its counts, and not the reply", async () => {
    const a = await as('a');
    const aSeen = recorder();
    const acked = subscriptionAcks(1);
    const aSub = a.subscriptions.onConversationEvent({ conversationId }).subscribe({ next: (e) => aSeen.next(e) });
    await acked;

    const b = await as('b');
    const sent = await b.mutations.sendMessage({ input: { conversationId, content: 'me!', threadRootId: rootId } });
    expect(sent.errors).toBeUndefined();
    expect(sent.data).toMatchObject({ conversationId, content: 'me!', threadRootId: rootId, sender: ids.b });
    const event = await aSeen.waitFor((e) => e.type === 'MESSAGE_SENT' && e.messageId === sent.data!.messageId);
    expect(event).toMatchObject({ threadRootId: rootId, content: 'me!', replyCount: 1, lastReplySender: ids.b, lastReplyAt: sent.data!.createdAt });
    aSub.unsubscribe();

    const history = await historyOf(b, { conversationId, sortDirection: 'DESC' });
    expect(history.errors).toBeUndefined();
    expect(history.data.map((m) => m.id)).toEqual([rootId]);
    expect(history.data[0]).toMatchObject({ replyCount: 1, lastReplySender: ids.b, lastReplyAt: sent.data!.createdAt });
  });

  it('pages through the replies, oldest first or newest first, each page after the membership check', async () => {
    const a = await as('a');
    for (const content of ['r2', 'r3', 'r4', 'r5']) {
      const reply = await a.mutations.sendMessage({ input: { conversationId, content, threadRootId: rootId } });
      expect(reply.errors).toBeUndefined();
    }
    const contents: string[] = [];
    let nextToken: string | null = null;
    let pages = 0;
    do {
      const page = await threadRepliesOf(a, { conversationId, threadRootId: rootId, limit: 2, nextToken });
      expect(page.errors).toBeUndefined();
      expect(page.data.length).toBeLessThanOrEqual(2);
      contents.push(...page.data.map((m) => m.content));
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken && pages < 10);
    expect(contents).toEqual(['me!', 'r2', 'r3', 'r4', 'r5']);
    expect(pages).toBeGreaterThanOrEqual(3);
    const newest = await threadRepliesOf(a, { conversationId, threadRootId: rootId, sortDirection: 'DESC', limit: 2 });
    expect(newest.data.map((m) => m.content)).toEqual(['r5', 'r4']);
    expect(newest.data.every((m) => m.threadRootId === rootId && m.conversationId === conversationId)).toBe(true);
  });

  it('refuses Cat: no read of the replies, no reply; her own conversation with Ann\'s root gets nothing', async () => {
    const c = await as('c');
    const read = await threadRepliesOf(c, { conversationId, threadRootId: rootId });
    expect(read.data).toEqual([]);
    expect(read.errors?.[0]?.errorType).toBe('Unauthorized');
    const reply = await c.mutations.sendMessage({ input: { conversationId, content: 'me too', threadRootId: rootId } });
    expect(reply.data).toBeNull();
    expect(reply.errors?.[0]?.message).toBe(`Unauthorized: not a participant of conversation ${conversationId}`);
    // Her own conversation passes the membership check; the replies are filtered on it.
    const crossed = await threadRepliesOf(c, { conversationId: cConversationId, threadRootId: rootId });
    expect(crossed.errors).toBeUndefined();
    expect(crossed.data).toEqual([]);
    const crossReply = await c.mutations.sendMessage({ input: { conversationId: cConversationId, content: 'sneaky', threadRootId: rootId } });
    expect(crossReply.errors?.[0]?.message).toBe(`NotFound: message ${rootId} is not in conversation ${cConversationId}`);
    // Ann's thread is as she left it.
    const a = await as('a');
    expect((await historyOf(a, { conversationId })).data[0]).toMatchObject({ id: rootId, replyCount: 5 });
  });
});
