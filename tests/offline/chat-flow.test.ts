/**
 * The chat backend on the offline sandbox, driven by the stock aws-amplify v6 client exactly as the
 * web app uses it: Cognito SRP sign-in, the typed Data client, the real bundled Lambdas, AppSync
 * subscriptions over wss. Users A and B share a conversation; C is never in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchAuthSession, getCurrentUser, signIn, signOut, signUp, confirmSignUp } from 'aws-amplify/auth';
import { generateClient } from 'aws-amplify/data';
import type { Schema } from '../../amplify/data/resource';
import { configureAmplify } from '../../src/amplify-config';
import { installWebSocket, startTestSandbox, subscriptionAcks, type TestSandbox } from './helpers';

installWebSocket();
const PASSWORD = 'Correct-Horse-9';
let env: TestSandbox;
const ids: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
const emails = { a: 'ann@example.com', b: 'bob@example.com', c: 'cat@example.com' };
let conversationId = '';

async function as(user: 'a' | 'b' | 'c') {
  await signOut();
  await signIn({ username: emails[user], password: PASSWORD });
  return generateClient<Schema>();
}

beforeAll(async () => {
  env = await startTestSandbox();
  configureAmplify(env.outputs);
  for (const user of ['a', 'b', 'c'] as const) {
    await signUp({
      username: emails[user],
      password: PASSWORD,
      options: { userAttributes: { email: emails[user], preferred_username: user.toUpperCase() } },
    });
    await confirmSignUp({ username: emails[user], confirmationCode: env.sandbox.userPool.lastCodeFor(emails[user])! });
    await signIn({ username: emails[user], password: PASSWORD });
    ids[user] = (await getCurrentUser()).userId;
    await signOut();
  }
});

afterAll(async () => {
  await signOut().catch(() => undefined);
  await env?.sandbox.close();
});

describe('sign-up through the Authenticator flows', () => {
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
  it('lets A create a conversation with B', async () => {
    const client = await as('a');
    const { data, errors } = await client.models.Conversation.create({ name: 'A+B', participants: [ids.a, ids.b] });
    expect(errors).toBeUndefined();
    conversationId = data!.id;
    expect(data!.participants).toEqual([ids.a, ids.b]);
  });

  it('refuses a conversation that does not list its creator', async () => {
    const client = await as('c');
    const { data, errors } = await client.models.Conversation.create({ name: 'framing A+B', participants: [ids.a, ids.b] });
    expect(data).toBeNull();
    expect(errors?.[0]?.errorType).toBe('Unauthorized');
  });

  it('sends through the message Lambda, once per clientMessageId, and updates the conversation', async () => {
    const client = await as('a');
    const first = await client.mutations.sendMessage({ input: { conversationId, content: ' hello B ', clientMessageId: 'client-1' } });
    expect(first.errors).toBeUndefined();
    expect(first.data).toMatchObject({ conversationId, userId: ids.a, sender: ids.a, content: 'hello B', messageType: 'TEXT' });
    const retry = await client.mutations.sendMessage({ input: { conversationId, content: ' hello B ', clientMessageId: 'client-1' } });
    expect(retry.data?.messageId).toBe(first.data?.messageId);
    const { data: history } = await client.models.Message.listMessagesByConversation({ conversationId });
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
      const page = await client.models.Message.listMessagesByConversation({ conversationId }, { sortDirection: 'DESC', limit: 2, nextToken });
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
    expect((await client.models.Conversation.list()).data).toEqual([]);
    expect((await client.models.Conversation.list({ filter: { name: { eq: 'A+B' } } })).data).toEqual([]);
    expect((await client.models.Message.list()).data).toEqual([]);
    let nextToken: string | null | undefined;
    do {
      const page = await client.models.Message.listMessagesByConversation({ conversationId }, { nextToken });
      expect(page.data).toEqual([]);
      nextToken = page.nextToken;
    } while (nextToken);
  });

  it('cannot send, edit, remove, update or create messages', async () => {
    const client = await as('c');
    const send = await client.mutations.sendMessage({ input: { conversationId, content: 'let me in' } });
    expect(send.errors?.[0]?.message).toMatch(/^Unauthorized: not a participant/);
    const a = await as('a');
    const { data: own } = await a.models.Message.listMessagesByConversation({ conversationId }, { limit: 1, sortDirection: 'ASC' });
    const messageId = own[0]!.id;
    const c = await as('c');
    expect((await c.mutations.editMessage({ messageId, content: 'hijacked' })).errors?.[0]?.message).toMatch(/^Unauthorized/);
    expect((await c.mutations.removeMessage({ messageId })).errors?.[0]?.message).toMatch(/^Unauthorized/);
    const direct = await c.models.Message.create({
      conversationId,
      content: 'forged',
      messageType: 'TEXT',
      sender: ids.a,
      participants: [ids.c],
      createdAt: new Date().toISOString(),
    });
    expect(direct.errors?.[0]?.errorType).toBe('Unauthorized');
    const update = await c.models.Conversation.update({ id: conversationId, name: 'mine now' });
    expect(update.errors?.[0]?.errorType).toBe('Unauthorized');
  });

  it('cannot add itself to the participants, even as a participant of nothing else', async () => {
    const b = await as('b');
    const update = await b.models.Conversation.update({ id: conversationId, participants: [ids.a, ids.b, ids.c] });
    expect(update.errors?.[0]?.errorType).toBe('Unauthorized');
  });
});

describe('real-time', () => {
  it('delivers onMessageSent and onCreateMessage to a participant, and refuses onMessageSent to C', async () => {
    const a = await as('a');
    const acked = subscriptionAcks(2);
    let sent!: (content: string) => void;
    let created!: (content: string) => void;
    const sentEvent = new Promise<string>((resolve) => (sent = resolve));
    const createdEvent = new Promise<string>((resolve) => (created = resolve));
    const sentSub = a.subscriptions.onMessageSent({ conversationId }).subscribe({ next: (m) => m && sent(m.content ?? '<no content>') });
    const createdSub = a.models.Message.onCreate().subscribe({ next: (m) => created(m.content) });
    await acked;
    await a.mutations.sendMessage({ input: { conversationId, content: 'live', clientMessageId: 'live-1' } });
    expect(await sentEvent).toBe('live');
    expect(await createdEvent).toBe('live');
    sentSub.unsubscribe();
    createdSub.unsubscribe();

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
    const { data: history } = await a.models.Message.listMessagesByConversation({ conversationId }, { sortDirection: 'DESC', limit: 100 });
    expect(history.map((m) => m.content)).toContain('hello B');
    expect(new Set(history.map((m) => m.id)).size).toBe(history.length);
  });
});
