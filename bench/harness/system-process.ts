/**
 * A system under test in its own child process (so its CPU and RSS are its own): spawned with
 * `node --import tsx`, optionally pinned with taskset, talked to over IPC (bench/harness/protocol.ts).
 * Every wait is bounded; `kill()` is idempotent and escalates to SIGKILL.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { sandboxProcessEnvironment } from 'amplify-gen2-offline/process-environment';
import type { Collected, FromChild, HeapSnapshotWritten, Ready, SetupRequest, Stats } from './protocol';

export interface SpawnOptions {
  /** Module under bench/systems/. */
  entry: string;
  env: Record<string, string>;
  /** CPU list for taskset (e.g. "0"), or undefined for no pinning. */
  cpus?: string;
  startTimeoutMs?: number;
}

const live = new Set<SystemProcess>();

/**
 * Pins this (the harness) process to CPU 1, leaving CPU 0 to the system under test (`cpus: '0'`), when the machine has
 * two cores or more and taskset; returns whether it did.
 */
export function pinHarness(): boolean {
  if (availableParallelism() < 2) return false;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Kills every system still running (called on errors and on exit of the orchestrator). */
export function killAllSystems(): void {
  for (const system of live) system.kill();
}

export class SystemProcess {
  private readonly child: ChildProcess;
  private readonly waiters: { type: string; resolve: (message: FromChild) => void; reject: (error: Error) => void }[] = [];
  private readonly stderrTail: string[] = [];
  private exited = false;
  private readonly exitPromise: Promise<void>;

  private constructor(options: SpawnOptions) {
    const script = join(import.meta.dirname, '..', 'systems', options.entry);
    const nodeArgs = ['--import', 'tsx', ...(process.env['BENCH_CPU_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF']}`] : []), script];
    // BENCH_WRAP: a command line that runs the sandbox's process (e.g. `heaptrack -o /tmp/ht`), the reference never.
    const wrap = options.entry.startsWith('sandbox') ? (process.env['BENCH_WRAP']?.trim().split(/\s+/).filter(Boolean) ?? []) : [];
    const line = [...wrap, process.execPath, ...nodeArgs];
    const [command, args] = options.cpus ? ['taskset', ['-c', options.cpus, ...line]] : [line[0]!, line.slice(1)];
    this.child = spawn(command, args, {
      stdio: ['ignore', 'ignore', process.env['BENCH_DEBUG'] ? 'inherit' : 'pipe', 'ipc'],
      // Every system runs with what `npm run dev` adds to the sandbox's environment (glibc's arena limit), the reference
      // too, so that they differ only in what they run. Profiling the sandbox profiles its Lambda execution environments
      // too (offline/lambda/runner.ts).
      env: {
        ...sandboxProcessEnvironment(),
        ...(process.env['BENCH_CPU_PROF'] ? { OFFLINE_SANDBOX_LAMBDA_CPU_PROF: process.env['BENCH_CPU_PROF'] } : {}),
        ...options.env,
      },
    });
    live.add(this);
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail.push(chunk.toString('utf8'));
      if (this.stderrTail.length > 50) this.stderrTail.shift();
    });
    this.child.on('message', (message: FromChild) => {
      if (message.type === 'error') {
        const waiter = this.waiters.shift();
        waiter?.reject(new Error(message.message));
        return;
      }
      const index = this.waiters.findIndex((w) => w.type === message.type);
      if (index >= 0) this.waiters.splice(index, 1)[0]?.resolve(message);
    });
    this.exitPromise = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.exited = true;
        live.delete(this);
        const error = new Error(`system ${options.entry} exited (code ${code}, signal ${signal}); stderr: ${this.stderrTail.join('').slice(-1500)}`);
        for (const waiter of this.waiters.splice(0)) waiter.reject(error);
        resolve();
      }),
    );
  }

  static async start(options: SpawnOptions): Promise<SystemProcess> {
    const system = new SystemProcess(options);
    try {
      await system.expect('listening', options.startTimeoutMs ?? 60_000);
    } catch (error) {
      system.kill();
      throw error;
    }
    return system;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private expect(type: string, timeoutMs: number): Promise<FromChild> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.findIndex((w) => w.resolve === done);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new Error(`system: no '${type}' within ${timeoutMs} ms; stderr: ${this.stderrTail.join('').slice(-1500)}`));
      }, timeoutMs);
      const done = (message: FromChild) => {
        clearTimeout(timer);
        resolve(message);
      };
      this.waiters.push({
        type,
        resolve: done,
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  async setup(request: Omit<SetupRequest, 'type'>, timeoutMs = 120_000): Promise<Ready> {
    const reply = this.expect('ready', timeoutMs);
    this.child.send({ type: 'setup', ...request } satisfies SetupRequest);
    return (await reply) as Ready;
  }

  async stats(reset: boolean): Promise<Stats> {
    if (this.exited) throw new Error('system exited');
    const reply = this.expect('stats', 10_000);
    this.child.send({ type: 'stats', reset });
    return (await reply) as Stats;
  }

  /** Memory after a forced garbage collection in the system process (when it runs with BENCH_GC=1). */
  async collect(): Promise<Collected> {
    if (this.exited) throw new Error('system exited');
    const reply = this.expect('collected', 30_000);
    this.child.send({ type: 'collect' });
    return (await reply) as Collected;
  }

  /** Writes a V8 heap snapshot of the system process into `directory`; resolves with its path. */
  async heapSnapshot(directory: string): Promise<string> {
    if (this.exited) throw new Error('system exited');
    const reply = this.expect('heap-snapshot', 300_000);
    this.child.send({ type: 'heap-snapshot', directory });
    return ((await reply) as HeapSnapshotWritten).path;
  }

  kill(): void {
    if (this.exited) return;
    if (this.child.connected) this.child.disconnect();
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (!this.exited) this.child.kill('SIGKILL');
    }, 3000);
    timer.unref();
  }

  async stop(): Promise<void> {
    this.kill();
    await Promise.race([this.exitPromise, new Promise((resolve) => setTimeout(resolve, 5000))]);
  }
}
