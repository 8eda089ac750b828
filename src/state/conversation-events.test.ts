import { describe, expect, it } from 'vitest';
import { previewOf } from '../../amplify/shared/message-preview';
import { applyConversationEvent, conversationOfCreatedEvent, removesMe, type ConversationEventInput } from './conversation-events';
import { listedConversation, mergeConversations, type ListedConversation } from './conversation-list';

const ANN = 'ann-sub';
const BOB = 'bob-sub';

const created: ConversationEventInput = {
  type: 'CONVERSATION_CREATED',
  conversationId: 'c1',
  at: '2026-03-01T10:00:00.000Z',
  name: 'Plans',
  participants: [`${ANN}::${ANN}`, `${BOB}::${BOB}`],
};

function sent(createdAt: string, content: string, extra: Partial<ConversationEventInput> = {}): ConversationEventInput {
  return { type: 'MESSAGE_SENT', conversationId: 'c1', at: createdAt, createdAt, content, messageType: 'TEXT', participants: created.participants, ...extra };
}

const conversation = (id: string, fields: Partial<ListedConversation> = {}): ListedConversation =>
  listedConversation({ id, createdAt: '2026-03-01T09:00:00.000Z', updatedAt: '2026-03-01T09:00:00.000Z', participants: [ANN, BOB], ...fields });

describe('conversationOfCreatedEvent', () => {
  it('builds the record a query would return: participants as read back, no messages yet', () => {
    expect(conversationOfCreatedEvent(created)).toEqual({
      id: 'c1',
      name: 'Plans',
      participants: [ANN, BOB],
      kind: 'GROUP',
      owners: [ANN],
      createdAt: created.at,
      updatedAt: created.at,
      lastMessageAt: null,
      lastMessagePreview: null,
    });
  });

  it('equals createConversation’s answer for the same conversation (the creator gets both)', () => {
    const answer = listedConversation({
      id: 'c1',
      name: 'Plans',
      participants: [ANN, BOB],
      createdAt: created.at,
      updatedAt: created.at,
      lastMessageAt: null,
      lastMessagePreview: null,
    });
    expect(conversationOfCreatedEvent(created)).toEqual(answer);
  });

  it('names an unnamed conversation null, and is null for other events', () => {
    expect(conversationOfCreatedEvent({ ...created, name: null })?.name).toBeNull();
    expect(conversationOfCreatedEvent({ ...created, name: '  ' })?.name).toBeNull();
    expect(conversationOfCreatedEvent(sent('2026-03-01T10:01:00.000Z', 'hi'))).toBeNull();
  });
});

describe('applyConversationEvent', () => {
  it('adds a created conversation to the list, without listing again', () => {
    const outcome = applyConversationEvent([conversation('c0')], created, ANN);
    expect(outcome.relist).toBe(false);
    expect(outcome.list.map((c) => c.id)).toEqual(['c0', 'c1']);
  });

  it('changes nothing when the created conversation is held already (a repeated event, or the creator’s own answer)', () => {
    const list = applyConversationEvent([], created, ANN).list;
    expect(applyConversationEvent(list, created, ANN)).toEqual({ list, relist: false });
    expect(applyConversationEvent(list, created, ANN).list).toBe(list);
  });

  it('does not undo later activity when a created event arrives after a message', () => {
    let list = applyConversationEvent([], created, ANN).list;
    list = applyConversationEvent(list, sent('2026-03-01T10:01:00.000Z', 'first'), ANN).list;
    const again = applyConversationEvent(list, created, ANN);
    expect(again.list).toBe(list);
    expect(again.list[0]).toMatchObject({ lastMessageAt: '2026-03-01T10:01:00.000Z', lastMessagePreview: 'first' });
  });

  it('moves lastMessageAt to the message’s createdAt and the preview to the backend’s previewOf', () => {
    const long = `${'word '.repeat(40)}\n\nend`;
    const { list, relist } = applyConversationEvent([conversation('c1')], sent('2026-03-01T10:05:00.000Z', long), ANN);
    expect(relist).toBe(false);
    expect(list[0]).toMatchObject({
      lastMessageAt: '2026-03-01T10:05:00.000Z',
      lastMessagePreview: previewOf(long, 'TEXT'),
      updatedAt: '2026-03-01T10:05:00.000Z',
    });
    const image = applyConversationEvent(list, sent('2026-03-01T10:06:00.000Z', 'https://x/y.png', { messageType: 'IMAGE' }), ANN).list;
    expect(image[0]?.lastMessagePreview).toBe(previewOf('https://x/y.png', 'IMAGE'));
    // A file's preview names it, as the backend's does.
    const file = applyConversationEvent(image, sent('2026-03-01T10:07:00.000Z', '', { messageType: 'FILE', attachment: { name: 'minutes.pdf' } }), ANN).list;
    expect(file[0]?.lastMessagePreview).toBe('📎 minutes.pdf');
  });

  it('never moves backwards: a late or repeated message event changes nothing', () => {
    const list = applyConversationEvent([conversation('c1')], sent('2026-03-01T10:05:00.000Z', 'newer'), ANN).list;
    expect(applyConversationEvent(list, sent('2026-03-01T10:04:00.000Z', 'older'), ANN).list).toBe(list);
    expect(applyConversationEvent(list, sent('2026-03-01T10:05:00.000Z', 'newer'), ANN).list).toBe(list);
    expect(list[0]?.lastMessagePreview).toBe('newer');
  });

  it('compares instants, not text', () => {
    const list = applyConversationEvent([conversation('c1')], sent('2026-03-01T10:05:00.5Z', 'later'), ANN).list;
    expect(applyConversationEvent(list, sent('2026-03-01T10:05:00.100Z', 'earlier'), ANN).list).toBe(list);
  });

  it('ignores a message event without a valid createdAt', () => {
    const list = [conversation('c1')];
    expect(applyConversationEvent(list, sent('2026-03-01T10:05:00.000Z', 'x', { createdAt: null }), ANN)).toEqual({ list, relist: false });
    expect(applyConversationEvent(list, sent('2026-03-01T10:05:00.000Z', 'x', { createdAt: 'soon' }), ANN).list).toBe(list);
  });

  it('leaves the list alone on edits, removals and typing: only MESSAGE_SENT changes the last message', () => {
    const list = [conversation('c1', { lastMessageAt: '2026-03-01T10:05:00.000Z', lastMessagePreview: 'hello' })];
    for (const type of ['MESSAGE_EDITED', 'MESSAGE_DELETED', 'TYPING'] as const) {
      expect(applyConversationEvent(list, sent('2026-03-01T10:09:00.000Z', 'changed', { type }), ANN)).toEqual({ list, relist: false });
    }
  });

  it('asks to list again for any event about a conversation it does not hold (other than its creation)', () => {
    const list = [conversation('c0')];
    for (const type of ['MESSAGE_SENT', 'MESSAGE_EDITED', 'MESSAGE_DELETED', 'TYPING'] as const) {
      const outcome = applyConversationEvent(list, sent('2026-03-01T10:09:00.000Z', 'hi', { type }), ANN);
      expect(outcome.relist, type).toBe(true);
      expect(outcome.list).toBe(list);
    }
  });

  it('agrees with a later list answer: the listed record, older than the event, does not move it back', () => {
    const live = applyConversationEvent([conversation('c1')], sent('2026-03-01T10:05:00.000Z', 'live'), ANN).list;
    // A listing read before the send reached the table.
    const stale = conversation('c1');
    expect(mergeConversations(live, [stale])).toBe(live);
    // A listing read after it: the same values as the event gave.
    const fresh = conversation('c1', { lastMessageAt: '2026-03-01T10:05:00.000Z', lastMessagePreview: 'live', updatedAt: '2026-03-01T10:05:00.000Z' });
    expect(mergeConversations(live, [fresh])).toBe(live);
  });
});

describe('MEMBERS_CHANGED', () => {
  const CAT = 'cat-sub';
  const changed = (members: string[], owners: string[], extra: Partial<ConversationEventInput> = {}): ConversationEventInput => ({
    type: 'MEMBERS_CHANGED',
    conversationId: 'g1',
    at: '2026-03-02T10:00:00.000Z',
    name: 'Team',
    kind: 'GROUP',
    members: members.map((m) => `${m}::${m}`),
    owners: owners.map((o) => `${o}::${o}`),
    participants: [...new Set([...members, BOB])].map((m) => `${m}::${m}`),
    ...extra,
  });

  it('updates the members and owners of a held group, keeping its last message', () => {
    const held = conversation('g1', { name: 'Team', participants: [ANN, BOB], lastMessageAt: '2026-03-01T09:30:00.000Z', lastMessagePreview: 'hi' });
    const { list, relist } = applyConversationEvent([held], changed([ANN, BOB, CAT], [ANN, BOB]), ANN);
    expect(relist).toBe(false);
    expect(list[0]).toMatchObject({ id: 'g1', kind: 'GROUP', participants: [ANN, BOB, CAT], owners: [ANN, BOB], lastMessagePreview: 'hi', updatedAt: '2026-03-02T10:00:00.000Z' });
  });

  it('adds the group for someone just added, whole from the event, without listing again', () => {
    const { list, relist } = applyConversationEvent([], changed([ANN, BOB, CAT], [ANN]), CAT);
    expect(relist).toBe(false);
    expect(list).toEqual([expect.objectContaining({ id: 'g1', name: 'Team', kind: 'GROUP', participants: [ANN, BOB, CAT], owners: [ANN] })]);
  });

  it('drops the conversation for someone removed or leaving, and only for them', () => {
    const held = conversation('g1', { name: 'Team', participants: [ANN, BOB, CAT] });
    const removal = changed([ANN, CAT], [ANN], { systemAction: 'REMOVED' } as Partial<ConversationEventInput>);
    expect(removesMe(removal, BOB)).toBe(true);
    expect(removesMe(removal, CAT)).toBe(false);
    expect(applyConversationEvent([held], removal, BOB)).toEqual({ list: [], relist: false });
    expect(applyConversationEvent([held], removal, CAT).list[0]?.participants).toEqual([ANN, CAT]);
    // Not holding it: nothing to drop, and no listing either.
    expect(applyConversationEvent([], removal, BOB)).toEqual({ list: [], relist: false });
  });
});
