/**
 * The bundle cache runs the real esbuild (this project's) on a small function: a bundle reused from the cache is
 * byte for byte the bundle esbuild makes without the cache, in another output folder at the same depth (as the
 * sandbox's reload stages next to cdk.out); a change to any file the bundle read is bundled anew.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localEsbuild, runEsbuild } from './bundle-cache.mjs';

const esbuild = localEsbuild(import.meta.dirname);
let project: string;
let cache: string;

/** CDK's NodejsFunction arguments for an ESM function, as Amplify's defineFunction sets them (minified, source map). */
const argsFor = (outDir: string) => [
  '--bundle',
  join(project, 'amplify', 'functions', 'hello', 'handler.ts'),
  '--target=node24',
  '--platform=node',
  '--format=esm',
  `--outfile=${join(outDir, 'index.mjs')}`,
  '--minify',
  '--sourcemap',
  '--log-level=error',
  '--banner:js=// banner',
];

/** The files of a folder, by name. */
const filesOf = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name), 'utf8')]));

function bundle(outName: string, withCache: boolean) {
  const outDir = join(project, 'cdk.out', outName);
  rmSync(outDir, { recursive: true, force: true });
  const result = runEsbuild({ esbuild: esbuild!, args: argsFor(outDir), cwd: project, ...(withCache ? { cacheDirectory: cache } : {}) });
  expect(result.status).toBe(0);
  return { ...result, files: filesOf(outDir) };
}

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'bundle-cache-'));
  cache = join(project, 'node_modules', '.cache', 'bundles');
  mkdirSync(join(project, 'amplify', 'functions', 'hello'), { recursive: true });
  writeFileSync(join(project, 'amplify', 'functions', 'hello', 'handler.ts'), "import { greet } from './greet';\nexport const handler = async (event: { name: string }) => greet(event.name);\n");
  writeFileSync(join(project, 'amplify', 'functions', 'hello', 'greet.ts'), 'export const greet = (name: string): string => `hello ${name}`;\n');
});

afterEach(() => rmSync(project, { recursive: true, force: true }));

describe('runEsbuild with the bundle cache', () => {
  it('finds the local esbuild npx would run', () => {
    expect(esbuild && existsSync(esbuild)).toBeTruthy();
  });

  it('reuses a bundle whose inputs did not change: the same bytes esbuild writes without the cache', () => {
    const first = bundle('bundling-temp-a', true);
    expect(first.cached).toBe(false);
    expect(Object.keys(first.files)).toEqual(['index.mjs', 'index.mjs.map']);
    expect(first.files['index.mjs']).toContain('hello ');

    const reused = bundle('bundling-temp-b', true);
    expect(reused.cached).toBe(true);
    const fresh = bundle('bundling-temp-c', false);
    expect(fresh.cached).toBe(false);
    expect(reused.files).toEqual(fresh.files);
    expect(first.files).toEqual(fresh.files);
  });

  it('bundles anew when a file the bundle imports changes, and then matches esbuild without the cache', () => {
    bundle('bundling-temp-a', true);
    writeFileSync(join(project, 'amplify', 'functions', 'hello', 'greet.ts'), 'export const greet = (name: string): string => `goodbye ${name}`;\n');
    const rebuilt = bundle('bundling-temp-b', true);
    expect(rebuilt.cached).toBe(false);
    expect(rebuilt.files['index.mjs']).toContain('goodbye ');
    expect(rebuilt.files).toEqual(bundle('bundling-temp-c', false).files);
    // and the refreshed entry serves the new bundle
    const again = bundle('bundling-temp-d', true);
    expect(again.cached).toBe(true);
    expect(again.files).toEqual(rebuilt.files);
  });

  it('bundles anew when the options change (a different banner)', () => {
    bundle('bundling-temp-a', true);
    const outDir = join(project, 'cdk.out', 'bundling-temp-b');
    const args = argsFor(outDir).map((arg) => (arg.startsWith('--banner') ? '--banner:js=// other' : arg));
    expect(runEsbuild({ esbuild: esbuild!, args, cwd: project, cacheDirectory: cache })).toMatchObject({ status: 0, cached: false });
    expect(readFileSync(join(outDir, 'index.mjs'), 'utf8')).toContain('// other');
  });

  it('reports esbuild\'s failure and caches nothing for it', () => {
    writeFileSync(join(project, 'amplify', 'functions', 'hello', 'greet.ts'), 'export const greet = (;\n');
    const outDir = join(project, 'cdk.out', 'bundling-temp-a');
    expect(runEsbuild({ esbuild: esbuild!, args: argsFor(outDir), cwd: project, cacheDirectory: cache }).status).not.toBe(0);
    expect(existsSync(cache) ? readdirSync(cache) : []).toEqual([]);
  });
});
