/**
 * toggleReaction (reactions.ts) through the stores the Lambda uses (dynamodb-store.ts, reaction-store.ts) on a real
 * DynamoDB implementation (dynalite, offline/dynamodb): emoji validation, the participant and message checks, toggling
 * on and off, the idempotent `reacted` form, concurrent toggles, the stored items and the REACTION events. Only
 * publishing is recorded in an array instead of going through AppSync (tests/offline/reactions.test.ts covers the
 * real publish and delivery).
 */
import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall, type NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDynamoDbClient, type LocalDynamoDb } from '../../../offline/dynamodb/index';
import { canonical, newUser, seedConversation, setParticipants, startDynamoDbWithTables } from '../../../tests/helpers/message-processor-tables';
import { REACTION_EMOJI } from '../../shared/limits';
import { chatErrorCode } from '../../shared/errors';
import { dynamoDbMessageStore } from './dynamodb-store';
import { sendMessage, type ConversationEvent, type MessageStore } from './logic';
import { dynamoDbReactionStore } from './reaction-store';
import { toggleReaction, type ReactionStore } from './reactions';
import { rejectionOf as errorOf } from '../../../tests/helpers/rejection';

type Item = Record<string, NativeAttributeValue>;

const TABLES = { conversation: 'Conversation-reactiontest-NONE', message: 'Message-reactiontest-NONE' };
const REACTION_TABLE = 'Reaction-reactiontest-NONE';

let dynamo: LocalDynamoDb;

beforeAll(async () => {
  dynamo = await startDynamoDbWithTables({ ...TABLES, reaction: REACTION_TABLE });
});

afterAll(async () => {
  await dynamo?.close();
});

/** Ann and Bob in a conversation with one message from Bob; Eve in a conversation of her own with Ann. */
async function world() {
  const ann = newUser();
  const bob = newUser();
  const eve = newUser();
  const conversationId = await seedConversation(dynamo, TABLES.conversation, [canonical(ann), canonical(bob)]);
  const eveConversationId = await seedConversation(dynamo, TABLES.conversation, [canonical(eve), canonical(ann)]);
  const published: ConversationEvent[] = [];
  const storeOn = (client = createLocalDynamoDbClient(dynamo.endpoint)): { store: MessageStore; reactions: ReactionStore } => ({
    store: dynamoDbMessageStore({ client, tables: TABLES, rateLimit: null, publish: async (event) => void published.push(structuredClone(event)) }),
    reactions: dynamoDbReactionStore(client, REACTION_TABLE),
  });
  const { store, reactions } = storeOn();
  const message = await sendMessage(store, bob, { conversationId, content: 'lunch?' }, () => new Date('2026-01-02T10:00:00.000Z'));
  const eveMessage = await sendMessage(store, eve, { conversationId: eveConversationId, content: 'hi Ann' });
  published.length = 0;
  return { ann, bob, eve, conversationId, eveConversationId, message, eveMessage, store, reactions, published, otherInstance: () => storeOn() };
}

/** The stored reactions of a message (the table's key range), oldest key first. */
async function reactionsOf(messageId: string): Promise<Item[]> {
  const answer = await dynamo.client.send(
    new QueryCommand({ TableName: REACTION_TABLE, ConsistentRead: true, KeyConditionExpression: 'messageId = :m', ExpressionAttributeValues: marshall({ ':m': messageId }) }),
  );
  return (answer.Items ?? []).map((item) => unmarshall(item));
}

const AT = () => new Date('2026-01-02T11:00:00.000Z');

describe('toggleReaction: who may react', () => {
  it('refuses a non-participant and a missing conversation with the same answer, storing and publishing nothing', async () => {
    const w = await world();
    const foreign = await errorOf(toggleReaction(w.store, w.reactions, w.eve, { conversationId: w.conversationId, messageId: w.message.id, emoji: '👍' }));
    expect(foreign.message).toBe(`Unauthorized: not a participant of conversation ${w.conversationId}`);
    const missingId = randomUUID();
    const missing = await errorOf(toggleReaction(w.store, w.reactions, w.eve, { conversationId: missingId, messageId: w.message.id, emoji: '👍' }));
    expect(missing.message).toBe(`Unauthorized: not a participant of conversation ${missingId}`);
    // Naming her own conversation does not help: the message is not in it.
    const wrongConversation = await errorOf(toggleReaction(w.store, w.reactions, w.eve, { conversationId: w.eveConversationId, messageId: w.message.id, emoji: '👍' }));
    expect(wrongConversation.message).toBe(`NotFound: message ${w.message.id} is not in conversation ${w.eveConversationId}`);
    expect(await reactionsOf(w.message.id)).toEqual([]);
    expect(w.published).toEqual([]);
  });

  it("gives one NotFound answer for a missing message and for another conversation's message, even one the caller can read", async () => {
    const w = await world();
    const missingId = randomUUID();
    const missing = await errorOf(toggleReaction(w.store, w.reactions, w.ann, { conversationId: w.conversationId, messageId: missingId, emoji: '👍' }));
    expect(missing.message).toBe(`NotFound: message ${missingId} is not in conversation ${w.conversationId}`);
    // Ann is in Eve's conversation too, but names the wrong conversation for its message.
    const elsewhere = await errorOf(toggleReaction(w.store, w.reactions, w.ann, { conversationId: w.conversationId, messageId: w.eveMessage.id, emoji: '👍' }));
    expect(elsewhere.message).toBe(`NotFound: message ${w.eveMessage.id} is not in conversation ${w.conversationId}`);
    expect(await reactionsOf(w.eveMessage.id)).toEqual([]);
    expect(w.published).toEqual([]);
  });

  it('lets a member added after the message was sent react to it (members read the whole history), and refuses a member removed since', async () => {
    const w = await world();
    await setParticipants(dynamo, TABLES.conversation, w.conversationId, [canonical(w.ann), canonical(w.bob), canonical(w.eve)]);
    const added = await toggleReaction(w.store, w.reactions, w.eve, { conversationId: w.conversationId, messageId: w.message.id, emoji: '👍' });
    expect(added).toMatchObject({ reacted: true, users: [w.eve.sub], count: 1 });
    expect(w.published.map((e) => e.participants)).toEqual([[canonical(w.ann), canonical(w.bob), canonical(w.eve)]]);
    await setParticipants(dynamo, TABLES.conversation, w.conversationId, [canonical(w.bob)]);
    const removed = await errorOf(toggleReaction(w.store, w.reactions, w.ann, { conversationId: w.conversationId, messageId: w.message.id, emoji: '👍' }));
    expect(removed.message).toBe(`Unauthorized: not a participant of conversation ${w.conversationId}`);
    expect((await reactionsOf(w.message.id)).map((r) => r['userId'])).toEqual([w.eve.sub]);
    expect(w.published).toHaveLength(1);
  });
});

describe('toggleReaction: emoji', () => {
  it.each([
    ['free text', 'lol'],
    ['two emoji', '👍👍'],
    ['an emoji outside the list', '🍕'],
    ['the heart without its presentation selector', '\u2764'],
    ['empty', ''],
    ['a number', 1],
    ['absent', undefined],
  ])('refuses %s as a ValidationError, storing and publishing nothing', async (_, emoji) => {
    const w = await world();
    const error = await errorOf(toggleReaction(w.store, w.reactions, w.ann, { conversationId: w.conversationId, messageId: w.message.id, emoji }));
    expect(chatErrorCode(error.message)).toBe('ValidationError');
    expect(error.message).toBe(`ValidationError: emoji must be one of ${REACTION_EMOJI.join(' ')}`);
    expect(await reactionsOf(w.message.id)).toEqual([]);
    expect(w.published).toEqual([]);
  });

  it('accepts every emoji of the list', async () => {
    const w = await world();
    for (const emoji of REACTION_EMOJI) {
      expect(await toggleReaction(w.store, w.reactions, w.ann, { conversationId: w.conversationId, messageId: w.message.id, emoji })).toMatchObject({ emoji, reacted: true, count: 1 });
    }
    expect((await reactionsOf(w.message.id)).map((r) => r['emoji']).sort()).toEqual([...REACTION_EMOJI].sort());
  });

  it('refuses a `reacted` that is not a boolean', async () => {
    const w = await world();
    const error = await errorOf(toggleReaction(w.store, w.reactions, w.ann, { conversationId: w.conversationId, messageId: w.message.id, emoji: '👍', reacted: 'yes' }));
    expect(error.message).toBe('ValidationError: reacted must be true, false or absent');
  });
});

describe('toggleReaction: requests (the cost model in docs/benchmarks.md)', () => {
  it('reads the conversation and the message, writes one item, and reads the emoji once; a plain toggle that removes writes twice', async () => {
    const w = await world();
    const client = createLocalDynamoDbClient(dynamo.endpoint);
    const requests: string[] = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        requests.push(String(context['commandName']).replace(/Command$/, ''));
        return next(args);
      },
      { step: 'initialize', name: 'reactionRequestRecorder' },
    );
    const store = dynamoDbMessageStore({ client, tables: TABLES, rateLimit: null, publish: async () => undefined });
    const reactions = dynamoDbReactionStore(client, REACTION_TABLE);
    const input = { conversationId: w.conversationId, messageId: w.message.id, emoji: '👍' };
    await toggleReaction(store, reactions, w.ann, { ...input, reacted: true });
    expect(requests.splice(0)).toEqual(['GetItem', 'GetItem', 'PutItem', 'Query']);
    await toggleReaction(store, reactions, w.ann, { ...input, reacted: false });
    expect(requests.splice(0)).toEqual(['GetItem', 'GetItem', 'DeleteItem', 'Query']);
    await toggleReaction(store, reactions, w.ann, input);
    expect(requests.splice(0)).toEqual(['GetItem', 'GetItem', 'PutItem', 'Query']);
    await toggleReaction(store, reactions, w.ann, input);
    expect(requests.splice(0)).toEqual(['GetItem', 'GetItem', 'PutItem', 'DeleteItem', 'Query']);
    client.destroy();
  });
});

describe('toggleReaction: on, off, counts and events', () => {
  it('stores the reaction as the Reaction model reads it and publishes REACTION to the message audience; a second toggle removes it', async () => {
    const w = await world();
    const on = await toggleReaction(w.store, w.reactions, w.ann, { conversationId: w.conversationId, messageId: w.message.id, emoji: '👍' }, AT);
    expect(on).toEqual({ conversationId: w.conversationId, messageId: w.message.id, emoji: '👍', userId: w.ann.sub, reacted: true, users: [w.ann.sub], count: 1, at: AT().toISOString() });
    expect(await reactionsOf(w.message.id)).toEqual([
      {
        __typename: 'Reaction',
        messageId: w.message.id,
        reactionKey: `👍#${w.ann.sub}`,
        conversationId: w.conversationId,
        messageCreatedAt: '2026-01-02T10:00:00.000Z',
        emoji: '👍',
        userId: w.ann.sub,
        createdAt: AT().toISOString(),
        updatedAt: AT().toISOString(),
      },
    ]);
    expect(w.published).toEqual([
      {
        conversationId: w.conversationId,
        type: 'REACTION',
        userId: w.ann.sub,
        at: AT().toISOString(),
        participants: [canonical(w.ann), canonical(w.bob)],
        messageId: w.message.id,
        id: w.message.id,
        emoji: '👍',
        reacted: true,
        reactionUsers: [w.ann.sub],
        reactionCount: 1,
      },
    ]);

    const off = await toggleReaction(w.store, w.reactions, w.ann, { conversationId: w.conversationId, messageId: w.message.id, emoji: '👍' }, AT);
    expect(off).toMatchObject({ reacted: false, users: [], count: 0 });
    expect(await reactionsOf(w.message.id)).toEqual([]);
    expect(w.published[1]).toMatchObject({ type: 'REACTION', userId: w.ann.sub, emoji: '👍', reacted: false, reactionUsers: [], reactionCount: 0 });
  });

  it('with `reacted`, sets the state wanted: repeating it changes nothing (retries are harmless)', async () => {
    const w = await world();
    const input = { conversationId: w.conversationId, messageId: w.message.id, emoji: '❤️' };
    for (let i = 0; i < 3; i++) expect(await toggleReaction(w.store, w.reactions, w.ann, { ...input, reacted: true })).toMatchObject({ reacted: true, count: 1, users: [w.ann.sub] });
    expect(await reactionsOf(w.message.id)).toHaveLength(1);
    for (let i = 0; i < 2; i++) expect(await toggleReaction(w.store, w.reactions, w.ann, { ...input, reacted: false })).toMatchObject({ reacted: false, count: 0, users: [] });
    expect(await reactionsOf(w.message.id)).toEqual([]);
    // Every call publishes the state it leaves (at least once, like a retried send).
    expect(w.published.map((e) => [e.reacted, e.reactionCount])).toEqual([[true, 1], [true, 1], [true, 1], [false, 0], [false, 0]]);
  });

  it('counts per emoji: the users of one emoji, and one user with several emoji', async () => {
    const w = await world();
    const input = { conversationId: w.conversationId, messageId: w.message.id };
    await toggleReaction(w.store, w.reactions, w.ann, { ...input, emoji: '👍' });
    const second = await toggleReaction(w.store, w.reactions, w.bob, { ...input, emoji: '👍' });
    expect(second).toMatchObject({ reacted: true, count: 2 });
    expect([...second.users].sort()).toEqual([w.ann.sub, w.bob.sub].sort());
    expect(await toggleReaction(w.store, w.reactions, w.bob, { ...input, emoji: '😂' })).toMatchObject({ count: 1, users: [w.bob.sub] });
    const annOff = await toggleReaction(w.store, w.reactions, w.ann, { ...input, emoji: '👍' });
    expect(annOff).toMatchObject({ reacted: false, count: 1, users: [w.bob.sub] });
    expect((await reactionsOf(w.message.id)).map((r) => r['reactionKey']).sort()).toEqual([`👍#${w.bob.sub}`, `😂#${w.bob.sub}`].sort());
  });

  it('concurrent toggles of two users on two Lambda instances converge: both stored, the later read counts both', async () => {
    const w = await world();
    const input = { conversationId: w.conversationId, messageId: w.message.id, emoji: '🎉' };
    const [a, b] = await Promise.all([
      toggleReaction(w.store, w.reactions, w.ann, input),
      toggleReaction(w.otherInstance().store, w.otherInstance().reactions, w.bob, input),
    ]);
    expect([a.reacted, b.reacted]).toEqual([true, true]);
    expect((await reactionsOf(w.message.id)).map((r) => r['userId']).sort()).toEqual([w.ann.sub, w.bob.sub].sort());
    // Each event carries what was stored when it was read; the one read last counts both.
    expect(Math.max(a.count, b.count)).toBe(2);
    const events = w.published.filter((e) => e.type === 'REACTION');
    expect(events.map((e) => e.userId).sort()).toEqual([w.ann.sub, w.bob.sub].sort());
    // Each event's own user is in its users list: a client applying "userId reacted" facts ends with both.
    for (const event of events) expect(event.reactionUsers).toContain(event.userId);
  });

  it('concurrent retries of one user with reacted: true store one reaction', async () => {
    const w = await world();
    const input = { conversationId: w.conversationId, messageId: w.message.id, emoji: '👀', reacted: true };
    const changes = await Promise.all(Array.from({ length: 5 }, (_, i) => toggleReaction(i % 2 ? w.otherInstance().store : w.store, i % 2 ? w.otherInstance().reactions : w.reactions, w.ann, input)));
    expect(changes.every((c) => c.reacted && c.count === 1)).toBe(true);
    expect(await reactionsOf(w.message.id)).toHaveLength(1);
  });

  it("reaches only the message's readers still in the conversation: a member removed by an operator is not told, nor listed as a reader", async () => {
    const w = await world();
    const cat = newUser();
    await setParticipants(dynamo, TABLES.conversation, w.conversationId, [canonical(w.ann), canonical(w.bob), canonical(cat)]);
    const later = await sendMessage(w.store, w.bob, { conversationId: w.conversationId, content: 'cat joined' });
    await setParticipants(dynamo, TABLES.conversation, w.conversationId, [canonical(w.ann), canonical(w.bob)]);
    w.published.length = 0;
    await toggleReaction(w.store, w.reactions, w.ann, { conversationId: w.conversationId, messageId: later.id, emoji: '🙏' });
    expect(w.published[0]?.participants).toEqual([canonical(w.ann), canonical(w.bob)]);
    expect((await reactionsOf(later.id))[0]).not.toHaveProperty('participants');
  });
});
