/** Shared fixtures for the offline Cognito tests (not a test file itself). */
import type { UserPoolDescription } from '../../offline/loader/types.js';
import type { Logger, UserPool } from '../../offline/cognito/pool.js';
import { srpSignIn as srpSignInThrough, type SrpSignInOptions } from '../../offline/cognito/srp-sign-in.js';
import { rejectionOf as rejectionOfAny } from './rejection.js';

export const POOL_ID = 'us-east-1_OfflineTest';
export const CLIENT_ID = 'offlinetestclient0000000001';

/** Matches what the loader produces for this app: e-mail sign-in, Amplify's SRP-only client, PostConfirmation. */
export function chatPoolDescription(overrides: Partial<UserPoolDescription> = {}): UserPoolDescription {
  return {
    id: POOL_ID,
    name: 'amplifyAuthUserPool',
    clients: [
      {
        id: CLIENT_ID,
        name: 'amplifyAuthUserPoolAppClient',
        explicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      },
    ],
    usernameAttributes: ['email'],
    autoVerifiedAttributes: ['email'],
    passwordPolicy: {
      minimumLength: 8,
      requireUppercase: true,
      requireLowercase: true,
      requireNumbers: true,
      requireSymbols: false,
      temporaryPasswordValidityDays: 3,
    },
    attributes: [
      { name: 'email', required: true, mutable: true },
      { name: 'preferred_username', required: false, mutable: true },
    ],
    triggers: {},
    ...overrides,
  };
}

/** A logger that records lines instead of printing them. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(m), warn: (m) => lines.push(`WARN ${m}`) };
}

/** A settable clock. */
export function manualClock(start = Date.UTC(2026, 0, 6, 9, 5, 7)): { now: () => number; advance(ms: number): void; set(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
    set(ms) {
      t = ms;
    },
  };
}

/** `srpSignIn` of offline/cognito/srp-sign-in.ts through the test client `CLIENT_ID` unless another is given. */
export async function srpSignIn(
  pool: UserPool,
  username: string,
  password: string,
  options: Partial<SrpSignInOptions> = {},
): Promise<Record<string, unknown>> {
  return srpSignInThrough(pool, username, password, { ...options, clientId: options.clientId ?? CLIENT_ID });
}

/** Signs up and confirms a user in-process; returns the stored username (= sub). */
export async function createConfirmedUser(pool: UserPool, email: string, password: string): Promise<string> {
  const out = await pool.call('SignUp', {
    ClientId: CLIENT_ID,
    Username: email,
    Password: password,
    UserAttributes: [{ Name: 'email', Value: email }],
  });
  await pool.call('ConfirmSignUp', { ClientId: CLIENT_ID, Username: email, ConfirmationCode: pool.lastCodeFor(email) });
  return out.UserSub as string;
}

/** Tokens of a fresh SRP sign-in. */
export async function signInTokens(pool: UserPool, email: string, password: string): Promise<{ IdToken: string; AccessToken: string; RefreshToken: string }> {
  const out = await srpSignIn(pool, email, password);
  return out.AuthenticationResult as { IdToken: string; AccessToken: string; RefreshToken: string };
}

/** The rejection of `promise`, with the reason Cognito's errors carry. */
export const rejectionOf = (promise: Promise<unknown>) => rejectionOfAny<Error & { reason?: string }>(promise);
