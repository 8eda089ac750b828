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

  it('resolvers: mapping templates, APPSYNC_JS code and pipelines', () => {
    const mappingTemplate = (message: string) => ({ errorType: 'MappingTemplate', message });
    expect(errors.MAPPING_TEMPLATE).toBe('MappingTemplate');
    expect(errors.VTL.unparsable('Lexical error')).toEqual(mappingTemplate('Unable to parse the mapping template: Lexical error'));
    expect(errors.VTL.unsupportedDirective('macro')).toEqual(mappingTemplate('Unsupported directive #macro'));
    expect(errors.VTL.unsupportedOperator('^')).toEqual(mappingTemplate('Unsupported operator ^'));
    expect(errors.VTL.methodFailed('substring', 'begin 2, end 1, length 3')).toEqual(mappingTemplate("Error invoking method 'substring': begin 2, end 1, length 3"));
    expect(errors.VTL.renderFailed('boom')).toEqual(mappingTemplate('Error rendering the mapping template: boom'));
    expect(errors.VTL.renderedNotJson('Unexpected token', '{x')).toEqual(mappingTemplate("Unable to parse the JSON document: 'Unexpected token' in the rendered template: {x"));
    expect(errors.PIPELINE.noMappingTemplate('Query.getX', 'request')).toEqual(mappingTemplate('Query.getX has no request mapping template'));
    expect(errors.PIPELINE.unknownDataSource('Query.getX', 'Ds')).toEqual(mappingTemplate('Query.getX: unknown data source Ds'));
    expect(errors.PIPELINE.unknownFunction('Query.getX', 'F1')).toEqual(mappingTemplate('Query.getX: unknown pipeline function F1'));
    expect(errors.CODE_ERROR_TYPE).toBe('Code');
    expect(errors.UNKNOWN_FAULT_MESSAGE).toBe('Unknown error');
  });

  it('resolvers: the DynamoDB data source', () => {
    const shape = (error: errors.DataSourceError) => ({ name: error.name, type: error.type, message: error.message, data: error.data });
    expect(shape(errors.mappingTemplateError('m'))).toEqual({ name: 'DataSourceError', type: 'MappingTemplate', message: 'm', data: undefined });
    expect(errors.appSyncMessage('m')).toBe('m (Service: DynamoDb, Status Code: 400, Request ID: null)');
    expect(errors.appSyncMessage('m', 500)).toBe('m (Service: DynamoDb, Status Code: 500, Request ID: null)');
    expect(shape(errors.invalidPaginationTokenError())).toEqual({
      name: 'DataSourceError',
      type: 'DynamoDB:UserIllegalArgumentException',
      message: 'com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.',
      data: undefined,
    });
    expect(shape(errors.dynamoDbValidationError(errors.transactItemsLength(100)))).toEqual({
      name: 'DataSourceError',
      type: 'DynamoDB:ValidationException',
      message:
        "1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length between 1 and 100 (Service: DynamoDb, Status Code: 400, Request ID: null)",
      data: undefined,
    });
    expect(errors.TRANSACTION_SAME_ITEM_TWICE).toBe('Transaction request cannot include multiple operations on one item');
    expect(errors.CONDITIONAL_REQUEST_FAILED).toBe('The conditional request failed');
    const reasons = [{ type: 'None' }, { type: 'ConditionalCheckFailed' }];
    expect(shape(errors.transactionCancelled(reasons))).toEqual({
      name: 'DataSourceError',
      type: 'DynamoDB:TransactionCanceledException',
      message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed] (Service: DynamoDb, Status Code: 400, Request ID: null)',
      data: { keys: null, cancellationReasons: reasons },
    });
  });

  it('resolvers: the DynamoDB data source request texts', () => {
    const m = errors.DYNAMODB_MAPPING;
    expect(m.requestNotAnObject).toBe('The DynamoDB request must be a JSON object.');
    expect(m.unsupportedVersion('2020')).toBe('Unsupported DynamoDB request version "2020"; expected 2017-02-28 or 2018-05-29.');
    expect(m.noOperation).toBe('The DynamoDB request has no "operation".');
    expect(m.syncNotSupported).toBe('Operation Sync (conflict detection) is not supported by the offline sandbox; Gen 2 model tables do not use it.');
    expect(m.unsupportedOperation('Foo')).toBe('Unsupported DynamoDB operation "Foo".');
    expect(m.batchNeedsTables('BatchGetItem')).toBe('BatchGetItem requires a non-empty "tables" map of table name → entries.');
    expect(m.batchGetNeedsKeys('T')).toBe('BatchGetItem.tables.T must be an object with "keys".');
    expect(m.notAList('BatchPutItem.tables.T')).toBe('BatchPutItem.tables.T must be a list.');
    expect(m.conditionHandlerNotSupported('PutItem', 'Custom')).toBe(
      'PutItem.condition.conditionalCheckFailedHandler strategy "Custom" (a Lambda deciding the outcome) is not supported offline; only Reject.',
    );
    expect(m.needsUpdate('UpdateItem')).toBe('UpdateItem requires an "update" object with an "expression".');
    expect(m.queryNeedsKeyCondition).toBe('Query requires a "query" object with an "expression".');
    expect(m.invalidSelect('Scan', 'X')).toBe('Scan.select "X" is not valid.');
    expect(m.transactNeedsItems('TransactGetItems')).toBe('TransactGetItems requires a "transactItems" list.');
    expect(m.transactItemNeedsTable('TransactGetItems', 2)).toBe('TransactGetItems.transactItems[2] requires a "table".');
    expect(m.transactBadOperation('TransactWriteItems.transactItems[0]')).toBe('TransactWriteItems.transactItems[0].operation must be PutItem, UpdateItem, DeleteItem or ConditionCheck.');
    expect(m.conditionCheckNeedsCondition('W')).toBe('W: a ConditionCheck requires a "condition".');
    expect(m.needsTypedValues('GetItem', 'key')).toBe('GetItem requires a non-empty "key" object of typed values.');
    expect(m.expressionNotAnObject('Scan.filter')).toBe('"Scan.filter" must be an object with an "expression".');
    expect(m.mustBe('Scan.filter.expression', 'a string')).toBe('"Scan.filter.expression" must be a string.');
    expect(m.noExpressionValues('Q.projection')).toBe('"Q.projection" does not take expressionValues.');
    expect(m.definedTwice('name', '#a')).toBe('Expression name #a is defined twice with different values.');
    expect(m.definedTwice('value', ':a')).toBe('Expression value :a is defined twice with different values.');
    expect(m.notANumber('key.n', 'x')).toBe('Expected a number for "N" at key.n, got "x".');
    expect(m.notAStringList('key.ss')).toBe('Expected a list of strings at key.ss.');
    expect(m.notATypedValue('key.id', 1)).toBe('Expected a typed value such as {"S": "..."} at key.id, got 1.');
    expect(m.notOneTypeKey('key.id', { S: 'a', N: '1' })).toBe('A typed value must have exactly one type key at key.id: {"S":"a","N":"1"}.');
    expect(m.wrongTypedValue('a base64 string', 'B', 'key.b')).toBe('Expected a base64 string for "B" at key.b.');
    expect(m.unknownType('X', 'key.id')).toBe('Unknown DynamoDB type "X" at key.id.');
    expect(m.notATypedMap('key')).toBe('Expected a map of typed values at key.');
  });

  it('resolvers: $util.validate, the Lambda data source and the scalars', () => {
    expect(errors.VALIDATE_ERROR_TYPE).toBe('CustomTemplateException');
    expect(errors.LAMBDA_DATA_SOURCE.requestNotAnObject).toEqual({ type: 'MappingTemplate', message: 'The Lambda request must be a JSON object with "operation" and "payload".' });
    expect(errors.LAMBDA_DATA_SOURCE.batchInvokeNotSupported).toEqual({ type: 'MappingTemplate', message: 'Lambda BatchInvoke is not supported by the offline sandbox.' });
    expect(errors.LAMBDA_DATA_SOURCE.unsupportedOperation('X')).toEqual({ type: 'MappingTemplate', message: 'Unsupported Lambda operation "X"; expected Invoke.' });
    expect(errors.LAMBDA_DATA_SOURCE.unhandled('boom')).toEqual({ type: 'Lambda:Unhandled', message: 'boom' });
    expect(errors.SCALAR.invalidValue('AWSEmail', 'x')).toBe('Invalid AWSEmail value: "x"');
    expect(errors.SCALAR.notAStringLiteral('AWSJSON')).toBe('AWSJSON must be a string literal');
    expect(errors.SCALAR.notAnIntLiteral('AWSTimestamp')).toBe('AWSTimestamp must be an integer literal');
  });

  it('resolvers: faults of $util, Java methods and the APPSYNC_JS DynamoDB helpers', () => {
    expect(errors.UTIL_FAULTS.expects('parseJson', 'String', 'Integer')).toBe('parseJson expects a String, got Integer');
    expect(errors.UTIL_FAULTS.expects('list.sortList', 'List', '{}')).toBe('list.sortList expects a List, got {}');
    expect(errors.UTIL_FAULTS.notConvertible('x')).toBe('Unable to convert x to a DynamoDB attribute value');
    expect(errors.UTIL_FAULTS.toMapValuesExpectsMap).toBe('toMapValues expects a Map');
    expect(errors.UTIL_FAULTS.unparsableWithPattern('x', 'yyyy')).toBe("Text 'x' could not be parsed with pattern 'yyyy'");
    expect(errors.UTIL_FAULTS.notIso8601('x')).toBe("Text 'x' could not be parsed as ISO-8601");
    expect(errors.JAVA_FAULTS.notAnInteger('a')).toBe('expected an integer, got a');
    expect(errors.JAVA_FAULTS.indexOutOfBounds(3, 2)).toBe('Index 3 out of bounds for length 2');
    expect(errors.JAVA_FAULTS.substringBounds(2, 1, 3)).toBe('begin 2, end 1, length 3');
    expect(errors.JS_DYNAMODB_FAULTS.invalidExpression('filter')).toBe('Invalid filter object');
    expect(errors.JS_DYNAMODB_FAULTS.notAnObject('tables')).toBe('tables must be an object');
    expect(errors.JS_DYNAMODB_FAULTS.unknownUpdateOperation('x')).toBe('Unknown update operation x');
    expect(errors.JS_DYNAMODB_FAULTS.notAnOperatorObject('id')).toBe('query.id must be an operator object');
    expect(errors.JS_DYNAMODB_FAULTS.unsupportedKeyOperator('ne')).toBe('Unsupported key condition operator ne');
    expect(errors.JS_DYNAMODB_FAULTS.transactWriteItemKind).toBe('transactWrite item needs putItem, updateItem, deleteItem or conditionCheck');
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
    expect(errors.MALFORMED_FRAME).toEqual({
      notJson: 'Message is not valid JSON',
      notAnObject: 'Message must be a JSON object',
      noType: 'Message has no type',
      stopWithoutId: 'stop requires an id',
      startWithoutId: 'start requires an id',
      startWithoutPayload: 'start requires a payload',
      dataNotAString: 'payload.data must be a JSON string',
      dataNotJson: 'payload.data is not valid JSON',
      noQuery: 'payload.data must contain a query string',
      variablesNotAnObject: 'variables must be an object',
    });
    const { slowConsumer, ...reasons } = errors.CLOSE_REASONS;
    expect(reasons).toEqual({
      initTimeout: 'connection_init not received in time',
      tooManyBeforeAck: 'Too many messages before connection_ack',
      noSubprotocol: 'no graphql-ws subprotocol',
      unauthorized: 'unauthorized',
      shuttingDown: 'Server shutting down',
    });
    expect(slowConsumer(1024)).toBe('Slow consumer: more than 1024 bytes unsent');
    expect(errors.UPGRADE_NOT_FOUND).toEqual({ message: 'Not Found' });
  });
});

/** A Cognito error as the JSON 1.1 protocol sends it: code, HTTP status and body. */
function wire(error: errors.CognitoError): { code: string; statusCode: number; body: { __type: string; message: string } } {
  return { code: error.code, statusCode: error.statusCode, body: error.toJSON() };
}

describe('the error catalogue: Cognito identity pools', () => {
  it('GetId and GetCredentialsForIdentity', () => {
    expect(wire(errors.identityPoolNotFound('us-east-1:x'))).toEqual({ code: 'ResourceNotFoundException', statusCode: 400, body: { __type: 'ResourceNotFoundException', message: "IdentityPool 'us-east-1:x' not found." } });
    expect(wire(errors.identityNotFound('us-east-1:y')).body).toEqual({ __type: 'ResourceNotFoundException', message: "Identity 'us-east-1:y' not found." });
    expect(wire(errors.unauthenticatedNotSupported()).body).toEqual({ __type: 'NotAuthorizedException', message: 'Unauthenticated access is not supported for this identity pool.' });
    expect(wire(errors.invalidLoginToken('Token expired.')).body).toEqual({ __type: 'NotAuthorizedException', message: 'Invalid login token. Token expired.' });
    expect(wire(errors.invalidLoginProvider('p')).body).toEqual({ __type: 'NotAuthorizedException', message: "Invalid login token. Issuer doesn't match providerName: p" });
    expect(wire(errors.loginsDoNotMatch()).body).toEqual({ __type: 'NotAuthorizedException', message: "Logins don't match. Please include at least one valid login for this identity or identity pool." });
    expect(wire(errors.identityPoolWithoutRole()).body).toEqual({ __type: 'InvalidIdentityPoolConfigurationException', message: 'Invalid identity pool configuration. Check assigned IAM roles for this pool.' });
    expect(wire(errors.identityOperationNotEmulated('ListIdentities')).body).toEqual({
      __type: 'UnknownOperationException',
      message: 'The identity pool operation ListIdentities is not emulated by the offline sandbox (GetId and GetCredentialsForIdentity are).',
    });
  });
});

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

  it('AWS JSON input validation', () => {
    expect(errors.MUST_NOT_BE_NULL).toBe('Member must not be null');
    expect(errors.minLength(1)).toBe('Member must have length greater than or equal to 1');
    expect(errors.maxLength(256)).toBe('Member must have length less than or equal to 256');
    expect(errors.maxValue(60)).toBe('Member must have value less than or equal to 60');
    expect(errors.matchesPattern(errors.PASSWORD_PATTERN)).toBe('Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$');
    expect(errors.ENUM_VALUE_SET).toBe('Member must satisfy enum value set');
    expect(errors.enumValueSet(['RESEND', 'SUPPRESS'])).toBe('Member must satisfy enum value set: [RESEND, SUPPRESS]');
    expect(errors.validationError('authFlow', errors.ENUM_VALUE_SET, 'X').message).toBe(
      "1 validation error detected: Value 'X' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set",
    );
  });

  it('the JSON endpoint and request decoding', () => {
    expect(wire(errors.notACognitoOperation('GET', '/x'))).toEqual({ code: 'UnknownOperationException', statusCode: 404, body: { __type: 'UnknownOperationException', message: 'GET /x is not a Cognito operation' } });
    expect(errors.COGNITO_NOT_FOUND).toEqual({ message: 'Not Found' });
    expect(wire(errors.requestBodyTooLarge(10)).body).toEqual({ __type: 'InvalidParameterException', message: 'Request body exceeds 10 bytes' });
    expect(wire(errors.unsupportedContentType('text/plain')).body).toEqual({ __type: 'SerializationException', message: 'Unsupported Content-Type text/plain' });
    expect(errors.unsupportedContentType('').message).toBe('Unsupported Content-Type (none)');
    expect(wire(errors.missingTarget()).body).toEqual({ __type: 'UnknownOperationException', message: 'Missing or unknown X-Amz-Target' });
    expect(wire(errors.malformedJsonBody()).body).toEqual({ __type: 'SerializationException', message: 'Malformed JSON request body' });
    expect(wire(errors.internalError())).toEqual({ code: 'InternalErrorException', statusCode: 500, body: { __type: 'InternalErrorException', message: 'Internal server error.' } });
    expect(wire(errors.unknownOperation('Foo')).body).toEqual({ __type: 'UnknownOperationException', message: 'Unknown operation Foo' });
    expect(wire(errors.missingAuthenticationToken()).body).toEqual({ __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
    expect(wire(errors.notAStructure()).body).toEqual({ __type: 'SerializationException', message: 'Start of structure or map found where not expected.' });
    expect(wire(errors.wrongJsonType('list of strings', 'clientMetadata')).body).toEqual({ __type: 'SerializationException', message: 'Expected list of strings for clientMetadata' });
    expect(wire(errors.nonStringMapValue('clientMetadata')).body).toEqual({ __type: 'SerializationException', message: 'Expected string values in clientMetadata' });
    expect(wire(errors.missingRequiredParameter('USERNAME')).body).toEqual({ __type: 'InvalidParameterException', message: 'Missing required parameter USERNAME' });
  });

  it('pools, clients, tokens and sessions', () => {
    expect(wire(errors.userPoolClientNotFound('c1')).body).toEqual({ __type: 'ResourceNotFoundException', message: 'User pool client c1 does not exist.' });
    expect(wire(errors.userPoolNotFound('p1')).body).toEqual({ __type: 'ResourceNotFoundException', message: 'User pool p1 does not exist.' });
    const notAuthorized = (message: string) => ({ __type: 'NotAuthorizedException', message });
    expect(wire(errors.invalidRefreshToken()).body).toEqual(notAuthorized('Invalid Refresh Token'));
    expect(wire(errors.refreshTokenRevoked()).body).toEqual(notAuthorized('Refresh Token has been revoked'));
    expect(wire(errors.refreshTokenExpired()).body).toEqual(notAuthorized('Refresh Token has expired'));
    expect(wire(errors.invalidAccessToken()).body).toEqual(notAuthorized('Invalid Access Token'));
    expect(wire(errors.accessTokenExpired()).body).toEqual(notAuthorized('Access Token has expired'));
    expect(wire(errors.accessTokenRevoked()).body).toEqual(notAuthorized('Access Token has been revoked'));
    expect(wire(errors.accessTokenLacksScopes()).body).toEqual(notAuthorized('Access Token does not have required scopes'));
    expect(wire(errors.sessionExpired()).body).toEqual(notAuthorized('Invalid session for the user, session is expired.'));
  });

  it('sign-in', () => {
    expect(wire(errors.flowNotEnabled('USER_PASSWORD_AUTH')).body).toEqual({ __type: 'InvalidParameterException', message: 'USER_PASSWORD_AUTH flow not enabled for this client' });
    expect(wire(errors.customAuthNotConfigured()).body).toEqual({ __type: 'InvalidParameterException', message: 'Custom auth lambda trigger is not configured for the user pool.' });
    expect(wire(errors.userAuthNotEmulated()).body).toEqual({ __type: 'UnsupportedOperationException', message: 'USER_AUTH (choice-based sign-in) is not emulated offline.' });
    expect(wire(errors.srpAInvalid()).body).toEqual({ __type: 'InvalidParameterException', message: 'SRP_A is invalid' });
    expect(wire(errors.userNotConfirmed()).body).toEqual({ __type: 'UserNotConfirmedException', message: 'User is not confirmed.' });
    expect(wire(errors.temporaryPasswordExpired()).body).toEqual({ __type: 'NotAuthorizedException', message: 'Temporary password has expired and must be reset by an administrator.' });
    expect(wire(errors.passwordAttemptsExceeded()).body).toEqual({ __type: 'NotAuthorizedException', message: 'Password attempts exceeded' });
    expect(wire(errors.invalidTimestampFormat()).body).toEqual({ __type: 'InvalidParameterException', message: 'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.' });
    expect(wire(errors.emailNotModifiableInNewPasswordChallenge()).body).toEqual({
      __type: 'InvalidParameterException',
      message: 'Cannot modify the email attribute while completing NEW_PASSWORD_REQUIRED.',
    });
    expect(wire(errors.unexpectedChallenge('SMS_MFA')).body).toEqual({ __type: 'InvalidParameterException', message: 'Challenge SMS_MFA is not expected in this session.' });
  });

  it('passwords', () => {
    expect(errors.PASSWORD_POLICY_FAILURES).toEqual({
      tooShort: 'Password not long enough',
      uppercase: 'Password must have uppercase characters',
      lowercase: 'Password must have lowercase characters',
      numbers: 'Password must have numeric characters',
      symbols: 'Password must have symbol characters',
    });
    expect(wire(errors.invalidPassword('user', 'Password not long enough')).body).toEqual({ __type: 'InvalidPasswordException', message: 'Password did not conform with policy: Password not long enough' });
    expect(wire(errors.invalidPassword('admin', 'Password not long enough')).body).toEqual({
      __type: 'InvalidPasswordException',
      message: 'Password did not conform with password policy: Password not long enough',
    });
    expect(wire(errors.passwordCannotBeReset()).body).toEqual({ __type: 'NotAuthorizedException', message: 'User password cannot be reset in the current state.' });
    expect(wire(errors.noVerifiedContactToReset()).body).toEqual({
      __type: 'InvalidParameterException',
      message: 'Cannot reset password for the user as there is no registered/verified email or phone_number',
    });
  });

  it('sign-up, users and attributes', () => {
    expect(errors.USER_ALREADY_EXISTS).toBe('User already exists');
    expect(errors.USER_ACCOUNT_ALREADY_EXISTS).toBe('User account already exists');
    expect(wire(errors.usernameExists(errors.USER_ALREADY_EXISTS)).body).toEqual({ __type: 'UsernameExistsException', message: 'User already exists' });
    expect(wire(errors.usernameShouldBeEmail()).body).toEqual({ __type: 'InvalidParameterException', message: 'Username should be an email.' });
    expect(wire(errors.userAlreadyConfirmed()).body).toEqual({ __type: 'InvalidParameterException', message: 'User is already confirmed.' });
    expect(wire(errors.autoVerificationNotTurnedOn()).body).toEqual({ __type: 'InvalidParameterException', message: 'Auto verification not turned on.' });
    expect(wire(errors.resendNotPossible()).body).toEqual({ __type: 'UnsupportedOperationException', message: 'Resend not possible. User status is not FORCE_CHANGE_PASSWORD.' });
    expect(wire(errors.noEmailToVerify()).body).toEqual({ __type: 'InvalidParameterException', message: 'No email attribute to verify.' });
    expect(wire(errors.emailAlreadyVerified()).body).toEqual({ __type: 'InvalidParameterException', message: 'The email is already verified.' });
    expect(wire(errors.unknownAttributeType('custom:x')).body).toEqual({
      __type: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: Type for attribute {custom:x} could not be determined',
    });
    expect(wire(errors.unauthorizedAttributeWrite()).body).toEqual({ __type: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute' });
    expect(wire(errors.nonMutableAttribute('sub')).body).toEqual({ __type: 'InvalidParameterException', message: 'Cannot modify the non-mutable attribute sub' });
    expect(wire(errors.invalidEmailFormat()).body).toEqual({ __type: 'InvalidParameterException', message: 'Invalid email address format.' });
    expect(wire(errors.notABooleanAttribute('email_verified')).body).toEqual({ __type: 'InvalidParameterException', message: 'Invalid value for email_verified: must be true or false.' });
    expect(wire(errors.requiredAttributeMissing('email')).body).toEqual({ __type: 'InvalidParameterException', message: 'Attributes did not conform to the schema: email: The attribute is required' });
    expect(wire(errors.unparsableFilter()).body).toEqual({ __type: 'InvalidParameterException', message: 'Error while parsing filter.' });
    expect(wire(errors.invalidSearchAttribute('nickname')).body).toEqual({ __type: 'InvalidParameterException', message: 'Invalid search attribute: nickname' });
    expect(wire(errors.invalidPaginationToken()).body).toEqual({ __type: 'InvalidParameterException', message: 'Invalid pagination token.' });
  });

  it('codes and Lambda triggers', () => {
    expect(wire(errors.codeAttemptLimitExceeded()).body).toEqual({ __type: 'LimitExceededException', message: 'Attempt limit exceeded, please try after some time.' });
    expect(wire(errors.codeExpired()).body).toEqual({ __type: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' });
    expect(wire(errors.unexpectedLambda('PostConfirmation', 'boom')).body).toEqual({ __type: 'UnexpectedLambdaException', message: 'PostConfirmation invocation failed due to error boom.' });
    expect(wire(errors.userLambdaValidation('PostConfirmation', 'boom')).body).toEqual({ __type: 'UserLambdaValidationException', message: 'PostConfirmation failed with error boom.' });
    expect(wire(errors.unrecognizableLambdaOutput()).body).toEqual({ __type: 'InvalidLambdaResponseException', message: 'Unrecognizable lambda output' });
    const unserved = errors.triggerWithoutFunction('PreSignUp');
    expect([unserved.kind, unserved.message]).toEqual(['unexpected', 'no function is configured for PreSignUp']);
  });
});

describe('the error catalogue: AWS signatures and IAM', () => {
  it('SigV4', () => {
    expect(errors.SIGV4_INCOMPLETE_AUTHORIZATION).toEqual({
      errorType: 'IncompleteSignatureException',
      message: "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.",
    });
    expect(errors.SIGV4_MISSING_DATE).toEqual({ errorType: 'IncompleteSignatureException', message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header." });
    expect(errors.INVALID_SECURITY_TOKEN).toEqual({ errorType: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' });
    expect(errors.SIGV4_WRONG_SCOPE).toEqual({ errorType: 'InvalidSignatureException', message: "Credential should be scoped to a valid region and to the correct service 'appsync'." });
    expect(errors.SIGV4_HOST_NOT_SIGNED).toEqual({ errorType: 'InvalidSignatureException', message: "'Host' must be a 'SignedHeader' in the AWS Authorization." });
    expect(errors.sigV4Expired('20240101T000000Z')).toEqual({
      errorType: 'InvalidSignatureException',
      message: 'Signature expired: 20240101T000000Z is now earlier or later than 5 minutes from the server time.',
    });
    expect(errors.SIGV4_PAYLOAD_HASH_MISMATCH).toEqual({ errorType: 'InvalidSignatureException', message: "The provided 'x-amz-content-sha256' header does not match what was computed." });
    expect(errors.SIGV4_SIGNATURE_MISMATCH).toEqual({
      errorType: 'InvalidSignatureException',
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    });
  });

  it('the local DynamoDB, SSM and S3 endpoints', () => {
    expect(errors.DYNAMODB_MISSING_AUTHENTICATION_TOKEN).toEqual({ errorType: 'MissingAuthenticationTokenException', message: 'Request is missing Authentication Token' });
    expect(errors.MISSING_AUTHENTICATION_TOKEN).toEqual({ errorType: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
    expect(errors.S3_ACCESS_DENIED).toEqual({ errorType: 'AccessDenied', message: 'Access Denied' });
    expect(errors.S3_INVALID_ACCESS_KEY_ID).toEqual({ errorType: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' });
    expect(errors.NOT_A_STRUCTURE).toEqual({ errorType: 'SerializationException', message: 'Start of structure or map found where not expected.' });
    expect(errors.DYNAMODB_REQUEST_TOO_LARGE).toEqual({ errorType: 'RequestEntityTooLarge', message: 'Request entity too large' });
    expect(errors.SSM_REQUEST_TOO_LARGE).toEqual({ errorType: 'ValidationException', message: 'Request body too large' });
    expect(errors.ssmUnknownOperation('PutParameter')).toEqual({
      errorType: 'UnknownOperationException',
      message: 'The operation PutParameter is not available in the offline sandbox (only GetParameters)',
    });
    expect(errors.SSM_NAMES_MISSING).toEqual({ errorType: 'ValidationException', message: "1 validation error detected: Value null at 'names' failed to satisfy constraint: Member must not be null" });
    expect(errors.ssmTooManyNames(['/a', '/b'], 1)).toEqual({
      errorType: 'ValidationException',
      message: "1 validation error detected: Value '[/a, /b]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 1",
    });
    expect(errors.S3_METHOD_NOT_ALLOWED).toEqual({
      errorType: 'MethodNotAllowed',
      message: 'The specified method is not allowed against this resource (the offline sandbox serves GetObject only).',
    });
    expect(errors.S3_LIST_NOT_ALLOWED).toEqual({ errorType: 'MethodNotAllowed', message: 'ListObjects is not available in the offline sandbox' });
    expect(errors.S3_NO_SUCH_BUCKET).toEqual({ errorType: 'NoSuchBucket', message: 'The specified bucket does not exist' });
    expect(errors.S3_NO_SUCH_KEY).toEqual({ errorType: 'NoSuchKey', message: 'The specified key does not exist.' });
    expect(errors.ENDPOINT_FAILED).toEqual({ errorType: 'InternalServerError', message: 'offline sandbox endpoint failed' });
    const arn = 'arn:aws:sts::123456789012:assumed-role/fn-role/fn';
    const table = 'arn:aws:dynamodb:us-east-1:123456789012:table/Message';
    expect(errors.iamAccessDenied(arn, 'dynamodb:PutItem', table, 'implicit')).toEqual({
      errorType: 'AccessDeniedException',
      message: `User: ${arn} is not authorized to perform: dynamodb:PutItem on resource: ${table} because no identity-based policy allows the dynamodb:PutItem action`,
    });
    expect(errors.iamAccessDenied(arn, 'dynamodb:PutItem', '*', 'explicit').message).toBe(
      `User: ${arn} is not authorized to perform: dynamodb:PutItem on resource: * with an explicit deny in an identity-based policy`,
    );
    expect(errors.iamAccessDenied(arn, 'dynamodb:PutItem', '*', 'boundary').message).toBe(
      `User: ${arn} is not authorized to perform: dynamodb:PutItem on resource: * because no permissions boundary allows the dynamodb:PutItem action`,
    );
  });
});

describe('the error catalogue: the storage endpoint (S3)', () => {
  it('signatures, tokens and presigned URLs', () => {
    expect(errors.s3SignatureMismatch()).toEqual({
      status: 403,
      errorType: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    });
    expect(errors.s3InvalidAccessKeyId('ASIAX')).toEqual({ status: 403, errorType: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.', fields: { AWSAccessKeyId: 'ASIAX' } });
    expect(errors.s3Unsigned()).toEqual({ status: 403, errorType: 'AccessDenied', message: 'Access Denied' });
    expect(errors.s3PresignedExpired(60, '2026-01-01T00:01:00Z', '2026-01-01T01:00:00Z')).toEqual({
      status: 403,
      errorType: 'AccessDenied',
      message: 'Request has expired',
      fields: { 'X-Amz-Expires': '60', Expires: '2026-01-01T00:01:00Z', ServerTime: '2026-01-01T01:00:00Z' },
    });
    expect(errors.s3PresignedExpiryInvalid()).toEqual({ status: 400, errorType: 'AuthorizationQueryParametersError', message: 'X-Amz-Expires must be less than a week (in seconds) that is 604800' });
    expect(errors.s3MalformedAuthorization().errorType).toBe('AuthorizationHeaderMalformed');
    expect(errors.s3TimeTooSkewed()).toEqual({ status: 403, errorType: 'RequestTimeTooSkewed', message: 'The difference between the request time and the current time is too large.' });
    expect(errors.s3ExpiredToken()).toEqual({ status: 400, errorType: 'ExpiredToken', message: 'The provided token has expired.' });
    expect(errors.s3InvalidToken()).toEqual({ status: 400, errorType: 'InvalidToken', message: 'The provided token is malformed or otherwise invalid.' });
    expect(errors.s3ContentSha256Mismatch()).toEqual({ status: 400, errorType: 'XAmzContentSHA256Mismatch', message: "The provided 'x-amz-content-sha256' header does not match what was computed." });
    expect(errors.s3MissingContentSha256()).toEqual({ status: 400, errorType: 'InvalidRequest', message: 'Missing required header for this request: x-amz-content-sha256' });
    expect(errors.s3PayloadModeNotImplemented('STREAMING-AWS4-HMAC-SHA256-PAYLOAD')).toEqual({ status: 501, errorType: 'NotImplemented', message: 'The offline sandbox does not accept x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD' });
  });

  it('authorization, objects and multipart uploads', () => {
    expect(errors.s3AccessDenied('arn:aws:sts::1:assumed-role/r/CognitoIdentityCredentials', 's3:GetObject', 'arn:aws:s3:::b/k', 'implicit')).toEqual({
      status: 403,
      errorType: 'AccessDenied',
      message: 'User: arn:aws:sts::1:assumed-role/r/CognitoIdentityCredentials is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k because no identity-based policy allows the s3:GetObject action',
    });
    expect(errors.s3NoSuchBucket('b')).toEqual({ status: 404, errorType: 'NoSuchBucket', message: 'The specified bucket does not exist', fields: { BucketName: 'b' } });
    expect(errors.s3NoSuchKey('k')).toEqual({ status: 404, errorType: 'NoSuchKey', message: 'The specified key does not exist.', fields: { Key: 'k' } });
    expect(errors.s3NoSuchUpload('u')).toEqual({
      status: 404,
      errorType: 'NoSuchUpload',
      message: 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      fields: { UploadId: 'u' },
    });
    expect(errors.s3InvalidPart().errorType).toBe('InvalidPart');
    expect(errors.s3InvalidPartOrder()).toEqual({ status: 400, errorType: 'InvalidPartOrder', message: 'The list of parts was not in ascending order. Parts must be ordered by part number.' });
    expect(errors.s3EntityTooSmall()).toEqual({ status: 400, errorType: 'EntityTooSmall', message: 'Your proposed upload is smaller than the minimum allowed object size.' });
    expect(errors.s3MalformedXml().errorType).toBe('MalformedXML');
    expect(errors.s3BadDigest('CRC32')).toEqual({ status: 400, errorType: 'BadDigest', message: 'The CRC32 you specified did not match the calculated checksum.' });
    expect(errors.s3InvalidRange(3)).toEqual({ status: 416, errorType: 'InvalidRange', message: 'The requested range is not satisfiable', fields: { ActualObjectSize: '3' } });
    expect(errors.s3EntityTooLarge(10)).toEqual({ status: 400, errorType: 'EntityTooLarge', message: "Your proposed upload exceeds the offline sandbox's limit of 10 bytes per request." });
    expect(errors.s3NotImplemented('CopyObject')).toEqual({ status: 501, errorType: 'NotImplemented', message: "CopyObject is not implemented by the offline sandbox's storage endpoint." });
    expect(errors.s3CorsForbidden().errorType).toBe('AccessForbidden');
  });
});

describe('the error catalogue: the sandbox console', () => {
  it('its own refusals, with their status', () => {
    expect(errors.CONSOLE_UNAUTHORIZED).toEqual({ status: 401, code: 'Unauthorized', message: "Open the console through the URL the sandbox printed: it carries this run's secret." });
    expect(errors.CONSOLE_FOREIGN_HOST).toEqual({ status: 403, code: 'ForeignHost', message: 'The console answers only to its own loopback address.' });
    expect(errors.CONSOLE_FOREIGN_ORIGIN).toEqual({ status: 403, code: 'ForeignOrigin', message: 'Only the console itself may send this request.' });
    expect(errors.CONSOLE_BODY_TOO_LARGE).toEqual({ status: 413, code: 'BodyTooLarge', message: 'The request body is larger than 1 MiB.' });
    expect(errors.consoleNotFound('table T in this backend')).toEqual({ status: 404, code: 'NotFound', message: 'No table T in this backend here.' });
    expect(errors.consoleMethodNotAllowed('GET', '/api/x')).toEqual({ status: 405, code: 'MethodNotAllowed', message: '/api/x does not take GET.' });
    expect(errors.consoleServiceError('ValidationException', 'bad')).toEqual({ status: 400, code: 'ValidationException', message: 'bad' });
    expect(errors.consoleTraceNotKept('r1')).toEqual({ status: 404, code: 'TraceNotKept', message: 'No trace of request r1: traces are kept for the latest 200 requests made while the Live page is open.' });
  });

  it('the explorer\'s subscription socket', () => {
    expect(errors.consoleTooManySubscriptions(10)).toEqual({ status: 429, code: 'TooManySubscriptions', message: 'A page may have at most 10 subscriptions open at once: stop one first.' });
    expect(errors.consoleDuplicateSubscription('s1')).toEqual({ status: 400, code: 'DuplicateSubscription', message: 'A subscription with id s1 is already open.' });
    expect(errors.consoleRealtimeClosed(1001)).toEqual({ status: 502, code: 'RealtimeClosed', message: "AppSync's real-time connection closed (1001) before the subscription completed." });
    expect(errors.consoleRealtimeFailed('self-signed certificate')).toEqual({
      status: 502,
      code: 'RealtimeConnectionFailed',
      message: "The console could not connect to AppSync's real-time endpoint: self-signed certificate",
    });
  });
});
