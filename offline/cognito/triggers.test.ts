/** PostConfirmation: the event Cognito sends, and what a failing trigger does to the caller and the user. */
import { describe, expect, it } from 'vitest';
import { cannotBeConfirmed, TriggerInvocationError, unrecognizableLambdaOutput, userLambdaValidation } from '../errors.js';
import { createUserPool, type UserPool } from './pool.js';
import { CLIENT_ID, chatPoolDescription, memoryLogger, POOL_ID, rejectionOf } from '../../tests/helpers/cognito-pool.js';
import { awsSdkVersionFrom, type CognitoTriggerEvent, type InvokeTrigger } from './triggers.js';

const EMAIL = 'katherine@example.com';
const PASSWORD = 'Orbital1Mechanics';

async function poolWith(invokeTrigger: InvokeTrigger): Promise<UserPool> {
  return createUserPool({
    description: chatPoolDescription({ triggers: { PostConfirmation: 'post-confirmation' } }),
    issuerBaseUrl: 'http://127.0.0.1:9229',
    logger: memoryLogger(),
    invokeTrigger,
  });
}

async function signUp(pool: UserPool): Promise<string> {
  const out = await pool.call('SignUp', {
    ClientId: CLIENT_ID,
    Username: EMAIL,
    Password: PASSWORD,
    UserAttributes: [
      { Name: 'email', Value: EMAIL },
      { Name: 'preferred_username', Value: 'kj' },
    ],
  });
  return out.UserSub as string;
}

describe('PostConfirmation trigger', () => {
  it('receives the documented ConfirmSignUp event, with ClientMetadata and the caller SDK version', async () => {
    const events: CognitoTriggerEvent[] = [];
    const pool = await poolWith(async (_name, event) => {
      events.push(structuredClone(event));
      return event;
    });
    const sub = await signUp(pool);
    await pool.call(
      'ConfirmSignUp',
      { ClientId: CLIENT_ID, Username: EMAIL, ConfirmationCode: pool.lastCodeFor(EMAIL), ClientMetadata: { source: 'test' } },
      { userAgent: 'aws-sdk-js/3.600.0 os/linux' },
    );
    expect(events).toEqual([
      {
        version: '1',
        region: 'us-east-1',
        userPoolId: POOL_ID,
        userName: sub,
        callerContext: { awsSdkVersion: 'aws-sdk-js-3.600.0', clientId: CLIENT_ID },
        triggerSource: 'PostConfirmation_ConfirmSignUp',
        request: {
          userAttributes: { sub, email: EMAIL, email_verified: 'true', preferred_username: 'kj', 'cognito:user_status': 'CONFIRMED' },
          clientMetadata: { source: 'test' },
        },
        response: {},
      },
    ]);
  });

  it('AdminConfirmSignUp fires it with CLIENT_ID_NOT_APPLICABLE and leaves the e-mail unverified', async () => {
    const events: CognitoTriggerEvent[] = [];
    const pool = await poolWith(async (_name, event) => {
      events.push(structuredClone(event));
      return event;
    });
    await signUp(pool);
    await pool.call('AdminConfirmSignUp', { UserPoolId: POOL_ID, Username: EMAIL });
    expect(events[0]?.callerContext.clientId).toBe('CLIENT_ID_NOT_APPLICABLE');
    expect(events[0]?.triggerSource).toBe('PostConfirmation_ConfirmSignUp');
    expect(events[0]?.request.userAttributes.email_verified).toBeUndefined();
    expect(events[0]?.callerContext.awsSdkVersion).toBe('aws-sdk-unknown-unknown');
  });

  it('a throwing trigger fails the call with UserLambdaValidationException, but the user stays confirmed (as in Cognito)', async () => {
    const pool = await poolWith(async () => {
      throw new Error('profile table unavailable');
    });
    await signUp(pool);
    const error = await rejectionOf(pool.call('ConfirmSignUp', { ClientId: CLIENT_ID, Username: EMAIL, ConfirmationCode: pool.lastCodeFor(EMAIL) }));
    expect(error).toMatchObject({ name: 'UserLambdaValidationException', message: userLambdaValidation('PostConfirmation', 'profile table unavailable').message });
    expect(pool.getUser(EMAIL)?.status).toBe('CONFIRMED');
    // Retrying the confirmation cannot re-run the trigger.
    const retry = await rejectionOf(pool.call('ConfirmSignUp', { ClientId: CLIENT_ID, Username: EMAIL, ConfirmationCode: '123456' }));
    expect(retry).toMatchObject({ name: 'NotAuthorizedException', message: cannotBeConfirmed('CONFIRMED').message });
  });

  it('a timeout/crash is UnexpectedLambdaException; a missing return value is InvalidLambdaResponseException', async () => {
    const crashing = await poolWith(async () => {
      throw new TriggerInvocationError('unexpected', 'Task timed out after 5.00 seconds');
    });
    await signUp(crashing);
    const crash = await rejectionOf(crashing.call('ConfirmSignUp', { ClientId: CLIENT_ID, Username: EMAIL, ConfirmationCode: crashing.lastCodeFor(EMAIL) }));
    expect(crash.name).toBe('UnexpectedLambdaException');

    const silent = await poolWith(async () => undefined);
    await signUp(silent);
    const none = await rejectionOf(silent.call('ConfirmSignUp', { ClientId: CLIENT_ID, Username: EMAIL, ConfirmationCode: silent.lastCodeFor(EMAIL) }));
    expect(none).toMatchObject({ name: 'InvalidLambdaResponseException', message: unrecognizableLambdaOutput().message });
  });

  it('refuses to create a pool whose triggers cannot run', async () => {
    await expect(
      createUserPool({ description: chatPoolDescription({ triggers: { PreSignUp: 'gate' } }), invokeTrigger: async (_n, e) => e, logger: memoryLogger() }),
    ).rejects.toThrow(/PreSignUp are not emulated/);
    await expect(createUserPool({ description: chatPoolDescription({ triggers: { PostConfirmation: 'f' } }), logger: memoryLogger() })).rejects.toThrow(
      /no invokeTrigger/,
    );
  });

  it('derives awsSdkVersion from the user agent', () => {
    expect(awsSdkVersionFrom('aws-amplify/6.22.1 auth/1 framework/0')).toBe('aws-sdk-unknown-unknown');
    expect(awsSdkVersionFrom('aws-sdk-js/3.1169.0 ua/2.1')).toBe('aws-sdk-js-3.1169.0');
  });
});
