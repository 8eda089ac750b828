import { describe, expect, it } from 'vitest';
import { sameUser, userIdOf } from './participants';

describe('owner-field entries', () => {
  it('userIdOf takes the sub of "<sub>::<username>" and keeps a bare id', () => {
    expect(userIdOf('sub-1::alice')).toBe('sub-1');
    expect(userIdOf('sub-1')).toBe('sub-1');
    expect(userIdOf(' sub-1::sub-1 ')).toBe('sub-1');
  });

  it('sameUser matches the canonical and bare forms, and nothing else', () => {
    expect(sameUser('sub-1::sub-1', 'sub-1')).toBe(true);
    expect(sameUser('sub-1', 'sub-1::sub-1')).toBe(true);
    expect(sameUser('sub-1', 'sub-2')).toBe(false);
    expect(sameUser('sub-1::x', 'sub-2::x')).toBe(false);
  });
});
