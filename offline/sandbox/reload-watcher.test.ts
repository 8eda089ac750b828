import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { watchAndReload } from './reload-watcher';
import type { ReloadReport } from './start-sandbox';

const root = mkdtempSync(join(tmpdir(), 'reload-watcher-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('watchAndReload', () => {
  it('does not react to folders that are not the backend (amplify/seed), and does to the rest', async () => {
    const sources = join(root, 'amplify');
    mkdirSync(join(sources, 'seed'), { recursive: true });
    mkdirSync(join(sources, 'data'), { recursive: true });
    const lines: string[] = [];
    let reloaded!: () => void;
    const done = new Promise<void>((resolve) => (reloaded = resolve));
    const watcher = watchAndReload({
      watchDirectory: sources,
      cdkOut: join(root, 'cdk.out'),
      ignoreFolders: new Set(['seed']),
      synthesize: async (output) => {
        mkdirSync(output, { recursive: true });
        return { ok: true };
      },
      reload: async () => ({ tables: 'unchanged', functions: { added: [], changed: [], removed: [] }, subscriptions: { kept: 0, ended: 0 } }) as unknown as ReloadReport,
      onReloaded: () => reloaded(),
      logger: (line) => lines.push(line),
      debounceMs: 50,
    });
    try {
      // The seed first: had it counted, the synthesis below would name it (the same quiet period) or run for it alone.
      writeFileSync(join(sources, 'seed', 'seed.ts'), 'export {};\n');
      writeFileSync(join(sources, 'data', 'resource.ts'), 'export {};\n');
      await done;
      const synthesizing = lines.filter((line) => line.endsWith('changed: synthesizing…'));
      expect(synthesizing).toEqual([`[reload] ${join('data', 'resource.ts')} changed: synthesizing…`]);
    } finally {
      watcher.close();
    }
  });

  it('takes the function-code path when it applies (no synthesis), synthesizes when it does not, and keeps serving when it fails', async () => {
    const sources = join(root, 'fast', 'amplify');
    mkdirSync(join(sources, 'functions', 'hello'), { recursive: true });
    const lines: string[] = [];
    const synthesized: string[] = [];
    const rebuildAsked: string[][] = [];
    const reloaded: string[] = [];
    let answer: 'rebuilt' | 'synthesize' | 'fail' = 'rebuilt';
    let cycleDone!: () => void;
    let done = new Promise<void>((resolve) => (cycleDone = resolve));
    const watcher = watchAndReload({
      watchDirectory: sources,
      cdkOut: join(root, 'fast', 'cdk.out'),
      synthesize: async (output) => {
        synthesized.push(output);
        mkdirSync(output, { recursive: true });
        return { ok: true };
      },
      rebuildFunctions: async (changedFiles, output) => {
        rebuildAsked.push(changedFiles);
        if (answer === 'synthesize') return undefined;
        if (answer === 'fail') return { ok: false, output: 'esbuild failed' };
        mkdirSync(output, { recursive: true });
        return { ok: true, bundles: [{ from: 'asset.a', to: 'asset.b', entry: join(sources, 'functions', 'hello', 'handler.ts') }] };
      },
      reload: async (cdkOut) => {
        reloaded.push(cdkOut);
        return { tables: 'unchanged', functions: { added: [], changed: ['hello'], removed: [] }, subscriptions: { kept: 1, ended: 0 } } as unknown as ReloadReport;
      },
      onReloaded: () => cycleDone(),
      // A failed cycle ends with its error line.
      logger: (line, level) => {
        lines.push(line);
        if (level === 'error') cycleDone();
      },
      debounceMs: 50,
    });
    const handler = join(sources, 'functions', 'hello', 'handler.ts');
    try {
      writeFileSync(handler, 'export const handler = async () => 1;\n');
      await done;
      expect(rebuildAsked).toEqual([[handler]]);
      expect(synthesized).toEqual([]);
      expect(reloaded).toEqual([join(root, 'fast', 'cdk.out')]);
      expect(lines.some((line) => line.includes('(function code only): rebuilt functions/hello/handler.ts without a synthesis'))).toBe(true);

      answer = 'synthesize';
      done = new Promise<void>((resolve) => (cycleDone = resolve));
      writeFileSync(join(sources, 'functions', 'hello', 'resource.ts'), 'export {};\n');
      await done;
      expect(synthesized).toHaveLength(1);
      expect(reloaded).toHaveLength(2);

      answer = 'fail';
      done = new Promise<void>((resolve) => (cycleDone = resolve));
      writeFileSync(handler, 'export const handler = async () => 2;\n');
      await done;
      expect(reloaded).toHaveLength(2);
      expect(synthesized).toHaveLength(1);
      expect(lines.at(-1)).toContain('rebuilding the function failed; still serving the previous backend:\nesbuild failed');
    } finally {
      watcher.close();
    }
  });
});
