#!/usr/bin/env node
/**
 * `npm run dev`: synthesizes the backend when amplify/ changed since the last synthesis, makes sure
 * amplify_outputs.json exists, and starts the Vite dev server for the client.
 *
 * At this stage the offline sandbox (local AppSync, Cognito, DynamoDB and Lambda serving the
 * synthesized backend) does not exist yet, so the app renders its sign-in screen but cannot sign
 * in offline; against a deployed backend (amplify_outputs.json from `npx ampx sandbox`) it works.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureOfflineOutputs } from './lib/offline-outputs.mjs';
import { CDK_OUT, PROJECT_ROOT } from './lib/paths.mjs';

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
  console.log(`[dev] amplify_outputs.json ${ensureOfflineOutputs()}`);
}

console.log('[dev] offline AppSync/Cognito services: not implemented yet (see README, "Status")');
console.log('[dev] starting the client…');
const vite = spawn(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), ...process.argv.slice(2)], {
  cwd: PROJECT_ROOT,
  stdio: 'inherit',
});
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => vite.kill(signal));
vite.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
