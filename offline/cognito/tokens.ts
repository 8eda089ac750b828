/**
 * Minting of user-pool tokens with Cognito's claim sets.
 *
 * ID token (`token_use: id`): sub, [cognito:groups], email_verified, iss, cognito:username, origin_jti, aud
 * (= app client id), event_id, token_use, auth_time, exp, iat, jti, plus the user's attributes.
 * Access token (`token_use: access`): sub, [cognito:groups], iss, client_id, origin_jti, event_id, token_use,
 * scope `aws.cognito.signin.user.admin`, auth_time, exp, iat, jti, username.
 * Header `{kid, alg: RS256}`. Defaults: ID/access valid 60 minutes, refresh 30 days (Cognito / CDK defaults).
 * The refresh token is opaque (Cognito's is an encrypted JWE nobody but Cognito can read; a random string
 * is observably equivalent) and only its SHA-256 is stored.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import type { SigningKey } from './keys.js';
import type { SessionRecord, StoredUser } from './store.js';

export interface TokenValidity {
  idSeconds: number;
  accessSeconds: number;
  refreshSeconds: number;
}

export const DEFAULT_TOKEN_VALIDITY: TokenValidity = { idSeconds: 3600, accessSeconds: 3600, refreshSeconds: 30 * 86400 };

export const ACCESS_TOKEN_SCOPE = 'aws.cognito.signin.user.admin';

/** Attributes Cognito types as booleans in the ID token (they are strings in the API). */
const BOOLEAN_ATTRIBUTES = new Set(['email_verified', 'phone_number_verified']);

export interface MintInput {
  key: SigningKey;
  issuer: string;
  /** Epoch ms. */
  now: number;
  user: StoredUser;
  clientId: string;
  session: SessionRecord;
  validity: TokenValidity;
}

export interface MintedTokens {
  IdToken: string;
  AccessToken: string;
}

export async function mintTokens(input: MintInput): Promise<MintedTokens> {
  const { key, issuer, user, clientId, session, validity } = input;
  const iat = Math.floor(input.now / 1000);
  const eventId = randomUUID();
  const groups = user.groups.length > 0 ? { 'cognito:groups': [...user.groups] } : {};
  const sub = user.attributes.sub as string;

  const attributeClaims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(user.attributes)) {
    attributeClaims[name] = BOOLEAN_ATTRIBUTES.has(name) ? value === 'true' : value;
  }
  const idClaims: JWTPayload = {
    ...attributeClaims,
    sub,
    ...groups,
    iss: issuer,
    'cognito:username': user.username,
    origin_jti: session.originJti,
    aud: clientId,
    event_id: eventId,
    token_use: 'id',
    auth_time: session.authTime,
    exp: iat + validity.idSeconds,
    iat,
    jti: randomUUID(),
  };
  const accessClaims: JWTPayload = {
    sub,
    ...groups,
    iss: issuer,
    client_id: clientId,
    origin_jti: session.originJti,
    event_id: eventId,
    token_use: 'access',
    scope: ACCESS_TOKEN_SCOPE,
    auth_time: session.authTime,
    exp: iat + validity.accessSeconds,
    iat,
    jti: randomUUID(),
    username: user.username,
  };
  return {
    IdToken: await signClaims(key, idClaims),
    AccessToken: await signClaims(key, accessClaims),
  };
}

/** Signs arbitrary claims with the pool key (also used by tests to forge expired/foreign tokens). */
export function signClaims(key: SigningKey, claims: JWTPayload): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ kid: key.kid, alg: 'RS256' }).sign(key.privateKey);
}

export function newRefreshToken(): string {
  return randomBytes(64).toString('base64url');
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
