/**
 * Operations authorized by the user's own access token: GetUser, UpdateUserAttributes,
 * GetUserAttributeVerificationCode, VerifyUserAttribute, ChangePassword, DeleteUser.
 *
 * E-mail changes follow Amplify's pool setting "keep original attribute value active when an update is
 * pending" (`keepOriginal: {email: true}`, set by the auth construct for e-mail sign-in): the old address stays
 * in `email` (and stays the sign-in name) until the code sent to the new one is verified.
 */
import { parseAttributeList, toAttributeList, validateAttributeWrites } from './attributes.js';
import { CognitoError, incorrectCredentials } from './errors.js';
import { requireString, type Input } from './input.js';
import { assertPasswordConforms } from './password-policy.js';
import type { UserPool } from './pool.js';
import { storePassword, storedPasswordMatches } from './stored-password.js';

export async function getUser(pool: UserPool, input: Input): Promise<Record<string, unknown>> {
  const { user } = await pool.userFromAccessToken(requireString(input, 'AccessToken'));
  return { Username: user.username, UserAttributes: toAttributeList(user.attributes) };
}

export async function updateUserAttributes(pool: UserPool, input: Input): Promise<Record<string, unknown>> {
  const { user } = await pool.userFromAccessToken(requireString(input, 'AccessToken'));
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
      throw new CognitoError('AliasExistsException', 'An account with the given email already exists.');
    }
    pool.issueCode(user, 'email', newEmail, newEmail);
    deliveries.push(pool.codeDelivery(newEmail));
  }
  for (const [name, value] of Object.entries(written)) {
    if (value === '') delete user.attributes[name];
    else user.attributes[name] = value;
  }
  pool.touch(user);
  return deliveries.length > 0 ? { CodeDeliveryDetailsList: deliveries } : {};
}

export async function getUserAttributeVerificationCode(pool: UserPool, input: Input): Promise<Record<string, unknown>> {
  const { user } = await pool.userFromAccessToken(requireString(input, 'AccessToken'));
  const attribute = requireString(input, 'AttributeName');
  if (attribute !== 'email') throw new CognitoError('InvalidParameterException', `Verification of ${attribute} is not supported offline.`);
  const target = user.codes.email?.value ?? user.attributes.email;
  if (target === undefined) throw new CognitoError('InvalidParameterException', 'No email attribute to verify.');
  if (target === user.attributes.email && user.attributes.email_verified === 'true') {
    throw new CognitoError('InvalidParameterException', 'The email is already verified.');
  }
  pool.issueCode(user, 'email', target, target);
  pool.store.save(pool.now());
  return { CodeDeliveryDetails: pool.codeDelivery(target) };
}

export async function verifyUserAttribute(pool: UserPool, input: Input): Promise<Record<string, unknown>> {
  const { user } = await pool.userFromAccessToken(requireString(input, 'AccessToken'));
  const attribute = requireString(input, 'AttributeName');
  const code = requireString(input, 'Code');
  if (attribute !== 'email') throw new CognitoError('InvalidParameterException', `Verification of ${attribute} is not supported offline.`);
  const record = pool.checkCode(user, 'email', code);
  const value = record.value ?? user.attributes.email;
  if (value === undefined) throw new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
  const owner = pool.store.findByAttribute('email', value);
  if (owner !== undefined && owner.username !== user.username) {
    throw new CognitoError('AliasExistsException', 'An account with the given email already exists.');
  }
  user.attributes.email = value;
  user.attributes.email_verified = 'true';
  pool.touch(user);
  return {};
}

export async function changePassword(pool: UserPool, input: Input): Promise<Record<string, unknown>> {
  const { user } = await pool.userFromAccessToken(requireString(input, 'AccessToken'));
  const previous = requireString(input, 'PreviousPassword');
  const proposed = requireString(input, 'ProposedPassword');
  assertPasswordConforms(proposed, pool.description.passwordPolicy, 'proposedPassword');
  pool.assertNotLockedOut(user.username);
  if (!storedPasswordMatches(pool.srpPoolName, user.username, previous, user.password)) {
    pool.recordFailedSignIn(user.username);
    throw incorrectCredentials();
  }
  user.password = storePassword(pool.srpPoolName, user.username, proposed);
  pool.touch(user);
  return {};
}

export async function deleteUser(pool: UserPool, input: Input): Promise<Record<string, unknown>> {
  const { user } = await pool.userFromAccessToken(requireString(input, 'AccessToken'));
  pool.store.delete(user.username);
  return {};
}
