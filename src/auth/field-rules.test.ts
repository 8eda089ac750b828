import { describe, expect, it } from 'vitest';
import { emailProblems, firstInvalidField, requiredProblems, visibleErrors } from './field-rules';

describe('field rules', () => {
  it('asks for an e-mail address that looks like one', () => {
    expect(emailProblems('ann@example.com')).toEqual([]);
    expect(emailProblems('  ann@example.com ')).toEqual([]);
    expect(emailProblems('')).toEqual(['Enter your email address.']);
    expect(emailProblems('ann')).toEqual(['Enter an email address like name@example.com.']);
    expect(emailProblems('ann @example.com')).toEqual(['Enter an email address like name@example.com.']);
  });

  it('asks for a required value', () => {
    expect(requiredProblems('  ', 'Enter the code.')).toEqual(['Enter the code.']);
    expect(requiredProblems('123456', 'Enter the code.')).toEqual([]);
  });

  it('finds the first invalid field in form order', () => {
    expect(firstInvalidField({ email: [], password: ['x'], confirm: ['y'] })).toBe('password');
    expect(firstInvalidField({ email: [], password: [] })).toBeUndefined();
  });

  it('shows no error before the first submit, every one after it', () => {
    const errors = { email: ['a'], password: ['b'] };
    expect(visibleErrors(errors, false)).toEqual({ email: [], password: [] });
    expect(visibleErrors(errors, true)).toEqual(errors);
  });
});
