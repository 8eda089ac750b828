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

/**
 * One published payload as the filters read it, for many filters in a row (a publish checks every subscription's):
 * each path is resolved once, and a list's members are put in a Set the first time a `contains` / `notContains` asks
 * for a non-null value, so checking n per-user filters against a list of n members costs O(n), not O(n²). Whether a
 * payload passes is exactly what the linear checks decide: members are compared with `===` (a Set's SameValueZero
 * differs only for NaN, which no JSON value is), and null or undefined are looked up linearly.
 */
export class PayloadView {
  private readonly values = new Map<string, unknown>();
  private readonly members = new Map<string, Set<unknown>>();

  constructor(readonly payload: unknown) {}

  valueAt(path: string): unknown {
    if (this.values.has(path)) return this.values.get(path);
    const value = valueAt(this.payload, path);
    this.values.set(path, value);
    return value;
  }

  /** Whether the list at `path` (`list`, already read) has a member equal to `expected`. */
  listHas(path: string, list: readonly unknown[], expected: unknown): boolean {
    if (expected === null || expected === undefined || list.length < 16) return list.some((item) => equal(item, expected));
    let set = this.members.get(path);
    if (!set) this.members.set(path, (set = new Set(list)));
    return set.has(expected);
  }
}

function ruleMatches(rule: SubscriptionFilterRule, view: PayloadView): boolean {
  const actual = view.valueAt(rule.fieldName);
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
      if (Array.isArray(actual)) return view.listHas(rule.fieldName, actual, expected);
      return typeof actual === 'string' && typeof expected === 'string' && actual.includes(expected);
    case 'notContains':
      if (Array.isArray(actual)) return !view.listHas(rule.fieldName, actual, expected);
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

/**
 * True when the payload passes the filter (any group whose filters all match). `payload` may be a PayloadView, for a
 * caller that checks many filters against one payload.
 */
export function matchesFilter(filter: SubscriptionFilter, payload: unknown): boolean {
  const view = payload instanceof PayloadView ? payload : new PayloadView(payload);
  return filter.filterGroup.some((group) => group.filters.every((rule) => ruleMatches(rule, view)));
}

/**
 * Basic argument filtering: every argument the subscriber supplied must equal the same-named
 * top-level field of the payload; an argument supplied as null filters for null (AppSync
 * "argument null value has meaning"); omitted arguments do not filter.
 */
export function matchesArguments(args: Record<string, unknown>, payload: Record<string, unknown> | null): boolean {
  return Object.entries(args).every(([name, value]) => equal(payload?.[name], value));
}
