/** `createUtil` shares its stateless members between invocations; per-invocation state must stay per invocation. */
import { describe, expect, it } from 'vitest';
import { ResolverError } from './context.js';
import { Effects } from './effects.js';
import { renderVtl } from '../vtl/index.js';
import type { ResolverContext } from './context.js';
import { createUtil } from './util-object.js';

/** The VTL members this test calls (`createUtil`'s return type is the union of the two engines' objects). */
type VtlUtil = ReturnType<typeof createUtil> & { log: { info(...parts: unknown[]): string }; validate(condition: unknown, message: unknown): string };
const env = (fieldName: string) => ({ info: { fieldName, parentTypeName: 'Query' }, authType: 'IAM Authorization' as const });

describe('createUtil', () => {
  it('keeps errors, logs, the caller and an injected clock per invocation', () => {
    const [effectsA, effectsB] = [new Effects(), new Effects()];
    const a = createUtil(env('a'), effectsA, 'VTL') as VtlUtil;
    const b = createUtil({ ...env('b'), authType: 'User Pool Authorization', clock: { now: () => 0 } }, effectsB, 'VTL') as VtlUtil;
    a.appendError('only in a');
    a.log.info('log a');
    expect(effectsA.errors.map((e) => e.message)).toEqual(['only in a']);
    expect(effectsB.errors).toEqual([]);
    expect(effectsB.logs).toEqual([]);
    expect([a.authType(), b.authType()]).toEqual(['IAM Authorization', 'User Pool Authorization']);
    expect(b.time.nowEpochMilliSeconds()).toBe(0);
    expect(a.time.nowEpochMilliSeconds()).toBeGreaterThan(0);
    // An abort carries its own invocation's appended errors and names its own field.
    const unauthorized = (() => {
      try {
        b.unauthorized();
      } catch (error) {
        return error as ResolverError;
      }
    })();
    expect(unauthorized?.message).toBe('Not Authorized to access b on type Query');
    expect(unauthorized?.appendedErrors).toEqual([]);
    expect(() => a.validate(false, 'refused')).toThrow(ResolverError);
    expect(effectsB.errors).toEqual([]);
  });

  it('shares only frozen, stateless members between invocations', () => {
    const a = createUtil(env('a'), new Effects(), 'JS');
    const b = createUtil(env('b'), new Effects(), 'JS');
    expect(a.dynamodb).toBe(b.dynamodb);
    expect(a.time).toBe(b.time);
    for (const shared of [a.dynamodb, a.time, a.transform, a.http, a.list, a.map, a.str, a.math]) expect(Object.isFrozen(shared)).toBe(true);
    expect(a.appendError).not.toBe(b.appendError);
    expect(a.error).not.toBe(b.error);
    // VTL adds the JSON variants; JS does not see them.
    expect('toMapValuesJson' in createUtil(env('a'), new Effects(), 'VTL').dynamodb).toBe(true);
    expect('toMapValuesJson' in a.dynamodb).toBe(false);
  });

  it('a template cannot leave anything behind in a shared member for the next request', () => {
    const ctx = { arguments: {}, source: null, identity: null, stash: {}, prev: { result: null }, request: { headers: {} }, info: { fieldName: 'f', parentTypeName: 'Query', variables: {}, selectionSetList: [], selectionSetGraphQL: '' }, authType: 'IAM Authorization' } as unknown as ResolverContext;
    for (const member of ['dynamodb', 'list', 'time']) {
      expect(() => renderVtl(`$util.qr($util.${member}.put("leak", 1))`, ctx)).toThrow();
      expect(renderVtl(`$util.${member}.leak`, ctx).value).toBe(`$util.${member}.leak`);
    }
  });
});
