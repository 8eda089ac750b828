import { describe, expect, it } from 'vitest';
import { chatErrorCode } from '../../shared/errors';
import { userPoolCaller } from './identity';

describe('userPoolCaller', () => {
  it('reads sub and username from an AppSync user-pool identity', () => {
    expect(userPoolCaller({ sub: 's', username: 'u', claims: {} })).toEqual({ sub: 's', username: 'u' });
  });

  it('falls back to the token\'s cognito:username claim', () => {
    expect(userPoolCaller({ sub: 's', claims: { 'cognito:username': 'u' } })).toEqual({ sub: 's', username: 'u' });
  });

  it.each([
    ['no identity', null],
    ['an IAM identity', { accountId: '123', userArn: 'arn:aws:iam::123:role/x', cognitoIdentityPoolId: null }],
    ['a user without sub', { username: 'u' }],
  ])('refuses %s', (_, identity) => {
    expect(() => userPoolCaller(identity)).toThrow();
    try {
      userPoolCaller(identity);
    } catch (error) {
      expect(chatErrorCode((error as Error).message)).toBe('Unauthorized');
    }
  });
});
