/**
 * Sessions (one per sign-in) and the tokens minted from them: starting a session, refreshing it, finding it by
 * refresh token, revoking a user's sessions, verifying a token of the pool, and the user behind an access token
 * for the APIs that take one.
 */
import { randomUUID } from 'node:crypto';
import type { PoolContext } from './context.js';
import { accessTokenExpired, accessTokenLacksScopes, accessTokenRevoked, invalidAccessToken, invalidRefreshToken, passwordResetRequired, refreshTokenExpired, refreshTokenRevoked, TokenVerificationError, userDisabled, userDoesNotExist } from '../errors.js';
import type { SessionRecord, StoredUser } from './store.js';
import { hashRefreshToken, mintTokens, newRefreshToken } from './tokens.js';
import { clearFailedSignIns } from './sign-in.js';
import { verifyWithContext, type UserPoolClaims, type VerifyOptions } from './verify.js';

/** Starts a session (a sign-in) and returns the AuthenticationResult with a new refresh token. */
export async function signInResult(pool: PoolContext, user: StoredUser, clientId: string): Promise<Record<string, unknown>> {
  clearFailedSignIns(pool, user.username);
  const refreshToken = newRefreshToken();
  const now = pool.now();
  const session: SessionRecord = {
    originJti: randomUUID(),
    clientId,
    refreshTokenHash: hashRefreshToken(refreshToken),
    authTime: Math.floor(now / 1000),
    expiresAt: now + pool.tokenValidity.refreshSeconds * 1000,
    revoked: false,
  };
  user.sessions.push(session);
  pool.store.save(now);
  const tokens = await mintTokens({ key: pool.key, issuer: pool.issuer, now, user, clientId, session, validity: pool.tokenValidity });
  return {
    AuthenticationResult: {
      AccessToken: tokens.AccessToken,
      ExpiresIn: pool.tokenValidity.accessSeconds,
      TokenType: 'Bearer',
      RefreshToken: refreshToken,
      IdToken: tokens.IdToken,
    },
    ChallengeParameters: {},
  };
}

/** New ID/access tokens for an existing session (refresh); no new refresh token (rotation off). */
export async function refreshResult(
  pool: PoolContext,
  refreshToken: string,
  clientId: string,
): Promise<{ AccessToken: string; IdToken: string; ExpiresIn: number; TokenType: 'Bearer' }> {
  const found = findSession(pool, refreshToken);
  if (found === undefined || found.session.clientId !== clientId) {
    throw invalidRefreshToken();
  }
  const { user, session } = found;
  if (session.revoked) throw refreshTokenRevoked();
  if (pool.now() >= session.expiresAt) throw refreshTokenExpired();
  if (!user.enabled) throw userDisabled();
  if (user.status === 'RESET_REQUIRED') throw passwordResetRequired();
  const tokens = await mintTokens({
    key: pool.key,
    issuer: pool.issuer,
    now: pool.now(),
    user,
    clientId,
    session,
    validity: pool.tokenValidity,
  });
  return { AccessToken: tokens.AccessToken, IdToken: tokens.IdToken, ExpiresIn: pool.tokenValidity.accessSeconds, TokenType: 'Bearer' };
}

export function findSession(pool: PoolContext, refreshToken: string): { user: StoredUser; session: StoredUser['sessions'][number] } | undefined {
  const hash = hashRefreshToken(refreshToken);
  for (const user of pool.store.all()) {
    const session = user.sessions.find((s) => s.refreshTokenHash === hash);
    if (session !== undefined) return { user, session };
  }
  return undefined;
}

/** GlobalSignOut / AdminUserGlobalSignOut / AdminDisableUser: every session and token of the user ends now. */
export function revokeAllSessions(pool: PoolContext, user: StoredUser): void {
  for (const session of user.sessions) session.revoked = true;
  user.tokensRevokedBefore = pool.now();
  pool.store.save(pool.now());
}

/** Verifies an ID or access token of the pool (see verify.ts); throws TokenVerificationError. */
export function verifyToken(pool: PoolContext, token: string, options: VerifyOptions = {}): Promise<UserPoolClaims> {
  return verifyWithContext(
    {
      key: pool.key,
      issuer: pool.issuer,
      clientIds: [...pool.clients.keys()],
      now: pool.now(),
      findUser: (username) => pool.store.get(username),
      isKnownRefreshToken: (candidate) => findSession(pool, candidate) !== undefined,
    },
    token,
    options,
  );
}

/**
 * The user behind an access token, for the token-taking APIs (GetUser, ChangePassword, …), with the messages
 * Cognito gives for each failure.
 */
export async function userFromAccessToken(pool: PoolContext, accessToken: string): Promise<{ user: StoredUser; claims: UserPoolClaims }> {
  let claims: UserPoolClaims;
  try {
    claims = await verifyToken(pool, accessToken, { expectedUse: 'access' });
  } catch (error) {
    if (!(error instanceof TokenVerificationError)) throw error;
    switch (error.reason) {
      case 'expired':
        throw accessTokenExpired();
      case 'token_revoked':
        throw accessTokenRevoked();
      case 'user_disabled':
        throw userDisabled();
      case 'user_not_found':
        throw userDoesNotExist();
      default:
        throw invalidAccessToken();
    }
  }
  if (typeof claims.scope !== 'string' || !claims.scope.split(' ').includes('aws.cognito.signin.user.admin')) {
    throw accessTokenLacksScopes();
  }
  const user = pool.store.get(claims.username ?? '') as StoredUser;
  return { user, claims };
}
