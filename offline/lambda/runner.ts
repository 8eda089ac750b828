/**
 * Runs the backend's Lambda functions locally from their cdk.out bundles.
 *
 * Each function gets its own execution environment: a worker thread with the function's environment
 * variables (process.env is per worker), created on first invocation (cold start) and reused.
 * Invocations of one function are queued (one at a time per environment, like a single Lambda
 * instance). A timeout terminates the environment — as Lambda does — and the next invocation starts
 * a new one. Errors come back as Lambda's `{errorType, errorMessage}`.
 */
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { LambdaDescription } from '../loader/index.js';
import { capString, MAX_OUTPUT_LINES, type LambdaInvoker, type SandboxEvents } from '../sandbox/events.js';
import type { LineLogger } from '../sandbox/log';

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
   * storage endpoint). Node reads NODE_EXTRA_CA_CERTS once per process, so each worker adds them itself (worker.ts).
   */
  trustedCertificates?: readonly string[];
}

/** The console lines of one invocation (at most MAX_OUTPUT_LINES kept). */
interface Output {
  lines: string[];
  dropped: number;
}

interface Pending {
  worker: Worker;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  /** Set once the handler starts: init (cold start) is not part of the invocation timeout. */
  timer?: NodeJS.Timeout;
  output?: Output;
}

/** Lambda's limit on the init phase (loading the bundle and running its top-level code). */
const INIT_TIMEOUT_MS = 10_000;

class ExecutionEnvironment {
  private worker: Worker | undefined;
  private readonly pending = new Map<string, Pending>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly fn: LambdaDescription,
    private readonly env: Record<string, string>,
    private readonly log: LineLogger | undefined,
    private readonly trustedCertificates: readonly string[] = [],
  ) {}

  private start(): Worker {
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
      workerData: {
        codeDirectory: this.fn.codeDirectory,
        handler: this.fn.handler,
        functionName: this.fn.name,
        memoryMB: this.fn.memoryMB,
        timeoutSeconds: this.fn.timeoutSeconds,
        trustedCertificates: [...this.trustedCertificates],
        processExtraCaFile: process.env['NODE_EXTRA_CA_CERTS'],
      },
      env: this.env,
      stdout: this.log !== undefined,
      stderr: this.log !== undefined,
    });
    const log = this.log;
    const write = (stream: 'stdout' | 'stderr', line: string) => {
      if (log) log(`[lambda] ${this.fn.name}: ${line}`, stream === 'stdout' ? 'debug' : 'warn');
      else process[stream].write(`${line}\n`);
    };
    if (log) {
      // What the function writes without its console (process.stdout.write…).
      createInterface({ input: worker.stdout }).on('line', (line) => write('stdout', line));
      createInterface({ input: worker.stderr }).on('line', (line) => write('stderr', line));
    }
    worker.on('message', (message: { type: string; id: string; ok: boolean; value?: unknown; error?: LambdaError; stream?: 'stdout' | 'stderr'; text?: string }) => {
      if (message.type === 'log') {
        const output = message.id === undefined ? undefined : this.pending.get(message.id)?.output;
        for (const line of String(message.text).split('\n')) {
          write(message.stream === 'stderr' ? 'stderr' : 'stdout', line);
          if (!output) continue;
          if (output.lines.length < MAX_OUTPUT_LINES) output.lines.push(capString(line));
          else output.dropped++;
        }
        return;
      }
      const pending = this.pending.get(message.id);
      if (!pending) return;
      if (message.type === 'started') {
        clearTimeout(pending.timer);
        pending.timer = this.timeout(message.id, worker, this.fn.timeoutSeconds * 1000, `Task timed out after ${this.fn.timeoutSeconds.toFixed(2)} seconds`);
        return;
      }
      if (message.type !== 'result') return;
      this.pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.ok) pending.resolve(message.value);
      else pending.reject(new LambdaInvocationError(this.fn.name, message.error!));
    });
    worker.on('error', (error) => this.failAll(worker, { errorType: 'Runtime.ImportModuleError', errorMessage: error.message }));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(worker, { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited before responding' });
    });
    worker.unref();
    this.log?.(`[lambda] ${this.fn.name}: cold start`, 'debug');
    return worker;
  }

  /** Fails the invocations that were running in this (crashed or exited) environment. */
  /** Fails the invocation after `ms` and discards the environment, as Lambda does on a timeout. */
  private timeout(id: string, worker: Worker, ms: number, message: string): NodeJS.Timeout {
    const timer = setTimeout(() => {
      const pending = this.pending.get(id);
      if (!pending) return;
      this.pending.delete(id);
      pending.reject(new LambdaInvocationError(this.fn.name, { errorType: 'Sandbox.Timedout', errorMessage: message }));
      if (this.worker === worker) this.worker = undefined;
      void worker.terminate();
    }, ms);
    timer.unref();
    return timer;
  }

  private failAll(worker: Worker, error: LambdaError): void {
    for (const [id, pending] of this.pending) {
      if (pending.worker !== worker) continue;
      clearTimeout(pending.timer);
      pending.reject(new LambdaInvocationError(this.fn.name, error));
      this.pending.delete(id);
    }
  }

  /** Runs one invocation after those queued; its console lines go to `output` too, when given. */
  invoke(event: unknown, output?: Output, onStart?: () => void): Promise<unknown> {
    const run = () =>
      new Promise<unknown>((resolve, reject) => {
        onStart?.();
        const worker = (this.worker ??= this.start());
        const id = randomUUID();
        const timer = this.timeout(id, worker, INIT_TIMEOUT_MS, `Init phase did not finish in ${INIT_TIMEOUT_MS / 1000} seconds`);
        this.pending.set(id, { worker, resolve, reject, timer, ...(output ? { output } : {}) });
        worker.postMessage({ type: 'invoke', id, event, requestId: id });
      });
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Lets queued invocations finish, then stops the worker (a new environment takes the next invocations). */
  async retire(): Promise<void> {
    await this.queue;
    await this.close();
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
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
  private readonly environments = new Map<string, ExecutionEnvironment>();
  private readonly byName = new Map<string, LambdaDescription>();

  constructor(
    functions: LambdaDescription[],
    private readonly options: LambdaRunnerOptions = {},
  ) {
    for (const fn of functions) this.byName.set(fn.name, fn);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /**
   * Invokes a function synchronously (RequestResponse) and returns its JSON result. `invoker` says what invoked it
   * (for the sandbox's events; a Cognito trigger is recognised by its event, anything else unnamed is `direct`).
   */
  invoke(name: string, event: unknown, invoker?: LambdaInvoker): Promise<unknown> {
    const fn = this.byName.get(name);
    if (!fn) return Promise.reject(new Error(`No function named ${name} in this backend`));
    let environment = this.environments.get(name);
    if (!environment) {
      const env = { ...fn.environment, ...this.options.environment?.(fn) };
      environment = new ExecutionEnvironment(fn, env, this.options.logger, this.options.trustedCertificates);
      this.environments.set(name, environment);
    }
    const payload = JSON.parse(JSON.stringify(event ?? null)) as unknown;
    const events = this.options.events;
    if (!events) return environment.invoke(payload);
    const output: Output = { lines: [], dropped: 0 };
    // Timed from when it runs, not while it waits behind others queued on the same environment.
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
    const result = environment.invoke(payload, output, () => (started = performance.now()));
    result.then(() => emit(), (error: unknown) => emit(error ?? 'failed'));
    return result;
  }

  /**
   * Serves a new set of functions (sandbox reload). A function whose bundle, handler, environment or limits changed
   * gets a new execution environment (a cold start) on its next invocation; invocations already queued on the old
   * one finish there first. Unchanged functions keep their warm environment.
   */
  replaceFunctions(functions: LambdaDescription[]): FunctionChanges {
    const next = new Map(functions.map((fn) => [fn.name, fn]));
    const changes: FunctionChanges = { added: [], changed: [], removed: [] };
    for (const [name, old] of this.byName) {
      const fresh = next.get(name);
      if (fresh && sameFunction(fresh, old)) continue;
      (fresh ? changes.changed : changes.removed).push(name);
      const environment = this.environments.get(name);
      this.environments.delete(name);
      void environment?.retire();
    }
    for (const name of next.keys()) if (!this.byName.has(name)) changes.added.push(name);
    this.byName.clear();
    for (const [name, fn] of next) this.byName.set(name, fn);
    return changes;
  }

  async close(): Promise<void> {
    await Promise.all([...this.environments.values()].map((e) => e.close()));
    this.environments.clear();
  }
}
