/**
 * Reload on edit: watches the backend sources, re-synthesizes into a staging directory next to
 * `cdkOut`, swaps it in, and asks the running sandbox to reload. A synthesis that fails (a type error, a throwing
 * `defineData`) or a reload the sandbox refuses leaves the previous backend serving; the error is printed.
 * Edits made while a synthesis runs are picked up by one more synthesis right after it.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LineLogger } from './log';
import type { ReloadReport } from './start-sandbox';

export type SynthesisOutcome = { ok: true } | { ok: false; output: string };

/** A function-code reload: the bundles rebuilt (asset folders), or why it failed. */
export type FunctionRebuild = { ok: true; bundles: { from: string; to: string; entry: string }[] } | { ok: false; output: string };

export interface ReloadWatcherOptions {
  /** The backend's sources (`amplify/`). */
  watchDirectory: string;
  /** The assembly the sandbox serves; replaced in place on every successful synthesis. */
  cdkOut: string;
  /** Synthesizes the backend into `outputDirectory`. */
  synthesize: (outputDirectory: string) => Promise<SynthesisOutcome>;
  /**
   * The fast path for a change to function code only (offline/synth/function-reload.mjs): rebuilds the bundles that
   * read `changedFiles` (absolute) into a copy of `cdkOut` at `outputDirectory`; undefined when a synthesis is needed.
   */
  rebuildFunctions?: (changedFiles: string[], outputDirectory: string) => Promise<FunctionRebuild | undefined>;
  reload: (cdkOut: string) => Promise<ReloadReport>;
  /** After a successful reload (the CLI rewrites amplify_outputs.json here). */
  onReloaded?: (report: ReloadReport) => void;
  /** Progress at `info`; a synthesis or reload that failed at `error`; a restart to apply settings at `warn`. */
  logger: LineLogger;
  /** Quiet period after the last change before synthesizing (editors write several files). Default 300 ms. */
  debounceMs?: number;
  /** Folders directly under `watchDirectory` that are not the backend (edits there are not watched). */
  ignoreFolders?: ReadonlySet<string>;
}

export interface ReloadWatcher {
  close(): void;
}

/** Editor and OS scratch files that are not edits of the backend. */
const IGNORED = /(^|[/\\])(\.#|#|\.DS_Store$)|(~|\.swp|\.swx|\.tmp)$/;

export function describeReload(report: ReloadReport): string {
  const { functions, subscriptions } = report;
  const parts = [
    `tables: ${report.tables}`,
    `functions: ${functions.changed.length + functions.added.length === 0 ? 'unchanged' : [...functions.changed.map((n) => `${n} updated`), ...functions.added.map((n) => `${n} added`)].join(', ')}`,
    `subscriptions: ${subscriptions.kept} kept, ${subscriptions.ended} ended`,
  ];
  if (functions.removed.length > 0) parts.push(`removed functions: ${functions.removed.join(', ')}`);
  if (report.schedulesChanged) parts.push('schedules re-armed');
  return parts.join('; ');
}

export function watchAndReload(options: ReloadWatcherOptions): ReloadWatcher {
  const log = options.logger;
  const staging = `${options.cdkOut}.next`;
  const previous = `${options.cdkOut}.previous`;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let pending = false;
  let closed = false;
  const changed = new Set<string>();

  const swapIn = () => {
    rmSync(previous, { recursive: true, force: true });
    if (existsSync(options.cdkOut)) renameSync(options.cdkOut, previous);
    renameSync(staging, options.cdkOut);
  };

  const cycle = async () => {
    running = true;
    const files = [...changed].sort();
    changed.clear();
    const started = Date.now();
    const changedList = `${files.slice(0, 3).join(', ')}${files.length > 3 ? ` and ${files.length - 3} more` : ''}`;
    try {
      const rebuild = await options.rebuildFunctions?.(files.map((file) => join(options.watchDirectory, file)), staging);
      if (closed) return;
      if (rebuild && !rebuild.ok) {
        log(`[reload] ${changedList} changed: rebuilding the function failed; still serving the previous backend:\n${rebuild.output.trim()}`, 'error');
        return;
      }
      if (rebuild) {
        log(`[reload] ${changedList} changed (function code only): rebuilt ${rebuild.bundles.map((b) => relative(options.watchDirectory, b.entry) || b.entry).join(', ')} without a synthesis`);
      } else {
        log(`[reload] ${changedList} changed: synthesizing…`);
        const synthesis = await options.synthesize(staging);
        if (closed) return;
        if (!synthesis.ok) {
          log(`[reload] synthesis failed; still serving the previous backend:\n${synthesis.output.trim()}`, 'error');
          return;
        }
      }
      swapIn();
      try {
        const report = await options.reload(options.cdkOut);
        rmSync(previous, { recursive: true, force: true });
        log(`[reload] reloaded in ${((Date.now() - started) / 1000).toFixed(1)} s (${describeReload(report)})`);
        if (report.userPoolNeedsRestart) log('[reload] the user pool settings changed: restart to apply them (data is kept)', 'warn');
        if (report.identityPoolNeedsRestart) log('[reload] the identity pool changed: restart to apply it (identities are kept)', 'warn');
        if (report.storageNeedsRestart) log('[reload] the backend now has storage: restart to serve its bucket', 'warn');
        options.onReloaded?.(report);
      } catch (error) {
        // Put back the assembly that matches what is still being served.
        rmSync(options.cdkOut, { recursive: true, force: true });
        renameSync(previous, options.cdkOut);
        log(`[reload] not reloaded; still serving the previous backend: ${error instanceof Error ? error.message : String(error)}`, 'error');
      }
    } catch (error) {
      log(`[reload] failed: ${error instanceof Error ? error.message : String(error)}`, 'error');
    } finally {
      running = false;
      if (pending && !closed) {
        pending = false;
        void cycle();
      }
    }
  };

  const ignoreFolders = options.ignoreFolders ?? new Set<string>();
  const schedule = (file: string) => {
    if (closed || IGNORED.test(file) || ignoreFolders.has(file.split(/[/\\]/)[0]!)) return;
    changed.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (running) pending = true;
      else void cycle();
    }, options.debounceMs ?? 300);
  };

  const watcher = watchTree(options.watchDirectory, schedule, (message) => log(`[reload] ${message}`, 'warn'), ignoreFolders);
  log(`[reload] watching ${options.watchDirectory}: edits re-synthesize and reload the backend (data is kept)`);
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      watcher.close();
    },
  };
}

/**
 * Watches every directory under `root` (one non-recursive watcher each, set up before this returns; directories
 * created later are added as they appear). Node 20's `recursive` option on Linux sets up subdirectory watchers
 * asynchronously, so an edit right after start could go unseen.
 */
function watchTree(root: string, onChange: (file: string) => void, onError: (message: string) => void, ignoreFolders: ReadonlySet<string>): { close(): void } {
  const watchers = new Map<string, FSWatcher>();
  const addTree = (directory: string) => {
    if (watchers.has(directory) || ignoreFolders.has(relative(root, directory).split(/[/\\]/)[0]!)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(directory, (event, name) => {
        const file = name ? join(directory, name.toString()) : directory;
        onChange(relative(root, file) || '.');
        if (event === 'rename' && name) {
          try {
            if (statSync(file).isDirectory()) addTree(file);
          } catch {
            // removed: its watcher ends with it
          }
        }
      });
    } catch (error) {
      onError(`watching ${directory} failed: ${(error as Error).message}`);
      return;
    }
    watcher.on('error', () => {
      watcher.close();
      watchers.delete(directory);
    });
    watchers.set(directory, watcher);
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'node_modules') addTree(join(directory, entry.name));
    }
  };
  addTree(root);
  return {
    close() {
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

/** Runs `amplify-gen2-offline synth --quiet --output <dir>` in a child process (the sandbox keeps serving meanwhile). */
export function synthesizeWith(projectRoot: string, backendEntry?: string): (outputDirectory: string) => Promise<SynthesisOutcome> {
  return (outputDirectory) =>
    new Promise((resolve) => {
      const args = [fileURLToPath(new URL('../bin/amplify-gen2-offline.mjs', import.meta.url)), 'synth', '--quiet', '--output', outputDirectory];
      if (backendEntry) args.push('--backend', backendEntry);
      const child = spawn(process.execPath, args, { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', (error) => resolve({ ok: false, output: error.message }));
      child.on('close', (code) => resolve(code === 0 ? { ok: true } : { ok: false, output }));
    });
}
