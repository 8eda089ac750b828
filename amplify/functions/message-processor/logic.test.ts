/**
 * The message-processing rules (logic.ts) through the store the Lambda uses (dynamodb-store.ts) on a real DynamoDB
 * implementation (dynalite, offline/dynamodb): validation, membership, the send transaction (rate count, message put
 * if absent, conversation preview unless later: all or nothing), idempotent retries, conditional edits and removals,
 * createConversation, and the events published. Only publishing is recorded in an array instead of going through
 * AppSync (the integration tests cover the real publish). The store's request budget and item shapes:
 * dynamodb-store.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall, type NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDynamoDbClient, type LocalDynamoDb } from '../../../offline/dynamodb/index';
import { startDynamoDbWithTables } from '../../../tests/helpers/message-processor-tables';
import {
  MAX_CONVERSATION_NAME_LENGTH,
  MAX_CONVERSATION_PARTICIPANTS,
  MAX_MESSAGE_LENGTH,
  MAX_PARTICIPANT_ENTRY_LENGTH,
  MAX_PARTICIPANTS_BYTES,
  MESSAGE_PREVIEW_LENGTH,
} from '../../shared/limits';
import { chatErrorCode } from '../../shared/errors';
import { dynamoDbMessageStore } from './dynamodb-store';
import {
  createConversation,
  editMessage,
  messageIdFor,
  previewOf,
  removeMessage,
  sendMessage,
  sendTyping,
  type ConversationEvent,
  type MessageStore,
  type SentMessage,
} from './logic';
import { windowStartOf, type SendRateLimit } from './send-rate-limiter';
import { rejectionOf as errorOf } from '../../../tests/helpers/rejection';

type Item = Record<string, NativeAttributeValue>;

/** The key schemas of the synthesized backend: the models' `id`, the rate counters' `userId` + `windowStart`. */
const TABLES = { conversation: 'Conversation-logictest-NONE', message: 'Message-logictest-NONE' };
const RATE_TABLE = 'SendRateLimit-logictest';

let dynamo: LocalDynamoDb;

beforeAll(async () => {
  dynamo = await startDynamoDbWithTables({ ...TABLES, sendRateLimit: RATE_TABLE });
});

afterAll(async () => {
  await dynamo?.close();
});

const clients: DynamoDBClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

// ---------------------------------------------------------------------------------------------------------------
// The world of one test: fresh users (so rate counts never carry over), a conversation stored as Amplify's model
// resolvers store it, the store on a client of its own whose requests can be recorded and intercepted.

interface User {
  sub: string;
  username: string;
}

/** An email sign-in user: the Cognito username is the sub. */
function newUser(): User {
  const sub = randomUUID();
  return { sub, username: sub };
}

const canonical = (user: User) => `${user.sub}::${user.username}`;

/** Runs a request (`proceed`) or does something around it; sees the command name and input of every request. */
type Interceptor = <T>(request: { command: string; input: Record<string, unknown> }, proceed: () => Promise<T>) => Promise<T>;

/** Generous: every send is counted (the transaction has its three items), never refused unless a test lowers it. */
const DEFAULT_LIMIT: SendRateLimit = { messages: 1000, windowSeconds: 60 };

interface WorldOptions {
  participants?: (users: { ann: User; bob: User; eve: User }) => (string | null)[];
  rateLimit?: SendRateLimit | null;
  /** The store's clock (rate windows); default 2026-01-02T00:00:00Z. */
  now?: string;
  /** Publishing fails this many times first (a lost AppSync request). */
  failingPublishes?: number;
}

async function world(options: WorldOptions = {}) {
  const users = { ann: newUser(), bob: newUser(), eve: newUser() };
  const participants = options.participants?.(users) ?? [canonical(users.ann), users.bob.sub];
  const conversationId = await seedConversation(participants);
  const published: ConversationEvent[] = [];
  const requests: string[] = [];
  let interceptor: Interceptor | null = null;
  let now = new Date(options.now ?? '2026-01-02T00:00:00.000Z');
  let failingPublishes = options.failingPublishes ?? 0;
  const limit = options.rateLimit === undefined ? DEFAULT_LIMIT : options.rateLimit;
  const rateLimit = limit ? { tableName: RATE_TABLE, limit } : null;

  const client = createLocalDynamoDbClient(dynamo.endpoint);
  clients.push(client);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context['commandName']).replace(/Command$/, '');
      requests.push(command);
      const proceed = () => next(args);
      return interceptor ? interceptor({ command, input: args.input as Record<string, unknown> }, proceed) : proceed();
    },
    { step: 'initialize', name: 'logicTestInterceptor' },
  );

  const storeOn = (on: DynamoDBClient): MessageStore =>
    dynamoDbMessageStore({
      client: on,
      tables: TABLES,
      rateLimit,
      now: () => now,
      publish: async (event) => {
        if (failingPublishes > 0) {
          failingPublishes -= 1;
          throw new Error('AppSync unreachable');
        }
        published.push(structuredClone(event));
      },
    });

  return {
    ...users,
    conversationId,
    store: storeOn(client),
    /** Another Lambda instance: the same tables, limit, clock and event log, its own client (never intercepted). */
    otherInstance: () => storeOn(dynamo.client),
    published,
    requests,
    intercept(next: Interceptor | null) {
      interceptor = next;
    },
    setNow(iso: string) {
      now = new Date(iso);
    },
    /** Sends counted for `userId` in the current window of the store's clock. */
    async counted(userId: string): Promise<number> {
      if (!limit) throw new Error('no rate limit in this world');
      const key = marshall({ userId, windowStart: windowStartOf(now, limit.windowSeconds) });
      const answer = await dynamo.client.send(new GetItemCommand({ TableName: RATE_TABLE, Key: key, ConsistentRead: true }));
      return answer.Item ? Number(unmarshall(answer.Item)['sent']) : 0;
    },
  };
}

/** A conversation as Amplify's createConversation model resolver stored them (no last message yet). */
async function seedConversation(participants: (string | null)[]): Promise<string> {
  const id = randomUUID();
  const createdAt = '2026-01-01T00:00:00.000Z';
  await dynamo.client.send(
    new PutItemCommand({ TableName: TABLES.conversation, Item: marshall({ __typename: 'Conversation', id, participants, createdAt, updatedAt: createdAt }) }),
  );
  return id;
}

async function itemOf(table: string, id: string): Promise<Item | undefined> {
  const answer = await dynamo.client.send(new GetItemCommand({ TableName: table, Key: marshall({ id }), ConsistentRead: true }));
  return answer.Item ? unmarshall(answer.Item) : undefined;
}
const conversationItem = (id: string) => itemOf(TABLES.conversation, id);
const messageItem = (id: string) => itemOf(TABLES.message, id);

async function updateItem(table: string, id: string, values: Item) {
  const names = Object.keys(values);
  await dynamo.client.send(
    new UpdateItemCommand({
      TableName: table,
      Key: marshall({ id }),
      UpdateExpression: `SET ${names.map((_, i) => `#n${i} = :v${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#n${i}`, name])),
      ExpressionAttributeValues: marshall(Object.fromEntries(names.map((name, i) => [`:v${i}`, values[name]]))),
    }),
  );
}

/** The stored messages of a conversation (oldest first). */
async function messagesIn(conversationId: string): Promise<Item[]> {
  const answer = await dynamo.client.send(
    new ScanCommand({
      TableName: TABLES.message,
      ConsistentRead: true,
      FilterExpression: 'conversationId = :c',
      ExpressionAttributeValues: marshall({ ':c': conversationId }),
    }),
  );
  return (answer.Items ?? []).map((item) => unmarshall(item)).sort((a, b) => String(a['createdAt']).localeCompare(String(b['createdAt'])));
}

const at = (iso: string) => () => new Date(iso);

// ---------------------------------------------------------------------------------------------------------------

describe('sendMessage', () => {
  it("stores a message from a participant and returns messageId and userId next to the model's fields", async () => {
    const w = await world();
    const sent = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: '  Hello, World!  ' }, at('2026-01-02T03:04:05.000Z'));
    expect(sent).toEqual({
      messageId: sent.id,
      id: sent.id,
      conversationId: w.conversationId,
      userId: w.ann.sub,
      sender: w.ann.sub,
      content: 'Hello, World!',
      messageType: 'TEXT',
      clientMessageId: null,
      createdAt: '2026-01-02T03:04:05.000Z',
      threadRootId: null,
      attachment: null,
    });
    expect(await messageItem(sent.id)).toMatchObject({ conversationId: w.conversationId, sender: w.ann.sub, content: 'Hello, World!' });
  });

  it("tells the conversation's participants in <sub>::<username> form, and neither answers nor stores them, whatever the client sent", async () => {
    const w = await world({ participants: ({ ann, bob }) => [canonical(ann), bob.sub, bob.sub, null] });
    const forged = {
      conversationId: w.conversationId,
      content: 'hi',
      participants: [w.eve.sub],
      sender: w.eve.sub,
      createdAt: '1999-01-01T00:00:00.000Z',
    } as unknown as Parameters<typeof sendMessage>[2];
    const sent = await sendMessage(w.store, w.ann, forged, at('2026-01-02T00:00:00.000Z'));
    const stored = await messageItem(sent.id);
    expect(sent).not.toHaveProperty('participants');
    expect(w.published.map((e) => e.participants)).toEqual([[canonical(w.ann), `${w.bob.sub}::${w.bob.sub}`]]);
    expect(stored).not.toHaveProperty('participants');
    expect(stored?.['sender']).toBe(w.ann.sub);
    expect(stored?.['createdAt']).toBe('2026-01-02T00:00:00.000Z');
  });

  it.each([
    ['<sub>::<username>', (u: User) => canonical(u)],
    ['<sub>', (u: User) => u.sub],
    ['<username>', (u: User) => u.username],
  ])('recognizes a participant listed as %s', async (_, form) => {
    const caller = { sub: randomUUID(), username: `ann-${randomUUID()}` };
    const w = await world({ participants: () => [form(caller)] });
    await expect(sendMessage(w.store, caller, { conversationId: w.conversationId, content: 'x' })).resolves.toMatchObject({ sender: caller.sub });
  });

  it('refuses a caller who is not a participant: writes nothing, publishes nothing, counts the attempt', async () => {
    const w = await world();
    const before = await conversationItem(w.conversationId);
    const error = await errorOf(sendMessage(w.store, w.eve, { conversationId: w.conversationId, content: 'let me in' }));
    expect(error.message).toBe(`Unauthorized: not a participant of conversation ${w.conversationId}`);
    expect(await messagesIn(w.conversationId)).toEqual([]);
    expect(await conversationItem(w.conversationId)).toEqual(before);
    expect(w.published).toEqual([]);
    // Every well-formed attempt counts (a flood costs one small write each); a malformed one is refused before counting.
    expect(await w.counted(w.eve.sub)).toBe(1);
    await expect(sendMessage(w.store, w.eve, { conversationId: w.conversationId, content: '   ' })).rejects.toThrow(/^ValidationError: /);
    expect(await w.counted(w.eve.sub)).toBe(1);
  });

  it('answers a missing conversation exactly like a foreign one (no existence oracle)', async () => {
    const w = await world();
    const missingId = randomUUID();
    const missing = await errorOf(sendMessage(w.store, w.eve, { conversationId: missingId, content: 'x' }));
    const foreign = await errorOf(sendMessage(w.store, w.eve, { conversationId: w.conversationId, content: 'x' }));
    expect(missing.message.replace(missingId, 'ID')).toBe(foreign.message.replace(w.conversationId, 'ID'));
    expect(await conversationItem(missingId)).toBeUndefined();
    expect(await w.counted(w.eve.sub)).toBe(2);
  });

  it.each([
    ['empty', ''],
    ['blank', ' \n\t '],
    ['too long', 'x'.repeat(MAX_MESSAGE_LENGTH + 1)],
  ])('rejects %s content with a validation error, before any request', async (_, content) => {
    const w = await world();
    const error = await errorOf(sendMessage(w.store, w.ann, { conversationId: w.conversationId, content }));
    expect(chatErrorCode(error.message)).toBe('ValidationError');
    expect(w.requests).toEqual([]);
    expect(await messagesIn(w.conversationId)).toEqual([]);
  });

  it('rejects a missing conversationId, and a malformed clientMessageId', async () => {
    const w = await world();
    const input = { conversationId: w.conversationId, content: 'x' };
    expect((await errorOf(sendMessage(w.store, w.ann, { ...input, conversationId: '' }))).message).toBe('ValidationError: conversationId is required');
    expect((await errorOf(sendMessage(w.store, w.ann, { ...input, clientMessageId: ' ' }))).message).toBe(
      'ValidationError: clientMessageId must be a non-empty string when given',
    );
    expect((await errorOf(sendMessage(w.store, w.ann, { ...input, clientMessageId: 'c'.repeat(129) }))).message).toBe(
      'ValidationError: clientMessageId is longer than 128 characters',
    );
    expect(w.requests).toEqual([]);
  });

  it('accepts exactly the limit, counted in characters as users see them (after trimming)', async () => {
    const w = await world();
    const emoji = '😀'.repeat(MAX_MESSAGE_LENGTH); // 8,000 UTF-16 units, 4,000 characters
    const a = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: ` ${emoji} ` });
    const b = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'y'.repeat(MAX_MESSAGE_LENGTH) });
    expect((await messageItem(a.id))?.['content']).toBe(emoji);
    expect((await messageItem(b.id))?.['content']).toBe('y'.repeat(MAX_MESSAGE_LENGTH));
  });

  it('accepts TEXT, defaults to TEXT, refuses IMAGE and FILE without their file, SYSTEM and unknown types', async () => {
    const w = await world();
    const sent = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'x', messageType: 'TEXT' });
    expect((await messageItem(sent.id))?.['messageType']).toBe('TEXT');
    // An IMAGE or FILE message is its file (attachments.test.ts); without one, or a TEXT message with one, is refused.
    for (const messageType of ['IMAGE', 'FILE']) {
      const error = await errorOf(sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'x', messageType }));
      expect(error.message, messageType).toBe(`ValidationError: an ${messageType} message needs uploadPath and fileName (its uploaded file)`);
    }
    const text = await errorOf(sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'x', messageType: 'TEXT', uploadPath: 'uploads/a/b/c.png', fileName: 'c.png' }));
    expect(text.message).toBe('ValidationError: a TEXT message carries no file: uploadPath and fileName are for IMAGE and FILE messages');
    expect(await messagesIn(w.conversationId)).toHaveLength(1);
    await expect(sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'x', messageType: null })).resolves.toMatchObject({ messageType: 'TEXT' });
    for (const messageType of ['SYSTEM', 'VIDEO', 'text']) {
      const error = await errorOf(sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'x', messageType }));
      expect(chatErrorCode(error.message), messageType).toBe('ValidationError');
    }
  });

  it("updates the conversation's last message time and preview", async () => {
    const w = await world();
    await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'a'.repeat(500) }, at('2026-03-01T10:00:00.000Z'));
    const conversation = await conversationItem(w.conversationId);
    expect(conversation?.['lastMessageAt']).toBe('2026-03-01T10:00:00.000Z');
    expect(conversation?.['updatedAt']).toBe('2026-03-01T10:00:00.000Z');
    expect([...String(conversation?.['lastMessagePreview'])]).toHaveLength(MESSAGE_PREVIEW_LENGTH);
    await sendMessage(w.store, w.bob, { conversationId: w.conversationId, content: ' see\nyou ' }, at('2026-03-01T10:00:01.000Z'));
    expect(await conversationItem(w.conversationId)).toMatchObject({ lastMessageAt: '2026-03-01T10:00:01.000Z', lastMessagePreview: 'see you' });
  });

  it('keeps the later preview when a message with an earlier clock arrives after it (stored, counted once, published once)', async () => {
    const w = await world();
    await sendMessage(w.store, w.bob, { conversationId: w.conversationId, content: 'later' }, at('2026-01-02T00:00:10.000Z'));
    const earlier = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'earlier' }, at('2026-01-02T00:00:05.000Z'));
    expect(earlier.createdAt).toBe('2026-01-02T00:00:05.000Z');
    expect((await messagesIn(w.conversationId)).map((m) => m['content'])).toEqual(['earlier', 'later']);
    expect(await conversationItem(w.conversationId)).toMatchObject({
      lastMessageAt: '2026-01-02T00:00:10.000Z',
      lastMessagePreview: 'later',
      updatedAt: '2026-01-02T00:00:10.000Z',
    });
    expect(await w.counted(w.ann.sub)).toBe(1);
    expect(w.published.map((e) => [e.type, e.content])).toEqual([
      ['MESSAGE_SENT', 'later'],
      ['MESSAGE_SENT', 'earlier'],
    ]);
  });

  describe('send rate limit', () => {
    const limit = { messages: 2, windowSeconds: 10 };

    it('refuses a send over the limit with RateLimited and writes nothing: no message, conversation untouched, no event', async () => {
      // 2026-01-02T00:00:00Z starts a 10-second window.
      const w = await world({ rateLimit: limit, now: '2026-01-02T00:00:04.000Z' });
      const send = (user: User, content: string, iso: string, clientMessageId?: string) =>
        sendMessage(w.store, user, { conversationId: w.conversationId, content, clientMessageId }, at(iso));
      await send(w.ann, 'one', '2026-01-02T00:00:01.000Z');
      await send(w.ann, 'two', '2026-01-02T00:00:02.000Z');
      const before = await conversationItem(w.conversationId);

      const error = await errorOf(send(w.ann, 'three', '2026-01-02T00:00:04.000Z', 'c-3'));
      expect(error.message).toBe('RateLimited: you sent 2 messages in the last 10 s, the most allowed; try again in 6 s');
      expect((await messagesIn(w.conversationId)).map((m) => m['content'])).toEqual(['one', 'two']);
      expect(await messageItem(messageIdFor(w.ann.sub, 'c-3'))).toBeUndefined();
      expect(await conversationItem(w.conversationId)).toEqual(before);
      expect(before).toMatchObject({ lastMessageAt: '2026-01-02T00:00:02.000Z', lastMessagePreview: 'two' });
      expect(w.published.map((e) => e.content)).toEqual(['one', 'two']);
      expect(await w.counted(w.ann.sub)).toBe(2);

      // Bob has a count of his own; Ann may send again in the next window.
      await send(w.bob, 'bob', '2026-01-02T00:00:05.000Z');
      w.setNow('2026-01-02T00:00:10.000Z');
      await send(w.ann, 'four', '2026-01-02T00:00:10.000Z');
      expect(await conversationItem(w.conversationId)).toMatchObject({ lastMessagePreview: 'four' });
      expect(await w.counted(w.ann.sub)).toBe(1);
    });

    it('counts refused attempts (not a participant) against the sender, whatever the conversation', async () => {
      const w = await world({ rateLimit: limit });
      const own = await seedConversation([canonical(w.eve)]);
      for (let i = 0; i < 2; i += 1) {
        await expect(sendMessage(w.store, w.eve, { conversationId: w.conversationId, content: 'flood' })).rejects.toThrow(/^Unauthorized: /);
      }
      expect(await w.counted(w.eve.sub)).toBe(2);
      await expect(sendMessage(w.store, w.eve, { conversationId: w.conversationId, content: 'flood' })).rejects.toThrow(/^RateLimited: /);
      await expect(sendMessage(w.store, w.eve, { conversationId: own, content: 'mine' })).rejects.toThrow(/^RateLimited: /);
      expect(await messagesIn(own)).toEqual([]);
      expect(await w.counted(w.eve.sub)).toBe(2);
      expect(w.published).toEqual([]);
    });

    it('counts a retried send of a stored message, and refuses it when the window is full', async () => {
      const w = await world({ rateLimit: limit });
      const input = { conversationId: w.conversationId, content: 'once', clientMessageId: 'c-1' };
      const first = await sendMessage(w.store, w.ann, input, at('2026-01-02T00:00:00.000Z'));
      await expect(sendMessage(w.store, w.ann, input, at('2026-01-02T00:00:01.000Z'))).resolves.toEqual(first);
      expect(await w.counted(w.ann.sub)).toBe(2);
      await expect(sendMessage(w.store, w.ann, input, at('2026-01-02T00:00:02.000Z'))).rejects.toThrow(/^RateLimited: /);
      expect(await messagesIn(w.conversationId)).toHaveLength(1);
      expect(w.published).toHaveLength(2);
    });
  });

  it('works without a rate limit: nothing counted, retries and late messages still recognised', async () => {
    const w = await world({ rateLimit: null });
    const input = { conversationId: w.conversationId, content: 'first', clientMessageId: 'c-1' };
    const first = await sendMessage(w.store, w.ann, input, at('2026-01-02T00:00:10.000Z'));
    await expect(sendMessage(w.store, w.ann, input, at('2026-01-02T00:00:11.000Z'))).resolves.toEqual(first);
    await expect(sendMessage(w.store, w.ann, { ...input, content: 'other' })).rejects.toThrow(/^Conflict: /);
    await sendMessage(w.store, w.bob, { conversationId: w.conversationId, content: 'late' }, at('2026-01-02T00:00:05.000Z'));
    expect((await messagesIn(w.conversationId)).map((m) => m['content'])).toEqual(['late', 'first']);
    expect(await conversationItem(w.conversationId)).toMatchObject({ lastMessageAt: '2026-01-02T00:00:10.000Z', lastMessagePreview: 'first' });
    const counters = await dynamo.client.send(
      new QueryCommand({ TableName: RATE_TABLE, KeyConditionExpression: 'userId = :u', ExpressionAttributeValues: marshall({ ':u': w.ann.sub }) }),
    );
    expect(counters.Count).toBe(0);
    expect(w.published.map((e) => e.content)).toEqual(['first', 'first', 'late']);
  });

  describe('idempotency on clientMessageId', () => {
    it('returns the stored message for a retried send: writes nothing new, counts the attempt, publishes again', async () => {
      const w = await world();
      const input = { conversationId: w.conversationId, content: 'once', clientMessageId: 'c-1' };
      const first = await sendMessage(w.store, w.ann, input, at('2026-01-01T00:00:00.000Z'));
      const message = await messageItem(first.id);
      const conversation = await conversationItem(w.conversationId);

      const retry = await sendMessage(w.store, w.ann, input, at('2026-01-01T00:00:09.000Z'));
      expect(retry).toEqual(first);
      expect(await messagesIn(w.conversationId)).toHaveLength(1);
      expect(await messageItem(first.id)).toEqual(message);
      // The retry's later clock does not move the conversation on: its transaction was cancelled as a whole.
      expect(await conversationItem(w.conversationId)).toEqual(conversation);
      expect(conversation).toMatchObject({ lastMessageAt: '2026-01-01T00:00:00.000Z', lastMessagePreview: 'once' });
      expect(await w.counted(w.ann.sub)).toBe(2);
      expect(w.published).toHaveLength(2);
      expect(w.published[1]).toEqual(w.published[0]);
    });

    it("a retry tells the conversation's participants now, canonical, even listed as bare usernames", async () => {
      const w = await world();
      const input = { conversationId: w.conversationId, content: 'once', clientMessageId: 'c-bare' };
      const first = await sendMessage(w.store, w.ann, input, at('2026-01-01T00:00:00.000Z'));
      // Eve joined between the attempts; the list holds a bare username too.
      await updateItem(TABLES.conversation, w.conversationId, { participants: [w.ann.username, w.bob.sub, w.eve.sub] });
      const retry = await sendMessage(w.store, w.ann, input, at('2026-01-01T00:00:09.000Z'));
      expect(retry).toEqual(first);
      const now = [`${w.ann.username}::${w.ann.username}`, `${w.bob.sub}::${w.bob.sub}`, `${w.eve.sub}::${w.eve.sub}`];
      expect(w.published.map((e) => [e.messageId, e.participants])).toEqual([
        [first.id, [canonical(w.ann), `${w.bob.sub}::${w.bob.sub}`]],
        [first.id, now],
      ]);
    });

    it('stores one message when the same send arrives several times concurrently (each attempt counted and published once)', async () => {
      const w = await world();
      const input = { conversationId: w.conversationId, content: 'burst', clientMessageId: 'c-2' };
      const results = await Promise.all(Array.from({ length: 5 }, () => sendMessage(w.store, w.ann, input, at('2026-01-02T00:00:00.000Z'))));
      expect(new Set(results.map((r) => r.id))).toEqual(new Set([messageIdFor(w.ann.sub, 'c-2')]));
      expect(await messagesIn(w.conversationId)).toHaveLength(1);
      expect(await w.counted(w.ann.sub)).toBe(5);
      expect(w.published.map((e) => [e.type, e.messageId])).toEqual(Array.from({ length: 5 }, () => ['MESSAGE_SENT', results[0]?.id]));
    });

    it('stores one of two concurrent sends reusing a clientMessageId for different content; the other is a Conflict', async () => {
      const w = await world();
      const send = (content: string) => sendMessage(w.store, w.ann, { conversationId: w.conversationId, content, clientMessageId: 'c-x' });
      const outcomes = await Promise.allSettled([send('left'), send('right')]);
      const won = outcomes.filter((o): o is PromiseFulfilledResult<SentMessage> => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost.map((o) => chatErrorCode((o.reason as Error).message))).toEqual(['Conflict']);
      expect((await messagesIn(w.conversationId)).map((m) => m['content'])).toEqual([won[0]?.value.content]);
      expect(w.published.map((e) => e.content)).toEqual([won[0]?.value.content]);
    });

    it('keeps different clientMessageIds, and the same clientMessageId of different senders, apart', async () => {
      const w = await world();
      const a = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'x', clientMessageId: 'c-1' });
      const b = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'x', clientMessageId: 'c-2' });
      const c = await sendMessage(w.store, w.bob, { conversationId: w.conversationId, content: 'x', clientMessageId: 'c-1' });
      expect(new Set([a.id, b.id, c.id]).size).toBe(3);
      expect(messageIdFor(w.ann.sub, 'c-1')).toBe(a.id);
      expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(await messagesIn(w.conversationId)).toHaveLength(3);
    });

    it('refuses to reuse a clientMessageId for different content: Conflict, counted, nothing written or published', async () => {
      const w = await world();
      await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'first', clientMessageId: 'c-1' }, at('2026-01-02T00:00:00.000Z'));
      const conversation = await conversationItem(w.conversationId);
      const error = await errorOf(
        sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'second', clientMessageId: 'c-1' }, at('2026-01-02T00:00:01.000Z')),
      );
      expect(error.message).toBe('Conflict: clientMessageId c-1 was already used for a different message');
      expect((await messagesIn(w.conversationId)).map((m) => m['content'])).toEqual(['first']);
      expect(await conversationItem(w.conversationId)).toEqual(conversation);
      expect(await w.counted(w.ann.sub)).toBe(2);
      expect(w.published.map((e) => e.content)).toEqual(['first']);
    });

    it('completes a send whose answer was lost after its transaction committed: the retry returns the stored message', async () => {
      const w = await world();
      const input = { conversationId: w.conversationId, content: 'retry me', clientMessageId: 'c-3' };
      w.intercept(async (request, proceed) => {
        const answer = await proceed();
        if (request.command === 'TransactWriteItems') throw new Error('socket hang up');
        return answer;
      });
      await expect(sendMessage(w.store, w.ann, input, at('2026-05-05T05:05:05.000Z'))).rejects.toThrow('socket hang up');
      expect(await messagesIn(w.conversationId)).toHaveLength(1);
      expect(w.published).toEqual([]);

      w.intercept(null);
      const retry = await sendMessage(w.store, w.ann, input, at('2026-05-05T05:06:00.000Z'));
      expect(retry).toMatchObject({ content: 'retry me', createdAt: '2026-05-05T05:05:05.000Z' });
      expect(await conversationItem(w.conversationId)).toMatchObject({ lastMessageAt: '2026-05-05T05:05:05.000Z', lastMessagePreview: 'retry me' });
      expect(await messagesIn(w.conversationId)).toHaveLength(1);
      expect(w.published.map((e) => [e.type, e.messageId, e.createdAt])).toEqual([['MESSAGE_SENT', retry.id, '2026-05-05T05:05:05.000Z']]);
    });

    it('publishes on the retry of a send whose event could not be published (at least once)', async () => {
      const w = await world({ failingPublishes: 1 });
      const input = { conversationId: w.conversationId, content: 'hello', clientMessageId: 'c-4' };
      await expect(sendMessage(w.store, w.ann, input, at('2026-01-02T00:00:00.000Z'))).rejects.toThrow('AppSync unreachable');
      expect(await messagesIn(w.conversationId)).toHaveLength(1);
      const retry = await sendMessage(w.store, w.ann, input, at('2026-01-02T00:00:03.000Z'));
      expect(w.published.map((e) => [e.type, e.messageId, e.content])).toEqual([['MESSAGE_SENT', retry.id, 'hello']]);
    });

    it('returns the message an identical attempt stored between its two transactions, without publishing it again', async () => {
      const w = await world();
      await sendMessage(w.store, w.bob, { conversationId: w.conversationId, content: 'later' }, at('2026-01-02T00:00:10.000Z'));
      const input = { conversationId: w.conversationId, content: 'same', clientMessageId: 'c-r' };
      let other: SentMessage | undefined;
      let transactions = 0;
      w.intercept(async (request, proceed) => {
        if (request.command !== 'TransactWriteItems' || (transactions += 1) > 1) return proceed();
        try {
          // Cancelled: the conversation already has a later message. The other attempt runs to the end meanwhile.
          return await proceed();
        } finally {
          other = await sendMessage(w.otherInstance(), w.ann, input, at('2026-01-02T00:00:05.000Z'));
        }
      });
      const sent = await sendMessage(w.store, w.ann, input, at('2026-01-02T00:00:05.000Z'));
      expect(transactions).toBe(2);
      expect(sent).toEqual(other);
      expect((await messagesIn(w.conversationId)).map((m) => m['content'])).toEqual(['same', 'later']);
      expect(await conversationItem(w.conversationId)).toMatchObject({ lastMessagePreview: 'later' });
      // The other attempt published it; this one does not publish it again.
      expect(w.published.map((e) => e.content)).toEqual(['later', 'same']);
    });

    it('refuses a raced attempt whose content differs from what the other attempt stored', async () => {
      const w = await world();
      await sendMessage(w.store, w.bob, { conversationId: w.conversationId, content: 'later' }, at('2026-01-02T00:00:10.000Z'));
      let transactions = 0;
      w.intercept(async (request, proceed) => {
        if (request.command !== 'TransactWriteItems' || (transactions += 1) > 1) return proceed();
        try {
          return await proceed();
        } finally {
          await sendMessage(w.otherInstance(), w.ann, { conversationId: w.conversationId, content: 'theirs', clientMessageId: 'c-r' }, at('2026-01-02T00:00:05.000Z'));
        }
      });
      const error = await errorOf(
        sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'mine', clientMessageId: 'c-r' }, at('2026-01-02T00:00:05.000Z')),
      );
      expect(chatErrorCode(error.message)).toBe('Conflict');
      expect((await messagesIn(w.conversationId)).map((m) => m['content'])).toEqual(['theirs', 'later']);
      expect(w.published.map((e) => e.content)).toEqual(['later', 'theirs']);
    });
  });
});

describe('editMessage and removeMessage', () => {
  async function sentBy(w: Awaited<ReturnType<typeof world>>, caller: User) {
    return sendMessage(w.store, caller, { conversationId: w.conversationId, content: 'original' }, at('2026-01-01T00:00:00.000Z'));
  }

  it('lets the sender edit and marks the message edited', async () => {
    const w = await world();
    const sent = await sentBy(w, w.ann);
    const edited = await editMessage(w.store, w.ann, { messageId: sent.id, content: ' fixed ' }, at('2026-01-01T00:05:00.000Z'));
    expect(edited).toEqual({
      id: sent.id,
      conversationId: w.conversationId,
      content: 'fixed',
      messageType: 'TEXT',
      sender: w.ann.sub,
      clientMessageId: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      editedAt: '2026-01-01T00:05:00.000Z',
      updatedAt: '2026-01-01T00:05:00.000Z',
    });
    expect(await messageItem(sent.id)).toMatchObject({ content: 'fixed', editedAt: '2026-01-01T00:05:00.000Z', updatedAt: '2026-01-01T00:05:00.000Z' });
  });

  it('changes nothing when the content is unchanged (after trimming)', async () => {
    const w = await world();
    const sent = await sentBy(w, w.ann);
    const before = await messageItem(sent.id);
    await expect(editMessage(w.store, w.ann, { messageId: sent.id, content: ' original ' })).resolves.toMatchObject({ content: 'original', editedAt: null });
    expect(await messageItem(sent.id)).toEqual(before);
  });

  it('refuses edits and removals by anyone but the sender, including other participants', async () => {
    const w = await world();
    const sent = await sentBy(w, w.ann);
    const before = await messageItem(sent.id);
    for (const caller of [w.bob, w.eve]) {
      expect((await errorOf(editMessage(w.store, caller, { messageId: sent.id, content: 'hijack' }))).message).toBe(
        `Unauthorized: message ${sent.id} does not exist or was not sent by you`,
      );
      expect(chatErrorCode((await errorOf(removeMessage(w.store, caller, { messageId: sent.id }))).message)).toBe('Unauthorized');
    }
    expect(await messageItem(sent.id)).toEqual(before);
    expect(before).toMatchObject({ content: 'original' });
    expect(before?.['editedAt']).toBeUndefined();
    expect(w.published).toHaveLength(1);
  });

  it('validates edited content like new content', async () => {
    const w = await world();
    const sent = await sentBy(w, w.ann);
    const error = await errorOf(editMessage(w.store, w.ann, { messageId: sent.id, content: 'x'.repeat(MAX_MESSAGE_LENGTH + 1) }));
    expect(chatErrorCode(error.message)).toBe('ValidationError');
    expect(await messageItem(sent.id)).toMatchObject({ content: 'original' });
  });

  it('refuses to edit a system message', async () => {
    const w = await world();
    const id = randomUUID();
    const createdAt = '2026-01-01T00:00:00.000Z';
    await dynamo.client.send(
      new PutItemCommand({
        TableName: TABLES.message,
        Item: marshall({ __typename: 'Message', id, conversationId: w.conversationId, content: 'Ann joined', messageType: 'SYSTEM', sender: w.ann.sub, createdAt, updatedAt: createdAt }),
      }),
    );
    expect((await errorOf(editMessage(w.store, w.ann, { messageId: id, content: 'Ann left' }))).message).toBe('ValidationError: system messages cannot be edited');
    expect(await messageItem(id)).toMatchObject({ content: 'Ann joined' });
  });

  it('lets the sender remove their message', async () => {
    const w = await world();
    const sent = await sentBy(w, w.ann);
    await expect(removeMessage(w.store, w.ann, { messageId: sent.id })).resolves.toMatchObject({ id: sent.id, content: 'original' });
    expect(await messageItem(sent.id)).toBeUndefined();
    await expect(removeMessage(w.store, w.ann, { messageId: sent.id })).rejects.toThrow(/^Unauthorized: /);
  });

  it('answers a missing message like a foreign one', async () => {
    const w = await world();
    expect((await errorOf(removeMessage(w.store, w.ann, { messageId: 'nope' }))).message).toBe('Unauthorized: message nope does not exist or was not sent by you');
    expect((await errorOf(editMessage(w.store, w.ann, { messageId: 'nope', content: 'x' }))).message).toBe('Unauthorized: message nope does not exist or was not sent by you');
    expect((await errorOf(removeMessage(w.store, w.ann, { messageId: '' }))).message).toBe('ValidationError: messageId is required');
    expect(await messageItem('nope')).toBeUndefined();
  });

  // Between the read of the message and the write, it may be removed (or, in principle, belong to someone else): the
  // write's own condition decides, so nothing is recreated, changed or published.
  it.each([
    ['removed', async (id: string) => void (await dynamo.client.send(new DeleteItemCommand({ TableName: TABLES.message, Key: marshall({ id }) }))), undefined],
    ['given another sender', (id: string) => updateItem(TABLES.message, id, { sender: 'someone-else' }), { content: 'original', sender: 'someone-else' }],
  ])('refuses an edit and a removal when the message was %s after it was read', async (_, change, left) => {
    const w = await world();
    for (const operation of ['edit', 'remove'] as const) {
      const sent = await sentBy(w, w.ann);
      w.intercept(async (request, proceed) => {
        const answer = await proceed();
        if (request.command === 'GetItem' && request.input['TableName'] === TABLES.message) await change(sent.id);
        return answer;
      });
      const attempt =
        operation === 'edit'
          ? editMessage(w.store, w.ann, { messageId: sent.id, content: 'changed' })
          : removeMessage(w.store, w.ann, { messageId: sent.id });
      expect((await errorOf(attempt)).message, operation).toBe(`Unauthorized: message ${sent.id} does not exist or was not sent by you`);
      w.intercept(null);
      // Not recreated by the edit, not changed, not deleted by the removal.
      const item = await messageItem(sent.id);
      if (left === undefined) expect(item, operation).toBeUndefined();
      else expect(item && { content: item['content'], sender: item['sender'], editedAt: item['editedAt'] }, operation).toEqual({ ...left, editedAt: undefined });
    }
    expect(w.published.map((e) => e.type)).toEqual(['MESSAGE_SENT', 'MESSAGE_SENT']);
  });
});

describe('previewOf', () => {
  it('flattens whitespace, truncates with an ellipsis and names non-text messages', () => {
    expect(previewOf('a\n\nb   c', 'TEXT')).toBe('a b c');
    const long = previewOf('x'.repeat(MESSAGE_PREVIEW_LENGTH + 10), 'TEXT');
    expect(long.endsWith('…')).toBe(true);
    expect([...long]).toHaveLength(MESSAGE_PREVIEW_LENGTH);
    expect(previewOf('x'.repeat(MESSAGE_PREVIEW_LENGTH), 'TEXT')).toBe('x'.repeat(MESSAGE_PREVIEW_LENGTH));
    expect(previewOf('', 'IMAGE')).toBe('📷 Photo');
    expect(previewOf(' our\ncat ', 'IMAGE', 'cat.png')).toBe('📷 Photo · our cat');
    expect(previewOf('', 'FILE', 'Q3 report.pdf')).toBe('📎 Q3 report.pdf');
    expect(previewOf('numbers', 'FILE', 'Q3 report.pdf')).toBe('📎 Q3 report.pdf · numbers');
    expect(previewOf('', 'FILE')).toBe('📎 File');
    const captioned = previewOf('y'.repeat(MESSAGE_PREVIEW_LENGTH), 'FILE', 'a.pdf');
    expect([...captioned]).toHaveLength(MESSAGE_PREVIEW_LENGTH);
    expect(captioned.startsWith('📎 a.pdf · yyy')).toBe(true);
  });
});

describe('createConversation', () => {
  const ENTRY_ERROR = `ValidationError: participants must be user ids (a Cognito sub, or "<sub>::<username>") of at most ${MAX_PARTICIPANT_ENTRY_LENGTH} characters`;

  it('stores the caller and the participants canonically, returns them as owner lists read back, and tells them all', async () => {
    const w = await world();
    const created = await createConversation(w.store, w.ann, { name: '  Team  ', participants: [w.bob.sub, `${w.eve.sub}::eve`] }, at('2026-02-02T02:02:02.000Z'));
    const stored = [canonical(w.ann), `${w.bob.sub}::${w.bob.sub}`, `${w.eve.sub}::eve`];
    expect(created).toEqual({
      conversationId: created.id,
      id: created.id,
      name: 'Team',
      participants: [w.ann.username, w.bob.sub, 'eve'],
      kind: 'GROUP',
      owners: [canonical(w.ann)],
      createdAt: '2026-02-02T02:02:02.000Z',
      updatedAt: '2026-02-02T02:02:02.000Z',
      lastMessageAt: null,
      lastMessagePreview: null,
    });
    expect(await conversationItem(created.id)).toEqual({
      __typename: 'Conversation',
      id: created.id,
      name: 'Team',
      participants: stored,
      kind: 'GROUP',
      owners: [canonical(w.ann)],
      createdAt: '2026-02-02T02:02:02.000Z',
      updatedAt: '2026-02-02T02:02:02.000Z',
    });
    expect(w.published).toEqual([
      {
        conversationId: created.id,
        type: 'CONVERSATION_CREATED',
        userId: w.ann.sub,
        at: '2026-02-02T02:02:02.000Z',
        participants: stored,
        name: 'Team',
        kind: 'GROUP',
        owners: [canonical(w.ann)],
        members: stored,
      },
    ]);
  });

  it('lists each user once (the caller too), whatever forms they are given in', async () => {
    const w = await world();
    const created = await createConversation(w.store, w.ann, {
      participants: [w.ann.sub, w.bob.sub, canonical(w.bob), canonical(w.ann), w.bob.sub, `${w.eve.sub}::eve`, `${w.eve.sub}::eve`],
    });
    expect(created.participants).toEqual([w.ann.username, w.bob.sub, 'eve']);
    expect((await conversationItem(created.id))?.['participants']).toEqual([canonical(w.ann), canonical(w.bob), `${w.eve.sub}::eve`]);
  });

  it('recognizes the caller by their sub or their username when the two differ', async () => {
    const w = await world();
    const caller = { sub: randomUUID(), username: 'ann' };
    const created = await createConversation(w.store, caller, { participants: [caller.username, caller.sub, `${caller.sub}::ann`, w.bob.sub] });
    expect((await conversationItem(created.id))?.['participants']).toEqual([`${caller.sub}::ann`, canonical(w.bob)]);
    expect(created.participants).toEqual(['ann', w.bob.sub]);
  });

  it('refuses a user named twice with different usernames (the caller too), writing and publishing nothing', async () => {
    const w = await world();
    for (const [participants, userId] of [
      [[`${w.eve.sub}::eve`, w.eve.sub], w.eve.sub],
      [[w.bob.sub, `${w.bob.sub}::bobby`], w.bob.sub],
      [[`${w.ann.sub}::other-name`], w.ann.sub],
    ] as const) {
      expect((await errorOf(createConversation(w.store, w.ann, { participants: [...participants] }))).message).toBe(
        `ValidationError: participants name user ${userId} twice with different usernames`,
      );
    }
    expect(w.requests).toEqual([]);
    expect(w.published).toEqual([]);
  });

  it('creates a conversation of the caller alone, and unnamed ones (blank or absent names)', async () => {
    const w = await world();
    for (const name of [undefined, null, '   ']) {
      const created = await createConversation(w.store, w.ann, { name, participants: [] });
      expect(created).toMatchObject({ name: null, participants: [w.ann.username] });
      const item = await conversationItem(created.id);
      expect(item?.['participants']).toEqual([canonical(w.ann)]);
      expect(item && 'name' in item).toBe(false);
    }
    expect(w.published.map((e) => e.name)).toEqual([null, null, null]);
  });

  it('lets the listed participants use the new conversation, and nobody else', async () => {
    const w = await world();
    const created = await createConversation(w.store, w.ann, { participants: [w.bob.sub] });
    const sent = await sendMessage(w.store, w.bob, { conversationId: created.id, content: 'hi Ann' });
    expect(w.published.at(-1)).toMatchObject({ type: 'MESSAGE_SENT', messageId: sent.id, participants: [canonical(w.ann), `${w.bob.sub}::${w.bob.sub}`] });
    await expect(sendMessage(w.store, w.eve, { conversationId: created.id, content: 'hi' })).rejects.toThrow(/^Unauthorized: /);
    await expect(sendTyping(w.store, w.ann, { conversationId: created.id, typing: true })).resolves.toMatchObject({ userId: w.ann.sub });
  });

  it('accepts a name of exactly the limit in characters as users see them, and refuses a longer one', async () => {
    const w = await world();
    const longest = '😀'.repeat(MAX_CONVERSATION_NAME_LENGTH);
    await expect(createConversation(w.store, w.ann, { name: longest, participants: [] })).resolves.toMatchObject({ name: longest });
    expect((await errorOf(createConversation(w.store, w.ann, { name: ` ${'n'.repeat(MAX_CONVERSATION_NAME_LENGTH + 1)} `, participants: [] }))).message).toBe(
      `ValidationError: name is ${MAX_CONVERSATION_NAME_LENGTH + 1} characters long; the limit is ${MAX_CONVERSATION_NAME_LENGTH}`,
    );
    expect((await errorOf(createConversation(w.store, w.ann, { name: 42, participants: [] }))).message).toBe('ValidationError: name must be a string');
  });

  it.each([
    ['absent', undefined],
    ['a string', 'not-a-list'],
    ['an object', { 0: 'a' }],
  ])('refuses participants that are not a list (%s)', async (_, participants) => {
    const w = await world();
    expect((await errorOf(createConversation(w.store, w.ann, { participants }))).message).toBe('ValidationError: participants must be a list of user ids');
    expect(w.requests).toEqual([]);
  });

  it.each([
    ['a number', 42],
    ['null', null],
    ['empty', ''],
    ['with a space', 'ann smith'],
    ['with a tab', 'ann\tsmith'],
    ['with one colon', 'sub:name'],
    ['with an empty username', 'sub::'],
    ['with an empty sub', '::name'],
    ['with two separators', 'a::b::c'],
    ['one character too long', 'x'.repeat(MAX_PARTICIPANT_ENTRY_LENGTH + 1)],
    ['too long in <sub>::<username> form', `${'s'.repeat(100)}::${'u'.repeat(MAX_PARTICIPANT_ENTRY_LENGTH - 101)}`],
  ])('refuses a participant entry %s, writing and publishing nothing', async (_, entry) => {
    const w = await world();
    expect((await errorOf(createConversation(w.store, w.ann, { participants: [w.bob.sub, entry] }))).message).toBe(ENTRY_ERROR);
    expect(w.requests).toEqual([]);
    expect(w.published).toEqual([]);
  });

  it('accepts entries of exactly the longest length', async () => {
    const w = await world();
    const bare = 'b'.repeat(MAX_PARTICIPANT_ENTRY_LENGTH);
    const full = `${'s'.repeat(100)}::${'u'.repeat(MAX_PARTICIPANT_ENTRY_LENGTH - 102)}`;
    const created = await createConversation(w.store, w.ann, { participants: [bare, full] });
    expect((await conversationItem(created.id))?.['participants']).toEqual([canonical(w.ann), `${bare}::${bare}`, full]);
  });

  it(`bounds the stored participant list to ${MAX_PARTICIPANTS_BYTES} bytes, so messages and events stay within DynamoDB's and AppSync's size limits`, async () => {
    const w = await world();
    // 999 others with 100-character ids: 201 bytes each once stored canonically, about 200 KB in all.
    const long = Array.from({ length: MAX_CONVERSATION_PARTICIPANTS - 1 }, (_, i) => `${String(i).padStart(4, '0')}${'x'.repeat(96)}`);
    const error = await errorOf(createConversation(w.store, w.ann, { participants: long }));
    expect(error.message).toMatch(new RegExp(`^ValidationError: the participant list takes \\d+ bytes; the limit is ${MAX_PARTICIPANTS_BYTES}$`));
    expect(w.requests).toEqual([]);
    expect(w.published).toEqual([]);
    // 1,000 e-mail sign-in users (74-byte entries) fit.
    const created = await createConversation(w.store, w.ann, { participants: Array.from({ length: MAX_CONVERSATION_PARTICIPANTS - 1 }, () => randomUUID()) });
    expect(created.participants).toHaveLength(MAX_CONVERSATION_PARTICIPANTS);
  });

  it(`allows at most ${MAX_CONVERSATION_PARTICIPANTS} participants, the caller included and duplicates not counted`, async () => {
    const w = await world();
    const others = Array.from({ length: MAX_CONVERSATION_PARTICIPANTS }, () => randomUUID());
    const fits = others.slice(0, MAX_CONVERSATION_PARTICIPANTS - 1);

    const full = await createConversation(w.store, w.ann, { participants: [...fits, ...fits.map((sub) => `${sub}::${sub}`), w.ann.sub] });
    expect(full.participants).toHaveLength(MAX_CONVERSATION_PARTICIPANTS);
    expect((await conversationItem(full.id))?.['participants']).toHaveLength(MAX_CONVERSATION_PARTICIPANTS);

    const withCaller = await createConversation(w.store, w.ann, { participants: [canonical(w.ann), ...fits] });
    expect(withCaller.participants).toHaveLength(MAX_CONVERSATION_PARTICIPANTS);

    const requests = w.requests.length;
    expect((await errorOf(createConversation(w.store, w.ann, { participants: others }))).message).toBe(
      `ValidationError: a conversation has at most ${MAX_CONVERSATION_PARTICIPANTS} participants; ${MAX_CONVERSATION_PARTICIPANTS + 1} were given`,
    );
    expect(w.requests).toHaveLength(requests);
    expect(w.published).toHaveLength(2);
  });

  it('gives every conversation an id of its own', async () => {
    const w = await world();
    const created = await Promise.all(Array.from({ length: 3 }, () => createConversation(w.store, w.ann, { participants: [w.bob.sub] })));
    expect(new Set(created.map((c) => c.id)).size).toBe(3);
    for (const { id } of created) expect(await conversationItem(id)).toMatchObject({ id, __typename: 'Conversation' });
  });
});

describe('events', () => {
  it('a send publishes MESSAGE_SENT with the whole message to the canonical participants, after the writes', async () => {
    const w = await world();
    let storedWhenPublished: Item | undefined;
    const store: MessageStore = {
      ...w.store,
      publish: async (event) => {
        storedWhenPublished = await messageItem(String(event.messageId));
        await w.store.publish(event);
      },
    };
    const sent = await sendMessage(store, w.ann, { conversationId: w.conversationId, content: ' hi ', clientMessageId: 'c-1' }, at('2026-01-02T03:04:05.000Z'));
    expect(w.published).toEqual([
      {
        conversationId: w.conversationId,
        type: 'MESSAGE_SENT',
        userId: w.ann.sub,
        at: '2026-01-02T03:04:05.000Z',
        participants: [canonical(w.ann), `${w.bob.sub}::${w.bob.sub}`],
        messageId: sent.messageId,
        id: sent.messageId,
        sender: w.ann.sub,
        content: 'hi',
        messageType: 'TEXT',
        clientMessageId: 'c-1',
        createdAt: '2026-01-02T03:04:05.000Z',
        editedAt: null,
      },
    ]);
    expect(storedWhenPublished).toMatchObject({ id: sent.messageId, content: 'hi' });
  });

  it('a refused send publishes nothing', async () => {
    const w = await world();
    await expect(sendMessage(w.store, w.eve, { conversationId: w.conversationId, content: 'x' })).rejects.toThrow(/^Unauthorized: /);
    await expect(sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: '   ' })).rejects.toThrow(/^ValidationError: /);
    expect(w.published).toEqual([]);
  });

  it('an edit publishes MESSAGE_EDITED (not when nothing changed); a removal publishes MESSAGE_DELETED without the text', async () => {
    const w = await world();
    const bobCanonical = `${w.bob.sub}::${w.bob.sub}`;
    const sent = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'first' }, at('2026-01-02T00:00:00.000Z'));
    await editMessage(w.store, w.ann, { messageId: sent.messageId, content: 'first' }, at('2026-01-02T00:00:01.000Z'));
    await editMessage(w.store, w.ann, { messageId: sent.messageId, content: 'second' }, at('2026-01-02T00:00:02.000Z'));
    await removeMessage(w.store, w.ann, { messageId: sent.messageId }, at('2026-01-02T00:00:03.000Z'));
    expect(w.published.map((e) => [e.type, e.content, e.editedAt, e.at])).toEqual([
      ['MESSAGE_SENT', 'first', null, '2026-01-02T00:00:00.000Z'],
      ['MESSAGE_EDITED', 'second', '2026-01-02T00:00:02.000Z', '2026-01-02T00:00:02.000Z'],
      ['MESSAGE_DELETED', null, '2026-01-02T00:00:02.000Z', '2026-01-02T00:00:03.000Z'],
    ]);
    expect(new Set(w.published.map((e) => e.messageId))).toEqual(new Set([sent.messageId]));
    expect(w.published.every((e) => e.participants.join() === [canonical(w.ann), bobCanonical].join())).toBe(true);
  });

  it("events about a message go to the conversation's participants now: not to a removed member; to a later one, who reads the history", async () => {
    const w = await world({ participants: ({ ann, bob }) => [canonical(ann), bob.sub] });
    const input = { conversationId: w.conversationId, content: 'before', clientMessageId: 'c-1' };
    const sent = await sendMessage(w.store, w.ann, input, at('2026-01-02T00:00:00.000Z'));
    // An operator removes Bob and adds Eve.
    await updateItem(TABLES.conversation, w.conversationId, { participants: [canonical(w.ann), w.eve.sub] });
    await editMessage(w.store, w.ann, { messageId: sent.messageId, content: 'after' }, at('2026-01-02T00:00:01.000Z'));
    // A retried send of the old message: its text was edited since, so it is no retry of what is stored.
    await expect(sendMessage(w.store, w.ann, input, at('2026-01-02T00:00:02.000Z'))).rejects.toThrow(/^Conflict: /);
    await removeMessage(w.store, w.ann, { messageId: sent.messageId }, at('2026-01-02T00:00:03.000Z'));
    expect(w.published.map((e) => [e.type, e.participants])).toEqual([
      ['MESSAGE_SENT', [canonical(w.ann), `${w.bob.sub}::${w.bob.sub}`]],
      ['MESSAGE_EDITED', [canonical(w.ann), `${w.eve.sub}::${w.eve.sub}`]],
      ['MESSAGE_DELETED', [canonical(w.ann), `${w.eve.sub}::${w.eve.sub}`]],
    ]);
  });

  it('a sender no longer in the conversation may neither edit nor remove their message there: Unauthorized, nothing written or published', async () => {
    const w = await world();
    const sent = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'before' });
    await updateItem(TABLES.conversation, w.conversationId, { participants: [w.bob.sub, w.eve.sub] });
    const refusal = `Unauthorized: not a participant of conversation ${w.conversationId}`;
    await expect(editMessage(w.store, w.ann, { messageId: sent.id, content: 'after' })).rejects.toThrow(refusal);
    await expect(removeMessage(w.store, w.ann, { messageId: sent.id })).rejects.toThrow(refusal);
    expect((await messagesIn(w.conversationId)).map((m) => m['content'])).toEqual(['before']);
    expect(w.published.map((e) => e.type)).toEqual(['MESSAGE_SENT']);
  });

  it("a retried send republishes to the conversation's participants now", async () => {
    const w = await world({ participants: ({ ann, bob }) => [canonical(ann), bob.sub] });
    const bobCanonical = `${w.bob.sub}::${w.bob.sub}`;
    await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'hello', clientMessageId: 'c-2' }, at('2026-01-02T00:00:00.000Z'));
    await updateItem(TABLES.conversation, w.conversationId, { participants: [canonical(w.ann), w.bob.sub, w.eve.sub] });
    await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'hello', clientMessageId: 'c-2' }, at('2026-01-02T00:00:05.000Z'));
    expect(w.published.map((e) => [e.type, e.participants, e.createdAt, e.at])).toEqual([
      ['MESSAGE_SENT', [canonical(w.ann), bobCanonical], '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z'],
      ['MESSAGE_SENT', [canonical(w.ann), bobCanonical, `${w.eve.sub}::${w.eve.sub}`], '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z'],
    ]);
  });

  it('typing is checked like a send, published as TYPING, and stores nothing', async () => {
    const w = await world();
    const event = await sendTyping(w.store, w.bob, { conversationId: w.conversationId, typing: true }, at('2026-01-02T00:00:00.000Z'));
    expect(event).toEqual({ conversationId: w.conversationId, userId: w.bob.sub, typing: true, at: '2026-01-02T00:00:00.000Z' });
    expect(w.published).toEqual([{ ...event, type: 'TYPING', participants: [canonical(w.ann), `${w.bob.sub}::${w.bob.sub}`] }]);
    await expect(sendTyping(w.store, w.eve, { conversationId: w.conversationId, typing: true })).rejects.toThrow(/^Unauthorized: /);
    await expect(sendTyping(w.store, w.bob, { conversationId: 'nope', typing: true })).rejects.toThrow(/^Unauthorized: /);
    await expect(sendTyping(w.store, w.bob, { conversationId: w.conversationId, typing: 'yes' })).rejects.toThrow(/^ValidationError: /);
    expect(w.published).toHaveLength(1);
    expect(await messagesIn(w.conversationId)).toEqual([]);
    expect(await w.counted(w.bob.sub)).toBe(0);
    expect(w.requests.filter((r) => r !== 'GetItem')).toEqual([]);
  });
});
