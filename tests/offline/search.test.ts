/**
 * Message search on the offline sandbox with the stock aws-amplify v6 client, as the web app uses it: messages sent,
 * edited and removed through the real message processor keep the MessageSearchIndex table, and searchMessages (a
 * custom query answered by the same Lambda) finds them newest first with paging, only in conversations the caller is
 * in now. A and B share a conversation; C is never in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signOut } from 'aws-amplify/auth';
import { generateClient } from 'aws-amplify/data';
import type { Schema } from '../../amplify/data/resource';
import { configureAmplify } from '../../src/amplify-config';
import { signUpEveryone, signedInAs } from './stock-client';
import { installWebSocket, startTestSandbox, type TestSandbox } from './helpers';

installWebSocket();
type User = 'a' | 'b' | 'c';
let env: TestSandbox;
const ids: Record<User, string> = { a: '', b: '', c: '' };
const emails: Record<User, string> = { a: 'ann.search@example.com', b: 'bob.search@example.com', c: 'cat.search@example.com' };
let conversationId = '';
let cConversationId = '';
const sent: string[] = [];

const as = (user: User) => signedInAs(emails[user]);

beforeAll(async () => {
  env = await startTestSandbox();
  configureAmplify(env.outputs);
  Object.assign(ids, await signUpEveryone(env, emails));
  const a = await as('a');
  conversationId = (await a.mutations.createConversation({ input: { name: 'A+B search', participants: [ids.b] } })).data!.conversationId;
  for (const content of ['Meet at the Café at noon', 'the weather is fine', 'café or tea?']) {
    sent.push((await a.mutations.sendMessage({ input: { conversationId, content } })).data!.messageId);
  }
  const c = await as('c');
  cConversationId = (await c.mutations.createConversation({ input: { name: 'C alone', participants: [] } })).data!.conversationId;
});

afterAll(async () => {
  await signOut().catch(() => undefined);
  await env?.sandbox.close();
});

describe('searchMessages with the stock client', () => {
  it('B finds the messages with a word, diacritics folded, newest first, page by page, with conversation, sender and snippet', async () => {
    const b = await as('b');
    const first = await b.queries.searchMessages({ query: 'cafe', conversationIds: [conversationId], limit: 1 });
    expect(first.errors).toBeUndefined();
    expect(first.data?.items).toEqual([
      { conversationId, conversationName: 'A+B search', messageId: sent[2], createdAt: expect.any(String), sender: ids.a, snippet: 'café or tea?', terms: ['cafe'] },
    ]);
    expect(first.data?.nextToken).toEqual(expect.any(String));
    const second = await b.queries.searchMessages({ query: 'cafe', conversationIds: [conversationId], limit: 1, nextToken: first.data!.nextToken });
    expect(second.data?.items.map((hit) => hit.messageId)).toEqual([sent[0]]);
    const rest = second.data?.nextToken ? await b.queries.searchMessages({ query: 'cafe', limit: 1, nextToken: second.data.nextToken }) : null;
    expect(rest?.data?.items ?? []).toEqual([]);
  });

  it('an edit and a removal change what is found', async () => {
    const a = await as('a');
    await a.mutations.editMessage({ messageId: sent[1]!, content: 'the weather at the café is fine' });
    await a.mutations.removeMessage({ messageId: sent[2]! });
    const b = await as('b');
    const found = await b.queries.searchMessages({ query: 'CAFÉ', conversationIds: [conversationId] });
    expect(found.data?.items.map((hit) => hit.messageId)).toEqual([sent[1], sent[0]]);
    expect((await b.queries.searchMessages({ query: 'tea', conversationIds: [conversationId] })).data?.items).toEqual([]);
  });

  it('C, not in the conversation, finds nothing there, named or in a forged token; signed out, the client sends nothing', async () => {
    const c = await as('c');
    expect((await c.queries.searchMessages({ query: 'cafe', conversationIds: [conversationId, cConversationId] })).data).toEqual({ items: [], nextToken: null });
    const forged = Buffer.from(JSON.stringify({ q: ['cafe'], c: { [conversationId]: null } })).toString('base64url');
    expect((await c.queries.searchMessages({ query: 'cafe', nextToken: forged })).data).toEqual({ items: [], nextToken: null });
    await signOut();
    // The stock client sends nothing without a session (the API's own 401 for a signed-out caller: the matrix).
    await expect(generateClient<Schema>().queries.searchMessages({ query: 'cafe', conversationIds: [conversationId] })).rejects.toThrow(/jwt/);
  });
});
