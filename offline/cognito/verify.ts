/**
 * Verification of user-pool JWTs for the AppSync emulator (and for the pool's own APIs that take an access
 * token), plus the AppSync `ctx.identity` built from verified claims.
 *
 * What AWS checks (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html):
 * RS256 signature by a key of the pool's JWKS (selected by `kid`), `iss` = the pool, `token_use`, `aud`
 * (ID token) or `client_id` (access token) = an app client of the pool, `exp` in the future. AppSync accepts
 * both ID and access tokens for AMAZON_COGNITO_USER_POOLS. Everything else (`alg: none`, HS256 keyed with the
 * public key, refresh tokens, unknown `kid`) is rejected, each with its own reason.
 *
 * Beyond the JWT itself the verifier (by default, `checkUserState`) also rejects tokens of deleted or disabled
 * users and tokens revoked by GlobalSignOut / RevokeToken / AdminDisableUser, as Cognito's own token-taking
 * APIs do. See README.md for how that compares with AppSync.
 */
import { compactVerify, decodeProtectedHeader, type JWTPayload } from 'jose';
import { TokenVerificationError } from '../errors.js';
import type { SigningKey } from './keys.js';
import type { StoredUser } from './store.js';

export interface UserPoolClaims extends JWTPayload {
  sub: string;
  iss: string;
  token_use: 'id' | 'access';
  exp: number;
  iat: number;
  auth_time?: number;
  origin_jti?: string;
  'cognito:username'?: string;
  'cognito:groups'?: string[];
  username?: string;
  client_id?: string;
  [claim: string]: unknown;
}

export interface VerifyOptions {
  /** Require an ID or an access token; both are accepted by default (as AppSync does). */
  expectedUse?: 'id' | 'access';
  /** Accept only these app clients (AppSync's `appIdClientRegex`); default: every client of the pool. */
  clientIds?: readonly string[];
  /** Reject tokens of deleted/disabled users and revoked sessions (default true). */
  checkUserState?: boolean;
  /** Allowed clock skew for `exp`/`iat`, in seconds (default 0; keep it to a few seconds at most). */
  clockToleranceSeconds?: number;
}

/** What the verifier needs from its pool. */
export interface VerifierContext {
  key: SigningKey;
  issuer: string;
  clientIds: readonly string[];
  /** Epoch ms. */
  now: number;
  findUser(username: string): StoredUser | undefined;
  isKnownRefreshToken(token: string): boolean;
}

/** How many tokens whose signature was verified each key remembers (about 1 KiB each). */
const VERIFIED_TOKENS_PER_KEY = 4_096;

/** Per signing key: tokens whose RS256 signature verified, exactly as presented, and their payload. */
const verifiedTokens = new WeakMap<SigningKey, Map<string, Uint8Array>>();

/**
 * The payload of `token` once its signature verifies with `key`. A client presents the same token on every request
 * until it expires, and an RSA verification is most of a request's token check, so a token whose signature verified
 * is remembered by its exact text: any other text (a changed header, payload or signature) is verified afresh. Only
 * the signature is remembered; the claims (expiry, audience, the user's state and sessions) are checked on every use.
 */
async function verifiedPayload(token: string, key: SigningKey): Promise<Uint8Array> {
  let verified = verifiedTokens.get(key);
  const known = verified?.get(token);
  if (known) return known;
  const { payload } = await compactVerify(token, key.publicKey, { algorithms: ['RS256'] });
  if (!verified) verifiedTokens.set(key, (verified = new Map()));
  // The oldest entry makes room (insertion order); a token in use is verified again at most once per round.
  if (verified.size >= VERIFIED_TOKENS_PER_KEY) verified.delete(verified.keys().next().value!);
  verified.set(token, payload);
  return payload;
}

const reject = (reason: TokenVerificationError['reason'], message: string): never => {
  throw new TokenVerificationError(reason, message);
};

export async function verifyWithContext(ctx: VerifierContext, token: string, options: VerifyOptions = {}): Promise<UserPoolClaims> {
  if (typeof token !== 'string' || token.length === 0) return reject('malformed', 'No token');
  if (token.split('.').length !== 3) {
    if (ctx.isKnownRefreshToken(token)) return reject('refresh_token_presented', 'A refresh token is not a bearer token');
    return reject('malformed', 'Not a JWS compact serialization');
  }

  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return reject('malformed', 'Unreadable JWT header');
  }
  if (typeof header.alg !== 'string' || header.alg.toLowerCase() === 'none') return reject('alg_none', 'Unsigned token (alg none)');
  if (header.alg !== 'RS256') return reject('alg_not_allowed', `Algorithm ${header.alg} is not accepted; user pool tokens are RS256`);
  if (header.kid !== ctx.key.kid) return reject('unknown_kid', `No key with kid ${String(header.kid)} in the pool's JWKS`);

  let payload: Uint8Array;
  try {
    payload = await verifiedPayload(token, ctx.key);
  } catch {
    return reject('bad_signature', 'Signature verification failed');
  }
  let claims: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(payload));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    claims = parsed as Record<string, unknown>;
  } catch {
    return reject('malformed', 'JWT payload is not a JSON object');
  }

  if (claims.iss !== ctx.issuer) return reject('wrong_issuer', `Issuer ${String(claims.iss)} is not ${ctx.issuer}`);
  const use = claims.token_use;
  if (use !== 'id' && use !== 'access') return reject('wrong_token_use', `token_use ${String(use)} is neither id nor access`);
  if (options.expectedUse !== undefined && use !== options.expectedUse) {
    return reject('wrong_token_use', `Expected an ${options.expectedUse} token, got ${use}`);
  }
  const allowedClients = options.clientIds ?? ctx.clientIds;
  const client = use === 'id' ? claims.aud : claims.client_id;
  if (typeof client !== 'string' || !allowedClients.includes(client)) {
    return reject('wrong_audience', `${use === 'id' ? 'aud' : 'client_id'} ${String(client)} is not an accepted app client`);
  }

  const tolerance = (options.clockToleranceSeconds ?? 0) * 1000;
  if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number') return reject('invalid_claims', 'exp and iat are required');
  if (ctx.now >= claims.exp * 1000 + tolerance) return reject('expired', 'Token has expired');
  if (claims.iat * 1000 > ctx.now + tolerance) return reject('not_yet_valid', 'Token issued in the future');
  if (typeof claims.nbf === 'number' && claims.nbf * 1000 > ctx.now + tolerance) return reject('not_yet_valid', 'Token not yet valid (nbf)');
  const username = use === 'id' ? claims['cognito:username'] : claims.username;
  if (typeof claims.sub !== 'string' || typeof username !== 'string') return reject('invalid_claims', 'sub and username claims are required');

  if (options.checkUserState ?? true) {
    const user = ctx.findUser(username);
    if (user === undefined || user.attributes.sub !== claims.sub) return reject('user_not_found', 'User does not exist');
    if (!user.enabled) return reject('user_disabled', 'User is disabled');
    const session = user.sessions.find((s) => s.originJti === claims.origin_jti);
    if (session === undefined || session.revoked) return reject('token_revoked', 'Token has been revoked');
    if (user.tokensRevokedBefore !== undefined && claims.iat < Math.floor(user.tokensRevokedBefore / 1000)) {
      return reject('token_revoked', 'Token has been revoked');
    }
  }
  return claims as UserPoolClaims;
}

/** AppSync's `ctx.identity` for AMAZON_COGNITO_USER_POOLS. */
export interface CognitoUserPoolIdentity {
  sub: string;
  issuer: string;
  username: string;
  claims: UserPoolClaims;
  sourceIp: string[];
  defaultAuthStrategy: 'ALLOW' | 'DENY';
  groups: string[] | null;
}

/**
 * `ctx.identity` as AppSync builds it from verified claims: username from `cognito:username` (ID token) or
 * `username` (access token), `groups` from `cognito:groups` or null, `sourceIp` the caller's address list.
 */
export function identityFromClaims(
  claims: UserPoolClaims,
  options: { sourceIp?: string[]; defaultAuthStrategy?: 'ALLOW' | 'DENY' } = {},
): CognitoUserPoolIdentity {
  const username = claims['cognito:username'] ?? claims.username ?? claims.sub;
  const groups = claims['cognito:groups'];
  return {
    sub: claims.sub,
    issuer: claims.iss,
    username,
    claims,
    sourceIp: options.sourceIp ?? [],
    defaultAuthStrategy: options.defaultAuthStrategy ?? 'ALLOW',
    groups: Array.isArray(groups) ? [...groups] : null,
  };
}
