/**
 * AppSync enhanced subscription filters, evaluated on a published payload
 * (https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-enhanced-filtering.html; the filter
 * shapes are those of @aws-appsync/utils' subscription-filter types).
 *
 * A payload is delivered when ANY filter group matches; a group matches when ALL its filters match.
 * Field names may be dotted paths into nested objects. Whether a filter is valid is decided once, by
 * `validateSubscriptionFilter` (util/subscription-filter.ts), before it is stored.
 */

import type { SubscriptionFilter, SubscriptionFilterRule } from '../util/context.js';

/** The value at a dotted path of the payload (undefined where the path leaves the objects). */
export function valueAt(payload: unknown, path: string): unknown {
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
