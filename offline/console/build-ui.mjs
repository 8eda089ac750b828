#!/usr/bin/env node
/**
 * Builds the console's pages (./ui, React + GraphiQL) with Vite into the folder given as the first argument.
 * Run as a child process by ui-bundle.ts, so that the sandbox never loads Vite itself; also usable by hand:
 * `node offline/console/build-ui.mjs <outDir>`. With `--prebuilt` (the package's `prepack`), into ./prebuilt with the
 * sources' fingerprint, so that the published package serves its pages without Vite.
 *
 * The build goes to a scratch folder beside `outDir` that is then renamed to it, so that `outDir` is complete
 * whenever it exists, even if the sandbox that asked for it stopped meanwhile. When another build named `outDir`
 * first, this one is dropped.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { PREBUILT, PREBUILT_FINGERPRINT, sourcesFingerprint } from './ui-sources.mjs';

const prebuilt = process.argv[2] === '--prebuilt';
const outDir = prebuilt ? PREBUILT : process.argv[2];
if (!outDir) {
  console.error('usage: build-ui.mjs <outDir> | --prebuilt');
  process.exit(2);
}
// A prebuilt copy is replaced; a cache folder is never changed once named (another sandbox may be serving it).
if (prebuilt) rmSync(PREBUILT, { recursive: true, force: true });
const scratch = `${outDir}.building-${process.pid}`;

await build({
  root: fileURLToPath(new URL('./ui/', import.meta.url)),
  base: '/',
  configFile: false,
  envFile: false,
  logLevel: 'error',
  clearScreen: false,
  plugins: [react()],
  build: {
    outDir: scratch,
    emptyOutDir: true,
    // The explorer's editor (Monaco) is large; it is its own chunk, loaded only when the explorer opens.
    chunkSizeWarningLimit: 4096,
    sourcemap: false,
  },
});

if (prebuilt) writeFileSync(join(scratch, PREBUILT_FINGERPRINT), `${sourcesFingerprint()}\n`);
try {
  renameSync(scratch, outDir);
} catch (error) {
  rmSync(scratch, { recursive: true, force: true });
  if (!existsSync(join(outDir, 'index.html'))) throw error;
}
