/**
 * The dispatcher: the Cognito Identity Provider operations this emulator serves, by `X-Amz-Target` operation
 * name (`AWSCognitoIdentityProviderService.<Operation>`), and `dispatch`, which runs one of them against a
 * pool's state. Everything else is `UnknownOperationException`.
 */
import type { CallContext, PoolContext } from './context.js';
import { missingAuthenticationToken, unknownOperation } from '../errors.js';
import { asInput, type Input } from './input.js';
import * as admin from './ops-admin.js';
import * as auth from './ops-auth.js';
import * as signup from './ops-signup.js';
import * as user from './ops-user.js';

export type Operation = (pool: PoolContext, input: Input, ctx: CallContext) => Promise<Record<string, unknown>>;

export const operations: Record<string, Operation> = {
  // Used by aws-amplify/auth v6 (and so by Amplify UI's Authenticator).
  SignUp: signup.signUp,
  ConfirmSignUp: signup.confirmSignUp,
  ResendConfirmationCode: signup.resendConfirmationCode,
  ForgotPassword: signup.forgotPassword,
  ConfirmForgotPassword: signup.confirmForgotPassword,
  InitiateAuth: auth.initiateAuth,
  RespondToAuthChallenge: auth.respondToAuthChallenge,
  GetTokensFromRefreshToken: auth.getTokensFromRefreshToken,
  RevokeToken: auth.revokeToken,
  GlobalSignOut: auth.globalSignOut,
  GetUser: user.getUser,
  UpdateUserAttributes: user.updateUserAttributes,
  GetUserAttributeVerificationCode: user.getUserAttributeVerificationCode,
  VerifyUserAttribute: user.verifyUserAttribute,
  ChangePassword: user.changePassword,
  DeleteUser: user.deleteUser,
  // Administrative (IAM-authorized in AWS).
  AdminCreateUser: admin.adminCreateUser,
  AdminSetUserPassword: admin.adminSetUserPassword,
  AdminGetUser: admin.adminGetUser,
  AdminDeleteUser: admin.adminDeleteUser,
  AdminDisableUser: admin.adminDisableUser,
  AdminEnableUser: admin.adminEnableUser,
  AdminConfirmSignUp: admin.adminConfirmSignUp,
  AdminUserGlobalSignOut: admin.adminUserGlobalSignOut,
  AdminUpdateUserAttributes: admin.adminUpdateUserAttributes,
  AdminInitiateAuth: auth.adminInitiateAuth,
  AdminRespondToAuthChallenge: auth.adminRespondToAuthChallenge,
  ListUsers: admin.listUsers,
};

/** Operations that AWS authorizes with IAM (SigV4) rather than with a client id or an access token. */
export const ADMIN_OPERATIONS: ReadonlySet<string> = new Set(Object.keys(operations).filter((op) => op.startsWith('Admin') || op === 'ListUsers'));

/** Runs one operation, e.g. `dispatch(pool, 'SignUp', {ClientId, Username, Password})`. Throws CognitoError. */
export async function dispatch(pool: PoolContext, operation: string, input: unknown, ctx: CallContext = {}): Promise<Record<string, unknown>> {
  const handler = Object.prototype.hasOwnProperty.call(operations, operation) ? operations[operation] : undefined;
  if (handler === undefined) throw unknownOperation(operation);
  if (ADMIN_OPERATIONS.has(operation) && ctx.signed === false) {
    // Admin APIs are IAM-authorized (SigV4); an unsigned request never reaches Cognito.
    throw missingAuthenticationToken();
  }
  return handler(pool, asInput(input), ctx);
}
