import { describe, expect, it } from 'vitest';
import { setApiTarget } from './api-target';
import { errorText, GraphQLErrors, retryDelayMs, throwIfErrors } from './errors';

describe('errorText', () => {
  it('reads Errors, GraphQL results, error arrays and strings', () => {
    expect(errorText(new Error('boom'))).toBe('boom');
    expect(errorText({ data: null, errors: [{ message: 'a' }, { message: 'b' }] })).toBe('a; b');
    expect(errorText([{ message: 'x' }])).toBe('x');
    expect(errorText('plain')).toBe('plain');
    expect(errorText(undefined)).toBe('Something went wrong.');
    expect(errorText({})).toBe('Something went wrong.');
  });

  it('drops the chat error code the Lambdas put first', () => {
    expect(errorText({ errors: [{ message: 'ValidationError: content must not be empty' }] })).toBe('Content must not be empty');
    expect(errorText(new Error('Unauthorized: not a participant'))).toBe('Not a participant');
    expect(errorText({ errors: [{ message: 'RateLimited: you sent 30 messages in the last 10 s, the most allowed; try again in 4 s' }] })).toBe(
      'You sent 30 messages in the last 10 s, the most allowed; try again in 4 s',
    );
    expect(errorText(new Error('Other: kept as is'))).toBe('Other: kept as is');
  });

  it("explains network failures, naming the host and the outputs' connection help when there is one", () => {
    setApiTarget(undefined);
    expect(errorText(new TypeError('Failed to fetch'))).toBe("Couldn't reach the chat service. Check your connection and try again.");
    setApiTarget({ host: 'abc.appsync-api.eu-west-1.amazonaws.com' });
    expect(errorText(new Error('Network error'))).toBe("Couldn't reach the chat service at abc.appsync-api.eu-west-1.amazonaws.com. Check your connection and try again.");
    setApiTarget({ host: '127.0.0.1:5173', help: 'Run npm run trust.' });
    expect(errorText(new TypeError('Failed to fetch'))).toBe("Couldn't reach the chat service at 127.0.0.1:5173. Run npm run trust.");
    setApiTarget(undefined);
  });
});

describe('throwIfErrors', () => {
  it('throws the returned GraphQL errors, and nothing without them', () => {
    expect(() => throwIfErrors({ errors: [{ message: 'nope' }] })).toThrow(GraphQLErrors);
    expect(() => throwIfErrors({ errors: [] })).not.toThrow();
    expect(() => throwIfErrors({})).not.toThrow();
  });
});

describe('retryDelayMs', () => {
  it('doubles from one second up to thirty', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map(retryDelayMs)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(retryDelayMs(-1)).toBe(1000);
  });
});
