/**
 * The `node:vm` realm an APPSYNC_JS module runs in. It exposes only what the runtime does
 * (ECMAScript built-ins, `util`, `extensions`, `runtime`, `console`, the two importable modules):
 * no `require`, `process`, timers, `fetch`, network, and code generation from strings is disabled
 * (`eval`, `Function`, `x.constructor.constructor('…')` throw EvalError).
 *
 * Nothing from the host realm is reachable from resolver code: every value crosses the boundary as
 * JSON text and is re-created by the realm's own `JSON.parse`; host functions are captured in a
 * closure of the bootstrap and never exposed. Built-ins are frozen and globals locked after
 * bootstrap (globals added by an invocation are removed before the next), and the module body is re-evaluated per invocation, so nothing leaks between requests.
 */
import vm from 'node:vm';
import { RUN_CHECK } from './termination.js';

export type HostCall = (path: string, argsJson: string) => string;

export interface RealmControl {
  /** Stores the module factory (`function (modules) { …module body…; return exports }`). */
  setFactory(factory: unknown): void;
  /** The next run's input; `budgetMs`: how long a counted module may run (its checks end it after that). */
  setInput(json: string, budgetMs?: number): void;
  getOutput(): string | null;
}

const RUN_NAME = '__appsyncRun__';

/** Runs inside the realm. `shape` names the host functions: `{util: {autoId: 1, time: {…}}, …}`. */
const BOOTSTRAP = `(function (hostCall, shape) {
  'use strict';
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const ABORT = Object.freeze({ aborted: true });
  let factory = null;
  let input = null;
  let output = null;
  let cleanup = function () {};
  // A counted module's budget (termination.ts): every loop and function body starts with the check, which ends the run
  // once the deadline has passed (looking at the clock every 16 checks).
  const now = Date.now;
  let deadline = Infinity;
  let budget = 0;
  let checks = 0;
  function runCheck() {
    checks = checks + 1;
    if ((checks & 15) === 0 && now() > deadline) {
      deadline = -Infinity;
      throw new Error('Script execution timed out after ' + budget + 'ms');
    }
  }
  function call(path, args) {
    const r = parse(hostCall(path, stringify(args)));
    if (r.abort) throw ABORT;
    if (r.fault !== undefined) throw new TypeError(r.fault);
    return r.v;
  }
  function build(node, prefix) {
    const out = {};
    for (const k of Object.keys(node)) {
      const path = prefix === '' ? k : prefix + '.' + k;
      out[k] = node[k] === 1 ? function (...args) { return call(path, args); } : build(node[k], path);
    }
    return Object.freeze(out);
  }
  const api = build(parse(shape), '');
  const modules = Object.freeze({
    '@aws-appsync/utils': Object.freeze({ util: api.util, extensions: api.extensions, runtime: api.runtime }),
    '@aws-appsync/utils/dynamodb': api.ddb,
  });
  const fixed = (value) => ({ value, writable: false, enumerable: false, configurable: false });
  Object.defineProperties(globalThis, {
    util: fixed(api.util),
    extensions: fixed(api.extensions),
    runtime: fixed(api.runtime),
    console: fixed(api.console),
    ${JSON.stringify(RUN_CHECK)}: fixed(runCheck),
    ${JSON.stringify(RUN_NAME)}: fixed(function () {
      cleanup();
      const request = parse(input);
      const ctx = request.ctx;
      ctx.args = ctx.arguments;
      const handlers = factory(modules);
      const handler = handlers[request.handler];
      if (typeof handler !== 'function') throw new TypeError('The module does not export a ' + request.handler + ' function');
      let ret;
      try {
        ret = handler(ctx);
      } finally {
        // Also after an abort: stash writes made before runtime.earlyReturn must survive.
        output = stringify({ ret, stash: ctx.stash, args: ctx.arguments });
      }
    }),
  });
  for (const name of ['WebAssembly', 'SharedArrayBuffer', 'Atomics', 'FinalizationRegistry', 'WeakRef', 'eval', 'Function']) {
    try { delete globalThis[name]; } catch (e) { /* non-configurable */ }
  }
  for (const name of Object.getOwnPropertyNames(globalThis)) {
    const value = globalThis[name];
    if ((typeof value === 'function' || (typeof value === 'object' && value !== null)) && value !== globalThis) {
      Object.freeze(value);
      if (typeof value === 'function' && value.prototype) Object.freeze(value.prototype);
    }
  }
  Object.freeze(Object.getPrototypeOf(function () {}));
  Object.freeze(Object.getPrototypeOf([][Symbol.iterator]()));
  // The vm global object cannot be frozen or made non-extensible: lock every existing global and
  // remove whatever a previous invocation added before the next one runs.
  const baseline = new Set(Object.getOwnPropertyNames(globalThis));
  for (const name of baseline) {
    // Full descriptor: the vm global's interceptor drops the value of a partial one.
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    if (d && 'value' in d) Object.defineProperty(globalThis, name, { value: d.value, writable: false, enumerable: d.enumerable, configurable: false });
  }
  const ownNames = Object.getOwnPropertyNames;
  cleanup = function () {
    for (const name of ownNames(globalThis)) if (!baseline.has(name)) delete globalThis[name];
  };
  return {
    setFactory(f) { factory = f; },
    setInput(s, budgetMs) {
      input = s;
      output = null;
      budget = budgetMs || 0;
      deadline = budget > 0 ? now() + budget : Infinity;
      checks = 0;
    },
    getOutput() { return output; },
  };
})`;

const bootstrapScript = new vm.Script(BOOTSTRAP, { filename: 'appsync-js-bootstrap.js' });
const runScript = new vm.Script(`${RUN_NAME}()`, { filename: 'appsync-js-run.js' });

export interface Realm {
  control: RealmControl;
  context: vm.Context;
}

export function createRealm(hostCall: HostCall, shape: unknown): Realm {
  const context = vm.createContext(Object.create(null) as object, {
    name: 'APPSYNC_JS',
    codeGeneration: { strings: false, wasm: false },
  });
  const bootstrap = bootstrapScript.runInContext(context) as (call: HostCall, shape: string) => RealmControl;
  const control = bootstrap(hostCall, JSON.stringify(shape));
  return { control, context };
}

/** Compiles the transformed module body in the realm and registers it as the module factory. */
export function loadModule(realm: Realm, body: string, filename: string): void {
  const factory: unknown = new vm.Script(`(function (modules) {${body}\n})`, { filename }).runInContext(realm.context);
  realm.control.setFactory(factory);
}

/**
 * Runs the registered module's `handler` with `input` (JSON `{handler, ctx}`); returns the output JSON. `bound` says how
 * the run is limited (termination.ts): `watchdog` starts a thread that interrupts it, `counted` gives its checks the
 * budget, and nothing for straight-line code.
 */
export function runInRealm(realm: Realm, inputJson: string, bound?: { kind: 'watchdog' | 'counted'; ms: number }): string | null {
  realm.control.setInput(inputJson, bound?.kind === 'counted' ? bound.ms : undefined);
  runScript.runInContext(realm.context, bound?.kind === 'watchdog' ? { timeout: bound.ms } : {});
  return realm.control.getOutput();
}
