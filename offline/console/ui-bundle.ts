/**
 * The console's pages as built files. The published package ships them (./prebuilt, made by `npm pack`); in a
 * checkout they are built from ./ui by Vite (build-ui.mjs, in a child process) the first time a page is asked for
 * after the sources or the packages they use changed, into a cache folder named by a fingerprint of both; every later
 * start reuses that build. A build takes a few seconds; until it is done the page says so and reloads itself.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSOLE_FOLDER, PREBUILT, PREBUILT_FINGERPRINT, sourcesFingerprint } from './ui-sources.mjs';

const BUILD_SCRIPT = join(CONSOLE_FOLDER, 'build-ui.mjs');
/** The packages whose versions change what a build makes. */
const BUILD_PACKAGES = ['vite', '@vitejs/plugin-react', 'react', 'react-dom', 'graphiql', 'graphql'];

export type UiBundleState = { state: 'building' } | { state: 'ready'; directory: string } | { state: 'failed'; reason: string };

/** A fingerprint of the sources, the build script and the versions of the packages the build uses. */
export function uiFingerprint(): string {
  const hash = createHash('sha256').update(sourcesFingerprint());
  const require = createRequire(join(CONSOLE_FOLDER, 'package-anchor.js'));
  for (const name of BUILD_PACKAGES) {
    let version = 'absent';
    try {
      version = (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
    } catch {
      // A package that is missing makes the build fail, which the page reports.
    }
    hash.update(`${name}@${version}\0`);
  }
  return hash.digest('hex').slice(0, 16);
}

/** Where builds are kept: the project's `node_modules/.cache` when there is one, else the system's temporary folder. */
export function defaultUiCacheDirectory(cwd = process.cwd()): string {
  const nodeModules = join(cwd, 'node_modules');
  return join(existsSync(nodeModules) ? join(nodeModules, '.cache') : tmpdir(), 'amplify-gen2-offline', 'console-ui');
}

export interface UiBundle {
  /** Where the build stands; the first call starts it when there is none for the current sources. */
  current(): UiBundleState;
  /** Resolves once the build is ready or has failed. */
  ready(): Promise<UiBundleState>;
}

function runBuild(outDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUILD_SCRIPT, outDir], { cwd: CONSOLE_FOLDER, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 16_384) stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(stderr.trim() || `the build exited with ${signal ?? code}`));
    });
  });
}

/** The pages the package was published with (`npm pack` builds them), while they match the sources beside them. */
function prebuiltPages(): string | undefined {
  try {
    return readFileSync(join(PREBUILT, PREBUILT_FINGERPRINT), 'utf8').trim() === sourcesFingerprint() ? PREBUILT : undefined;
  } catch {
    return undefined;
  }
}

/** Scratch folders of builds that were killed (a build takes seconds; an hour-old one is not running). */
function removeAbandonedBuilds(cacheDirectory: string): void {
  for (const entry of readdirSync(cacheDirectory, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.includes('.building-')) continue;
    const path = join(cacheDirectory, entry.name);
    if (Date.now() - statSync(path).mtimeMs > 60 * 60 * 1000) rmSync(path, { recursive: true, force: true });
  }
}

/**
 * The console's built pages in `cacheDirectory`, built on first use. Two sandboxes building the same fingerprint at
 * once each build into a scratch folder of their own and the first to finish names it (build-ui.mjs).
 */
export function uiBundle(cacheDirectory = defaultUiCacheDirectory(), log: (line: string) => void = () => undefined): UiBundle {
  let state: UiBundleState | undefined;
  let building: Promise<UiBundleState> | undefined;
  const start = (): Promise<UiBundleState> => {
    const shipped = prebuiltPages();
    if (shipped !== undefined) return Promise.resolve((state = { state: 'ready', directory: shipped }));
    const fingerprint = uiFingerprint();
    const directory = join(cacheDirectory, fingerprint);
    if (existsSync(join(directory, 'index.html'))) {
      state = { state: 'ready', directory };
      return Promise.resolve(state);
    }
    state = { state: 'building' };
    mkdirSync(cacheDirectory, { recursive: true });
    removeAbandonedBuilds(cacheDirectory);
    const started = Date.now();
    log('[console] building the console pages…');
    return runBuild(directory).then(
      () => {
        log(`[console] pages built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return (state = { state: 'ready', directory });
      },
      (error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        log(`[console] the console pages could not be built: ${reason}`);
        return (state = { state: 'failed', reason });
      },
    );
  };
  const ready = (): Promise<UiBundleState> => (building ??= start());
  return {
    current() {
      if (state === undefined) void ready();
      return state ?? { state: 'building' };
    },
    ready,
  };
}
