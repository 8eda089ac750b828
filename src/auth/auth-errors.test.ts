import { afterEach, describe, expect, it } from 'vitest';
import { setApiTarget } from '../state/api-target';
import { authErrorText } from './auth-errors';

afterEach(() => setApiTarget(undefined));

describe('authErrorText', () => {
  it("shows Cognito's message as it comes", () => {
    const error = Object.assign(new Error('Password did not conform with policy: Password not long enough'), { name: 'InvalidPasswordException' });
    expect(authErrorText(error)).toBe('Password did not conform with policy: Password not long enough');
    expect(authErrorText(Object.assign(new Error('Incorrect username or password.'), { name: 'NotAuthorizedException' }))).toBe(
      'Incorrect username or password.',
    );
  });

  it('says the service could not be reached, with the outputs’ help when there is one', () => {
    const offline = Object.assign(new Error('A network error has occurred.'), { name: 'NetworkError' });
    expect(authErrorText(offline)).toBe("Couldn't reach the sign-in service. Check your connection and try again.");
    setApiTarget({ host: 'localhost:5173', help: 'Is `npm run dev` running?' });
    expect(authErrorText(new TypeError('Failed to fetch'))).toBe("Couldn't reach the sign-in service. Is `npm run dev` running?");
  });

  it('never shows an empty message', () => {
    expect(authErrorText(undefined)).toBe('Something went wrong. Try again.');
    expect(authErrorText(new Error(''))).toBe('Something went wrong. Try again.');
  });
});
