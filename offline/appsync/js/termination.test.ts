/**
 * Which APPSYNC_JS modules run under a watchdog (termination.ts), and that a module that runs away is stopped and
 * answered with an error instead of holding the sandbox.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ResolverError, type ResolverContext } from '../util/context.js';
import { evaluateJs } from './evaluate.js';
import { checkLanguage } from './language-check.js';
import { mayRunUnbounded } from './termination.js';

const unbounded = (code: string) => mayRunUnbounded(checkLanguage(code));

describe('mayRunUnbounded', () => {
  it('lets straight-line code run without a watchdog, helper functions called directly included', () => {
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
  ])('runs code with %s under a watchdog', (_name, code) => {
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

describe('a module that runs away', () => {
  it('is stopped by the watchdog and fails the resolver; the next call runs normally', () => {
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

  it("leaves the app's own straight-line resolvers, e.g. publishConversationEvent, without a watchdog", () => {
    const publish = readFileSync(new URL('../../../amplify/data/publishConversationEvent.js', import.meta.url), 'utf8');
    expect(unbounded(publish)).toBe(false);
  });
});
