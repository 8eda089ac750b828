/**
 * The reload of a change to function code only: rebuilds just the bundles that read the changed files, with the very
 * esbuild command the last synthesis ran for them (recorded in the assembly's BUNDLE_INDEX_FILE), into a copy of the
 * assembly, named as CDK names it (asset.<fingerprint of the output>, aws-cdk-lib's FileSystem.fingerprint) and
 * referenced in place of the old bundle. The sandbox then reloads that copy as it reloads a synthesis: the function
 * gets a cold start with its new bundle; tables, data and subscriptions are untouched.
 *
 * It applies only when every changed file is an input of some function bundle and none is an input of the backend
 * definition itself (the modules amplify/backend.ts imports: resource.ts files, and whatever they import). Anything
 * else (a resource.ts, the schema, a JS resolver, a new or deleted file) needs a synthesis, and `rebuildFunctionBundles`
 * says so by returning undefined.
 *
 * What differs from a synthesis of the same sources: only the asset hashes of the nested stack templates themselves
 * (CloudFormation's TemplateURL of a nested stack, which the sandbox does not use); the assembly's synthesis key is
 * removed, so the next start synthesizes it anew.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { defaultBundleCache, localEsbuild, runEsbuild } from './bundle-cache.mjs';
import { SYNTHESIS_KEY_FILE } from './synthesis-key.mjs';

/** The assembly's index of its function bundles: asset folder → how it was bundled. */
export const BUNDLE_INDEX_FILE = 'offline-bundles.json';

/** @typedef {import('./bundle-cache.mjs').BundleRecord} BundleRecord */
/** @typedef {{ args: string[], cwd: string, inputs: string[], generated?: Record<string, string> }} IndexedBundle */

/** @param {string} file */
const sha256File = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * After a synthesis: matches each bundle recorded in `logFile` to the asset folder of `assembly` holding exactly its
 * output files, and writes the assembly's BUNDLE_INDEX_FILE. Returns how many bundles were indexed.
 * @param {string} assembly
 * @param {string} logFile
 */
export function writeBundleIndex(assembly, logFile) {
  if (!existsSync(logFile)) return 0;
  /** @type {BundleRecord[]} */
  const records = readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
  /** @type {Record<string, IndexedBundle>} */
  const index = {};
  for (const entry of readdirSync(assembly, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith('asset.')) continue;
    const dir = join(assembly, entry.name);
    const files = readdirSync(dir);
    const record = records.find((r) => Object.keys(r.outputs).length === files.length && files.every((name) => r.outputs[name] === sha256File(join(dir, name))));
    if (record) index[entry.name] = { args: record.args, cwd: record.cwd, inputs: record.inputs, generated: record.generated ?? {} };
  }
  writeFileSync(join(assembly, BUNDLE_INDEX_FILE), JSON.stringify(index, null, 1));
  return Object.keys(index).length;
}

/**
 * The project's files the backend definition imports (the entry point and its import graph, packages left out).
 * @param {string} projectRoot
 * @param {string} backend
 * @returns {Promise<Set<string>>} absolute paths
 */
async function backendInputs(projectRoot, backend) {
  const esbuild = createRequire(join(projectRoot, 'package.json'))('esbuild');
  const result = await esbuild.build({
    entryPoints: [backend],
    bundle: true,
    write: false,
    metafile: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
    absWorkingDir: projectRoot,
    // Nothing is written (write: false); esbuild wants an output folder to name the outputs it keeps in memory.
    outdir: join(projectRoot, 'node_modules', '.cache', 'amplify-gen2-offline', 'backend-graph'),
  });
  return new Set(Object.keys(result.metafile.inputs).map((file) => resolve(projectRoot, file)));
}

/**
 * @param {{ projectRoot: string, backend: string, cdkOut: string, output: string, changedFiles: string[],
 *   bundleCache?: string }} options  `changedFiles` absolute; `output` is written (emptied first), a sibling of `cdkOut`
 * @returns {Promise<{ ok: true, bundles: { from: string, to: string, entry: string }[] } | { ok: false, output: string } | undefined>}
 *   undefined when the change is not to function code only (a synthesis is needed)
 */
export async function rebuildFunctionBundles(options) {
  const indexFile = join(options.cdkOut, BUNDLE_INDEX_FILE);
  if (!existsSync(indexFile) || options.changedFiles.length === 0) return undefined;
  /** @type {Record<string, IndexedBundle>} */
  const index = JSON.parse(readFileSync(indexFile, 'utf8'));
  const changed = options.changedFiles.map((file) => resolve(file));
  if (changed.some((file) => !existsSync(file) || !statSync(file).isFile())) return undefined;
  const affected = Object.entries(index).filter(([, bundle]) => bundle.inputs.some((input) => changed.includes(resolve(bundle.cwd, input))));
  const covered = (/** @type {string} */ file) => Object.values(index).some((bundle) => bundle.inputs.some((input) => resolve(bundle.cwd, input) === file));
  if (affected.length === 0 || !changed.every(covered)) return undefined;
  // A backend definition esbuild cannot read (a syntax error in a resource.ts…) is for the synthesis to report.
  const definition = await backendInputs(resolve(options.projectRoot), resolve(options.backend)).catch(() => undefined);
  if (!definition || changed.some((file) => definition.has(file))) return undefined;

  const output = resolve(options.output);
  rmSync(output, { recursive: true, force: true });
  cpSync(options.cdkOut, output, { recursive: true });
  rmSync(join(output, SYNTHESIS_KEY_FILE), { force: true });
  const { FileSystem } = createRequire(join(resolve(options.projectRoot), 'package.json'))('aws-cdk-lib');
  /** @type {{ from: string, to: string, entry: string }[]} */
  const bundles = [];
  for (const [asset, bundle] of affected) {
    const outfileArg = bundle.args.find((arg) => arg.startsWith('--outfile='));
    const esbuild = localEsbuild(bundle.cwd);
    if (!outfileArg || !esbuild) return undefined;
    const recorded = resolve(bundle.cwd, outfileArg.slice('--outfile='.length));
    // The same folder name at the same depth as during the synthesis: the source map's paths are relative to it.
    const outDir = join(output, basename(dirname(recorded)));
    const args = bundle.args.map((arg) => (arg === outfileArg ? `--outfile=${join(outDir, basename(recorded))}` : arg));
    rmSync(outDir, { recursive: true, force: true });
    // The files Amplify generates as they were when the synthesis bundled (its env shim is rewritten, typed, after).
    const generated = Object.entries(bundle.generated ?? {}).map(([file, content]) => {
      const path = resolve(bundle.cwd, file);
      return { path, content, now: existsSync(path) ? readFileSync(path, 'utf8') : undefined };
    });
    for (const file of generated) writeFileSync(file.path, file.content);
    let result;
    try {
      result = runEsbuild({ esbuild, args, cwd: bundle.cwd, cacheDirectory: options.bundleCache ?? defaultBundleCache(options.projectRoot) });
    } finally {
      for (const file of generated) {
        if (file.now === undefined) rmSync(file.path, { force: true });
        else writeFileSync(file.path, file.now);
      }
    }
    if (result.status !== 0 || !result.inputs) {
      rmSync(outDir, { recursive: true, force: true });
      return { ok: false, output: `esbuild failed (exit ${result.status}) bundling ${bundle.args[1] ?? asset}` };
    }
    const to = `asset.${FileSystem.fingerprint(outDir)}`;
    rmSync(join(output, to), { recursive: true, force: true });
    renameSync(outDir, join(output, to));
    if (to !== asset) rmSync(join(output, asset), { recursive: true, force: true });
    delete index[asset];
    index[to] = { args: bundle.args, cwd: bundle.cwd, inputs: result.inputs, generated: bundle.generated ?? {} };
    bundles.push({ from: asset, to, entry: bundle.args[1] ?? '' });
  }
  // The templates and manifests name a bundle by its hash (the asset folder, the S3 key of the code).
  for (const name of readdirSync(output)) {
    if (!name.endsWith('.json') || name === BUNDLE_INDEX_FILE) continue;
    const path = join(output, name);
    let text = readFileSync(path, 'utf8');
    for (const { from, to } of bundles) text = text.split(from.slice('asset.'.length)).join(to.slice('asset.'.length));
    writeFileSync(path, text);
  }
  writeFileSync(join(output, BUNDLE_INDEX_FILE), JSON.stringify(index, null, 1));
  return { ok: true, bundles };
}
