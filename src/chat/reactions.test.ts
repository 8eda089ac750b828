import { describe, expect, it } from 'vitest';
import { applyFacts, applyPending, chipLabel, chipsOf, emptyReactions, factOf, listNames, replaceFacts, rollBack, type ReactionFact } from './reactions';

const fact = (userId: string, reacted: boolean, at: string, emoji = '👍', messageId = 'm1'): ReactionFact => ({ messageId, emoji, userId, reacted, at });

describe('reaction facts', () => {
  it('keeps the newest fact per (message, emoji, user): a repeated or late event changes nothing', () => {
    const on = applyFacts(emptyReactions, [fact('ann', true, '2026-01-01T00:00:02Z')]);
    expect(applyFacts(on, [fact('ann', true, '2026-01-01T00:00:02Z')])).toBe(on);
    expect(applyFacts(on, [fact('ann', false, '2026-01-01T00:00:01Z')])).toBe(on);
    const off = applyFacts(on, [fact('ann', false, '2026-01-01T00:00:03Z')]);
    expect(factOf(off, 'm1', '👍', 'ann')?.reacted).toBe(false);
    expect(chipsOf(off, 'm1', 'ann')).toEqual([]);
  });

  it('derives chips per emoji in the picker order, with counts, users and mine', () => {
    const facts = applyFacts(emptyReactions, [
      fact('bob', true, '2026-01-01T00:00:01Z', '🎉'),
      fact('ann', true, '2026-01-01T00:00:01Z'),
      fact('bob', true, '2026-01-01T00:00:02Z'),
      fact('cat', true, '2026-01-01T00:00:02Z', '👍', 'm2'),
    ]);
    expect(chipsOf(facts, 'm1', 'ann')).toEqual([
      { emoji: '👍', users: ['ann', 'bob'], count: 2, mine: true },
      { emoji: '🎉', users: ['bob'], count: 1, mine: false },
    ]);
  });

  it('shows a click at once, lets no event override it until the answer, and rolls back to the previous fact on failure', () => {
    const before = applyFacts(emptyReactions, [fact('ann', true, '2026-01-01T00:00:01Z')]);
    const previous = factOf(before, 'm1', '👍', 'ann');
    const pending = { ...fact('ann', false, '2026-01-01T00:00:05Z'), pending: true };
    const clicked = applyPending(before, pending);
    expect(chipsOf(clicked, 'm1', 'ann')).toEqual([]);
    // A late event of the earlier state does not undo the click.
    expect(applyFacts(clicked, [fact('ann', true, '2026-01-01T00:00:09Z')])).toBe(clicked);
    expect(chipsOf(rollBack(clicked, pending, previous), 'm1', 'ann')).toEqual([{ emoji: '👍', users: ['ann'], count: 1, mine: true }]);
    // The server's answer replaces the pending fact.
    const confirmed = applyFacts(clicked, [fact('ann', false, '2026-01-01T00:00:04Z')], true);
    expect(factOf(confirmed, 'm1', '👍', 'ann')).toEqual(fact('ann', false, '2026-01-01T00:00:04Z'));
    // Rolling back after the answer changes nothing.
    expect(rollBack(confirmed, pending, previous)).toBe(confirmed);
  });

  it('names a chip for screen readers: emoji, count, who, and what a click does', () => {
    expect(chipLabel({ emoji: '👍', users: ['a', 'b'], count: 2, mine: true }, ['Ann', 'you'])).toBe('👍 2 reactions: Ann and you. Remove your reaction');
    expect(chipLabel({ emoji: '🎉', users: ['b'], count: 1, mine: false }, ['Bob'])).toBe('🎉 1 reaction: Bob. Add your reaction');
    expect(listNames(['Ann', 'Bob', 'Cat'])).toBe('Ann, Bob and Cat');
  });
});

describe('a fresh read after a gap', () => {
  it('replaces the facts of the messages it covers (a reaction removed meanwhile is gone), keeping pending clicks and other messages', () => {
    const held = applyPending(
      applyFacts(emptyReactions, [fact('bob', true, '2026-01-01T00:00:01Z'), fact('cat', true, '2026-01-01T00:00:01Z', '👍', 'm9')]),
      fact('ann', true, '2026-01-01T00:00:05Z', '🎉'),
    );
    const read = [fact('dan', true, '2026-01-01T00:00:03Z')];
    const next = replaceFacts(held, new Set(['m1']), read);
    expect(chipsOf(next, 'm1', 'ann')).toEqual([
      { emoji: '👍', users: ['dan'], count: 1, mine: false },
      { emoji: '🎉', users: ['ann'], count: 1, mine: true },
    ]);
    expect(chipsOf(next, 'm9', 'ann')).toEqual([{ emoji: '👍', users: ['cat'], count: 1, mine: false }]);
  });
});
