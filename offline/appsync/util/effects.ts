/**
 * Side effects one handler invocation records through `util` / `extensions` / `runtime`, turned
 * into a `ResolverOutcome` by the engine.
 */
import {
  ResolverError,
  type CacheEviction,
  type EarlyReturn,
  type InvalidationRequest,
  type ResolverErrorInfo,
  type ResolverOutcome,
  type SubscriptionFilter,
} from './context.js';
import { INVALIDATION_WITHOUT_FIELD, invalidSubscriptionFilter, tooManyInvalidations } from '../../errors.js';
import { validateSubscriptionFilter } from './subscription-filter.js';
import { cloneData, isPlainMap } from './values.js';

/** AppSync rejects more than 5 `invalidateSubscriptions` calls per request (a GraphQL error). */
export const MAX_INVALIDATIONS = 5;

export class Effects {
  errors: ResolverErrorInfo[] = [];
  earlyReturn?: EarlyReturn;
  subscriptionFilter?: SubscriptionFilter;
  subscriptionInvalidationFilter?: SubscriptionFilter;
  invalidations: InvalidationRequest[] = [];
  cacheEvictions: CacheEviction[] = [];
  logs: string[] = [];

  appendError(message: unknown, errorType?: unknown, data?: unknown, errorInfo?: unknown): void {
    this.errors.push({ message: String(message), errorType: errorType == null ? null : String(errorType), data: data ?? null, errorInfo: errorInfo ?? null });
  }

  /** An abort carrying the errors appended so far. */
  abort(error: ResolverError): ResolverError {
    error.appendedErrors = [...this.errors];
    return error;
  }

  private checkedFilter(filter: unknown, what: string): SubscriptionFilter {
    const problems = validateSubscriptionFilter(filter);
    if (problems.length > 0) {
      const { message, errorType } = invalidSubscriptionFilter(what, problems.join('; '));
      throw this.abort(new ResolverError(message, errorType));
    }
    return cloneData(filter) as SubscriptionFilter;
  }

  setSubscriptionFilter(filter: unknown): void {
    this.subscriptionFilter = this.checkedFilter(filter, 'subscription filter');
  }

  setSubscriptionInvalidationFilter(filter: unknown): void {
    this.subscriptionInvalidationFilter = this.checkedFilter(filter, 'subscription invalidation filter');
  }

  invalidateSubscriptions(request: unknown): void {
    if (!isPlainMap(request) || typeof request['subscriptionField'] !== 'string') {
      throw this.abort(new ResolverError(INVALIDATION_WITHOUT_FIELD.message, INVALIDATION_WITHOUT_FIELD.errorType));
    }
    if (this.invalidations.length >= MAX_INVALIDATIONS) {
      const { message, errorType } = tooManyInvalidations(MAX_INVALIDATIONS);
      throw this.abort(new ResolverError(message, errorType));
    }
    this.invalidations.push({ subscriptionField: request['subscriptionField'], payload: cloneData(isPlainMap(request['payload']) ? request['payload'] : {}) });
  }

  evictFromApiCache(typeName: unknown, fieldName: unknown, keys: unknown): void {
    this.cacheEvictions.push({ typeName: String(typeName), fieldName: String(fieldName), keys: isPlainMap(keys) ? cloneData(keys) : {} });
  }

  outcome<V>(value: V): ResolverOutcome<V> {
    const out: ResolverOutcome<V> = { value, errors: this.errors, invalidations: this.invalidations, cacheEvictions: this.cacheEvictions, logs: this.logs };
    if (this.earlyReturn) out.earlyReturn = this.earlyReturn;
    if (this.subscriptionFilter) out.subscriptionFilter = this.subscriptionFilter;
    if (this.subscriptionInvalidationFilter) out.subscriptionInvalidationFilter = this.subscriptionInvalidationFilter;
    return out;
  }
}
