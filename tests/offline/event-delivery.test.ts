/**
 * Delivery is decided by the server, not by the sender's selection set. A sends messages and typing into A+B's
 * conversation selecting only `__typename`, only the five fields the specified SendMessage operation selects, or
 * everything — over raw HTTP and through the stock aws-amplify client — and edits and removes one the same way. B,
 * subscribed with a raw AppSync real-time client and with the stock client, receives every event complete, exactly
 * once; C, subscribed to everything it may subscribe to, receives only the event of its own conversation that fences
 * the run.
 *
 * Frames on one socket arrive in publish order, so "exactly once" and "nothing" are asserted without sleeping: a
 * later event that must arrive is the fence, and anything wrongly delivered would have arrived before it.
 */
import { signIn, signOut } from 'aws-amplify/auth';
import { generateClient } from 'aws-amplify/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Schema } from '../../amplify/data/resource';
import { configureAmplify } from '../../src/amplify-config';
import { graphql, PASSWORD, RealtimeSocket, signInUser, signUpUser, userHeader, type Frame, type SignedInUser } from '../security/support';
import { installWebSocket, startTestSandbox, subscriptionAcks, type TestSandbox } from './helpers';

installWebSocket();
type ConversationEvent = Schema['ConversationEvent']['type'];

const EVENT_FIELDS = 'conversationId type userId at messageId id sender content messageType clientMessageId createdAt editedAt typing participants';
const SPECIFIED_FIELDS = 'messageId conversationId userId content createdAt';
const SENT_MESSAGE_FIELDS = 'messageId id conversationId userId sender content messageType clientMessageId createdAt threadRootId attachment { path name size contentType width height }';
const SEND = (selection: string) => `mutation SendMessage($input: SendMessageInputInput!) { sendMessage(input: $input) { ${selection} } }`;

let env: TestSandbox;
const users = {} as Record<'a' | 'b' | 'c', SignedInUser>;
const emails = { a: 'ann.events@example.com', b: 'bob.events@example.com', c: 'cat.events@example.com' };
let ab = '';
let ca = '';
let bob: RealtimeSocket;
let cat: RealtimeSocket;
const stockEvents: ConversationEvent[] = [];
const stockSubscriptions: { unsubscribe(): void }[] = [];

const canonical = (user: SignedInUser) => `${user.sub}::${user.sub}`;
const eventOf = (frame: Frame, field: string) => (frame.payload?.['data'] as Record<string, Record<string, unknown>>)[field]!;

async function createConversation(owner: SignedInUser, others: SignedInUser[], name: string): Promise<string> {
  const created = await graphql(env, owner.accessToken, 'mutation C($input: NewConversationInput!) { createConversation(input: $input) { conversationId } }', {
    input: { name, participants: [owner.sub, ...others.map((u) => u.sub)] },
  });
  expect(created.json.errors).toBeUndefined();
  return (created.json.data!['createConversation'] as { conversationId: string }).conversationId;
}

async function subscribe(socket: RealtimeSocket, user: SignedInUser, id: string, query: string, variables?: Record<string, unknown>): Promise<void> {
  const answer = await socket.start(id, query, variables, userHeader(env, user.accessToken));
  expect(answer.type, JSON.stringify(answer)).toBe('start_ack');
}

beforeAll(async () => {
  env = await startTestSandbox();
  for (const key of ['a', 'b', 'c'] as const) {
    await signUpUser(env, emails[key]);
    users[key] = await signInUser(env, emails[key]);
  }
  ab = await createConversation(users.a, [users.b], 'A+B');
  ca = await createConversation(users.c, [users.a], 'C+A');

  bob = await RealtimeSocket.connect(env, users.b.accessToken);
  await subscribe(bob, users.b, 'specified', `subscription S($c: ID!) { onMessageSent(conversationId: $c) { ${SPECIFIED_FIELDS} } }`, { c: ab });
  await subscribe(bob, users.b, 'all', `subscription S($c: ID!) { onConversationEvent(conversationId: $c) { ${EVENT_FIELDS} } }`, { c: ab });
  await subscribe(bob, users.b, 'mine', `subscription S { onMyConversations { ${EVENT_FIELDS} } }`);
  await subscribe(bob, users.b, 'typing', `subscription S($c: ID!) { onTyping(conversationId: $c) { conversationId userId typing at type } }`, { c: ab });
  cat = await RealtimeSocket.connect(env, users.c.accessToken);
  await subscribe(cat, users.c, 'mine', `subscription S { onMyConversations { ${EVENT_FIELDS} } }`);

  // B through the stock client too (its generated selection: every field of ConversationEvent).
  configureAmplify(env.outputs);
  await signIn({ username: emails.b, password: PASSWORD });
  const acked = subscriptionAcks(1);
  stockSubscriptions.push(
    generateClient<Schema>()
      .subscriptions.onConversationEvent({ conversationId: ab })
      .subscribe({ next: (event) => stockEvents.push(event) }),
  );
  await acked;
  await signOut();
});

afterAll(async () => {
  for (const subscription of stockSubscriptions) subscription.unsubscribe();
  bob?.close();
  cat?.close();
  await signOut().catch(() => undefined);
  await env?.sandbox.close();
});

describe('whatever the sender selects, every participant receives the whole event once', () => {
  const sent: { content: string; messageId: string }[] = [];

  it('raw HTTP: only __typename, the fields the specified SendMessage selects, everything', async () => {
    for (const [selection, content] of [
      ['__typename', 'selected only __typename'],
      [SPECIFIED_FIELDS, 'selected the specified fields'],
      [SENT_MESSAGE_FIELDS, 'selected everything'],
    ] as const) {
      const answer = await graphql(env, users.a.accessToken, SEND(selection), { input: { conversationId: ab, content, clientMessageId: `raw-${sent.length}` } });
      expect(answer.json.errors, content).toBeUndefined();
      const event = eventOf(await bob.waitForData('all', (f) => eventOf(f, 'onConversationEvent')['content'] === content), 'onConversationEvent');
      sent.push({ content, messageId: String(event['messageId']) });
    }
  });

  it('the stock client: its own full selection, and a query selecting only __typename', async () => {
    await signIn({ username: emails.a, password: PASSWORD });
    const client = generateClient<Schema>();
    const full = await client.mutations.sendMessage({ input: { conversationId: ab, content: 'stock client, every field', clientMessageId: 'stock-0' } });
    expect(full.errors).toBeUndefined();
    sent.push({ content: 'stock client, every field', messageId: full.data!.messageId });
    const bare = (await client.graphql({ query: SEND('__typename'), variables: { input: { conversationId: ab, content: 'stock client, __typename', clientMessageId: 'stock-1' } } })) as {
      data: { sendMessage: { __typename: string } };
      errors?: unknown;
    };
    expect(bare.errors).toBeUndefined();
    expect(bare.data.sendMessage).toEqual({ __typename: 'SentMessage' });
    const event = eventOf(await bob.waitForData('all', (f) => eventOf(f, 'onConversationEvent')['content'] === 'stock client, __typename'), 'onConversationEvent');
    sent.push({ content: 'stock client, __typename', messageId: String(event['messageId']) });
    await signOut();
  });

  it('edits, removals and typing selecting only __typename reach B complete; then the fence', async () => {
    const target = sent[0]!;
    const edited = await graphql(env, users.a.accessToken, 'mutation E($m: ID!, $c: String!) { editMessage(messageId: $m, content: $c) { __typename } }', { m: target.messageId, c: 'edited' });
    expect(edited.json.errors).toBeUndefined();
    const removed = await graphql(env, users.a.accessToken, 'mutation R($m: ID!) { removeMessage(messageId: $m) { __typename } }', { m: target.messageId });
    expect(removed.json.errors).toBeUndefined();
    const typing = await graphql(env, users.a.accessToken, 'mutation T($c: ID!) { sendTyping(conversationId: $c, typing: true) { __typename } }', { c: ab });
    expect(typing.json.errors).toBeUndefined();
    // The fence for B: the TYPING event, after everything else A did in A+B.
    await bob.waitForData('all', (f) => eventOf(f, 'onConversationEvent')['type'] === 'TYPING');
    await bob.waitForData('typing');
    // The fence for C: one message in C's own conversation.
    const fence = await graphql(env, users.a.accessToken, SEND('__typename'), { input: { conversationId: ca, content: 'fence for C' } });
    expect(fence.json.errors).toBeUndefined();
    await cat.waitForData('mine');
  });

  it('B (raw): every event on onConversationEvent and onMyConversations, complete, once, in order', () => {
    const participants = expect.arrayContaining([canonical(users.a), canonical(users.b)]);
    for (const [id, field] of [
      ['all', 'onConversationEvent'],
      ['mine', 'onMyConversations'],
    ] as const) {
      const events = bob.framesOf(id).map((f) => eventOf(f, field));
      expect(events.map((e) => [e['type'], e['content']]), id).toEqual([
        ...sent.map((s) => ['MESSAGE_SENT', s.content]),
        ['MESSAGE_EDITED', 'edited'],
        ['MESSAGE_DELETED', null],
        ['TYPING', null],
      ]);
      for (const [index, s] of sent.entries()) {
        expect(events[index], `${id} ${s.content}`).toEqual({
          conversationId: ab,
          type: 'MESSAGE_SENT',
          userId: users.a.sub,
          at: expect.any(String),
          messageId: s.messageId,
          id: s.messageId,
          sender: users.a.sub,
          content: s.content,
          messageType: 'TEXT',
          clientMessageId: expect.any(String),
          createdAt: expect.any(String),
          editedAt: null,
          typing: null,
          participants,
        });
      }
      expect(events[sent.length]).toMatchObject({ messageId: sent[0]!.messageId, editedAt: expect.any(String), participants });
      expect(events[sent.length + 1]).toMatchObject({ messageId: sent[0]!.messageId, participants });
      expect(events[sent.length + 2]).toMatchObject({ userId: users.a.sub, typing: true, messageId: null, participants });
    }
  });

  it('B (raw): onMessageSent delivers messageId, conversationId, userId, content and createdAt of every sent message once, and no other event', () => {
    const events = bob.framesOf('specified').map((f) => eventOf(f, 'onMessageSent'));
    expect(events).toEqual(
      sent.map((s) => ({ messageId: s.messageId, conversationId: ab, userId: users.a.sub, content: s.content, createdAt: expect.any(String) })),
    );
    expect(bob.framesOf('typing').map((f) => eventOf(f, 'onTyping'))).toEqual([{ conversationId: ab, userId: users.a.sub, typing: true, at: expect.any(String), type: 'TYPING' }]);
  });

  it('B (stock client): the same events, complete', () => {
    expect(stockEvents.map((e) => [e.type, e.content])).toEqual([
      ...sent.map((s) => ['MESSAGE_SENT', s.content]),
      ['MESSAGE_EDITED', 'edited'],
      ['MESSAGE_DELETED', null],
      ['TYPING', null],
    ]);
    expect(stockEvents.slice(0, sent.length).map((e) => e.messageId)).toEqual(sent.map((s) => s.messageId));
  });

  it('C: nothing of A+B, on any byte; only its own conversation', () => {
    const frames = cat.framesOf('mine');
    expect(frames.map((f) => eventOf(f, 'onMyConversations')['content'])).toEqual(['fence for C']);
    expect(frames.map((f) => eventOf(f, 'onMyConversations')['conversationId'])).toEqual([ca]);
    const received = cat.received.join('\n');
    expect(received).not.toContain(ab);
    for (const s of sent) expect(received).not.toContain(s.content);
  });
});
