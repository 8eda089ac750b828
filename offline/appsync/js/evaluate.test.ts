/**
 * APPSYNC_JS engine: the app's own onMessageSent pipeline (`amplify/data/callerParticipantForms.js`, then the
 * membership check `conversationMember.js`, then `conversationEvents.js`, sharing one stash), the
 * `@aws-appsync/utils/dynamodb` helpers (shapes captured from AWS), the runtime's language limits and
 * sandbox escapes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ResolverError, type JsonObject, type ResolverContext } from '../util/context.js';
import { evaluateJs } from './evaluate.js';
import { UnsupportedCodeError } from './language-check.js';

const CALLER_FORMS = readFileSync(new URL('../../../amplify/data/callerParticipantForms.js', import.meta.url), 'utf8');
const MEMBER = readFileSync(new URL('../../../amplify/data/conversationMember.js', import.meta.url), 'utf8');
const ON_MESSAGE_SENT = readFileSync(new URL('../../../amplify/data/conversationEvents.js', import.meta.url), 'utf8');

/** `c` once the pipeline's first step has run on it (it writes the caller's forms into the shared stash). */
function afterCallerForms(c: ResolverContext): ResolverContext {
  evaluateJs(CALLER_FORMS, 'request', c);
  return c;
}

const alice = { sub: 'a1b2c3d4-0000-4000-8000-000000000001', username: 'alice' };

function ctx(args: JsonObject = {}, extra: Partial<ResolverContext> = {}): ResolverContext {
  return {
    arguments: args,
    source: null,
    identity: { sub: alice.sub, username: alice.username, claims: { sub: alice.sub, username: alice.username }, issuer: 'local', sourceIp: [], defaultAuthStrategy: 'ALLOW', groups: null },
    stash: {},
    prev: { result: null },
    request: { headers: {}, domainName: null },
    info: { fieldName: 'onMessageSent', parentTypeName: 'Subscription', variables: {}, selectionSetList: [], selectionSetGraphQL: '' },
    authType: 'User Pool Authorization',
    ...extra,
  };
}

function abortOf(run: () => unknown): ResolverError {
  try {
    run();
  } catch (e) {
    if (e instanceof ResolverError) return e;
    throw e;
  }
  throw new Error('expected an abort');
}

const module = (request: string, response = 'return ctx.result;'): string =>
  `import { util, extensions, runtime } from '@aws-appsync/utils';\nimport * as ddb from '@aws-appsync/utils/dynamodb';\nexport function request(ctx) { ${request} }\nexport function response(ctx) { ${response} }`;

describe('the onMessageSent pipeline: callerParticipantForms.js, conversationMember.js, then conversationEvents.js', () => {
  it('the membership step reads the conversation with a consistent GetItem', () => {
    expect(evaluateJs(MEMBER, 'request', afterCallerForms(ctx({ conversationId: 'c1' }))).value).toEqual({ operation: 'GetItem', key: { id: { S: 'c1' } }, consistentRead: true });
  });

  it.each([
    ['<sub>::<username>', `${alice.sub}::${alice.username}`],
    ['<sub>', alice.sub],
    ['<username>', alice.username],
  ])('sets the conversation filter and the invalidation filter for a participant listed as %s', (_form, entry) => {
    const c = afterCallerForms(ctx({ conversationId: 'c1' }, { result: { id: 'c1', participants: [entry, 'bob'] } }));
    expect(evaluateJs(MEMBER, 'response', c).value).toBeNull();
    const outcome = evaluateJs(ON_MESSAGE_SENT, 'response', c);
    expect(outcome.value).toBeNull();
    // The conversation's MESSAGE_SENT events, and the caller among the event's participants, in each canonical form.
    const group = (form: string) => ({
      filters: [
        { fieldName: 'conversationId', operator: 'eq', value: 'c1' },
        { fieldName: 'participants', operator: 'contains', value: form },
        { fieldName: 'type', operator: 'eq', value: 'MESSAGE_SENT' },
      ],
    });
    expect(outcome.subscriptionFilter).toEqual({
      filterGroup: [group(`${alice.sub}::${alice.username}`), group(`${alice.sub}::${alice.sub}`), group(`${alice.username}::${alice.username}`)],
    });
    // Ended when the caller leaves or is removed (invalidateMemberSubscriptions names the conversation and the sub).
    expect(outcome.subscriptionInvalidationFilter).toEqual({
      filterGroup: [{ filters: [{ fieldName: 'conversationId', operator: 'eq', value: 'c1' }, { fieldName: 'userId', operator: 'eq', value: alice.sub }] }],
    });
  });

  it('refuses a non-participant and a missing conversation; the first step refuses an API-key caller', () => {
    for (const c of [
      ctx({ conversationId: 'c1' }, { result: { id: 'c1', participants: ['bob', 'carol'] } }),
      ctx({ conversationId: 'c1' }, { result: null }),
    ]) {
      const error = abortOf(() => evaluateJs(MEMBER, 'response', afterCallerForms(c)));
      expect([error.errorType, error.message]).toEqual(['Unauthorized', 'Not Authorized to access onMessageSent on type Subscription']);
    }
    const apiKey = ctx({ conversationId: 'c1' }, { identity: null, authType: 'API Key Authorization' });
    const error = abortOf(() => evaluateJs(CALLER_FORMS, 'request', apiKey));
    expect([error.errorType, error.message]).toEqual(['Unauthorized', 'Not Authorized to access onMessageSent on type Subscription']);
    // Without the earlier steps' stash, the later ones refuse too (never open by default).
    const skipped = abortOf(() => evaluateJs(MEMBER, 'response', ctx({ conversationId: 'c1' }, { result: { id: 'c1', participants: [alice.sub] } })));
    expect(skipped.errorType).toBe('Unauthorized');
    const noMembership = abortOf(() => evaluateJs(ON_MESSAGE_SENT, 'response', afterCallerForms(ctx({ conversationId: 'c1' }))));
    expect(noMembership.errorType).toBe('Unauthorized');
  });

  it('the membership step re-raises a data-source error', () => {
    const error = abortOf(() => evaluateJs(MEMBER, 'response', afterCallerForms(ctx({ conversationId: 'c1' }, { error: { message: 'throttled', type: 'DynamoDB:ProvisionedThroughputExceededException' } }))));
    expect([error.errorType, error.message]).toEqual(['DynamoDB:ProvisionedThroughputExceededException', 'throttled']);
  });
});

describe('@aws-appsync/utils/dynamodb helpers (AWS captures)', () => {
  const req = (expr: string): unknown => evaluateJs(module(`return ${expr};`), 'request', ctx()).value;
  it('get / put / remove / scan', () => {
    expect(JSON.stringify(req(`ddb.get({ key: { id: 'id' } })`))).toBe('{"operation":"GetItem","key":{"id":{"S":"id"}}}');
    expect(JSON.stringify(req(`ddb.put({ key: { id: 'abc' }, item: { value: 10 } })`))).toBe('{"operation":"PutItem","key":{"id":{"S":"abc"}},"attributeValues":{"value":{"N":10}}}');
    expect(JSON.stringify(req(`ddb.remove({ key: { id: 'test' } })`))).toBe('{"operation":"DeleteItem","key":{"id":{"S":"test"}}}');
    expect(JSON.stringify(req(`ddb.scan({ limit: 10, nextToken: 'abc' })`))).toBe('{"operation":"Scan","limit":10,"nextToken":"abc"}');
  });
  it('update with operations.increment', () => {
    expect(req(`ddb.update({ key: { id: 'test' }, update: { age: ddb.operations.increment(10) } })`)).toEqual({
      operation: 'UpdateItem',
      key: { id: { S: 'test' } },
      update: { expression: 'SET #expName_1 = #expName_1 + :expValue_1', expressionNames: { '#expName_1': 'age' }, expressionValues: { ':expValue_1': { N: 10 } } },
    });
  });
  it('query, batch and transaction requests', () => {
    expect(req(`ddb.query({ query: { conversationId: { eq: 'c1' }, createdAt: { beginsWith: '2026' } }, index: 'byConversation', limit: 5 })`)).toEqual({
      operation: 'Query',
      query: {
        expression: '#conversationId = :conversationId_eq AND begins_with(#createdAt, :createdAt_beginsWith)',
        expressionNames: { '#conversationId': 'conversationId', '#createdAt': 'createdAt' },
        expressionValues: { ':conversationId_eq': { S: 'c1' }, ':createdAt_beginsWith': { S: '2026' } },
      },
      index: 'byConversation',
      limit: 5,
    });
    expect(req(`ddb.batchGet({ tables: { T: { keys: [{ id: 'a' }] } } })`)).toEqual({ operation: 'BatchGetItem', tables: { T: { keys: [{ id: { S: 'a' } }] } } });
    expect(req(`ddb.transactWrite({ items: [{ putItem: { table: 'T', key: { id: 'a' }, item: { n: 1 }, condition: { id: { attributeExists: false } } } }] })`)).toEqual({
      operation: 'TransactWriteItems',
      transactItems: [
        { table: 'T', key: { id: { S: 'a' } }, operation: 'PutItem', attributeValues: { n: { N: 1 } }, condition: { expression: '(attribute_not_exists(#id))', expressionNames: { '#id': 'id' } } },
      ],
    });
  });
});

describe('runtime, extensions and pipeline state', () => {
  it('stash and argument writes reach the caller objects; prev.result is readable', () => {
    const c = ctx({ a: 1 }, { prev: { result: { n: 41 } } });
    const stash = c.stash;
    const out = evaluateJs(module(`ctx.stash.seen = ctx.prev.result.n + 1; ctx.args.b = 2; return {};`), 'request', c);
    expect(out.value).toEqual({});
    expect(c.stash).toBe(stash);
    expect(c.stash).toEqual({ seen: 42 });
    expect(c.arguments).toEqual({ a: 1, b: 2 });
  });

  it('runtime.earlyReturn skips with the given result, keeping earlier stash writes', () => {
    const c = ctx();
    const out = evaluateJs(module(`ctx.stash.before = true; runtime.earlyReturn({ cached: 1 }, { skipTo: 'END' }); ctx.stash.after = true; return {};`), 'request', c);
    expect(out.earlyReturn).toEqual({ value: { cached: 1 }, skipTo: 'END' });
    expect(c.stash).toEqual({ before: true });
  });

  it('appendError keeps the value; util.error aborts with data and errorInfo', () => {
    const kept = evaluateJs(module(`return null;`, `util.appendError('partial', 'Warn'); return [1];`), 'response', ctx());
    expect([kept.value, kept.errors]).toEqual([[1], [{ message: 'partial', errorType: 'Warn', data: null, errorInfo: null }]]);
    const error = abortOf(() => evaluateJs(module(`util.error('bad', 'Custom', { a: 1 }, { b: 2 });`), 'request', ctx()));
    expect([error.message, error.errorType, error.data, error.errorInfo]).toEqual(['bad', 'Custom', { a: 1 }, { b: 2 }]);
  });

  it('records invalidation and a runtime fault is a Code error', () => {
    const out = evaluateJs(module(`extensions.invalidateSubscriptions({ subscriptionField: 'onX', payload: { id: 'c1' } }); extensions.setSubscriptionInvalidationFilter(util.transform.toSubscriptionFilter({ id: { eq: 'c1' } })); return null;`), 'request', ctx());
    expect(out.invalidations).toEqual([{ subscriptionField: 'onX', payload: { id: 'c1' } }]);
    expect(out.subscriptionInvalidationFilter).toEqual({ filterGroup: [{ filters: [{ fieldName: 'id', operator: 'eq', value: 'c1' }] }] });
    expect(abortOf(() => evaluateJs(module(`return ctx.args.missing.deeper;`), 'request', ctx())).errorType).toBe('Code');
  });

  it('module-level and global state does not leak between invocations', () => {
    const code = module(`const before = globalThis.counter; globalThis.counter = 1; state.push(1); return { before: before === undefined, size: state.length };`).replace('export function request', 'const state = [];\nexport function request');
    expect(evaluateJs(code, 'request', ctx()).value).toEqual({ before: true, size: 1 });
    expect(evaluateJs(code, 'request', ctx()).value).toEqual({ before: true, size: 1 });
  });
});

describe('language limits of the APPSYNC_JS runtime are rejected at load time', () => {
  it.each([
    ['try/catch/finally', 'try { return 1; } catch (e) { return 2; }'],
    ['throw', `throw new Error('x');`],
    ['while loop', 'let i = 0; while (i < 2) { i = i + 1; } return i;'],
    ['do-while loop', 'let i = 0; do { i = i + 1; } while (i < 2); return i;'],
    ['for(;;) loop', 'for (let i = 0; i < 2; i += 1) {} return 1;'],
    ['continue', 'for (const x of [1]) { continue; } return 1;'],
    ['label', 'outer: for (const x of [1]) { break outer; } return 1;'],
    ['class', 'class A {} return 1;'],
    ['generator function', 'function* g() { yield 1; } return 1;'],
    ['async function', 'const f = async () => 1; return 1;'],
    ['Promise', 'return Promise.resolve(1);'],
    ['++ operator', 'let i = 0; i++; return i;'],
    ['~ operator', 'return ~1;'],
    ['in operator', `return 'a' in ctx.args;`],
    ['instanceof operator', 'return ctx.args instanceof Object;'],
    ['regex literal', 'return /a/.test("a");'],
    ['this', 'return this;'],
    ['eval', `return eval('1');`],
    ['reassigning ctx', 'ctx = {}; return 1;'],
    ['modifying a top-level ctx property', 'ctx.result = 1; return 1;'],
    ['Object.defineProperty', `Object.defineProperty(ctx.stash, 'x', { value: 1 }); return 1;`],
    ['.padStart()', `return 'a'.padStart(3);`],
  ])('%s', (construct, body) => {
    let caught: unknown;
    try {
      evaluateJs(module(body), 'request', ctx());
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UnsupportedCodeError);
    expect((caught as UnsupportedCodeError).problems.map((p) => p.construct).join('|')).toContain(construct);
  });

  it('a syntax error is refused with where it is (and code only TypeScript accepts is one)', () => {
    for (const [code, line, column] of [
      ['export function request(ctx) {\n  return { a: };\n}\nexport function response(ctx) {}', 2, 15],
      ['export function request(ctx: unknown) { return {}; }\nexport function response(ctx) {}', 1, 28],
    ] as const) {
      let caught: unknown;
      try {
        evaluateJs(code, 'request', ctx());
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(UnsupportedCodeError);
      const [problem] = (caught as UnsupportedCodeError).problems;
      expect(problem).toMatchObject({ line, column });
      expect(problem!.construct).toMatch(/^syntax error \(.+\)$/);
    }
  });

  it('recursion and foreign imports', () => {
    expect(() => evaluateJs(`function f(n) { return n === 0 ? 0 : f(n - 1); }\nexport function request(ctx) { return f(2); }\nexport function response(ctx) {}`, 'request', ctx())).toThrow(/recursion \(f\)/);
    expect(() => evaluateJs(`import fs from 'node:fs';\nexport function request(ctx) { return 1; }\nexport function response(ctx) {}`, 'request', ctx())).toThrow(/import from 'node:fs'/);
  });

  it('allows what the runtime supports (for-of, for-in, spread, template literals, arrow callbacks, Object.keys)', () => {
    const body = 'const out = []; for (const k in { a: 1 }) { out.push(k); } for (const v of [1, 2]) { out.push(v * 2); } return `${[...out].join(",")}:${Object.keys({ z: 1 }).length}:${[3].map((x) => x + 1)[0]}`;';
    expect(evaluateJs(module(body), 'request', ctx()).value).toBe('a,2,4:1:4');
  });
});

describe('sandbox escapes fail', () => {
  it.each([
    ['constructor chain of ctx', `return ctx.constructor.constructor('return process')().env;`],
    ['constructor chain of a util function', `return util.autoId.constructor('return process')();`],
    ['constructor chain of a host result', `return util.dynamodb.toMapValues({ a: 1 }).constructor.constructor('return process')();`],
    ['globalThis.process', `return globalThis.process.env;`],
    ['require', `return require('fs');`],
    ['fetch', `return fetch('http://example.com');`],
    ['setTimeout', `return setTimeout(() => 1, 0);`],
  ])('%s', (_label, body) => {
    const error = abortOf(() => evaluateJs(module(body), 'request', ctx()));
    expect(error.errorType).toBe('Code');
  });

  it('the sandbox exposes no Node globals', () => {
    const out = evaluateJs(module(`return [typeof globalThis.process, typeof globalThis.require, typeof globalThis.Buffer, typeof globalThis.fetch, typeof globalThis.setTimeout].join(',');`), 'request', ctx());
    expect(out.value).toBe('undefined,undefined,undefined,undefined,undefined');
  });

  it('built-ins are frozen', () => {
    expect(abortOf(() => evaluateJs(module(`Array.prototype.polluted = 1; return 1;`), 'request', ctx())).errorType).toBe('Code');
  });
});
