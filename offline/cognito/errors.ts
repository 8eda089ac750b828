/**
 * Errors of the emulated Cognito Identity Provider API.
 *
 * Cognito speaks the AWS JSON 1.1 protocol: a failure is HTTP 400 (500 for service faults) with body
 * `{"__type":"<Code>","message":"<text>"}` and the code repeated in the `x-amzn-ErrorType` header. The client
 * (aws-amplify's `parseJsonError`) reads the header first, then `__type`, and surfaces it as `error.name`.
 */

export type CognitoErrorCode =
  | 'AliasExistsException'
  | 'CodeMismatchException'
  | 'ExpiredCodeException'
  | 'InternalErrorException'
  | 'InvalidLambdaResponseException'
  | 'InvalidParameterException'
  | 'InvalidPasswordException'
  | 'LimitExceededException'
  | 'MissingAuthenticationTokenException'
  | 'NotAuthorizedException'
  | 'PasswordResetRequiredException'
  | 'ResourceNotFoundException'
  | 'SerializationException'
  | 'UnexpectedLambdaException'
  | 'UnknownOperationException'
  | 'UnsupportedOperationException'
  | 'UserLambdaValidationException'
  | 'UserNotConfirmedException'
  | 'UserNotFoundException'
  | 'UsernameExistsException';

/** A failure the API reports to its caller in AWS's error shape. */
export class CognitoError extends Error {
  readonly code: CognitoErrorCode;
  readonly statusCode: number;

  constructor(code: CognitoErrorCode, message: string, statusCode = 400) {
    super(message);
    this.name = code;
    this.code = code;
    this.statusCode = statusCode;
  }

  /** The JSON body AWS sends. */
  toJSON(): { __type: string; message: string } {
    return { __type: this.code, message: this.message };
  }
}

/** Cognito's message for a wrong password *and* an unknown user (no user enumeration). */
export const INCORRECT_CREDENTIALS = 'Incorrect username or password.';

export const incorrectCredentials = (): CognitoError =>
  new CognitoError('NotAuthorizedException', INCORRECT_CREDENTIALS);

/**
 * The AWS JSON protocol's input validation message, e.g.
 * `1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null`.
 */
export function validationError(member: string, constraint: string, value: string | null = null): CognitoError {
  const shown = value === null ? 'null' : `'${value}'`;
  return new CognitoError(
    'InvalidParameterException',
    `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

/** Why a token was rejected by {@link verifyUserPoolToken}; each case is distinct so tests can pin it. */
export type TokenRejectionReason =
  | 'malformed'
  | 'alg_none'
  | 'alg_not_allowed'
  | 'unknown_kid'
  | 'bad_signature'
  | 'wrong_issuer'
  | 'wrong_token_use'
  | 'wrong_audience'
  | 'expired'
  | 'not_yet_valid'
  | 'invalid_claims'
  | 'refresh_token_presented'
  | 'user_not_found'
  | 'user_disabled'
  | 'token_revoked';

/** A user-pool JWT that must not be accepted. */
export class TokenVerificationError extends Error {
  readonly reason: TokenRejectionReason;

  constructor(reason: TokenRejectionReason, message: string) {
    super(message);
    this.name = 'TokenVerificationError';
    this.reason = reason;
  }
}

/**
 * Thrown by an `invokeTrigger` implementation to say *how* the Lambda failed. A plain `Error` counts as
 * `function-error` (the handler threw), which Cognito reports as `UserLambdaValidationException`; timeouts,
 * crashes and unparsable results are `unexpected` (`UnexpectedLambdaException`).
 */
export class TriggerInvocationError extends Error {
  readonly kind: 'function-error' | 'unexpected';

  constructor(kind: 'function-error' | 'unexpected', message: string) {
    super(message);
    this.name = 'TriggerInvocationError';
    this.kind = kind;
  }
}

// ---------------------------------------------------------------------------------------------
// Cognito's error texts that more than one operation answers with.
// ---------------------------------------------------------------------------------------------

/** Admin APIs, refresh and access-token checks, and sign-in without `PreventUserExistenceErrors`. */
export const userDoesNotExist = (): CognitoError => new CognitoError('UserNotFoundException', 'User does not exist.');

export const userDisabled = (): CognitoError => new CognitoError('NotAuthorizedException', 'User is disabled.');

export const passwordResetRequired = (): CognitoError => new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');

/** A wrong, unknown or used-up confirmation or verification code. */
export const codeMismatch = (): CognitoError => new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');

/** The text Cognito uses when an email is already someone's (alias or, with email as username, the username). */
export const EMAIL_TAKEN = 'An account with the given email already exists.';

export const aliasExists = (): CognitoError => new CognitoError('AliasExistsException', EMAIL_TAKEN);

export const emailAlreadyUsedAsUsername = (): CognitoError => new CognitoError('UsernameExistsException', EMAIL_TAKEN);

/** Public sign-up APIs for an unknown user (they do not say whether the user or the client is wrong). */
export const usernameClientNotFound = (): CognitoError => new CognitoError('UserNotFoundException', 'Username/client id combination not found.');

export const cannotBeConfirmed = (status: string): CognitoError =>
  new CognitoError('NotAuthorizedException', `User cannot be confirmed. Current status is ${status}`);

/** Local: only email verification is emulated. */
export const verificationNotSupported = (attribute: string): CognitoError =>
  new CognitoError('InvalidParameterException', `Verification of ${attribute} is not supported offline.`);
