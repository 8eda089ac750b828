import { describe, expect, it } from 'vitest';
import { canonicalOwnerEntry, isListedOwner, ownerEntryMatches, ownerEntryUserId, ownerValue } from './owner';

const caller = { sub: 'sub-1', username: 'ann' };

describe('owner entries', () => {
  it('formats and recognizes the three forms AppSync accepts', () => {
    expect(ownerValue(caller)).toBe('sub-1::ann');
    for (const entry of ['sub-1::ann', 'sub-1', 'ann']) expect(ownerEntryMatches(entry, caller)).toBe(true);
    for (const entry of ['sub-1::bob', 'sub-2::ann', 'sub-1:', 'ANN', '']) expect(ownerEntryMatches(entry, caller)).toBe(false);
  });

  it('treats null and missing lists as listing nobody', () => {
    expect(isListedOwner(null, caller)).toBe(false);
    expect(isListedOwner([null, 'x'], caller)).toBe(false);
    expect(isListedOwner([null, 'ann'], caller)).toBe(true);
  });

  it('canonicalizes bare entries (username = sub with e-mail sign-in) and extracts user ids', () => {
    expect(canonicalOwnerEntry('sub-2')).toBe('sub-2::sub-2');
    expect(canonicalOwnerEntry('sub-2::bob')).toBe('sub-2::bob');
    expect(ownerEntryUserId('sub-2::bob')).toBe('sub-2');
    expect(ownerEntryUserId('sub-2')).toBe('sub-2');
  });
});
