/**
 * `util.transform.toSubscriptionFilter(obj, ignoredFields?, rules?)` and validation of the
 * `filterGroup` objects handed to `extensions.setSubscriptionFilter`.
 *
 * Expansion follows the AWS captures in `localstack/appsync-utils`
 * (`__tests__/__snapshots__/transform-subscription.test.js.snap`): the result is a disjunctive normal
 * form — every operator of a field, every member of an `or` and every rule is an alternative, `and`
 * members and sibling keys are combined, so groups multiply out (first key varies slowest). `not` is
 * NOT a negation here (it is read as a field name); operators are passed through unvalidated;
 * ignored fields are dropped at every nesting level; null / arrays / strings give `null`.
 */
import type { SubscriptionFilter, SubscriptionFilterRule } from './context.js';
import { isPlainMap } from './values.js';

type Conjunction = SubscriptionFilterRule[];
type Dnf = Conjunction[];

const TRUE: Dnf = [[]];

function product(a: Dnf, b: Dnf): Dnf {
  const out: Dnf = [];
  for (const x of a) for (const y of b) out.push([...x, ...y]);
  return out;
}

function expand(filter: unknown, ignored: ReadonlySet<string>): Dnf {
  if (!isPlainMap(filter)) return TRUE;
  let result: Dnf = TRUE;
  for (const [key, value] of Object.entries(filter)) {
    if (ignored.has(key)) continue;
    if (key === 'and' || key === 'or') {
      const members = Array.isArray(value) ? value : [value];
      const expanded = members.map((m) => expand(m, ignored));
      const combined = key === 'and' ? expanded.reduce(product, TRUE) : expanded.flat();
      result = product(result, combined);
    } else if (isPlainMap(value)) {
      const alternatives: Dnf = Object.entries(value).map(([operator, v]) => [{ fieldName: key, operator, value: v }]);
      if (alternatives.length > 0) result = product(result, alternatives);
    }
  }
  return result;
}

export function toSubscriptionFilter(filter: unknown, ignoredFields?: readonly string[] | null, rules?: unknown): SubscriptionFilter | null {
  if (!isPlainMap(filter)) return null;
  const ignored = new Set(ignoredFields ?? []);
  let dnf = expand(filter, ignored);
  if (isPlainMap(rules)) {
    // "at least one of the rules will be satisfied": each rule operator is one alternative.
    const alternatives: Dnf = Object.entries(rules).flatMap(([field, ops]) =>
      isPlainMap(ops) ? Object.entries(ops).map(([operator, value]) => [{ fieldName: field, operator, value }]) : [],
    );
    if (alternatives.length > 0) dnf = product(dnf, alternatives);
  }
  return { filterGroup: dnf.filter((g) => g.length > 0).map((filters) => ({ filters })) };
}

/** Operators an enhanced subscription filter may use (https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-enhanced-filtering.html). */
export const SUBSCRIPTION_FILTER_OPERATORS: ReadonlySet<string> = new Set([
  'eq',
  'ne',
  'le',
  'lt',
  'ge',
  'gt',
  'contains',
  'notContains',
  'beginsWith',
  'in',
  'notIn',
  'between',
  'containsAny',
]);

/**
 * AppSync's limits on enhanced filters (a subscription exceeding them is refused): 10 groups, 5 filters per group,
 * `in`/`notIn` ≤ 5 values, `containsAny` ≤ 20, field paths ≤ 256 characters and 5 levels. The numbers are secondhand
 * (as encoded by the `lambda-appsync` Rust crate), see docs/offline-fidelity.md.
 */
export const SUBSCRIPTION_FILTER_LIMITS = { groups: 10, filtersPerGroup: 5, inValues: 5, containsAnyValues: 20, fieldPathLength: 256, fieldPathDepth: 5 };

/**
 * Problems that make AppSync refuse a filter; empty when valid. The one check of a filter's shape: run when a handler
 * calls `extensions.setSubscriptionFilter` / `setSubscriptionInvalidationFilter`, and again by the subscription engine
 * on what a subscription resolver left. An empty filter (no group, or a group without filters) is refused.
 */
export function validateSubscriptionFilter(filter: unknown): string[] {
  const problems: string[] = [];
  if (!isPlainMap(filter) || !Array.isArray(filter['filterGroup'])) return ['filter must be an object with a filterGroup list'];
  const groups: unknown[] = filter['filterGroup'];
  if (groups.length === 0) problems.push('filterGroup is empty');
  if (groups.length > SUBSCRIPTION_FILTER_LIMITS.groups) problems.push(`filterGroup has ${groups.length} groups (max ${SUBSCRIPTION_FILTER_LIMITS.groups})`);
  groups.forEach((group, gi) => {
    const filters: unknown = isPlainMap(group) ? group['filters'] : undefined;
    if (!Array.isArray(filters)) {
      problems.push(`filterGroup[${gi}] has no filters list`);
      return;
    }
    if (filters.length === 0) problems.push(`filterGroup[${gi}] has no filters`);
    if (filters.length > SUBSCRIPTION_FILTER_LIMITS.filtersPerGroup) problems.push(`filterGroup[${gi}] has ${filters.length} filters (max ${SUBSCRIPTION_FILTER_LIMITS.filtersPerGroup})`);
    filters.forEach((f: unknown, fi) => {
      const where = `filterGroup[${gi}].filters[${fi}]`;
      if (!isPlainMap(f) || typeof f['fieldName'] !== 'string' || typeof f['operator'] !== 'string') {
        problems.push(`${where} must have fieldName and operator`);
        return;
      }
      const { fieldName, operator, value } = f as unknown as SubscriptionFilterRule;
      if (fieldName === '') problems.push(`${where}: fieldName is empty`);
      if (!SUBSCRIPTION_FILTER_OPERATORS.has(operator)) problems.push(`${where}: unsupported operator ${operator}`);
      if (fieldName.length > SUBSCRIPTION_FILTER_LIMITS.fieldPathLength || fieldName.split('.').length > SUBSCRIPTION_FILTER_LIMITS.fieldPathDepth)
        problems.push(`${where}: field path ${fieldName} too long or too deep`);
      const list = (max: number): void => {
        if (!Array.isArray(value)) problems.push(`${where}: ${operator} needs a list`);
        else if (value.length > max) problems.push(`${where}: ${operator} has ${value.length} values (max ${max})`);
      };
      if (operator === 'in' || operator === 'notIn') list(SUBSCRIPTION_FILTER_LIMITS.inValues);
      if (operator === 'containsAny') list(SUBSCRIPTION_FILTER_LIMITS.containsAnyValues);
      if (operator === 'between' && !(Array.isArray(value) && value.length === 2)) problems.push(`${where}: between needs [low, high]`);
    });
  });
  return problems;
}
