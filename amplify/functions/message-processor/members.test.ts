/**
 * Conversation members (members.ts) through the stores the Lambda uses (dynamodb-store.ts, membership-store.ts) on a
 * real DynamoDB implementation (dynalite, offline/dynamodb): kinds, owner-only changes, the 1:1 refusals, leaving and
 * the last owner's hand-over, roles, bounds and bad input, concurrent changes by two owners, the stored SYSTEM
 * messages, the events and the invalidations. Only publishing and invalidating are recorded in arrays instead of going
 * through AppSync (tests/offline/members.test.ts covers the real delivery and invalidation).
 */
import { GetItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall, type NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDynamoDbClient, type LocalDynamoDb } from '../../../offline/dynamodb/index';
import { canonical, newUser, seedConversation, startDynamoDbWithTables, type TestUser } from '../../../tests/helpers/message-processor-tables';
import { MAX_CONVERSATION_PARTICIPANTS } from '../../shared/limits';
import { dynamoDbMessageStore } from './dynamodb-store';
import { createConversation, editMessage, sendMessage, sendTyping, type ConversationEvent, type MessageStore } from './logic';
import { addMembers, leaveConversation, removeMember, setMemberRole, type MembershipStore } from './members';
import { dynamoDbMembershipStore } from './membership-store';
import { toggleReaction } from './reactions';
import { dynamoDbReactionStore } from './reaction-store';
import { markRead } from './read-receipts';
import { dynamoDbReadPointStore } from './read-receipt-store';
import { rejectionOf as errorOf } from '../../../tests/helpers/rejection';

type Item = Record<string, NativeAttributeValue>;

const TABLES = { conversation: 'Conversation-memberstest-NONE', message: 'Message-memberstest-NONE' };
const REACTION_TABLE = 'Reaction-memberstest-NONE';
const READ_TABLE = 'ReadReceipt-memberstest-NONE';

let dynamo: LocalDynamoDb;

beforeAll(async () => {
  dynamo = await startDynamoDbWithTables({ ...TABLES, reaction: REACTION_TABLE, readReceipt: READ_TABLE });
});

afterAll(async () => {
  await dynamo?.close();
});

interface Stores {
  store: MessageStore;
  members: MembershipStore;
}

/** Ann (owner) with Bob in a group "Team"; Cat, Dan and Eve outside it. */
async function world() {
  const [ann, bob, cat, dan, eve] = [newUser(), newUser(), newUser(), newUser(), newUser()];
  const published: ConversationEvent[] = [];
  const invalidated: [string, string][] = [];
  const storesOn = (client = createLocalDynamoDbClient(dynamo.endpoint)): Stores => ({
    store: dynamoDbMessageStore({ client, tables: TABLES, rateLimit: null, publish: async (event) => void published.push(structuredClone(event)) }),
    members: dynamoDbMembershipStore({ client, tables: TABLES, invalidate: async (conversationId, userId) => void invalidated.push([conversationId, userId]) }),
  });
  const { store, members } = storesOn();
  const group = await createConversation(store, ann, { name: 'Team', participants: [bob.sub] });
  const direct = await createConversation(store, ann, { participants: [bob.sub] });
  published.length = 0;
  return { ann, bob, cat, dan, eve, group: group.id, direct: direct.id, store, members, published, invalidated, otherInstance: () => storesOn() };
}

const clockAt = (iso: string) => () => new Date(iso);

async function conversationItem(id: string): Promise<Item> {
  const answer = await dynamo.client.send(new GetItemCommand({ TableName: TABLES.conversation, Key: marshall({ id }), ConsistentRead: true }));
  return unmarshall(answer.Item ?? {});
}

async function messagesIn(conversationId: string): Promise<Item[]> {
  const answer = await dynamo.client.send(new ScanCommand({ TableName: TABLES.message, FilterExpression: 'conversationId = :c', ExpressionAttributeValues: marshall({ ':c': conversationId }) }));
  return (answer.Items ?? []).map((item) => unmarshall(item)).sort((a, b) => String(a['createdAt']).localeCompare(String(b['createdAt'])));
}

const systemMessagesIn = async (conversationId: string) => (await messagesIn(conversationId)).filter((m) => m['messageType'] === 'SYSTEM');

const entry = (user: TestUser) => canonical(user);

describe('kinds at creation', () => {
  it('two people and no name are DIRECT; a name or more people GROUP; the creator is the first owner', async () => {
    const w = await world();
    expect(await conversationItem(w.direct)).toMatchObject({ kind: 'DIRECT', owners: [entry(w.ann)], participants: [entry(w.ann), entry(w.bob)] });
    expect(await conversationItem(w.group)).toMatchObject({ kind: 'GROUP', owners: [entry(w.ann)] });
    const three = await createConversation(w.store, w.bob, { participants: [w.ann.sub, w.cat.sub] });
    expect(three).toMatchObject({ kind: 'GROUP', owners: [entry(w.bob)] });
    const pair = await createConversation(w.store, w.bob, { participants: [w.cat.sub], kind: 'GROUP' });
    expect(pair.kind).toBe('GROUP');
  });

  it('refuses DIRECT for anything but two people without a name, and an unknown kind', async () => {
    const w = await world();
    for (const input of [
      { participants: [w.bob.sub, w.cat.sub], kind: 'DIRECT' },
      { participants: [w.bob.sub], name: 'Named', kind: 'DIRECT' },
      { participants: [], kind: 'DIRECT' },
    ]) {
      expect((await errorOf(createConversation(w.store, w.ann, input))).message).toBe('ValidationError: a direct conversation has exactly two people and no name');
    }
    expect((await errorOf(createConversation(w.store, w.ann, { participants: [w.bob.sub], kind: 'CHANNEL' }))).message).toBe('ValidationError: kind must be DIRECT or GROUP');
    expect(w.published).toEqual([]);
  });
});

describe('addMembers', () => {
  it('an owner adds people: appended in join order, one SYSTEM message, MEMBERS_CHANGED to everyone, the message to the members after it', async () => {
    const w = await world();
    const result = await addMembers(w.store, w.members, w.ann, { conversationId: w.group, userIds: [w.cat.sub, `${w.dan.sub}::${w.dan.sub}`, w.bob.sub] }, clockAt('2026-03-01T10:00:00.000Z'));
    const after = [entry(w.ann), entry(w.bob), entry(w.cat), entry(w.dan)];
    expect(result).toEqual({ conversationId: w.group, kind: 'GROUP', participants: after, owners: [entry(w.ann)], systemMessageIds: [expect.any(String)], at: '2026-03-01T10:00:00.000Z' });
    expect(await conversationItem(w.group)).toMatchObject({ participants: after, owners: [entry(w.ann)], kind: 'GROUP', membershipVersion: 1, updatedAt: '2026-03-01T10:00:00.000Z' });
    const [system] = await systemMessagesIn(w.group);
    expect(system).toMatchObject({ __typename: 'Message', id: result.systemMessageIds[0], messageType: 'SYSTEM', systemAction: 'ADDED', actor: w.ann.sub, targets: [w.cat.sub, w.dan.sub], sender: w.ann.sub });
    // The message does not carry the participants: reads check the conversation's now.
    expect(system).not.toHaveProperty('participants');
    expect(w.published.map((e) => [e.type, e.participants])).toEqual([
      ['MEMBERS_CHANGED', after],
      ['MESSAGE_SENT', after],
    ]);
    expect(w.published[0]).toMatchObject({ members: after, owners: [entry(w.ann)], kind: 'GROUP', systemAction: 'ADDED', actor: w.ann.sub, targets: [w.cat.sub, w.dan.sub], name: 'Team' });
    expect(w.published[1]).toMatchObject({ messageType: 'SYSTEM', systemAction: 'ADDED', targets: [w.cat.sub, w.dan.sub], messageId: result.systemMessageIds[0] });
    expect(w.invalidated).toEqual([]);
  });

  it('adding only people already in changes nothing: no write, no message, no event', async () => {
    const w = await world();
    const result = await addMembers(w.store, w.members, w.ann, { conversationId: w.group, userIds: [w.bob.sub, w.ann.sub] });
    expect(result).toMatchObject({ participants: [entry(w.ann), entry(w.bob)], systemMessageIds: [] });
    expect(await conversationItem(w.group)).not.toHaveProperty('membershipVersion');
    expect(await systemMessagesIn(w.group)).toEqual([]);
    expect(w.published).toEqual([]);
  });

  it('refuses a member who is not an owner, a non-participant and a missing conversation alike, writing nothing', async () => {
    const w = await world();
    expect((await errorOf(addMembers(w.store, w.members, w.bob, { conversationId: w.group, userIds: [w.cat.sub] }))).message).toBe(`Unauthorized: only an owner of conversation ${w.group} may add members`);
    expect((await errorOf(addMembers(w.store, w.members, w.eve, { conversationId: w.group, userIds: [w.eve.sub] }))).message).toBe(`Unauthorized: not a participant of conversation ${w.group}`);
    expect((await errorOf(addMembers(w.store, w.members, w.eve, { conversationId: 'missing', userIds: [w.eve.sub] }))).message).toBe('Unauthorized: not a participant of conversation missing');
    expect((await conversationItem(w.group))['participants']).toEqual([entry(w.ann), entry(w.bob)]);
    expect(w.published).toEqual([]);
  });

  it('keeps the bounds: at most MAX_CONVERSATION_PARTICIPANTS, counted with those already in', async () => {
    const w = await world();
    const many = Array.from({ length: MAX_CONVERSATION_PARTICIPANTS - 1 }, () => newUser().sub);
    expect((await errorOf(addMembers(w.store, w.members, w.ann, { conversationId: w.group, userIds: many }))).message).toBe(
      `ValidationError: a conversation has at most ${MAX_CONVERSATION_PARTICIPANTS} participants; ${MAX_CONVERSATION_PARTICIPANTS + 1} were given`,
    );
    await addMembers(w.store, w.members, w.ann, { conversationId: w.group, userIds: many.slice(0, MAX_CONVERSATION_PARTICIPANTS - 2) });
    expect(((await conversationItem(w.group))['participants'] as string[]).length).toBe(MAX_CONVERSATION_PARTICIPANTS);
    expect((await errorOf(addMembers(w.store, w.members, w.ann, { conversationId: w.group, userIds: [w.cat.sub] }))).message).toMatch(/^ValidationError: a conversation has at most/);
  });

  it.each([
    ['no userIds', { userIds: undefined }, 'ValidationError: userIds must name at least one user'],
    ['an empty list', { userIds: [] }, 'ValidationError: userIds must name at least one user'],
    ['a malformed id', { userIds: ['a::b::c'] }, /^ValidationError: userIds must be user ids/],
    ['a number', { userIds: [7] }, /^ValidationError: userIds must be user ids/],
    ['no conversationId', { conversationId: '', userIds: ['x'] }, 'ValidationError: conversationId is required'],
  ])('refuses %s as a ValidationError', async (_, input, message) => {
    const w = await world();
    const error = await errorOf(addMembers(w.store, w.members, w.ann, { conversationId: w.group, ...input }));
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
    expect(w.published).toEqual([]);
  });
});

describe('a direct conversation stays a 1:1', () => {
  it('refuses adding, removing, roles and leaving with ValidationError, writing nothing', async () => {
    const w = await world();
    const refusal = `ValidationError: conversation ${w.direct} is a direct conversation: it keeps its two people`;
    expect((await errorOf(addMembers(w.store, w.members, w.ann, { conversationId: w.direct, userIds: [w.cat.sub] }))).message).toBe(refusal);
    expect((await errorOf(removeMember(w.store, w.members, w.ann, { conversationId: w.direct, userId: w.bob.sub }))).message).toBe(refusal);
    expect((await errorOf(setMemberRole(w.store, w.members, w.ann, { conversationId: w.direct, userId: w.bob.sub, role: 'OWNER' }))).message).toBe(refusal);
    expect((await errorOf(leaveConversation(w.store, w.members, w.bob, { conversationId: w.direct }))).message).toBe(refusal);
    expect(await conversationItem(w.direct)).toMatchObject({ participants: [entry(w.ann), entry(w.bob)] });
    expect(await messagesIn(w.direct)).toEqual([]);
    expect(w.published).toEqual([]);
  });

  it('treats an item written before kinds existed by its shape: two people without a name are DIRECT; otherwise the first participant owns it', async () => {
    const w = await world();
    const legacyDirect = await seedConversation(dynamo, TABLES.conversation, [entry(w.ann), entry(w.bob)]);
    expect((await errorOf(addMembers(w.store, w.members, w.ann, { conversationId: legacyDirect, userIds: [w.cat.sub] }))).message).toMatch(/^ValidationError: .* is a direct conversation/);
    const legacyGroup = await seedConversation(dynamo, TABLES.conversation, [entry(w.bob), entry(w.ann), entry(w.cat)]);
    expect((await errorOf(addMembers(w.store, w.members, w.ann, { conversationId: legacyGroup, userIds: [w.dan.sub] }))).message).toMatch(/^Unauthorized: only an owner/);
    await addMembers(w.store, w.members, w.bob, { conversationId: legacyGroup, userIds: [w.dan.sub] });
    expect(await conversationItem(legacyGroup)).toMatchObject({ kind: 'GROUP', owners: [entry(w.bob)], membershipVersion: 1 });
  });
});

describe('removeMember', () => {
  it("an owner removes a member: gone from participants (and owners), MEMBERS_CHANGED reaches them too, the message only those left, their subscriptions are invalidated", async () => {
    const w = await world();
    await addMembers(w.store, w.members, w.ann, { conversationId: w.group, userIds: [w.cat.sub] });
    await setMemberRole(w.store, w.members, w.ann, { conversationId: w.group, userId: w.bob.sub, role: 'OWNER' });
    w.published.length = 0;
    const result = await removeMember(w.store, w.members, w.ann, { conversationId: w.group, userId: w.bob.sub });
    expect(result).toMatchObject({ participants: [entry(w.ann), entry(w.cat)], owners: [entry(w.ann)] });
    expect(w.published.map((e) => [e.type, e.participants])).toEqual([
      ['MEMBERS_CHANGED', [entry(w.ann), entry(w.bob), entry(w.cat)]],
      ['MESSAGE_SENT', [entry(w.ann), entry(w.cat)]],
    ]);
    expect(w.published[0]).toMatchObject({ members: [entry(w.ann), entry(w.cat)], systemAction: 'REMOVED', targets: [w.bob.sub] });
    expect(w.invalidated).toEqual([[w.group, w.bob.sub]]);
    expect((await systemMessagesIn(w.group)).map((m) => m['systemAction'])).toEqual(['ADDED', 'ROLE_CHANGED', 'REMOVED']);
  });

  it('refuses a non-owner, removing oneself (that is leaving) and someone who is not a member', async () => {
    const w = await world();
    await addMembers(w.store, w.members, w.ann, { conversationId: w.group, userIds: [w.cat.sub] });
    expect((await errorOf(removeMember(w.store, w.members, w.bob, { conversationId: w.group, userId: w.cat.sub }))).message).toBe(`Unauthorized: only an owner of conversation ${w.group} may remove members`);
    expect((await errorOf(removeMember(w.store, w.members, w.ann, { conversationId: w.group, userId: w.ann.sub }))).message).toBe('ValidationError: to leave a conversation, use leaveConversation');
    expect((await errorOf(removeMember(w.store, w.members, w.ann, { conversationId: w.group, userId: w.eve.sub }))).message).toBe(`ValidationError: user ${w.eve.sub} is not a member of conversation ${w.group}`);
    expect((await errorOf(removeMember(w.store, w.members, w.ann, { conversationId: w.group, userId: '' }))).message).toBe('ValidationError: userId is required');
    expect(w.invalidated).toEqual([]);
  });

  it('a removed member is refused on every write path at once: send, edit, typing, reaction, read point; a member added later may do all of them', async () => {
    const w = await world();
    const before = await sendMessage(w.store, w.bob, { conversationId: w.group, content: 'mine' });
    await removeMember(w.store, w.members, w.ann, { conversationId: w.group, userId: w.bob.sub });
    const refusal = `Unauthorized: not a participant of conversation ${w.group}`;
    const reactions = dynamoDbReactionStore(dynamo.client, REACTION_TABLE);
    const readPoints = dynamoDbReadPointStore(dynamo.client, READ_TABLE);
    expect((await errorOf(sendMessage(w.store, w.bob, { conversationId: w.group, content: 'still here?' }))).message).toBe(refusal);
    expect((await errorOf(editMessage(w.store, w.bob, { messageId: before.id, content: 'edited' }))).message).toBe(refusal);
    expect((await errorOf(sendTyping(w.store, w.bob, { conversationId: w.group, typing: true }))).message).toBe(refusal);
    expect((await errorOf(toggleReaction(w.store, reactions, w.bob, { conversationId: w.group, messageId: before.id, emoji: '👍' }))).message).toBe(refusal);
    expect((await errorOf(markRead(w.store, readPoints, w.bob, { conversationId: w.group, messageId: before.id }))).message).toBe(refusal);
    await addMembers(w.store, w.members, w.ann, { conversationId: w.group, userIds: [w.cat.sub] });
    await expect(toggleReaction(w.store, reactions, w.cat, { conversationId: w.group, messageId: before.id, emoji: '👍' })).resolves.toMatchObject({ reacted: true });
    await expect(markRead(w.store, readPoints, w.cat, { conversationId: w.group, messageId: before.id })).resolves.toMatchObject({ moved: true });
    await expect(sendMessage(w.store, w.cat, { conversationId: w.group, content: 'hi all' })).resolves.toMatchObject({ content: 'hi all' });
    const stored = await dynamo.client.send(new QueryCommand({ TableName: REACTION_TABLE, KeyConditionExpression: 'messageId = :m', ExpressionAttributeValues: marshall({ ':m': before.id }) }));
    expect((stored.Items ?? []).map((item) => unmarshall(item)['userId'])).toEqual([w.cat.sub]);
  });
});

describe('leaveConversation', () => {
  it('a member leaves: LEFT, their subscriptions invalidated; the owners stay', async () => {
    const w = await world();
    const result = await leaveConversation(w.store, w.members, w.bob, { conversationId: w.group });
    expect(result).toMatchObject({ participants: [entry(w.ann)], owners: [entry(w.ann)], systemMessageIds: [expect.any(String)] });
    expect((await systemMessagesIn(w.group)).map((m) => [m['systemAction'], m['actor'], m['targets']])).toEqual([['LEFT', w.bob.sub, [w.bob.sub]]]);
    expect(w.invalidated).toEqual([[w.group, w.bob.sub]]);
    expect((await errorOf(leaveConversation(w.store, w.members, w.bob, { conversationId: w.group }))).message).toBe(`Unauthorized: not a participant of conversation ${w.group}`);
  });

  it('when the last owner leaves, the longest-standing remaining member becomes owner, and a second SYSTEM message says so', async () => {
    const w = await world();
    await addMembers(w.store, w.members, w.ann, { conversationId: w.group, userIds: [w.cat.sub, w.dan.sub] });
    w.published.length = 0;
    const result = await leaveConversation(w.store, w.members, w.ann, { conversationId: w.group }, clockAt('2026-03-02T00:00:00.000Z'));
    expect(result).toMatchObject({ participants: [entry(w.bob), entry(w.cat), entry(w.dan)], owners: [entry(w.bob)] });
    const system = (await systemMessagesIn(w.group)).filter((m) => m['systemAction'] !== 'ADDED');
    expect(system.map((m) => [m['systemAction'], m['targets'], m['role'], m['createdAt']])).toEqual([
      ['LEFT', [w.ann.sub], undefined, '2026-03-02T00:00:00.000Z'],
      ['ROLE_CHANGED', [w.bob.sub], 'OWNER', '2026-03-02T00:00:00.001Z'],
    ]);
    expect(w.published.map((e) => e.type)).toEqual(['MEMBERS_CHANGED', 'MESSAGE_SENT', 'MESSAGE_SENT']);
    expect(w.published[0]).toMatchObject({ members: [entry(w.bob), entry(w.cat), entry(w.dan)], owners: [entry(w.bob)], participants: [entry(w.ann), entry(w.bob), entry(w.cat), entry(w.dan)] });
    expect(w.invalidated).toEqual([[w.group, w.ann.sub]]);
  });

  it('the last person leaving leaves an empty group: MEMBERS_CHANGED to them, no message event to nobody', async () => {
    const w = await world();
    await leaveConversation(w.store, w.members, w.bob, { conversationId: w.group });
    w.published.length = 0;
    await leaveConversation(w.store, w.members, w.ann, { conversationId: w.group });
    expect(await conversationItem(w.group)).toMatchObject({ participants: [], owners: [] });
    expect(w.published.map((e) => [e.type, e.participants])).toEqual([['MEMBERS_CHANGED', [entry(w.ann)]]]);
  });
});

describe('setMemberRole', () => {
  it('an owner makes a member an owner and back; the same role again changes nothing; a group keeps one owner', async () => {
    const w = await world();
    const promoted = await setMemberRole(w.store, w.members, w.ann, { conversationId: w.group, userId: w.bob.sub, role: 'OWNER' });
    expect(promoted.owners).toEqual([entry(w.ann), entry(w.bob)]);
    expect((await setMemberRole(w.store, w.members, w.ann, { conversationId: w.group, userId: w.bob.sub, role: 'OWNER' })).systemMessageIds).toEqual([]);
    // Bob, an owner now, may change roles too.
    const demoted = await setMemberRole(w.store, w.members, w.bob, { conversationId: w.group, userId: w.ann.sub, role: 'MEMBER' });
    expect(demoted.owners).toEqual([entry(w.bob)]);
    expect((await errorOf(setMemberRole(w.store, w.members, w.bob, { conversationId: w.group, userId: w.bob.sub, role: 'MEMBER' }))).message).toBe(
      'ValidationError: a group keeps at least one owner: make someone else an owner first',
    );
    expect((await errorOf(setMemberRole(w.store, w.members, w.ann, { conversationId: w.group, userId: w.bob.sub, role: 'MEMBER' }))).message).toBe(`Unauthorized: only an owner of conversation ${w.group} may change roles`);
    expect((await errorOf(setMemberRole(w.store, w.members, w.bob, { conversationId: w.group, userId: w.ann.sub, role: 'ADMIN' }))).message).toBe('ValidationError: role must be OWNER or MEMBER');
    expect((await errorOf(setMemberRole(w.store, w.members, w.bob, { conversationId: w.group, userId: w.eve.sub, role: 'OWNER' }))).message).toBe(`ValidationError: user ${w.eve.sub} is not a member of conversation ${w.group}`);
    expect((await systemMessagesIn(w.group)).map((m) => [m['systemAction'], m['actor'], m['targets'], m['role']])).toEqual([
      ['ROLE_CHANGED', w.ann.sub, [w.bob.sub], 'OWNER'],
      ['ROLE_CHANGED', w.bob.sub, [w.ann.sub], 'MEMBER'],
    ]);
  });
});

describe('concurrent changes', () => {
  it('two owners adding different people at the same moment, on two Lambda instances: both land, nothing is lost', async () => {
    const w = await world();
    await setMemberRole(w.store, w.members, w.ann, { conversationId: w.group, userId: w.bob.sub, role: 'OWNER' });
    const other = w.otherInstance();
    await Promise.all([
      addMembers(w.store, w.members, w.ann, { conversationId: w.group, userIds: [w.cat.sub] }),
      addMembers(other.store, other.members, w.bob, { conversationId: w.group, userIds: [w.dan.sub] }),
    ]);
    const item = await conversationItem(w.group);
    expect([...(item['participants'] as string[])].sort()).toEqual([entry(w.ann), entry(w.bob), entry(w.cat), entry(w.dan)].sort());
    expect(item['membershipVersion']).toBe(3);
    expect((await systemMessagesIn(w.group)).filter((m) => m['systemAction'] === 'ADDED')).toHaveLength(2);
  });

  it('an add racing a removal of the one adding: the removal wins or the add does, never a half of each', async () => {
    const w = await world();
    await addMembers(w.store, w.members, w.ann, { conversationId: w.group, userIds: [w.cat.sub] });
    await setMemberRole(w.store, w.members, w.ann, { conversationId: w.group, userId: w.bob.sub, role: 'OWNER' });
    const other = w.otherInstance();
    const outcomes = await Promise.allSettled([
      removeMember(w.store, w.members, w.ann, { conversationId: w.group, userId: w.bob.sub }),
      addMembers(other.store, other.members, w.bob, { conversationId: w.group, userIds: [w.dan.sub] }),
    ]);
    expect(outcomes[0].status).toBe('fulfilled');
    const participants = (await conversationItem(w.group))['participants'] as string[];
    expect(participants).not.toContain(entry(w.bob));
    if (outcomes[1].status === 'rejected') {
      expect(String(outcomes[1].reason)).toContain(`Unauthorized: not a participant of conversation ${w.group}`);
      expect(participants).not.toContain(entry(w.dan));
    } else {
      expect(participants).toContain(entry(w.dan));
    }
  });
});
