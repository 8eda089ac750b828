/**
 * dynamodb-store.ts on a real DynamoDB implementation (dynalite, offline/dynamodb): the requests each operation costs
 * (the budget), only item actions of the kinds the function's role is granted (backend.ts), the items' shapes
 * (what Amplify's model resolvers read back for the participants' queries), and the store's own conditions and
 * outcomes. The rules themselves, through this store: logic.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { GetItemCommand, PutItemCommand, TransactionCanceledException, type AttributeValue, type DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDynamoDbClient, type LocalDynamoDb } from '../../../offline/dynamodb/index';
import { startDynamoDbWithTables } from '../../../tests/helpers/message-processor-tables';
import { dynamoDbMessageStore } from './dynamodb-store';
import { createConversation, editMessage, messageIdFor, removeMessage, sendMessage, sendTyping, type ConversationEvent, type NewMessage } from './logic';
import { windowStartOf, type SendRateLimit } from './send-rate-limiter';

const TABLES = { conversation: 'Conversation-storetest-NONE', message: 'Message-storetest-NONE' };
const RATE_TABLE = 'SendRateLimit-storetest';

/** The item actions backend.ts grants the message processor on each table (a transaction needs them per item). */
const GRANTED: Record<string, readonly string[]> = {
  [TABLES.conversation]: ['GetItem', 'PutItem', 'UpdateItem'],
  [TABLES.message]: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
  [RATE_TABLE]: ['UpdateItem'],
};

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

interface RecordedRequest {
  command: string;
  /** Per item action: [table, action] (a transaction's items one by one). */
  actions: [string, string][];
  consistentRead?: boolean;
}

const TRANSACTION_ACTIONS = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' } as const;

function actionsOf(command: string, input: Record<string, unknown>): [string, string][] {
  if (command === 'TransactWriteItems') {
    return (input['TransactItems'] as TransactWriteItem[]).flatMap((item) =>
      Object.entries(TRANSACTION_ACTIONS).flatMap(([kind, action]) => {
        const part = item[kind as keyof TransactWriteItem] as { TableName?: string } | undefined;
        return part ? [[String(part.TableName), action] as [string, string]] : [];
      }),
    );
  }
  return [[String(input['TableName']), command]];
}

const DEFAULT_LIMIT: SendRateLimit = { messages: 1000, windowSeconds: 60 };
const NOW = new Date('2026-01-02T00:00:00.000Z');

/** A store on a client that records every request; a conversation of Ann and Bob; the events it publishes. */
async function setup(options: { rateLimit?: SendRateLimit | null } = {}) {
  const ann = { sub: randomUUID(), username: '' };
  ann.username = ann.sub;
  const bob = { sub: randomUUID(), username: 'bob' };
  const eve = { sub: randomUUID(), username: 'eve' };
  const conversationId = randomUUID();
  await dynamo.client.send(
    new PutItemCommand({
      TableName: TABLES.conversation,
      Item: marshall({
        __typename: 'Conversation',
        id: conversationId,
        participants: [`${ann.sub}::${ann.username}`, `${bob.sub}::bob`],
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
      }),
    }),
  );
  const requests: RecordedRequest[] = [];
  const published: ConversationEvent[] = [];
  const client = createLocalDynamoDbClient(dynamo.endpoint);
  clients.push(client);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context['commandName']).replace(/Command$/, '');
      const input = args.input as Record<string, unknown>;
      const consistentRead = typeof input['ConsistentRead'] === 'boolean' ? input['ConsistentRead'] : undefined;
      requests.push({ command, actions: actionsOf(command, input), ...(consistentRead === undefined ? {} : { consistentRead }) });
      return next(args);
    },
    { step: 'initialize', name: 'storeTestRecorder' },
  );
  const limit = options.rateLimit === undefined ? DEFAULT_LIMIT : options.rateLimit;
  const store = dynamoDbMessageStore({
    client,
    tables: TABLES,
    rateLimit: limit ? { tableName: RATE_TABLE, limit } : null,
    now: () => NOW,
    publish: async (event) => void published.push(event),
  });
  return {
    ann,
    bob,
    eve,
    conversationId,
    client,
    store,
    published,
    requests,
    /** The commands sent since the last call. */
    commands(): string[] {
      return requests.splice(0).map((r) => r.command);
    },
    /** Forgets recorded requests and events: what follows is measured on its own. */
    reset() {
      requests.splice(0);
      published.splice(0);
    },
  };
}

async function rawItem(table: string, key: Record<string, unknown>): Promise<Record<string, AttributeValue> | undefined> {
  return (await dynamo.client.send(new GetItemCommand({ TableName: table, Key: marshall(key), ConsistentRead: true }))).Item;
}

const at = (iso: string) => () => new Date(iso);

/** Every request of the store: an item action it is granted on that table; every read strongly consistent. */
function expectOnlyGrantedItemActions(requests: RecordedRequest[]) {
  expect(requests.length).toBeGreaterThan(0);
  for (const request of requests) {
    expect(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems']).toContain(request.command);
    for (const [table, action] of request.actions) expect(GRANTED[table], `${action} on ${table}`).toContain(action);
    if (request.command === 'GetItem') expect(request.consistentRead).toBe(true);
  }
}

describe('request budget', () => {
  it('a new message: exactly one GetItem and one TransactWriteItems (count, message, conversation), one event', async () => {
    const s = await setup();
    await sendMessage(s.store, s.ann, { conversationId: s.conversationId, content: 'hi' });
    expectOnlyGrantedItemActions(s.requests);
    expect(s.requests.map((r) => r.command)).toEqual(['GetItem', 'TransactWriteItems']);
    expect(s.requests[1]?.actions).toEqual([
      [RATE_TABLE, 'UpdateItem'],
      [TABLES.message, 'PutItem'],
      [TABLES.conversation, 'UpdateItem'],
    ]);
    expect(s.published.map((e) => e.type)).toEqual(['MESSAGE_SENT']);
  });

  it('a new message without a rate limit: the same two requests, the transaction without a count', async () => {
    const s = await setup({ rateLimit: null });
    await sendMessage(s.store, s.ann, { conversationId: s.conversationId, content: 'hi', clientMessageId: 'c-1' });
    expect(s.requests.map((r) => r.command)).toEqual(['GetItem', 'TransactWriteItems']);
    expect(s.requests[1]?.actions).toEqual([
      [TABLES.message, 'PutItem'],
      [TABLES.conversation, 'UpdateItem'],
    ]);
    expect(s.published).toHaveLength(1);
    s.reset();
    // A retry costs no count either.
    await sendMessage(s.store, s.ann, { conversationId: s.conversationId, content: 'hi', clientMessageId: 'c-1' });
    expect(s.commands()).toEqual(['GetItem', 'TransactWriteItems']);
    expect(s.published).toHaveLength(1);
  });

  it('a retry of a stored message: at most 3 requests, one event', async () => {
    const s = await setup();
    const input = { conversationId: s.conversationId, content: 'hi', clientMessageId: 'c-1' };
    await sendMessage(s.store, s.ann, input, at('2026-01-02T00:00:00.000Z'));
    s.reset();
    await sendMessage(s.store, s.ann, input, at('2026-01-02T00:00:01.000Z'));
    expectOnlyGrantedItemActions(s.requests);
    expect(s.requests.length).toBeLessThanOrEqual(3);
    expect(s.commands()).toEqual(['GetItem', 'TransactWriteItems', 'UpdateItem']);
    expect(s.published.map((e) => e.type)).toEqual(['MESSAGE_SENT']);
  });

  it('a send racing a later message (the conversation already moved on): at most 3 requests, one event', async () => {
    const s = await setup();
    await sendMessage(s.store, s.bob, { conversationId: s.conversationId, content: 'later' }, at('2026-01-02T00:00:10.000Z'));
    s.reset();
    await sendMessage(s.store, s.ann, { conversationId: s.conversationId, content: 'earlier' }, at('2026-01-02T00:00:05.000Z'));
    expectOnlyGrantedItemActions(s.requests);
    expect(s.requests.length).toBeLessThanOrEqual(3);
    expect(s.requests.map((r) => r.command)).toEqual(['GetItem', 'TransactWriteItems', 'TransactWriteItems']);
    // The second transaction: the count and the message, not the conversation.
    expect(s.requests[2]?.actions).toEqual([
      [RATE_TABLE, 'UpdateItem'],
      [TABLES.message, 'PutItem'],
    ]);
    expect(s.published.map((e) => e.content)).toEqual(['earlier']);
  });

  it('a send refused (not a participant): one GetItem and the count, no event', async () => {
    const s = await setup();
    await expect(sendMessage(s.store, s.eve, { conversationId: s.conversationId, content: 'hi' })).rejects.toThrow(/^Unauthorized: /);
    expectOnlyGrantedItemActions(s.requests);
    expect(s.commands()).toEqual(['GetItem', 'UpdateItem']);
    expect(s.published).toEqual([]);
  });

  it('a send refused by the rate limit: one GetItem and the cancelled transaction, no event', async () => {
    const s = await setup({ rateLimit: { messages: 1, windowSeconds: 60 } });
    await sendMessage(s.store, s.ann, { conversationId: s.conversationId, content: 'one' });
    s.reset();
    await expect(sendMessage(s.store, s.ann, { conversationId: s.conversationId, content: 'two' })).rejects.toThrow(/^RateLimited: /);
    expect(s.commands()).toEqual(['GetItem', 'TransactWriteItems']);
    expect(s.published).toEqual([]);
  });

  it('a transaction cancelled by a conflict (AWS cancels concurrent transactions on one item) is tried again: one message, one event', async () => {
    const s = await setup();
    // dynalite queues concurrent transactions instead of cancelling them, so AWS's answer is what is injected here:
    // the first two attempts are cancelled with TransactionConflict on the conversation item, nothing written.
    let conflicts = 2;
    s.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context['commandName'] === 'TransactWriteItemsCommand' && conflicts > 0) {
          conflicts -= 1;
          throw new TransactionCanceledException({
            $metadata: {},
            message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, None, TransactionConflict]',
            CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }],
          });
        }
        return next(args);
      },
      { step: 'initialize', priority: 'low', name: 'injectedConflict' },
    );
    const sent = await sendMessage(s.store, s.ann, { conversationId: s.conversationId, content: 'busy room', clientMessageId: 'c-conflict' });
    expect(s.commands()).toEqual(['GetItem', 'TransactWriteItems', 'TransactWriteItems', 'TransactWriteItems']);
    expect(unmarshall((await rawItem(TABLES.message, { id: sent.id }))!)['content']).toBe('busy room');
    expect(s.published.map((e) => e.messageId)).toEqual([sent.id]);
  });

  it('a transaction cancelled by conflicts every time fails with the cancellation after 4 attempts, having written nothing', async () => {
    const s = await setup();
    s.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context['commandName'] === 'TransactWriteItemsCommand') {
          throw new TransactionCanceledException({
            $metadata: {},
            message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict, None, None]',
            CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }, { Code: 'None' }],
          });
        }
        return next(args);
      },
      { step: 'initialize', priority: 'low', name: 'injectedConflict' },
    );
    const failed = await sendMessage(s.store, s.ann, { conversationId: s.conversationId, content: 'never', clientMessageId: 'c-never' }).then(
      () => null,
      (error: Error) => error,
    );
    expect(failed?.name).toBe('TransactionCanceledException');
    expect(s.commands()).toEqual(['GetItem', 'TransactWriteItems', 'TransactWriteItems', 'TransactWriteItems', 'TransactWriteItems']);
    expect(await rawItem(TABLES.message, { id: messageIdFor(s.ann.sub, 'c-never') })).toBeUndefined();
    expect(s.published).toEqual([]);
  });

  it('editMessage: at most 3 requests (the message, the membership check, the write), one event; an edit changing nothing: two reads, no event', async () => {
    const s = await setup();
    const sent = await sendMessage(s.store, s.ann, { conversationId: s.conversationId, content: 'first' });
    s.reset();
    await editMessage(s.store, s.ann, { messageId: sent.id, content: 'second' });
    expectOnlyGrantedItemActions(s.requests);
    expect(s.requests.length).toBeLessThanOrEqual(3);
    expect(s.commands()).toEqual(['GetItem', 'GetItem', 'UpdateItem']);
    expect(s.published.map((e) => e.type)).toEqual(['MESSAGE_EDITED']);
    s.reset();
    await editMessage(s.store, s.ann, { messageId: sent.id, content: 'second' });
    expect(s.commands()).toEqual(['GetItem', 'GetItem']);
    expect(s.published).toEqual([]);
  });

  it('removeMessage: at most 3 requests, one event', async () => {
    const s = await setup();
    const sent = await sendMessage(s.store, s.ann, { conversationId: s.conversationId, content: 'first' });
    s.reset();
    await removeMessage(s.store, s.ann, { messageId: sent.id });
    expectOnlyGrantedItemActions(s.requests);
    expect(s.requests.length).toBeLessThanOrEqual(3);
    expect(s.commands()).toEqual(['GetItem', 'GetItem', 'DeleteItem']);
    expect(s.published.map((e) => e.type)).toEqual(['MESSAGE_DELETED']);
  });

  it('createConversation: exactly one PutItem, one event', async () => {
    const s = await setup();
    await createConversation(s.store, s.ann, { name: 'Team', participants: [s.bob.sub] });
    expectOnlyGrantedItemActions(s.requests);
    expect(s.commands()).toEqual(['PutItem']);
    expect(s.published.map((e) => e.type)).toEqual(['CONVERSATION_CREATED']);
  });

  it('sendTyping: exactly one GetItem, one event', async () => {
    const s = await setup();
    await sendTyping(s.store, s.bob, { conversationId: s.conversationId, typing: true });
    expectOnlyGrantedItemActions(s.requests);
    expect(s.commands()).toEqual(['GetItem']);
    expect(s.published.map((e) => e.type)).toEqual(['TYPING']);
  });
});

describe('items', () => {
  it("a message item has the model's shape: __typename, updatedAt; no participants, no null attributes", async () => {
    const s = await setup();
    const plain = await sendMessage(s.store, s.ann, { conversationId: s.conversationId, content: 'plain' }, at('2026-01-02T03:04:05.000Z'));
    expect(await rawItem(TABLES.message, { id: plain.id })).toEqual({
      __typename: { S: 'Message' },
      id: { S: plain.id },
      conversationId: { S: s.conversationId },
      content: { S: 'plain' },
      messageType: { S: 'TEXT' },
      sender: { S: s.ann.sub },
      createdAt: { S: '2026-01-02T03:04:05.000Z' },
      updatedAt: { S: '2026-01-02T03:04:05.000Z' },
    });
    const retried = await sendMessage(s.store, s.ann, { conversationId: s.conversationId, content: 'retried', clientMessageId: 'c-1' });
    expect(retried.id).toBe(messageIdFor(s.ann.sub, 'c-1'));
    expect((await rawItem(TABLES.message, { id: retried.id }))?.['clientMessageId']).toEqual({ S: 'c-1' });
  });

  it('an edit sets content, editedAt and updatedAt, and keeps the rest', async () => {
    const s = await setup();
    const sent = await sendMessage(s.store, s.ann, { conversationId: s.conversationId, content: 'first' }, at('2026-01-02T03:04:05.000Z'));
    await editMessage(s.store, s.ann, { messageId: sent.id, content: 'second' }, at('2026-01-02T03:05:00.000Z'));
    const item = unmarshall((await rawItem(TABLES.message, { id: sent.id })) ?? {});
    expect(item).toEqual({
      __typename: 'Message',
      id: sent.id,
      conversationId: s.conversationId,
      content: 'second',
      messageType: 'TEXT',
      sender: s.ann.sub,
      createdAt: '2026-01-02T03:04:05.000Z',
      updatedAt: '2026-01-02T03:05:00.000Z',
      editedAt: '2026-01-02T03:05:00.000Z',
    });
  });

  it('a conversation item has the model shape when created, and its last message time and preview after a send', async () => {
    const s = await setup();
    const created = await createConversation(s.store, s.ann, { name: 'Team', participants: [`${s.bob.sub}::bob`] }, at('2026-01-02T00:00:00.000Z'));
    expect(await rawItem(TABLES.conversation, { id: created.id })).toEqual({
      __typename: { S: 'Conversation' },
      id: { S: created.id },
      name: { S: 'Team' },
      participants: { L: [{ S: `${s.ann.sub}::${s.ann.username}` }, { S: `${s.bob.sub}::bob` }] },
      kind: { S: 'GROUP' },
      owners: { L: [{ S: `${s.ann.sub}::${s.ann.username}` }] },
      createdAt: { S: '2026-01-02T00:00:00.000Z' },
      updatedAt: { S: '2026-01-02T00:00:00.000Z' },
    });
    await sendMessage(s.store, s.bob, { conversationId: created.id, content: 'hello\n there' }, at('2026-01-02T00:01:00.000Z'));
    expect(unmarshall((await rawItem(TABLES.conversation, { id: created.id })) ?? {})).toMatchObject({
      __typename: 'Conversation',
      name: 'Team',
      createdAt: '2026-01-02T00:00:00.000Z',
      lastMessageAt: '2026-01-02T00:01:00.000Z',
      lastMessagePreview: 'hello there',
      updatedAt: '2026-01-02T00:01:00.000Z',
    });
  });

  it("the sender's count: one item per user and window, with its expiry", async () => {
    const s = await setup();
    await sendMessage(s.store, s.ann, { conversationId: s.conversationId, content: 'one' });
    await sendMessage(s.store, s.ann, { conversationId: s.conversationId, content: 'two' });
    const windowStart = windowStartOf(NOW, DEFAULT_LIMIT.windowSeconds);
    expect(await rawItem(RATE_TABLE, { userId: s.ann.sub, windowStart })).toEqual({
      userId: { S: s.ann.sub },
      windowStart: { N: String(windowStart) },
      sent: { N: '2' },
      expiresAt: { N: String(windowStart + DEFAULT_LIMIT.windowSeconds + 86_400) },
    });
  });
});

describe('store operations', () => {
  const newMessage = (s: Awaited<ReturnType<typeof setup>>, overrides: Partial<NewMessage> = {}): NewMessage => ({
    id: randomUUID(),
    conversationId: s.conversationId,
    content: 'hello',
    messageType: 'TEXT',
    sender: s.ann.sub,
    clientMessageId: 'c-1',
    createdAt: '2026-01-02T00:00:05.000Z',
    ...overrides,
  });

  it('writeMessage: created, then a duplicate with the stored message; a message earlier than the last is created without the preview', async () => {
    const s = await setup();
    const message = newMessage(s);
    await expect(s.store.writeMessage(message, 'hello')).resolves.toEqual({ kind: 'created' });
    await expect(s.store.writeMessage({ ...message, content: 'changed', createdAt: '2026-01-02T00:00:09.000Z' }, 'changed')).resolves.toEqual({
      kind: 'duplicate',
      existing: { ...message, editedAt: null, updatedAt: message.createdAt },
    });
    const earlier = newMessage(s, { createdAt: '2026-01-02T00:00:01.000Z', clientMessageId: null, content: 'earlier' });
    await expect(s.store.writeMessage(earlier, 'earlier')).resolves.toEqual({ kind: 'created' });
    await expect(s.store.getMessage(earlier.id)).resolves.toEqual({ ...earlier, editedAt: null, updatedAt: earlier.createdAt });
    await expect(s.store.getConversation(s.conversationId)).resolves.toMatchObject({ lastMessageAt: '2026-01-02T00:00:05.000Z' });
    expect(unmarshall((await rawItem(TABLES.conversation, { id: s.conversationId })) ?? {})['lastMessagePreview']).toBe('hello');
    // Only the messages written were counted: the duplicate's transaction was cancelled as a whole.
    const windowStart = windowStartOf(NOW, DEFAULT_LIMIT.windowSeconds);
    expect((await rawItem(RATE_TABLE, { userId: s.ann.sub, windowStart }))?.['sent']).toEqual({ N: '2' });
    expect(s.published).toEqual([]);
  });

  it('writeMessage of a message whose conversation is gone: stored alone (nothing to move on)', async () => {
    const s = await setup();
    const message = newMessage(s, { conversationId: randomUUID() });
    await expect(s.store.writeMessage(message, 'hello')).resolves.toEqual({ kind: 'created' });
    expect(await rawItem(TABLES.message, { id: message.id })).toBeDefined();
    expect(await rawItem(TABLES.conversation, { id: message.conversationId })).toBeUndefined();
  });

  it('writeMessage refuses a send over the limit with RateLimited and writes nothing', async () => {
    const s = await setup({ rateLimit: { messages: 1, windowSeconds: 60 } });
    await s.store.writeMessage(newMessage(s), 'hello');
    const second = newMessage(s, { clientMessageId: 'c-2' });
    await expect(s.store.writeMessage(second, 'hello')).rejects.toThrow('RateLimited: you sent 1 messages in the last 60 s, the most allowed; try again in 60 s');
    expect(await rawItem(TABLES.message, { id: second.id })).toBeUndefined();
  });

  it('countAttempt: one UpdateItem with a limit, no request without one', async () => {
    const limited = await setup({ rateLimit: { messages: 1, windowSeconds: 60 } });
    await limited.store.countAttempt(limited.eve.sub);
    await expect(limited.store.countAttempt(limited.eve.sub)).rejects.toThrow(/^RateLimited: /);
    expect(limited.commands()).toEqual(['UpdateItem', 'UpdateItem']);
    const unlimited = await setup({ rateLimit: null });
    await unlimited.store.countAttempt(unlimited.eve.sub);
    expect(unlimited.commands()).toEqual([]);
  });

  it('updateMessageContent and deleteMessage are conditional on the sender and on the message existing', async () => {
    const s = await setup();
    const message = newMessage(s);
    await s.store.writeMessage(message, 'hello');
    const stored = await rawItem(TABLES.message, { id: message.id });

    await expect(s.store.updateMessageContent(message.id, s.bob.sub, 'hijack', '2026-01-02T00:01:00.000Z')).resolves.toBeNull();
    await expect(s.store.deleteMessage(message.id, s.bob.sub)).resolves.toBeNull();
    expect(await rawItem(TABLES.message, { id: message.id })).toEqual(stored);

    const missing = randomUUID();
    await expect(s.store.updateMessageContent(missing, s.ann.sub, 'ghost', '2026-01-02T00:01:00.000Z')).resolves.toBeNull();
    await expect(s.store.deleteMessage(missing, s.ann.sub)).resolves.toBeNull();
    expect(await rawItem(TABLES.message, { id: missing })).toBeUndefined();

    await expect(s.store.updateMessageContent(message.id, s.ann.sub, 'fixed', '2026-01-02T00:01:00.000Z')).resolves.toEqual({
      ...message,
      content: 'fixed',
      editedAt: '2026-01-02T00:01:00.000Z',
      updatedAt: '2026-01-02T00:01:00.000Z',
    });
    await expect(s.store.deleteMessage(message.id, s.ann.sub)).resolves.toMatchObject({ id: message.id, content: 'fixed' });
    expect(await rawItem(TABLES.message, { id: message.id })).toBeUndefined();
    await expect(s.store.deleteMessage(message.id, s.ann.sub)).resolves.toBeNull();
  });

  it('createConversation refuses an existing id with Conflict and leaves the conversation as it was', async () => {
    const s = await setup();
    const before = await rawItem(TABLES.conversation, { id: s.conversationId });
    await expect(
      s.store.createConversation({ id: s.conversationId, name: 'Taken', participants: [`${s.eve.sub}::eve`], kind: 'GROUP', owners: [`${s.eve.sub}::eve`], createdAt: '2026-01-03T00:00:00.000Z' }),
    ).rejects.toThrow(`Conflict: conversation ${s.conversationId} exists`);
    expect(await rawItem(TABLES.conversation, { id: s.conversationId })).toEqual(before);
  });

  it('passes DynamoDB errors other than failed conditions through (a missing table)', async () => {
    const s = await setup();
    const broken = dynamoDbMessageStore({
      client: dynamo.client,
      tables: { conversation: TABLES.conversation, message: 'Message-missing-NONE' },
      rateLimit: { tableName: RATE_TABLE, limit: DEFAULT_LIMIT },
      publish: async () => undefined,
    });
    const error = await sendMessage(broken, s.ann, { conversationId: s.conversationId, content: 'hi' }).then(
      () => undefined,
      (reason: Error) => reason,
    );
    expect(error?.name).toBe('ResourceNotFoundException');
    await expect(broken.getMessage('x')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(broken.deleteMessage('x', s.ann.sub)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
