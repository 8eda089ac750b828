/** Operation semantics in-process (`pool.call`): admin flows, challenges, codes, lockout, attributes, SRP abuse. */
import { beforeEach, describe, expect, it } from 'vitest';
import { createUserPool, type UserPool } from './pool.js';
import { firstPolicyFailure } from './password-policy.js';
import {
  CLIENT_ID,
  chatPoolDescription,
  createConfirmedUser,
  manualClock,
  memoryLogger,
  POOL_ID,
  rejectionOf,
  signInTokens,
  srpSignIn,
} from '../../tests/helpers/cognito-pool.js';
import { customAuthNotConfigured, flowNotEnabled, INCORRECT_CREDENTIALS, invalidAccessToken, invalidPassword, invalidRefreshToken, noVerifiedContactToReset, PASSWORD_POLICY_FAILURES, passwordAttemptsExceeded, passwordCannotBeReset, refreshTokenExpired, sessionExpired, temporaryPasswordExpired, unauthorizedAttributeWrite, userDisabled, userDoesNotExist, usernameShouldBeEmail } from '../errors.js';

const EMAIL = 'barbara@example.com';
const PASSWORD = 'Liskov1Substitution';
const ADMIN_CLIENT = 'adminscriptclient0000000001';

let pool: UserPool;
let clock: ReturnType<typeof manualClock>;

beforeEach(async () => {
  clock = manualClock();
  const description = chatPoolDescription();
  description.clients.push({
    id: ADMIN_CLIENT,
    name: 'scripts',
    explicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  pool = await createUserPool({ description, issuerBaseUrl: 'http://127.0.0.1:9229', now: clock.now, logger: memoryLogger() });
});

describe('password policy', () => {
  const policy = chatPoolDescription().passwordPolicy;
  it.each([
    ['Ab1', PASSWORD_POLICY_FAILURES.tooShort],
    ['alllower1', PASSWORD_POLICY_FAILURES.uppercase],
    ['ALLUPPER1', PASSWORD_POLICY_FAILURES.lowercase],
    ['NoDigitsHere', PASSWORD_POLICY_FAILURES.numbers],
    ['Valid1Password', undefined],
  ])('%s → %s', (password, failure) => {
    expect(firstPolicyFailure(password, policy)).toBe(failure);
  });

  it('requires symbols when the policy says so', () => {
    expect(firstPolicyFailure('Valid1Password', { ...policy, requireSymbols: true })).toBe(PASSWORD_POLICY_FAILURES.symbols);
    expect(firstPolicyFailure('Valid1Password!', { ...policy, requireSymbols: true })).toBeUndefined();
  });

  it('rejects leading/trailing whitespace as an input validation error', async () => {
    const error = await rejectionOf(pool.call('SignUp', { ClientId: CLIENT_ID, Username: EMAIL, Password: ' Valid1Password' }));
    expect(error.name).toBe('InvalidParameterException');
  });
});

describe('sign-up and confirmation', () => {
  it('rejects a non-e-mail username, unknown and read-only attributes', async () => {
    expect(await rejectionOf(pool.call('SignUp', { ClientId: CLIENT_ID, Username: 'barbara', Password: PASSWORD }))).toMatchObject({
      name: 'InvalidParameterException',
      message: usernameShouldBeEmail().message,
    });
    const custom = await rejectionOf(
      pool.call('SignUp', { ClientId: CLIENT_ID, Username: EMAIL, Password: PASSWORD, UserAttributes: [{ Name: 'custom:role', Value: 'admin' }] }),
    );
    expect(custom.name).toBe('InvalidParameterException');
    const verified = await rejectionOf(
      pool.call('SignUp', { ClientId: CLIENT_ID, Username: EMAIL, Password: PASSWORD, UserAttributes: [{ Name: 'email_verified', Value: 'true' }] }),
    );
    expect(verified).toMatchObject({ name: 'NotAuthorizedException', message: unauthorizedAttributeWrite().message });
    expect(pool.getUser(EMAIL)).toBeUndefined();
  });

  it('expires sign-up codes after 24 hours and burns a code after 5 wrong attempts', async () => {
    await pool.call('SignUp', { ClientId: CLIENT_ID, Username: EMAIL, Password: PASSWORD });
    const code = pool.lastCodeFor(EMAIL) as string;
    const wrong = code === '999999' ? '000000' : '999999';
    for (let i = 0; i < 5; i += 1) {
      expect((await rejectionOf(pool.call('ConfirmSignUp', { ClientId: CLIENT_ID, Username: EMAIL, ConfirmationCode: wrong }))).name).toBe('CodeMismatchException');
    }
    expect((await rejectionOf(pool.call('ConfirmSignUp', { ClientId: CLIENT_ID, Username: EMAIL, ConfirmationCode: code }))).name).toBe('LimitExceededException');

    const resent = await pool.call('ResendConfirmationCode', { ClientId: CLIENT_ID, Username: EMAIL });
    expect(resent.CodeDeliveryDetails).toEqual({ Destination: 'b***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const fresh = pool.lastCodeFor(EMAIL) as string;
    clock.advance(24 * 3600_000);
    expect((await rejectionOf(pool.call('ConfirmSignUp', { ClientId: CLIENT_ID, Username: EMAIL, ConfirmationCode: fresh }))).name).toBe('ExpiredCodeException');
    await pool.call('ResendConfirmationCode', { ClientId: CLIENT_ID, Username: EMAIL });
    await pool.call('ConfirmSignUp', { ClientId: CLIENT_ID, Username: EMAIL, ConfirmationCode: pool.lastCodeFor(EMAIL) });
    expect(pool.getUser(EMAIL)?.status).toBe('CONFIRMED');
  });

  it('does not reveal unknown users through confirmation and recovery APIs', async () => {
    const confirm = await rejectionOf(pool.call('ConfirmSignUp', { ClientId: CLIENT_ID, Username: 'ghost@example.com', ConfirmationCode: '123456' }));
    expect(confirm.name).toBe('CodeMismatchException');
    const forgot = await pool.call('ForgotPassword', { ClientId: CLIENT_ID, Username: 'ghost@example.com' });
    expect(forgot.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', Destination: 'g***@e***' });
    const resend = await pool.call('ResendConfirmationCode', { ClientId: CLIENT_ID, Username: 'ghost@example.com' });
    expect(resend.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL' });
    expect(pool.lastCodeFor('ghost@example.com')).toBeUndefined();
  });
});

describe('sign-in', () => {
  it('USER_SRP_AUTH: an unknown user gets a decoy challenge, then the same error as a wrong password', async () => {
    await createConfirmedUser(pool, EMAIL, PASSWORD);
    const ghost = await rejectionOf(srpSignIn(pool, 'ghost@example.com', PASSWORD));
    const wrong = await rejectionOf(srpSignIn(pool, EMAIL, 'Wrong1Password'));
    expect(ghost).toMatchObject({ name: 'NotAuthorizedException', message: INCORRECT_CREDENTIALS });
    expect(wrong).toMatchObject({ name: 'NotAuthorizedException', message: INCORRECT_CREDENTIALS });
    // The decoy looks like a real user's challenge: stable salt, fresh SRP_B.
    const init = async (): Promise<Record<string, string>> =>
      (await pool.call('InitiateAuth', { AuthFlow: 'USER_SRP_AUTH', ClientId: CLIENT_ID, AuthParameters: { USERNAME: 'ghost@example.com', SRP_A: 'abc123' } }))
        .ChallengeParameters as Record<string, string>;
    const [one, two] = [await init(), await init()];
    expect(one.SALT).toBe(two.SALT);
    expect(one.SRP_B).not.toBe(two.SRP_B);
    expect(Object.keys(one).sort()).toEqual(['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
  });

  it('rejects a forged signature, a replayed secret block and a malformed TIMESTAMP', async () => {
    await createConfirmedUser(pool, EMAIL, PASSWORD);
    let secretBlock = '';
    const forged = await rejectionOf(
      srpSignIn(pool, EMAIL, PASSWORD, {
        tamper: (r) => {
          secretBlock = r.PASSWORD_CLAIM_SECRET_BLOCK as string;
          r.PASSWORD_CLAIM_SIGNATURE = Buffer.alloc(32, 7).toString('base64');
        },
      }),
    );
    expect(forged.message).toBe(INCORRECT_CREDENTIALS);
    // The challenge is one-shot: the same secret block cannot be answered again.
    const replay = await rejectionOf(
      pool.call('RespondToAuthChallenge', {
        ChallengeName: 'PASSWORD_VERIFIER',
        ClientId: CLIENT_ID,
        ChallengeResponses: { USERNAME: pool.getUser(EMAIL)?.username, PASSWORD_CLAIM_SECRET_BLOCK: secretBlock, PASSWORD_CLAIM_SIGNATURE: 'x', TIMESTAMP: 'Tue Jan 6 09:05:07 UTC 2026' },
      }),
    );
    expect(replay).toMatchObject({ name: 'NotAuthorizedException', message: sessionExpired().message });
    const badTime = await rejectionOf(srpSignIn(pool, EMAIL, PASSWORD, { timestamp: '2026-01-06T09:05:07Z' }));
    expect(badTime.name).toBe('InvalidParameterException');
  });

  it('expires an unanswered SRP challenge after 3 minutes', async () => {
    await createConfirmedUser(pool, EMAIL, PASSWORD);
    const error = await rejectionOf(srpSignIn(pool, EMAIL, PASSWORD, { tamper: () => clock.advance(180_000) }));
    expect(error.message).toBe(sessionExpired().message);
  });

  it('locks sign-in temporarily after 5 failures ("Password attempts exceeded"), with a growing delay', async () => {
    await createConfirmedUser(pool, EMAIL, PASSWORD);
    for (let i = 0; i < 5; i += 1) await rejectionOf(srpSignIn(pool, EMAIL, 'Wrong1Password'));
    expect((await rejectionOf(srpSignIn(pool, EMAIL, PASSWORD))).message).toBe(passwordAttemptsExceeded().message);
    clock.advance(1000);
    expect((await srpSignIn(pool, EMAIL, PASSWORD)).AuthenticationResult).toBeDefined();
  });

  it('says "User is disabled." for a disabled user with the right password', async () => {
    await createConfirmedUser(pool, EMAIL, PASSWORD);
    await pool.call('AdminDisableUser', { UserPoolId: POOL_ID, Username: EMAIL });
    expect(await rejectionOf(srpSignIn(pool, EMAIL, PASSWORD))).toMatchObject({ name: 'NotAuthorizedException', message: userDisabled().message });
    await pool.call('AdminEnableUser', { UserPoolId: POOL_ID, Username: EMAIL });
    expect((await srpSignIn(pool, EMAIL, PASSWORD)).AuthenticationResult).toBeDefined();
  });

  it('USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH work only on clients that enable them', async () => {
    await createConfirmedUser(pool, EMAIL, PASSWORD);
    const params = { USERNAME: EMAIL, PASSWORD };
    const user = await pool.call('InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: ADMIN_CLIENT, AuthParameters: params });
    expect(user.AuthenticationResult).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 });
    const admin = await pool.call('AdminInitiateAuth', { UserPoolId: POOL_ID, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', ClientId: ADMIN_CLIENT, AuthParameters: params });
    expect(admin.AuthenticationResult).toHaveProperty('IdToken');
    const denied = await rejectionOf(pool.call('AdminInitiateAuth', { UserPoolId: POOL_ID, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', ClientId: CLIENT_ID, AuthParameters: params }));
    expect(denied).toMatchObject({ name: 'InvalidParameterException', message: flowNotEnabled('ADMIN_USER_PASSWORD_AUTH').message });
    const wrong = await rejectionOf(pool.call('InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: ADMIN_CLIENT, AuthParameters: { USERNAME: EMAIL, PASSWORD: 'Wrong1Password' } }));
    expect(wrong.message).toBe(INCORRECT_CREDENTIALS);
    const custom = await rejectionOf(pool.call('InitiateAuth', { AuthFlow: 'CUSTOM_AUTH', ClientId: CLIENT_ID, AuthParameters: { USERNAME: EMAIL } }));
    expect(custom.message).toBe(customAuthNotConfigured().message);
  });

  it('REFRESH_TOKEN_AUTH keeps the session (origin_jti, auth_time) and returns no new refresh token', async () => {
    await createConfirmedUser(pool, EMAIL, PASSWORD);
    const tokens = await signInTokens(pool, EMAIL, PASSWORD);
    clock.advance(600_000);
    const out = await pool.call('InitiateAuth', { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: CLIENT_ID, AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken } });
    const result = out.AuthenticationResult as Record<string, string>;
    expect(result.RefreshToken).toBeUndefined();
    const before = await pool.verifyUserPoolToken(tokens.AccessToken);
    const after = await pool.verifyUserPoolToken(result.AccessToken as string);
    expect(after.origin_jti).toBe(before.origin_jti);
    expect(after.auth_time).toBe(before.auth_time);
    expect(after.iat).toBe(before.iat + 600);
    expect((await rejectionOf(pool.call('InitiateAuth', { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: CLIENT_ID, AuthParameters: { REFRESH_TOKEN: 'bogus' } }))).message).toBe(invalidRefreshToken().message);
    clock.advance(30 * 86400_000);
    expect((await rejectionOf(pool.call('InitiateAuth', { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: CLIENT_ID, AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken } }))).message).toBe(refreshTokenExpired().message);
  });
});

describe('admin operations', () => {
  it('AdminCreateUser (SUPPRESS, TemporaryPassword) → NEW_PASSWORD_REQUIRED → CONFIRMED', async () => {
    const created = await pool.call('AdminCreateUser', { UserPoolId: POOL_ID, Username: EMAIL, TemporaryPassword: 'Temp1Password', MessageAction: 'SUPPRESS' });
    expect(created.User).toMatchObject({ UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true });
    const challenge = await srpSignIn(pool, EMAIL, 'Temp1Password');
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const params = challenge.ChallengeParameters as Record<string, string>;
    expect(JSON.parse(params.userAttributes as string)).toEqual({ email: EMAIL });
    expect(JSON.parse(params.requiredAttributes as string)).toEqual([]);
    const username = pool.getUser(EMAIL)?.username;

    const weak = await rejectionOf(
      pool.call('RespondToAuthChallenge', { ChallengeName: 'NEW_PASSWORD_REQUIRED', ClientId: CLIENT_ID, Session: challenge.Session, ChallengeResponses: { USERNAME: username, NEW_PASSWORD: 'weak' } }),
    );
    expect(weak.name).toBe('InvalidPasswordException');
    // A failed attempt consumes the session (one-shot), so sign in again.
    const again = await srpSignIn(pool, EMAIL, 'Temp1Password');
    const done = await pool.call('RespondToAuthChallenge', {
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      ClientId: CLIENT_ID,
      Session: again.Session,
      ChallengeResponses: { USERNAME: username, NEW_PASSWORD: PASSWORD, 'userAttributes.preferred_username': 'barb' },
    });
    expect(done.AuthenticationResult).toHaveProperty('AccessToken');
    expect(pool.getUser(EMAIL)).toMatchObject({ status: 'CONFIRMED', attributes: { preferred_username: 'barb' } });
    expect((await srpSignIn(pool, EMAIL, PASSWORD)).AuthenticationResult).toBeDefined();
  });

  it('a temporary password expires after temporaryPasswordValidityDays', async () => {
    await pool.call('AdminCreateUser', { UserPoolId: POOL_ID, Username: EMAIL, TemporaryPassword: 'Temp1Password', MessageAction: 'SUPPRESS' });
    clock.advance(3 * 86400_000);
    expect((await rejectionOf(srpSignIn(pool, EMAIL, 'Temp1Password'))).message).toBe(temporaryPasswordExpired().message);
  });

  it('AdminCreateUser without MessageAction logs the invitation; rejects duplicates and weak passwords', async () => {
    const logger = memoryLogger();
    const logged = await createUserPool({ description: chatPoolDescription(), issuerBaseUrl: 'http://127.0.0.1:9229', logger });
    await logged.call('AdminCreateUser', { UserPoolId: POOL_ID, Username: EMAIL });
    expect(logger.lines.some((l) => l.startsWith(`temporary password for ${EMAIL}: `))).toBe(true);
    expect((await rejectionOf(logged.call('AdminCreateUser', { UserPoolId: POOL_ID, Username: EMAIL }))).name).toBe('UsernameExistsException');
    const weak = await rejectionOf(logged.call('AdminCreateUser', { UserPoolId: POOL_ID, Username: 'x@example.com', TemporaryPassword: 'short' }));
    expect(weak).toMatchObject({ name: 'InvalidPasswordException', message: invalidPassword('admin', PASSWORD_POLICY_FAILURES.tooShort).message });
    expect((await rejectionOf(logged.call('AdminGetUser', { UserPoolId: 'us-east-1_Wrong', Username: EMAIL }))).name).toBe('ResourceNotFoundException');
  });

  it('AdminSetUserPassword Permanent, AdminGetUser, AdminDeleteUser', async () => {
    await pool.call('AdminCreateUser', { UserPoolId: POOL_ID, Username: EMAIL, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email_verified', Value: 'true' }] });
    await pool.call('AdminSetUserPassword', { UserPoolId: POOL_ID, Username: EMAIL, Password: PASSWORD, Permanent: true });
    const got = await pool.call('AdminGetUser', { UserPoolId: POOL_ID, Username: EMAIL });
    expect(got).toMatchObject({ UserStatus: 'CONFIRMED', Enabled: true, Username: pool.getUser(EMAIL)?.username });
    expect(got.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'email', Value: EMAIL }, { Name: 'email_verified', Value: 'true' }]));
    expect((await srpSignIn(pool, EMAIL, PASSWORD)).AuthenticationResult).toBeDefined();
    await pool.call('AdminDeleteUser', { UserPoolId: POOL_ID, Username: EMAIL });
    expect(await rejectionOf(pool.call('AdminGetUser', { UserPoolId: POOL_ID, Username: EMAIL }))).toMatchObject({ name: 'UserNotFoundException', message: userDoesNotExist().message });
  });

  it('ListUsers filters on email (exact, case-insensitive), sub and prefixes; pages', async () => {
    const a = await createConfirmedUser(pool, 'alice@example.com', PASSWORD);
    await createConfirmedUser(pool, 'alan@example.com', PASSWORD);
    await createConfirmedUser(pool, 'bob@example.org', PASSWORD);
    const list = async (Filter?: string, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> =>
      pool.call('ListUsers', { UserPoolId: POOL_ID, ...(Filter === undefined ? {} : { Filter }), ...extra });
    const emails = (out: Record<string, unknown>): string[] =>
      (out.Users as { Attributes: { Name: string; Value: string }[] }[]).map((u) => u.Attributes.find((x) => x.Name === 'email')?.Value as string);

    expect(emails(await list('email = "ALICE@example.com"'))).toEqual(['alice@example.com']);
    expect(emails(await list(`sub = "${a}"`))).toEqual(['alice@example.com']);
    expect(emails(await list('email ^= "al"'))).toEqual(['alice@example.com', 'alan@example.com']);
    expect(emails(await list('cognito:user_status = "CONFIRMED"'))).toHaveLength(3);
    expect((await rejectionOf(list('custom:role = "x"'))).name).toBe('InvalidParameterException');
    const first = await list(undefined, { Limit: 2 });
    expect(emails(first)).toHaveLength(2);
    const second = await list(undefined, { Limit: 2, PaginationToken: first.PaginationToken });
    expect(emails(second)).toEqual(['bob@example.org']);
    expect(second.PaginationToken).toBeUndefined();
  });
});

describe('user self-service with the access token', () => {
  it('UpdateUserAttributes changes preferred_username at once; a new e-mail waits for its code', async () => {
    await createConfirmedUser(pool, EMAIL, PASSWORD);
    await createConfirmedUser(pool, 'taken@example.com', PASSWORD);
    const { AccessToken } = await signInTokens(pool, EMAIL, PASSWORD);

    expect(await pool.call('UpdateUserAttributes', { AccessToken, UserAttributes: [{ Name: 'preferred_username', Value: 'bl' }] })).toEqual({});
    const taken = await rejectionOf(pool.call('UpdateUserAttributes', { AccessToken, UserAttributes: [{ Name: 'email', Value: 'taken@example.com' }] }));
    expect(taken.name).toBe('AliasExistsException');
    const sub = await rejectionOf(pool.call('UpdateUserAttributes', { AccessToken, UserAttributes: [{ Name: 'sub', Value: 'x' }] }));
    expect(sub.message).toBe(unauthorizedAttributeWrite().message);

    const out = await pool.call('UpdateUserAttributes', { AccessToken, UserAttributes: [{ Name: 'email', Value: 'new@example.com' }] });
    expect(out.CodeDeliveryDetailsList).toEqual([{ Destination: 'n***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' }]);
    expect(pool.getUser(EMAIL)?.attributes.email).toBe(EMAIL);
    await pool.call('VerifyUserAttribute', { AccessToken, AttributeName: 'email', Code: pool.lastCodeFor('new@example.com') });
    const me = await pool.call('GetUser', { AccessToken });
    expect(me.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'email', Value: 'new@example.com' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'preferred_username', Value: 'bl' },
      ]),
    );
  });

  it('DeleteUser removes the user and kills its tokens; an ID token is not an access token', async () => {
    await createConfirmedUser(pool, EMAIL, PASSWORD);
    const tokens = await signInTokens(pool, EMAIL, PASSWORD);
    expect((await rejectionOf(pool.call('GetUser', { AccessToken: tokens.IdToken }))).message).toBe(invalidAccessToken().message);
    await pool.call('DeleteUser', { AccessToken: tokens.AccessToken });
    expect(pool.getUser(EMAIL)).toBeUndefined();
    expect((await rejectionOf(pool.verifyUserPoolToken(tokens.IdToken))).reason).toBe('user_not_found');
    // The e-mail can be registered again, as a new user with a new sub.
    await expect(pool.call('SignUp', { ClientId: CLIENT_ID, Username: EMAIL, Password: PASSWORD })).resolves.toHaveProperty('UserSub');
  });

  it('ForgotPassword needs a verified e-mail and refuses FORCE_CHANGE_PASSWORD users', async () => {
    await pool.call('SignUp', { ClientId: CLIENT_ID, Username: EMAIL, Password: PASSWORD });
    const unverified = await rejectionOf(pool.call('ForgotPassword', { ClientId: CLIENT_ID, Username: EMAIL }));
    expect(unverified.message).toBe(noVerifiedContactToReset().message);
    await pool.call('AdminCreateUser', { UserPoolId: POOL_ID, Username: 'temp@example.com', MessageAction: 'SUPPRESS' });
    const forced = await rejectionOf(pool.call('ForgotPassword', { ClientId: CLIENT_ID, Username: 'temp@example.com' }));
    expect(forced.message).toBe(passwordCannotBeReset().message);
  });
});
