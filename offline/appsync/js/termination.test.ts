/**
 * How the runs of APPSYNC_JS modules are bounded (termination.ts: not at all, counted, or by a watchdog), and that a
 * module that runs away is stopped and answered with an error instead of holding the sandbox.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ResolverError, type ResolverContext } from '../util/context.js';
import { evaluateJs } from './evaluate.js';
import { checkLanguage } from './language-check.js';
import { mayRunUnbounded, RUN_CHECK, runBoundOf } from './termination.js';
import { transformModule } from './module-transform.js';

const unbounded = (code: string) => mayRunUnbounded(checkLanguage(code));

describe('mayRunUnbounded', () => {
  it('lets straight-line code run unbounded, helper functions called directly included', () => {
    expect(unbounded(`export function request(ctx) { return { payload: ctx.args.event }; }\nexport function response(ctx) { return ctx.result; }`)).toBe(false);
    expect(unbounded(`import { util } from '@aws-appsync/utils';\nfunction owner(ctx) { return ctx.identity.sub; }\nexport function request(ctx) { if (!owner(ctx)) util.unauthorized(); return { key: util.dynamodb.toMapValues({ id: ctx.args.id }) }; }\nexport function response(ctx) { return ctx.result.items[0] ?? null; }`)).toBe(false);
    expect(unbounded(`export function request(ctx) { return {}; }\nexport function response(ctx) { return ctx.args.text.replace('a', 'b').split(','); }`)).toBe(false);
    // Amplify's generated pipeline handlers are top-level arrow functions.
    expect(unbounded(`export const request = (ctx) => { ctx.stash.awsAppsyncApiId = 'x'; return {}; };\nexport const response = (ctx) => { return ctx.prev.result; };`)).toBe(false);
  });

  it.each([
    ['a for…of loop', `export function request(ctx) { const a = [1]; for (const x of a) a.push(x); return {}; }`],
    ['a for…in loop', `export function request(ctx) { for (const k in ctx.args) ctx.stash[k] = 1; return {}; }`],
    ['an arrow function (a callback)', `export function request(ctx) { return ctx.args.ids.map((id) => ({ id })); }`],
    ['a function expression', `export function request(ctx) { return ctx.args.ids.map(function (id) { return id; }); }`],
    ['a module function used as a value', `function twice(x) { return x * 2; }\nexport function request(ctx) { return ctx.args.ids.map(twice); }`],
    ['a module arrow function used as a value', `const twice = (x) => x * 2;\nexport function request(ctx) { return ctx.args.ids.map(twice); }`],
    ['an arrow function inside a module arrow function', `export const request = (ctx) => ctx.args.ids.map((id) => id);`],
    ['String.prototype.match', `export function request(ctx) { return { m: ctx.args.text.match('(a+)+$') }; }`],
    ['String.prototype.search by name', `export function request(ctx) { return { m: ctx.args.text['search']('(a+)+$') }; }`],
    ['util.matches', `import { util } from '@aws-appsync/utils';\nexport function request(ctx) { return { m: util.matches('(a+)+$', ctx.args.text) }; }`],
    ['an object method (a function value)', `export function request(ctx) { const o = { twice(x) { return x * 2; } }; return { v: o.twice(1) }; }`],
    ['a method called by a computed name', `export function request(ctx) { return { m: ctx.args.text[ctx.args.name]('x') }; }`],
  ])('bounds the runs of code with %s (counted or by a watchdog)', (_name, code) => {
    expect(unbounded(code)).toBe(true);
  });
});

const ctx = (args: Record<string, unknown>): ResolverContext => ({
  arguments: args,
  source: null,
  identity: null,
  stash: {},
  prev: { result: null },
  request: { headers: {}, domainName: null },
  info: { fieldName: 'f', parentTypeName: 'Query', variables: {}, selectionSetList: [], selectionSetGraphQL: '' },
  authType: 'API Key Authorization',
});

describe('how runs are bounded', () => {
  const bound = (code: string) => runBoundOf(checkLanguage(code));

  it('counts loops and function values, and times by a watchdog what can run long inside one built-in call', () => {
    expect(bound(`export function request(ctx) { return { payload: ctx.args.event }; }`)).toBe('none');
    expect(bound(`export function request(ctx) { for (const x of ctx.args.xs) ctx.stash.n = x; return {}; }`)).toBe('counted');
    expect(bound(`export function request(ctx) { return { ids: ctx.args.xs.map((x) => x.id) }; }`)).toBe('counted');
    expect(bound(`export function request(ctx) { return { ids: ctx.args.xs.map((x) => x.id), m: ctx.args.text.match('(a+)+$') }; }`)).toBe('watchdog');
    expect(bound(`export function request(ctx) { return { m: ctx.args.text[ctx.args.name]('x') }; }`)).toBe('watchdog');
    // A module that names the check itself could replace it: it gets the watchdog.
    expect(bound(`export function request(ctx) { const ${RUN_CHECK} = 1; return { n: [1].map((x) => x + ${RUN_CHECK}) }; }`)).toBe('watchdog');
  });

  it('puts the check first in every loop body and function body, nested wrappings closing in order', () => {
    const code = `export function request(ctx) {\n  let f = null;\n  for (const x of ctx.args.xs) f = () => x\n  return { v: f(), w: ctx.args.xs.map((x) => ({ x })) };\n}`;
    const { body } = transformModule(checkLanguage(code), { countRuns: true });
    expect(body).toContain(`function request(ctx) {${RUN_CHECK}();`);
    expect(body).toContain(`for (const x of ctx.args.xs) { ${RUN_CHECK}(); f = () => (${RUN_CHECK}(), x) }`);
    expect(body).toContain(`map((x) => ((${RUN_CHECK}(), { x })))`);
    expect(evaluateJs(code, 'request', ctx({ xs: [1, 2] })).value).toEqual({ v: 2, w: [{ x: 1 }, { x: 2 }] });
  });
});

describe('a module that runs away', () => {
  it.each([
    ['recursion through function values (counted)', `export function request(ctx) { const f = (g, n) => (n > 0 ? g(g, n - 1) + g(g, n - 1) : 1); return { n: f(f, ctx.args.depth) }; }`, { depth: 60 }, { depth: 3 }, { n: 8 }],
    ['a backtracking regular expression (watchdog)', `export function request(ctx) { return { m: ctx.args.text.match('(a+)+$') !== null }; }`, { text: 'a'.repeat(34) + '!' }, { text: 'aa' }, { m: true }],
  ])('is stopped: %s, and the next call runs normally', (_name, body, runaway, normal, expected) => {
    const code = `${body}\nexport function response(ctx) { return ctx.result; }`;
    let error: unknown;
    try {
      evaluateJs(code, 'request', ctx(runaway), { timeoutMs: 200 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ResolverError);
    expect((error as ResolverError).message).toMatch(/timed out after 200ms/);
    expect((error as ResolverError).errorType).toBe('Code');
    expect(evaluateJs(code, 'request', ctx(normal), { timeoutMs: 200 }).value).toEqual(expected);
  });

  it('is stopped (a for…of over the array it grows: counted) and fails the resolver; the next call runs normally', () => {
    const code = `export function request(ctx) { const a = [1]; if (ctx.args.runAway) { for (const x of a) a.push(x); } return { n: a.length }; }\nexport function response(ctx) { return ctx.result; }`;
    let error: unknown;
    try {
      evaluateJs(code, 'request', ctx({ runAway: true }), { timeoutMs: 200 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ResolverError);
    expect((error as ResolverError).message).toMatch(/timed out/i);
    expect(evaluateJs(code, 'request', ctx({ runAway: false }), { timeoutMs: 200 }).value).toEqual({ n: 1 });
  });

  it("leaves the app's own straight-line resolvers, e.g. publishConversationEvent, unbounded", () => {
    const publish = readFileSync(new URL('../../../amplify/data/publishConversationEvent.js', import.meta.url), 'utf8');
    expect(unbounded(publish)).toBe(false);
  });
});
