/**
 * Operations authorized by the user's own access token: GetUser, UpdateUserAttributes,
 * GetUserAttributeVerificationCode, VerifyUserAttribute, ChangePassword, DeleteUser.
 *
 * E-mail changes follow Amplify's pool setting "keep original attribute value active when an update is
 * pending" (`keepOriginal: {email: true}`, set by the auth construct for e-mail sign-in): the old address stays
 * in `email` (and stays the sign-in name) until the code sent to the new one is verified.
 */
import { parseAttributeList, toAttributeList, validateAttributeWrites } from './attributes.js';
import { aliasExists, codeMismatch, emailAlreadyVerified, incorrectCredentials, noEmailToVerify, verificationNotSupported } from '../errors.js';
import { requireString, type Input } from './input.js';
import { assertPasswordConforms } from './password-policy.js';
import type { PoolContext } from './context.js';
import { storePassword, storedPasswordMatches } from './stored-password.js';
import { checkCode, codeDelivery, issueCode } from './codes.js';
import { userFromAccessToken } from './sessions.js';
import { assertNotLockedOut, recordFailedSignIn } from './sign-in.js';
import { touch } from './users.js';

export async function getUser(pool: PoolContext, input: Input): Promise<Record<string, unknown>> {
  const { user } = await userFromAccessToken(pool, requireString(input, 'AccessToken'));
  return { Username: user.username, UserAttributes: toAttributeList(user.attributes) };
}

export async function updateUserAttributes(pool: PoolContext, input: Input): Promise<Record<string, unknown>> {
  const { user } = await userFromAccessToken(pool, requireString(input, 'AccessToken'));
  const written = validateAttributeWrites(pool.schema, parseAttributeList(input.UserAttributes, 'userAttributes'), {
    caller: 'client',
    creating: false,
  });
  const deliveries: unknown[] = [];
  const newEmail = written.email;
  delete written.email;
  if (newEmail !== undefined && newEmail.toLowerCase() !== (user.attributes.email ?? '').toLowerCase()) {
    const owner = pool.store.findByAttribute('email', newEmail);
    if (owner !== undefined && owner.username !== user.username) {
      throw aliasExists();
    }
    issueCode(pool, user, 'email', newEmail, newEmail);
    deliveries.push(codeDelivery(newEmail));
  }
  for (const [name, value] of Object.entries(written)) {
    if (value === '') delete user.attributes[name];
    else user.attributes[name] = value;
  }
  touch(pool, user);
  return deliveries.length > 0 ? { CodeDeliveryDetailsList: deliveries } : {};
}

export async function getUserAttributeVerificationCode(pool: PoolContext, input: Input): Promise<Record<string, unknown>> {
  const { user } = await userFromAccessToken(pool, requireString(input, 'AccessToken'));
  const attribute = requireString(input, 'AttributeName');
  if (attribute !== 'email') throw verificationNotSupported(attribute);
  const target = user.codes.email?.value ?? user.attributes.email;
  if (target === undefined) throw noEmailToVerify();
  if (target === user.attributes.email && user.attributes.email_verified === 'true') {
    throw emailAlreadyVerified();
  }
  issueCode(pool, user, 'email', target, target);
  pool.store.save(pool.now());
  return { CodeDeliveryDetails: codeDelivery(target) };
}

export async function verifyUserAttribute(pool: PoolContext, input: Input): Promise<Record<string, unknown>> {
  const { user } = await userFromAccessToken(pool, requireString(input, 'AccessToken'));
  const attribute = requireString(input, 'AttributeName');
  const code = requireString(input, 'Code');
  if (attribute !== 'email') throw verificationNotSupported(attribute);
  const record = checkCode(pool, user, 'email', code);
  const value = record.value ?? user.attributes.email;
  if (value === undefined) throw codeMismatch();
  const owner = pool.store.findByAttribute('email', value);
  if (owner !== undefined && owner.username !== user.username) {
    throw aliasExists();
  }
  user.attributes.email = value;
  user.attributes.email_verified = 'true';
  touch(pool, user);
  return {};
}

export async function changePassword(pool: PoolContext, input: Input): Promise<Record<string, unknown>> {
  const { user } = await userFromAccessToken(pool, requireString(input, 'AccessToken'));
  const previous = requireString(input, 'PreviousPassword');
  const proposed = requireString(input, 'ProposedPassword');
  assertPasswordConforms(proposed, pool.description.passwordPolicy, 'proposedPassword');
  assertNotLockedOut(pool, user.username);
  if (!storedPasswordMatches(pool.srpPoolName, user.username, previous, user.password)) {
    recordFailedSignIn(pool, user.username);
    throw incorrectCredentials();
  }
  user.password = storePassword(pool.srpPoolName, user.username, proposed);
  touch(pool, user);
  return {};
}

export async function deleteUser(pool: PoolContext, input: Input): Promise<Record<string, unknown>> {
  const { user } = await userFromAccessToken(pool, requireString(input, 'AccessToken'));
  pool.store.delete(user.username);
  return {};
}
