/**
 * The real aws-amplify v6 client against the offline Cognito: sign-up, confirmation, SRP sign-in, tokens,
 * refresh, sign-out, password reset and the error names sign-in screens rely on. Steps run in order and
 * share one user (aws-amplify keeps its session in module singletons).
 */
import { Amplify } from 'aws-amplify';
import {
  confirmResetPassword,
  confirmSignUp,
  fetchAuthSession,
  fetchUserAttributes,
  getCurrentUser,
  resetPassword,
  signIn,
  signOut,
  signUp,
  updatePassword,
} from 'aws-amplify/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenRevoked, EMAIL_TAKEN, INCORRECT_CREDENTIALS, invalidPassword, PASSWORD_POLICY_FAILURES, TokenVerificationError } from '../errors.js';
import { createUserPool, type UserPool } from './pool.js';
import { startCognitoServer, type RunningCognitoServer } from './server.js';
import { CLIENT_ID, chatPoolDescription, memoryLogger, POOL_ID } from '../../tests/helpers/cognito-pool.js';
import type { CognitoTriggerEvent } from './triggers.js';
import { identityFromClaims } from './verify.js';

const EMAIL = 'Ada.Lovelace@example.com';
const PASSWORD = 'Analytical1Engine';
const NEW_PASSWORD = 'Difference2Engine';

let pool: UserPool;
let server: RunningCognitoServer;
const logger = memoryLogger();
const triggerEvents: { name: string; event: CognitoTriggerEvent }[] = [];

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

async function rejectionReason(promise: Promise<unknown>): Promise<string> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(TokenVerificationError);
  return (error as TokenVerificationError).reason;
}

beforeAll(async () => {
  pool = await createUserPool({
    description: chatPoolDescription({ triggers: { PostConfirmation: 'post-confirmation' } }),
    logger,
    invokeTrigger: async (name, event) => {
      triggerEvents.push({ name, event: structuredClone(event) });
      return event;
    },
  });
  server = await startCognitoServer({ pool, host: '127.0.0.1', port: 0 });
  Amplify.configure({
    Auth: { Cognito: { userPoolId: POOL_ID, userPoolClientId: CLIENT_ID, userPoolEndpoint: server.url, loginWith: { email: true } } },
  });
});

afterAll(async () => {
  await server.close();
  pool.close();
});

describe('aws-amplify against the offline user pool', () => {
  it('signs up with e-mail, password and preferred_username; the code goes to the log', async () => {
    const result = await signUp({
      username: EMAIL,
      password: PASSWORD,
      options: { userAttributes: { email: EMAIL, preferred_username: 'ada' } },
    });
    expect(result.isSignUpComplete).toBe(false);
    expect(result.nextStep.signUpStep).toBe('CONFIRM_SIGN_UP');
    expect(result.nextStep).toMatchObject({ codeDeliveryDetails: { destination: 'A***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' } });

    const user = pool.getUser(EMAIL);
    expect(user?.status).toBe('UNCONFIRMED');
    // e-mail sign-in: the username is a generated UUID that is also the sub.
    expect(user?.username).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(user?.attributes.sub).toBe(user?.username);
    expect(result.userId).toBe(user?.username);
    expect(JSON.stringify(user)).not.toContain(PASSWORD);
    const code = pool.lastCodeFor(EMAIL);
    expect(code).toMatch(/^\d{6}$/);
    expect(logger.lines).toContain(`confirmation code for ${EMAIL}: ${code}`);
  });

  it('an unconfirmed user is sent to CONFIRM_SIGN_UP (UserNotConfirmedException) by signIn', async () => {
    const result = await signIn({ username: EMAIL, password: PASSWORD });
    expect(result.isSignedIn).toBe(false);
    expect(result.nextStep.signInStep).toBe('CONFIRM_SIGN_UP');
  });

  it('rejects a wrong confirmation code, then confirms with the logged one and runs PostConfirmation', async () => {
    const code = pool.lastCodeFor(EMAIL) as string;
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await rejection(confirmSignUp({ username: EMAIL, confirmationCode: wrong }))).name).toBe('CodeMismatchException');
    expect(triggerEvents).toHaveLength(0);

    const result = await confirmSignUp({ username: EMAIL, confirmationCode: code });
    expect(result.isSignUpComplete).toBe(true);
    const user = pool.getUser(EMAIL);
    expect(user?.status).toBe('CONFIRMED');
    expect(user?.attributes.email_verified).toBe('true');

    expect(triggerEvents).toHaveLength(1);
    const { name, event } = triggerEvents[0] as { name: string; event: CognitoTriggerEvent };
    expect(name).toBe('PostConfirmation');
    expect(event).toEqual({
      version: '1',
      region: 'us-east-1',
      userPoolId: POOL_ID,
      userName: user?.username,
      callerContext: { awsSdkVersion: expect.any(String), clientId: CLIENT_ID },
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      request: {
        userAttributes: {
          sub: user?.username,
          email: EMAIL,
          email_verified: 'true',
          preferred_username: 'ada',
          'cognito:user_status': 'CONFIRMED',
        },
      },
      response: {},
    });
  });

  it('rejects a wrong password and an unknown user with the same NotAuthorizedException', async () => {
    const wrong = await rejection(signIn({ username: EMAIL, password: 'Wrong1Password' }));
    expect(wrong.name).toBe('NotAuthorizedException');
    expect(wrong.message).toBe(INCORRECT_CREDENTIALS);
    const unknown = await rejection(signIn({ username: 'nobody@example.com', password: PASSWORD }));
    expect(unknown.name).toBe('NotAuthorizedException');
    expect(unknown.message).toBe(INCORRECT_CREDENTIALS);
  });

  it('rejects sign-up with a weak password and with an e-mail already registered', async () => {
    const weak = await rejection(signUp({ username: 'weak@example.com', password: 'alllowercase1', options: { userAttributes: { email: 'weak@example.com' } } }));
    expect(weak.name).toBe('InvalidPasswordException');
    expect(weak.message).toBe(invalidPassword('user', PASSWORD_POLICY_FAILURES.uppercase).message);
    expect(pool.getUser('weak@example.com')).toBeUndefined();

    const duplicate = await rejection(signUp({ username: EMAIL.toLowerCase(), password: PASSWORD, options: { userAttributes: { email: EMAIL.toLowerCase() } } }));
    expect(duplicate.name).toBe('UsernameExistsException');
    expect(duplicate.message).toBe(EMAIL_TAKEN);
  });

  it('signs in with SRP (the default flow) and returns tokens that the verifier accepts', async () => {
    const result = await signIn({ username: EMAIL, password: PASSWORD });
    expect(result).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });

    const session = await fetchAuthSession();
    const idToken = session.tokens?.idToken?.toString() as string;
    const accessToken = session.tokens?.accessToken?.toString() as string;
    expect(idToken).toBeTruthy();
    expect(accessToken).toBeTruthy();
    const user = pool.getUser(EMAIL);

    const id = await pool.verifyUserPoolToken(idToken, { expectedUse: 'id' });
    expect(id).toMatchObject({
      token_use: 'id',
      aud: CLIENT_ID,
      iss: `${server.url}/${POOL_ID}`,
      sub: user?.username,
      'cognito:username': user?.username,
      email: EMAIL,
      email_verified: true,
      preferred_username: 'ada',
    });
    expect(id.exp - id.iat).toBe(3600);
    for (const claim of ['auth_time', 'jti', 'origin_jti', 'event_id']) expect(id[claim]).toBeDefined();

    const access = await pool.verifyUserPoolToken(accessToken, { expectedUse: 'access' });
    expect(access).toMatchObject({
      token_use: 'access',
      client_id: CLIENT_ID,
      username: user?.username,
      scope: 'aws.cognito.signin.user.admin',
      sub: user?.username,
      origin_jti: id.origin_jti,
    });
    expect(access.aud).toBeUndefined();

    expect(identityFromClaims(access, { sourceIp: ['127.0.0.1'] })).toEqual({
      sub: user?.username,
      issuer: `${server.url}/${POOL_ID}`,
      username: user?.username,
      claims: access,
      sourceIp: ['127.0.0.1'],
      defaultAuthStrategy: 'ALLOW',
      groups: null,
    });
    expect(identityFromClaims(id).username).toBe(user?.username);

    const current = await getCurrentUser();
    expect(current.username).toBe(user?.username);
    expect(current.userId).toBe(user?.username);
    expect(await fetchUserAttributes()).toMatchObject({ email: EMAIL, preferred_username: 'ada', email_verified: 'true' });
  });

  it('refreshes tokens through GetTokensFromRefreshToken within the same session', async () => {
    const before = await fetchAuthSession();
    const refreshed = await fetchAuthSession({ forceRefresh: true });
    const oldAccess = before.tokens?.accessToken?.toString();
    const newAccess = refreshed.tokens?.accessToken?.toString() as string;
    expect(newAccess).not.toBe(oldAccess);
    const claims = await pool.verifyUserPoolToken(newAccess, { expectedUse: 'access' });
    expect(claims.origin_jti).toBe(before.tokens?.accessToken?.payload.origin_jti);
  });

  it('changes the password with the access token (ChangePassword)', async () => {
    await updatePassword({ oldPassword: PASSWORD, newPassword: 'Temporary3Change' });
    await updatePassword({ oldPassword: 'Temporary3Change', newPassword: PASSWORD });
    const wrong = await rejection(updatePassword({ oldPassword: 'Not1ThePassword', newPassword: 'Whatever4Valid' }));
    expect(wrong.name).toBe('NotAuthorizedException');
  });

  it('signOut({global: true}) revokes the tokens issued before it', async () => {
    const session = await fetchAuthSession();
    const accessToken = session.tokens?.accessToken?.toString() as string;
    const idToken = session.tokens?.idToken?.toString() as string;
    await signOut({ global: true });

    expect(await rejectionReason(pool.verifyUserPoolToken(accessToken))).toBe('token_revoked');
    expect(await rejectionReason(pool.verifyUserPoolToken(idToken))).toBe('token_revoked');
    const getUser = await rejection(pool.call('GetUser', { AccessToken: accessToken }));
    expect(getUser).toMatchObject({ name: 'NotAuthorizedException', message: accessTokenRevoked().message });
    // Every session (refresh token) of the user is dead too.
    const sessions = pool.getUser(EMAIL)?.sessions ?? [];
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.every((s) => s.revoked)).toBe(true);
  });

  it('signs in again after a global sign-out, and a plain signOut() revokes that session (RevokeToken)', async () => {
    expect((await signIn({ username: EMAIL, password: PASSWORD })).isSignedIn).toBe(true);
    const accessToken = (await fetchAuthSession()).tokens?.accessToken?.toString() as string;
    await pool.verifyUserPoolToken(accessToken);
    await signOut();
    expect(await rejectionReason(pool.verifyUserPoolToken(accessToken))).toBe('token_revoked');
  });

  it('resets a forgotten password with the logged code and runs PostConfirmation_ConfirmForgotPassword', async () => {
    const started = await resetPassword({ username: EMAIL });
    expect(started.nextStep.resetPasswordStep).toBe('CONFIRM_RESET_PASSWORD_WITH_CODE');
    const code = pool.lastCodeFor(EMAIL) as string;
    expect(logger.lines).toContain(`password reset code for ${EMAIL}: ${code}`);

    const weak = await rejection(confirmResetPassword({ username: EMAIL, confirmationCode: code, newPassword: 'NoDigitsHere' }));
    expect(weak.name).toBe('InvalidPasswordException');
    await confirmResetPassword({ username: EMAIL, confirmationCode: code, newPassword: NEW_PASSWORD });

    const last = triggerEvents.at(-1);
    expect(last?.event.triggerSource).toBe('PostConfirmation_ConfirmForgotPassword');
    expect(last?.event.request.userAttributes['cognito:user_status']).toBe('CONFIRMED');

    expect((await rejection(signIn({ username: EMAIL, password: PASSWORD }))).name).toBe('NotAuthorizedException');
    expect((await signIn({ username: EMAIL, password: NEW_PASSWORD })).isSignedIn).toBe(true);
    await signOut();
  });
});
