#!/usr/bin/env node
/**
 * `npm run dev [-- --reset] [-- <vite options>]`: synthesizes the backend when amplify/ changed since the last
 * synthesis, starts the offline sandbox (offline/sandbox-cli.ts: local DynamoDB, Cognito, Lambda, AppSync serving
 * the synthesized backend; it writes amplify_outputs.json), waits until it is ready, then starts the Vite dev
 * server. While it runs, edits under amplify/ re-synthesize the backend and reload the sandbox in place (data kept).
 * Ctrl-C stops both; if either stops on its own, the other is stopped too.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CDK_OUT, PROJECT_ROOT } from './lib/paths.mjs';

const READY_LINE = '[sandbox] ready';
const SANDBOX_FLAGS = new Set(['--reset']);

/** @param {string} dir @returns {number} */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const manifest = join(CDK_OUT, 'manifest.json');
const stale =
  !existsSync(manifest) ||
  newestMtime(join(PROJECT_ROOT, 'amplify')) > statSync(manifest).mtimeMs ||
  statSync(join(PROJECT_ROOT, 'package-lock.json')).mtimeMs > statSync(manifest).mtimeMs;

if (stale) {
  console.log('[dev] synthesizing the backend (amplify/ changed since the last synthesis)…');
  const synth = spawnSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'synth.mjs'), '--quiet'], { stdio: 'inherit' });
  if (synth.status !== 0) process.exit(synth.status ?? 1);
} else {
  console.log(`[dev] backend unchanged since the last synthesis (${CDK_OUT})`);
}

const args = process.argv.slice(2);
const sandboxArgs = args.filter((arg) => SANDBOX_FLAGS.has(arg));
const viteArgs = args.filter((arg) => !SANDBOX_FLAGS.has(arg));

/** @type {import('node:child_process').ChildProcess | undefined} */
let vite;
let stopping = false;

console.log(`[dev] starting the offline sandbox${sandboxArgs.length ? ` (${sandboxArgs.join(' ')})` : ''}…`);
const sandbox = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'offline', 'sandbox-cli.ts'), '--watch', ...sandboxArgs], {
  cwd: PROJECT_ROOT,
  stdio: ['ignore', 'pipe', 'inherit'],
});
createInterface({ input: /** @type {import('node:stream').Readable} */ (sandbox.stdout) }).on('line', (line) => {
  console.log(line);
  if (line === READY_LINE && !vite && !stopping) startVite();
});

function startVite() {
  console.log('[dev] starting the client (Vite)…');
  vite = spawn(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), ...viteArgs], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
  });
  vite.on('exit', (code, signal) => {
    if (stopping) return maybeExit();
    console.error(`[dev] Vite stopped (${signal ?? `exit code ${code}`}); stopping the offline sandbox…`);
    stop(code || 1);
  });
}

let exitCode = 0;
function maybeExit() {
  const sandboxDone = sandbox.exitCode !== null || sandbox.signalCode !== null;
  const viteDone = !vite || vite.exitCode !== null || vite.signalCode !== null;
  if (sandboxDone && viteDone) process.exit(exitCode);
}

/** @param {number} code */
function stop(code) {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  // Ctrl-C in the terminal already reached both (same process group); SIGTERM covers the other cases.
  for (const child of [sandbox, vite]) if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  maybeExit();
}

sandbox.on('exit', (code, signal) => {
  if (stopping) return maybeExit();
  console.error(
    vite
      ? `[dev] the offline sandbox stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping Vite…`
      : `[dev] the offline sandbox did not start (${signal ?? `exit code ${code}`}); see the messages above.`,
  );
  stop(code || 1);
});

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => stop(0));
