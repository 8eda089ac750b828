/**
 * `evaluateJs(code, handler, ctx)`: runs one handler of an APPSYNC_JS 1.0.0 resolver or pipeline
 * function module (https://docs.aws.amazon.com/appsync/latest/devguide/resolver-context-reference-js.html).
 *
 * - The module is checked against the runtime's language limits and compiled once per distinct
 *   code text; unsupported code throws `UnsupportedCodeError` (AppSync refuses such code up front).
 * - `util.error` / `util.unauthorized` → throws `ResolverError` (with `appendedErrors`);
 *   `runtime.earlyReturn(obj, {skipTo})` → `outcome.earlyReturn`; `extensions.*` → outcome fields.
 * - A runtime fault in resolver code (TypeError, …) → `ResolverError` with errorType `Code` (⚠ secondhand,
 *   from LocalStack's `appsync-utils`, not seen from AWS); exceeding the time budget likewise.
 * - `ctx.stash` and `ctx.arguments` are written back into the caller's objects (same identities),
 *   so later pipeline steps observe the changes; other `ctx` parts are read-only copies.
 */
import { CODE_ERROR_TYPE, UNKNOWN_FAULT_MESSAGE } from '../../errors.js';
import { ResolverError, type JsOutcome, type ResolverContext } from '../util/context.js';
import { Effects } from '../util/effects.js';
import type { Clock } from '../util/time.js';
import { createExtensions, createUtil } from '../util/util-object.js';
import { isPlainMap } from '../util/values.js';
import { dynamodbModule } from './appsync-utils-dynamodb.js';
import { checkLanguage } from './language-check.js';
import { runBoundOf, type RunBound } from './termination.js';
import { transformModule } from './module-transform.js';
import { createRealm, loadModule, runInRealm, type Realm } from './sandbox.js';

export interface EvaluateOptions {
  clock?: Clock;
  /** Wall-clock budget of one handler invocation (default 2000 ms), for modules that may run unbounded (termination.ts). */
  timeoutMs?: number;
  /** Shown in stack traces / problems. */
  filename?: string;
}

type HostFunction = (...args: unknown[]) => unknown;
interface HostApi {
  [name: string]: HostApi | HostFunction;
}

interface Invocation {
  api: HostApi;
  effects: Effects;
  abort?: ResolverError;
}

interface CompiledModule {
  realm: Realm;
  exports: string[];
  current: { invocation?: Invocation };
  /** How its runs are bounded in time (termination.ts). */
  bound: RunBound;
}

class EarlyReturnSignal {}

function hostApi(ctx: { info: Pick<ResolverContext['info'], 'fieldName' | 'parentTypeName'>; authType: ResolverContext['authType'] }, effects: Effects, clock?: Clock): HostApi {
  const log = (...parts: unknown[]): void => {
    effects.logs.push(parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' '));
  };
  return {
    util: createUtil({ info: ctx.info, authType: ctx.authType, clock }, effects, 'JS') as unknown as HostApi,
    extensions: createExtensions(effects, 'JS') as unknown as HostApi,
    runtime: {
      earlyReturn: (value?: unknown, options?: unknown): never => {
        const skipTo = isPlainMap(options) && (options['skipTo'] === 'END' || options['skipTo'] === 'NEXT') ? options['skipTo'] : undefined;
        effects.earlyReturn = skipTo ? { value: value ?? null, skipTo } : { value: value ?? null };
        throw new EarlyReturnSignal();
      },
    },
    ddb: dynamodbModule as unknown as HostApi,
    console: { log, error: log, warn: log, info: log, debug: log },
  };
}

function shapeOf(api: HostApi): unknown {
  return Object.fromEntries(Object.entries(api).map(([k, v]) => [k, typeof v === 'function' ? 1 : shapeOf(v)]));
}

const SHAPE = shapeOf(hostApi({ info: { fieldName: '', parentTypeName: '' }, authType: 'API Key Authorization' }, new Effects()));

function lookup(api: HostApi, path: string): HostFunction | undefined {
  let node: HostApi | HostFunction | undefined = api;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || !Object.hasOwn(node, part)) return undefined;
    node = node[part];
  }
  return typeof node === 'function' ? node : undefined;
}

const modules = new Map<string, CompiledModule | { error: Error }>();

function compile(code: string, filename: string): CompiledModule {
  const cached = modules.get(code);
  if (cached && 'error' in cached) throw cached.error;
  if (cached) return cached;
  try {
    const source = checkLanguage(code);
    const bound = runBoundOf(source);
    const transformed = transformModule(source, { countRuns: bound === 'counted' });
    const current: CompiledModule['current'] = {};
    const hostCall = (path: string, argsJson: string): string => {
      const invocation = current.invocation;
      const fn = invocation ? lookup(invocation.api, path) : undefined;
      if (!invocation || !fn) return JSON.stringify({ fault: `${path} is not a function` });
      try {
        const value = fn(...(JSON.parse(argsJson) as unknown[]));
        return JSON.stringify(value === undefined ? {} : { v: value });
      } catch (e) {
        if (e instanceof ResolverError) {
          invocation.abort = e;
          return '{"abort":true}';
        }
        if (e instanceof EarlyReturnSignal) return '{"abort":true}';
        return JSON.stringify({ fault: `${path}: ${(e as Error).message}` });
      }
    };
    const realm = createRealm(hostCall, SHAPE);
    loadModule(realm, transformed.body, filename);
    const compiled: CompiledModule = { realm, exports: transformed.exports, current, bound };
    modules.set(code, compiled);
    return compiled;
  } catch (e) {
    modules.set(code, { error: e as Error });
    throw e;
  }
}

/** Loads (and caches) a module, throwing `UnsupportedCodeError` for code the runtime rejects. */
export function loadJsModule(code: string, filename = 'resolver.js'): { exports: string[] } {
  return { exports: compile(code, filename).exports };
}

function replaceContents(target: Record<string, unknown>, source: unknown): void {
  if (!isPlainMap(source)) return;
  for (const k of Object.keys(target)) if (!Object.hasOwn(source, k)) delete target[k];
  Object.assign(target, source);
}

function faultMessage(e: unknown): string {
  try {
    if (typeof e === 'object' && e !== null && 'message' in e) return String((e as { message: unknown }).message);
    return String(e);
  } catch {
    return UNKNOWN_FAULT_MESSAGE;
  }
}

export function evaluateJs(code: string, handler: 'request' | 'response', ctx: ResolverContext, options: EvaluateOptions = {}): JsOutcome {
  const compiled = compile(code, options.filename ?? 'resolver.js');
  const effects = new Effects();
  const invocation: Invocation = { api: hostApi(ctx, effects, options.clock), effects };
  const input = JSON.stringify({
    handler,
    ctx: {
      arguments: ctx.arguments,
      source: ctx.source,
      identity: ctx.identity,
      stash: ctx.stash,
      prev: ctx.prev,
      result: ctx.result ?? null,
      error: ctx.error ?? null,
      request: ctx.request,
      info: ctx.info,
      env: ctx.env ?? {},
    },
  });
  compiled.current.invocation = invocation;
  const writeBack = (): { ret?: unknown } => {
    const parsed = JSON.parse(compiled.realm.control.getOutput() ?? '{}') as { ret?: unknown; stash?: unknown; args?: unknown };
    replaceContents(ctx.stash, parsed.stash);
    replaceContents(ctx.arguments, parsed.args);
    return parsed;
  };
  try {
    runInRealm(compiled.realm, input, compiled.bound === 'none' ? undefined : { kind: compiled.bound, ms: options.timeoutMs ?? 2000 });
  } catch (e) {
    if (invocation.abort) throw effects.abort(invocation.abort);
    if (effects.earlyReturn) {
      writeBack();
      return effects.outcome(undefined);
    }
    throw effects.abort(new ResolverError(faultMessage(e), CODE_ERROR_TYPE));
  } finally {
    compiled.current.invocation = undefined;
  }
  return effects.outcome(writeBack().ret);
}
