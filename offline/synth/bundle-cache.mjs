/**
 * The function bundles of a synthesis, reused when their inputs did not change.
 *
 * CDK's NodejsFunction bundles each function by running `npx --no-install esbuild --bundle <entry> <options>` in the
 * project's root (aws-cdk-lib/aws-lambda-nodejs, local bundling). During a synthesis, offline/synth/shim/npx stands
 * first on the PATH and hands exactly that command to `runEsbuild` below: the same esbuild binary npx would run, with
 * the same arguments. What it adds is a cache: an entry is keyed by esbuild's version and arguments (the output file
 * named by where it lies relative to the project, which is all a bundle and its source map depend on), and holds the
 * output files with the content hash of every input esbuild read (its metafile). When every input still has that hash,
 * the outputs are copied instead of bundling again; anything else runs esbuild and refreshes the entry.
 * Any other npx command goes to the real npx.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, relative, resolve } from 'node:path';

/** The environment variable naming the cache folder (set by synthesize(); without it nothing is cached). */
export const BUNDLE_CACHE_VARIABLE = 'AMPLIFY_OFFLINE_BUNDLE_CACHE';
/**
 * The environment variable naming a file where each bundle of the synthesis is recorded (one JSON line: the esbuild
 * arguments, the working directory, the inputs and the output files' SHA-256), for the function-code reload
 * (function-reload.mjs).
 */
export const BUNDLE_LOG_VARIABLE = 'AMPLIFY_OFFLINE_BUNDLE_LOG';
/**
 * Where a project's bundles are cached by default: node_modules/.cache, where build tools keep their caches (linters
 * and type checkers skip it, and removing node_modules removes it).
 * @param {string} projectRoot
 */
export const defaultBundleCache = (projectRoot) => join(resolve(projectRoot), 'node_modules', '.cache', 'amplify-gen2-offline', 'bundles');
/** Bumped when what an entry holds changes. */
const CACHE_FORMAT = 1;

/** @param {string} file */
const sha256File = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * The esbuild binary `npx --no-install esbuild` runs from `cwd`: node_modules/.bin/esbuild in it or its parents.
 * @param {string} cwd
 */
export function localEsbuild(cwd) {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '.bin', 'esbuild');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The npx that would run without the shim: the first on the PATH outside `shimDirectory`.
 * @param {string} shimDirectory
 */
export function realNpx(shimDirectory) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || resolve(dir) === resolve(shimDirectory)) continue;
    const candidate = join(dir, 'npx');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Runs esbuild with `args` in `cwd`, from the cache when the same bundle's inputs are unchanged.
 * @param {{ esbuild: string, args: string[], cwd: string, cacheDirectory?: string }} options
 * @returns {{ status: number, cached: boolean, inputs?: string[] }} `inputs`: the files the bundle read (relative to
 *   `cwd`), when it is cached
 */
export function runEsbuild({ esbuild, args, cwd, cacheDirectory }) {
  const outfileArg = args.find((arg) => arg.startsWith('--outfile='));
  const run = (/** @type {string[]} */ extra = []) => spawnSync(esbuild, [...args, ...extra], { cwd, stdio: ['ignore', 'inherit', 'inherit'] }).status ?? 1;
  if (!cacheDirectory || !outfileArg || args.some((arg) => arg.startsWith('--metafile') || arg === '--watch')) {
    return { status: run(), cached: false };
  }
  const outfile = resolve(cwd, outfileArg.slice('--outfile='.length));
  const outDir = dirname(outfile);
  const version = spawnSync(esbuild, ['--version'], { encoding: 'utf8' }).stdout.trim();
  // The bundle depends on the output's place relative to the sources (source map paths), not on the folder's name.
  const where = `${relative(outDir, cwd)}|${relative(cwd, outfile).split(/[/\\]/).length}|${outfile.slice(outDir.length)}`;
  const key = createHash('sha256')
    .update(JSON.stringify({ format: CACHE_FORMAT, version, where, args: args.map((arg) => (arg === outfileArg ? '--outfile' : arg)), nodePath: process.env.NODE_PATH ?? '' }))
    .digest('hex');
  const entry = join(cacheDirectory, key);
  const metaFile = join(entry, 'inputs.json');
  if (existsSync(metaFile)) {
    try {
      /** @type {Record<string, string>} */
      const inputs = JSON.parse(readFileSync(metaFile, 'utf8'));
      const unchanged = Object.entries(inputs).every(([file, hash]) => existsSync(join(cwd, file)) && sha256File(join(cwd, file)) === hash);
      if (unchanged) {
        mkdirSync(outDir, { recursive: true });
        cpSync(join(entry, 'files'), outDir, { recursive: true });
        const now = new Date();
        utimesSync(entry, now, now);
        return { status: 0, cached: true, inputs: Object.keys(inputs) };
      }
    } catch {
      // an unreadable entry is rebuilt below
    }
  }
  mkdirSync(cacheDirectory, { recursive: true });
  const building = `${entry}.${process.pid}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const metafile = join(building, 'metafile.json');
  const status = run([`--metafile=${metafile}`]);
  if (status !== 0) {
    rmSync(building, { recursive: true, force: true });
    return { status, cached: false };
  }
  try {
    /** @type {{ inputs: Record<string, unknown> }} */
    const meta = JSON.parse(readFileSync(metafile, 'utf8'));
    /** @type {Record<string, string>} */
    const inputs = {};
    for (const file of Object.keys(meta.inputs)) {
      // Inputs outside the file system (esbuild's own namespaces) cannot change between runs of the same esbuild.
      if (file.includes(':') || !existsSync(join(cwd, file))) continue;
      inputs[file] = sha256File(join(cwd, file));
    }
    cpSync(outDir, join(building, 'files'), { recursive: true });
    rmSync(metafile);
    writeFileSync(join(building, 'inputs.json'), JSON.stringify(inputs));
    rmSync(entry, { recursive: true, force: true });
    renameSync(building, entry);
    return { status, cached: false, inputs: Object.keys(inputs) };
  } catch {
    rmSync(building, { recursive: true, force: true });
  }
  return { status, cached: false };
}

/**
 * Leaves the newest `keep` entries of the cache (each synthesis adds at most one per function whose inputs changed).
 * @param {string} cacheDirectory
 * @param {number} [keep]
 */
export function pruneBundleCache(cacheDirectory, keep = 64) {
  if (!existsSync(cacheDirectory)) return;
  const entries = readdirSync(cacheDirectory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const path = join(cacheDirectory, entry.name);
      let mtime = 0;
      try {
        mtime = statSync(path).mtimeMs;
      } catch {
        // removed meanwhile
      }
      return { path, mtime };
    })
    .sort((a, b) => b.mtime - a.mtime);
  for (const { path } of entries.slice(keep)) rmSync(path, { recursive: true, force: true });
}

/**
 * @typedef {{ args: string[], cwd: string, inputs: string[], outputs: Record<string, string>, generated: Record<string, string> }} BundleRecord
 *   one function bundle of a synthesis: `outputs` maps each output file's name to its SHA-256; `generated` holds the
 *   content, at bundling time, of the inputs Amplify generates during the synthesis and rewrites at its end (the
 *   `$amplify/env/<function>` shim under .amplify/generated/: untyped while bundling, typed afterwards)
 */

/** Inputs Amplify writes during a synthesis (and rewrites once it is done). */
export const isGeneratedInput = (/** @type {string} */ file) => /(^|[/\\])\.amplify[/\\]generated[/\\]/.test(file);

/**
 * Appends the record of a bundle esbuild (or the cache) just wrote to `logFile`.
 * @param {string} logFile
 * @param {{ args: string[], cwd: string, inputs: string[] }} bundle
 */
export function recordBundle(logFile, { args, cwd, inputs }) {
  const outfileArg = args.find((arg) => arg.startsWith('--outfile='));
  if (!outfileArg) return;
  const outDir = dirname(resolve(cwd, outfileArg.slice('--outfile='.length)));
  /** @type {Record<string, string>} */
  const outputs = {};
  for (const name of readdirSync(outDir)) outputs[name] = sha256File(join(outDir, name));
  /** @type {Record<string, string>} */
  const generated = {};
  for (const file of inputs.filter(isGeneratedInput)) generated[file] = readFileSync(join(cwd, file), 'utf8');
  /** @type {BundleRecord} */
  const record = { args, cwd, inputs, outputs, generated };
  appendFileSync(logFile, `${JSON.stringify(record)}\n`);
}
