/**
 * The common half of every system child process: answers `stats` requests with its own process.cpuUsage(),
 * memory and event-loop delay, runs `setup` once, and exits when the orchestrator goes away (IPC closed),
 * so a crashed or killed harness never leaves a server behind.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FromChild, Ready, SetupRequest, Stats, ToChild } from '../harness/protocol';

export interface SystemChild {
  setup(request: SetupRequest): Promise<Omit<Ready, 'type'>>;
  counters?(): Record<string, number>;
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

  process.on('message', (raw: ToChild) => {
    if (raw.type === 'stats') {
      const cpu = process.cpuUsage();
      const memory = process.memoryUsage();
      const stats: Stats = {
        type: 'stats',
        cpuUserUs: cpu.user,
        cpuSystemUs: cpu.system,
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        externalBytes: memory.external,
        eventLoopP99Ms: loop.percentile(99) / 1e6,
        eventLoopMaxMs: loop.max / 1e6,
        counters: system?.counters?.() ?? {},
      };
      if (raw.reset) loop.reset();
      send(stats);
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
