/**
 * markRead (read-receipts.ts) through the stores the Lambda uses (dynamodb-store.ts, read-receipt-store.ts) on a real
 * DynamoDB implementation (dynalite, offline/dynamodb): the participant and message checks, the monotonic read point,
 * idempotent repeats, concurrent devices converging, the stored item and the READ events. Only publishing is recorded
 * in an array instead of going through AppSync (tests/offline/read-receipts.test.ts covers the real publish).
 */
import { randomUUID } from 'node:crypto';
import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDynamoDbClient, type LocalDynamoDb } from '../../../offline/dynamodb/index';
import { canonical, newUser, seedConversation, setParticipants, startDynamoDbWithTables } from '../../../tests/helpers/message-processor-tables';
import { dynamoDbMessageStore } from './dynamodb-store';
import { sendMessage, type ConversationEvent, type MessageStore } from './logic';
import { dynamoDbReadPointStore } from './read-receipt-store';
import { markRead, type ReadPointStore } from './read-receipts';
import { rejectionOf as errorOf } from '../../../tests/helpers/rejection';

const TABLES = { conversation: 'Conversation-readtest-NONE', message: 'Message-readtest-NONE' };
const READ_RECEIPT_TABLE = 'ReadReceipt-readtest-NONE';

let dynamo: LocalDynamoDb;

beforeAll(async () => {
  dynamo = await startDynamoDbWithTables({ ...TABLES, readReceipt: READ_RECEIPT_TABLE });
});

afterAll(async () => {
  await dynamo?.close();
});

/** Ann and Bob in a conversation with three messages from Bob (10:00, 10:01, 10:02); Eve in one of her own with Ann. */
async function world() {
  const ann = newUser();
  const bob = newUser();
  const eve = newUser();
  const conversationId = await seedConversation(dynamo, TABLES.conversation, [canonical(ann), canonical(bob)]);
  const eveConversationId = await seedConversation(dynamo, TABLES.conversation, [canonical(eve), canonical(ann)]);
  const published: ConversationEvent[] = [];
  const storeOn = (client = createLocalDynamoDbClient(dynamo.endpoint)): { store: MessageStore; readPoints: ReadPointStore } => ({
    store: dynamoDbMessageStore({ client, tables: TABLES, rateLimit: null, publish: async (event) => void published.push(structuredClone(event)) }),
    readPoints: dynamoDbReadPointStore(client, READ_RECEIPT_TABLE),
  });
  const { store, readPoints } = storeOn();
  const messages = [];
  for (const minute of [0, 1, 2]) {
    messages.push(await sendMessage(store, bob, { conversationId, content: `message ${minute}` }, () => new Date(`2026-01-02T10:0${minute}:00.000Z`)));
  }
  const eveMessage = await sendMessage(store, eve, { conversationId: eveConversationId, content: 'hi Ann' });
  published.length = 0;
  return { ann, bob, eve, conversationId, eveConversationId, messages, eveMessage, store, readPoints, published, otherInstance: () => storeOn() };
}

async function storedPoint(conversationId: string, userId: string): Promise<Record<string, unknown> | null> {
  const answer = await dynamo.client.send(new GetItemCommand({ TableName: READ_RECEIPT_TABLE, Key: marshall({ conversationId, userId }), ConsistentRead: true }));
  return answer.Item ? unmarshall(answer.Item) : null;
}

const AT = () => new Date('2026-01-02T11:00:00.000Z');

describe('markRead: who may mark read', () => {
  it('refuses a non-participant and a missing conversation with the same answer, storing and publishing nothing', async () => {
    const w = await world();
    const foreign = await errorOf(markRead(w.store, w.readPoints, w.eve, { conversationId: w.conversationId, messageId: w.messages[0]!.id }));
    expect(foreign.message).toBe(`Unauthorized: not a participant of conversation ${w.conversationId}`);
    const missingId = randomUUID();
    const missing = await errorOf(markRead(w.store, w.readPoints, w.eve, { conversationId: missingId, messageId: w.messages[0]!.id }));
    expect(missing.message).toBe(`Unauthorized: not a participant of conversation ${missingId}`);
    // Naming her own conversation does not help: the message is not in it.
    const wrong = await errorOf(markRead(w.store, w.readPoints, w.eve, { conversationId: w.eveConversationId, messageId: w.messages[0]!.id }));
    expect(wrong.message).toBe(`NotFound: message ${w.messages[0]!.id} is not in conversation ${w.eveConversationId}`);
    expect(await storedPoint(w.conversationId, w.eve.sub)).toBeNull();
    expect(await storedPoint(w.eveConversationId, w.eve.sub)).toBeNull();
    expect(w.published).toEqual([]);
  });

  it('gives one NotFound answer for a missing message and for a message of another conversation the caller can read', async () => {
    const w = await world();
    const missingId = randomUUID();
    expect((await errorOf(markRead(w.store, w.readPoints, w.ann, { conversationId: w.conversationId, messageId: missingId }))).message).toBe(
      `NotFound: message ${missingId} is not in conversation ${w.conversationId}`,
    );
    expect((await errorOf(markRead(w.store, w.readPoints, w.ann, { conversationId: w.conversationId, messageId: w.eveMessage.id }))).message).toBe(
      `NotFound: message ${w.eveMessage.id} is not in conversation ${w.conversationId}`,
    );
    expect(await storedPoint(w.conversationId, w.ann.sub)).toBeNull();
    expect(w.published).toEqual([]);
  });

  it('refuses a member removed by an operator (checked on every call); a member added later marks older messages read', async () => {
    const w = await world();
    const cat = newUser();
    await setParticipants(dynamo, TABLES.conversation, w.conversationId, [canonical(w.ann), canonical(w.bob), canonical(cat)]);
    // Members read the whole history: Cat may mark a message sent before she joined as read.
    expect(await markRead(w.store, w.readPoints, cat, { conversationId: w.conversationId, messageId: w.messages[2]!.id })).toMatchObject({ moved: true, messageId: w.messages[2]!.id });
    await markRead(w.store, w.readPoints, w.ann, { conversationId: w.conversationId, messageId: w.messages[0]!.id });
    await setParticipants(dynamo, TABLES.conversation, w.conversationId, [canonical(w.bob), canonical(cat)]);
    const removed = await errorOf(markRead(w.store, w.readPoints, w.ann, { conversationId: w.conversationId, messageId: w.messages[2]!.id }));
    expect(removed.message).toBe(`Unauthorized: not a participant of conversation ${w.conversationId}`);
    expect((await storedPoint(w.conversationId, w.ann.sub))?.['messageId']).toBe(w.messages[0]!.id);
  });

  it('validates its arguments', async () => {
    const w = await world();
    expect((await errorOf(markRead(w.store, w.readPoints, w.ann, { conversationId: '', messageId: w.messages[0]!.id }))).message).toBe('ValidationError: conversationId is required');
    expect((await errorOf(markRead(w.store, w.readPoints, w.ann, { conversationId: w.conversationId }))).message).toBe('ValidationError: messageId is required');
  });
});

describe('markRead: the read point', () => {
  it('stores the read point with the shape the model reads, without participants, and publishes READ to them', async () => {
    const w = await world();
    const point = await markRead(w.store, w.readPoints, w.ann, { conversationId: w.conversationId, messageId: w.messages[1]!.id }, AT);
    expect(point).toEqual({ conversationId: w.conversationId, userId: w.ann.sub, messageId: w.messages[1]!.id, readAt: w.messages[1]!.createdAt, moved: true });
    expect(await storedPoint(w.conversationId, w.ann.sub)).toEqual({
      __typename: 'ReadReceipt',
      conversationId: w.conversationId,
      userId: w.ann.sub,
      messageId: w.messages[1]!.id,
      readAt: '2026-01-02T10:01:00.000Z',
      createdAt: AT().toISOString(),
      updatedAt: AT().toISOString(),
    });
    expect(w.published).toEqual([
      {
        conversationId: w.conversationId,
        type: 'READ',
        userId: w.ann.sub,
        at: AT().toISOString(),
        participants: [canonical(w.ann), canonical(w.bob)],
        messageId: w.messages[1]!.id,
        readAt: '2026-01-02T10:01:00.000Z',
      },
    ]);
  });

  it('only moves forward: an older message leaves it where it is, answers the stored point and publishes nothing', async () => {
    const w = await world();
    await markRead(w.store, w.readPoints, w.ann, { conversationId: w.conversationId, messageId: w.messages[2]!.id });
    const stale = await markRead(w.store, w.readPoints, w.ann, { conversationId: w.conversationId, messageId: w.messages[0]!.id });
    expect(stale).toMatchObject({ messageId: w.messages[2]!.id, readAt: w.messages[2]!.createdAt, moved: false });
    expect((await storedPoint(w.conversationId, w.ann.sub))?.['messageId']).toBe(w.messages[2]!.id);
    expect(w.published.map((e) => e.messageId)).toEqual([w.messages[2]!.id]);
  });

  it('is idempotent: repeating a call changes nothing stored and publishes the same point again (a retry after a lost publish)', async () => {
    const w = await world();
    const input = { conversationId: w.conversationId, messageId: w.messages[1]!.id };
    const first = await markRead(w.store, w.readPoints, w.ann, input, AT);
    const again = await markRead(w.store, w.readPoints, w.ann, input, () => new Date('2026-01-02T12:00:00.000Z'));
    expect(first.moved).toBe(true);
    expect(again).toEqual({ ...first, moved: false });
    expect((await storedPoint(w.conversationId, w.ann.sub))?.['updatedAt']).toBe(AT().toISOString());
    expect(w.published.map((e) => [e.type, e.messageId, e.readAt])).toEqual([
      ['READ', w.messages[1]!.id, w.messages[1]!.createdAt],
      ['READ', w.messages[1]!.id, w.messages[1]!.createdAt],
    ]);
  });

  it('a move drops the participants an older item carries; a refused move leaves the item as it is', async () => {
    const w = await world();
    await markRead(w.store, w.readPoints, w.ann, { conversationId: w.conversationId, messageId: w.messages[1]!.id }, AT);
    // An item as markRead wrote it before read points stopped carrying the audience.
    const key = marshall({ conversationId: w.conversationId, userId: w.ann.sub });
    await dynamo.client.send(new UpdateItemCommand({ TableName: READ_RECEIPT_TABLE, Key: key, UpdateExpression: 'SET participants = :p', ExpressionAttributeValues: marshall({ ':p': [canonical(w.ann), canonical(w.bob)] }) }));
    await markRead(w.store, w.readPoints, w.ann, { conversationId: w.conversationId, messageId: w.messages[0]!.id });
    expect(await storedPoint(w.conversationId, w.ann.sub)).toMatchObject({ messageId: w.messages[1]!.id, participants: [canonical(w.ann), canonical(w.bob)] });
    await markRead(w.store, w.readPoints, w.ann, { conversationId: w.conversationId, messageId: w.messages[2]!.id });
    const moved = await storedPoint(w.conversationId, w.ann.sub);
    expect(moved).toMatchObject({ messageId: w.messages[2]!.id, createdAt: AT().toISOString() });
    expect(moved).not.toHaveProperty('participants');
  });

  it('keeps one read point per member: Bob reading does not move Ann', async () => {
    const w = await world();
    await markRead(w.store, w.readPoints, w.ann, { conversationId: w.conversationId, messageId: w.messages[0]!.id });
    await markRead(w.store, w.readPoints, w.bob, { conversationId: w.conversationId, messageId: w.messages[2]!.id });
    expect((await storedPoint(w.conversationId, w.ann.sub))?.['messageId']).toBe(w.messages[0]!.id);
    expect((await storedPoint(w.conversationId, w.bob.sub))?.['messageId']).toBe(w.messages[2]!.id);
  });

  it('concurrent calls from several devices on several Lambda instances converge on the newest point, whatever their order', async () => {
    const w = await world();
    const order = [2, 0, 1, 2, 0, 1];
    const results = await Promise.all(
      order.map((i, n) => {
        const instance = n % 2 ? w.otherInstance() : w;
        return markRead(instance.store, instance.readPoints, w.ann, { conversationId: w.conversationId, messageId: w.messages[i]!.id });
      }),
    );
    expect((await storedPoint(w.conversationId, w.ann.sub))?.['messageId']).toBe(w.messages[2]!.id);
    // Every answer is the stored point at its time: never older than what it asked for.
    for (const [n, result] of results.entries()) expect(result.readAt >= w.messages[order[n]!]!.createdAt).toBe(true);
    // The newest point was announced (the events may arrive in any order: clients keep the newest point they know).
    const reads = w.published.filter((e) => e.type === 'READ');
    expect(reads.some((e) => e.messageId === w.messages[2]!.id)).toBe(true);
    expect(results.filter((r) => r.moved).length).toBeGreaterThanOrEqual(1);
  });
});
