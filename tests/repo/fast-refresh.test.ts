/**
 * Fast Refresh is on in the dev server: the project's vite.config.ts, run in-process, compiles a component
 * module with React Refresh registration and an HMR boundary, so editing a component keeps its state.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/paths.mjs';

let server: ViteDevServer | undefined;
let scratch: string;
const savedOutputs = process.env['OFFLINE_SANDBOX_OUTPUTS'];

beforeAll(async () => {
  // As without a running offline sandbox (no amplify_outputs.json of one: plain HTTP, no proxy), whatever
  // state this checkout's sandbox is in.
  scratch = mkdtempSync(join(tmpdir(), 'fast-refresh-'));
  process.env['OFFLINE_SANDBOX_OUTPUTS'] = join(scratch, 'amplify_outputs.json');
  server = await createServer({
    root: PROJECT_ROOT,
    configFile: join(PROJECT_ROOT, 'vite.config.ts'),
    logLevel: 'silent',
    // No listening socket and no file watcher; HMR stays enabled (Fast Refresh is off when server.hmr is false),
    // its WebSocket server is simply not started.
    server: { middlewareMode: true, port: 0, watch: null, ws: false },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
});

afterAll(async () => {
  await server?.close();
  if (savedOutputs === undefined) delete process.env['OFFLINE_SANDBOX_OUTPUTS'];
  else process.env['OFFLINE_SANDBOX_OUTPUTS'] = savedOutputs;
  rmSync(scratch, { recursive: true, force: true });
});

describe('Fast Refresh in the dev server', () => {
  it('uses @vitejs/plugin-react from vite.config.ts', () => {
    expect(server!.config.plugins.map((p) => p.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^vite:react/)]));
    expect(server!.config.server.hmr).not.toBe(false);
  });

  it('registers the components of src/App.tsx with React Refresh and accepts their updates', async () => {
    const result = await server!.transformRequest('/src/App.tsx');
    expect(result).not.toBeNull();
    const code = result!.code;
    // `_c = App; … $RefreshReg$(_c, "App");`
    const registration = /\$RefreshReg\$\((\w+),\s*["']App["']\)/.exec(code);
    expect(registration, 'App registered with React Refresh').not.toBeNull();
    expect(code).toMatch(new RegExp(`\\b${registration![1]} = App;`));
    expect(code).toContain('import.meta.hot.accept(');
    expect(code).toContain('/@react-refresh');
  });

  it('serves the React Refresh runtime', async () => {
    const result = await server!.transformRequest('/@react-refresh');
    expect(result?.code).toContain('injectIntoGlobalHook');
  });
});
