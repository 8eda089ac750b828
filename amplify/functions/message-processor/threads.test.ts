/**
 * Thread replies (sendMessage with threadRootId, removeMessage of a reply; logic.ts) through the store the Lambda uses
 * (dynamodb-store.ts) on a real DynamoDB implementation (dynalite, offline/dynamodb): the root's validation, the root's
 * counts written in the reply's transaction (and taken back by a removal), concurrent replies, the rate limit, retries,
 * bad input, and the events. Only publishing is recorded in an array instead of going through AppSync
 * (tests/offline/threads.test.ts covers the real delivery and listThreadReplies).
 */
import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall, type NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDynamoDbClient, type LocalDynamoDb } from '../../../offline/dynamodb/index';
import { canonical, newUser, seedConversation, setParticipants, startDynamoDbWithTables } from '../../../tests/helpers/message-processor-tables';
import { chatErrorCode } from '../../shared/errors';
import { dynamoDbMessageStore } from './dynamodb-store';
import { createConversation, editMessage, removeMessage, sendMessage, type ConversationEvent, type MessageStore } from './logic';
import { addMembers } from './members';
import { dynamoDbMembershipStore } from './membership-store';
import { rejectionOf as errorOf } from '../../../tests/helpers/rejection';

type Item = Record<string, NativeAttributeValue>;

const TABLES = { conversation: 'Conversation-threadtest-NONE', message: 'Message-threadtest-NONE' };
const RATE_TABLE = 'SendRateLimit-threadtest-NONE';

let dynamo: LocalDynamoDb;

beforeAll(async () => {
  dynamo = await startDynamoDbWithTables({ ...TABLES, sendRateLimit: RATE_TABLE });
});

afterAll(async () => {
  await dynamo?.close();
});

const clockAt = (iso: string) => () => new Date(iso);

/** Ann and Bob in a conversation with Bob's message "lunch?"; Eve in another conversation with Ann. */
async function world(options: { sendLimit?: number } = {}) {
  const [ann, bob, eve] = [newUser(), newUser(), newUser()];
  const conversationId = await seedConversation(dynamo, TABLES.conversation, [canonical(ann), canonical(bob)]);
  const otherConversationId = await seedConversation(dynamo, TABLES.conversation, [canonical(eve), canonical(ann)]);
  const published: ConversationEvent[] = [];
  const rateLimit = options.sendLimit ? { tableName: RATE_TABLE, limit: { messages: options.sendLimit, windowSeconds: 60 } } : null;
  const storeOn = (client = createLocalDynamoDbClient(dynamo.endpoint)): MessageStore =>
    dynamoDbMessageStore({ client, tables: TABLES, rateLimit, publish: async (event) => void published.push(structuredClone(event)) });
  const store = storeOn();
  const root = await sendMessage(store, bob, { conversationId, content: 'lunch?' }, clockAt('2026-01-02T10:00:00.000Z'));
  const otherRoot = await sendMessage(store, eve, { conversationId: otherConversationId, content: 'hi Ann' }, clockAt('2026-01-02T10:00:00.000Z'));
  published.length = 0;
  return { ann, bob, eve, conversationId, otherConversationId, root, otherRoot, store, published, otherInstance: () => storeOn() };
}

async function messageItem(id: string): Promise<Item | null> {
  const answer = await dynamo.client.send(new GetItemCommand({ TableName: TABLES.message, Key: marshall({ id }), ConsistentRead: true }));
  return answer.Item ? unmarshall(answer.Item) : null;
}

async function messagesIn(conversationId: string): Promise<Item[]> {
  const answer = await dynamo.client.send(new ScanCommand({ TableName: TABLES.message, ConsistentRead: true, FilterExpression: 'conversationId = :c', ExpressionAttributeValues: marshall({ ':c': conversationId }) }));
  return (answer.Items ?? []).map((item) => unmarshall(item));
}

describe('sendMessage with threadRootId: the root', () => {
  it('stores the reply with its root, bumps the root in the same write, and publishes MESSAGE_SENT with the root and its counts', async () => {
    const w = await world();
    const reply = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: ' yes! ', threadRootId: w.root.messageId }, clockAt('2026-01-02T10:05:00.000Z'));
    expect(reply).toMatchObject({ conversationId: w.conversationId, content: 'yes!', sender: w.ann.sub, threadRootId: w.root.messageId });
    expect(await messageItem(reply.messageId)).toMatchObject({ threadRootId: w.root.messageId, conversationId: w.conversationId, content: 'yes!' });
    expect(await messageItem(w.root.messageId)).toMatchObject({ replyCount: 1, lastReplyAt: '2026-01-02T10:05:00.000Z', lastReplySender: w.ann.sub, content: 'lunch?' });
    expect(w.published).toEqual([
      expect.objectContaining({
        type: 'MESSAGE_SENT',
        messageId: reply.messageId,
        threadRootId: w.root.messageId,
        replyCount: 1,
        lastReplyAt: '2026-01-02T10:05:00.000Z',
        lastReplySender: w.ann.sub,
        participants: [canonical(w.ann), canonical(w.bob)],
      }),
    ]);
    // A top-level send carries no thread fields.
    const plain = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'plain' });
    expect(plain.threadRootId).toBeNull();
    expect(w.published[1]).not.toHaveProperty('threadRootId');
    expect(w.published[1]).not.toHaveProperty('replyCount');
  });

  it("refuses an unknown root and another conversation's message alike (NotFound), writing and publishing nothing", async () => {
    const w = await world();
    for (const threadRootId of ['no-such-message', w.otherRoot.messageId]) {
      const error = await errorOf(sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'x', threadRootId }));
      expect(chatErrorCode(error.message), threadRootId).toBe('NotFound');
    }
    expect(await messageItem(w.otherRoot.messageId)).not.toHaveProperty('replyCount');
    expect((await messagesIn(w.conversationId)).map((m) => m['content'])).toEqual(['lunch?']);
    expect(w.published).toEqual([]);
  });

  it('refuses a reply as root (threads are one level deep) and a SYSTEM message as root (ValidationError)', async () => {
    const w = await world();
    const reply = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'yes', threadRootId: w.root.messageId });
    const nested = await errorOf(sendMessage(w.store, w.bob, { conversationId: w.conversationId, content: 'nested', threadRootId: reply.messageId }));
    expect(chatErrorCode(nested.message)).toBe('ValidationError');

    // A group whose member change wrote a SYSTEM message.
    const members = dynamoDbMembershipStore({ client: createLocalDynamoDbClient(dynamo.endpoint), tables: TABLES, invalidate: async () => undefined });
    const groupId = (await createConversation(w.store, w.ann, { name: 'Team', participants: [w.bob.sub] })).id;
    const changed = await addMembers(w.store, members, w.ann, { conversationId: groupId, userIds: [w.eve.sub] });
    const systemId = changed.systemMessageIds[0]!;
    const onSystem = await errorOf(sendMessage(w.store, w.ann, { conversationId: groupId, content: 'x', threadRootId: systemId }));
    expect(chatErrorCode(onSystem.message)).toBe('ValidationError');
    expect(await messageItem(reply.messageId)).not.toHaveProperty('replyCount');
    expect(await messageItem(systemId)).not.toHaveProperty('replyCount');
  });

  it('refuses bad threadRootId input (ValidationError) and a non-participant (Unauthorized, before the root is looked at)', async () => {
    const w = await world();
    for (const threadRootId of ['', 42, { id: w.root.messageId }]) {
      const error = await errorOf(sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'x', threadRootId: threadRootId as never }));
      expect(chatErrorCode(error.message), JSON.stringify(threadRootId)).toBe('ValidationError');
    }
    const outsider = await errorOf(sendMessage(w.store, w.eve, { conversationId: w.conversationId, content: 'x', threadRootId: w.root.messageId }));
    expect(chatErrorCode(outsider.message)).toBe('Unauthorized');
    // A member removed since: refused like any outsider.
    await setParticipants(dynamo, TABLES.conversation, w.conversationId, [canonical(w.bob)]);
    const removed = await errorOf(sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'x', threadRootId: w.root.messageId }));
    expect(chatErrorCode(removed.message)).toBe('Unauthorized');
    expect(await messageItem(w.root.messageId)).not.toHaveProperty('replyCount');
    expect(w.published).toEqual([]);
  });

  it('a reply does not move the conversation (its lastMessageAt and preview stay the top-level message)', async () => {
    const w = await world();
    const before = unmarshall((await dynamo.client.send(new GetItemCommand({ TableName: TABLES.conversation, Key: marshall({ id: w.conversationId }), ConsistentRead: true }))).Item!);
    await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'yes', threadRootId: w.root.messageId }, clockAt('2026-01-02T11:00:00.000Z'));
    const after = unmarshall((await dynamo.client.send(new GetItemCommand({ TableName: TABLES.conversation, Key: marshall({ id: w.conversationId }), ConsistentRead: true }))).Item!);
    expect([after['lastMessageAt'], after['lastMessagePreview']]).toEqual([before['lastMessageAt'], before['lastMessagePreview']]);
  });
});

describe('the root\'s counts', () => {
  it('lastReplyAt and lastReplySender only move forward; the count counts every reply', async () => {
    const w = await world();
    await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'later', threadRootId: w.root.messageId }, clockAt('2026-01-02T10:10:00.000Z'));
    // A reply stamped earlier (another Lambda's clock) lands second: counted, but the last reply stays Ann's.
    await sendMessage(w.store, w.bob, { conversationId: w.conversationId, content: 'earlier', threadRootId: w.root.messageId }, clockAt('2026-01-02T10:09:00.000Z'));
    expect(await messageItem(w.root.messageId)).toMatchObject({ replyCount: 2, lastReplyAt: '2026-01-02T10:10:00.000Z', lastReplySender: w.ann.sub });
    expect(w.published[1]).toMatchObject({ threadRootId: w.root.messageId, replyCount: 2, lastReplyAt: '2026-01-02T10:10:00.000Z' });
  });

  it('concurrent replies from two Lambda instances are all counted (conditions and transactions, no lost update)', async () => {
    const w = await world();
    const senders = [w.store, w.otherInstance(), w.otherInstance(), w.otherInstance()];
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        sendMessage(senders[i % senders.length]!, i % 2 ? w.ann : w.bob, { conversationId: w.conversationId, content: `r${i}`, threadRootId: w.root.messageId }, clockAt(`2026-01-02T10:${String(10 + i).padStart(2, '0')}:00.000Z`)),
      ),
    );
    expect(new Set(replies.map((r) => r.messageId)).size).toBe(12);
    expect(await messageItem(w.root.messageId)).toMatchObject({ replyCount: 12, lastReplyAt: '2026-01-02T10:21:00.000Z', lastReplySender: w.ann.sub });
  });

  it('a retried reply (same clientMessageId) is stored and counted once; reusing the id for another root is a Conflict', async () => {
    const w = await world();
    const first = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'yes', clientMessageId: 'c-1', threadRootId: w.root.messageId });
    const again = await sendMessage(w.otherInstance(), w.ann, { conversationId: w.conversationId, content: 'yes', clientMessageId: 'c-1', threadRootId: w.root.messageId });
    expect(again.messageId).toBe(first.messageId);
    expect(await messageItem(w.root.messageId)).toMatchObject({ replyCount: 1 });
    const topLevel = await errorOf(sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'yes', clientMessageId: 'c-1' }));
    expect(chatErrorCode(topLevel.message)).toBe('Conflict');
    expect(await messageItem(w.root.messageId)).toMatchObject({ replyCount: 1 });
  });

  it('a reply over the send limit writes nothing: no reply, no count', async () => {
    const w = await world({ sendLimit: 3 });
    // The world's two sends count for Bob and Eve; Ann has 3.
    for (let i = 0; i < 3; i += 1) await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: `r${i}`, threadRootId: w.root.messageId });
    const refused = await errorOf(sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'one too many', threadRootId: w.root.messageId }));
    expect(chatErrorCode(refused.message)).toBe('RateLimited');
    expect(await messageItem(w.root.messageId)).toMatchObject({ replyCount: 3 });
    expect((await messagesIn(w.conversationId)).filter((m) => m['threadRootId'])).toHaveLength(3);
  });

  it("removing a reply decrements the root's count in the same write and publishes MESSAGE_DELETED with the root's count", async () => {
    const w = await world();
    const a = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'one', threadRootId: w.root.messageId });
    await sendMessage(w.store, w.bob, { conversationId: w.conversationId, content: 'two', threadRootId: w.root.messageId });
    w.published.length = 0;
    // Only its sender removes it.
    expect(chatErrorCode((await errorOf(removeMessage(w.store, w.bob, { messageId: a.messageId }))).message)).toBe('Unauthorized');
    expect(await messageItem(w.root.messageId)).toMatchObject({ replyCount: 2 });
    await removeMessage(w.store, w.ann, { messageId: a.messageId });
    expect(await messageItem(a.messageId)).toBeNull();
    expect(await messageItem(w.root.messageId)).toMatchObject({ replyCount: 1 });
    expect(w.published).toEqual([expect.objectContaining({ type: 'MESSAGE_DELETED', messageId: a.messageId, content: null, threadRootId: w.root.messageId, replyCount: 1 })]);
    // Removing it again: gone, refused, the count unchanged.
    expect(chatErrorCode((await errorOf(removeMessage(w.store, w.ann, { messageId: a.messageId }))).message)).toBe('Unauthorized');
    expect(await messageItem(w.root.messageId)).toMatchObject({ replyCount: 1 });
  });

  it('a reply whose root was removed can still be removed by its sender; a reply to a removed root is NotFound', async () => {
    const w = await world();
    const reply = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'yes', threadRootId: w.root.messageId });
    await removeMessage(w.store, w.bob, { messageId: w.root.messageId });
    const late = await errorOf(sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'late', threadRootId: w.root.messageId }));
    expect(chatErrorCode(late.message)).toBe('NotFound');
    w.published.length = 0;
    await removeMessage(w.store, w.ann, { messageId: reply.messageId });
    expect(await messageItem(reply.messageId)).toBeNull();
    expect(await messageItem(w.root.messageId)).toBeNull();
    expect(w.published).toEqual([expect.objectContaining({ type: 'MESSAGE_DELETED', threadRootId: w.root.messageId })]);
    expect(w.published[0]).not.toHaveProperty('replyCount');
  });

  it("editing a reply keeps its thread and the root's counts; the edit event names the root", async () => {
    const w = await world();
    const reply = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'yes', threadRootId: w.root.messageId });
    w.published.length = 0;
    await editMessage(w.store, w.ann, { messageId: reply.messageId, content: 'yes, 12:30' });
    expect(await messageItem(reply.messageId)).toMatchObject({ content: 'yes, 12:30', threadRootId: w.root.messageId });
    expect(await messageItem(w.root.messageId)).toMatchObject({ replyCount: 1 });
    expect(w.published).toEqual([expect.objectContaining({ type: 'MESSAGE_EDITED', messageId: reply.messageId, threadRootId: w.root.messageId })]);
  });
});
