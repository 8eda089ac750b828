import { describe, expect, it } from 'vitest';
import type { SubscriptionFilter } from '../util/context';
import { matchesArguments, matchesFilter, PayloadView } from './filter';

const message = {
  id: 'm1',
  conversationId: 'c1',
  participants: ['ann', 'bob'],
  content: 'Hello there',
  size: 12,
  author: { role: 'admin' },
  editedAt: null,
};

const one = (fieldName: string, operator: string, value: unknown): SubscriptionFilter =>
  ({ filterGroup: [{ filters: [{ fieldName, operator, value }] }] }) as SubscriptionFilter;

describe('matchesFilter', () => {
  it.each([
    ['participants', 'contains', 'ann', true],
    ['participants', 'contains', 'eve', false],
    ['participants', 'notContains', 'eve', true],
    ['content', 'contains', 'there', true],
    ['content', 'beginsWith', 'Hell', true],
    ['content', 'beginsWith', 'hell', false],
    ['conversationId', 'eq', 'c1', true],
    ['conversationId', 'ne', 'c1', false],
    ['editedAt', 'eq', null, true],
    ['missing', 'eq', 'x', false],
    ['missing', 'ne', 'x', true],
    ['size', 'gt', 10, true],
    ['size', 'le', 11, false],
    ['size', 'between', [12, 20], true],
    ['size', 'gt', '10', false],
    ['conversationId', 'in', ['c0', 'c1'], true],
    ['conversationId', 'notIn', ['c0', 'c1'], false],
    ['participants', 'containsAny', ['eve', 'bob'], true],
    ['participants', 'containsAny', ['eve'], false],
    ['author.role', 'eq', 'admin', true],
    ['author.role.x', 'eq', 'admin', false],
  ])('%s %s %j → %s', (field, op, value, expected) => {
    expect(matchesFilter(one(field, op, value), message)).toBe(expected);
  });

  it('ORs groups and ANDs filters within a group', () => {
    const filter: SubscriptionFilter = {
      filterGroup: [
        { filters: [{ fieldName: 'participants', operator: 'contains', value: 'eve' }] },
        {
          filters: [
            { fieldName: 'participants', operator: 'contains', value: 'ann' },
            { fieldName: 'conversationId', operator: 'eq', value: 'c2' },
          ],
        },
      ],
    };
    expect(matchesFilter(filter, message)).toBe(false);
    expect(matchesFilter(filter, { ...message, conversationId: 'c2' })).toBe(true);
  });

  it('does not deliver when the payload lacks the filtered field (mutation did not select it)', () => {
    const { participants: _omitted, ...withoutParticipants } = message;
    expect(matchesFilter(one('participants', 'contains', 'ann'), withoutParticipants)).toBe(false);
  });
});

describe('PayloadView (many filters against one payload)', () => {
  // A room of 1,000: long enough for the Set lookup, with a null, a number and an object member.
  const shared = { kind: 'x' };
  const members = [...Array.from({ length: 998 }, (_, i) => `user-${i}::user-${i}`), null, 7];
  const room = { conversationId: 'c1', participants: [...members, shared], nested: { tags: ['a', 'b'] } };
  const values: unknown[] = ['user-0::user-0', 'user-997::user-997', 'user-998::user-998', 'user-5', null, undefined, 7, '7', shared, { kind: 'x' }];

  it.each(['contains', 'notContains'])('gives every %s filter the verdict of the plain check, list read once', (operator) => {
    const view = new PayloadView(room);
    for (const value of values) {
      for (const field of ['participants', 'nested.tags', 'conversationId', 'missing']) {
        const filter = one(field, operator, value);
        expect(matchesFilter(filter, view), `${field} ${operator} ${String(value)}`).toBe(matchesFilter(filter, room));
      }
    }
    expect(matchesFilter(one('participants', 'contains', 'user-997::user-997'), view)).toBe(true);
    expect(matchesFilter(one('participants', 'contains', 'user-998::user-998'), view)).toBe(false);
    expect(matchesFilter(one('participants', 'contains', null), view)).toBe(true);
    expect(matchesFilter(one('participants', 'contains', { kind: 'x' }), view)).toBe(false);
  });

  it('a per-user filter of every member matches, and a stranger\'s does not, in one view', () => {
    const view = new PayloadView(room);
    const perUser = (form: string): SubscriptionFilter =>
      ({ filterGroup: [{ filters: [{ fieldName: 'conversationId', operator: 'eq', value: 'c1' }, { fieldName: 'participants', operator: 'contains', value: form }] }] }) as SubscriptionFilter;
    const matched = members.filter((m): m is string => typeof m === 'string').filter((m) => matchesFilter(perUser(m), view));
    expect(matched).toHaveLength(998);
    expect(matchesFilter(perUser('stranger::stranger'), view)).toBe(false);
  });
});

describe('matchesArguments', () => {
  it('filters on supplied arguments only, and treats an explicit null as "field is null"', () => {
    expect(matchesArguments({}, message)).toBe(true);
    expect(matchesArguments({ conversationId: 'c1' }, message)).toBe(true);
    expect(matchesArguments({ conversationId: 'c2' }, message)).toBe(false);
    expect(matchesArguments({ editedAt: null }, message)).toBe(true);
    expect(matchesArguments({ conversationId: null }, message)).toBe(false);
    expect(matchesArguments({ conversationId: 'c1' }, null)).toBe(false);
  });
});
