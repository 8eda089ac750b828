/**
 * The resolver context and outcome shared by the VTL and APPSYNC_JS engines.
 *
 * AppSync semantics (https://docs.aws.amazon.com/appsync/latest/devguide/resolver-context-reference-js.html):
 * - `arguments` / `args` are the same object; `stash` is one mutable map shared by every step of a
 *   pipeline; `prev.result` is the previous step's output; `result` / `error` exist in response handlers.
 * - `util.error` aborts the handler (the field becomes null, one error entry); `util.appendError` records
 *   an error and lets the handler continue; `util.unauthorized` aborts with errorType `Unauthorized`.
 */
import { notAuthorizedToAccess } from '../../errors.js';

export type AuthTypeName =
  | 'User Pool Authorization'
  | 'IAM Authorization'
  | 'API Key Authorization'
  | 'Open ID Connect Authorization'
  | 'Lambda Authorization';

export type JsonObject = { [key: string]: unknown };

export interface ResolverInfo {
  fieldName: string;
  parentTypeName: string;
  variables: JsonObject;
  selectionSetList: string[];
  selectionSetGraphQL: string;
}

/**
 * What a resolver handler sees. Pass the SAME `stash` and `arguments` objects to every step of one
 * pipeline: both engines mutate them in place so that later steps observe earlier writes.
 */
export interface ResolverContext {
  arguments: JsonObject;
  source: JsonObject | null;
  /** Cognito `{sub, issuer, username, claims, sourceIp, defaultAuthStrategy, groups}`, IAM `{accountId, cognitoIdentityPoolId, …}`, … or null (API key). */
  identity: JsonObject | null;
  stash: JsonObject;
  prev: { result: unknown };
  result?: unknown;
  error?: { message: string; type: string } | null;
  request: { headers: Record<string, string>; domainName: string | null };
  info: ResolverInfo;
  authType: AuthTypeName;
  /** `ctx.env` (read-only environment variables); empty when not configured. */
  env?: Record<string, string>;
}

/** One error entry as AppSync reports it (`message`, `errorType`, `data`, `errorInfo`). */
export interface ResolverErrorInfo {
  message: string;
  errorType: string | null;
  data: unknown;
  errorInfo: unknown;
}

/** `util.error` / `util.unauthorized` / template failures: the handler is aborted. */
export class ResolverError extends Error implements ResolverErrorInfo {
  readonly errorType: string | null;
  readonly data: unknown;
  readonly errorInfo: unknown;
  /** Errors `appendError`ed before the abort; AppSync reports them too. */
  appendedErrors: ResolverErrorInfo[] = [];

  constructor(message: string, errorType: string | null = null, data: unknown = null, errorInfo: unknown = null) {
    super(message);
    this.name = 'ResolverError';
    this.errorType = errorType;
    this.data = data;
    this.errorInfo = errorInfo;
  }

  /** A resolver error from the catalogue's shape (offline/errors.ts). */
  static of(error: { message: string; errorType: string }): ResolverError {
    return new ResolverError(error.message, error.errorType);
  }

  toJSON(): ResolverErrorInfo {
    return { message: this.message, errorType: this.errorType, data: this.data, errorInfo: this.errorInfo };
  }
}

/** `$util.unauthorized()` as AppSync reports it (amplify-cli#4907): `Not Authorized to access <field> on type <Parent>`. */
export function unauthorizedError(info: Pick<ResolverInfo, 'fieldName' | 'parentTypeName'>): ResolverError {
  const { message, errorType } = notAuthorizedToAccess(info.fieldName, info.parentTypeName);
  return new ResolverError(message, errorType);
}

/** AppSync enhanced subscription filter (`extensions.setSubscriptionFilter`): https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-enhanced-filtering.html */
export interface SubscriptionFilterRule {
  fieldName: string;
  /** Any string: `util.transform.toSubscriptionFilter` passes operators through; validation refuses unknown ones. */
  operator: string;
  value: unknown;
}
export interface SubscriptionFilter {
  filterGroup: { filters: SubscriptionFilterRule[] }[];
}

export interface InvalidationRequest {
  subscriptionField: string;
  payload: JsonObject;
}

export interface CacheEviction {
  typeName: string;
  fieldName: string;
  keys: JsonObject;
}

/** Early return: VTL `#return` / `#return($x)`, JS `runtime.earlyReturn(obj, {skipTo})`. */
export interface EarlyReturn {
  value: unknown;
  /** JS only; AppSync's default is to continue with the next step. */
  skipTo?: 'END' | 'NEXT';
}

/** Everything a handler produced besides aborting. */
export interface ResolverOutcome<V> {
  /** VTL: the rendered text. JS: the handler's return value (undefined when it returned nothing). */
  value: V;
  /** `util.appendError` entries, in call order. */
  errors: ResolverErrorInfo[];
  earlyReturn?: EarlyReturn;
  subscriptionFilter?: SubscriptionFilter;
  subscriptionInvalidationFilter?: SubscriptionFilter;
  invalidations: InvalidationRequest[];
  cacheEvictions: CacheEviction[];
  /** `console.log` / `console.error` lines (APPSYNC_JS) in call order. */
  logs: string[];
}

export type VtlOutcome = ResolverOutcome<string>;
export type JsOutcome = ResolverOutcome<unknown>;
