/**
 * A faster synthesis serves what a fresh one would: the storage fixture (tests/fixtures/storage-backend, two functions)
 * synthesized with --force (every function bundled by esbuild), then again into another folder with its bundles taken
 * from the cache, gives the same files byte for byte (templates, asset manifests and the function bundles, whose
 * folder names are the hash of their content; the engine's bundle index, which records where each was built, names the
 * same bundles); a third call with nothing changed keeps that assembly untouched.
 * About 15 s (two synthesis runs of a small backend).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_INDEX_FILE } from './function-reload.mjs';
import { synthesize, type SynthesisResult } from './synthesize.mjs';

const FIXTURE = join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'storage-backend');
let work: string;
let fresh: SynthesisResult;
let reused: SynthesisResult;
let kept: SynthesisResult;
let keptMtime: number;

/** Every file under `dir` with its content, by path relative to `dir`. */
function contents(dir: string, root = dir): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(out, contents(path, root));
    else out[relative(root, path)] = readFileSync(path, 'base64');
  }
  return out;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'synthesize-'));
  const common = { projectRoot: FIXTURE, backend: join(FIXTURE, 'amplify', 'backend.ts'), name: 'cachetest', quiet: true, bundleCache: join(work, 'bundles') };
  fresh = await synthesize({ ...common, output: join(work, 'a', 'cdk.out'), force: true });
  reused = await synthesize({ ...common, output: join(work, 'b', 'cdk.out') });
  keptMtime = statSync(join(work, 'b', 'cdk.out', 'manifest.json')).mtimeMs;
  kept = await synthesize({ ...common, output: join(work, 'b', 'cdk.out') });
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('synthesize with the synthesis key and the bundle cache', () => {
  it('synthesizes, then reuses the bundles, then keeps the assembly', () => {
    expect(fresh).toMatchObject({ ok: true, cached: false });
    expect(reused).toMatchObject({ ok: true, cached: false });
    expect(kept).toMatchObject({ ok: true, cached: true });
    expect(readdirSync(join(work, 'bundles')).length).toBeGreaterThanOrEqual(2);
  });

  it('serves with cached bundles exactly what the forced synthesis wrote', () => {
    const a = contents(join(work, 'a', 'cdk.out'));
    const b = contents(join(work, 'b', 'cdk.out'));
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    expect(Object.keys(a).filter((file) => /^asset\.[0-9a-f]{64}\/index\.mjs$/.test(file)).length).toBeGreaterThanOrEqual(2);
    // The bundle index names where each bundle was built (this synthesis's folder): the same bundles, by asset name.
    for (const file of Object.keys(a).filter((name) => name !== BUNDLE_INDEX_FILE)) expect(b[file], file).toBe(a[file]);
    const assetsOf = (index: string | undefined) => Object.keys(JSON.parse(Buffer.from(index ?? '', 'base64').toString('utf8')) as object).sort();
    expect(assetsOf(b[BUNDLE_INDEX_FILE])).toEqual(assetsOf(a[BUNDLE_INDEX_FILE]));
    expect(assetsOf(a[BUNDLE_INDEX_FILE])).toHaveLength(2);
  });

  it('leaves a kept assembly untouched', () => {
    expect(statSync(join(work, 'b', 'cdk.out', 'manifest.json')).mtimeMs).toBe(keptMtime);
  });
});
