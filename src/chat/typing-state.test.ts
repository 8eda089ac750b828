import { describe, expect, it } from 'vitest';
import {
  activeTypers,
  emptyTypingState,
  nextExpiry,
  pruneTypers,
  receiveTyping,
  removeTyper,
  typingLabel,
} from './typing-state';

const TTL = 6_000;
const ME = 'sub-me';
const opts = (now: number) => ({ now, ttlMs: TTL, me: ME });

describe('typing state', () => {
  it('a typer is active until ttl after their last typing signal', () => {
    const s = receiveTyping(emptyTypingState(), 'ann', 'typing', opts(1_000));
    expect(activeTypers(s, 1_000)).toEqual(['ann']);
    expect(activeTypers(s, 1_000 + TTL - 1)).toEqual(['ann']);
    expect(activeTypers(s, 1_000 + TTL)).toEqual([]);
  });

  it('a refresh extends the expiry', () => {
    let s = receiveTyping(emptyTypingState(), 'ann', 'typing', opts(0));
    s = receiveTyping(s, 'ann', 'typing', opts(4_000));
    expect(activeTypers(s, TTL + 1_000)).toEqual(['ann']);
    expect(activeTypers(s, 4_000 + TTL)).toEqual([]);
  });

  it('stopped removes the typer at once', () => {
    let s = receiveTyping(emptyTypingState(), 'ann', 'typing', opts(0));
    s = receiveTyping(s, 'ann', 'stopped', opts(10));
    expect(activeTypers(s, 10)).toEqual([]);
    expect(s.expiresAt.size).toBe(0);
  });

  it('stopped for someone not typing returns the same state', () => {
    const s = receiveTyping(emptyTypingState(), 'ann', 'typing', opts(0));
    expect(receiveTyping(s, 'bob', 'stopped', opts(1))).toBe(s);
    expect(removeTyper(s, 'bob')).toBe(s);
  });

  it('ignores my own echoed signals in either owner-entry form', () => {
    const s = emptyTypingState();
    expect(receiveTyping(s, ME, 'typing', opts(0))).toBe(s);
    expect(receiveTyping(s, `${ME}::${ME}`, 'typing', opts(0))).toBe(s);
  });

  it('lists typers in the order they started, a refresh does not reorder', () => {
    let s = receiveTyping(emptyTypingState(), 'ann', 'typing', opts(0));
    s = receiveTyping(s, 'bob', 'typing', opts(100));
    s = receiveTyping(s, 'ann', 'typing', opts(200));
    expect(activeTypers(s, 300)).toEqual(['ann', 'bob']);
  });

  it('pruneTypers drops the expired, keeps the active, and returns the same object when none expired', () => {
    let s = receiveTyping(emptyTypingState(), 'ann', 'typing', opts(0));
    s = receiveTyping(s, 'bob', 'typing', opts(3_000));
    expect(pruneTypers(s, 1_000)).toBe(s);
    const pruned = pruneTypers(s, TTL);
    expect([...pruned.expiresAt.keys()]).toEqual(['bob']);
    expect(pruned.expiresAt.get('bob')).toBe(3_000 + TTL);
  });

  it('nextExpiry is the earliest expiry, null when nobody types', () => {
    expect(nextExpiry(emptyTypingState())).toBeNull();
    let s = receiveTyping(emptyTypingState(), 'ann', 'typing', opts(2_000));
    s = receiveTyping(s, 'bob', 'typing', opts(1_000));
    expect(nextExpiry(s)).toBe(1_000 + TTL);
  });

  it('does not mutate the previous state', () => {
    const before = receiveTyping(emptyTypingState(), 'ann', 'typing', opts(0));
    receiveTyping(before, 'bob', 'typing', opts(1));
    receiveTyping(before, 'ann', 'stopped', opts(1));
    expect([...before.expiresAt.keys()]).toEqual(['ann']);
  });
});

describe('typingLabel', () => {
  it.each([
    [[], ''],
    [['Ann'], 'Ann is typing…'],
    [['Ann', 'Bob'], 'Ann and Bob are typing…'],
    [['Ann', 'Bob', 'Cy'], 'Ann, Bob and Cy are typing…'],
    [['Ann', 'Bob', 'Cy', 'Di'], 'Ann, Bob and 2 others are typing…'],
  ])('%j → %s', (names, label) => {
    expect(typingLabel(names)).toBe(label);
  });
});
