import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LambdaDescription } from '../loader/types';
import { LambdaRunner } from './runner';

const dir = mkdtempSync(join(tmpdir(), 'lambda-entry-'));
// Node's own ES module loader (Lambda's) needs the extension; tsx's resolver would find ./helper.js.
writeFileSync(
  join(dir, 'index.mjs'),
  `export const handler = async () => ({
  withExtension: (await import('./helper.js')).default,
  extensionless: await import('./helper').then((m) => m.default, (error) => error.code),
});\n`,
);
writeFileSync(join(dir, 'helper.js'), 'module.exports = "loaded";\n');

const fn: LambdaDescription = {
  name: 'entry',
  logicalId: 'entry',
  codeDirectory: dir,
  handler: 'index.handler',
  // A major no package provides: the sandbox's own Node runs it, through worker-entry.mjs (the tsx loader) when that
  // Node is older than 24 (as on CI), through worker.ts directly on 24.
  runtime: 'nodejs99.x',
  timeoutSeconds: 5,
  memoryMB: 128,
  environment: {},
  schedules: [],
  appFunction: true,
  policy: { statements: [], managedPolicyArns: [], skipped: [] },
};

describe('worker-entry.mjs: tsx loads the worker, not the function', () => {
  it("imports the function's bundle with Node's own loader, as Lambda does (an import without its extension is not found)", async () => {
    const runner = new LambdaRunner([fn], { logger: () => {} });
    try {
      await expect(runner.invoke('entry', {})).resolves.toEqual({ withExtension: 'loaded', extensionless: 'ERR_MODULE_NOT_FOUND' });
    } finally {
      await runner.close();
    }
  });
});
