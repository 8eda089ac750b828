/**
 * The chat backend on the offline sandbox, driven by the stock aws-amplify v6 client exactly as the
 * web app uses it: Cognito SRP sign-in, the typed Data client, the real bundled Lambdas, AppSync
 * subscriptions over wss. Users A and B share a conversation; C is never in it.
 *
 * Conversations and messages are written only by the message processor (createConversation, sendMessage, …): the
 * models have no mutations or subscriptions, and messages reach subscribers as conversation events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchAuthSession, signOut } from 'aws-amplify/auth';
import { generateClient } from 'aws-amplify/data';
import type { Schema } from '../../amplify/data/resource';
import { configureAmplify } from '../../src/amplify-config';
import { installWebSocket, startTestSandbox, subscriptionAcks, type TestSandbox } from './helpers';
import { historyOf, signUpEveryone, signedInAs } from './stock-client';

installWebSocket();
let env: TestSandbox;
const ids: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
const emails = { a: 'ann@example.com', b: 'bob@example.com', c: 'cat@example.com' };
let conversationId = '';
/** The conversation C created naming only A and B (C is in it too: the creator always is). */
let cOwnConversationId = '';

const as = (user: 'a' | 'b' | 'c') => signedInAs(emails[user]);

/** A raw operation through the stock client, resolving with its errors instead of throwing them. */
async function attempt(client: ReturnType<typeof generateClient<Schema>>, query: string, variables: Record<string, unknown> = {}) {
  try {
    return (await client.graphql({ query, variables })) as { data?: unknown; errors?: { message: string; errorType?: string }[] };
  } catch (failure) {
    return failure as { data?: unknown; errors?: { message: string; errorType?: string }[] };
  }
}

/** graphql-js's refusal of an operation the schema does not have (AppSync says "FieldUndefined"; docs/offline-fidelity.md). */
const undefinedMutation = (field: string) => new RegExp(`Cannot query field "${field}" on type "Mutation"`);

beforeAll(async () => {
  env = await startTestSandbox();
  configureAmplify(env.outputs);
  Object.assign(ids, await signUpEveryone(env, emails));
});

afterAll(async () => {
  await signOut().catch(() => undefined);
  await env?.sandbox.close();
});

describe('sign-up through the flows the sign-in screens use', () => {
  it('gives e-mail users a UUID username equal to their sub and a directory profile from the post-confirmation trigger', async () => {
    const client = await as('a');
    const session = await fetchAuthSession();
    expect(session.tokens?.accessToken.payload['username']).toBe(ids.a);
    expect(session.tokens?.accessToken.payload['sub']).toBe(ids.a);
    const { data: profile } = await client.models.UserProfile.get({ id: ids.b });
    expect(profile).toMatchObject({ id: ids.b, displayName: 'B', email: emails.b });
  });
});

describe('conversations and messages', () => {
  it('lets A create a conversation with B through createConversation, and tells B (CONVERSATION_CREATED)', async () => {
    const b = await as('b');
    const acked = subscriptionAcks(1);
    let told!: (event: Schema['ConversationEvent']['type']) => void;
    const toldB = new Promise<Schema['ConversationEvent']['type']>((resolve) => (told = resolve));
    const bSub = b.subscriptions.onMyConversations().subscribe({ next: (event) => event && told(event) });
    await acked;

    const client = await as('a');
    const { data, errors } = await client.mutations.createConversation({ input: { name: 'A+B', participants: [ids.a, ids.b] } });
    expect(errors).toBeUndefined();
    conversationId = data!.conversationId;
    expect(data).toMatchObject({ conversationId, id: conversationId, name: 'A+B', participants: [ids.a, ids.b], lastMessageAt: null });
    // Stored as the participants' queries read it.
    const { data: stored } = await client.models.Conversation.get({ id: conversationId });
    expect(stored).toMatchObject({ id: conversationId, name: 'A+B', participants: [ids.a, ids.b], createdAt: data!.createdAt });

    expect(await toldB).toMatchObject({ type: 'CONVERSATION_CREATED', conversationId, userId: ids.a, name: 'A+B', at: data!.createdAt });
    bSub.unsubscribe();
  });

  it('always makes the creator a participant: C cannot create a conversation of A and B without itself', async () => {
    const client = await as('c');
    const { data, errors } = await client.mutations.createConversation({ input: { name: 'framing A+B', participants: [ids.a, ids.b] } });
    expect(errors).toBeUndefined();
    expect(data!.participants).toEqual([ids.c, ids.a, ids.b]);
    cOwnConversationId = data!.conversationId;
    const { data: stored } = await client.models.Conversation.get({ id: cOwnConversationId });
    expect(stored?.participants).toEqual([ids.c, ids.a, ids.b]);
  });

  it('has no model mutation for conversations or messages: clients write them only through the message processor', async () => {
    const client = await as('a');
    for (const [field, input] of [
      ['createConversation', 'CreateConversationInput'],
      ['updateConversation', 'UpdateConversationInput'],
      ['deleteConversation', 'DeleteConversationInput'],
      ['createMessage', 'CreateMessageInput'],
      ['updateMessage', 'UpdateMessageInput'],
      ['deleteMessage', 'DeleteMessageInput'],
    ] as const) {
      const answer = await attempt(client, `mutation M($input: ${input}!) { ${field}(input: $input) { id } }`, { input: { id: conversationId } });
      expect(answer.data ?? null, field).toBeNull();
      // createConversation exists, but takes a NewConversationInput: the model's input type is gone.
      expect(answer.errors?.map((e) => e.message).join('\n'), field).toMatch(field === 'createConversation' ? /Unknown type "CreateConversationInput"/ : undefinedMutation(field));
    }
  });

  it('sends through the message Lambda, once per clientMessageId, and updates the conversation', async () => {
    const client = await as('a');
    const first = await client.mutations.sendMessage({ input: { conversationId, content: ' hello B ', clientMessageId: 'client-1' } });
    expect(first.errors).toBeUndefined();
    expect(first.data).toMatchObject({ conversationId, userId: ids.a, sender: ids.a, content: 'hello B', messageType: 'TEXT' });
    const retry = await client.mutations.sendMessage({ input: { conversationId, content: ' hello B ', clientMessageId: 'client-1' } });
    expect(retry.data?.messageId).toBe(first.data?.messageId);
    const { data: history } = await historyOf(client, { conversationId });
    expect(history.filter((m) => m.clientMessageId === 'client-1')).toHaveLength(1);
    const { data: conversation } = await client.models.Conversation.get({ id: conversationId });
    expect(conversation).toMatchObject({ lastMessagePreview: 'hello B', lastMessageAt: first.data!.createdAt });
  });

  it('rejects blank and over-long messages with a validation error', async () => {
    const client = await as('b');
    const blank = await client.mutations.sendMessage({ input: { conversationId, content: '   ' } });
    expect(blank.errors?.[0]?.message).toMatch(/^ValidationError: content must not be empty/);
    const long = await client.mutations.sendMessage({ input: { conversationId, content: 'x'.repeat(4001) } });
    expect(long.errors?.[0]?.message).toMatch(/^ValidationError: content is 4001 characters long/);
  });

  it('pages history newest first with nextToken and no gaps or duplicates', async () => {
    const client = await as('b');
    for (let i = 0; i < 5; i += 1) {
      const { errors } = await client.mutations.sendMessage({ input: { conversationId, content: `page ${i}`, clientMessageId: `page-${i}` } });
      expect(errors).toBeUndefined();
    }
    const seen: string[] = [];
    let nextToken: string | null | undefined;
    do {
      const page = await historyOf(client, { conversationId, sortDirection: 'DESC', limit: 2, nextToken });
      seen.push(...page.data.map((m) => m.content));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen).toEqual(['page 4', 'page 3', 'page 2', 'page 1', 'page 0', 'hello B']);
  });
});

describe('C, who is not a participant, gets nothing', () => {
  it('cannot read the conversation or its messages on any path', async () => {
    const client = await as('c');
    const get = await client.models.Conversation.get({ id: conversationId });
    expect(get.data).toBeNull();
    expect(get.errors?.[0]?.errorType).toBe('Unauthorized');
    // Only the conversation C created itself.
    expect((await client.models.Conversation.list()).data.map((c) => c.id)).toEqual([cOwnConversationId]);
    expect((await client.models.Conversation.list({ filter: { name: { eq: 'A+B' } } })).data).toEqual([]);
    // The Message model has no queries of its own: history is read through listConversationMessages, which refuses
    // anyone who is not a participant of the conversation now.
    expect((await attempt(client, 'query { listMessages { items { id } } }', {})).errors?.map((e) => e.message).join('\n')).toMatch(/listMessages/);
    const page = await historyOf(client, { conversationId });
    expect(page.data).toEqual([]);
    expect(page.errors?.[0]?.errorType).toBe('Unauthorized');
  });

  it('cannot send, edit, remove, update, create or publish messages', async () => {
    const client = await as('c');
    const send = await client.mutations.sendMessage({ input: { conversationId, content: 'let me in' } });
    expect(send.errors?.[0]?.message).toMatch(/^Unauthorized: not a participant/);
    const a = await as('a');
    const { data: own } = await historyOf(a, { conversationId, limit: 1, sortDirection: 'ASC' });
    const messageId = own[0]!.id;
    const c = await as('c');
    expect((await c.mutations.editMessage({ messageId, content: 'hijacked' })).errors?.[0]?.message).toMatch(/^Unauthorized/);
    expect((await c.mutations.removeMessage({ messageId })).errors?.[0]?.message).toMatch(/^Unauthorized/);
    const forged = {
      conversationId,
      content: 'forged',
      messageType: 'TEXT',
      sender: ids.a,
      participants: [ids.c],
      createdAt: new Date().toISOString(),
    };
    const direct = await attempt(c, 'mutation M($input: CreateMessageInput!) { createMessage(input: $input) { id } }', { input: forged });
    expect(direct.errors?.map((e) => e.message).join('\n')).toMatch(undefinedMutation('createMessage'));
    // Nor as an event: the publish is for the backend (IAM) and a Cognito group nobody is in.
    const published = await attempt(c, 'mutation P($event: ConversationEventInput!) { publishConversationEvent(event: $event) { conversationId } }', {
      event: { ...forged, type: 'MESSAGE_SENT', userId: ids.a, at: forged.createdAt, messageId: 'forged-1', id: 'forged-1', participants: [`${ids.a}::${ids.a}`, `${ids.b}::${ids.b}`] },
    });
    expect(published.errors?.[0]?.errorType).toBe('Unauthorized');
    const update = await attempt(c, 'mutation U($input: UpdateConversationInput!) { updateConversation(input: $input) { id } }', { input: { id: conversationId, name: 'mine now' } });
    expect(update.errors?.map((e) => e.message).join('\n')).toMatch(undefinedMutation('updateConversation'));
    // Nothing of it was stored (read as A: the client acts as whoever is signed in).
    const reader = await as('a');
    const { data: history } = await historyOf(reader, { conversationId });
    expect(history.map((m) => m.content)).toContain('hello B');
    expect(history.map((m) => m.content)).not.toContain('forged');
    expect((await reader.models.Conversation.get({ id: conversationId })).data?.name).toBe('A+B');
  });

  it('cannot add itself to the participants, even as a participant of nothing else', async () => {
    const b = await as('b');
    const update = await attempt(b, 'mutation U($input: UpdateConversationInput!) { updateConversation(input: $input) { id } }', {
      input: { id: conversationId, participants: [ids.a, ids.b, ids.c] },
    });
    expect(update.errors?.map((e) => e.message).join('\n')).toMatch(undefinedMutation('updateConversation'));
    expect((await b.models.Conversation.get({ id: conversationId })).data?.participants).toEqual([ids.a, ids.b]);
  });
});

describe('real-time', () => {
  it('delivers onMessageSent and onMyConversations (MESSAGE_SENT) to a participant, and refuses onMessageSent to C', async () => {
    const a = await as('a');
    const acked = subscriptionAcks(2);
    let sent!: (content: string) => void;
    let mine!: (event: string) => void;
    const sentEvent = new Promise<string>((resolve) => (sent = resolve));
    const mineEvent = new Promise<string>((resolve) => (mine = resolve));
    const sentSub = a.subscriptions.onMessageSent({ conversationId }).subscribe({ next: (m) => m && sent(m.content ?? '<no content>') });
    const mineSub = a.subscriptions.onMyConversations().subscribe({ next: (e) => e && mine(`${e.type} ${e.conversationId} ${e.content}`) });
    await acked;
    const live = await a.mutations.sendMessage({ input: { conversationId, content: 'live', clientMessageId: 'live-1' } });
    expect(live.errors).toBeUndefined();
    expect(await sentEvent).toBe('live');
    expect(await mineEvent).toBe(`MESSAGE_SENT ${conversationId} live`);
    sentSub.unsubscribe();
    mineSub.unsubscribe();

    const c = await as('c');
    const failure = await new Promise<unknown>((resolve) => {
      c.subscriptions.onMessageSent({ conversationId }).subscribe({ next: () => resolve('delivered'), error: resolve });
    });
    expect(JSON.stringify(failure)).toMatch(/Unauthorized|Not Authorized/);
  });
});

describe('presence', () => {
  it('records a heartbeat and lets the sweeper mark silent users OFFLINE', async () => {
    const b = await as('b');
    const beat = await b.mutations.heartbeat({ status: 'ONLINE' });
    expect(beat.data).toMatchObject({ id: ids.b, status: 'ONLINE' });
    const { PutItemCommand } = await import('@aws-sdk/client-dynamodb');
    const table = env.sandbox.description.tables.find((t) => t.model === 'UserPresence')!.name;
    const old = new Date(Date.now() - 5 * 60_000).toISOString();
    await env.sandbox.dynamodb.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          id: { S: ids.b },
          owner: { S: `${ids.b}::${ids.b}` },
          status: { S: 'ONLINE' },
          lastSeen: { S: old },
          createdAt: { S: old },
          updatedAt: { S: old },
          __typename: { S: 'UserPresence' },
        },
      }),
    );
    // The every-minute schedule may be sweeping right now (from before the item above): run after it.
    expect((await env.sandbox.scheduler.runNow('presence-sweeper', { afterCurrent: true })).status).toBe('ok');
    const { data } = await b.models.UserPresence.get({ id: ids.b });
    expect(data).toMatchObject({ status: 'OFFLINE', lastSeen: old });
  });
});

describe('persistence', () => {
  it('keeps users, conversations and messages across a sandbox restart', async () => {
    await signOut();
    await env.sandbox.close();
    env = await startTestSandbox(env.dataDirectory);
    configureAmplify(env.outputs);
    const a = await as('a');
    const { data: conversation } = await a.models.Conversation.get({ id: conversationId });
    expect(conversation?.name).toBe('A+B');
    const { data: history } = await historyOf(a, { conversationId, sortDirection: 'DESC', limit: 100 });
    expect(history.map((m) => m.content)).toContain('hello B');
    expect(new Set(history.map((m) => m.id)).size).toBe(history.length);
  });
});
