/**
 * Builds the `$util` (VTL) / `util` (APPSYNC_JS) object and the `$extensions` / `extensions` object
 * for one handler invocation. Both engines share every implementation; the differences are AppSync's:
 * VTL has `qr`/`quiet`, `validate`, `log`, and the `dynamodb.…Json` variants; void functions return
 * `''` in VTL because Velocity renders a void method call as nothing.
 */
import { VALIDATE_ERROR_TYPE } from '../../errors.js';
import { ResolverError, unauthorizedError, type AuthTypeName, type ResolverInfo } from './context.js';
import { listUtils, mapUtils, mathUtils, strUtils } from './collections.js';
import { dynamodbJsonUtils, dynamodbUtils } from './util-dynamodb.js';
import type { Effects } from './effects.js';
import { toDynamoDBConditionExpression, toDynamoDBFilterExpression } from './filter-expression.js';
import * as general from './general.js';
import { toSubscriptionFilter } from './subscription-filter.js';
import { systemClock, timeUtils, type Clock } from './time.js';
import { javaString } from './values.js';

export type Engine = 'VTL' | 'JS';

export interface UtilEnvironment {
  info: Pick<ResolverInfo, 'fieldName' | 'parentTypeName'>;
  authType: AuthTypeName;
  clock?: Clock;
}

function errorArgs(message: unknown, errorType?: unknown, data?: unknown, errorInfo?: unknown): ConstructorParameters<typeof ResolverError> {
  return [javaString(message), errorType == null ? null : javaString(errorType), data ?? null, errorInfo ?? null];
}

/**
 * The members that carry no per-invocation state — pure functions of their arguments (and, for the time and id
 * helpers, of the system clock read at call time) — built once per engine instead of once per handler invocation
 * (a resolver call builds a `$util` per template, which showed in CPU profiles of the sandbox under load; under tsx
 * every one of these closures also costs a `defineProperty` for its name). Frozen, because every invocation shares them. Members bound to the invocation's
 * `effects` (errors, logs), its caller (`authType`, `unauthorized`) or an injected test clock stay per invocation.
 */
function sharedMembers(engine: Engine) {
  const nothing = engine === 'VTL' ? '' : undefined;
  return Object.freeze({
    autoId: general.autoId,
    escapeJavaScript: general.escapeJavaScript,
    urlEncode: general.urlEncode,
    urlDecode: general.urlDecode,
    base64Encode: general.base64Encode,
    base64Decode: general.base64Decode,
    parseJson: general.parseJson,
    toJson: general.toJson,
    matches: general.matches,
    isNull: general.isNull,
    isNullOrEmpty: general.isNullOrEmpty,
    isNullOrBlank: general.isNullOrBlank,
    defaultIfNull: general.defaultIfNull,
    defaultIfNullOrEmpty: general.defaultIfNullOrEmpty,
    defaultIfNullOrBlank: general.defaultIfNullOrBlank,
    isString: general.isString,
    isNumber: general.isNumber,
    isBoolean: general.isBoolean,
    isList: general.isList,
    isMap: general.isMap,
    typeOf: general.typeOf,
    dynamodb: Object.freeze(engine === 'VTL' ? { ...dynamodbUtils, ...dynamodbJsonUtils } : { ...dynamodbUtils }),
    transform: Object.freeze({ toDynamoDBFilterExpression, toDynamoDBConditionExpression, toSubscriptionFilter }),
    // (Already shared before; frozen now, so a template's `$util.list.put(…)` cannot leak into other requests.)
    list: Object.freeze(listUtils),
    map: Object.freeze(mapUtils),
    str: Object.freeze(strUtils),
    math: Object.freeze(mathUtils),
    http: Object.freeze({
      copyHeaders: (headers: unknown) => ({ ...(headers as Record<string, unknown>) }),
      addResponseHeader: () => nothing,
      addResponseHeaders: () => nothing,
    }),
  });
}

/** Clock-dependent members for the system clock: they read `Date.now()` when called, so they can be shared too. */
function clockMembers(clock: Clock) {
  return {
    autoUlid: () => general.autoUlid(clock.now()),
    autoKsuid: () => general.autoKsuid(clock.now()),
    time: Object.freeze(timeUtils(clock)),
  };
}

const SHARED = { VTL: sharedMembers('VTL'), JS: sharedMembers('JS') } as const;
const SYSTEM_CLOCK_MEMBERS = Object.freeze(clockMembers(systemClock));

export function createUtil(env: UtilEnvironment, effects: Effects, engine: Engine) {
  const clock = env.clock ?? systemClock;
  const nothing = engine === 'VTL' ? '' : undefined;
  const error = (message: unknown, errorType?: unknown, data?: unknown, errorInfo?: unknown): never => {
    throw effects.abort(new ResolverError(...errorArgs(message, errorType, data, errorInfo)));
  };
  const util = {
    ...SHARED[engine],
    ...(clock === systemClock ? SYSTEM_CLOCK_MEMBERS : clockMembers(clock)),
    authType: (): AuthTypeName => env.authType,
    /** Aborts the handler: the field becomes null, with one error entry. */
    error,
    appendError: (message: unknown, errorType?: unknown, data?: unknown, errorInfo?: unknown) => {
      effects.appendError(...errorArgs(message, errorType, data, errorInfo));
      return nothing;
    },
    unauthorized: (): never => {
      throw effects.abort(unauthorizedError(env.info));
    },
  };
  if (engine === 'JS') return util;
  return Object.assign(util, {
    /** `$util.qr(...)` / `$util.quiet(...)`: evaluate, render nothing. */
    qr: () => '',
    quiet: () => '',
    /** `$util.validate(condition, message, errorType?, data?)`: aborts when the condition is false. */
    validate: (condition: unknown, message: unknown, errorType?: unknown, data?: unknown) => {
      if (condition !== true) error(message, errorType ?? VALIDATE_ERROR_TYPE, data);
      return '';
    },
    log: {
      info: (...parts: unknown[]) => (effects.logs.push(parts.map(javaString).join(' ')), ''),
      error: (...parts: unknown[]) => (effects.logs.push(parts.map(javaString).join(' ')), ''),
    },
  });
}

export function createExtensions(effects: Effects, engine: Engine) {
  const nothing = engine === 'VTL' ? '' : undefined;
  return {
    setSubscriptionFilter: (filter: unknown) => (effects.setSubscriptionFilter(filter), nothing),
    setSubscriptionInvalidationFilter: (filter: unknown) => (effects.setSubscriptionInvalidationFilter(filter), nothing),
    invalidateSubscriptions: (request: unknown) => (effects.invalidateSubscriptions(request), nothing),
    evictFromApiCache: (typeName: unknown, fieldName: unknown, keys: unknown) => (effects.evictFromApiCache(typeName, fieldName, keys), nothing),
  };
}
