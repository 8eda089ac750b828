/**
 * Administrative operations (IAM-authorized in AWS; over HTTP here they need a SigV4-shaped Authorization
 * header, see server.ts): AdminCreateUser, AdminSetUserPassword, AdminGetUser, AdminDeleteUser,
 * AdminDisableUser, AdminEnableUser, AdminConfirmSignUp, AdminUserGlobalSignOut, AdminUpdateUserAttributes,
 * ListUsers.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { assertRequiredAttributes, parseAttributeList, validateAttributeWrites } from './attributes.js';
import { aliasExists, cannotBeConfirmed, enumValueSet, invalidPaginationToken, invalidSearchAttribute, maxValue, resendNotPossible, unparsableFilter, USER_ACCOUNT_ALREADY_EXISTS, validationError } from '../errors.js';
import { optionalBoolean, optionalNumber, optionalString, optionalStringList, optionalStringMap, requireString, type Input } from './input.js';
import { assertPasswordConforms, generateConformingPassword } from './password-policy.js';
import type { CallContext, PoolContext } from './context.js';
import { allocateUsername } from './new-username.js';
import { storePassword } from './stored-password.js';
import type { StoredUser } from './store.js';
import { logCode } from './codes.js';
import { revokeAllSessions } from './sessions.js';
import { clearFailedSignIns } from './sign-in.js';
import { assertPoolId, postConfirmation, requireUser, touch, userType } from './users.js';


function userFor(pool: PoolContext, input: Input): StoredUser {
  assertPoolId(pool, requireString(input, 'UserPoolId'));
  return requireUser(pool, requireString(input, 'Username'));
}

export async function adminCreateUser(pool: PoolContext, input: Input): Promise<Record<string, unknown>> {
  assertPoolId(pool, requireString(input, 'UserPoolId'));
  const givenUsername = requireString(input, 'Username');
  const messageAction = optionalString(input, 'MessageAction');
  if (messageAction !== undefined && messageAction !== 'SUPPRESS' && messageAction !== 'RESEND') {
    throw validationError('messageAction', enumValueSet(['RESEND', 'SUPPRESS']), messageAction);
  }
  const policy = pool.description.passwordPolicy;
  let temporaryPassword = optionalString(input, 'TemporaryPassword');
  if (temporaryPassword !== undefined) assertPasswordConforms(temporaryPassword, policy, 'temporaryPassword', 'admin');
  temporaryPassword ??= generateConformingPassword(policy, (max) => randomInt(max));
  const expiresAt = pool.now() + policy.temporaryPasswordValidityDays * 86400_000;

  if (messageAction === 'RESEND') {
    // Re-invites an existing FORCE_CHANGE_PASSWORD user with a new temporary password.
    const user = requireUser(pool, givenUsername);
    if (user.status !== 'FORCE_CHANGE_PASSWORD') throw resendNotPossible();
    user.password = storePassword(pool.srpPoolName, user.username, temporaryPassword);
    user.temporaryPasswordExpiresAt = expiresAt;
    touch(pool, user);
    logCode(pool, `temporary password for ${user.attributes.email ?? user.username}: ${temporaryPassword}`);
    return { User: userType(user) };
  }

  const written = validateAttributeWrites(pool.schema, parseAttributeList(input.UserAttributes, 'userAttributes'), {
    caller: 'admin',
    creating: true,
  });
  const username = allocateUsername(pool, givenUsername, written, USER_ACCOUNT_ALREADY_EXISTS);
  const attributes: Record<string, string> = { sub: pool.emailIsUsername ? username : randomUUID(), ...written };
  assertRequiredAttributes(pool.schema, attributes);
  const now = pool.now();
  const user: StoredUser = {
    username,
    attributes,
    status: 'FORCE_CHANGE_PASSWORD',
    enabled: true,
    createdAt: now,
    updatedAt: now,
    password: storePassword(pool.srpPoolName, username, temporaryPassword),
    temporaryPasswordExpiresAt: expiresAt,
    codes: {},
    sessions: [],
    groups: [],
  };
  pool.store.put(user);
  if (messageAction !== 'SUPPRESS') {
    // Cognito e-mails an invitation with the temporary password; offline it goes to the log.
    logCode(pool, `temporary password for ${attributes.email ?? username}: ${temporaryPassword}`);
  }
  return { User: userType(user) };
}

export async function adminSetUserPassword(pool: PoolContext, input: Input): Promise<Record<string, unknown>> {
  const user = userFor(pool, input);
  const password = requireString(input, 'Password');
  const permanent = optionalBoolean(input, 'Permanent') ?? false;
  assertPasswordConforms(password, pool.description.passwordPolicy, 'password', 'admin');
  user.password = storePassword(pool.srpPoolName, user.username, password);
  if (permanent) {
    user.status = 'CONFIRMED';
    delete user.temporaryPasswordExpiresAt;
  } else {
    user.status = 'FORCE_CHANGE_PASSWORD';
    user.temporaryPasswordExpiresAt = pool.now() + pool.description.passwordPolicy.temporaryPasswordValidityDays * 86400_000;
  }
  clearFailedSignIns(pool, user.username);
  touch(pool, user);
  return {};
}

export async function adminGetUser(pool: PoolContext, input: Input): Promise<Record<string, unknown>> {
  const user = userFor(pool, input);
  const { Attributes, ...rest } = userType(user);
  return { ...rest, UserAttributes: Attributes };
}

export async function adminDeleteUser(pool: PoolContext, input: Input): Promise<Record<string, unknown>> {
  const user = userFor(pool, input);
  pool.store.delete(user.username);
  return {};
}

/** Cognito: "Deactivates a user and revokes all access tokens for the user." */
export async function adminDisableUser(pool: PoolContext, input: Input): Promise<Record<string, unknown>> {
  const user = userFor(pool, input);
  user.enabled = false;
  revokeAllSessions(pool, user);
  touch(pool, user);
  return {};
}

export async function adminEnableUser(pool: PoolContext, input: Input): Promise<Record<string, unknown>> {
  const user = userFor(pool, input);
  user.enabled = true;
  touch(pool, user);
  return {};
}

/** Confirms without a code; fires PostConfirmation_ConfirmSignUp with clientId CLIENT_ID_NOT_APPLICABLE. */
export async function adminConfirmSignUp(pool: PoolContext, input: Input, ctx: CallContext): Promise<Record<string, unknown>> {
  const user = userFor(pool, input);
  const clientMetadata = optionalStringMap(input, 'ClientMetadata');
  if (user.status !== 'UNCONFIRMED') {
    throw cannotBeConfirmed(user.status);
  }
  user.status = 'CONFIRMED';
  delete user.codes.signUp;
  touch(pool, user);
  await postConfirmation(pool, user, 'PostConfirmation_ConfirmSignUp', 'CLIENT_ID_NOT_APPLICABLE', clientMetadata, ctx);
  return {};
}

export async function adminUserGlobalSignOut(pool: PoolContext, input: Input): Promise<Record<string, unknown>> {
  revokeAllSessions(pool, userFor(pool, input));
  return {};
}

export async function adminUpdateUserAttributes(pool: PoolContext, input: Input): Promise<Record<string, unknown>> {
  const user = userFor(pool, input);
  const written = validateAttributeWrites(pool.schema, parseAttributeList(input.UserAttributes, 'userAttributes'), {
    caller: 'admin',
    creating: false,
  });
  if (written.email !== undefined && written.email.toLowerCase() !== (user.attributes.email ?? '').toLowerCase()) {
    const owner = pool.store.findByAttribute('email', written.email);
    if (owner !== undefined && owner.username !== user.username) {
      throw aliasExists();
    }
    // An admin e-mail change without email_verified=true leaves the new address unverified.
    if (written.email_verified === undefined) written.email_verified = 'false';
  }
  for (const [name, value] of Object.entries(written)) {
    if (value === '') delete user.attributes[name];
    else user.attributes[name] = value;
  }
  touch(pool, user);
  return {};
}

/** ListUsers filter attributes Cognito supports. */
const FILTERABLE = new Set([
  'username',
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'cognito:user_status',
  'status',
  'sub',
]);

function filterValue(user: StoredUser, attribute: string): string | undefined {
  if (attribute === 'username') return user.username;
  if (attribute === 'cognito:user_status') return user.status;
  if (attribute === 'status') return user.enabled ? 'Enabled' : 'Disabled';
  return user.attributes[attribute];
}

export async function listUsers(pool: PoolContext, input: Input): Promise<Record<string, unknown>> {
  assertPoolId(pool, requireString(input, 'UserPoolId'));
  const filter = optionalString(input, 'Filter') ?? '';
  const limit = optionalNumber(input, 'Limit') ?? 60;
  if (!Number.isInteger(limit) || limit < 0 || limit > 60) {
    throw validationError('limit', maxValue(60), String(limit));
  }
  const attributesToGet = optionalStringList(input, 'AttributesToGet');
  const token = optionalString(input, 'PaginationToken');

  let match: (user: StoredUser) => boolean = () => true;
  if (filter.trim() !== '') {
    const parsed = /^\s*"?([\w:]+)"?\s*(=|\^=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(filter);
    if (!parsed) throw unparsableFilter();
    const [, attribute = '', operator, raw = ''] = parsed;
    if (!FILTERABLE.has(attribute)) throw invalidSearchAttribute(attribute);
    const value = raw.replace(/\\(.)/g, '$1');
    // Cognito's ListUsers filters are case-insensitive.
    const wanted = value.toLowerCase();
    match = (user) => {
      const have = filterValue(user, attribute)?.toLowerCase();
      if (have === undefined) return false;
      return operator === '=' ? have === wanted : have.startsWith(wanted);
    };
  }
  const all = pool.store
    .all()
    .filter(match)
    .sort((a, b) => a.createdAt - b.createdAt); // stable: ties keep insertion order
  let offset = 0;
  if (token !== undefined) {
    const decoded = Number.parseInt(Buffer.from(token, 'base64url').toString('utf8'), 10);
    if (!Number.isInteger(decoded) || decoded < 0) throw invalidPaginationToken();
    offset = decoded;
  }
  const page = all.slice(offset, offset + (limit === 0 ? 60 : limit));
  const next = offset + page.length;
  const response: Record<string, unknown> = { Users: page.map((u) => userType(u, attributesToGet)) };
  if (next < all.length) response.PaginationToken = Buffer.from(String(next), 'utf8').toString('base64url');
  return response;
}
