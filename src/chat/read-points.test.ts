import { describe, expect, it } from 'vitest';
import { applyReadPoints, covers, emptyReadPoints, newestFromOthers, newestOwn, readAtByConversation, readPointOf, seenBy, seenText } from './read-points';

const at = (minute: number) => `2026-05-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
const point = (userId: string, minute: number) => ({ userId, messageId: `m${minute}`, readAt: at(minute) });

describe('read points', () => {
  it('only move forward: an older or equal point (a late event, another device) changes nothing', () => {
    const two = applyReadPoints(emptyReadPoints, 'c1', [point('bob', 2)]);
    expect(applyReadPoints(two, 'c1', [point('bob', 1)])).toBe(two);
    expect(applyReadPoints(two, 'c1', [point('bob', 2)])).toBe(two);
    const three = applyReadPoints(two, 'c1', [point('bob', 3)]);
    expect(readPointOf(three, 'c1', 'bob')).toEqual(point('bob', 3));
    // Whatever the order they arrive in, the same points converge.
    const reversed = applyReadPoints(applyReadPoints(emptyReadPoints, 'c1', [point('bob', 3)]), 'c1', [point('bob', 2)]);
    expect(readPointOf(reversed, 'c1', 'bob')).toEqual(point('bob', 3));
  });

  it("gives the user's read point per conversation (the unread counts' input)", () => {
    let points = applyReadPoints(emptyReadPoints, 'c1', [point('ann', 1), point('bob', 4)]);
    points = applyReadPoints(points, 'c2', [point('ann', 5)]);
    expect([...readAtByConversation(points, 'ann')]).toEqual([
      ['c1', at(1)],
      ['c2', at(5)],
    ]);
  });

  it('lists who has seen a message: members whose point is at or after it', () => {
    const points = applyReadPoints(emptyReadPoints, 'c1', [point('bob', 3), point('cat', 2), point('dan', 5)]);
    expect(seenBy(points, 'c1', ['bob', 'cat', 'dan'], at(3))).toEqual(['bob', 'dan']);
    expect(seenBy(points, 'c1', ['bob', 'cat'], at(4))).toEqual([]);
    expect(seenBy(points, 'c2', ['bob'], at(1))).toEqual([]);
    expect(covers(null, at(1))).toBe(false);
  });

  it('says "Seen" in a 1:1 and "Seen by N" in a group, nothing before anyone has', () => {
    expect(seenText(0, false)).toBeNull();
    expect(seenText(1, false)).toBe('Seen');
    expect(seenText(0, true)).toBeNull();
    expect(seenText(1, true)).toBe('Seen by 1');
    expect(seenText(2, true)).toBe('Seen by 2');
  });

  it("finds the newest confirmed message from others (what reading marks) and the user's own (where Seen goes)", () => {
    const messages = [
      { id: 'a', sender: 'bob', createdAt: at(1), status: 'confirmed' },
      { id: 'b', sender: 'ann::ann', createdAt: at(2), status: 'confirmed' },
      { id: 'c', sender: 'bob', createdAt: at(3), status: 'confirmed' },
      { id: 'd', sender: 'ann', createdAt: at(4), status: 'pending' },
    ];
    expect(newestFromOthers(messages, 'ann')?.id).toBe('c');
    expect(newestOwn(messages, 'ann')?.id).toBe('b');
    expect(newestOwn([], 'ann')).toBeNull();
  });
});
