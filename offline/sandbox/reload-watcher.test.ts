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
});
