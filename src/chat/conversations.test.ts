import { describe, expect, it } from 'vitest';
import {
  UNKNOWN_USER,
  conversationTitle,
  findDirectConversation,
  lastActivityAt,
  otherParticipantIds,
  participantIds,
  sortByRecentActivity,
  userDisplayName,
  userFirstName,
  type ConversationSummary,
  type ProfileSummary,
} from './conversations';

const ME = 'sub-me';
const profiles = new Map<string, ProfileSummary>([
  [ME, { displayName: 'Me Myself', email: 'me@example.com' }],
  ['ann', { displayName: 'Ann Lee', email: 'ann@example.com' }],
  ['bob', { displayName: 'Bob', email: 'bob@example.com' }],
  ['cy', { displayName: '  Cy  Young ', email: null }],
  ['di', { displayName: 'Di', email: 'di@example.com' }],
  ['mailonly', { displayName: '   ', email: 'zed@example.com' }],
  ['empty', {}],
]);

const conv = (id: string, participants: (string | null)[] | null, extra: Partial<ConversationSummary> = {}) => ({
  id,
  participants,
  ...extra,
});

describe('participantIds', () => {
  it('normalizes "<sub>::<username>" and bare entries to user ids, de-duplicated, in order', () => {
    expect(participantIds([`${ME}::${ME}`, 'ann', 'ann::ann', null, '', 'bob'])).toEqual([ME, 'ann', 'bob']);
  });

  it('takes the sub when username differs', () => {
    expect(participantIds(['sub-1::alice'])).toEqual(['sub-1']);
  });

  it('is empty for null, undefined or empty lists', () => {
    expect(participantIds(null)).toEqual([]);
    expect(participantIds(undefined)).toEqual([]);
    expect(participantIds([])).toEqual([]);
  });
});

describe('names', () => {
  it('userDisplayName falls back from display name to e-mail to Unknown user', () => {
    expect(userDisplayName('ann', profiles)).toBe('Ann Lee');
    expect(userDisplayName('mailonly', profiles)).toBe('zed@example.com');
    expect(userDisplayName('empty', profiles)).toBe(UNKNOWN_USER);
    expect(userDisplayName('nobody', profiles)).toBe(UNKNOWN_USER);
  });

  it('userDisplayName accepts an owner entry', () => {
    expect(userDisplayName('ann::ann', profiles)).toBe('Ann Lee');
  });

  it('userFirstName takes the first word, or the e-mail local part', () => {
    expect(userFirstName('ann', profiles)).toBe('Ann');
    expect(userFirstName('cy', profiles)).toBe('Cy');
    expect(userFirstName('mailonly', profiles)).toBe('zed');
    expect(userFirstName('nobody', profiles)).toBe(UNKNOWN_USER);
  });
});

describe('conversationTitle', () => {
  it('uses the name when set (trimmed)', () => {
    expect(conversationTitle(conv('c', [ME, 'ann'], { name: ' Team ' }), ME, profiles)).toBe('Team');
  });

  it('ignores a blank name', () => {
    expect(conversationTitle(conv('c', [ME, 'ann'], { name: '  ' }), ME, profiles)).toBe('Ann Lee');
  });

  it('a 1:1 shows the other person’s full display name, whatever the entry forms', () => {
    expect(conversationTitle(conv('c', [`${ME}::${ME}`, 'ann::ann']), ME, profiles)).toBe('Ann Lee');
    expect(conversationTitle(conv('c', ['ann', ME]), `${ME}::${ME}`, profiles)).toBe('Ann Lee');
  });

  it('a 1:1 falls back to the e-mail, then Unknown user', () => {
    expect(conversationTitle(conv('c', [ME, 'mailonly']), ME, profiles)).toBe('zed@example.com');
    expect(conversationTitle(conv('c', [ME, 'ghost']), ME, profiles)).toBe(UNKNOWN_USER);
  });

  it('an unnamed group joins first names', () => {
    expect(conversationTitle(conv('c', [ME, 'ann', 'bob']), ME, profiles)).toBe('Ann and Bob');
    expect(conversationTitle(conv('c', [ME, 'ann', 'bob', 'cy']), ME, profiles)).toBe('Ann, Bob and Cy');
    expect(conversationTitle(conv('c', [ME, 'ann', 'bob', 'cy', 'di']), ME, profiles)).toBe('Ann, Bob and 2 others');
    expect(conversationTitle(conv('c', [ME, 'ann', 'bob', 'cy', 'di', 'ghost']), ME, profiles)).toBe(
      'Ann, Bob and 3 others',
    );
  });

  it('does not count a duplicated participant twice', () => {
    expect(conversationTitle(conv('c', [ME, 'ann', 'ann::ann', 'bob']), ME, profiles)).toBe('Ann and Bob');
  });

  it('a conversation with only me gets the self title', () => {
    expect(conversationTitle(conv('c', [ME]), ME, profiles)).toBe('Only you');
    expect(conversationTitle(conv('c', null), ME, profiles, 'Notes')).toBe('Notes');
  });

  it('otherParticipantIds excludes me in either form', () => {
    expect(otherParticipantIds(conv('c', [`${ME}::${ME}`, 'ann']), ME)).toEqual(['ann']);
  });
});

describe('sortByRecentActivity', () => {
  it('orders by lastMessageAt, falling back to createdAt, newest first', () => {
    const list = [
      conv('old', [], { createdAt: '2024-01-01T00:00:00Z', lastMessageAt: '2024-01-02T00:00:00Z' }),
      conv('new-empty', [], { createdAt: '2024-03-01T00:00:00Z', lastMessageAt: null }),
      conv('busy', [], { createdAt: '2023-01-01T00:00:00Z', lastMessageAt: '2024-04-01T00:00:00Z' }),
    ];
    expect(sortByRecentActivity(list).map((c) => c.id)).toEqual(['busy', 'new-empty', 'old']);
  });

  it('compares instants, puts conversations without timestamps last, ties by id', () => {
    const list = [
      conv('none', []),
      conv('b', [], { lastMessageAt: '2024-01-01T10:00:00Z' }),
      conv('a', [], { lastMessageAt: '2024-01-01T12:00:00+02:00' }),
      conv('later', [], { lastMessageAt: '2024-01-01T10:00:00.001Z' }),
    ];
    expect(sortByRecentActivity(list).map((c) => c.id)).toEqual(['later', 'a', 'b', 'none']);
  });

  it('does not reorder its input', () => {
    const list = [conv('a', [], { createdAt: '2024-01-01T00:00:00Z' }), conv('b', [], { createdAt: '2024-02-01T00:00:00Z' })];
    sortByRecentActivity(list);
    expect(list.map((c) => c.id)).toEqual(['a', 'b']);
  });

  it('lastActivityAt prefers lastMessageAt', () => {
    expect(lastActivityAt(conv('c', [], { createdAt: 'x', lastMessageAt: 'y' }))).toBe('y');
    expect(lastActivityAt(conv('c', [], { createdAt: 'x' }))).toBe('x');
    expect(lastActivityAt(conv('c', []))).toBeNull();
  });
});

describe('findDirectConversation', () => {
  const list = [
    conv('group', [ME, 'ann', 'bob']),
    conv('with-bob', [`${ME}::${ME}`, 'bob::bob']),
    conv('ann-bob', ['ann', 'bob']),
    conv('with-ann', ['ann', ME]),
    conv('self', [ME, `${ME}::${ME}`]),
  ];

  it('finds the conversation whose participants are exactly {me, them}', () => {
    expect(findDirectConversation(list, ME, 'ann')?.id).toBe('with-ann');
    expect(findDirectConversation(list, ME, 'bob')?.id).toBe('with-bob');
  });

  it('matches across entry forms on either side', () => {
    expect(findDirectConversation(list, `${ME}::${ME}`, 'bob::bob')?.id).toBe('with-bob');
  });

  it('does not return a group containing both, nor a conversation without me', () => {
    expect(findDirectConversation([list[0]!, list[2]!], ME, 'ann')).toBeUndefined();
    expect(findDirectConversation(list, ME, 'cy')).toBeUndefined();
  });

  it('with me as them, finds the note-to-self conversation', () => {
    expect(findDirectConversation(list, ME, ME)?.id).toBe('self');
  });

  it('does not take a conversation of me alone for a 1:1', () => {
    expect(findDirectConversation([conv('self', [ME])], ME, 'ann')).toBeUndefined();
  });

  it('picks the most recently active of several matches', () => {
    const dupes = [
      conv('older', [ME, 'ann'], { lastMessageAt: '2024-01-01T00:00:00Z' }),
      conv('newer', ['ann::ann', ME], { lastMessageAt: '2024-02-01T00:00:00Z' }),
    ];
    expect(findDirectConversation(dupes, ME, 'ann')?.id).toBe('newer');
  });
});
