/**
 * Authentication: InitiateAuth, RespondToAuthChallenge, their Admin* twins, GetTokensFromRefreshToken,
 * RevokeToken, GlobalSignOut.
 *
 * Flows must be enabled on the app client (`ExplicitAuthFlows`; an Amplify Gen 2 client allows
 * USER_SRP_AUTH, CUSTOM_AUTH and REFRESH_TOKEN_AUTH only), else InvalidParameterException
 * "<FLOW> flow not enabled for this client". Wrong passwords and unknown users both end in
 * NotAuthorizedException "Incorrect username or password."; for SRP an unknown user gets a decoy
 * PASSWORD_VERIFIER challenge so the first round trip does not reveal existence either.
 * Checks after a correct password, in order: disabled ("User is disabled."), UNCONFIRMED
 * (UserNotConfirmedException), RESET_REQUIRED (PasswordResetRequiredException), FORCE_CHANGE_PASSWORD
 * (NEW_PASSWORD_REQUIRED challenge, or "Temporary password has expired…").
 */
import { randomBytes } from 'node:crypto';
import { assertRequiredAttributes, validateAttributeWrites, type AttributeType } from './attributes.js';
import { customAuthNotConfigured, emailNotModifiableInNewPasswordChallenge, ENUM_VALUE_SET, flowNotEnabled, incorrectCredentials, invalidTimestampFormat, missingRequiredParameter, passwordResetRequired, srpAInvalid, temporaryPasswordExpired, unexpectedChallenge, userAuthNotEmulated, userDisabled, userDoesNotExist, userNotConfirmed, validationError } from '../errors.js';
import { optionalString, optionalStringMap, requireString, type Input } from './input.js';
import { assertPasswordConforms } from './password-policy.js';
import type { AppClient, CallContext, PoolContext } from './context.js';
import {
  claimSignature,
  createServerEphemeral,
  createVerifier,
  parseClientPublic,
  serverSessionKey,
  signatureMatches,
  SRP_TIMESTAMP,
} from './srp.js';
import { storePassword, storedPasswordMatches } from './stored-password.js';
import type { StoredUser } from './store.js';
import { revokeAllSessions, findSession, refreshResult, signInResult, userFromAccessToken } from './sessions.js';
import { addPending, assertNotLockedOut, challengeExpiry, clearFailedSignIns, decoySalt, recordFailedSignIn, takePending } from './sign-in.js';
import { appClient, assertPoolId, resolveUser, touch } from './users.js';

type Flow = 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' | 'ADMIN_USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH';

/** Which ExplicitAuthFlows entry each AuthFlow needs. */
const FLOW_PERMISSION: Record<string, string> = {
  USER_SRP_AUTH: 'ALLOW_USER_SRP_AUTH',
  USER_PASSWORD_AUTH: 'ALLOW_USER_PASSWORD_AUTH',
  ADMIN_USER_PASSWORD_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  ADMIN_NO_SRP_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  REFRESH_TOKEN_AUTH: 'ALLOW_REFRESH_TOKEN_AUTH',
  REFRESH_TOKEN: 'ALLOW_REFRESH_TOKEN_AUTH',
  CUSTOM_AUTH: 'ALLOW_CUSTOM_AUTH',
  USER_AUTH: 'ALLOW_USER_AUTH',
};

const USER_FLOWS = new Set(['USER_SRP_AUTH', 'USER_PASSWORD_AUTH', 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN', 'CUSTOM_AUTH', 'USER_AUTH']);
const ADMIN_FLOWS = new Set(['USER_SRP_AUTH', 'ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH', 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN', 'CUSTOM_AUTH', 'USER_AUTH']);

function checkFlow(client: AppClient, flow: string, admin: boolean): Flow {
  if (!(admin ? ADMIN_FLOWS : USER_FLOWS).has(flow)) {
    throw validationError('authFlow', ENUM_VALUE_SET, flow);
  }
  const permission = FLOW_PERMISSION[flow] as string;
  if (!client.flows.has(permission)) {
    throw flowNotEnabled(flow);
  }
  if (flow === 'CUSTOM_AUTH') {
    throw customAuthNotConfigured();
  }
  if (flow === 'USER_AUTH') throw userAuthNotEmulated();
  if (flow === 'ADMIN_NO_SRP_AUTH') return 'ADMIN_USER_PASSWORD_AUTH';
  if (flow === 'REFRESH_TOKEN') return 'REFRESH_TOKEN_AUTH';
  return flow as Flow;
}

function requireParam(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw missingRequiredParameter(name);
  return value;
}

async function initiate(pool: PoolContext, input: Input, admin: boolean): Promise<Record<string, unknown>> {
  if (admin) assertPoolId(pool, requireString(input, 'UserPoolId'));
  const clientId = requireString(input, 'ClientId');
  const client = appClient(pool, clientId);
  const flow = checkFlow(client, requireString(input, 'AuthFlow'), admin);
  const params = optionalStringMap(input, 'AuthParameters') ?? {};

  if (flow === 'REFRESH_TOKEN_AUTH') {
    const result = await refreshResult(pool, requireParam(params, 'REFRESH_TOKEN'), clientId);
    return { AuthenticationResult: result, ChallengeParameters: {} };
  }

  const name = requireParam(params, 'USERNAME');
  if (flow === 'USER_SRP_AUTH') {
    const A = parseClientPublic(requireParam(params, 'SRP_A'));
    if (A === undefined) throw srpAInvalid();
    const user = resolveUser(pool, name);
    if (user === undefined && !pool.preventUserExistenceErrors) throw userDoesNotExist();
    if (user !== undefined) assertNotLockedOut(pool, user.username);
    const srpUsername = user?.username ?? name;
    // An unknown user gets a decoy challenge (stable salt per name) that can never be answered.
    const stored = user?.password ?? createVerifier(pool.srpPoolName, name, pool.decoySecret.toString('hex'), decoySalt(pool, name));
    const eph = createServerEphemeral(stored.verifier);
    const secretBlock = randomBytes(64).toString('base64');
    addPending(pool, secretBlock, {
      kind: 'PASSWORD_VERIFIER',
      username: user?.username,
      claimedUsername: srpUsername,
      clientId,
      A,
      b: eph.b,
      B: eph.B,
      salt: stored.salt,
      verifier: stored.verifier,
      expiresAt: challengeExpiry(pool),
    });
    return {
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeParameters: {
        SALT: stored.salt,
        SECRET_BLOCK: secretBlock,
        SRP_B: eph.B,
        USERNAME: srpUsername,
        USER_ID_FOR_SRP: srpUsername,
      },
    };
  }

  // USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH: the password itself, checked against the SRP verifier.
  const password = requireParam(params, 'PASSWORD');
  const user = resolveUser(pool, name);
  if (user === undefined) {
    if (pool.preventUserExistenceErrors) throw incorrectCredentials();
    throw userDoesNotExist();
  }
  assertNotLockedOut(pool, user.username);
  if (!storedPasswordMatches(pool.srpPoolName, user.username, password, user.password)) {
    recordFailedSignIn(pool, user.username);
    throw incorrectCredentials();
  }
  return afterPassword(pool, user, clientId);
}

/** What follows a verified password. */
async function afterPassword(pool: PoolContext, user: StoredUser, clientId: string): Promise<Record<string, unknown>> {
  if (!user.enabled) throw userDisabled();
  if (user.status === 'UNCONFIRMED') throw userNotConfirmed();
  if (user.status === 'RESET_REQUIRED') throw passwordResetRequired();
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    if (user.temporaryPasswordExpiresAt !== undefined && pool.now() >= user.temporaryPasswordExpiresAt) {
      throw temporaryPasswordExpired();
    }
    clearFailedSignIns(pool, user.username);
    const session = randomBytes(48).toString('base64url');
    addPending(pool, session, { kind: 'NEW_PASSWORD_REQUIRED', username: user.username, clientId, expiresAt: challengeExpiry(pool) });
    const shown = Object.fromEntries(Object.entries(user.attributes).filter(([n]) => n !== 'sub'));
    const missing = [...pool.schema.byName]
      .filter(([n, flags]) => flags.required && !user.attributes[n])
      .map(([n]) => `userAttributes.${n}`);
    return {
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: session,
      ChallengeParameters: {
        USER_ID_FOR_SRP: user.username,
        requiredAttributes: JSON.stringify(missing),
        userAttributes: JSON.stringify(shown),
      },
    };
  }
  return signInResult(pool, user, clientId);
}

async function respond(pool: PoolContext, input: Input, admin: boolean): Promise<Record<string, unknown>> {
  if (admin) assertPoolId(pool, requireString(input, 'UserPoolId'));
  const clientId = requireString(input, 'ClientId');
  appClient(pool, clientId);
  const challengeName = requireString(input, 'ChallengeName');
  const responses = optionalStringMap(input, 'ChallengeResponses') ?? {};

  if (challengeName === 'PASSWORD_VERIFIER') {
    const secretBlock = requireParam(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
    const signature = requireParam(responses, 'PASSWORD_CLAIM_SIGNATURE');
    const timestamp = requireParam(responses, 'TIMESTAMP');
    const name = requireParam(responses, 'USERNAME');
    if (!SRP_TIMESTAMP.test(timestamp)) {
      throw invalidTimestampFormat();
    }
    const pending = takePending(pool, secretBlock, 'PASSWORD_VERIFIER', clientId);
    if (name.toLowerCase() !== pending.claimedUsername.toLowerCase()) throw incorrectCredentials();
    const user = pending.username === undefined ? undefined : pool.store.get(pending.username);
    if (user === undefined) throw incorrectCredentials();
    assertNotLockedOut(pool, user.username);
    const key = serverSessionKey(pending.A, { b: pending.b, B: pending.B }, pending.verifier);
    const expected = claimSignature(key, pool.srpPoolName, user.username, Buffer.from(secretBlock, 'base64'), timestamp);
    // The verifier of the challenge must still be the user's (a password change in between voids it).
    if (!signatureMatches(expected, signature) || user.password.verifier !== pending.verifier) {
      recordFailedSignIn(pool, user.username);
      throw incorrectCredentials();
    }
    return afterPassword(pool, user, clientId);
  }

  if (challengeName === 'NEW_PASSWORD_REQUIRED') {
    const pending = takePending(pool, optionalString(input, 'Session'), 'NEW_PASSWORD_REQUIRED', clientId);
    const name = requireParam(responses, 'USERNAME');
    const newPassword = requireParam(responses, 'NEW_PASSWORD');
    const user = pool.store.get(pending.username);
    if (user === undefined) throw incorrectCredentials();
    if (name.toLowerCase() !== user.username.toLowerCase() && name.toLowerCase() !== (user.attributes.email ?? '').toLowerCase()) {
      throw incorrectCredentials();
    }
    assertPasswordConforms(newPassword, pool.description.passwordPolicy, 'password');
    const writes: AttributeType[] = Object.entries(responses)
      .filter(([k]) => k.startsWith('userAttributes.'))
      .map(([k, v]) => ({ Name: k.slice('userAttributes.'.length), Value: v }));
    const written = validateAttributeWrites(pool.schema, writes, { caller: admin ? 'admin' : 'client', creating: false });
    if (written.email !== undefined && written.email.toLowerCase() !== (user.attributes.email ?? '').toLowerCase()) {
      throw emailNotModifiableInNewPasswordChallenge();
    }
    const attributes = { ...user.attributes, ...written };
    assertRequiredAttributes(pool.schema, attributes);
    user.attributes = attributes;
    user.password = storePassword(pool.srpPoolName, user.username, newPassword);
    user.status = 'CONFIRMED';
    delete user.temporaryPasswordExpiresAt;
    touch(pool, user);
    return signInResult(pool, user, clientId);
  }

  throw unexpectedChallenge(challengeName);
}

export const initiateAuth = (pool: PoolContext, input: Input): Promise<Record<string, unknown>> => initiate(pool, input, false);
export const adminInitiateAuth = (pool: PoolContext, input: Input): Promise<Record<string, unknown>> => initiate(pool, input, true);
export const respondToAuthChallenge = (pool: PoolContext, input: Input): Promise<Record<string, unknown>> => respond(pool, input, false);
export const adminRespondToAuthChallenge = (pool: PoolContext, input: Input): Promise<Record<string, unknown>> => respond(pool, input, true);

/** The refresh API aws-amplify 6.22 uses (`refreshAuthTokens` → GetTokensFromRefreshToken). */
export async function getTokensFromRefreshToken(pool: PoolContext, input: Input): Promise<Record<string, unknown>> {
  const clientId = requireString(input, 'ClientId');
  const client = appClient(pool, clientId);
  const refreshToken = requireString(input, 'RefreshToken');
  if (!client.flows.has('ALLOW_REFRESH_TOKEN_AUTH')) {
    throw flowNotEnabled('REFRESH_TOKEN_AUTH');
  }
  return { AuthenticationResult: await refreshResult(pool, refreshToken, clientId) };
}

/**
 * RevokeToken (what `signOut()` calls): revokes the refresh token and every ID/access token minted from it
 * (same `origin_jti`). Unknown tokens are accepted silently: OAuth token revocation answers success for an
 * invalid token too, so the answer tells nothing about a token (RFC 7009, section 2.2:
 * https://www.rfc-editor.org/rfc/rfc7009#section-2.2; Cognito's RevokeToken:
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RevokeToken.html).
 */
export async function revokeToken(pool: PoolContext, input: Input): Promise<Record<string, unknown>> {
  const token = requireString(input, 'Token');
  const clientId = requireString(input, 'ClientId');
  appClient(pool, clientId);
  const found = findSession(pool, token);
  if (found !== undefined && found.session.clientId === clientId && !found.session.revoked) {
    found.session.revoked = true;
    pool.store.save(pool.now());
  }
  return {};
}

/** GlobalSignOut (what `signOut({global: true})` calls): all sessions of the user, all devices. */
export async function globalSignOut(pool: PoolContext, input: Input, _ctx: CallContext): Promise<Record<string, unknown>> {
  const { user } = await userFromAccessToken(pool, requireString(input, 'AccessToken'));
  revokeAllSessions(pool, user);
  return {};
}
