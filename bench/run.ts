/**
 * The benchmark orchestrator: `npm run bench` (full, manual) and `npm run bench:smoke` (about a minute, CI).
 *
 * For every workload step, every system runs in a FRESH child process, interleaved (REF@step, SANDBOX@step,
 * SIMULATOR@step, then the next step), with the same harness, payload and pinning. Results go to
 * bench/results/<mode>-<time>.json (+ latest-<mode>.json); the full run also rewrites the generated part of
 * docs/benchmarks.md and docs/benchmarks-latency.svg (the smoke run and subsets of the full one only with --report).
 *
 * Exit status: 1 when a gating system (REF, sandbox) lost or duplicated a message or a publish failed, or the
 * harness hit an error on any system, the stock simulator included (connect/start/warm-up/timeout/child crash). Speed is never a failure criterion;
 * steps where the harness was saturated are marked invalid in the report.
 *
 * Options: --smoke | --full, --systems ref,sandbox-memory,sandbox-disk,simulator, --report, --no-pin,
 * --only W2 (workload filter), --gc (each system's idle memory after a step is read 25 s after the step, once the
 * sandbox's Lambda environments have given back what it left, and after a forced last-resort collection),
 * --soak <minutes> (bench/soak.ts instead of the steps: W2-shaped load on the sandbox for that long; --storage
 * disk|memory, disk by default as in `npm run dev`), --warmup <seconds> (the step's own load, discarded, before each
 * measured phase: 5 s in the full run as the method asks, none in the smoke run, which checks delivery, not speed).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateCertificate } from 'amplify-gen2-offline';
import { failedStep, IDLE_SETTLE_GC_MS, IDLE_SETTLE_MS, memoryLine, runStep, type StepResult, type StepSpec } from './harness/load';
import { killAllSystems, pinHarness, SystemProcess } from './harness/system-process';
import { writeReport, type RunRecord } from './report';

interface SystemSpec {
  name: string;
  entry: string;
  env: Record<string, string>;
  /** Loss/duplicates/errors of this system fail the run (the stock simulator is reported, not gated). */
  gating: boolean;
  /** Steps this system runs (the simulator skips what it cannot do in bounded time). */
  accepts(step: StepSpec): boolean;
}

const ROOT = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const mode = args.includes('--smoke') ? 'smoke' : 'full';
const option = (name: string): string | undefined => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};

const CONTENT_LENGTH = 200;
/** Seconds of the step's own load before each measured phase (discarded): the method's 5 s; the smoke run skips it. */
const WARMUP_S = Number(option('--warmup') ?? (mode === 'smoke' ? 0 : 5));
if (!Number.isFinite(WARMUP_S) || WARMUP_S < 0 || WARMUP_S > 60) throw new Error('--warmup takes 0–60 seconds');

function plan(): StepSpec[] {
  const step = (
    workload: StepSpec['workload'],
    connections: number,
    conversationSize: number,
    rate: number,
    durationS: number,
    extra: Pick<StepSpec, 'churnPerSecond' | 'slowFraction'> = {},
  ): StepSpec => {
    const detail =
      workload === 'W4' ? ` churn ${extra.churnPerSecond}/s` : workload === 'W5' ? ' after reconnect storm' : workload === 'W6' ? ` ${(extra.slowFraction ?? 0) * 100}% not reading` : '';
    return {
      workload,
      label: workload === 'W1' ? `W1 idle ${connections} conns` : `${workload} ${connections} conns k=${conversationSize} @${rate}/s${detail}`,
      connections,
      conversationSize,
      rate,
      durationS,
      ...(WARMUP_S > 0 && rate > 0 ? { warmupS: WARMUP_S } : {}),
      contentLength: CONTENT_LENGTH,
      ...extra,
    };
  };
  if (mode === 'smoke') {
    // Rates far below the sandbox's one-core capacity (~15 sendMessage/s today), so a slow CI machine cannot turn
    // slowness into loss within the 20 s drain limit.
    return [
      step('W1', 200, 10, 0, 2),
      step('W2', 100, 10, 5, 2),
      step('W2', 40, 2, 5, 2),
      step('W3', 100, 100, 5, 2),
      step('W4', 100, 10, 5, 2, { churnPerSecond: 10 }),
      step('W5', 100, 10, 5, 2),
      step('W6', 100, 10, 5, 2, { slowFraction: 0.05 }),
    ];
  }
  return [
    step('W1', 1000, 10, 0, 5),
    step('W1', 3000, 10, 0, 5),
    step('W2', 1000, 2, 50, 8),
    step('W2', 1000, 2, 100, 8),
    step('W2', 1000, 2, 200, 8),
    step('W2', 1000, 2, 400, 8),
    step('W2', 1000, 10, 50, 8),
    step('W2', 1000, 10, 100, 8),
    step('W2', 1000, 10, 200, 8),
    step('W2', 1000, 10, 400, 8),
    step('W3', 1000, 1000, 10, 8),
    step('W3', 1000, 1000, 25, 8),
    step('W3', 1000, 1000, 50, 8),
    step('W3', 1000, 1000, 100, 8),
    // W4–W6 at half of the sandbox's W2 k=10 capacity on this machine (see docs/benchmarks.md).
    step('W4', 1000, 10, 10, 8, { churnPerSecond: 20 }),
    step('W5', 1000, 10, 10, 8),
    step('W6', 1000, 10, 10, 8, { slowFraction: 0.01 }),
  ];
}

const everySystem: SystemSpec[] = [
  { name: 'ref', entry: 'raw-ws-server.ts', env: {}, gating: true, accepts: () => true },
  { name: 'sandbox-memory', entry: 'sandbox-server.ts', env: { BENCH_STORAGE: 'memory' }, gating: true, accepts: () => true },
  { name: 'sandbox-disk', entry: 'sandbox-server.ts', env: { BENCH_STORAGE: 'disk' }, gating: true, accepts: () => true },
  {
    name: 'simulator',
    entry: 'simulator-server.ts',
    env: {},
    gating: false,
    // The stock simulator sends every event to every subscriber (no filtering): only one-room steps are meaningful.
    // W1 needs a probe in each of its many conversations, each of which the simulator sends to every subscriber — at
    // 1,000 connections its setup times out (full run of 2026-11-25), so W1 is not run on it.
    accepts: (step) => step.connections / step.conversationSize <= 1,
  },
];

function machine(): RunRecord['machine'] {
  const version = (pkg: string): string => {
    try {
      return (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    versions: {
      ws: version('ws'),
      'hdr-histogram-js': version('hdr-histogram-js'),
      '@aws-amplify/amplify-appsync-simulator': version('@aws-amplify/amplify-appsync-simulator'),
      dynalite: version('dynalite'),
      graphql: version('graphql'),
    },
  };
}

async function main(): Promise<number> {
  const soakMinutes = option('--soak');
  if (soakMinutes !== undefined) {
    const rate = option('--rate');
    const heapSnapshots = option('--heap-snapshots');
    const storage = option('--storage') ?? 'disk';
    if (storage !== 'disk' && storage !== 'memory') throw new Error(`--storage takes disk or memory, got ${storage}`);
    return (await import('./soak')).soak({
      storage,
      minutes: Number(soakMinutes),
      pin: !args.includes('--no-pin'),
      ...(rate ? { rate: Number(rate) } : {}),
      ...(heapSnapshots ? { heapSnapshots } : {}),
      args: args.filter((a) => a !== '--full'),
    });
  }
  const systemsWanted = (option('--systems') ?? (mode === 'smoke' ? 'ref,sandbox-memory,simulator' : 'ref,sandbox-memory,sandbox-disk,simulator')).split(',');
  const systems = everySystem.filter((s) => systemsWanted.includes(s.name));
  const only = option('--only');
  const stepFilter = option('--step');
  const steps = plan().filter((s) => (!only || s.workload === only) && (!stepFilter || s.label.includes(stepFilter)));
  const pin = !args.includes('--no-pin') && pinHarness();
  const tlsDirectory = join(ROOT, '.amplify', 'bench', 'tls');
  const tls = await loadOrCreateCertificate(tlsDirectory);
  const deadline = Date.now() + (mode === 'smoke' ? 240_000 : 3_600_000);

  const results: StepResult[] = [];
  const started = new Date();
  console.log(`bench ${mode}: ${steps.length} steps × ${systems.map((s) => s.name).join(', ')}${pin ? ' (SUT on CPU 0, harness on CPU 1)' : ''}`);
  // Full runs start a fresh system process per step (no carried-over memory or GC state). The smoke run keeps one
  // process per system across its steps, to stay near a minute (the sandbox takes ~10 s to start on one core).
  const reuse = mode === 'smoke';
  const kept = new Map<string, SystemProcess>();
  try {
    for (const step of steps) {
      for (const system of systems) {
        if (!system.accepts(step)) continue;
        if (Date.now() > deadline) {
          results.push(failedStep(system.name, step, new Error('run deadline reached before this step')));
          continue;
        }
        let child: SystemProcess | undefined = kept.get(system.name);
        let result: StepResult;
        const began = Date.now();
        try {
          child ??= await SystemProcess.start({
            entry: system.entry,
            env: { BENCH_TLS_DIR: tlsDirectory, NODE_EXTRA_CA_CERTS: tls.caPath, ...(args.includes('--gc') ? { BENCH_GC: '1' } : {}), ...system.env },
            ...(pin ? { cpus: '0' } : {}),
          });
          if (reuse) kept.set(system.name, child);
          const startedMs = Date.now() - began;
          const conversations = Math.max(1, Math.floor(step.connections / step.conversationSize));
          const ready = await child.setup({ conversations, membersPerConversation: step.conversationSize });
          ready.notes.push(`system start ${startedMs} ms, setup ${Date.now() - began - startedMs} ms`);
          // The idle memory costs IDLE_SETTLE_MS per step: read in full runs and with --gc, not in the smoke run (CI time).
          const idleMemory = mode === 'full' || args.includes('--gc');
          const idleSettleMs = args.includes('--gc') ? IDLE_SETTLE_GC_MS : IDLE_SETTLE_MS;
          result = await withTimeout(runStep(system.name, child, ready, step, tls.ca, { idleMemory, idleSettleMs }), (step.durationS + (step.warmupS ?? 0)) * 1000 + 90_000 + idleSettleMs, `${system.name} ${step.label}`);
        } catch (error) {
          result = failedStep(system.name, step, error);
          kept.delete(system.name);
          await child?.stop();
          child = undefined;
        }
        if (!reuse) await child?.stop();
        results.push(result);
        console.log(line(result, Date.now() - began));
      }
    }
  } finally {
    for (const child of kept.values()) await child.stop();
  }

  const record: RunRecord = {
    mode,
    command: `npm run ${mode === 'smoke' ? 'bench:smoke' : 'bench'}${args.filter((a) => a !== '--smoke').length ? ` -- ${args.filter((a) => a !== '--smoke').join(' ')}` : ''}`,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    pinned: pin,
    machine: machine(),
    results,
  };
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  writeFileSync(join(ROOT, 'bench', 'results', `${mode}-${stamp}.json`), JSON.stringify(record, null, 2) + '\n');
  writeFileSync(join(ROOT, 'bench', 'results', `latest-${mode}.json`), JSON.stringify(record, null, 2) + '\n');
  // A subset (--systems, --only, --step) is not a sweep: it rewrites the page only when asked (--report).
  const subset = args.some((a) => a === '--systems' || a === '--only' || a === '--step');
  if ((mode === 'full' && !subset) || args.includes('--report')) writeReport(ROOT, record);

  const gating = new Set(systems.filter((s) => s.gating).map((s) => s.name));
  // Loss or duplicates of the stock simulator are its behaviour, reported not gated; but a simulator step that could not
  // run at all (start, setup, connect, warm-up, timeout) is a broken harness and fails the run like any other.
  const failures = results.filter((r) => (gating.has(r.system) ? !r.ok : r.harnessErrors.length > 0));
  for (const failure of failures) {
    console.error(
      `FAIL ${failure.system} ${failure.step.label}: lost ${failure.delivery.lost}, duplicates ${failure.delivery.duplicates}, publish errors ${failure.publish.errors}` +
        `${failure.publish.firstError ? ` (${failure.publish.firstError})` : ''}; harness errors: ${failure.harnessErrors.join(' | ') || 'none'}`,
    );
  }
  const invalid = results.filter((r) => r.invalidReasons.length > 0 && r.ok);
  for (const step of invalid) console.warn(`note: ${step.system} ${step.step.label} marked invalid: ${step.invalidReasons.join('; ')}`);
  console.log(failures.length === 0 ? 'bench: no loss, no duplicates, no harness errors' : `bench: ${failures.length} failing step(s)`);
  return failures.length === 0 ? 0 : 1;
}

function line(r: StepResult, ms: number): string {
  const pct = (value: number) => value.toFixed(1).padStart(7);
  return (
    `${r.system.padEnd(15)} ${r.step.label.padEnd(30)} ${r.ok ? 'ok  ' : 'FAIL'}${r.valid ? '' : ' (invalid)'} ` +
    `deliv ${String(r.delivery.delivered).padStart(6)}/${String(r.delivery.expected).padEnd(6)} ${String(r.delivery.deliveredPerSecond).padStart(6)}/s ` +
    `p50 ${pct(r.latency.p50Ms)} p99 ${pct(r.latency.p99Ms)} ms  cpu ${r.server.cpuCores.toFixed(2)} ` +
    `µs/deliv ${r.server.cpuUsPerDelivery ?? '-'} µs/mut ${r.server.cpuUsPerMutation ?? '-'}` +
    (r.server.childCpuUsPerMutation ? ` (functions ${r.server.childCpuUsPerMutation})` : '') +
    (r.server.gcPauses ? ` loop p99 ${r.server.eventLoopP99Ms.toFixed(1)} gc ${r.server.gcPauses.count}× max ${r.server.gcPauses.maxMs} ms` : '') +
    ` rss/conn ${r.server.rssPerConnectionKiB} KiB rss ${r.server.rssBeforeMiB}→${r.server.rssPeakMiB}→${r.server.rssAfterIdleMiB ?? '-'} MiB ` +
    `harness ${r.harness.cpuCores.toFixed(2)} [${(ms / 1000).toFixed(1)} s: ${r.notes.at(-1) ?? ''}, connect ${r.setup.connectMs} ms, warm-up ${r.setup.warmupMs} ms${r.setup.scheduledRunWaitMs ? ` (${r.setup.scheduledRunWaitMs} of them until a scheduled first run)` : ''}, drain ${r.delivery.drainMs} ms]` +
    (r.server.memory ? `\n    memory: ${memoryLine('start', r.server.memory.before)} | ${memoryLine('peak', r.server.memory.peak)}` +
      (r.server.memory.afterIdle ? ` | ${memoryLine(`idle ${Math.round((r.server.memory.idleSettleMs ?? IDLE_SETTLE_MS) / 1000)} s${r.server.memory.idleCollected ? '+gc' : ''}`, r.server.memory.afterIdle)}` : '') : '') +
    (r.system.startsWith('sandbox') && r.server.windowCounters && Object.keys(r.server.windowCounters).length
      ? `\n    in the window: ${Object.entries(r.server.windowCounters).map(([name, n]) => `${name} ×${n}`).join(', ')}`
      : '') +
    (r.churn ? `\n    churn: ${r.churn.completed}/${r.churn.cycles} cycles, p50 ${r.churn.cycleP50Ms} ms, p99 ${r.churn.cycleP99Ms} ms, errors ${r.churn.errors}` : '') +
    (r.storm ? `\n    storm: ${r.storm.connections} reconnected in ${r.storm.reconnectMs} ms (${r.storm.reconnectsPerSecond}/s), errors ${r.storm.errors}` : '') +
    (r.slow ? `\n    slow: ${r.slow.subscribers} not reading, ${r.slow.disconnectedByServer} closed by the server, RSS +${r.slow.rssGrowthMiB} MiB` : '') +
    (r.harnessErrors.length ? `\n    errors: ${r.harnessErrors.slice(0, 3).join(' | ').slice(0, 600)}` : '')
  );
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: step timed out after ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllSystems();
    process.exit(130);
  });
}
process.on('exit', killAllSystems);

main().then(
  (code) => {
    killAllSystems();
    process.exit(code);
  },
  (error: unknown) => {
    console.error(error);
    killAllSystems();
    process.exit(1);
  },
);
