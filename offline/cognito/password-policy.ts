/**
 * The user pool's password policy, with Cognito's messages.
 *
 * Cognito checks every path that sets a password (SignUp, ChangePassword, ConfirmForgotPassword,
 * RespondToAuthChallenge NEW_PASSWORD_REQUIRED, AdminCreateUser, AdminSetUserPassword) and answers
 * `InvalidPasswordException` "Password did not conform with policy: <first failed rule>". Admin APIs say
 * "password policy" instead of "policy" (observed in AdminCreateUser errors).
 * Rules (https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html): length
 * counts characters; symbols are the listed specials plus a non-leading, non-trailing space; passwords are at
 * most 256 characters and may not start or end with whitespace (an API pattern, `InvalidParameterException`).
 */
import type { UserPoolDescription } from '../loader/index.js';
import { invalidPassword, matchesPattern, maxLength, PASSWORD_PATTERN, PASSWORD_POLICY_FAILURES, validationError } from '../errors.js';

export type PasswordPolicy = UserPoolDescription['passwordPolicy'];

/** Cognito's special characters: ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + - and space. */
const SYMBOLS = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ');

export type PasswordContext = 'user' | 'admin';

/** Throws the error Cognito gives for `password`, or returns normally if the policy accepts it. */
export function assertPasswordConforms(
  password: string,
  policy: PasswordPolicy,
  member = 'password',
  context: PasswordContext = 'user',
): void {
  // API-level constraints come before the policy (AWS JSON input validation).
  if (password.length > 256) throw validationError(member, maxLength(256));
  if (!/^\S(.*\S)?$/su.test(password)) {
    throw validationError(member, matchesPattern(PASSWORD_PATTERN));
  }
  const failure = firstPolicyFailure(password, policy);
  if (failure) {
    throw invalidPassword(context, failure);
  }
}

/** The first rule `password` breaks, in Cognito's wording, or undefined. */
export function firstPolicyFailure(password: string, policy: PasswordPolicy): string | undefined {
  const chars = [...password];
  if (chars.length < policy.minimumLength) return PASSWORD_POLICY_FAILURES.tooShort;
  if (policy.requireUppercase && !chars.some((c) => /\p{Lu}/u.test(c))) return PASSWORD_POLICY_FAILURES.uppercase;
  if (policy.requireLowercase && !chars.some((c) => /\p{Ll}/u.test(c))) return PASSWORD_POLICY_FAILURES.lowercase;
  if (policy.requireNumbers && !chars.some((c) => c >= '0' && c <= '9')) return PASSWORD_POLICY_FAILURES.numbers;
  if (policy.requireSymbols && !chars.some((c) => SYMBOLS.has(c))) return PASSWORD_POLICY_FAILURES.symbols;
  return undefined;
}

/** A random password that satisfies `policy` (AdminCreateUser without TemporaryPassword). */
export function generateConformingPassword(policy: PasswordPolicy, randomInt: (max: number) => number): string {
  const lower = 'abcdefghijkmnopqrstuvwxyz';
  const upper = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  const digits = '23456789';
  const symbols = '!#%+-=?@^_';
  const pick = (set: string): string => set[randomInt(set.length)] ?? 'x';
  const required = [pick(lower), pick(upper), pick(digits), pick(symbols)];
  const all = lower + upper + digits + symbols;
  const length = Math.max(policy.minimumLength, 12);
  const chars = [...required];
  while (chars.length < length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}
