/**
 * Compatibility path for offline/cognito/index.ts, which re-exports these names from here: the texts and shapes live
 * in the sandbox's one error catalogue, offline/errors.ts. Nothing else imports this module.
 */
export { CognitoError, TokenVerificationError, TriggerInvocationError, type TokenRejectionReason } from '../errors.js';
