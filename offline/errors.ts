/**
 * The offline sandbox's error catalogue: every error text and shape a client of the emulated services sees, spelled
 * once, grouped by service. The modules that answer with a text import it from here; the tests take the texts they
 * check from here too, and errors.test.ts pins them literally (clients match on them).
 *
 * - AppSync: the HTTPS endpoint (`/graphql`), GraphQL execution, resolvers (`$util`, VTL/JS mapping templates,
 *   data sources) and the real-time WebSocket (`connection_error` and `error` frames). The real-time protocol is
 *   AppSync's, so its errors live here too.
 * - Cognito: the Identity Provider JSON API.
 * - AWS endpoints: SigV4/IAM and the AWS JSON errors of the local DynamoDB, S3 and SSM endpoints.
 *
 * A leaf module: it imports nothing, so any service (offline/realtime included) can depend on it without depending on
 * another service. Texts marked "local" are the sandbox's own (no AWS text is known for the case); the others are the
 * texts AWS or its official clients are known to send.
 */

// =============================================================================================
// AppSync
// =============================================================================================
/** One entry of AppSync's `errors` array (structurally the realtime transport's `AppSyncError`). */
export interface ErrorObject {
  errorType?: string;
  message: string;
  /** On `connection_error` only. */
  errorCode?: number;
}

/** A whole-request refusal of the HTTP endpoint: the status, the `x-amzn-errortype` header and the body's one error. */
export interface RequestError {
  status: number;
  errorType: string;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Authorization
// ---------------------------------------------------------------------------------------------

/** AppSync's answer to a missing, invalid, expired, forged or revoked authorization (it never says which). */
export const UNAUTHORIZED_HEADER = { errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' } as const;

/** The HTTP endpoint's 401 (body `{"errors":[{"errorType":"UnauthorizedException","message":…}]}`). */
export const UNAUTHORIZED_REQUEST: RequestError & { status: 401 } = { status: 401, ...UNAUTHORIZED_HEADER };

/** `connection_error` for a connect whose header object is missing or unreadable (Amplify's own tests use errorCode 401). */
export const unauthorizedConnection = (): ErrorObject => ({
  errorType: 'UnauthorizedException',
  message: 'You are not authorized to make this call.',
  errorCode: 401,
});

/** A refused connect as the transport reports it: `UnauthorizedException`, errorCode 401 (non-retryable for both official clients). */
export const connectionRefused = (message: string): { errorType: string; message: string; errorCode: number } => ({
  errorType: 'UnauthorizedException',
  message,
  errorCode: 401,
});

/** A field the caller may not read: errorType `Unauthorized` (also what `$util.unauthorized()` raises). */
export const notAuthorizedToAccess = (fieldName: string, typeName: string): { errorType: string; message: string } => ({
  errorType: 'Unauthorized',
  message: `Not Authorized to access ${fieldName} on type ${typeName}`,
});

// ---------------------------------------------------------------------------------------------
// Internal failures
// ---------------------------------------------------------------------------------------------

export const INTERNAL_FAILURE_MESSAGE = 'An internal failure occurred.';

/** An `error` frame entry for a subscription the backend failed to start. */
export const internalFailure = (): ErrorObject => ({ errorType: 'InternalFailure', message: INTERNAL_FAILURE_MESSAGE });

/** A connect whose authentication threw: `connection_error` with errorCode 500. */
export const connectionInternalFailure = (): { errorType: string; message: string; errorCode: number } => ({
  errorType: 'InternalFailure',
  message: INTERNAL_FAILURE_MESSAGE,
  errorCode: 500,
});

/** Local: the HTTP endpoint's 500 (the sandbox's text points at its log). */
export const INTERNAL: RequestError = { status: 500, errorType: 'InternalFailure', message: 'An internal failure occurred in the offline AppSync emulator; see its log.' };

/** Local: a subscription resolver that threw something other than a resolver error. */
export const subscriptionResolverFailed = (message: string): ErrorObject => ({ errorType: 'InternalFailure', message: `Subscription resolver failed: ${message}` });

// ---------------------------------------------------------------------------------------------
// HTTP endpoint: whole-request refusals
// ---------------------------------------------------------------------------------------------

export const EMPTY_BODY: RequestError = { status: 400, errorType: 'MalformedHttpRequestException', message: 'Request body is empty.' };
/** An unparsable request or query (also a real-time `start` whose query does not parse). */
export const UNPARSABLE: RequestError = { status: 400, errorType: 'MalformedHttpRequestException', message: 'Unable to parse GraphQL query.' };
/** Local: the sandbox's body size limit. */
export const TOO_LARGE = (limit: number): RequestError => ({
  status: 413,
  errorType: 'PayloadTooLargeException',
  message: `Request body exceeds the ${limit} byte limit of the offline sandbox.`,
});
/** Local: GraphQL over GET is not emulated. */
export const METHOD_NOT_ALLOWED: RequestError = { status: 405, errorType: 'MethodNotAllowedException', message: 'Only POST is supported on /graphql (GraphQL over GET is not emulated).' };
/** Local: any path but the GraphQL one. */
export const NOT_FOUND: RequestError = { status: 404, errorType: 'NotFoundException', message: 'Not found. The GraphQL endpoint is POST /graphql.' };

/** The body of a whole-request refusal: `{"errors":[{"errorType":…,"message":…}]}`. */
export function errorBody(error: Pick<RequestError, 'errorType' | 'message'>): string {
  return JSON.stringify({ errors: [{ errorType: error.errorType, message: error.message }] });
}

// ---------------------------------------------------------------------------------------------
// GraphQL execution
// ---------------------------------------------------------------------------------------------

/** A subscription sent to the HTTP endpoint (the Amplify simulator's text; no errorType). */
export const SUBSCRIPTION_OVER_HTTP = 'Subscription request is only supported in realtime url';

export const queryDepthLimitReached = (limit: number): { errorType: string; message: string } => ({
  errorType: 'QueryDepthLimitReached',
  message: `Query depth limit of ${limit} reached`,
});

export const resolverExecutionLimitReached = (limit: number): { errorType: string; message: string } => ({
  errorType: 'ResolverExecutionLimitReached',
  message: `Resolver execution limit of ${limit} reached`,
});

/** More `extensions.invalidateSubscriptions` calls in one request than AppSync allows. */
export const tooManyInvalidations = (limit: number): { errorType: string; message: string } => ({
  errorType: 'InvalidationError',
  message: `At most ${limit} invalidateSubscriptions calls are allowed per request`,
});

/** Local: `extensions.invalidateSubscriptions` called without a subscription field. */
export const INVALIDATION_WITHOUT_FIELD = { errorType: 'InvalidationError', message: 'invalidateSubscriptions expects {subscriptionField, payload}' } as const;

/** A subscription or invalidation filter that AppSync would reject (`what` names which filter). */
export const invalidSubscriptionFilter = (what: string, problem: string): { errorType: string; message: string } => ({
  errorType: 'SubscriptionFilterError',
  message: `Invalid ${what}: ${problem}`,
});

// ---------------------------------------------------------------------------------------------
// Resolvers: mapping templates (VTL), APPSYNC_JS code and pipelines
// ---------------------------------------------------------------------------------------------

/** The errorType AppSync gives a mapping template (or resolver definition) it cannot evaluate. */
export const MAPPING_TEMPLATE = 'MappingTemplate';

/** A resolver error as the field's error entry shows it (what `ResolverError` is built from). */
export interface ResolverErrorShape {
  errorType: string;
  message: string;
}

const mappingTemplate = (message: string): ResolverErrorShape => ({ errorType: MAPPING_TEMPLATE, message });

/** VTL templates (`detail` is the parser's, renderer's or method's own message). */
export const VTL = {
  unparsable: (detail: string): ResolverErrorShape => mappingTemplate(`Unable to parse the mapping template: ${detail}`),
  /** Local: a directive the interpreter does not implement. */
  unsupportedDirective: (directive: string): ResolverErrorShape => mappingTemplate(`Unsupported directive #${directive}`),
  /** Local: an operator the interpreter does not implement. */
  unsupportedOperator: (operator: string): ResolverErrorShape => mappingTemplate(`Unsupported operator ${operator}`),
  methodFailed: (method: string, detail: string): ResolverErrorShape => mappingTemplate(`Error invoking method '${method}': ${detail}`),
  renderFailed: (detail: string): ResolverErrorShape => mappingTemplate(`Error rendering the mapping template: ${detail}`),
  /** A rendered request or response template that is not JSON; `excerpt` is the start of the rendered text. */
  renderedNotJson: (detail: string, excerpt: string): ResolverErrorShape =>
    mappingTemplate(`Unable to parse the JSON document: '${detail}' in the rendered template: ${excerpt}`),
} as const;

/** Local: a resolver or pipeline function whose definition the sandbox cannot run (`label` names it). */
export const PIPELINE = {
  noMappingTemplate: (label: string, which: 'request' | 'response'): ResolverErrorShape => mappingTemplate(`${label} has no ${which} mapping template`),
  unknownDataSource: (label: string, name: string): ResolverErrorShape => mappingTemplate(`${label}: unknown data source ${name}`),
  unknownFunction: (label: string, id: string): ResolverErrorShape => mappingTemplate(`${label}: unknown pipeline function ${id}`),
} as const;

/** The errorType of `$util.validate` (`util.validate`) when the template gives none. */
export const VALIDATE_ERROR_TYPE = 'CustomTemplateException';

/**
 * Local: faults of `$util` / `util` methods called with the wrong arguments. A VTL template sees them as
 * {@link VTL}.methodFailed (`Error invoking method '…': <text>`), resolver code as a `Code` error with the text.
 */
export const UTIL_FAULTS = {
  /** `what` is `List`, `Map` or `String`; `got` the value as Java would print it (or its type). */
  expects: (method: string, what: string, got: string): string => `${method} expects a ${what}, got ${got}`,
  notConvertible: (value: string): string => `Unable to convert ${value} to a DynamoDB attribute value`,
  toMapValuesExpectsMap: 'toMapValues expects a Map',
  unparsableWithPattern: (text: string, pattern: string): string => `Text '${text}' could not be parsed with pattern '${pattern}'`,
  notIso8601: (text: string): string => `Text '${text}' could not be parsed as ISO-8601`,
} as const;

/** Java's texts for the Java methods VTL templates call on strings and lists (java.lang exceptions). */
export const JAVA_FAULTS = {
  notAnInteger: (got: string): string => `expected an integer, got ${got}`,
  indexOutOfBounds: (index: number, length: number): string => `Index ${index} out of bounds for length ${length}`,
  substringBounds: (begin: number, end: number, length: number): string => `begin ${begin}, end ${end}, length ${length}`,
} as const;

/** Local: faults of the `@aws-appsync/utils/dynamodb` helpers called with the wrong arguments (`Code` errors). */
export const JS_DYNAMODB_FAULTS = {
  invalidExpression: (what: string): string => `Invalid ${what} object`,
  /** `what`: condition, update, query, tables. */
  notAnObject: (what: string): string => `${what} must be an object`,
  unknownUpdateOperation: (type: string): string => `Unknown update operation ${type}`,
  notAnOperatorObject: (field: string): string => `query.${field} must be an operator object`,
  unsupportedKeyOperator: (operator: string): string => `Unsupported key condition operator ${operator}`,
  transactWriteItemKind: 'transactWrite item needs putItem, updateItem, deleteItem or conditionCheck',
} as const;

/** The errorType of a runtime fault (a thrown TypeError, …) in APPSYNC_JS resolver code; the message is the fault's. */
export const CODE_ERROR_TYPE = 'Code';
/** The message of a thrown value whose own message cannot be read. */
export const UNKNOWN_FAULT_MESSAGE = 'Unknown error';

// ---------------------------------------------------------------------------------------------
// Resolvers: the DynamoDB data source (`$ctx.error` is `{ type, message }`)
// ---------------------------------------------------------------------------------------------

/** A data source's failure as AppSync reports it in `$ctx.error`. */
export class DataSourceError extends Error {
  /**
   * @param type e.g. `DynamoDB:ConditionalCheckFailedException`, `MappingTemplate`.
   * @param data What AppSync still exposes with the error: the current item for a rejected
   *   condition check, `{ keys: null, cancellationReasons }` for a cancelled transaction.
   */
  constructor(
    readonly type: string,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'DataSourceError';
  }
}

/** A request object the data source cannot run: fails before any call, type `MappingTemplate`. */
export function mappingTemplateError(message: string): DataSourceError {
  return new DataSourceError(MAPPING_TEMPLATE, message);
}

/** AppSync's rendering of a DynamoDB service error message (the Java SDK's suffix). */
export function appSyncMessage(message: string, statusCode = 400): string {
  return `${message} (Service: DynamoDb, Status Code: ${statusCode}, Request ID: null)`;
}

/** AppSync's answer to a nextToken it did not issue or that was altered (observed, amplify-cli#3411). */
export function invalidPaginationTokenError(): DataSourceError {
  return new DataSourceError(
    'DynamoDB:UserIllegalArgumentException',
    'com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.',
  );
}

/** A DynamoDB `ValidationException` as the data source reports it. */
export function dynamoDbValidationError(message: string): DataSourceError {
  return new DataSourceError('DynamoDB:ValidationException', appSyncMessage(message));
}

export const transactItemsLength = (max: number): string =>
  `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length between 1 and ${max}`;

export const TRANSACTION_SAME_ITEM_TWICE = 'Transaction request cannot include multiple operations on one item';

/** A cancellation reason's message for a condition that failed. */
export const CONDITIONAL_REQUEST_FAILED = 'The conditional request failed';

/** A cancelled transaction: the message lists each item's reason type; the reasons themselves are its data. */
export function transactionCancelled(reasons: readonly { type: string }[]): DataSourceError {
  return new DataSourceError(
    'DynamoDB:TransactionCanceledException',
    appSyncMessage(`Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.type).join(', ')}]`),
    { keys: null, cancellationReasons: reasons },
  );
}

/** Local: the DynamoDB data source's `MappingTemplate` texts for request objects it cannot run (`where` is the path). */
export const DYNAMODB_MAPPING = {
  requestNotAnObject: 'The DynamoDB request must be a JSON object.',
  unsupportedVersion: (version: unknown): string => `Unsupported DynamoDB request version ${JSON.stringify(version)}; expected 2017-02-28 or 2018-05-29.`,
  noOperation: 'The DynamoDB request has no "operation".',
  syncNotSupported: 'Operation Sync (conflict detection) is not supported by the offline sandbox; Gen 2 model tables do not use it.',
  unsupportedOperation: (operation: unknown): string => `Unsupported DynamoDB operation ${JSON.stringify(operation)}.`,
  batchNeedsTables: (operation: string): string => `${operation} requires a non-empty "tables" map of table name → entries.`,
  batchGetNeedsKeys: (table: string): string => `BatchGetItem.tables.${table} must be an object with "keys".`,
  notAList: (where: string): string => `${where} must be a list.`,
  conditionHandlerNotSupported: (where: string, strategy: unknown): string =>
    `${where}.condition.conditionalCheckFailedHandler strategy ${JSON.stringify(strategy)} (a Lambda deciding the outcome) is not supported offline; only Reject.`,
  needsUpdate: (where: string): string => `${where} requires an "update" object with an "expression".`,
  queryNeedsKeyCondition: 'Query requires a "query" object with an "expression".',
  invalidSelect: (operation: string, select: string): string => `${operation}.select ${JSON.stringify(select)} is not valid.`,
  transactNeedsItems: (operation: string): string => `${operation} requires a "transactItems" list.`,
  transactItemNeedsTable: (operation: string, index: number): string => `${operation}.transactItems[${index}] requires a "table".`,
  transactBadOperation: (where: string): string => `${where}.operation must be PutItem, UpdateItem, DeleteItem or ConditionCheck.`,
  conditionCheckNeedsCondition: (where: string): string => `${where}: a ConditionCheck requires a "condition".`,
  needsTypedValues: (where: string, field: string): string => `${where} requires a non-empty "${field}" object of typed values.`,
  expressionNotAnObject: (where: string): string => `"${where}" must be an object with an "expression".`,
  /** `what`: a string, a boolean, an integer, a map of strings. */
  mustBe: (path: string, what: string): string => `"${path}" must be ${what}.`,
  noExpressionValues: (where: string): string => `"${where}" does not take expressionValues.`,
  definedTwice: (kind: 'name' | 'value', placeholder: string): string => `Expression ${kind} ${placeholder} is defined twice with different values.`,
  notANumber: (where: string, value: unknown): string => `Expected a number for "N" at ${where}, got ${JSON.stringify(value)}.`,
  notAStringList: (where: string): string => `Expected a list of strings at ${where}.`,
  notATypedValue: (where: string, value: unknown): string => `Expected a typed value such as {"S": "..."} at ${where}, got ${JSON.stringify(value)}.`,
  notOneTypeKey: (where: string, value: unknown): string => `A typed value must have exactly one type key at ${where}: ${JSON.stringify(value)}.`,
  /** `what` is what the type key needs: a string (S), a boolean (BOOL), a base64 string (B), a list (NS, L). */
  wrongTypedValue: (what: string, typeKey: string, where: string): string => `Expected ${what} for "${typeKey}" at ${where}.`,
  unknownType: (type: string, where: string): string => `Unknown DynamoDB type "${type}" at ${where}.`,
  notATypedMap: (where: string): string => `Expected a map of typed values at ${where}.`,
} as const;

// ---------------------------------------------------------------------------------------------
// Resolvers: the Lambda data source
// ---------------------------------------------------------------------------------------------

/** The Lambda data source's `$ctx.error` values (`type`, `message`). */
export const LAMBDA_DATA_SOURCE = {
  /** Local. */
  requestNotAnObject: { type: MAPPING_TEMPLATE, message: 'The Lambda request must be a JSON object with "operation" and "payload".' },
  /** Local. */
  batchInvokeNotSupported: { type: MAPPING_TEMPLATE, message: 'Lambda BatchInvoke is not supported by the offline sandbox.' },
  /** Local. */
  unsupportedOperation: (operation: unknown): { type: string; message: string } => ({
    type: MAPPING_TEMPLATE,
    message: `Unsupported Lambda operation ${JSON.stringify(operation)}; expected Invoke.`,
  }),
  /** The function threw, timed out or crashed; the message is the function's `errorMessage`. */
  unhandled: (message: string): { type: string; message: string } => ({ type: 'Lambda:Unhandled', message }),
} as const;

// ---------------------------------------------------------------------------------------------
// GraphQL: AppSync's scalars (coercion errors, before any resolver runs)
// ---------------------------------------------------------------------------------------------

export const SCALAR = {
  invalidValue: (scalar: string, value: unknown): string => `Invalid ${scalar} value: ${JSON.stringify(value)}`,
  notAStringLiteral: (scalar: string): string => `${scalar} must be a string literal`,
  notAnIntLiteral: (scalar: string): string => `${scalar} must be an integer literal`,
} as const;

// ---------------------------------------------------------------------------------------------
// Real-time endpoint: `connection_error` and `error` frames
// ---------------------------------------------------------------------------------------------

/** No `graphql-ws` subprotocol offered (the shape observed from AppSync has no errorType). */
export const subProtocolNotSupported = (): ErrorObject => ({ message: 'SubProtocolNotSupportedError', errorCode: 400 });

/** A `start` whose id is already in use on the connection, or whose query selects more than one root field. */
export const duplicatedOperation = (id: string): ErrorObject => ({
  errorType: 'DuplicatedOperationError',
  message: `Duplicated operation with id ${id}`,
});

export const maxSubscriptionsReached = (limit: number): ErrorObject => ({
  errorType: 'MaxSubscriptionsReachedError',
  message: `Max number of ${limit} subscriptions reached`,
});

/**
 * AppSync's answer to a `start` whose authorization was not under `payload.extensions` (`what` is `unknown` there);
 * reused for unknown message types.
 */
export const unsupportedOperation = (what: string): ErrorObject => ({
  errorType: 'UnsupportedOperation',
  message: `${what} not supported through the realtime channel`,
});

/** Local: a query or mutation sent in a real-time `start`. */
export const notASubscription = (operation: string): ErrorObject => ({
  errorType: 'UnsupportedOperation',
  message: `Only subscription operations are served on the real-time endpoint, not ${operation}.`,
});

/** A `start` for a field the Subscription type does not have (GraphQL validation; no errorType). */
export const subscriptionFieldUndefined = (fieldName: string): ErrorObject => ({
  message: `Validation error of type FieldUndefined: Field '${fieldName}' in type 'Subscription' is undefined`,
});

/** Local (no observed AppSync text): malformed frames. */
export const badRequest = (message: string): ErrorObject => ({ errorType: 'BadRequestException', message });
/** Local: a binary WebSocket frame. */
export const BINARY_FRAME_TEXT = 'Binary frames are not supported; send JSON text';
/** Local: a `start` sent before `connection_ack`. */
export const START_BEFORE_ACK_TEXT = 'connection_init must be acknowledged before start';

/** Local: the texts of {@link badRequest} for client frames the parser cannot use. */
export const MALFORMED_FRAME = {
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
} as const;

/** Local: the reasons of the WebSocket close frames the real-time endpoint sends (clients see them in `CloseEvent.reason`). */
export const CLOSE_REASONS = {
  initTimeout: 'connection_init not received in time',
  tooManyBeforeAck: 'Too many messages before connection_ack',
  slowConsumer: (limit: number): string => `Slow consumer: more than ${limit} bytes unsent`,
  /** After the `connection_error` of {@link subProtocolNotSupported}. */
  noSubprotocol: 'no graphql-ws subprotocol',
  /** After a refused `connection_init`. */
  unauthorized: 'unauthorized',
  /** Also the body of the 503 that refuses an upgrade while the server stops. */
  shuttingDown: 'Server shutting down',
} as const;

/** Local: the body of the 404 that refuses a WebSocket upgrade on any path but the real-time one. */
export const UPGRADE_NOT_FOUND = { message: 'Not Found' } as const;

// =============================================================================================
// AWS signatures, IAM and the local AWS endpoints: AppSync's IAM authorization and the DynamoDB, SSM and S3 endpoints
// of aws-endpoints
// =============================================================================================

/** An AWS error as a code (the `x-amzn-ErrorType` header, `__type`, or S3's `<Code>`) and its message. */
export interface AwsError {
  errorType: string;
  message: string;
}

export const SIGV4_INCOMPLETE_AUTHORIZATION: AwsError = {
  errorType: 'IncompleteSignatureException',
  message: "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.",
};

export const SIGV4_MISSING_DATE: AwsError = {
  errorType: 'IncompleteSignatureException',
  message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
};

/** An access key the service does not know (AppSync's SigV4 check and the DynamoDB and SSM endpoints alike). */
export const INVALID_SECURITY_TOKEN: AwsError = { errorType: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };

/** A credential scope for another service, the wrong terminator or a date other than the request's. */
export const SIGV4_WRONG_SCOPE: AwsError = {
  errorType: 'InvalidSignatureException',
  message: "Credential should be scoped to a valid region and to the correct service 'appsync'.",
};

export const SIGV4_HOST_NOT_SIGNED: AwsError = { errorType: 'InvalidSignatureException', message: "'Host' must be a 'SignedHeader' in the AWS Authorization." };

/** A request signed more than 5 minutes before or after the server's clock. */
export const sigV4Expired = (amzDate: string): AwsError => ({
  errorType: 'InvalidSignatureException',
  message: `Signature expired: ${amzDate} is now earlier or later than 5 minutes from the server time.`,
});

export const SIGV4_PAYLOAD_HASH_MISMATCH: AwsError = {
  errorType: 'InvalidSignatureException',
  message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
};

export const SIGV4_SIGNATURE_MISMATCH: AwsError = {
  errorType: 'InvalidSignatureException',
  message:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
};

/** An unsigned DynamoDB request. */
export const DYNAMODB_MISSING_AUTHENTICATION_TOKEN: AwsError = { errorType: 'MissingAuthenticationTokenException', message: 'Request is missing Authentication Token' };

/** An unsigned SSM request. */
export const MISSING_AUTHENTICATION_TOKEN: AwsError = { errorType: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };

/** An unsigned S3 request. */
export const S3_ACCESS_DENIED: AwsError = { errorType: 'AccessDenied', message: 'Access Denied' };

/** An S3 request signed with an access key the sandbox does not know. */
export const S3_INVALID_ACCESS_KEY_ID: AwsError = { errorType: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' };

/** The AWS JSON protocol's answer to a body that is not a JSON object (DynamoDB and SSM). */
export const NOT_A_STRUCTURE: AwsError = { errorType: 'SerializationException', message: 'Start of structure or map found where not expected.' };

/** Local: the sandbox's DynamoDB body size limit. */
export const DYNAMODB_REQUEST_TOO_LARGE: AwsError = { errorType: 'RequestEntityTooLarge', message: 'Request entity too large' };

/** Local: the sandbox's SSM body size limit. */
export const SSM_REQUEST_TOO_LARGE: AwsError = { errorType: 'ValidationException', message: 'Request body too large' };

/** Local: an SSM operation other than GetParameters. */
export const ssmUnknownOperation = (operation: string): AwsError => ({
  errorType: 'UnknownOperationException',
  message: `The operation ${operation} is not available in the offline sandbox (only GetParameters)`,
});

export const SSM_NAMES_MISSING: AwsError = {
  errorType: 'ValidationException',
  message: "1 validation error detected: Value null at 'names' failed to satisfy constraint: Member must not be null",
};

export const ssmTooManyNames = (names: readonly string[], max: number): AwsError => ({
  errorType: 'ValidationException',
  message: `1 validation error detected: Value '[${names.join(', ')}]' at 'names' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
});

/** Local: S3 methods other than GET and HEAD. */
export const S3_METHOD_NOT_ALLOWED: AwsError = {
  errorType: 'MethodNotAllowed',
  message: 'The specified method is not allowed against this resource (the offline sandbox serves GetObject only).',
};

/** Local: a bucket listing. */
export const S3_LIST_NOT_ALLOWED: AwsError = { errorType: 'MethodNotAllowed', message: 'ListObjects is not available in the offline sandbox' };

export const S3_NO_SUCH_BUCKET: AwsError = { errorType: 'NoSuchBucket', message: 'The specified bucket does not exist' };

export const S3_NO_SUCH_KEY: AwsError = { errorType: 'NoSuchKey', message: 'The specified key does not exist.' };

// ---------------------------------------------------------------------------------------------
// The storage endpoint (offline/s3): S3's REST XML errors (`<Error><Code>…</Code><Message>…</Message>…</Error>`)
// ---------------------------------------------------------------------------------------------

/** An S3 error: its HTTP status, code and message (the XML body adds the request id and any extra fields). */
export interface S3Error extends AwsError {
  status: number;
  /** Extra elements of the `<Error>` document, e.g. `Key`, `BucketName`. */
  fields?: Record<string, string>;
}

export const s3SignatureMismatch = (): S3Error => ({
  status: 403,
  errorType: 'SignatureDoesNotMatch',
  message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
});

export const s3InvalidAccessKeyId = (accessKeyId: string): S3Error => ({ status: 403, ...S3_INVALID_ACCESS_KEY_ID, fields: { AWSAccessKeyId: accessKeyId } });

/** A request without a signature (neither an Authorization header nor a presigned query). */
export const s3Unsigned = (): S3Error => ({ status: 403, ...S3_ACCESS_DENIED });

/** A presigned URL used after `X-Amz-Date + X-Amz-Expires`. */
export const s3PresignedExpired = (expiresSeconds: number, expiredAt: string, serverTime: string): S3Error => ({
  status: 403,
  errorType: 'AccessDenied',
  message: 'Request has expired',
  fields: { 'X-Amz-Expires': String(expiresSeconds), Expires: expiredAt, ServerTime: serverTime },
});

/** A header-signed request without `x-amz-content-sha256`. */
export const s3MissingContentSha256 = (): S3Error => ({ status: 400, errorType: 'InvalidRequest', message: 'Missing required header for this request: x-amz-content-sha256' });

/** A presigned URL asking for more than seven days, or a malformed expiry. */
export const s3PresignedExpiryInvalid = (): S3Error => ({
  status: 400,
  errorType: 'AuthorizationQueryParametersError',
  message: 'X-Amz-Expires must be less than a week (in seconds) that is 604800',
});

export const s3MalformedAuthorization = (): S3Error => ({
  status: 400,
  errorType: 'AuthorizationHeaderMalformed',
  message: 'The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
});

export const s3TimeTooSkewed = (): S3Error => ({ status: 403, errorType: 'RequestTimeTooSkewed', message: 'The difference between the request time and the current time is too large.' });

export const s3ExpiredToken = (): S3Error => ({ status: 400, errorType: 'ExpiredToken', message: 'The provided token has expired.' });

export const s3InvalidToken = (): S3Error => ({ status: 400, errorType: 'InvalidToken', message: 'The provided token is malformed or otherwise invalid.' });

export const s3ContentSha256Mismatch = (): S3Error => ({ status: 400, errorType: 'XAmzContentSHA256Mismatch', message: 'The provided \'x-amz-content-sha256\' header does not match what was computed.' });

/** Local: a payload signing mode the sandbox does not verify (aws-chunked streaming). */
export const s3PayloadModeNotImplemented = (mode: string): S3Error => ({ status: 501, errorType: 'NotImplemented', message: `The offline sandbox does not accept x-amz-content-sha256: ${mode}` });

/** A bucket's role policy refusing the request, as S3 words it for a caller of the bucket's own account. */
export const s3AccessDenied = (principal: string, action: string, resource: string, reason: 'explicit' | 'implicit' | 'boundary'): S3Error => ({
  status: 403,
  errorType: 'AccessDenied',
  message: iamAccessDenied(principal, action, resource, reason).message,
});

export const s3NoSuchBucket = (bucket: string): S3Error => ({ status: 404, ...S3_NO_SUCH_BUCKET, fields: { BucketName: bucket } });

export const s3NoSuchKey = (key: string): S3Error => ({ status: 404, ...S3_NO_SUCH_KEY, fields: { Key: key } });

export const s3NoSuchUpload = (uploadId: string): S3Error => ({
  status: 404,
  errorType: 'NoSuchUpload',
  message: 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
  fields: { UploadId: uploadId },
});

export const s3InvalidPart = (): S3Error => ({
  status: 400,
  errorType: 'InvalidPart',
  message: "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
});

export const s3InvalidPartOrder = (): S3Error => ({ status: 400, errorType: 'InvalidPartOrder', message: 'The list of parts was not in ascending order. Parts must be ordered by part number.' });

export const s3EntityTooSmall = (): S3Error => ({ status: 400, errorType: 'EntityTooSmall', message: 'Your proposed upload is smaller than the minimum allowed object size.' });

export const s3MalformedXml = (): S3Error => ({ status: 400, errorType: 'MalformedXML', message: 'The XML you provided was not well-formed or did not validate against our published schema' });

export const s3BadDigest = (algorithm: string): S3Error => ({ status: 400, errorType: 'BadDigest', message: `The ${algorithm} you specified did not match the calculated checksum.` });

export const s3InvalidRange = (size: number): S3Error => ({ status: 416, errorType: 'InvalidRange', message: 'The requested range is not satisfiable', fields: { ActualObjectSize: String(size) } });

/** CopyObject: an `x-amz-copy-source` that does not name a bucket and a key. */
export const s3InvalidCopySource = (): S3Error => ({ status: 400, errorType: 'InvalidArgument', message: 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey' });

/** CopyObject onto its own key with the metadata directive COPY (nothing would change). */
export const s3CopyToItself = (): S3Error => ({
  status: 400,
  errorType: 'InvalidRequest',
  message: "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
});

/** An `x-amz-metadata-directive` other than COPY or REPLACE. */
export const s3InvalidMetadataDirective = (value: string): S3Error => ({ status: 400, errorType: 'InvalidArgument', message: `Unknown metadata directive: ${value}` });

/** A condition (`x-amz-copy-source-if-match` / `-if-none-match`) that does not hold. */
export const s3PreconditionFailed = (condition: string): S3Error => ({
  status: 412,
  errorType: 'PreconditionFailed',
  message: 'At least one of the pre-conditions you specified did not hold',
  fields: { Condition: condition },
});

/** Local: the sandbox's limit on one request body (S3's single PUT limit is 5 GB). */
export const s3EntityTooLarge = (limit: number): S3Error => ({ status: 400, errorType: 'EntityTooLarge', message: `Your proposed upload exceeds the offline sandbox's limit of ${limit} bytes per request.` });

/** Local: an S3 operation the sandbox does not serve. */
export const s3NotImplemented = (what: string): S3Error => ({ status: 501, errorType: 'NotImplemented', message: `${what} is not implemented by the offline sandbox's storage endpoint.` });

export const s3CorsForbidden = (): S3Error => ({
  status: 403,
  errorType: 'AccessForbidden',
  message: 'CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource\'s CORS spec.',
});

/** Local: an endpoint handler that threw (the log has the cause). */
export const ENDPOINT_FAILED: AwsError = { errorType: 'InternalServerError', message: 'offline sandbox endpoint failed' };

/**
 * What IAM answers a caller whose role may not perform `action` on `resource` (DynamoDB sends it with `Message`,
 * capital M): denied by an explicit deny, by no permissions boundary allowing it, or by no policy allowing it.
 */
export const iamAccessDenied = (principal: string, action: string, resource: string, reason: 'explicit' | 'implicit' | 'boundary'): AwsError => {
  const because =
    reason === 'explicit'
      ? 'with an explicit deny in an identity-based policy'
      : reason === 'boundary'
        ? `because no permissions boundary allows the ${action} action`
        : `because no identity-based policy allows the ${action} action`;
  return { errorType: 'AccessDeniedException', message: `User: ${principal} is not authorized to perform: ${action} on resource: ${resource} ${because}` };
};

// =============================================================================================
// Cognito identity pools (Cognito Federated Identities)
//
// The same AWS JSON 1.1 protocol and error shape as the user pool (`CognitoError`), target prefix
// `AWSCognitoIdentityService.`; texts as the service answers GetId and GetCredentialsForIdentity.
// =============================================================================================

/** GetId / GetCredentialsForIdentity naming a pool the backend does not have. */
export const identityPoolNotFound = (identityPoolId: string): CognitoError => new CognitoError('ResourceNotFoundException', `IdentityPool '${identityPoolId}' not found.`);

/** GetCredentialsForIdentity for an identity id the pool never issued. */
export const identityNotFound = (identityId: string): CognitoError => new CognitoError('ResourceNotFoundException', `Identity '${identityId}' not found.`);

/** No (valid) login, and the pool does not allow guests. */
export const UNAUTHENTICATED_NOT_SUPPORTED = 'Unauthenticated access is not supported for this identity pool.';
export const unauthenticatedNotSupported = (): CognitoError => new CognitoError('NotAuthorizedException', UNAUTHENTICATED_NOT_SUPPORTED);

/** A Logins entry whose token is expired, forged, revoked or not an ID token of the pool's app client. */
export const invalidLoginToken = (why: string): CognitoError => new CognitoError('NotAuthorizedException', `Invalid login token. ${why}`);

/** A Logins key naming a provider the pool does not trust. */
export const invalidLoginProvider = (provider: string): CognitoError =>
  new CognitoError('NotAuthorizedException', `Invalid login token. Issuer doesn't match providerName: ${provider}`);

/** Credentials for an authenticated identity asked without its login (or with another user's). */
export const loginsDoNotMatch = (): CognitoError =>
  new CognitoError('NotAuthorizedException', "Logins don't match. Please include at least one valid login for this identity or identity pool.");

/** The pool's role attachment gives no role for this kind of identity. */
export const identityPoolWithoutRole = (): CognitoError =>
  new CognitoError('InvalidIdentityPoolConfigurationException', 'Invalid identity pool configuration. Check assigned IAM roles for this pool.');

/** Local: the sandbox serves GetId and GetCredentialsForIdentity only. */
export const identityOperationNotEmulated = (operation: string): CognitoError =>
  new CognitoError('UnknownOperationException', `The identity pool operation ${operation} is not emulated by the offline sandbox (GetId and GetCredentialsForIdentity are).`);

// =============================================================================================
// Cognito
//
// Cognito speaks the AWS JSON 1.1 protocol: a failure is HTTP 400 (500 for service faults) with body
// `{"__type":"<Code>","message":"<text>"}` and the code repeated in the `x-amzn-ErrorType` header. The client
// (aws-amplify's `parseJsonError`) reads the header first, then `__type`, and surfaces it as `error.name`.
// =============================================================================================

export type CognitoErrorCode =
  | 'AliasExistsException'
  | 'CodeMismatchException'
  | 'ExpiredCodeException'
  | 'InternalErrorException'
  | 'InvalidIdentityPoolConfigurationException'
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

/** The pool names a trigger that no function of the backend serves (Cognito: UnexpectedLambdaException). */
export const triggerWithoutFunction = (triggerName: string): TriggerInvocationError =>
  new TriggerInvocationError('unexpected', `no function is configured for ${triggerName}`);

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

// ---------------------------------------------------------------------------------------------
// Cognito: AWS JSON input validation (the constraint half of `validationError`'s message)
// ---------------------------------------------------------------------------------------------

export const MUST_NOT_BE_NULL = 'Member must not be null';
export const minLength = (length: number): string => `Member must have length greater than or equal to ${length}`;
export const maxLength = (length: number): string => `Member must have length less than or equal to ${length}`;
export const maxValue = (value: number): string => `Member must have value less than or equal to ${value}`;
export const matchesPattern = (pattern: string): string => `Member must satisfy regular expression pattern: ${pattern}`;
/** The password members' pattern as Cognito prints it. */
export const PASSWORD_PATTERN = '^[\\S]+.*[\\S]+$';
/** Without `values` (as for `authFlow`) the enum's values are not listed. */
export const ENUM_VALUE_SET = 'Member must satisfy enum value set';
export const enumValueSet = (values: readonly string[]): string => `${ENUM_VALUE_SET}: [${values.join(', ')}]`;

// ---------------------------------------------------------------------------------------------
// Cognito: the JSON endpoint and request decoding
// ---------------------------------------------------------------------------------------------

/** Local: anything but `POST /` (or the JWKS and OpenID documents). */
export const notACognitoOperation = (method: string, path: string): CognitoError =>
  new CognitoError('UnknownOperationException', `${method} ${path} is not a Cognito operation`, 404);

/** Local: the body of a 404 for an unknown path (or method) on the Cognito endpoint. */
export const COGNITO_NOT_FOUND = { message: 'Not Found' } as const;

/** Local: the sandbox's body size limit. */
export const requestBodyTooLarge = (limit: number): CognitoError => new CognitoError('InvalidParameterException', `Request body exceeds ${limit} bytes`);

export const unsupportedContentType = (contentType: string): CognitoError =>
  new CognitoError('SerializationException', `Unsupported Content-Type ${contentType || '(none)'}`);

export const missingTarget = (): CognitoError => new CognitoError('UnknownOperationException', 'Missing or unknown X-Amz-Target');

export const malformedJsonBody = (): CognitoError => new CognitoError('SerializationException', 'Malformed JSON request body');

export const internalError = (): CognitoError => new CognitoError('InternalErrorException', 'Internal server error.', 500);

export const unknownOperation = (operation: string): CognitoError => new CognitoError('UnknownOperationException', `Unknown operation ${operation}`);

/** An operation that needs AWS credentials (an admin API) called without them. */
export const missingAuthenticationToken = (): CognitoError => new CognitoError('MissingAuthenticationTokenException', 'Missing Authentication Token');

/** A request body that is not a JSON object. */
export const notAStructure = (): CognitoError => new CognitoError('SerializationException', NOT_A_STRUCTURE.message);

/** A member of the wrong JSON type (`kind`: string, boolean, number, map, list, list of strings). */
export const wrongJsonType = (kind: string, member: string): CognitoError => new CognitoError('SerializationException', `Expected ${kind} for ${member}`);

export const nonStringMapValue = (member: string): CognitoError => new CognitoError('SerializationException', `Expected string values in ${member}`);

export const missingRequiredParameter = (name: string): CognitoError => new CognitoError('InvalidParameterException', `Missing required parameter ${name}`);

// ---------------------------------------------------------------------------------------------
// Cognito: pools, clients, tokens and sessions
// ---------------------------------------------------------------------------------------------

export const userPoolClientNotFound = (clientId: string): CognitoError => new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);

export const userPoolNotFound = (userPoolId: string): CognitoError => new CognitoError('ResourceNotFoundException', `User pool ${userPoolId} does not exist.`);

export const invalidRefreshToken = (): CognitoError => new CognitoError('NotAuthorizedException', 'Invalid Refresh Token');
export const refreshTokenRevoked = (): CognitoError => new CognitoError('NotAuthorizedException', 'Refresh Token has been revoked');
export const refreshTokenExpired = (): CognitoError => new CognitoError('NotAuthorizedException', 'Refresh Token has expired');
export const invalidAccessToken = (): CognitoError => new CognitoError('NotAuthorizedException', 'Invalid Access Token');
export const accessTokenExpired = (): CognitoError => new CognitoError('NotAuthorizedException', 'Access Token has expired');
export const accessTokenRevoked = (): CognitoError => new CognitoError('NotAuthorizedException', 'Access Token has been revoked');
export const accessTokenLacksScopes = (): CognitoError => new CognitoError('NotAuthorizedException', 'Access Token does not have required scopes');

/** A challenge answered with an expired or unknown session. */
export const sessionExpired = (): CognitoError => new CognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.');

// ---------------------------------------------------------------------------------------------
// Cognito: sign-in (InitiateAuth, RespondToAuthChallenge and their admin forms)
// ---------------------------------------------------------------------------------------------

export const flowNotEnabled = (flow: string): CognitoError => new CognitoError('InvalidParameterException', `${flow} flow not enabled for this client`);

export const customAuthNotConfigured = (): CognitoError =>
  new CognitoError('InvalidParameterException', 'Custom auth lambda trigger is not configured for the user pool.');

/** Local: choice-based sign-in is not emulated. */
export const userAuthNotEmulated = (): CognitoError => new CognitoError('UnsupportedOperationException', 'USER_AUTH (choice-based sign-in) is not emulated offline.');

export const srpAInvalid = (): CognitoError => new CognitoError('InvalidParameterException', 'SRP_A is invalid');

export const userNotConfirmed = (): CognitoError => new CognitoError('UserNotConfirmedException', 'User is not confirmed.');

export const temporaryPasswordExpired = (): CognitoError =>
  new CognitoError('NotAuthorizedException', 'Temporary password has expired and must be reset by an administrator.');

export const passwordAttemptsExceeded = (): CognitoError => new CognitoError('NotAuthorizedException', 'Password attempts exceeded');

export const invalidTimestampFormat = (): CognitoError =>
  new CognitoError('InvalidParameterException', 'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.');

export const emailNotModifiableInNewPasswordChallenge = (): CognitoError =>
  new CognitoError('InvalidParameterException', 'Cannot modify the email attribute while completing NEW_PASSWORD_REQUIRED.');

export const unexpectedChallenge = (challengeName: string): CognitoError =>
  new CognitoError('InvalidParameterException', `Challenge ${challengeName} is not expected in this session.`);

// ---------------------------------------------------------------------------------------------
// Cognito: passwords
// ---------------------------------------------------------------------------------------------

/** The rule a password breaks, in Cognito's wording (the part after the prefix of {@link invalidPassword}). */
export const PASSWORD_POLICY_FAILURES = {
  tooShort: 'Password not long enough',
  uppercase: 'Password must have uppercase characters',
  lowercase: 'Password must have lowercase characters',
  numbers: 'Password must have numeric characters',
  symbols: 'Password must have symbol characters',
} as const;

/** A password the pool's policy rejects; admin operations word the prefix differently. */
export const invalidPassword = (context: 'user' | 'admin', failure: string): CognitoError =>
  new CognitoError('InvalidPasswordException', `${context === 'admin' ? 'Password did not conform with password policy' : 'Password did not conform with policy'}: ${failure}`);

export const passwordCannotBeReset = (): CognitoError => new CognitoError('NotAuthorizedException', 'User password cannot be reset in the current state.');

export const noVerifiedContactToReset = (): CognitoError =>
  new CognitoError('InvalidParameterException', 'Cannot reset password for the user as there is no registered/verified email or phone_number');

// ---------------------------------------------------------------------------------------------
// Cognito: sign-up, users and attributes
// ---------------------------------------------------------------------------------------------

/** SignUp's text for a taken username. */
export const USER_ALREADY_EXISTS = 'User already exists';
/** AdminCreateUser's text for a taken username. */
export const USER_ACCOUNT_ALREADY_EXISTS = 'User account already exists';

/** `message` is the operation's wording: {@link USER_ALREADY_EXISTS} or {@link USER_ACCOUNT_ALREADY_EXISTS}. */
export const usernameExists = (message: string): CognitoError => new CognitoError('UsernameExistsException', message);

export const usernameShouldBeEmail = (): CognitoError => new CognitoError('InvalidParameterException', 'Username should be an email.');

export const userAlreadyConfirmed = (): CognitoError => new CognitoError('InvalidParameterException', 'User is already confirmed.');

export const autoVerificationNotTurnedOn = (): CognitoError => new CognitoError('InvalidParameterException', 'Auto verification not turned on.');

export const resendNotPossible = (): CognitoError =>
  new CognitoError('UnsupportedOperationException', 'Resend not possible. User status is not FORCE_CHANGE_PASSWORD.');

export const noEmailToVerify = (): CognitoError => new CognitoError('InvalidParameterException', 'No email attribute to verify.');

export const emailAlreadyVerified = (): CognitoError => new CognitoError('InvalidParameterException', 'The email is already verified.');

export const unknownAttributeType = (name: string): CognitoError =>
  new CognitoError('InvalidParameterException', `Attributes did not conform to the schema: Type for attribute {${name}} could not be determined`);

export const unauthorizedAttributeWrite = (): CognitoError => new CognitoError('NotAuthorizedException', 'A client attempted to write unauthorized attribute');

export const nonMutableAttribute = (name: string): CognitoError => new CognitoError('InvalidParameterException', `Cannot modify the non-mutable attribute ${name}`);

export const invalidEmailFormat = (): CognitoError => new CognitoError('InvalidParameterException', 'Invalid email address format.');

export const notABooleanAttribute = (name: string): CognitoError => new CognitoError('InvalidParameterException', `Invalid value for ${name}: must be true or false.`);

export const requiredAttributeMissing = (name: string): CognitoError =>
  new CognitoError('InvalidParameterException', `Attributes did not conform to the schema: ${name}: The attribute is required`);

/** ListUsers. */
export const unparsableFilter = (): CognitoError => new CognitoError('InvalidParameterException', 'Error while parsing filter.');
export const invalidSearchAttribute = (attribute: string): CognitoError => new CognitoError('InvalidParameterException', `Invalid search attribute: ${attribute}`);
export const invalidPaginationToken = (): CognitoError => new CognitoError('InvalidParameterException', 'Invalid pagination token.');

// ---------------------------------------------------------------------------------------------
// Cognito: codes and Lambda triggers
// ---------------------------------------------------------------------------------------------

export const codeAttemptLimitExceeded = (): CognitoError => new CognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.');

export const codeExpired = (): CognitoError => new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');

/** A trigger that timed out, crashed or returned something unparsable. */
export const unexpectedLambda = (triggerName: string, message: string): CognitoError =>
  new CognitoError('UnexpectedLambdaException', `${triggerName} invocation failed due to error ${message}.`);

/** A trigger whose handler threw. */
export const userLambdaValidation = (triggerName: string, message: string): CognitoError =>
  new CognitoError('UserLambdaValidationException', `${triggerName} failed with error ${message}.`);

export const unrecognizableLambdaOutput = (): CognitoError => new CognitoError('InvalidLambdaResponseException', 'Unrecognizable lambda output');

// =============================================================================================
// The sandbox console (offline/console): its own JSON API, not an AWS one. A failure is
// `{ "error": { "code", "message" } }` with the HTTP status below; AWS errors of what it drives (DynamoDB, Cognito)
// pass through with their own code and message and status 400.
// =============================================================================================

export interface ConsoleError {
  status: number;
  code: string;
  message: string;
}

export const CONSOLE_UNAUTHORIZED: ConsoleError = {
  status: 401,
  code: 'Unauthorized',
  message: "Open the console through the URL the sandbox printed: it carries this run's secret.",
};

export const CONSOLE_FOREIGN_HOST: ConsoleError = { status: 403, code: 'ForeignHost', message: 'The console answers only to its own loopback address.' };

export const CONSOLE_FOREIGN_ORIGIN: ConsoleError = { status: 403, code: 'ForeignOrigin', message: 'Only the console itself may send this request.' };

export const CONSOLE_BODY_TOO_LARGE: ConsoleError = { status: 413, code: 'BodyTooLarge', message: 'The request body is larger than 1 MiB.' };

export const consoleBodyTooLarge = (maxBytes: number): ConsoleError => ({ status: 413, code: 'BodyTooLarge', message: `The request body is larger than ${maxBytes / 1024 / 1024} MiB.` });

export const consoleNotFound = (what: string): ConsoleError => ({ status: 404, code: 'NotFound', message: `No ${what} here.` });

export const consoleMethodNotAllowed = (method: string, path: string): ConsoleError => ({ status: 405, code: 'MethodNotAllowed', message: `${path} does not take ${method}.` });

export const consoleBadRequest = (message: string): ConsoleError => ({ status: 400, code: 'BadRequest', message });

/** A request's resolver trace the console did not keep (unknown id, too old, or made while no Live page was open). */
export const consoleTraceNotKept = (requestId: string): ConsoleError => ({
  status: 404,
  code: 'TraceNotKept',
  message: `No trace of request ${requestId}: traces are kept for the latest 200 requests made while the Live page is open.`,
});

/** An error of the service the console drove (DynamoDB, Cognito), with that service's own code and message. */
export const consoleServiceError = (code: string, message: string): ConsoleError => ({ status: 400, code, message });

export const CONSOLE_INTERNAL: ConsoleError = { status: 500, code: 'InternalError', message: 'The console failed to answer; the sandbox log says why.' };

/** The explorer's subscription socket (`/api/subscriptions`): one page's limit on subscriptions open at once. */
export const consoleTooManySubscriptions = (max: number): ConsoleError => ({
  status: 429,
  code: 'TooManySubscriptions',
  message: `A page may have at most ${max} subscriptions open at once: stop one first.`,
});

export const consoleDuplicateSubscription = (id: string): ConsoleError => ({ status: 400, code: 'DuplicateSubscription', message: `A subscription with id ${id} is already open.` });

/** AppSync's real-time connection of a subscription ended without a `complete` (the sandbox stopped or reloaded its server). */
export const consoleRealtimeClosed = (code: number): ConsoleError => ({
  status: 502,
  code: 'RealtimeClosed',
  message: `AppSync's real-time connection closed (${code}) before the subscription completed.`,
});

/** AppSync's real-time endpoint refused the console's connection or could not be reached (TLS, network). */
export const consoleRealtimeFailed = (reason: string): ConsoleError => ({
  status: 502,
  code: 'RealtimeConnectionFailed',
  message: `The console could not connect to AppSync's real-time endpoint: ${reason}`,
});
