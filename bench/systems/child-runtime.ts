/**
 * The common half of every system child process: answers `stats` requests with its own process.cpuUsage() and memory
 * plus those of the processes it started (the sandbox's Lambda execution environments; Linux /proc), its event-loop
 * delay, runs `setup` once, and exits when the orchestrator goes away (IPC closed),
 * so a crashed or killed harness never leaves a server behind.
 *
 * Memory (the soak and the per-step idle figure): `collect` forces a last-resort garbage collection first when the
 * process may (BENCH_GC=1, set by the orchestrator's --gc and by the soak; see `forcedCollection`), and
 * `heap-snapshot` writes a V8 heap snapshot of this process (never committed: /tmp).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { releaseMemoryNow } from 'amplify-gen2-offline';
import type { FromChild, GcPauses, MemoryBreakdown, PendingScheduledRun, Ready, SetupRequest, Stats, ToChild } from '../harness/protocol';

export interface SystemChild {
  setup(request: SetupRequest): Promise<Omit<Ready, 'type'>>;
  counters?(): Record<string, number>;
  /** Scheduled functions that have not run yet (Stats.pendingFirstScheduledRuns). */
  pendingFirstScheduledRuns?(): PendingScheduledRun[];
  close(): Promise<void>;
}

function send(message: FromChild): void {
  process.send?.(message);
}

export function runChild(start: () => Promise<SystemChild>): void {
  if (!process.send) {
    console.error('this module runs as a child of bench/run.ts (IPC channel required)');
    process.exit(2);
  }
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let system: SystemChild | undefined;
  let exiting = false;
  const exit = async (code: number): Promise<void> => {
    if (exiting) return;
    exiting = true;
    const timer = setTimeout(() => process.exit(code), 3000);
    timer.unref();
    try {
      await system?.close();
    } catch {
      // closing on the way out: nothing left to report to
    }
    process.exit(code);
  };
  process.on('disconnect', () => void exit(0));
  process.on('SIGTERM', () => void exit(0));
  process.on('uncaughtException', (error) => {
    send({ type: 'error', message: `uncaught: ${error.stack ?? String(error)}` });
    void exit(1);
  });

  // Each collection's pause of this process's main thread (concurrent marking and sweeping run beside it).
  let gcPauses: GcPauses = { count: 0, totalMs: 0, maxMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcPauses.count += 1;
      gcPauses.totalMs += entry.duration;
      gcPauses.maxMs = Math.max(gcPauses.maxMs, entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });

  const stats = (reset: boolean): Stats => {
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const children = descendantUsage();
    const stats: Stats = {
      type: 'stats',
      cpuUserUs: cpu.user + children.userUs,
      cpuSystemUs: cpu.system + children.systemUs,
      childCpuUs: children.userUs + children.systemUs,
      rssBytes: memory.rss + children.rssBytes,
      heapUsedBytes: memory.heapUsed,
      externalBytes: memory.external,
      memory: {
        mainRssBytes: memory.rss,
        mainRssAnonBytes: statusBytes('self', 'RssAnon'),
        mainRssFileBytes: statusBytes('self', 'RssFile'),
        heapUsedBytes: memory.heapUsed,
        heapTotalBytes: memory.heapTotal,
        externalBytes: memory.external,
        arrayBuffersBytes: memory.arrayBuffers,
        processes: children.processes,
      },
      eventLoopP99Ms: loop.percentile(99) / 1e6,
      eventLoopMaxMs: loop.max / 1e6,
      gcPauses: { ...gcPauses, totalMs: Math.round(gcPauses.totalMs * 10) / 10, maxMs: Math.round(gcPauses.maxMs * 10) / 10 },
      counters: system?.counters?.() ?? {},
      pendingFirstScheduledRuns: system?.pendingFirstScheduledRuns?.() ?? [],
    };
    if (reset) {
      loop.reset();
      gcPauses = { count: 0, totalMs: 0, maxMs: 0 };
    }
    return stats;
  };
  const gc = forcedCollection();

  process.on('message', (raw: ToChild) => {
    if (raw.type === 'stats') {
      send(stats(raw.reset));
    } else if (raw.type === 'collect') {
      // A full collection, twice (what the first frees may let weak references and finalizers free more), then one turn
      // of the event loop so closed sockets' native memory is released before RSS is read.
      gc?.();
      gc?.();
      setImmediate(() => send({ ...stats(false), type: 'collected', forced: gc !== undefined }));
    } else if (raw.type === 'heap-snapshot') {
      try {
        send({ type: 'heap-snapshot', path: writeHeapSnapshot(join(raw.directory, `system-${process.pid}-${Date.now()}.heapsnapshot`)) });
      } catch (error) {
        send({ type: 'error', message: `heap snapshot failed: ${error instanceof Error ? error.message : String(error)}` });
      }
    } else if (raw.type === 'setup') {
      if (!system) return send({ type: 'error', message: 'setup before the system started' });
      system.setup(raw).then(
        (ready) => send({ type: 'ready', ...ready }),
        (error: unknown) => send({ type: 'error', message: `setup failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` }),
      );
    }
  });

  start().then(
    (started) => {
      system = started;
      send({ type: 'listening' });
    },
    (error: unknown) => {
      send({ type: 'error', message: `start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` });
      void exit(1);
    },
  );
}

/**
 * A forced last-resort collection when BENCH_GC=1 (every unreachable object freed, and the pages Node 24's V8 pools
 * after a collection handed back, as under memory pressure: offline/sandbox/idle-memory.ts); else none.
 */
function forcedCollection(): (() => void) | undefined {
  if (process.env['BENCH_GC'] !== '1') return undefined;
  return () => void releaseMemoryNow();
}

/** Linux's clock tick and page size as /proc reports them (CLK_TCK 100 and 4 KiB pages on Linux x64 and arm64). */
const TICK_US = 10_000;
const PAGE_BYTES = 4096;

/** Fields after the command name of /proc/<pid>/stat (field 3, the state, is index 0). */
function statFields(pid: number | 'self'): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number | 'self'): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/**
 * CPU (µs) and RSS of this process's descendants: the live ones' own, plus the CPU of those already exited and reaped
 * (cutime/cstime of this process). Zero where there is no /proc.
 */
function descendantUsage(): { userUs: number; systemUs: number; rssBytes: number; processes: MemoryBreakdown['processes'] } {
  const own = statFields('self');
  const usage = { userUs: own ? Number(own[13]) * TICK_US : 0, systemUs: own ? Number(own[14]) * TICK_US : 0, rssBytes: 0, processes: [] as MemoryBreakdown['processes'] };
  const pending = childrenOf('self');
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    const fields = statFields(pid);
    if (!fields) continue;
    // utime, stime, cutime, cstime (fields 14–17) and rss in pages (field 24).
    usage.userUs += (Number(fields[11]) + Number(fields[13])) * TICK_US;
    usage.systemUs += (Number(fields[12]) + Number(fields[14])) * TICK_US;
    const rssBytes = Number(fields[21]) * PAGE_BYTES;
    usage.rssBytes += rssBytes;
    usage.processes.push({ pid, name: processName(pid), rssBytes, rssAnonBytes: statusBytes(pid, 'RssAnon') });
    pending.push(...childrenOf(pid));
  }
  return usage;
}

/** A `kB` field of /proc/<pid>/status (RssAnon, RssFile), in bytes; 0 where there is none. */
function statusBytes(pid: number | 'self', field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** A Lambda execution environment's function name (its AWS_LAMBDA_FUNCTION_NAME), else the command's name. */
function processName(pid: number): string {
  try {
    const variable = readFileSync(`/proc/${pid}/environ`, 'latin1')
      .split('\0')
      .find((entry) => entry.startsWith('AWS_LAMBDA_FUNCTION_NAME='));
    if (variable) return variable.slice('AWS_LAMBDA_FUNCTION_NAME='.length);
    return readFileSync(`/proc/${pid}/comm`, 'latin1').trim();
  } catch {
    return 'unknown';
  }
}
