/**
 * The username a new user gets (SignUp, AdminCreateUser). With username attributes (Gen 2 e-mail
 * sign-in) the given "username" is the e-mail: it becomes the `email` attribute and the real
 * username is a generated UUID — Cognito then uses it as `sub` too. Taken names and e-mails are refused.
 */
import { randomUUID } from 'node:crypto';
import { emailAlreadyUsedAsUsername, usernameExists, usernameShouldBeEmail } from '../errors.js';
import type { PoolContext } from './context.js';

export const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function allocateUsername(
  pool: PoolContext,
  givenUsername: string,
  written: Record<string, string>,
  /** Cognito words this differently per operation. */
  usernameTakenMessage: string,
): string {
  let username: string;
  if (pool.emailIsUsername) {
    if (!EMAIL.test(givenUsername)) throw usernameShouldBeEmail();
    written['email'] = givenUsername;
    username = randomUUID();
  } else {
    username = givenUsername;
    if (pool.store.get(username) !== undefined) throw usernameExists(usernameTakenMessage);
  }
  if (written['email'] !== undefined && pool.emailIsUsername && pool.store.findByAttribute('email', written['email']) !== undefined) {
    throw emailAlreadyUsedAsUsername();
  }
  return username;
}
