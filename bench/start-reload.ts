/**
 * Start and reload times of `npm run dev` (docs/benchmarks.md "Start and reload"), on a copy of the project:
 *
 *   node --import tsx bench/start-reload.ts [--runs N] [--ref COMMIT] [--keep]
 *
 * The copy holds the project's files (git ls-files, as they are in the working tree) with this project's packages
 * linked into its node_modules, the engine package being the copy's own offline/ (what a fresh clone has after
 * `npm install`); nothing in this project is touched. With --ref, each run first times a copy of that commit the same
 * way (the reference: the engine and scripts as they were), then the working tree, so both are measured under the same
 * load. Each run times:
 *   cold     `npm run dev` to "[sandbox] ready" and to Vite's URL, with no cdk.out and no sandbox data (a fresh clone)
 *   warm     the same again, amplify/ unchanged (a restart)
 *   function a one-line change to a function handler (amplify/functions/presence/handler.ts) until the sandbox has
 *            reloaded it (its next invocation runs the new bundle)
 *   resolver a one-line change to a JS resolver (amplify/data/listMyReadPoints.js) until the sandbox has reloaded
 * Every step is bounded (a step that does not finish in 180 s fails the run). The figures are printed as one JSON line
 * per run and a table at the end. Timing is reported, never judged.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 1) || 1;
const keep = args.includes('--keep');
const ref = args.includes('--ref') ? args[args.indexOf('--ref') + 1] : undefined;
const STEP_LIMIT_MS = 180_000;
// eslint-disable-next-line no-control-regex
const plain = (line: string) => line.replace(/\x1b\[[0-9;]*m/g, '');

/** A copy of the project's files (of `commit`, else the working tree), its packages linked (no cdk.out, no .amplify). */
function copyProject(commit?: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'start-reload-'));
  if (commit) {
    execFileSync('bash', ['-c', `git archive ${JSON.stringify(commit)} | tar -x -C ${JSON.stringify(copy)}`], { cwd: ROOT });
  } else {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const file of files) {
      if (file.startsWith('.amplify/')) continue;
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      try {
        cpSync(join(ROOT, file), join(copy, file));
      } catch {
        // deleted in the working tree
      }
    }
  }
  // Every package from this project's node_modules but the engine, which is the copy's own (a workspace link, as npm makes it).
  mkdirSync(join(copy, 'node_modules'));
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    // Not the tools' caches (node_modules/.cache: the synthesis's bundle cache among them): a fresh install has none.
    if (name !== 'amplify-gen2-offline' && name !== '.cache') symlinkSync(join(ROOT, 'node_modules', name), join(copy, 'node_modules', name));
  }
  symlinkSync(join('..', 'offline'), join(copy, 'node_modules', 'amplify-gen2-offline'));
  // The console's prebuilt pages, though, are shared: building them runs in the background after "ready" and would
  // only add noise to the reload figures (it is not what is measured).
  const consoleCache = join(ROOT, 'node_modules', '.cache', 'amplify-gen2-offline', 'console-ui');
  if (existsSync(consoleCache)) {
    mkdirSync(join(copy, 'node_modules', '.cache', 'amplify-gen2-offline'), { recursive: true });
    symlinkSync(consoleCache, join(copy, 'node_modules', '.cache', 'amplify-gen2-offline', 'console-ui'));
  }
  symlinkSync(join(ROOT, 'offline', 'node_modules'), join(copy, 'offline', 'node_modules'));
  return copy;
}

interface Dev {
  child: ChildProcess;
  /** Resolves with the ms since `since` when a line matching `pattern` appears (after `since`). */
  waitFor(pattern: RegExp, since?: number): Promise<number>;
  stop(): Promise<void>;
}

function startDev(copy: string): Dev {
  const child = spawn(process.execPath, [join(copy, 'scripts', 'dev.mjs')], {
    cwd: copy,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: { at: number; text: string }[] = [];
  const waiters = new Set<() => void>();
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push({ at: performance.now(), text: plain(line) });
      if (process.env['BENCH_VERBOSE']) console.error(`  | ${line}`);
      for (const waiter of waiters) waiter();
    });
  }
  const started = performance.now();
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    child,
    waitFor(pattern, since = started) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = lines.find((l) => l.at >= since && pattern.test(l.text));
          if (!hit) return;
          cleanup();
          resolve(hit.at - since);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no line matching ${pattern} within ${STEP_LIMIT_MS / 1000} s; last lines:\n${lines.slice(-15).map((l) => l.text).join('\n')}`));
        }, STEP_LIMIT_MS);
        const onExit = () => {
          cleanup();
          reject(new Error(`npm run dev exited before ${pattern}; last lines:\n${lines.slice(-15).map((l) => l.text).join('\n')}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
          child.off('exit', onExit);
        };
        waiters.add(check);
        child.on('exit', onExit);
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGINT');
      // Ctrl-C, as a user stops it; whatever of its process group is still there after 20 s is killed.
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000).unref())]);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // the whole group has exited
      }
      await exited;
    },
  };
}

const SANDBOX_READY = /^\[sandbox\] ready$/;
const VITE_READY = /Local:\s+https?:\/\//;
const RELOADED = /^\[reload\] reloaded in /;

async function startTimes(copy: string): Promise<{ dev: Dev; sandboxMs: number; viteMs: number }> {
  const dev = startDev(copy);
  const sandboxMs = await dev.waitFor(SANDBOX_READY);
  const viteMs = await dev.waitFor(VITE_READY);
  return { dev, sandboxMs, viteMs };
}

async function editUntilReloaded(dev: Dev, file: string, line: string): Promise<number> {
  const since = performance.now();
  appendFileSync(file, line);
  return dev.waitFor(RELOADED, since);
}

/** One measurement of every step on a fresh copy. */
async function measure(label: string, run: number, commit?: string): Promise<Record<string, number | string>> {
  const copy = copyProject(commit);
  try {
    const cold = await startTimes(copy);
    await cold.dev.stop();
    const warm = await startTimes(copy);
    const fn = await editUntilReloaded(warm.dev, join(copy, 'amplify', 'functions', 'presence', 'handler.ts'), `\nexport const benchEdit${run} = ${run};\n`);
    const resolver = await editUntilReloaded(warm.dev, join(copy, 'amplify', 'data', 'listMyReadPoints.js'), `\n// bench edit ${run}\n`);
    await warm.dev.stop();
    return {
      label,
      run,
      coldSandboxMs: Math.round(cold.sandboxMs),
      coldViteMs: Math.round(cold.viteMs),
      warmSandboxMs: Math.round(warm.sandboxMs),
      warmViteMs: Math.round(warm.viteMs),
      functionReloadMs: Math.round(fn),
      resolverReloadMs: Math.round(resolver),
    };
  } finally {
    if (keep) console.error(`kept ${copy}`);
    else rmSync(copy, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}

const results: Record<string, number | string>[] = [];
for (let run = 1; run <= runs; run++) {
  for (const [label, commit] of ref ? ([[`ref ${ref}`, ref], ['working tree', undefined]] as const) : ([['working tree', undefined]] as const)) {
    const result = await measure(label, run, commit);
    results.push(result);
    console.log(JSON.stringify(result));
  }
}

const seconds = (ms: number | string | undefined) => `${(Number(ms) / 1000).toFixed(1)} s`;
const COLUMNS = ['coldSandboxMs', 'coldViteMs', 'warmSandboxMs', 'warmViteMs', 'functionReloadMs', 'resolverReloadMs'];
console.log(`\n${'run'.padEnd(4)} ${'what'.padEnd(22)} cold→sandbox    cold→Vite warm→sandbox    warm→Vite  fn reload  resolver reload`);
for (const r of results) console.log(`${String(r['run']).padEnd(4)} ${String(r['label']).padEnd(22)} ${COLUMNS.map((c) => seconds(r[c]).padStart(12)).join(' ')}`);
