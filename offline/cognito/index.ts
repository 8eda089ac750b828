/**
 * Offline Amazon Cognito user pool: the Identity Provider JSON API (enough for aws-amplify v6, which the app's
 * sign-in screens and Amplify UI's Authenticator use, plus admin operations), RS256 tokens with a JWKS, a verifier for the AppSync emulator and the
 * PostConfirmation trigger. See README.md.
 */
export { cognitoService, type CognitoApi, type CognitoServiceOptions } from './service.js';
export { createUserPool, UserPool, type UserPoolOptions, type CallContext, type Logger } from './pool.js';
export { startCognitoServer, createCognitoHandler, type RunningCognitoServer, type StartCognitoServerOptions } from './server.js';
export { identityFromClaims, type CognitoUserPoolIdentity, type UserPoolClaims, type VerifyOptions } from './verify.js';
export { CognitoError, TokenVerificationError, TriggerInvocationError, type TokenRejectionReason } from '../errors.js';
export type { CognitoTriggerEvent, InvokeTrigger } from './triggers.js';
export type { StoredUser, UserStatus } from './store.js';
export { srpSignIn, type SrpSignInOptions } from './srp-sign-in.js';
