import { describe, expect, it } from 'vitest';
import { isAtBottom, scrollAfterUpdate, shouldLoadOlder } from './scroll';

const view = (scrollTop: number, scrollHeight = 2000, clientHeight = 500) => ({ scrollTop, scrollHeight, clientHeight });

describe('scrollAfterUpdate', () => {
  it('goes to the bottom on the first render with messages', () => {
    expect(scrollAfterUpdate(null, { firstKey: 'a', lastKey: 'b', scrollHeight: 900 }, false)).toEqual({ kind: 'bottom' });
    expect(scrollAfterUpdate({ ...view(0), firstKey: null, lastKey: null }, { firstKey: 'a', lastKey: 'a', scrollHeight: 900 }, false))
      .toEqual({ kind: 'bottom' });
  });

  it('does nothing for an empty list', () => {
    expect(scrollAfterUpdate(null, { firstKey: null, lastKey: null, scrollHeight: 0 }, false)).toEqual({ kind: 'none' });
  });

  it('keeps the visible messages in place when older ones are prepended', () => {
    const before = { ...view(120), firstKey: 'm10', lastKey: 'm40' };
    expect(scrollAfterUpdate(before, { firstKey: 'm1', lastKey: 'm40', scrollHeight: 2600 }, false))
      .toEqual({ kind: 'restore', scrollTop: 720 });
  });

  it('follows a new message when at the bottom, or when it is my own', () => {
    const atBottom = { ...view(1500), firstKey: 'a', lastKey: 'b' };
    const scrolledUp = { ...view(300), firstKey: 'a', lastKey: 'b' };
    const after = { firstKey: 'a', lastKey: 'c', scrollHeight: 2100 };
    expect(scrollAfterUpdate(atBottom, after, false)).toEqual({ kind: 'bottom' });
    expect(scrollAfterUpdate(scrolledUp, after, true)).toEqual({ kind: 'bottom' });
    expect(scrollAfterUpdate(scrolledUp, after, false)).toEqual({ kind: 'unseen' });
  });

  it('stays at the bottom through edits, and leaves a scrolled-up view alone', () => {
    const same = { firstKey: 'a', lastKey: 'b', scrollHeight: 2050 };
    expect(scrollAfterUpdate({ ...view(1500), firstKey: 'a', lastKey: 'b' }, same, false)).toEqual({ kind: 'bottom' });
    expect(scrollAfterUpdate({ ...view(700), firstKey: 'a', lastKey: 'b' }, same, false)).toEqual({ kind: 'none' });
  });

  it('stays at the bottom when a first short page grows with an older one', () => {
    const before = { scrollTop: 0, scrollHeight: 300, clientHeight: 500, firstKey: 'm5', lastKey: 'm6' };
    expect(scrollAfterUpdate(before, { firstKey: 'm1', lastKey: 'm6', scrollHeight: 1200 }, false)).toEqual({ kind: 'bottom' });
  });
});

describe('scroll helpers', () => {
  it('knows the bottom within a tolerance', () => {
    expect(isAtBottom(view(1500))).toBe(true);
    expect(isAtBottom(view(1421))).toBe(true);
    expect(isAtBottom(view(1419))).toBe(false);
  });

  it('asks for older messages near the top or when nothing scrolls', () => {
    expect(shouldLoadOlder(view(100))).toBe(true);
    expect(shouldLoadOlder(view(800))).toBe(false);
    expect(shouldLoadOlder({ scrollTop: 0, scrollHeight: 400, clientHeight: 500 })).toBe(true);
  });
});
