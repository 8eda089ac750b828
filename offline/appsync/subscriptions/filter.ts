/**
 * AppSync enhanced subscription filters, evaluated on a published payload
 * (https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-enhanced-filtering.html; the filter
 * shapes are those of @aws-appsync/utils' subscription-filter types).
 *
 * A payload is delivered when ANY filter group matches; a group matches when ALL its filters match.
 * Field names may be dotted paths into nested objects.
 */

import type { SubscriptionFilter, SubscriptionFilterRule } from '../util/context.js';

/** AppSync's limits on enhanced filters (a subscription exceeding them is refused). */
export const FILTER_LIMITS = { groups: 10, filtersPerGroup: 5, inValues: 5, containsAnyValues: 20, pathLength: 256, pathDepth: 5 };

const OPERATORS = new Set<string>(['eq', 'ne', 'le', 'lt', 'ge', 'gt', 'contains', 'notContains', 'beginsWith', 'in', 'notIn', 'between', 'containsAny']);

/** Why a filter would be refused by AppSync, or undefined when it is valid. */
export function filterProblem(filter: unknown): string | undefined {
  const groups = (filter as SubscriptionFilter | null)?.filterGroup;
  if (!Array.isArray(groups) || groups.length === 0) return 'filterGroup must be a non-empty list';
  if (groups.length > FILTER_LIMITS.groups) return `at most ${FILTER_LIMITS.groups} filter groups are allowed`;
  for (const group of groups) {
    const filters = group?.filters;
    if (!Array.isArray(filters) || filters.length === 0) return 'every filter group needs at least one filter';
    if (filters.length > FILTER_LIMITS.filtersPerGroup) return `at most ${FILTER_LIMITS.filtersPerGroup} filters per group are allowed`;
    for (const rule of filters) {
      if (typeof rule?.fieldName !== 'string' || rule.fieldName === '') return 'filter fieldName must be a non-empty string';
      if (rule.fieldName.length > FILTER_LIMITS.pathLength || rule.fieldName.split('.').length > FILTER_LIMITS.pathDepth) {
        return `filter field ${rule.fieldName} is too long or too deep`;
      }
      if (!OPERATORS.has(rule.operator)) return `unsupported filter operator ${String(rule.operator)}`;
      if (rule.operator === 'in' || rule.operator === 'notIn') {
        if (!Array.isArray(rule.value) || rule.value.length > FILTER_LIMITS.inValues) {
          return `${rule.operator} takes a list of at most ${FILTER_LIMITS.inValues} values`;
        }
      }
      if (rule.operator === 'containsAny' && (!Array.isArray(rule.value) || rule.value.length > FILTER_LIMITS.containsAnyValues)) {
        return `containsAny takes a list of at most ${FILTER_LIMITS.containsAnyValues} values`;
      }
      if (rule.operator === 'between' && (!Array.isArray(rule.value) || rule.value.length !== 2)) {
        return 'between takes a list of two values';
      }
    }
  }
  return undefined;
}

function valueAt(payload: unknown, path: string): unknown {
  let current: unknown = payload;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function comparable(a: unknown, b: unknown): boolean {
  return (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  return false;
}

function ruleMatches(rule: SubscriptionFilterRule, payload: unknown): boolean {
  const actual = valueAt(payload, rule.fieldName);
  const expected = rule.value;
  switch (rule.operator) {
    case 'eq':
      return equal(actual, expected);
    case 'ne':
      return !equal(actual, expected);
    case 'lt':
      return comparable(actual, expected) && (actual as number) < (expected as number);
    case 'le':
      return comparable(actual, expected) && (actual as number) <= (expected as number);
    case 'gt':
      return comparable(actual, expected) && (actual as number) > (expected as number);
    case 'ge':
      return comparable(actual, expected) && (actual as number) >= (expected as number);
    case 'contains':
      if (Array.isArray(actual)) return actual.some((item) => equal(item, expected));
      return typeof actual === 'string' && typeof expected === 'string' && actual.includes(expected);
    case 'notContains':
      if (Array.isArray(actual)) return !actual.some((item) => equal(item, expected));
      return typeof actual === 'string' && typeof expected === 'string' && !actual.includes(expected);
    case 'beginsWith':
      return typeof actual === 'string' && typeof expected === 'string' && actual.startsWith(expected);
    case 'in':
      return Array.isArray(expected) && expected.some((v) => equal(actual, v));
    case 'notIn':
      return Array.isArray(expected) && !expected.some((v) => equal(actual, v));
    case 'between': {
      const [lo, hi] = expected as [unknown, unknown];
      return comparable(actual, lo) && comparable(actual, hi) && (actual as number) >= (lo as number) && (actual as number) <= (hi as number);
    }
    case 'containsAny':
      return Array.isArray(actual) && Array.isArray(expected) && expected.some((v) => actual.some((item) => equal(item, v)));
    default:
      return false;
  }
}

/** True when the payload passes the filter (any group whose filters all match). */
export function matchesFilter(filter: SubscriptionFilter, payload: unknown): boolean {
  return filter.filterGroup.some((group) => group.filters.every((rule) => ruleMatches(rule, payload)));
}

/**
 * Basic argument filtering: every argument the subscriber supplied must equal the same-named
 * top-level field of the payload; an argument supplied as null filters for null (AppSync
 * "argument null value has meaning"); omitted arguments do not filter.
 */
export function matchesArguments(args: Record<string, unknown>, payload: Record<string, unknown> | null): boolean {
  return Object.entries(args).every(([name, value]) => equal(payload?.[name], value));
}
