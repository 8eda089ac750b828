#!/usr/bin/env node
/**
 * Builds the console's pages (./ui, React + GraphiQL) with Vite into the folder given as the first argument.
 * Run as a child process by ui-bundle.ts, so that the sandbox never loads Vite itself; also usable by hand:
 * `node offline/console/build-ui.mjs <outDir>`.
 *
 * The build goes to a scratch folder beside `outDir` that is then renamed to it, so that `outDir` is complete
 * whenever it exists, even if the sandbox that asked for it stopped meanwhile. When another build named `outDir`
 * first, this one is dropped.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build } from 'vite';

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: build-ui.mjs <outDir>');
  process.exit(2);
}
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

try {
  renameSync(scratch, outDir);
} catch (error) {
  rmSync(scratch, { recursive: true, force: true });
  if (!existsSync(join(outDir, 'index.html'))) throw error;
}
