/**
 * Self-service account operations: SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword,
 * ConfirmForgotPassword.
 *
 * With PreventUserExistenceErrors (Amplify's client default) Cognito hides whether a user exists from these
 * APIs: ResendConfirmationCode / ForgotPassword return a simulated delivery, ConfirmSignUp /
 * ConfirmForgotPassword answer CodeMismatchException. SignUp still says UsernameExistsException
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html).
 */
import { randomUUID } from 'node:crypto';
import { assertRequiredAttributes, parseAttributeList, validateAttributeWrites } from './attributes.js';
import { autoVerificationNotTurnedOn, cannotBeConfirmed, codeMismatch, noVerifiedContactToReset, passwordCannotBeReset, USER_ALREADY_EXISTS, userAlreadyConfirmed, userDisabled, usernameClientNotFound } from '../errors.js';
import { optionalStringMap, requireString, type Input } from './input.js';
import { assertPasswordConforms } from './password-policy.js';
import type { CallContext, PoolContext } from './context.js';
import { EMAIL, allocateUsername } from './new-username.js';
import { storePassword } from './stored-password.js';
import type { StoredUser } from './store.js';
import { checkCode, codeDelivery, issueCode } from './codes.js';
import { clearFailedSignIns } from './sign-in.js';
import { appClient, postConfirmation, resolveUser, touch } from './users.js';


export async function signUp(pool: PoolContext, input: Input): Promise<Record<string, unknown>> {
  const clientId = requireString(input, 'ClientId');
  appClient(pool, clientId);
  const givenUsername = requireString(input, 'Username');
  const password = requireString(input, 'Password');
  const written = validateAttributeWrites(pool.schema, parseAttributeList(input.UserAttributes, 'userAttributes'), {
    caller: 'client',
    creating: true,
  });

  const username = allocateUsername(pool, givenUsername, written, USER_ALREADY_EXISTS);
  assertPasswordConforms(password, pool.description.passwordPolicy);
  const sub = pool.emailIsUsername ? username : randomUUID();
  const attributes: Record<string, string> = { sub, ...written };
  assertRequiredAttributes(pool.schema, attributes);

  const now = pool.now();
  const user: StoredUser = {
    username,
    attributes,
    status: 'UNCONFIRMED',
    enabled: true,
    createdAt: now,
    updatedAt: now,
    password: storePassword(pool.srpPoolName, username, password),
    codes: {},
    sessions: [],
    groups: [],
  };
  const response: Record<string, unknown> = { UserConfirmed: false, UserSub: sub };
  if (pool.description.autoVerifiedAttributes.includes('email') && attributes.email !== undefined) {
    issueCode(pool, user, 'signUp', attributes.email);
    response.CodeDeliveryDetails = codeDelivery(attributes.email);
  }
  pool.store.put(user);
  return response;
}

function userOrCodeMismatch(pool: PoolContext, name: string): StoredUser {
  const user = resolveUser(pool, name);
  if (user !== undefined) return user;
  if (pool.preventUserExistenceErrors) {
    throw codeMismatch();
  }
  throw usernameClientNotFound();
}

export async function confirmSignUp(pool: PoolContext, input: Input, ctx: CallContext): Promise<Record<string, unknown>> {
  const clientId = requireString(input, 'ClientId');
  appClient(pool, clientId);
  const name = requireString(input, 'Username');
  const code = requireString(input, 'ConfirmationCode');
  const clientMetadata = optionalStringMap(input, 'ClientMetadata');
  const user = userOrCodeMismatch(pool, name);
  if (user.status !== 'UNCONFIRMED') {
    throw cannotBeConfirmed(user.status);
  }
  checkCode(pool, user, 'signUp', code);
  user.status = 'CONFIRMED';
  // The code went to the e-mail, which proves it (auto-verified attribute).
  if (pool.description.autoVerifiedAttributes.includes('email') && user.attributes.email !== undefined) {
    user.attributes.email_verified = 'true';
  }
  touch(pool, user);
  await postConfirmation(pool, user, 'PostConfirmation_ConfirmSignUp', clientId, clientMetadata, ctx);
  return {};
}

/**
 * Code-sending operations for a user that does not exist: with prevent-user-existence-errors on,
 * Cognito answers as if it had sent a code (no user enumeration); otherwise UserNotFoundException.
 */
function unknownUserCodeDelivery(pool: PoolContext, name: string): Record<string, unknown> {
  if (pool.preventUserExistenceErrors) return { CodeDeliveryDetails: codeDelivery(EMAIL.test(name) ? name : 'user@example.com') };
  throw usernameClientNotFound();
}

export async function resendConfirmationCode(pool: PoolContext, input: Input): Promise<Record<string, unknown>> {
  const clientId = requireString(input, 'ClientId');
  appClient(pool, clientId);
  const name = requireString(input, 'Username');
  const user = resolveUser(pool, name);
  if (user === undefined) return unknownUserCodeDelivery(pool, name);
  if (user.status !== 'UNCONFIRMED') throw userAlreadyConfirmed();
  const email = user.attributes.email;
  if (email === undefined || !pool.description.autoVerifiedAttributes.includes('email')) {
    throw autoVerificationNotTurnedOn();
  }
  issueCode(pool, user, 'signUp', email);
  pool.store.save(pool.now());
  return { CodeDeliveryDetails: codeDelivery(email) };
}

export async function forgotPassword(pool: PoolContext, input: Input): Promise<Record<string, unknown>> {
  const clientId = requireString(input, 'ClientId');
  appClient(pool, clientId);
  const name = requireString(input, 'Username');
  const user = resolveUser(pool, name);
  if (user === undefined) return unknownUserCodeDelivery(pool, name);
  if (!user.enabled) throw userDisabled();
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    throw passwordCannotBeReset();
  }
  const email = user.attributes.email;
  if (email === undefined || user.attributes.email_verified !== 'true') {
    throw noVerifiedContactToReset();
  }
  issueCode(pool, user, 'forgotPassword', email);
  pool.store.save(pool.now());
  return { CodeDeliveryDetails: codeDelivery(email) };
}

export async function confirmForgotPassword(pool: PoolContext, input: Input, ctx: CallContext): Promise<Record<string, unknown>> {
  const clientId = requireString(input, 'ClientId');
  appClient(pool, clientId);
  const name = requireString(input, 'Username');
  const code = requireString(input, 'ConfirmationCode');
  const password = requireString(input, 'Password');
  const clientMetadata = optionalStringMap(input, 'ClientMetadata');
  const user = userOrCodeMismatch(pool, name);
  assertPasswordConforms(password, pool.description.passwordPolicy);
  checkCode(pool, user, 'forgotPassword', code);
  user.password = storePassword(pool.srpPoolName, user.username, password);
  user.status = 'CONFIRMED';
  delete user.temporaryPasswordExpiresAt;
  clearFailedSignIns(pool, user.username);
  touch(pool, user);
  await postConfirmation(pool, user, 'PostConfirmation_ConfirmForgotPassword', clientId, clientMetadata, ctx);
  return {};
}
