/**
 * The memory soak (`npm run bench -- --soak <minutes>`; manual, never in CI): the sandbox (DynamoDB on disk as
 * `npm run dev` keeps it, or in memory with --storage memory) under
 * W2-shaped load — 1,000 subscribers in rooms of 10, `sendMessage` at a rate one core carries without saturating —
 * for that many minutes as one measured step of the load harness (no loss, duplicates or errors allowed), with the
 * system's memory sampled every SAMPLE_MS (its own RSS, V8 heap and external memory, and each Lambda execution
 * environment's RSS). Then every connection is closed, and the memory is read again after a forced last-resort
 * collection (the system runs with BENCH_GC=1), at once and after LONG_IDLE_MS more, by when the environments have run
 * their own (offline/sandbox/idle-memory.ts): start → peak → end.
 *
 * Options: --storage disk|memory (default disk), --rate <sends/s> (default 25), --heap-snapshots <directory> (a V8
 * heap snapshot of the sandbox process after setup and after the soak, both after a collection; summarize them with a
 * script of your own, never commit them), --no-pin. Bounded: at most 60 minutes, loopback only (the harness refuses anything else). Exit 1 on loss,
 * duplicates, publish or harness errors — never on memory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrCreateCertificate } from 'amplify-gen2-offline';
import { memoryLine, memorySummary, runStep, type MemorySummary, type StepResult, type StepSpec } from './harness/load';
import { pinHarness, SystemProcess } from './harness/system-process';

const ROOT = join(import.meta.dirname, '..');
const SAMPLE_MS = 5_000;
const LONG_IDLE_MS = 30_000;
/**
 * The start reading waits until the sandbox has run this long: every scheduled function of this backend (the presence
 * sweeper, every minute) has then started its execution environment, as in any `npm run dev` older than a minute, so
 * that environment is in the start figure as it is in the end one.
 */
const SCHEDULES_SETTLE_MS = 70_000;
const MAX_MINUTES = 60;

interface Sample extends MemorySummary {
  /** Seconds since the soak's first sample. */
  t: number;
}

export interface SoakRecord {
  command: string;
  startedAt: string;
  finishedAt: string;
  pinned: boolean;
  step: StepSpec;
  /** After setup (users, conversations) and SCHEDULES_SETTLE_MS, after a forced collection, before any connection. */
  start: MemorySummary;
  /** The sample with the highest RSS. */
  peak: MemorySummary;
  /** Connections closed, after a forced collection: at once, and LONG_IDLE_MS later. */
  end: MemorySummary;
  endAfterLongIdle: MemorySummary;
  samples: Sample[];
  heapSnapshots: string[];
  result: StepResult;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function soak(options: { storage: 'disk' | 'memory'; minutes: number; pin: boolean; rate?: number; heapSnapshots?: string; args?: string[] }): Promise<number> {
  if (!Number.isFinite(options.minutes) || options.minutes <= 0 || options.minutes > MAX_MINUTES) {
    throw new Error(`--soak takes minutes between 0 and ${MAX_MINUTES}, got ${options.minutes}`);
  }
  const rate = options.rate ?? 25;
  const step: StepSpec = {
    workload: 'W2',
    label: `soak W2 1000 conns k=10 @${rate}/s for ${options.minutes} min, DynamoDB ${options.storage === 'disk' ? 'on disk' : 'in memory'}`,
    connections: 1000,
    conversationSize: 10,
    rate,
    durationS: Math.round(options.minutes * 60),
    contentLength: 200,
  };
  const pinned = options.pin && pinHarness();
  const tlsDirectory = join(ROOT, '.amplify', 'bench', 'tls');
  const tls = await loadOrCreateCertificate(tlsDirectory);
  const startedAt = new Date();
  console.log(`bench soak: ${step.label}${pinned ? ' (sandbox on CPU 0, harness on CPU 1)' : ''}`);
  const system = await SystemProcess.start({
    entry: 'sandbox-server.ts',
    env: { BENCH_TLS_DIR: tlsDirectory, NODE_EXTRA_CA_CERTS: tls.caPath, BENCH_STORAGE: options.storage, BENCH_GC: '1' },
    ...(pinned ? { cpus: '0' } : {}),
  });
  const samples: Sample[] = [];
  const heapSnapshots: string[] = [];
  let sampling = true;
  const t0 = Date.now();
  try {
    const ready = await system.setup({ conversations: step.connections / step.conversationSize, membersPerConversation: step.conversationSize });
    await sleep(Math.max(0, SCHEDULES_SETTLE_MS - (Date.now() - t0)));
    const start = memorySummary(await system.collect());
    console.log(`  ${memoryLine(`start (after setup, ${SCHEDULES_SETTLE_MS / 1000} s after the sandbox started, gc)`, start)}`);
    if (options.heapSnapshots) {
      mkdirSync(options.heapSnapshots, { recursive: true });
      heapSnapshots.push(await system.heapSnapshot(options.heapSnapshots));
    }
    const sampler = (async () => {
      const limit = Math.ceil(((step.durationS + 300) * 1000) / SAMPLE_MS);
      for (let i = 0; sampling && i < limit; i += 1) {
        const sample = { t: Math.round((Date.now() - t0) / 1000), ...memorySummary(await system.stats(false)) };
        samples.push(sample);
        if (i % Math.round(60_000 / SAMPLE_MS) === 0) console.log(`  ${String(sample.t).padStart(5)} s ${memoryLine('', sample)}`);
        await sleep(SAMPLE_MS);
      }
    })();
    let result: StepResult;
    try {
      result = await runStep(`sandbox-${options.storage}`, system, ready, step, tls.ca);
    } finally {
      sampling = false;
      await sampler;
    }
    const end = result.server.memory?.afterIdle ?? memorySummary(await system.collect());
    await sleep(LONG_IDLE_MS);
    const endAfterLongIdle = memorySummary(await system.collect());
    if (options.heapSnapshots) heapSnapshots.push(await system.heapSnapshot(options.heapSnapshots));
    const peakSample = samples.reduce<MemorySummary>((peak, sample) => (sample.rssMiB > peak.rssMiB ? sample : peak), result.server.memory?.peak ?? start);
    const record: SoakRecord = {
      command: `npm run bench -- ${(options.args ?? []).join(' ')}`.trim(),
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      pinned,
      step,
      start,
      peak: peakSample,
      end,
      endAfterLongIdle,
      samples,
      heapSnapshots,
      result,
    };
    const file = join(ROOT, 'bench', 'results', `soak-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(file, JSON.stringify(record, null, 2) + '\n');
    console.log(
      `  delivered ${result.delivery.delivered}/${result.delivery.expected}, lost ${result.delivery.lost}, duplicates ${result.delivery.duplicates}, ` +
        `publish errors ${result.publish.errors}, p50 ${result.latency.p50Ms} p99 ${result.latency.p99Ms} ms, cpu ${result.server.cpuCores} cores, ` +
        `µs/mut ${result.server.cpuUsPerMutation ?? '-'}${result.harnessErrors.length ? `\n  errors: ${result.harnessErrors.slice(0, 3).join(' | ')}` : ''}`,
    );
    console.log(`  ${memoryLine('start', start)}`);
    console.log(`  ${memoryLine('peak', peakSample)}`);
    console.log(`  ${memoryLine('end (idle, gc)', end)}`);
    console.log(`  ${memoryLine(`end +${LONG_IDLE_MS / 1000} s (gc)`, endAfterLongIdle)}`);
    console.log(`  RSS end − start: ${(end.rssMiB - start.rssMiB).toFixed(1)} MiB (+${LONG_IDLE_MS / 1000} s: ${(endAfterLongIdle.rssMiB - start.rssMiB).toFixed(1)} MiB); ${file}`);
    if (heapSnapshots.length) console.log(`  heap snapshots: ${heapSnapshots.join(', ')}`);
    return result.ok ? 0 : 1;
  } finally {
    sampling = false;
    await system.stop();
  }
}
