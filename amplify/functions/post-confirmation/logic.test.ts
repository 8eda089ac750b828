import { describe, expect, it } from 'vitest';
import { MAX_DISPLAY_NAME_LENGTH } from '../../shared/limits';
import { displayNameFrom, ensureProfile, profileFromAttributes, type UserProfileRecord } from './logic';

describe('displayNameFrom', () => {
  it('prefers preferred_username, then name, then the e-mail local part', () => {
    expect(displayNameFrom({ preferred_username: 'Ann', name: 'Ann Smith', email: 'ann@example.com' })).toBe('Ann');
    expect(displayNameFrom({ name: 'Ann Smith', email: 'ann@example.com' })).toBe('Ann Smith');
    expect(displayNameFrom({ email: 'ann.smith@example.com' })).toBe('ann.smith');
    expect(displayNameFrom({})).toBe('New user');
  });

  it('removes control and invisible characters, collapses spaces and caps the length', () => {
    expect(displayNameFrom({ preferred_username: ' A\u0000n\u200Bn \n  Smith ' })).toBe('Ann Smith');
    expect(displayNameFrom({ preferred_username: '\u200B\u0007' , email: 'fallback@example.com' })).toBe('fallback');
    expect([...displayNameFrom({ preferred_username: '🙂'.repeat(100) })]).toHaveLength(MAX_DISPLAY_NAME_LENGTH);
  });
});

describe('ensureProfile', () => {
  const attributes = { sub: 'sub-1', email: ' Ann@Example.com ', preferred_username: 'Ann' };

  function recordingStore(existing = new Set<string>()) {
    const created: UserProfileRecord[] = [];
    return {
      created,
      async createIfAbsent(profile: UserProfileRecord) {
        if (existing.has(profile.id)) return false;
        existing.add(profile.id);
        created.push(profile);
        return true;
      },
    };
  }

  it('creates the profile on sign-up confirmation, keyed by sub and owned by <sub>::<username>', async () => {
    const store = recordingStore();
    await expect(ensureProfile(store, 'PostConfirmation_ConfirmSignUp', 'sub-1', attributes)).resolves.toBe('created');
    expect(store.created).toEqual([{ id: 'sub-1', owner: 'sub-1::sub-1', displayName: 'Ann', email: 'ann@example.com' }]);
  });

  it('does nothing on a forgotten-password confirmation', async () => {
    const store = recordingStore();
    await expect(ensureProfile(store, 'PostConfirmation_ConfirmForgotPassword', 'sub-1', attributes)).resolves.toBe('skipped');
    expect(store.created).toEqual([]);
  });

  it('is idempotent when Cognito retries the trigger', async () => {
    const store = recordingStore();
    await ensureProfile(store, 'PostConfirmation_ConfirmSignUp', 'sub-1', attributes);
    await expect(ensureProfile(store, 'PostConfirmation_ConfirmSignUp', 'sub-1', attributes)).resolves.toBe('exists');
    expect(store.created).toHaveLength(1);
  });

  it('refuses an event without a sub', () => {
    expect(() => profileFromAttributes('x', { email: 'a@b.c' })).toThrow(/no sub/);
  });
});
