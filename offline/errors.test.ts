/**
 * The catalogue's texts, spelled out literally: the other tests import them from errors.ts, so a typo in the
 * catalogue would change the wire answer and those tests alike; this one still fails. Each text is the one AppSync,
 * Cognito or the AWS endpoints answer with (or the sandbox's own, where errors.ts says "local").
 */
import { describe, expect, it } from 'vitest';
import * as errors from './errors';

describe('the error catalogue: AppSync', () => {
  it('authorization', () => {
    expect(errors.UNAUTHORIZED_HEADER).toEqual({ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' });
    expect(errors.UNAUTHORIZED_REQUEST).toEqual({ status: 401, errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' });
    expect(errors.errorBody(errors.UNAUTHORIZED_REQUEST)).toBe('{"errors":[{"errorType":"UnauthorizedException","message":"Valid authorization header not provided."}]}');
    expect(errors.unauthorizedConnection()).toEqual({ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.', errorCode: 401 });
    expect(errors.connectionRefused('why')).toEqual({ errorType: 'UnauthorizedException', message: 'why', errorCode: 401 });
    expect(errors.notAuthorizedToAccess('body', 'Message')).toEqual({ errorType: 'Unauthorized', message: 'Not Authorized to access body on type Message' });
  });

  it('internal failures', () => {
    expect(errors.internalFailure()).toEqual({ errorType: 'InternalFailure', message: 'An internal failure occurred.' });
    expect(errors.connectionInternalFailure()).toEqual({ errorType: 'InternalFailure', message: 'An internal failure occurred.', errorCode: 500 });
    expect(errors.INTERNAL).toEqual({ status: 500, errorType: 'InternalFailure', message: 'An internal failure occurred in the offline AppSync emulator; see its log.' });
    expect(errors.subscriptionResolverFailed('boom')).toEqual({ errorType: 'InternalFailure', message: 'Subscription resolver failed: boom' });
  });

  it('whole-request refusals of the HTTP endpoint', () => {
    expect(errors.EMPTY_BODY).toEqual({ status: 400, errorType: 'MalformedHttpRequestException', message: 'Request body is empty.' });
    expect(errors.UNPARSABLE).toEqual({ status: 400, errorType: 'MalformedHttpRequestException', message: 'Unable to parse GraphQL query.' });
    expect(errors.TOO_LARGE(10)).toEqual({ status: 413, errorType: 'PayloadTooLargeException', message: 'Request body exceeds the 10 byte limit of the offline sandbox.' });
    expect(errors.METHOD_NOT_ALLOWED).toEqual({ status: 405, errorType: 'MethodNotAllowedException', message: 'Only POST is supported on /graphql (GraphQL over GET is not emulated).' });
    expect(errors.NOT_FOUND).toEqual({ status: 404, errorType: 'NotFoundException', message: 'Not found. The GraphQL endpoint is POST /graphql.' });
  });

  it('GraphQL execution', () => {
    expect(errors.SUBSCRIPTION_OVER_HTTP).toBe('Subscription request is only supported in realtime url');
    expect(errors.queryDepthLimitReached(3)).toEqual({ errorType: 'QueryDepthLimitReached', message: 'Query depth limit of 3 reached' });
    expect(errors.resolverExecutionLimitReached(4)).toEqual({ errorType: 'ResolverExecutionLimitReached', message: 'Resolver execution limit of 4 reached' });
    expect(errors.tooManyInvalidations(5)).toEqual({ errorType: 'InvalidationError', message: 'At most 5 invalidateSubscriptions calls are allowed per request' });
    expect(errors.INVALIDATION_WITHOUT_FIELD).toEqual({ errorType: 'InvalidationError', message: 'invalidateSubscriptions expects {subscriptionField, payload}' });
    expect(errors.invalidSubscriptionFilter('subscription filter', 'x')).toEqual({ errorType: 'SubscriptionFilterError', message: 'Invalid subscription filter: x' });
  });

  it('real-time frames', () => {
    expect(errors.subProtocolNotSupported()).toEqual({ message: 'SubProtocolNotSupportedError', errorCode: 400 });
    expect(errors.duplicatedOperation('s1')).toEqual({ errorType: 'DuplicatedOperationError', message: 'Duplicated operation with id s1' });
    expect(errors.maxSubscriptionsReached(100)).toEqual({ errorType: 'MaxSubscriptionsReachedError', message: 'Max number of 100 subscriptions reached' });
    expect(errors.unsupportedOperation('unknown')).toEqual({ errorType: 'UnsupportedOperation', message: 'unknown not supported through the realtime channel' });
    expect(errors.notASubscription('query')).toEqual({ errorType: 'UnsupportedOperation', message: 'Only subscription operations are served on the real-time endpoint, not query.' });
    expect(errors.subscriptionFieldUndefined('onX')).toEqual({ message: "Validation error of type FieldUndefined: Field 'onX' in type 'Subscription' is undefined" });
    expect(errors.badRequest('m')).toEqual({ errorType: 'BadRequestException', message: 'm' });
    expect(errors.BINARY_FRAME_TEXT).toBe('Binary frames are not supported; send JSON text');
    expect(errors.START_BEFORE_ACK_TEXT).toBe('connection_init must be acknowledged before start');
  });
});

/** A Cognito error as the JSON 1.1 protocol sends it: code, HTTP status and body. */
function wire(error: errors.CognitoError): { code: string; statusCode: number; body: { __type: string; message: string } } {
  return { code: error.code, statusCode: error.statusCode, body: error.toJSON() };
}

describe('the error catalogue: Cognito', () => {
  it('the error shape', () => {
    const error = new errors.CognitoError('LimitExceededException', 'm');
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.message]).toEqual(['LimitExceededException', 'm']);
    expect(wire(error)).toEqual({ code: 'LimitExceededException', statusCode: 400, body: { __type: 'LimitExceededException', message: 'm' } });
    expect(new errors.CognitoError('InternalErrorException', 'm', 500).statusCode).toBe(500);
    expect(new errors.TokenVerificationError('expired', 'm')).toMatchObject({ name: 'TokenVerificationError', reason: 'expired', message: 'm' });
    expect(new errors.TriggerInvocationError('unexpected', 'm')).toMatchObject({ name: 'TriggerInvocationError', kind: 'unexpected', message: 'm' });
  });

  it('texts several operations answer with', () => {
    expect(errors.INCORRECT_CREDENTIALS).toBe('Incorrect username or password.');
    expect(wire(errors.incorrectCredentials()).body).toEqual({ __type: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    expect(wire(errors.validationError('clientId', 'Member must not be null')).body).toEqual({
      __type: 'InvalidParameterException',
      message: "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null",
    });
    expect(errors.validationError('username', 'c', 'x y').message).toBe("1 validation error detected: Value 'x y' at 'username' failed to satisfy constraint: c");
    expect(wire(errors.userDoesNotExist()).body).toEqual({ __type: 'UserNotFoundException', message: 'User does not exist.' });
    expect(wire(errors.userDisabled()).body).toEqual({ __type: 'NotAuthorizedException', message: 'User is disabled.' });
    expect(wire(errors.passwordResetRequired()).body).toEqual({ __type: 'PasswordResetRequiredException', message: 'Password reset required for the user' });
    expect(wire(errors.codeMismatch()).body).toEqual({ __type: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' });
    expect(errors.EMAIL_TAKEN).toBe('An account with the given email already exists.');
    expect(wire(errors.aliasExists()).body).toEqual({ __type: 'AliasExistsException', message: 'An account with the given email already exists.' });
    expect(wire(errors.emailAlreadyUsedAsUsername()).body).toEqual({ __type: 'UsernameExistsException', message: 'An account with the given email already exists.' });
    expect(wire(errors.usernameClientNotFound()).body).toEqual({ __type: 'UserNotFoundException', message: 'Username/client id combination not found.' });
    expect(wire(errors.cannotBeConfirmed('CONFIRMED')).body).toEqual({ __type: 'NotAuthorizedException', message: 'User cannot be confirmed. Current status is CONFIRMED' });
    expect(wire(errors.verificationNotSupported('phone_number')).body).toEqual({ __type: 'InvalidParameterException', message: 'Verification of phone_number is not supported offline.' });
  });
});
