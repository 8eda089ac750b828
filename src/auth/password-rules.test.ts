import { describe, expect, it } from 'vitest';
import { confirmPasswordProblem, passwordPolicyHint, passwordProblems } from './password-rules';

/** This project's pool (amplify_outputs.json `auth.password_policy`, as Amplify's configuration holds it). */
const POOL = { minLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSpecialCharacters: false };

describe('passwordProblems', () => {
  it('accepts a password that meets every rule', () => {
    expect(passwordProblems('Correct-Horse-9', POOL)).toEqual([]);
    expect(passwordProblems('Abcdefg1', POOL)).toEqual([]);
  });

  it('lists every broken rule at once, in the pool order', () => {
    expect(passwordProblems('short', POOL)).toEqual([
      'Password must have at least 8 characters',
      'Password must have upper case letters',
      'Password must have numbers',
    ]);
    expect(passwordProblems('ALLUPPERCASE1', POOL)).toEqual(['Password must have lower case letters']);
    expect(passwordProblems('', POOL)).toHaveLength(4);
  });

  it('counts characters, not UTF-16 units, and letters of any script', () => {
    expect(passwordProblems('Ää1😀😀😀😀😀', POOL)).toEqual([]);
    expect(passwordProblems('Éé1😀😀', POOL)).toEqual(['Password must have at least 8 characters']);
  });

  it('asks for special characters only when the pool does', () => {
    const strict = { ...POOL, requireSpecialCharacters: true };
    expect(passwordProblems('Abcdefg1', strict)).toEqual(['Password must have special characters']);
    expect(passwordProblems('Abcdefg1^', strict)).toEqual([]);
    expect(passwordProblems('Abc defg1', strict)).toEqual([]);
  });

  it('never asks for fewer than the 8 characters Cognito requires', () => {
    expect(passwordProblems('Abc1', { minLength: 4 })).toEqual(['Password must have at least 8 characters']);
    expect(passwordProblems('abcdefgh', undefined)).toEqual([]);
    expect(passwordProblems('Abcdefgh1', { minLength: 12 })).toEqual(['Password must have at least 12 characters']);
  });
});

describe('passwordPolicyHint', () => {
  it('says what the pool asks', () => {
    expect(passwordPolicyHint(POOL)).toBe('At least 8 characters, a lower case letter, an upper case letter and a number.');
    expect(passwordPolicyHint(undefined)).toBe('At least 8 characters.');
  });
});

describe('confirmPasswordProblem', () => {
  it('refuses a different repetition', () => {
    expect(confirmPasswordProblem('Correct-Horse-9', 'Correct-Horse-9')).toBeUndefined();
    expect(confirmPasswordProblem('Correct-Horse-9', 'Correct-Horse-8')).toBe('Your passwords must match');
  });
});
