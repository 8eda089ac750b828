import { describe, expect, it } from 'vitest';
import { createVerifier } from './srp';
import { storePassword, storedPasswordMatches } from './stored-password';

describe('stored passwords', () => {
  const stored = storePassword('Pool', 'user-1', 'Correct-Horse-9');

  it('keep an SRP verifier and a scrypt hash, never the password', () => {
    expect(stored.scrypt).toMatchObject({ N: 16384, r: 8, p: 1 });
    expect(stored.scrypt!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain('Correct-Horse-9');
    expect(stored.verifier).toBe(createVerifier('Pool', 'user-1', 'Correct-Horse-9', stored.salt).verifier);
  });

  it('match the right password only, with fresh salts per store', () => {
    expect(storedPasswordMatches('Pool', 'user-1', 'Correct-Horse-9', stored)).toBe(true);
    expect(storedPasswordMatches('Pool', 'user-1', 'correct-horse-9', stored)).toBe(false);
    expect(storePassword('Pool', 'user-1', 'Correct-Horse-9').scrypt!.salt).not.toBe(stored.scrypt!.salt);
  });

  it('still check records written before scrypt against their verifier', () => {
    const legacy = createVerifier('Pool', 'user-1', 'Old-Password-1');
    expect(storedPasswordMatches('Pool', 'user-1', 'Old-Password-1', legacy)).toBe(true);
    expect(storedPasswordMatches('Pool', 'user-1', 'Wrong-Password-1', legacy)).toBe(false);
  });
});
