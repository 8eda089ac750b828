/**
 * The Cognito Identity Provider operations this emulator serves, by `X-Amz-Target` operation name
 * (`AWSCognitoIdentityProviderService.<Operation>`). Everything else is `UnknownOperationException`.
 */
import type { Input } from './input.js';
import * as admin from './ops-admin.js';
import * as auth from './ops-auth.js';
import * as signup from './ops-signup.js';
import * as user from './ops-user.js';
import type { CallContext, UserPool } from './pool.js';

export type Operation = (pool: UserPool, input: Input, ctx: CallContext) => Promise<Record<string, unknown>>;

export const operations: Record<string, Operation> = {
  // Used by aws-amplify/auth v6 and the Authenticator.
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
