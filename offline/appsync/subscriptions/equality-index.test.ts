import { describe, expect, it } from 'vitest';
import type { SubscriptionFilter, SubscriptionFilterRule } from '../util/context.js';
import { EqualityIndex, equalityKeyOf } from './equality-index.js';
import { matchesArguments, matchesFilter } from './filter.js';

const rule = (fieldName: string, operator: string, value: unknown): SubscriptionFilterRule => ({ fieldName, operator, value });
const filter = (...groups: SubscriptionFilterRule[][]): SubscriptionFilter => ({ filterGroup: groups.map((filters) => ({ filters })) });

describe('equalityKeyOf', () => {
  it('files a filter under the field every group pins with eq or in', () => {
    expect(equalityKeyOf(filter([rule('conversationId', 'eq', 'c1'), rule('kind', 'ne', 'SYSTEM')]), {})).toEqual({ path: 'conversationId', values: ['c1'] });
    expect(equalityKeyOf(filter([rule('a', 'eq', 1)], [rule('a', 'in', [2, 3])]), {})).toEqual({ path: 'a', values: [1, 2, 3] });
    expect(equalityKeyOf(filter([rule('x', 'gt', 1), rule('owner.id', 'eq', null)]), {})).toEqual({ path: 'owner.id', values: [null] });
  });

  it('files nothing when a group does not pin the field to scalars', () => {
    expect(equalityKeyOf(filter([rule('a', 'eq', 1)], [rule('b', 'eq', 2)]), {})).toBeUndefined();
    expect(equalityKeyOf(filter([rule('a', 'eq', { nested: 1 })]), {})).toBeUndefined();
    expect(equalityKeyOf(filter([rule('a', 'beginsWith', 'x')]), {})).toBeUndefined();
    expect(equalityKeyOf(filter([rule('a', 'in', [1, [2]])]), {})).toBeUndefined();
  });

  it('files a subscription without a filter under its first scalar argument', () => {
    expect(equalityKeyOf(undefined, { conversationId: 'c1' })).toEqual({ path: 'conversationId', values: ['c1'] });
    expect(equalityKeyOf(undefined, {})).toBeUndefined();
  });
});

/** A deterministic pseudo-random sequence (no flakiness: the same cases on every run). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('EqualityIndex', () => {
  it('offers every subscription whose filter or arguments accept a payload, and each once', () => {
    const next = random(7);
    const pick = <T,>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const values = ['a', 'b', 1, '1', 0, true, null, 'c'];
    const operators = ['eq', 'eq', 'in', 'ne', 'gt', 'beginsWith', 'contains'];
    const fields = ['id', 'room', 'nested.id'];
    const randomRule = (): SubscriptionFilterRule => {
      const operator = pick(operators);
      return rule(pick(fields), operator, operator === 'in' ? [pick(values), pick(values)] : pick(values));
    };
    type Sub = { id: number; filter?: SubscriptionFilter; args: Record<string, unknown> };
    const subs: Sub[] = [];
    const index = new EqualityIndex<Sub>();
    for (let id = 0; id < 400; id++) {
      const sub: Sub =
        next() < 0.25
          ? { id, args: next() < 0.8 ? { [pick(['id', 'room'])]: pick(values) } : {} }
          : { id, args: {}, filter: filter(...Array.from({ length: 1 + Math.floor(next() * 3) }, () => Array.from({ length: 1 + Math.floor(next() * 3) }, randomRule))) };
      subs.push(sub);
      index.add(sub, equalityKeyOf(sub.filter, sub.args));
    }
    // Some leave again: they must never be offered.
    const removed = new Set(subs.filter((sub) => sub.id % 5 === 0));
    for (const sub of removed) index.remove(sub);
    expect(index.size).toBe(subs.length - removed.size);

    let matched = 0;
    for (let n = 0; n < 300; n++) {
      const payload: Record<string, unknown> = {};
      for (const field of ['id', 'room']) if (next() < 0.8) payload[field] = pick(values);
      if (next() < 0.5) payload['nested'] = next() < 0.8 ? { id: pick(values) } : pick(values);
      const offered = [...index.candidates(payload)];
      expect(new Set(offered).size).toBe(offered.length);
      for (const sub of offered) expect(removed.has(sub)).toBe(false);
      const offeredSet = new Set(offered);
      for (const sub of subs) {
        if (removed.has(sub)) continue;
        const accepts = sub.filter ? matchesFilter(sub.filter, payload) : matchesArguments(sub.args, payload);
        if (accepts) {
          matched++;
          expect(offeredSet.has(sub), `subscription ${sub.id} accepts ${JSON.stringify(payload)}`).toBe(true);
        }
      }
      // It narrows: far fewer candidates than subscriptions for a payload (the point of the index).
      expect(offered.length).toBeLessThan(index.size);
    }
    expect(matched).toBeGreaterThan(100);
  });

  it('forgets an item once removed, and re-files it when added again', () => {
    const index = new EqualityIndex<string>();
    index.add('s', { path: 'room', values: ['r1'] });
    expect([...index.candidates({ room: 'r1' })]).toEqual(['s']);
    index.add('s', { path: 'room', values: ['r2'] });
    expect([...index.candidates({ room: 'r1' })]).toEqual([]);
    expect([...index.candidates({ room: 'r2' })]).toEqual(['s']);
    index.remove('s');
    expect([...index.candidates({ room: 'r2' })]).toEqual([]);
    expect(index.size).toBe(0);
  });
});
