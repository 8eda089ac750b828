/** Shared fixtures for the offline Cognito tests (not a test file itself). */
import type { UserPoolDescription } from '../loader/types.js';
import type { Logger, UserPool } from './pool.js';
import { claimSignature, clientSessionKey, createClientEphemeral, srpTimestamp } from './srp.js';

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

/**
 * Signs in over USER_SRP_AUTH in-process (`pool.call`), with the client half of SRP from srp.ts — the same
 * math as aws-amplify's AuthenticationHelper. Returns the final RespondToAuthChallenge output.
 */
export async function srpSignIn(
  pool: UserPool,
  username: string,
  password: string,
  options: { clientId?: string; tamper?: (responses: Record<string, string>) => void; timestamp?: string } = {},
): Promise<Record<string, unknown>> {
  const clientId = options.clientId ?? CLIENT_ID;
  const { a, A } = createClientEphemeral();
  const init = await pool.call('InitiateAuth', {
    AuthFlow: 'USER_SRP_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: username, SRP_A: A.toString(16) },
  });
  const params = init.ChallengeParameters as Record<string, string>;
  const userId = params.USER_ID_FOR_SRP as string;
  const poolName = pool.id.split('_')[1] as string;
  const key = clientSessionKey({ poolName, username: userId, password, a, A, srpB: params.SRP_B as string, salt: params.SALT as string });
  const timestamp = options.timestamp ?? srpTimestamp(new Date(pool.now()));
  const signature = claimSignature(key, poolName, userId, Buffer.from(params.SECRET_BLOCK as string, 'base64'), timestamp);
  const responses: Record<string, string> = {
    USERNAME: userId,
    PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK as string,
    TIMESTAMP: timestamp,
    PASSWORD_CLAIM_SIGNATURE: signature.toString('base64'),
  };
  options.tamper?.(responses);
  return pool.call('RespondToAuthChallenge', { ChallengeName: 'PASSWORD_VERIFIER', ClientId: clientId, ChallengeResponses: responses });
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

/** The rejection of `promise` (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { reason?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { reason?: string };
  }
  throw new Error('expected a rejection');
}
