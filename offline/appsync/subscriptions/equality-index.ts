/**
 * Which subscriptions of a field a published payload can reach, without testing every one of them.
 *
 * A subscription whose filter requires one field to equal one of a few scalar values (`eq` / `in` on the same field in
 * every filter group, or a subscription argument, which basic filtering compares for equality) is filed under those
 * values; a payload then only needs to look at the subscriptions filed under its own value of that field, plus those
 * that could not be filed. The index only narrows the candidates: the publisher still runs the full filter on each, so
 * what is delivered is decided by `matchesFilter` / `matchesArguments` alone (filter.ts), never by this file.
 */
import type { SubscriptionFilter } from '../util/context.js';
import { valueAt } from './filter.js';

/** A field the subscription's filter pins to one of `values` (scalars: string, number, boolean or null). */
export interface EqualityKey {
  path: string;
  values: unknown[];
}

const isScalar = (value: unknown): boolean =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/**
 * The bucket of a value. Filters compare with `===`, and treat a missing field as null (filter.ts `equal`): a missing
 * field shares null's bucket; 1 and "1" do not share one.
 */
function bucketOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return 'null';
  return isScalar(value) ? `${typeof value}:${String(value)}` : undefined;
}

/** The scalar values a group's rule on `path` accepts, or undefined when the group does not pin `path` to scalars. */
function pinnedValues(group: SubscriptionFilter['filterGroup'][number], path: string): unknown[] | undefined {
  for (const rule of group.filters) {
    if (rule.fieldName !== path) continue;
    if (rule.operator === 'eq' && isScalar(rule.value)) return [rule.value];
    if (rule.operator === 'in' && Array.isArray(rule.value) && rule.value.every(isScalar)) return rule.value;
  }
  return undefined;
}

/** The equality a subscription's filter (or, without one, its arguments) imposes on every payload it accepts. */
export function equalityKeyOf(filter: SubscriptionFilter | undefined, args: Record<string, unknown>): EqualityKey | undefined {
  if (filter) {
    const [first, ...rest] = filter.filterGroup;
    if (!first) return undefined;
    for (const rule of first.filters) {
      const path = rule.fieldName;
      const firstValues = pinnedValues(first, path);
      if (!firstValues) continue;
      const values = [...firstValues];
      let everyGroup = true;
      for (const group of rest) {
        const more = pinnedValues(group, path);
        if (!more) {
          everyGroup = false;
          break;
        }
        values.push(...more);
      }
      if (everyGroup) return { path, values };
    }
    return undefined;
  }
  for (const [name, value] of Object.entries(args)) if (isScalar(value)) return { path: name, values: [value] };
  return undefined;
}

/** Items filed by equality keys; anything without a key is a candidate for every payload. */
export class EqualityIndex<T> {
  /** path → bucket → items. */
  private readonly byPath = new Map<string, Map<string, Set<T>>>();
  private readonly unkeyed = new Set<T>();
  private readonly keys = new Map<T, EqualityKey | undefined>();

  add(item: T, key: EqualityKey | undefined): void {
    this.remove(item);
    this.keys.set(item, key);
    if (!key) {
      this.unkeyed.add(item);
      return;
    }
    let buckets = this.byPath.get(key.path);
    if (!buckets) this.byPath.set(key.path, (buckets = new Map()));
    for (const value of key.values) {
      const bucket = bucketOf(value)!;
      let items = buckets.get(bucket);
      if (!items) buckets.set(bucket, (items = new Set()));
      items.add(item);
    }
  }

  remove(item: T): void {
    if (!this.keys.has(item)) return;
    const key = this.keys.get(item);
    this.keys.delete(item);
    if (!key) {
      this.unkeyed.delete(item);
      return;
    }
    const buckets = this.byPath.get(key.path);
    if (!buckets) return;
    for (const value of key.values) {
      const bucket = bucketOf(value)!;
      const items = buckets.get(bucket);
      items?.delete(item);
      if (items?.size === 0) buckets.delete(bucket);
    }
    if (buckets.size === 0) this.byPath.delete(key.path);
  }

  /** Every item that may accept `payload` (each once): the unkeyed ones and those filed under the payload's values. */
  candidates(payload: unknown): T[] {
    const found: T[] = [...this.unkeyed];
    for (const [path, buckets] of this.byPath) {
      const bucket = bucketOf(valueAt(payload, path));
      const items = bucket === undefined ? undefined : buckets.get(bucket);
      if (items) for (const item of items) found.push(item);
    }
    return found;
  }

  get size(): number {
    return this.keys.size;
  }
}
